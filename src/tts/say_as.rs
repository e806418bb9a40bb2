//! How an engineer reads the interviewer's jargon aloud, for the voice:
//! espeak-ng (the phonemizer behind both voices) reads "AWS" as "awes",
//! "EKS" as "ecks", "etcd" as "etkd", "CI/CD" as "sigh slash CD" and says
//! nothing at all for "--dry-run". A token at a time:
//!
//! - a short list of words said their own way ("kubectl" → "kube control",
//!   "etcd" → "et-see-dee", "CI/CD" → "C.I.C.D");
//! - acronyms (two to five capitals, digits allowed after the first letter,
//!   a plural "s") are spelled out ("EC2" → "E.C 2", "ALBs" → "A.L.B's"),
//!   except those said as words ("NAT", "YAML", "RBAC");
//! - command-line flags are read with their dashes ("--dry-run" → "dash
//!   dash dry run", "-9" → "dash 9").
//!
//! Pure; punctuation around a token is kept, so clauses still pause.

/// Words said their own way.
const SAID: &[(&str, &str)] = &[
    ("kubectl", "kube control"),
    ("kubeadm", "kube admin"),
    ("kubelet", "kube let"),
    ("etcd", "et-see-dee"),
    ("k8s", "kubernetes"),
    ("K8s", "Kubernetes"),
    ("nginx", "engine x"),
    ("NGINX", "engine x"),
    ("CI/CD", "C.I.C.D"),
    ("IaC", "I.A.C"),
    ("systemctl", "system control"),
    ("journalctl", "journal control"),
    ("sysctl", "sys control"),
    ("sudo", "sue doo"),
    ("PostgreSQL", "Postgres Q.L"),
    ("MySQL", "My S.Q.L"),
    ("OK", "okay"),
];

/// Acronyms said as words.
const WORDS: &[&str] = &[
    "NAT", "YAML", "JSON", "RBAC", "REST", "RAM", "CRUD", "LAN", "WAN", "SAML", "OWASP", "CORS",
    "SOAP", "FIFO", "LIFO", "GUI", "ASCII", "USE", "RED", "SWAP", "NASA", "SCIM", "WASM", "CIDR",
    "POSIX", "SONAR", "LINT", "AIM", "ARM", "ACID", "BASE", "MIME", "FAANG", "OKR",
    // Words written in capitals for emphasis.
    "NOT", "ALL", "ANY", "AND", "OR", "NO", "YES", "ONE", "ONLY", "NEVER", "MUST", "NEW", "OLD",
    "TOP", "LOW", "HIGH", "KEY", "GO", "WHY", "HOW", "WHAT", "THE", "IS", "DO", "DONE",
];

/// The token read aloud, if it is read otherwise than written.
fn say(token: &str) -> Option<String> {
    if let Some((_, s)) = SAID.iter().find(|(w, _)| *w == token) {
        return Some((*s).to_string());
    }
    if let Some(rest) = token.strip_prefix("--") {
        if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Some(format!("dash dash {}", rest.replace(['-', '_'], " ")));
        }
    }
    if let Some(rest) = token.strip_prefix('-') {
        let short = rest.chars().count() <= 2 && rest.chars().all(|c| c.is_ascii_alphanumeric());
        if short && !rest.is_empty() {
            return Some(format!("dash {rest}"));
        }
    }
    if let Some(s) = spelled(token) {
        return Some(s);
    }
    if let Some(s) = hyphenated(token) {
        return Some(s);
    }
    camel(token)
}

/// "kubectl-applies" → "kube control-applies": each part of a hyphenated
/// word read as it would be alone (`None` when no part changes).
fn hyphenated(token: &str) -> Option<String> {
    if !token.contains('-') || token.starts_with('-') {
        return None;
    }
    let mut changed = false;
    let parts: Vec<String> = token
        .split('-')
        .map(|p| match say(p) {
            Some(s) => {
                changed = true;
                s
            }
            None => p.to_string(),
        })
        .collect();
    changed.then(|| parts.join("-"))
}

/// "ImagePullBackOff" → "Image Pull Back Off", "selfHeal" → "self Heal":
/// a name joined from words is said as those words (espeak-ng reads it as
/// one long word). Only when every part is a word of two letters or more
/// ("ClusterIP", "eBPF" and "iPhone" stay as written).
fn camel(token: &str) -> Option<String> {
    if !token.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    for c in token.chars() {
        match words.last_mut() {
            Some(w) if !c.is_ascii_uppercase() => w.push(c),
            _ => words.push(c.to_string()),
        }
    }
    let wordlike = words.iter().all(|w| w.len() >= 2);
    (words.len() >= 2 && wordlike).then(|| words.join(" "))
}

/// "EC2" → "E.C 2", "ALBs" → "A.L.B's"; `None` for anything else.
fn spelled(token: &str) -> Option<String> {
    let (stem, plural) = match token.strip_suffix('s') {
        Some(s) if s.len() >= 2 => (s, true),
        _ => (token, false),
    };
    let n = stem.chars().count();
    let mut chars = stem.chars();
    let first = chars.next()?;
    let acronym = (2..=5).contains(&n)
        && first.is_ascii_uppercase()
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && stem.chars().filter(char::is_ascii_uppercase).count() >= 2
        || (n == 2 && first.is_ascii_uppercase() && stem.ends_with(|c: char| c.is_ascii_digit()));
    if !acronym || WORDS.contains(&stem) {
        return None;
    }
    // espeak-ng reads "A.W.S" letter by letter ("A W S" would begin with
    // the article "uh"); a final dot would end the clause. Digits are a
    // word of their own ("E.C 2"), a plural is "'s" ("A.L.B's").
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut digits = String::new();
    for c in stem.chars() {
        if c.is_ascii_digit() {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                out.push(std::mem::take(&mut digits));
            }
            if !run.is_empty() {
                run.push('.');
            }
            run.push(c);
        }
    }
    out.extend([run, digits].into_iter().filter(|w| !w.is_empty()));
    if plural {
        if let Some(last) = out.last_mut() {
            last.push_str("'s");
        }
    }
    Some(out.join(" "))
}

/// The text with its jargon as it is said.
pub fn for_the_ear(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, raw) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // Punctuation around the token stays (a clause still pauses); a
        // flag keeps its leading dashes.
        let lead = raw.len() - raw.trim_start_matches(['(', '"', '\'']).len();
        let body = &raw[lead..];
        let core = body.trim_end_matches(['.', ',', '?', '!', ':', ';', ')', '"', '\'']);
        let tail = &body[core.len()..];
        match say(core) {
            Some(s) => {
                out.push_str(&raw[..lead]);
                out.push_str(&s);
                out.push_str(tail);
            }
            None => out.push_str(raw),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_are_spelled_unless_said_as_words() {
        assert_eq!(
            for_the_ear("On AWS, put the ALBs in a VPC."),
            "On A.W.S, put the A.L.B's in a V.P.C."
        );
        assert_eq!(for_the_ear("EC2 and S3"), "E.C 2 and S 3");
        assert_eq!(
            for_the_ear("NAT gateways, YAML and RBAC"),
            "NAT gateways, YAML and RBAC"
        );
        assert_eq!(
            for_the_ear("the USE and RED methods"),
            "the USE and RED methods"
        );
    }

    #[test]
    fn ordinary_words_and_single_capitals_are_left_alone() {
        let t = "I think A is fine. Kubernetes runs Pods; it is Terraform's job.";
        assert_eq!(for_the_ear(t), t);
    }

    #[test]
    fn tools_and_flags_are_read_as_engineers_say_them() {
        assert_eq!(
            for_the_ear("Run kubectl apply --dry-run=server first."),
            "Run kube control apply dash dash dry run=server first."
        );
        assert_eq!(
            for_the_ear("kill -9 or kill -15?"),
            "kill dash 9 or kill dash 15?"
        );
        assert_eq!(
            for_the_ear("Why is etcd in the CI/CD path?"),
            "Why is et-see-dee in the C.I.C.D path?"
        );
    }

    #[test]
    fn joined_names_are_said_as_their_words() {
        assert_eq!(
            for_the_ear("A pod is in ImagePullBackOff."),
            "A pod is in Image Pull Back Off."
        );
        assert_eq!(
            for_the_ear("ConfigMaps and selfHeal"),
            "Config Maps and self Heal"
        );
        assert_eq!(for_the_ear("GitHub Actions"), "Git Hub Actions");
        let kept = "ClusterIP, eBPF, iPhone, Helm and Terraform";
        assert_eq!(for_the_ear(kept), kept);
        assert_eq!(
            for_the_ear("someone kubectl-applies a fix"),
            "someone kube control-applies a fix"
        );
    }

    #[test]
    fn ranges_paths_and_emphasis_are_left_alone() {
        let t = "Use 3-5 nodes, read /var/log/syslog, and do NOT delete it.";
        assert_eq!(for_the_ear(t), t);
    }
}
