//! Barge-in: has the candidate started talking over the interviewer?
//!
//! With no headphones the microphone also hears the interviewer's own voice,
//! so "the VAD says speech" is not enough. While the interviewer speaks, the
//! detector tracks the echo level — the loudest 300-ms window heard so far,
//! decaying slowly, measured on audio at least 300 ms old — and declares a
//! barge-in only when most frames of the last 300 ms are speech *and* their
//! level stands well above that echo and above an absolute floor. Nothing is
//! decided in the first 1.2 s of an utterance (the echo's onset would look
//! like a voice) — until the room's echo has been heard on an earlier line:
//! the level it reached is kept from line to line, so a candidate who goes
//! on talking as the next line starts (their answer was taken as over) is
//! heard within 300 ms instead of being learned as the echo. With headphones
//! (or the virtual devices in tests) the echo is nil and 300 ms of speech
//! suffice; a voice that is not much louder than the loudspeaker cannot
//! barge in, and Enter or space does it instead.
//!
//! Pure: one call per 30-ms frame with its VAD decision and RMS level; no
//! clock, no I/O.

/// Frames in the decision window (300 ms of 30-ms frames).
const WINDOW: usize = 10;

#[derive(Debug, Clone)]
pub struct BargeConfig {
    /// Speech frames needed in the window.
    pub min_speech_frames: usize,
    /// The window's level must exceed the echo level by this factor (≈ +10 dB).
    pub over_echo: f32,
    /// …and this absolute RMS (about −34 dBFS).
    pub min_rms: f32,
    /// Frames at the start of an utterance when nothing is decided.
    pub hold_off_frames: u64,
    /// Per-frame decay of the echo level (0.998: halves in about 10 s).
    pub echo_decay: f32,
}

impl Default for BargeConfig {
    fn default() -> Self {
        BargeConfig {
            min_speech_frames: 8,
            over_echo: 3.0,
            min_rms: 0.02,
            hold_off_frames: 40,
            echo_decay: 0.998,
        }
    }
}

#[derive(Debug, Clone)]
pub struct BargeIn {
    cfg: BargeConfig,
    /// The last two windows of (speech, level), oldest first once full.
    ring: [(bool, f32); 2 * WINDOW],
    next: usize,
    frames: u64,
    echo: f32,
    /// A whole line's echo has been measured (the hold-off is then moot).
    learned: bool,
}

impl BargeIn {
    pub fn new(cfg: BargeConfig) -> Self {
        BargeIn {
            cfg,
            ring: [(false, 0.0); 2 * WINDOW],
            next: 0,
            frames: 0,
            echo: 0.0,
            learned: false,
        }
    }

    /// A new utterance of the interviewer: start over.
    /// The level a frame must reach to be the candidate's voice rather than
    /// the interviewer's echo.
    pub fn echo_floor(&self) -> f32 {
        (self.echo * self.cfg.over_echo).max(self.cfg.min_rms)
    }

    /// A new line of the interviewer: the window starts over; the echo
    /// level heard on earlier lines is kept once a line was long enough to
    /// measure it.
    pub fn reset(&mut self) {
        let learned = self.learned || self.frames >= self.cfg.hold_off_frames;
        *self = BargeIn {
            echo: self.echo,
            learned,
            ..BargeIn::new(self.cfg.clone())
        };
    }

    /// One frame heard while the interviewer speaks; true: stop speaking.
    pub fn push(&mut self, speech: bool, rms: f32) -> bool {
        self.ring[self.next] = (speech, rms);
        self.next = (self.next + 1) % (2 * WINDOW);
        self.frames += 1;
        let at = |age: usize| self.ring[(self.next + 2 * WINDOW - 1 - age) % (2 * WINDOW)];
        let level = |ages: std::ops::Range<usize>| {
            let n = ages.len() as f32;
            ages.map(|a| at(a).1).sum::<f32>() / n
        };
        if self.frames >= 2 * WINDOW as u64 {
            let older = level(WINDOW..2 * WINDOW);
            self.echo = (self.echo * self.cfg.echo_decay).max(older);
        }
        let hold_off = if self.learned {
            WINDOW as u64
        } else {
            self.cfg.hold_off_frames.max(WINDOW as u64)
        };
        if self.frames < hold_off {
            return false;
        }
        let speech_frames = (0..WINDOW).filter(|&a| at(a).0).count();
        let now = level(0..WINDOW);
        speech_frames >= self.cfg.min_speech_frames
            && now >= self.cfg.min_rms
            && now >= self.echo * self.cfg.over_echo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(b: &mut BargeIn, frames: &[(bool, f32)]) -> Option<usize> {
        frames.iter().position(|&(s, r)| b.push(s, r))
    }

    #[test]
    fn speech_over_silence_barges_in_within_300_ms() {
        let mut b = BargeIn::new(BargeConfig::default());
        let mut frames = vec![(false, 0.001); 50];
        frames.extend(vec![(true, 0.1); 20]);
        let at = run(&mut b, &frames).expect("barge-in");
        assert!((50 + 7..=50 + 10).contains(&at), "{at}");
    }

    #[test]
    fn the_interviewers_own_echo_does_not_barge_in() {
        // Echo: speech-like frames whose level swings between 0.02 and 0.06.
        let mut b = BargeIn::new(BargeConfig::default());
        let echo: Vec<(bool, f32)> = (0..400)
            .map(|i| (true, 0.02 + 0.04 * ((i % 7) as f32 / 6.0)))
            .collect();
        assert_eq!(run(&mut b, &echo), None);
    }

    #[test]
    fn a_voice_well_above_the_echo_barges_in() {
        let mut b = BargeIn::new(BargeConfig::default());
        let mut frames: Vec<(bool, f32)> = (0..200).map(|_| (true, 0.03)).collect();
        frames.extend(vec![(true, 0.2); 20]);
        let at = run(&mut b, &frames).expect("barge-in");
        assert!(at >= 200, "{at}");
    }

    #[test]
    fn a_cough_is_not_a_barge_in() {
        let mut b = BargeIn::new(BargeConfig::default());
        let mut frames = vec![(false, 0.001); 50];
        frames.extend(vec![(true, 0.3); 4]);
        frames.extend(vec![(false, 0.001); 30]);
        assert_eq!(run(&mut b, &frames), None);
    }

    #[test]
    fn the_echo_onset_at_the_start_of_an_utterance_is_not_a_barge_in() {
        let mut b = BargeIn::new(BargeConfig::default());
        let mut frames = vec![(false, 0.001); 8];
        frames.extend(vec![(true, 0.08); 300]);
        assert_eq!(run(&mut b, &frames), None);
    }

    #[test]
    fn a_short_line_does_not_count_as_hearing_the_echo() {
        let mut b = BargeIn::new(BargeConfig::default());
        assert!(run(&mut b, &[(false, 0.001); 20]).is_none());
        b.reset();
        assert_eq!(run(&mut b, &[(true, 0.1); 39]), None);
    }

    /// Their answer was taken as over, the next line starts, they go on:
    /// once a line's echo was heard (here: none, as with headphones), their
    /// voice is not learned as the echo but stops the line within 300 ms.
    #[test]
    fn going_on_talking_as_the_next_line_starts_barges_in() {
        let mut b = BargeIn::new(BargeConfig::default());
        assert!(run(&mut b, &[(false, 0.001); 100]).is_none());
        b.reset();
        let mut frames = vec![(false, 0.001); 5];
        frames.extend(vec![(true, 0.1); 40]);
        let at = run(&mut b, &frames).expect("barge-in");
        assert!(at <= 5 + 10, "{at}");
    }

    /// In a room: the echo learned on one line keeps the next line's echo
    /// onset, at the same level, from counting as a voice.
    #[test]
    fn the_next_lines_echo_onset_is_not_a_barge_in() {
        let mut b = BargeIn::new(BargeConfig::default());
        let echo: Vec<(bool, f32)> = (0..200)
            .map(|i| (true, 0.02 + 0.04 * ((i % 7) as f32 / 6.0)))
            .collect();
        assert_eq!(run(&mut b, &echo), None);
        b.reset();
        let mut next = vec![(false, 0.001); 3];
        next.extend(echo);
        assert_eq!(run(&mut b, &next), None);
    }
}
