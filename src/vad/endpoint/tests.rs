use super::*;

/// Drives the endpointer with a speech pattern given in milliseconds:
/// `(speech?, duration_ms)`; returns the events with their frame positions.
fn drive(e: &mut Endpointer, pattern: &[(bool, u64)]) -> Vec<EndpointEvent> {
    let mut pos = 0u64;
    let mut out = Vec::new();
    for &(speech, ms) in pattern {
        for _ in 0..(ms * MS / FRAME as u64) {
            pos += FRAME as u64;
            out.extend(e.push(speech, pos));
        }
    }
    out
}

fn ended(ev: &[EndpointEvent]) -> Option<(u64, u64)> {
    ev.iter().find_map(|e| match e {
        EndpointEvent::TurnEnded {
            speech_end,
            decided,
        } => Some((*speech_end / MS, *decided / MS)),
        _ => None,
    })
}

fn endpointer(expected_s: u32) -> Endpointer {
    let mut e = Endpointer::new(EndpointConfig::default());
    e.reset(expected_s);
    e
}

#[test]
fn a_cough_does_not_open_a_turn() {
    let mut e = endpointer(60);
    let ev = drive(&mut e, &[(false, 500), (true, 90), (false, 5_000)]);
    assert!(ev.is_empty(), "{ev:?}");
}

#[test]
fn start_includes_pre_roll() {
    let mut e = endpointer(60);
    let ev = drive(&mut e, &[(false, 1_000), (true, 300)]);
    let EndpointEvent::SpeechStarted { start } = ev[0] else {
        panic!("{ev:?}")
    };
    // speech began at 1000 ms, minus 300 ms of pre-roll
    assert!((start / MS).abs_diff(700) <= 30, "{}", start / MS);
}

fn started_at(ev: &[EndpointEvent]) -> u64 {
    match ev.first() {
        Some(EndpointEvent::SpeechStarted { start }) => *start / MS,
        _ => panic!("{ev:?}"),
    }
}

/// "Skip this one." as Silero hears espeak-ng say it: "Ski" is speech for
/// three frames, the stop before "this" silence, then a weak frame. The
/// turn starts before "Skip", not 300 ms before "this" (which cut the "S"
/// and Whisper heard "Keep this one." or "This one.").
#[test]
fn a_short_first_word_before_a_stop_starts_the_turn() {
    let mut e = endpointer(60);
    let ev = drive(
        &mut e,
        &[
            (false, 1_140),
            (true, 90),
            (false, 60),
            (true, 30),
            (false, 30),
            (true, 600),
        ],
    );
    assert!(started_at(&ev).abs_diff(840) <= 30, "{ev:?}");
}

/// A click or cough well before the answer does not drag its start back.
#[test]
fn speech_after_a_long_gap_starts_on_its_own() {
    let mut e = endpointer(60);
    let ev = drive(
        &mut e,
        &[(false, 1_000), (true, 90), (false, 600), (true, 300)],
    );
    assert!(started_at(&ev).abs_diff(1_390) <= 30, "{ev:?}");
}

#[test]
fn a_four_second_thinking_pause_mid_answer_does_not_end_the_turn() {
    let mut e = endpointer(90);
    let ev = drive(
        &mut e,
        &[
            (true, 20_000),
            (false, 4_000),
            (true, 20_000),
            (false, 8_000),
        ],
    );
    let ends: Vec<_> = ev
        .iter()
        .filter(|x| matches!(x, EndpointEvent::TurnEnded { .. }))
        .collect();
    assert_eq!(ends.len(), 1, "{ev:?}");
    let (speech_end, decided) = ended(&ev).unwrap();
    assert!(speech_end.abs_diff(44_000) <= 100, "{speech_end}");
    assert!(
        decided - speech_end <= 4_600,
        "ended {} ms after speech",
        decided - speech_end
    );
}

#[test]
fn pauses_commit_chunks_for_transcription_while_the_answer_goes_on() {
    let mut e = endpointer(60);
    let ev = drive(
        &mut e,
        &[
            (true, 5_000),
            (false, 1_000),
            (true, 5_000),
            (false, 1_000),
            (true, 3_000),
            (false, 9_000),
        ],
    );
    let commits: Vec<(u64, u64)> = ev
        .iter()
        .filter_map(|x| match x {
            EndpointEvent::Commit { start, end } => Some((*start, *end)),
            _ => None,
        })
        .collect();
    assert_eq!(commits.len(), 3, "{ev:?}");
    for w in commits.windows(2) {
        assert_eq!(w[0].1, w[1].0, "commits are contiguous");
    }
    assert!(matches!(ev.last(), Some(EndpointEvent::TurnEnded { .. })));
}

#[test]
fn long_speech_without_pauses_is_committed_in_pieces_under_thirty_seconds() {
    let mut e = endpointer(180);
    let mut pattern = Vec::new();
    for _ in 0..12 {
        pattern.push((true, 5_000));
        pattern.push((false, 180)); // breaths, shorter than a commit pause
    }
    pattern.push((false, 8_000));
    let ev = drive(&mut e, &pattern);
    let commits: Vec<u64> = ev
        .iter()
        .filter_map(|x| match x {
            EndpointEvent::Commit { start, end } => Some((end - start) / MS),
            _ => None,
        })
        .collect();
    assert!(commits.len() >= 5, "{commits:?}");
    assert!(commits.iter().all(|&c| c <= 25_300), "{commits:?}");
}

#[test]
fn trailing_conjunction_buys_time_and_closing_phrase_ends_sooner() {
    let mut e = endpointer(30);
    drive(&mut e, &[(true, 15_000)]);
    e.set_tail("we moved the state to S3 and");
    assert_eq!(
        e.patience_ms(15_000),
        EndpointConfig::default().thinking_silence_ms
    );
    e.set_tail("we moved the state to S3. That's it.");
    assert_eq!(
        e.patience_ms(15_000),
        EndpointConfig::default().closing_silence_ms
    );
    e.set_tail("we moved the state to S3 with native locking.");
    assert_eq!(
        e.patience_ms(15_000),
        EndpointConfig::default().end_silence_ms
    );
}

#[test]
fn a_turn_that_is_just_a_command_ends_after_a_short_silence() {
    let mut e = endpointer(90);
    e.set_tail("Pause.");
    e.set_command(true);
    let ev = drive(&mut e, &[(true, 600), (false, 3_000)]);
    let (speech_end, decided) = ended(&ev).expect("ended");
    let closing = EndpointConfig::default().closing_silence_ms;
    assert!(decided - speech_end <= closing + 30, "{ev:?}");
    e.reset(90);
    e.set_tail("Pause.");
    let ev = drive(&mut e, &[(true, 600), (false, 3_000)]);
    assert_eq!(ended(&ev), None, "an answer's first word waits as a pause");
}

#[test]
fn early_in_a_long_answer_pauses_are_thinking() {
    let e = endpointer(120);
    assert_eq!(
        e.patience_ms(10_000),
        EndpointConfig::default().thinking_silence_ms
    );
    assert_eq!(
        e.patience_ms(60_000),
        EndpointConfig::default().end_silence_ms
    );
}

#[test]
fn hold_keeps_the_turn_open_until_released() {
    let mut e = endpointer(30);
    drive(&mut e, &[(true, 10_000)]);
    e.hold(true);
    let ev = drive(&mut e, &[(false, 20_000)]);
    assert!(ended(&ev).is_none());
    e.hold(false);
    let ev = drive(&mut e, &[(false, 100)]);
    assert!(ended(&ev).is_some());
}

#[test]
fn push_to_talk_opens_a_turn_that_silence_does_not_end_until_the_key_again() {
    let mut e = endpointer(30);
    let ev = e.open(16_000);
    assert_eq!(
        ev,
        vec![EndpointEvent::SpeechStarted {
            start: 16_000 - 300 * MS
        }]
    );
    assert!(e.in_turn());
    let mut pos = 16_000;
    for _ in 0..1_000 {
        pos += FRAME as u64;
        assert!(
            ended(&e.push(false, pos)).is_none(),
            "silence ended a held turn"
        );
    }
    let ev = e.force_end(pos);
    assert!(ended(&ev).is_some());
    assert!(!e.in_turn());
    // The key does not stick: the next turn ends on silence again.
    e.reset(30);
    let ev = drive(&mut e, &[(true, 5_000), (false, 10_000)]);
    assert!(ended(&ev).is_some());
}

#[test]
fn force_end_without_a_turn_does_nothing() {
    let mut e = endpointer(30);
    assert!(e.force_end(1_000).is_empty());
    assert!(!e.in_turn());
}

#[test]
fn the_result_does_not_depend_on_where_a_pause_falls_between_frames() {
    // Same pattern shifted by a fraction of a frame: same decision within one frame.
    let a = ended(&drive(
        &mut endpointer(60),
        &[(false, 300), (true, 30_000), (false, 10_000)],
    ))
    .unwrap();
    let b = ended(&drive(
        &mut endpointer(60),
        &[(false, 330), (true, 30_000), (false, 10_000)],
    ))
    .unwrap();
    assert!(a.1.abs_diff(b.1) <= 60, "{a:?} {b:?}");
}

/// Each stretch of a turn's audio is committed for transcription exactly
/// once: the commits of a turn tile it from its start to past its last
/// speech, with no overlap (doubled words) and no gap (lost words), whatever
/// the pattern of speech and pauses.
#[test]
fn commits_tile_each_turn_exactly_once_whatever_the_pauses() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rand = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for case in 0..300 {
        let mut ep = Endpointer::new(EndpointConfig::default());
        ep.reset(60);
        let (mut pos, mut speech) = (0u64, false);
        let mut turn: Option<(u64, u64)> = None; // (start, committed to)
        let mut turns = 0;
        let mut check = |events: Vec<EndpointEvent>, turn: &mut Option<(u64, u64)>| {
            for e in events {
                match e {
                    EndpointEvent::SpeechStarted { start } => {
                        assert!(turn.is_none(), "case {case}: a turn inside a turn");
                        *turn = Some((start, start));
                    }
                    EndpointEvent::Commit { start, end } => {
                        let (_, to) = turn.as_mut().expect("commit outside a turn");
                        assert_eq!(start, *to, "case {case}: gap or overlap at {start}");
                        assert!(end > start);
                        *to = end;
                    }
                    EndpointEvent::TurnEnded { speech_end, .. } => {
                        let (_, to) = turn.take().expect("end outside a turn");
                        assert!(
                            to >= speech_end,
                            "case {case}: speech after the last commit"
                        );
                        turns += 1;
                    }
                    // No end-of-turn model here: its checks go unanswered.
                    EndpointEvent::CheckTurn { .. } => {}
                }
            }
        };
        for _ in 0..(5 + rand(40)) {
            speech = !speech;
            // Runs of 30 ms to 9 s.
            let frames = 1 + rand(if speech { 300 } else { 150 });
            for _ in 0..frames {
                pos += FRAME as u64;
                let ev = ep.push(speech, pos);
                check(ev, &mut turn);
            }
        }
        let ev = ep.force_end(pos);
        check(ev, &mut turn);
        assert!(turn.is_none());
        let _ = turns;
    }
}

mod with_turn_policy {
    use super::*;
    use crate::turn::TurnPolicy;

    fn ep(expected_s: u32) -> Endpointer {
        let mut e =
            Endpointer::new(EndpointConfig::default()).with_turn_policy(TurnPolicy::default());
        e.reset(expected_s);
        e
    }

    /// Drives silence frame by frame after `pos`, answering every check
    /// with `p` and reporting the transcript `tail` as current after each
    /// commit. Returns all events and the position the turn ended at.
    fn silence(
        e: &mut Endpointer,
        mut pos: u64,
        ms: u64,
        p: f32,
        tail: &str,
    ) -> (Vec<EndpointEvent>, Option<u64>) {
        let mut out = Vec::new();
        for _ in 0..(ms * MS / FRAME as u64) {
            pos += FRAME as u64;
            let mut ev = e.push(false, pos);
            let mut i = 0;
            while i < ev.len() {
                match ev[i] {
                    EndpointEvent::CheckTurn { end, .. } => {
                        let more = e.verdict(p, end, pos);
                        ev.extend(more);
                    }
                    EndpointEvent::Commit { end, .. } => e.set_tail_through(tail, end),
                    EndpointEvent::TurnEnded { decided, .. } => {
                        out.extend(ev);
                        return (out, Some(decided / MS));
                    }
                    _ => {}
                }
                i += 1;
            }
            out.extend(ev);
        }
        (out, None)
    }

    /// A question back is answered once the model calls it finished, not
    /// after a young answer's 5 s; called unfinished, it waits as an answer.
    #[test]
    fn a_question_back_ends_on_a_complete_verdict_not_a_young_answers_wait() {
        let ask = "can i assume we're on aws?";
        for (p, asked_back, within) in [
            (0.9, true, 480..=700),
            (0.9, false, 4_900..=5_100),
            (0.05, true, 6_400..=6_600),
        ] {
            let mut e = ep(90);
            drive(&mut e, &[(true, 2_000)]);
            e.set_tail(ask);
            e.set_asked_back(asked_back);
            let (ev, end) = silence(&mut e, 2_000 * MS, 8_000, p, ask);
            let end = end.expect("ended") - 2_000;
            assert!(
                within.contains(&end),
                "p {p}, asked back {asked_back}: ended {end} ms into the silence: {ev:?}"
            );
        }
    }

    #[test]
    fn a_complete_verdict_ends_a_grown_answer_within_a_second() {
        let mut e = ep(60);
        drive(&mut e, &[(true, 60_000)]);
        let (ev, end) = silence(
            &mut e,
            60_000 * MS,
            6_000,
            0.9,
            "and that is how i would do it.",
        );
        let end = end.expect("ended") - 60_000;
        assert!(
            (480..=700).contains(&end),
            "ended {end} ms into the silence"
        );
        // The first check came at 250 ms, and the last words were committed.
        assert!(ev
            .iter()
            .any(|x| matches!(x, EndpointEvent::CheckTurn { .. })));
        assert!(ev.iter().any(|x| matches!(x, EndpointEvent::Commit { .. })));
    }

    #[test]
    fn an_incomplete_verdict_or_trailing_words_wait_for_today_s_rules() {
        let mut e = ep(60);
        drive(&mut e, &[(true, 60_000)]);
        let (_, end) = silence(
            &mut e,
            60_000 * MS,
            10_000,
            0.05,
            "the scheduler picks a node.",
        );
        assert_eq!(end.map(|d| (d - 60_000) / 100), Some(45));
        let mut e = ep(60);
        drive(&mut e, &[(true, 60_000)]);
        let (_, end) = silence(
            &mut e,
            60_000 * MS,
            10_000,
            0.95,
            "the scheduler picks a node, and",
        );
        assert_eq!(end.map(|d| (d - 60_000) / 100), Some(65));
    }

    #[test]
    fn hold_asks_nothing_and_never_ends() {
        let mut e = ep(60);
        drive(&mut e, &[(true, 60_000)]);
        e.hold(true);
        let (ev, end) = silence(&mut e, 60_000 * MS, 20_000, 0.99, "that's it.");
        assert!(end.is_none());
        assert!(!ev
            .iter()
            .any(|x| matches!(x, EndpointEvent::CheckTurn { .. })));
    }

    #[test]
    fn a_verdict_from_before_the_speech_resumed_is_ignored() {
        let mut e = ep(60);
        drive(&mut e, &[(true, 60_000), (false, 300)]);
        let checked = (60_000 + 300) * MS;
        drive_from(&mut e, checked, &[(true, 2_000), (false, 100)]);
        assert!(e.verdict(0.99, checked, checked + 2_100 * MS).is_empty());
        let (_, end) = silence(&mut e, checked + 2_100 * MS, 1_000, 0.0, "more words");
        assert!(end.is_none(), "the stale verdict must not end the turn");
    }

    fn drive_from(e: &mut Endpointer, mut pos: u64, pattern: &[(bool, u64)]) {
        for &(speech, ms) in pattern {
            for _ in 0..(ms * MS / FRAME as u64) {
                pos += FRAME as u64;
                e.push(speech, pos);
            }
        }
    }
}

#[test]
fn cues_read_the_last_words() {
    use crate::turn::Cue;
    assert_eq!(cue("it scales out, and"), Cue::Trailing);
    assert_eq!(cue("there are two ways to do it."), Cue::Trailing);
    assert_eq!(cue("i would use a canary. so yeah."), Cue::Closing);
    assert_eq!(cue("pods restart. overall, it is safe."), Cue::Summing);
    assert_eq!(cue("pods restart. overallocation is bad."), Cue::Neutral);
    assert_eq!(cue("the scheduler picks a node."), Cue::Neutral);
    // A sentence may end with "that", "then", "first": a full stop says it did.
    assert_eq!(
        cue("lots of tiny files, and df -i shows that."),
        Cue::Neutral
    );
    assert_eq!(cue("i'd drain the node first."), Cue::Neutral);
    assert_eq!(cue("i think so."), Cue::Neutral);
    assert_eq!(cue("and then we moved that"), Cue::Trailing);
    assert_eq!(cue("we restart it and then"), Cue::Trailing);
    // Words that never end a sentence trail even with one.
    assert_eq!(cue("we checked the logs and."), Cue::Trailing);
    assert_eq!(cue("it writes to the."), Cue::Trailing);
}

/// Frames from `from` (a sample position) on, `ms` long, all speech or not.
fn frames(e: &mut Endpointer, from: u64, ms: u64, speech: bool) -> (u64, Vec<EndpointEvent>) {
    let mut pos = from;
    let mut out = Vec::new();
    for _ in 0..(ms * MS / FRAME as u64) {
        pos += FRAME as u64;
        out.extend(e.push(speech, pos));
    }
    (pos, out)
}

#[test]
fn a_voice_heard_going_on_moves_the_turns_start_back_but_opens_none() {
    let started = |ev: &[EndpointEvent]| match ev.first() {
        Some(EndpointEvent::SpeechStarted { start }) => *start,
        other => panic!("{other:?}"),
    };
    // Idle: nothing opens; the turn the VAD opens next starts there.
    let mut e = endpointer(60);
    let (pos, _) = frames(&mut e, 0, 3_000, false);
    assert!(e.start_no_later_than(pos - 500 * MS).is_empty());
    assert!(!e.in_turn());
    let (pos2, _) = frames(&mut e, pos, 300, false);
    let (_, ev) = frames(&mut e, pos2, 300, true);
    assert_eq!(started(&ev), pos - 500 * MS);
    // Not a turn opened long after.
    let mut e = endpointer(60);
    e.start_no_later_than(0);
    let (pos, _) = frames(&mut e, 0, 3_000, false);
    let (_, ev) = frames(&mut e, pos, 300, true);
    assert!(started(&ev) > 0);
    // Open already, nothing committed: moved earlier.
    let mut e = endpointer(60);
    let (pos, _) = frames(&mut e, 0, 3_000, false);
    let (_, ev) = frames(&mut e, pos, 300, true);
    let earlier = started(&ev) - 300 * MS;
    assert_eq!(started(&e.start_no_later_than(earlier)), earlier);
}
