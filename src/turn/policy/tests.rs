use super::*;

/// A 90-s answer to a 90-s question, 800 ms into a silence, transcript
/// caught up, the model sure it is complete.
fn finished() -> Situation {
    Situation {
        silence_ms: 800,
        answer_ms: 90_000,
        expected_ms: 90_000,
        cue: Cue::Neutral,
        transcript_current: true,
        hold: false,
        cap_ms: 4_500,
        verdict: Some(0.9),
    }
}

fn policy() -> TurnPolicy {
    TurnPolicy::default()
}

#[test]
fn a_complete_verdict_ends_a_grown_answer_within_a_second() {
    let p = policy();
    assert!(p.ends(&finished()));
    // …but not before the settle.
    assert!(!p.ends(&Situation {
        silence_ms: 300,
        ..finished()
    }));
}

#[test]
fn an_incomplete_verdict_waits_for_the_cap() {
    let p = policy();
    let s = Situation {
        verdict: Some(0.02),
        silence_ms: 3_500,
        ..finished()
    };
    assert!(!p.ends(&s));
    assert!(p.ends(&Situation {
        silence_ms: 4_500,
        ..s
    }));
}

#[test]
fn trailing_words_outvote_the_model() {
    let s = Situation {
        cue: Cue::Trailing,
        silence_ms: 4_000,
        cap_ms: 6_500,
        ..finished()
    };
    assert!(!policy().ends(&s));
}

#[test]
fn a_young_answer_waits_unless_it_closes() {
    let young = Situation {
        answer_ms: 40_000,
        silence_ms: 3_000,
        cap_ms: 6_500,
        ..finished()
    };
    assert!(!policy().ends(&young));
    assert!(policy().ends(&Situation {
        cue: Cue::Closing,
        ..young.clone()
    }));
    assert!(policy().ends(&Situation {
        cue: Cue::Summing,
        ..young
    }));
}

#[test]
fn a_young_answer_called_complete_can_end_before_the_thinking_cap() {
    let p = TurnPolicy::new(TurnPolicyConfig {
        young_complete_ms: Some(4_000),
        ..TurnPolicyConfig::default()
    });
    let young = Situation {
        answer_ms: 10_000,
        silence_ms: 3_900,
        cap_ms: 6_500,
        ..finished()
    };
    assert!(!p.ends(&young));
    let later = Situation {
        silence_ms: 4_000,
        ..young
    };
    assert!(p.ends(&later));
    // Only on the model's word, and never over trailing words.
    assert!(!p.ends(&Situation {
        verdict: Some(0.2),
        ..later.clone()
    }));
    assert!(!p.ends(&Situation {
        cue: Cue::Trailing,
        ..later
    }));
}

#[test]
fn hold_is_never_ended_even_past_the_cap() {
    let s = Situation {
        hold: true,
        silence_ms: 60_000,
        ..finished()
    };
    assert!(!policy().ends(&s));
    assert!(!policy().should_check(1_000, 0, true));
}

#[test]
fn without_the_transcript_a_complete_verdict_waits_for_it_a_while() {
    let p = policy();
    let s = Situation {
        transcript_current: false,
        ..finished()
    };
    assert!(!p.ends(&s));
    assert!(p.ends(&Situation {
        silence_ms: 1_500,
        ..s
    }));
}

#[test]
fn the_settle_shrinks_as_the_answer_reaches_its_expected_length() {
    let p = policy();
    let need = |answer_ms: u64| {
        (0..5_000)
            .step_by(10)
            .find(|&silence_ms| {
                p.ends(&Situation {
                    silence_ms,
                    answer_ms,
                    ..finished()
                })
            })
            .unwrap()
    };
    assert_eq!(need(90_000), 500);
    assert_eq!(need(120_000), 500);
    assert!(
        need(50_000) > need(70_000),
        "{} {}",
        need(50_000),
        need(70_000)
    );
    assert!(need(50_000) <= 3_500);
}

#[test]
fn patience_scales_the_settle() {
    let p = TurnPolicy::new(TurnPolicyConfig {
        patience: 2.0,
        ..TurnPolicyConfig::default()
    });
    let s = Situation {
        answer_ms: 90_000,
        silence_ms: 900,
        ..finished()
    };
    assert!(!p.ends(&s));
    assert!(p.ends(&Situation {
        silence_ms: 1_000,
        ..s
    }));
}

#[test]
fn checks_run_at_the_configured_silences_once_each() {
    let p = policy();
    assert!(!p.should_check(200, 0, false));
    assert!(p.should_check(250, 0, false));
    assert!(!p.should_check(500, 1, false));
    assert!(p.should_check(600, 1, false));
    assert!(!p.should_check(100_000, 4, false));
}
