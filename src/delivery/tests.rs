use super::*;

fn words(text: &str) -> Vec<Word> {
    text.split_whitespace()
        .enumerate()
        .map(|(i, t)| Word {
            text: t.to_string(),
            start_ms: i as u64 * 400,
            end_ms: i as u64 * 400 + 300,
        })
        .collect()
}

#[test]
fn fillers_are_counted_only_where_they_are_fillers() {
    let w: Vec<&str> = "Um, so, I'd like to say, like, we, uh, you know, moved it. So that it works. It looks like a bug, basically."
        .split_whitespace()
        .collect();
    let c = count_fillers(&w);
    let get = |f: &str| c.iter().find(|(k, _)| k == f).map_or(0, |(_, n)| *n);
    assert_eq!(get("um"), 1);
    assert_eq!(get("uh"), 1);
    assert_eq!(get("like"), 1, "{c:?}");
    assert_eq!(get("you know"), 1);
    assert_eq!(get("basically"), 1);
    // "So," opens a sentence twice: once as "so," and once as "So that".
    assert_eq!(get("so"), 2, "{c:?}");
}

#[test]
fn pauses_are_silences_longer_than_the_threshold_inside_speech() {
    let mut s = vec![false; 10];
    s.extend(vec![true; 50]);
    s.extend(vec![false; 100]); // 3 s
    s.extend(vec![true; 2]); // a click does not split it
    s.extend(vec![false; 10]);
    s.extend(vec![true; 20]);
    s.extend(vec![false; 60]); // 1.8 s: not long
    s.extend(vec![true; 20]);
    s.extend(vec![false; 200]); // trailing silence: not a pause

    // Placed from the first word (frame 10): 50 frames in.
    assert_eq!(pauses(&s, 30, LONG_PAUSE_MS), vec![(1500, 3360)]);
}

#[test]
fn rate_and_filler_rate_use_the_voiced_duration() {
    // 60 s voiced, 150 words of which 6 fillers.
    let mut text = "word ".repeat(144);
    text.push_str("um, uh, um, like, basically, uh");
    let d = measure(&words(&text), &vec![true; 2000], Some(120_000));
    assert_eq!(d.duration_ms, 60_000);
    assert_eq!(d.words, 144);
    assert!((d.wpm - 144.0).abs() < 0.01);
    assert_eq!(d.fillers, 6);
    assert!((d.fillers_per_min - 6.0).abs() < 0.01);
    let s = d.summary();
    assert!(
        s.starts_with("144 wpm (in the 130–160 band) · 6.0 fillers/min (uh ×2, um ×2"),
        "{s}"
    );
    assert!(s.ends_with("1:00 of ~2:00 expected"), "{s}");
}
