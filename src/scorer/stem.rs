//! Light stemming for matching answers against rubric phrases.

/// Light suffix stripping so "locks", "locking", "locked" all meet at "lock".
pub fn stem(word: &str) -> String {
    let w = word.strip_suffix("'s").unwrap_or(word);
    match w {
        "using" | "used" | "uses" => return "use".into(),
        "data" | "status" | "kubernetes" | "redis" | "alias" | "always" | "less" => {
            return w.into()
        }
        _ => {}
    }
    if w.len() <= 3 || w.chars().any(|c| c.is_ascii_digit()) || w.contains('\'') {
        return w.to_string();
    }
    let fin = |s: String| -> String {
        if s.len() >= 4 && s.ends_with('e') && !s.ends_with("ee") {
            s[..s.len() - 1].to_string()
        } else {
            s
        }
    };
    let strip = |w: &str, suf: &str, min: usize| -> Option<String> {
        w.strip_suffix(suf)
            .filter(|s| s.len() >= min)
            .map(str::to_string)
    };
    let undouble = |s: String| -> String {
        let b = s.as_bytes();
        let n = b.len();
        if n >= 3 && b[n - 1] == b[n - 2] && !matches!(b[n - 1], b'l' | b's' | b'z') {
            s[..n - 1].to_string()
        } else {
            s
        }
    };
    if let Some(s) = strip(w, "ies", 2) {
        return format!("{s}y");
    }
    if let Some(s) = strip(w, "ing", 3) {
        return fin(undouble(s));
    }
    if let Some(s) = strip(w, "ed", 3) {
        return fin(undouble(s));
    }
    if w.ends_with("sses") || w.ends_with("ches") || w.ends_with("shes") || w.ends_with("xes") {
        return w[..w.len() - 2].to_string();
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return fin(w[..w.len() - 1].to_string());
    }
    fin(w.to_string())
}
