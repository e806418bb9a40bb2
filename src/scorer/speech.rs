//! Word lists for spoken English: fillers, stopwords, negators, spoken
//! numbers and the ways Whisper writes DevOps jargon.

/// Single-word fillers dropped before grading.
pub const FILLERS: &[&str] = &[
    "um", "umm", "uh", "uhh", "uhm", "erm", "er", "ah", "ahh", "hmm", "hm", "mm", "mhm", "eh",
    "basically", "actually", "literally", "yeah", "yep", "okay", "ok", "alright",
];

/// Multi-word fillers dropped before grading.
pub const FILLER_PHRASES: &[&str] = &["you know", "i mean", "sort of", "kind of", "you see"];

/// Words that carry no topic: function words and discourse markers.
pub const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "so", "if", "then", "than", "that", "this", "these",
    "those", "there", "here", "it", "its", "it's", "is", "are", "was", "were", "be", "been",
    "being", "am", "do", "does", "did", "doing", "have", "has", "had", "having", "i", "i'm",
    "i've", "i'd", "i'll", "me", "my", "we", "we're", "we've", "we'd", "our", "us", "you",
    "you're", "your", "they", "they're", "their", "them", "he", "she", "his", "her", "to",
    "of", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "about", "as", "up",
    "down", "out", "off", "over", "under", "again", "just", "really", "very", "also", "too",
    "well", "like", "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
    "all", "any", "some", "each", "every", "no", "not", "don't", "doesn't", "didn't", "isn't",
    "aren't", "wasn't", "won't", "can't", "cannot", "can", "could", "would", "should", "will",
    "shall", "may", "might", "must", "get", "got", "go", "going", "gonna", "wanna", "thing",
    "things", "stuff", "something", "anything", "lot", "lots", "kind", "sort", "way", "think",
    "know", "mean", "say", "said", "let", "let's", "that's", "what's", "there's", "because",
    "while", "after", "before", "though", "although", "yes", "right", "sure", "only", "even",
    "still", "more", "most", "much", "many", "other", "another", "such", "both", "either",
    "neither", "one", "own", "same", "whatever", "maybe", "probably", "pretty", "quite",
    "um", "uh", "yeah", "okay", "ok", "hmm", "oh", "guess", "then", "now",
];

/// Words that negate the claim that follows them.
pub const NEGATORS: &[&str] = &[
    "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't",
    "won't", "can't", "cannot", "shouldn't", "wouldn't", "couldn't", "hasn't", "haven't",
    "nor", "neither", "without",
];

/// Words right after a claim that negate it ("template free").
pub const POST_NEGATORS: &[&str] = &["free", "less"];

/// Common verbs: with the stopwords, the words that make a list into a sentence.
pub const COMMON_VERBS: &[&str] = &[
    "use", "uses", "used", "using", "need", "needs", "want", "run", "runs", "set", "make", "makes",
    "keep", "keeps", "give", "gives", "take", "takes", "put", "check", "checks", "look", "see",
    "find", "start", "stop", "add", "works", "work", "happen", "happens", "means", "lets", "call",
    "calls", "store", "stores", "send", "sends", "create", "creates", "deploy", "deploys", "scale",
    "scales", "pick", "choose", "prefer", "handle", "handles", "help", "helps", "build", "builds",
    "tell", "tells", "show", "shows", "try", "move", "change", "changes", "fail", "fails", "allow",
    "allows", "gets", "goes", "comes", "come", "write", "writes", "read", "reads", "turn", "turns",
];

/// Auxiliaries that may stand between a negator and the negated claim.
pub const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "be", "do", "does", "really", "actually", "necessarily", "always",
    "a", "an", "the", "any",
    "truly", "fully", "strictly",
];

/// Cues in a sentence that the speaker is describing a wrong claim, not making it.
pub const DISOWN_CUES: &[&str] = &[
    "misconception", "myth", "mistake", "people think", "people assume", "people believe",
    "wrongly", "it's wrong", "is wrong", "contrary", "misunderstanding", "not true", "false",
    "common trap", "a trap", "gotcha",
];

/// Cues that the candidate does not know the answer.
pub const DONT_KNOW_CUES: &[&str] = &[
    "i don't know", "i do not know", "i dont know", "no idea", "not sure", "i'm not sure",
    "never heard", "not familiar", "no clue", "can't remember", "don't remember", "i forget",
    "i forgot", "haven't used", "never used", "i'll pass", "pass on this", "skip this",
    "no experience with", "don't really know", "i have no",
];

pub const UNITS: &[(&str, u64)] = &[
    ("zero", 0), ("oh", 0), ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5),
    ("six", 6), ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11),
    ("twelve", 12), ("thirteen", 13), ("fourteen", 14), ("fifteen", 15), ("sixteen", 16),
    ("seventeen", 17), ("eighteen", 18), ("nineteen", 19),
];

pub const TENS: &[(&str, u64)] = &[
    ("twenty", 20), ("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60),
    ("seventy", 70), ("eighty", 80), ("ninety", 90),
];

pub const SCALES: &[(&str, u64)] = &[("hundred", 100), ("thousand", 1_000), ("million", 1_000_000)];

/// Misheard or spaced-out jargon → canonical single token. Spoken forms are
/// matched after lowercasing, punctuation splitting and number conversion.
pub const JARGON: &[(&str, &[&str])] = &[
    ("kubectl", &["kube control", "kube cuddle", "cube control", "cube cuddle", "kube ctl",
        "kube c t l", "kubecontrol", "kubecuddle", "cubecontrol", "kubectrl", "kube cuttle",
        "kubecuttle", "cube ctl", "kube see tee el", "kubectl's"]),
    ("kubernetes", &["k8s", "k 8 s", "kates", "k eights", "kube", "cooper netties", "kubernetes's"]),
    ("terraform", &["terra form", "terraforms"]),
    ("terragrunt", &["terra grunt"]),
    ("dynamodb", &["dynamo db", "dynamo d b", "dynamo", "dynamo database"]),
    ("argocd", &["argo cd", "argo c d", "argo see dee", "argo"]),
    ("configmap", &["config map", "configmaps", "config maps", "configuration map"]),
    ("cloudformation", &["cloud formation", "cfn"]),
    ("cloudfront", &["cloud front"]),
    ("cloudtrail", &["cloud trail"]),
    ("cloudwatch", &["cloud watch"]),
    ("eks", &["e k s"]),
    ("ecs", &["e c s"]),
    ("ecr", &["e c r"]),
    ("ec2", &["ec 2", "e c 2", "e c two", "ec two"]),
    ("s3", &["s 3", "s three", "s3's"]),
    ("vpc", &["v p c"]),
    ("alb", &["a l b"]),
    ("nlb", &["n l b"]),
    ("clb", &["c l b"]),
    ("nacl", &["n a c l", "nackle", "knackle", "nackles", "knackles", "network acl", "network a c l", "nacls"]),
    ("iam", &["i a m"]),
    ("irsa", &["i r s a"]),
    ("oidc", &["o i d c", "open id connect", "openid connect"]),
    ("rbac", &["r back", "are back", "r b a c"]),
    ("hpa", &["h p a"]),
    ("vpa", &["v p a"]),
    ("pvc", &["p v c"]),
    ("pdb", &["p d b"]),
    ("rto", &["r t o"]),
    ("rpo", &["r p o"]),
    ("slo", &["s l o"]),
    ("sli", &["s l i"]),
    ("sla", &["s l a"]),
    ("sbom", &["s bomb", "ess bomb", "s b o m", "esbom"]),
    ("sast", &["s a s t"]),
    ("cicd", &["ci cd", "c i c d", "ci and cd", "ci slash cd"]),
    ("gitops", &["git ops"]),
    ("devops", &["dev ops"]),
    ("karpenter", &["carpenter"]),
    ("kustomize", &["customize", "kustomise", "customise"]),
    ("helmfile", &["helm file"]),
    ("systemd", &["system d", "systemd's"]),
    ("systemctl", &["system control", "system ctl", "systemctl's", "system cuddle"]),
    ("journalctl", &["journal control", "journal ctl", "journal cuddle"]),
    ("crashloopbackoff", &["crash loop back off", "crash loop backoff", "crashloop backoff", "crash loop"]),
    ("imagepullbackoff", &["image pull back off", "image pull backoff", "imagepull backoff"]),
    ("oomkilled", &["oom killed", "o o m killed", "oom kill", "out of memory killed"]),
    ("p99", &["p 99"]),
    ("p95", &["p 95"]),
    ("p50", &["p 50"]),
    ("t3a", &["t 3 a"]),
    ("t4g", &["t 4 g"]),
    ("route53", &["route 53"]),
    ("grpc", &["g r p c"]),
    ("nginx", &["engine x", "engine-x"]),
    ("github", &["git hub"]),
    ("gitlab", &["git lab"]),
    ("tfsec", &["tf sec"]),
    ("tflint", &["tf lint"]),
    ("etcd", &["e t c d", "etc d", "et cetera d"]),
    ("prometheus", &["promethius", "prometheous"]),
    ("elasticache", &["elasti cache", "elastic cache"]),
    ("percent", &["%", "per cent", "percentage"]),
    ("hpa", &["horizontal pod autoscaler", "horizontal pod autoscaling", "horizontal pod auto scaler"]),
    ("vpa", &["vertical pod autoscaler", "vertical pod autoscaling"]),
    ("pdb", &["pod disruption budget"]),
];
