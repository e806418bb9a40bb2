//! What the voice should read from a line of the interviewer's text:
//! markup that a reader would not pronounce is dropped (backticks, emphasis,
//! headings, bullets), dashes become pauses, and jargon is read as
//! engineers say it ([`super::say_as`]). Pure.

/// The line as it should be read aloud.
pub fn speakable(text: &str) -> String {
    super::say_as::for_the_ear(&without_markup(text))
}

/// The line without markup, its jargon as written (for comparison runs).
pub fn without_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim_start();
        let line = line.trim_start_matches('#').trim_start();
        let line = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("• "))
            .unwrap_or(line);
        let mut prev = ' ';
        let chars: Vec<char> = line.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            match c {
                '`' | '*' => {}
                // snake_case reads as words; a lone underscore is markup
                '_' if prev.is_alphanumeric() && next.is_alphanumeric() => out.push(' '),
                '_' => {}
                '—' | '–' => out.push_str(", "),
                _ => out.push(c),
            }
            prev = c;
        }
        let t = out.trim_end().len();
        out.truncate(t);
        // A line without its own full stop still ends a clause.
        if !out.is_empty() && !out.ends_with(['.', '?', '!', ':', ',', ';']) {
            out.push('.');
        }
        out.push(' ');
    }
    out.replace(" ,", ",")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_not_read() {
        assert_eq!(
            speakable("**Why** did you use `max_surge` here?"),
            "Why did you use max surge here?"
        );
        assert_eq!(
            speakable("## Score\n- Rating 3 of 4"),
            "Score. Rating 3 of 4."
        );
    }

    #[test]
    fn dashes_become_pauses() {
        assert_eq!(
            speakable("Rating 3 of 4 — Proficient."),
            "Rating 3 of 4, Proficient."
        );
    }

    #[test]
    fn plain_text_is_kept() {
        let t = "How would you roll back a failed Helm release?";
        assert_eq!(speakable(t), t);
    }

    #[test]
    fn jargon_is_read_as_said() {
        assert_eq!(
            speakable("How does `kubectl` reach the EKS API?"),
            "How does kube control reach the E.K.S A.P.I?"
        );
    }
}
