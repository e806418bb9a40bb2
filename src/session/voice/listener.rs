//! The listening stage as an actor: its own thread owns the audio source
//! (the microphone's ring buffer, or recorded answers) and both voice
//! detectors, and hands each 30-ms frame with their verdicts to the session
//! over a bounded channel. The session never waits on the device or on a
//! VAD inference, and a slow step in the session (Whisper's last chunk, a
//! grade, the end-of-turn model) leaves capture and voice detection running.
//!
//! A source paced in real time runs free, a few frames ahead at most; one
//! read as fast as possible (`--fast`) is pulled a frame at a time, so a cue
//! ("the floor is yours": the next recorded answer starts) lands on exactly
//! the frame it did when the session read the source itself.

use super::VadKind;
use crate::audio::source::AudioSource;
use crate::audio::AudioError;
use crate::vad::{VoiceDetector, WebRtcVad, FRAME};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

/// One frame as heard.
pub(super) struct Heard {
    pub frame: [f32; FRAME],
    /// The session's VAD (Silero, or WebRTC's).
    pub speech: bool,
    /// WebRTC's decision, on which the barge-in echo guard was tuned.
    pub barge: bool,
}

enum Control {
    /// The interviewer hands over the floor (recorded answers: play the next).
    Cue,
    /// Pull mode: read one more frame.
    Next,
}

/// Frames heard, or the end of the source (`None`), or its failure.
type Message = Result<Option<Heard>, AudioError>;

/// Frames a free-running listener may be ahead of the session (0.6 s): the
/// microphone's own ring buffer holds 30 s behind it.
const AHEAD: usize = 20;

/// The handle: frames in, cues out. Dropping it ends the thread (its next
/// send fails) and with it the source.
pub(super) struct Listener {
    frames: Receiver<Message>,
    control: SyncSender<Control>,
    overruns: Arc<AtomicU64>,
    pull: bool,
}

impl Listener {
    /// Whether the source runs in real time (not pulled a frame at a time).
    pub fn paced(&self) -> bool {
        !self.pull
    }

    /// Starts the thread; returns the handle and the VAD's warnings (a
    /// missing Silero model falls back to WebRTC's), opened on the thread.
    pub fn spawn(
        mut source: Box<dyn AudioSource + Send>,
        vad: VadKind,
    ) -> Result<(Listener, Vec<String>), AudioError> {
        let pull = !source.paced();
        let (tx, frames) = sync_channel::<Message>(if pull { 0 } else { AHEAD });
        let (control, ctl) = sync_channel::<Control>(4);
        let (ready_tx, ready) = sync_channel::<Vec<String>>(1);
        let overruns = Arc::new(AtomicU64::new(0));
        let counted = overruns.clone();
        std::thread::Builder::new()
            .name("mockint-listener".into())
            .spawn(move || {
                let mut warnings = Vec::new();
                let mut detector: Box<dyn VoiceDetector> = vad.open(&mut |w| warnings.push(w));
                let mut barge = WebRtcVad::default();
                if ready_tx.send(warnings).is_err() {
                    return;
                }
                loop {
                    // Cues first: they take effect on the next frame read.
                    let mut go = !pull;
                    while !go {
                        match ctl.recv() {
                            Ok(Control::Cue) => source.cue(),
                            Ok(Control::Next) => go = true,
                            Err(_) => return,
                        }
                    }
                    while let Ok(c) = ctl.try_recv() {
                        if matches!(c, Control::Cue) {
                            source.cue();
                        }
                    }
                    let mut frame = [0.0; FRAME];
                    let msg = match source.next_frame(&mut frame) {
                        Ok(true) => Ok(Some(Heard {
                            speech: detector.is_speech(&frame),
                            barge: barge.is_speech(&frame),
                            frame,
                        })),
                        Ok(false) => Ok(None),
                        Err(e) => Err(e),
                    };
                    counted.store(source.overruns(), Ordering::Relaxed);
                    let last = !matches!(msg, Ok(Some(_)));
                    if tx.send(msg).is_err() || last {
                        return;
                    }
                }
            })
            .map_err(|e| AudioError::Device(format!("cannot start the listener: {e}")))?;
        let warnings = ready
            .recv()
            .map_err(|_| AudioError::Device("the listener ended at start".into()))?;
        Ok((
            Listener {
                frames,
                control,
                overruns,
                pull,
            },
            warnings,
        ))
    }

    /// The next frame as heard; `None` once the source has ended.
    pub fn next(&mut self) -> Result<Option<Heard>, AudioError> {
        if self.pull && self.control.send(Control::Next).is_err() {
            return Ok(None);
        }
        match self.frames.recv() {
            Ok(m) => m,
            // The thread ended after the source did.
            Err(_) => Ok(None),
        }
    }

    /// A frame already heard, without waiting; always `None` for pulled
    /// input (its "now" is whatever the session reads next).
    pub fn try_next(&mut self) -> Option<Heard> {
        if self.pull {
            return None;
        }
        self.frames.try_recv().ok().and_then(|m| m.ok().flatten())
    }

    /// The floor passes to the candidate. Never blocks: cues not yet taken
    /// are one cue (the next answer starts once).
    pub fn cue(&self) {
        let _ = self.control.try_send(Control::Cue);
    }

    /// Input samples the source dropped so far.
    pub fn overruns(&self) -> u64 {
        self.overruns.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::source::WavSource;

    fn tone(secs: f32) -> Vec<f32> {
        (0..(secs * 16_000.0) as usize)
            .map(|i| (i as f32 * 0.07).sin() * 0.3)
            .collect()
    }

    /// Pulled frames: a cue starts the next answer on the very next frame,
    /// as when the session read the source itself.
    #[test]
    fn a_cue_lands_on_the_next_frame_when_pulled() {
        let src = WavSource::from_clips(vec![tone(0.3)], true);
        let (mut l, warnings) = Listener::spawn(Box::new(src), VadKind::WebRtc).unwrap();
        assert!(warnings.is_empty());
        for _ in 0..5 {
            let h = l.next().unwrap().unwrap();
            assert!(crate::vad::rms(&h.frame) < 0.01, "noise before the cue");
        }
        l.cue();
        let h = l.next().unwrap().unwrap();
        assert!(crate::vad::rms(&h.frame) > 0.1, "the answer starts at once");
    }

    /// The source's end reaches the session, and the thread stops.
    #[test]
    fn the_end_of_the_source_is_the_end_of_frames() {
        let src = WavSource::from_clips(vec![], true);
        let (mut l, _) = Listener::spawn(Box::new(src), VadKind::WebRtc).unwrap();
        let mut n = 0;
        while l.next().unwrap().is_some() {
            n += 1;
            assert!(n < 5_000, "never ended");
        }
        assert!(l.next().unwrap().is_none());
    }
}
