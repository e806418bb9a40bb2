//! A real audio stack for tests: a private PulseAudio server with a virtual
//! speaker (null sink) and a virtual microphone fed from a FIFO, which cpal
//! reaches through ALSA's pulse plugin — the same path a laptop takes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Clips waiting to be played, with when.
type Schedule = Arc<Mutex<Vec<(Duration, Vec<i16>)>>>;

pub struct VirtualAudio {
    pub dir: tempfile::TempDir,
    started: Instant,
    feeder: Option<std::thread::JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    queue: Schedule,
    /// Samples written to the microphone so far: its clock.
    written: Arc<std::sync::atomic::AtomicU64>,
}

impl VirtualAudio {
    pub fn env(&self) -> Vec<(&'static str, PathBuf)> {
        let d = self.dir.path();
        vec![
            ("XDG_RUNTIME_DIR", d.to_path_buf()),
            ("PULSE_RUNTIME_PATH", d.join("pulse")),
            ("PULSE_STATE_PATH", d.join("state")),
        ]
    }

    fn pactl(&self, args: &[&str]) {
        let ok = Command::new("pactl")
            .args(args)
            .envs(self.env())
            .status()
            .expect("pactl (run scripts/setup.sh)");
        assert!(ok.success(), "pactl {args:?} failed");
    }

    /// Starts the server and the microphone; the FIFO gets quiet noise until
    /// clips are scheduled with [`VirtualAudio::play_at`].
    pub fn start() -> VirtualAudio {
        let dir = tempfile::Builder::new()
            .prefix("mockint-pa")
            .tempdir()
            .unwrap();
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let mut va = VirtualAudio {
            dir,
            started: Instant::now(),
            feeder: None,
            stop: Arc::new(AtomicBool::new(false)),
            queue: Arc::new(Mutex::new(Vec::new())),
            written: Arc::new(std::sync::atomic::AtomicU64::new(0)),
        };
        let ok = Command::new("pulseaudio")
            .args([
                "-D",
                "--exit-idle-time=-1",
                "-n",
                "--load=module-null-sink sink_name=spk",
                "--load=module-native-protocol-unix",
            ])
            .envs(va.env())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("pulseaudio (run scripts/setup.sh)");
        assert!(ok.success(), "pulseaudio did not start");
        let fifo = va.dir.path().join("mic.fifo");
        va.pactl(&[
            "load-module",
            "module-pipe-source",
            "source_name=mic",
            &format!("file={}", fifo.display()),
            "format=s16le",
            "rate=16000",
            "channels=1",
        ]);
        va.pactl(&["set-default-source", "mic"]);
        va.pactl(&["set-default-sink", "spk"]);
        let (stop, queue, written) = (va.stop.clone(), va.queue.clone(), va.written.clone());
        va.started = Instant::now();
        va.feeder = Some(std::thread::spawn(move || {
            feed(&fifo, &stop, &queue, &written)
        }));
        va
    }

    /// Wall-clock time since the server started (the speaker recording's clock).
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The microphone's clock: audio written so far. It runs behind the wall
    /// clock while nobody records (the FIFO fills up), in step once a client
    /// listens; [`VirtualAudio::play_at`] times are on this clock.
    pub fn mic_clock(&self) -> Duration {
        Duration::from_micros(self.written.load(Ordering::SeqCst) * 1_000_000 / 16_000)
    }

    /// `mockint start` for a spoken Kubernetes session of `questions`
    /// questions on these devices (Whisper on one thread, the real model),
    /// its sessions under `tmp/sessions` and its folder `tmp/s`.
    pub fn kubernetes_session(&self, tmp: &Path, questions: &'static str) -> Command {
        let mut cmd = super::isolated(&tmp.join("sessions"));
        cmd.envs(self.env())
            .env("MOCKINT_WHISPER_THREADS", "1")
            .args(super::kubernetes_session(questions))
            .arg("--model")
            .arg(super::model())
            .arg("--out")
            .arg(tmp.join("s"));
        cmd
    }

    /// Waits until the microphone's clock reaches `until`; fails, showing
    /// `context()`, if it stalls for 180 s.
    pub fn wait_for_mic(&self, until: Duration, context: impl Fn() -> String) {
        let t0 = Instant::now();
        while self.mic_clock() < until {
            assert!(
                t0.elapsed() < Duration::from_secs(180),
                "the microphone stalled:\n{}",
                context()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `program` (PulseAudio's recorder) capturing the virtual speaker at
    /// 16 kHz mono, with `args`.
    fn speaker_capture(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.args(["-d", "spk.monitor", "--rate=16000", "--channels=1"])
            .args(args)
            .envs(self.env());
        c
    }

    /// Records the virtual speaker (what the interviewer said) until the
    /// returned recorder is stopped.
    pub fn record_speaker(&self, wav: &Path) -> Recorder {
        let child = self
            .speaker_capture("parecord", &["--file-format=wav"])
            .arg(wav)
            .spawn()
            .expect("parecord (run scripts/setup.sh)");
        Recorder {
            child,
            wav: wav.to_path_buf(),
            started: self.elapsed(),
        }
    }

    /// Watches the virtual speaker live: when the interviewer's voice was
    /// heard, on the microphone's clock (for words timed against a line).
    pub fn watch_speaker(&self) -> SpeakerWatch {
        let mut child = self
            .speaker_capture("parec", &["--raw", "--format=s16le", "--latency-msec=20"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("parec (run scripts/setup.sh)");
        let mut out = child.stdout.take().unwrap();
        let (loud, written) = (Arc::new(Mutex::new(Vec::new())), self.written.clone());
        let seen = loud.clone();
        let reader = std::thread::spawn(move || {
            use std::io::Read;
            let mut block = [0u8; 640];
            while out.read_exact(&mut block).is_ok() {
                let sq: f64 = block
                    .chunks_exact(2)
                    .map(|b| (f64::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0).powi(2))
                    .sum();
                if (sq / 320.0).sqrt() > 0.01 {
                    let at = written.load(Ordering::SeqCst) * 1_000_000 / 16_000;
                    seen.lock().unwrap().push(Duration::from_micros(at));
                }
            }
        });
        SpeakerWatch {
            child,
            loud,
            reader: Some(reader),
        }
    }

    /// Plays `text` (espeak-ng, US English, synthesised into `dir` as
    /// `name.wav`) into the microphone half a second from now; returns when
    /// it ends, on the microphone's clock.
    pub fn say(&self, dir: &Path, name: &str, text: &str) -> Duration {
        let wav = super::espeak(&dir.join(format!("{name}.wav")), &["-v", "en-us"], text);
        let clip = mockint::audio::load_wav(&wav).unwrap().samples;
        let at = self.mic_clock() + Duration::from_millis(500);
        self.play_at(at, &clip);
        at + Duration::from_secs_f64(clip.len() as f64 / 16_000.0)
    }

    /// Plays 16 kHz mono samples into the microphone at `at` on its clock.
    pub fn play_at(&self, at: Duration, samples: &[f32]) {
        let pcm = samples
            .iter()
            .map(|s| (s.clamp(-1.0, 1.0) * 32767.0) as i16)
            .collect();
        self.queue.lock().unwrap().push((at, pcm));
    }
}

/// Real-time writer: 20-ms blocks of noise at about −60 dBFS, or scheduled clips.
fn feed(
    fifo: &Path,
    stop: &AtomicBool,
    queue: &Mutex<Vec<(Duration, Vec<i16>)>>,
    clock: &std::sync::atomic::AtomicU64,
) {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(fifo)
        .expect("open mic fifo");
    let t0 = Instant::now();
    let mut written: u64 = 0;
    let mut playing: Option<(Vec<i16>, usize)> = None;
    let mut seed: u32 = 0x2545_f491;
    while !stop.load(Ordering::SeqCst) {
        let now = Duration::from_micros(written * 1_000_000 / 16_000);
        if playing.is_none() {
            let mut q = queue.lock().unwrap();
            if let Some(i) = q.iter().position(|(at, _)| *at <= now) {
                playing = Some((q.remove(i).1, 0));
            }
        }
        let mut block = [0i16; 320];
        for s in block.iter_mut() {
            *s = match &mut playing {
                Some((pcm, pos)) if *pos < pcm.len() => {
                    *pos += 1;
                    pcm[*pos - 1]
                }
                _ => {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    (seed % 61) as i16 - 30
                }
            };
        }
        if playing.as_ref().is_some_and(|(pcm, pos)| *pos >= pcm.len()) {
            playing = None;
        }
        let bytes: Vec<u8> = block.iter().flat_map(|s| s.to_le_bytes()).collect();
        if f.write_all(&bytes).is_err() {
            return;
        }
        written += 320;
        clock.store(written, Ordering::SeqCst);
        let due = t0 + Duration::from_micros(written * 1_000_000 / 16_000);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
}

impl Drop for VirtualAudio {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The server first: a feeder blocked on a full FIFO (nobody records)
        // then fails its write instead of waiting forever.
        let _ = Command::new("pulseaudio")
            .arg("--kill")
            .envs(self.env())
            .status();
        if let Some(t) = self.feeder.take() {
            let _ = t.join();
        }
    }
}

/// The virtual speaker watched live (see [`VirtualAudio::watch_speaker`]).
pub struct SpeakerWatch {
    child: std::process::Child,
    /// Microphone-clock times of the 20-ms blocks the speaker was loud in.
    loud: Arc<Mutex<Vec<Duration>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl SpeakerWatch {
    /// When the speaker was first loud, waiting up to `limit` for it.
    pub fn first_loud(&self, limit: Duration) -> Duration {
        let t0 = Instant::now();
        loop {
            if let Some(&t) = self.loud.lock().unwrap().first() {
                return t;
            }
            assert!(t0.elapsed() < limit, "the interviewer never spoke");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// When the speaker was last loud.
    pub fn last_loud(&self) -> Option<Duration> {
        self.loud.lock().unwrap().last().copied()
    }
}

impl Drop for SpeakerWatch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(t) = self.reader.take() {
            let _ = t.join();
        }
    }
}

/// A recording of the virtual speaker in progress.
pub struct Recorder {
    child: std::process::Child,
    wav: PathBuf,
    /// When it started, on the microphone's clock.
    pub started: Duration,
}

impl Recorder {
    /// Stops recording; returns the RMS level of each 100-ms block, on the
    /// microphone's clock (block `i` covers `started + i·100 ms`).
    pub fn stop(mut self) -> Vec<f32> {
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
        let samples = mockint::audio::load_wav(&self.wav)
            .map(|a| a.samples)
            .unwrap_or_default();
        let lead = (self.started.as_secs_f64() * 10.0) as usize;
        std::iter::repeat(0.0)
            .take(lead)
            .chain(
                samples
                    .chunks(1600)
                    .map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).sqrt()),
            )
            .collect()
    }
}

/// Speech synthesised with espeak-ng, as 16 kHz mono samples.
pub fn speech(dir: &Path, name: &str, text: &str) -> Vec<f32> {
    let wav = super::espeak(&dir.join(format!("{name}.wav")), &["-s", "150"], text);
    mockint::audio::load_wav(&wav).unwrap().samples
}

/// 10-ms RMS energy envelope of 16 kHz samples.
fn envelope(samples: &[f32]) -> Vec<f64> {
    samples
        .chunks(160)
        .map(|c| (c.iter().map(|&s| f64::from(s * s)).sum::<f64>() / c.len() as f64).sqrt())
        .collect()
}

/// How much of the speech in `clip` is missing from `audio` (both 16 kHz):
/// the clip's envelope is slid along `audio`'s (zero-padded, so a clip cut
/// at either end still finds its place) to where it correlates best, and the
/// voiced 10-ms frames of the clip with less than a third of their energy
/// there are counted. 0: every sound of the clip is in `audio` as played.
pub fn clip_missing_ms(audio: &[f32], clip: &[f32]) -> usize {
    let clip = envelope(clip);
    let loud = clip.iter().cloned().fold(0.0, f64::max) * 0.05;
    let (Some(a), Some(b)) = (
        clip.iter().position(|&e| e > loud),
        clip.iter().rposition(|&e| e > loud),
    ) else {
        return 0;
    };
    let clip = &clip[a..=b];
    let pad = vec![0.0; clip.len()];
    let audio = [&pad[..], &envelope(audio), &pad[..]].concat();
    let pearson = |x: &[f64], y: &[f64]| {
        let n = x.len() as f64;
        let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for (p, q) in x.iter().zip(y) {
            sxy += (p - mx) * (q - my);
            sxx += (p - mx) * (p - mx);
            syy += (q - my) * (q - my);
        }
        sxy / (sxx * syy).sqrt().max(1e-12)
    };
    let at = (0..=audio.len() - clip.len())
        .map(|lag| (lag, pearson(clip, &audio[lag..lag + clip.len()])))
        .fold((0, f64::MIN), |best, c| if c.1 > best.1 { c } else { best })
        .0;
    let missing = clip
        .iter()
        .zip(&audio[at..])
        .filter(|(c, a)| **c > loud && **a < **c / 3.0)
        .count();
    missing * 10
}
