//! Words said over a question that neither barge in nor run into its end:
//! a short "Skip." in the middle of a long follow-up is too brief to stop
//! the interviewer, and too early to be kept as the answer's start when
//! listening begins — it was lost, and the candidate sat in silence (found
//! by hand, 2026-12-07). The last such utterance over the question's line is
//! set aside here, and heard as a possible command when the line ends.
//!
//! Pure: one call per 30-ms frame with whether it is loud voice (the VAD's
//! speech, above the echo); no clock, no I/O.

/// Frames of quiet that end an utterance: 400 ms.
const GAP: u32 = 13;
/// Loud frames an utterance needs (fewer are a click or a breath): 150 ms.
const MIN_LOUD: u32 = 5;
/// Longest utterance set aside: 1.5 s (longer is talk, which barges in, or
/// the room's echo).
pub(super) const MAX_FRAMES: u32 = 50;

/// Samples in a 30-ms frame.
const FRAME: u64 = 480;

/// An utterance being heard: where it began, where its last loud frame
/// ended, how many loud frames, quiet frames since.
#[derive(Debug, Clone, Copy)]
struct Open {
    start: u64,
    end: u64,
    loud: u32,
    quiet: u32,
}

#[derive(Debug, Default)]
pub(super) struct Aside {
    on: bool,
    open: Option<Open>,
}

/// A finished utterance: sample positions of its first and last loud frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub start: u64,
    pub end: u64,
}

impl Aside {
    /// A new line of the interviewer: only a question's line is watched.
    pub(super) fn start(&mut self, on: bool) {
        *self = Aside { on, open: None };
    }

    /// Stops watching (the voice was taken another way: a barge-in).
    pub(super) fn clear(&mut self) {
        self.start(false);
    }

    /// Watches afresh (listening, or a turn took the words so far).
    pub(super) fn restart(&mut self) {
        self.start(true);
    }

    /// An utterance is being heard.
    pub(super) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Where the utterance being heard began, if one is.
    pub(super) fn open_start(&self) -> Option<u64> {
        self.open.map(|o| o.start)
    }

    /// One frame ending at sample `end`; returns an utterance that just
    /// ended (a quiet 400 ms after it).
    pub(super) fn push(&mut self, loud: bool, end: u64) -> Option<Span> {
        if !self.on {
            return None;
        }
        match (&mut self.open, loud) {
            (None, false) => None,
            (None, true) => {
                self.open = Some(Open {
                    start: end - FRAME,
                    end,
                    loud: 1,
                    quiet: 0,
                });
                None
            }
            (Some(o), true) => {
                o.end = end;
                o.loud += 1;
                o.quiet = 0;
                None
            }
            (Some(o), false) => {
                o.quiet += 1;
                if o.quiet > GAP {
                    self.finish()
                } else {
                    None
                }
            }
        }
    }

    /// The line ended: the utterance in progress, if it counts.
    pub(super) fn finish(&mut self) -> Option<Span> {
        let o = self.open.take()?;
        let frames = (o.end - o.start) / FRAME;
        (o.loud >= MIN_LOUD && frames <= u64::from(MAX_FRAMES)).then_some(Span {
            start: o.start,
            end: o.end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds (loud, frames) runs from position 0; the spans that ended.
    fn feed(a: &mut Aside, runs: &[(bool, u32)]) -> Vec<Span> {
        let mut pos = 0;
        let mut out = Vec::new();
        for &(loud, n) in runs {
            for _ in 0..n {
                pos += FRAME;
                out.extend(a.push(loud, pos));
            }
        }
        out
    }

    fn on() -> Aside {
        let mut a = Aside::default();
        a.start(true);
        a
    }

    #[test]
    fn a_short_word_is_set_aside_once_the_quiet_after_it_is_heard() {
        let mut a = on();
        let spans = feed(&mut a, &[(false, 60), (true, 8), (false, 20)]);
        assert_eq!(
            spans,
            vec![Span {
                start: 60 * FRAME,
                end: 68 * FRAME
            }]
        );
        assert_eq!(a.finish(), None);
    }

    #[test]
    fn short_gaps_join_words_and_the_line_end_closes_one() {
        let mut a = on();
        // "Skip" (4), a stop (5), "it" (3): one utterance, still open.
        assert!(feed(&mut a, &[(true, 4), (false, 5), (true, 3), (false, 2)]).is_empty());
        assert_eq!(
            a.finish(),
            Some(Span {
                start: 0,
                end: 12 * FRAME
            })
        );
    }

    #[test]
    fn clicks_and_long_talk_are_not_set_aside() {
        let mut a = on();
        assert!(feed(&mut a, &[(true, 3), (false, 20)]).is_empty());
        assert!(feed(&mut a, &[(true, 60), (false, 20)]).is_empty());
    }

    #[test]
    fn a_restart_forgets_words_a_turn_took_and_watches_on() {
        let mut a = on();
        feed(&mut a, &[(true, 4)]);
        assert!(a.is_open());
        a.restart();
        assert!(!a.is_open());
        assert_eq!(feed(&mut a, &[(true, 6), (false, 14)]).len(), 1);
    }

    #[test]
    fn nothing_is_watched_off_a_question_or_after_a_clear() {
        let mut a = Aside::default();
        assert!(feed(&mut a, &[(true, 8), (false, 20)]).is_empty());
        let mut a = on();
        feed(&mut a, &[(true, 8)]);
        a.clear();
        assert_eq!(a.finish(), None);
    }
}
