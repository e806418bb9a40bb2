use super::*;

/// A toy tokenizer: whole words from a table are one token, "_" is its
/// own token (as in Whisper's), anything else is split into pieces of two
/// characters (the first with the space).
fn toy() -> impl FnMut(&str) -> Option<Vec<i32>> {
    let mut table: HashMap<String, i32> = HashMap::new();
    for (i, w) in [" load", " average", " the", " cube", " for", "_"]
        .iter()
        .enumerate()
    {
        table.insert(w.to_string(), i as i32);
    }
    fn pieces(table: &mut HashMap<String, i32>, s: &str) -> Vec<i32> {
        if let Some(&t) = table.get(s) {
            return vec![t];
        }
        let mut out = Vec::new();
        let chars: Vec<char> = s.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let n = if i == 0 && chars[0] == ' ' { 3 } else { 2 };
            let piece: String = chars[i..(i + n).min(chars.len())].iter().collect();
            let next = table.len() as i32;
            out.push(*table.entry(piece).or_insert(next));
            i += n;
        }
        out
    }
    move |s: &str| {
        let mut out = Vec::new();
        for (k, part) in s.split('_').enumerate() {
            if k > 0 {
                out.push(table["_"]);
            }
            if !part.is_empty() {
                out.extend(pieces(&mut table, part));
            }
        }
        Some(out)
    }
}

fn ctx(phrases: &[(&str, f32)]) -> BiasContext {
    BiasContext {
        phrases: phrases
            .iter()
            .map(|(t, w)| BiasPhrase {
                text: t.to_string(),
                weight: *w,
            })
            .collect(),
        strength: BiasStrength {
            start: 1.0,
            cont: 3.0,
        },
    }
}

#[test]
fn phrases_of_whole_word_tokens_are_left_out() {
    let mut tok = toy();
    let trie = TokenTrie::build(&ctx(&[("load average", 1.0)]), &mut tok, 1000, 1100);
    assert!(trie.is_empty());
    assert_eq!(trie.phrase_count(), 0);
}

#[test]
fn starts_get_a_small_bonus_and_continuations_a_larger_one() {
    let mut tok = toy();
    let c = ctx(&[("kubectl", 1.0)]);
    let trie = TokenTrie::build(&c, &mut tok, 1000, 1100);
    let path = tok(" kubectl").unwrap();
    assert!(path.len() >= 3, "{path:?}");
    // Nothing decoded: only the first token of a phrase is favoured.
    let mut logits = vec![0.0f32; 1100];
    trie.apply(&[], &mut logits);
    assert_eq!(logits[path[0] as usize], 1.0);
    assert_eq!(logits[path[1] as usize], 0.0);
    // After the first token, the second gets the continuation bonus.
    let mut logits = vec![0.0f32; 1100];
    trie.apply(&path[..1], &mut logits);
    assert_eq!(logits[path[1] as usize], 3.0);
    assert_eq!(logits[path[2] as usize], 0.0);
    // A timestamp in between breaks the phrase.
    let mut logits = vec![0.0f32; 1100];
    trie.apply(&[path[0], 1050], &mut logits);
    assert_eq!(logits[path[1] as usize], 0.0);
}

#[test]
fn a_phrase_that_cannot_complete_gets_nothing_more() {
    let mut tok = toy();
    let trie = TokenTrie::build(&ctx(&[("kubectl", 1.0)]), &mut tok, 1000, 1100);
    let path = tok(" kubectl").unwrap();
    let other = tok(" kubXYZ").unwrap();
    assert_eq!(path[0], other[0]);
    assert_ne!(path[1], other[1]);
    // " kub" + "XY": off the trie, so "ct" is not favoured.
    let mut logits = vec![0.0f32; 1100];
    trie.apply(&other[..2], &mut logits);
    assert_eq!(logits[path[2] as usize], 0.0);
}

#[test]
fn weights_scale_the_bonus_and_the_highest_wins() {
    let mut tok = toy();
    let trie = TokenTrie::build(
        &ctx(&[("kuadm", 0.5), ("kubectl", 1.0)]),
        &mut tok,
        1000,
        1100,
    );
    let a = tok(" kuadm").unwrap();
    let b = tok(" kubectl").unwrap();
    assert_eq!(a[0], b[0]);
    let mut logits = vec![0.0f32; 1100];
    trie.apply(&a[..1], &mut logits);
    assert_eq!(logits[a[1] as usize], 1.5);
    assert_eq!(logits[b[1] as usize], 3.0);
    let mut logits = vec![0.0f32; 1100];
    trie.apply(&[], &mut logits);
    assert_eq!(logits[a[0] as usize], 1.0);
}

#[test]
fn suppressed_tokens_stay_suppressed() {
    let mut tok = toy();
    let trie = TokenTrie::build(&ctx(&[("kubectl", 1.0)]), &mut tok, 1000, 1100);
    let path = tok(" kubectl").unwrap();
    let mut logits = vec![0.0f32; 1100];
    logits[path[0] as usize] = f32::NEG_INFINITY;
    trie.apply(&[], &mut logits);
    assert_eq!(logits[path[0] as usize], f32::NEG_INFINITY);
}

#[test]
fn capitalised_and_plural_spellings_are_paths_too() {
    let v = variants("kubectl");
    assert_eq!(v, [" kubectl", " Kubectl"]);
    let v = variants("ConfigMap");
    assert_eq!(v, [" ConfigMap", " ConfigMaps"]);
    assert_eq!(variants("EKS"), [" EKS"]);
}

#[test]
fn a_whole_word_that_starts_a_joined_term_gets_only_the_start_bonus_after_it() {
    let mut tok = toy();
    let c = ctx(&[("for_each", 1.0), ("kube_proxy", 1.0)]);
    let trie = TokenTrie::build(&c, &mut tok, 1000, 1100);
    let for_ = tok(" for").unwrap();
    let under = tok("_").unwrap()[0];
    assert_eq!(for_.len(), 1);
    // After " for" (a word of its own) the joiner gets the start bonus only.
    let mut logits = vec![0.0f32; 1100];
    trie.apply(&for_, &mut logits);
    assert_eq!(logits[under as usize], 1.0);
    // After the first piece of a word that is no word ("kube"), the
    // continuation keeps the larger bonus.
    let kube = tok(" kube_proxy").unwrap();
    let mut logits = vec![0.0f32; 1100];
    trie.apply(&kube[..1], &mut logits);
    assert_eq!(logits[kube[1] as usize], 3.0);
}
