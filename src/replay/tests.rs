use super::*;
use crate::audio::AudioError;
use crate::tts::TtsError;
use std::path::Path;

fn fixture() -> (SessionRecord, std::path::PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sessions/history/2026-11-23T08-00-40-kubernetes");
    let r = crate::transcript::SessionDir::open(&dir).load().unwrap();
    (r, dir)
}

#[derive(Default)]
struct Said(Vec<String>);
impl Speaker for Said {
    fn say(&mut self, text: &str) -> Result<(), TtsError> {
        self.0.push(text.to_string());
        Ok(())
    }
    fn is_speaking(&self) -> bool {
        false
    }
    fn stop(&mut self) {}
}

#[derive(Default)]
struct Played(Vec<(usize, u32)>);
impl Player for Played {
    fn play(&mut self, samples: &[f32], rate: u32) -> Result<(), AudioError> {
        self.0.push((samples.len(), rate));
        Ok(())
    }
}

#[test]
fn timeline_follows_the_events_with_answer_takes_and_times() {
    let (r, dir) = fixture();
    let t = timeline(&r, &dir);
    assert!(t[0]
        .text
        .starts_with("Session 2026-11-23T08-00-40-kubernetes started"));
    assert!(t.windows(2).all(|w| w[0].at <= w[1].at), "in time order");
    let q1: Vec<&Item> = t.iter().filter(|i| i.question == Some(0)).collect();
    assert!(matches!(q1[0].who, Who::Interviewer("Interviewer")));
    assert!(q1[0]
        .text
        .starts_with("(Question 1 of 5) What is a Cluster Autoscaler"));
    let takes: Vec<usize> = q1
        .iter()
        .filter_map(|i| match i.who {
            Who::Candidate { take, .. } => Some(take),
            _ => None,
        })
        .collect();
    assert_eq!(takes, vec![1, 2], "an answer and its follow-up answer");
    assert!(t.iter().any(|i| i.text.starts_with("Score: 3/4")));
}

#[test]
fn play_from_a_question_speaks_its_lines_and_plays_its_recordings() {
    let (r, _) = fixture();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("answers")).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(tmp.path().join("answers/q02-1.wav"), spec).unwrap();
    for i in 0..16_000 {
        w.write_sample(((i as f32 * 0.05).sin() * 8000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    let items = timeline(&r, tmp.path());
    let (mut said, mut played, mut out) = (Said::default(), Played::default(), Vec::new());
    play(
        &items,
        1,
        Pace {
            speed: 0.0,
            max_gap: 10_000,
        },
        Some(&mut said),
        Some(&mut played),
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains("Question 1 of 5"), "{text}");
    assert!(
        text.lines().next().unwrap().contains("Question 2 of 5"),
        "{text}"
    );
    assert!(text.contains("Candidate (0:"), "{text}");
    assert!(said.0[0].starts_with("(Question 2 of 5)"));
    assert!(said.0.iter().any(|s| s.contains("Question 5 of 5")));
    // Only q02-1 was recorded; at speed 0 (at once) it plays at its own rate.
    assert_eq!(played.0, vec![(16_000, 16_000)]);
}

#[test]
fn rescoring_with_the_same_bank_changes_nothing() {
    let (mut r, _) = fixture();
    let bank = crate::bank::Bank::load(&crate::bank::BankSource::resolve(None)).unwrap();
    // The record as this scorer would have written it (the fixture was
    // recorded by an earlier one)…
    for g in rescore::rescore(&r, &bank) {
        for e in r.events.iter_mut() {
            if let crate::interviewer::EventKind::Scored { index, score } = &mut e.kind {
                if *index == g.index {
                    **score = g.new.clone();
                }
            }
        }
    }
    // …rescored with the same bank, changes nothing.
    let g = rescore::rescore(&r, &bank);
    assert_eq!(g.len(), 4, "four answered questions");
    assert!(
        g.iter().all(|g| !g.changed()),
        "{:?}",
        g.iter()
            .map(|g| (g.index, g.new.rating))
            .collect::<Vec<_>>()
    );
}
