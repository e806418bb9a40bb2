//! Which voice activity detector: WebRTC's (in use) against Silero (through
//! whisper.cpp's VAD), frame by frame on recorded speech with noise.
//!
//! Speech: the LibriVox readings (human) and the Piper answers of the spoken
//! DevOps set, each clip after 1–4 s of silence, so about a third of the
//! frames are not speech. Truth per 30-ms frame comes from the clean signal
//! (louder than −20 dB under the clip's loud frames). Noise is then added at a
//! given SNR: white, a low rumble (fan, traffic), keyboard clicks (typing
//! while thinking), and babble (other speech in the room, which must not
//! count). Printed per condition: ROC-AUC (WebRTC scored by how many of its
//! four modes say speech; Silero by its probability), and the true/false
//! positive rates at the operating points (WebRTC aggressive with mockint's
//! energy floor; Silero at 0.5); then each detector's speed.
//!
//! Run: `scripts/fetch-silero-vad.sh` (the Silero model, from the PyPI wheel
//! `silero-vad`), then `cargo bench --bench vad`. Without the model only
//! WebRTC is measured.

use mockint::vad::{VoiceDetector, WebRtcVad, FRAME};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Silero's context in the live (streaming) measurement: 8 × 32 ms.
const STREAM_WINDOWS: usize = 8;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
    fn gauss(&mut self) -> f32 {
        (0..4).map(|_| self.next()).sum::<f32>() - 2.0
    }
}

fn wavs(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    v
}

fn frame_rms(s: &[f32]) -> Vec<f32> {
    s.chunks(FRAME).map(mockint::vad::rms).collect()
}

/// Clips after silent gaps, and the per-frame truth.
fn assemble(clips: &[Vec<f32>], rng: &mut Rng) -> (Vec<f32>, Vec<bool>) {
    let (mut signal, mut truth) = (Vec::new(), Vec::new());
    for c in clips {
        let gap = ((1.0 + 3.0 * rng.next()) * 16_000.0) as usize / FRAME * FRAME;
        signal.extend(std::iter::repeat(0.0).take(gap));
        truth.extend(std::iter::repeat(false).take(gap / FRAME));
        let mut c = c.clone();
        c.resize(c.len().div_ceil(FRAME) * FRAME, 0.0);
        let rms = frame_rms(&c);
        let mut sorted = rms.clone();
        sorted.sort_by(f32::total_cmp);
        let loud = sorted[sorted.len() * 95 / 100];
        truth.extend(rms.iter().map(|&r| r > loud * 0.1));
        signal.extend_from_slice(&c);
    }
    (signal, truth)
}

fn noise(kind: &str, len: usize, others: &[Vec<f32>], rng: &mut Rng) -> Vec<f32> {
    match kind {
        "white" => (0..len).map(|_| rng.gauss()).collect(),
        "rumble" => {
            let mut y = 0.0f32;
            (0..len)
                .map(|_| {
                    y = 0.995 * y + 0.05 * rng.gauss();
                    y
                })
                .collect()
        }
        "clicks" => {
            let mut v = vec![0.0; len];
            let mut at = 0;
            while at < len {
                at += 1_600 + (rng.next() * 4_800.0) as usize;
                for s in v.iter_mut().skip(at).take(80) {
                    *s = rng.gauss() * 4.0;
                }
            }
            v
        }
        _ => {
            // Babble: four other voices at once.
            let mut v = vec![0.0; len];
            for k in 0..4 {
                let mut i = (rng.next() * 16_000.0) as usize;
                let mut c = k * 7;
                while i < len {
                    for &s in &others[c % others.len()] {
                        if i >= len {
                            break;
                        }
                        v[i] += s;
                        i += 1;
                    }
                    c += 1;
                }
            }
            v
        }
    }
}

/// `signal` plus `noise` scaled to `snr_db` against the speech frames' power.
fn mix(signal: &[f32], truth: &[bool], noise: &[f32], snr_db: f32) -> Vec<f32> {
    let power = |s: &[f32]| s.iter().map(|x| x * x).sum::<f32>() / s.len().max(1) as f32;
    let speech: Vec<f32> = signal
        .chunks(FRAME)
        .zip(truth)
        .filter(|(_, &t)| t)
        .flat_map(|(c, _)| c.iter().copied())
        .collect();
    let gain = (power(&speech) / power(noise) / 10f32.powf(snr_db / 10.0)).sqrt();
    let floor = 1e-4; // a quiet room's floor, even in the "clean" condition
    let mut rng = Rng(99);
    signal
        .iter()
        .zip(noise)
        .map(|(s, n)| s + gain * n + floor * rng.gauss())
        .collect()
}

/// ROC-AUC of `scores` against `truth` (ties count half).
fn auc(scores: &[f32], truth: &[bool]) -> f64 {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let (mut rank_sum, mut i) = (0.0f64, 0);
    while i < idx.len() {
        let mut j = i;
        while j < idx.len() && scores[idx[j]] == scores[idx[i]] {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0;
        rank_sum += idx[i..j].iter().filter(|&&k| truth[k]).count() as f64 * avg;
        i = j;
    }
    let pos = truth.iter().filter(|&&t| t).count() as f64;
    let neg = truth.len() as f64 - pos;
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// True and false positive rates of `decided`.
fn rates(decided: &[bool], truth: &[bool]) -> (f64, f64) {
    let count = |want: bool| {
        let of: Vec<bool> = decided
            .iter()
            .zip(truth)
            .filter(|(_, &t)| t == want)
            .map(|(&d, _)| d)
            .collect();
        of.iter().filter(|&&d| d).count() as f64 / of.len().max(1) as f64
    };
    (count(true), count(false))
}

struct Timing {
    webrtc_s: f64,
    silero_s: f64,
    streaming_s: f64,
    audio_s: f64,
}

fn webrtc_scores(signal: &[f32], t: &mut Timing) -> (Vec<f32>, Vec<bool>) {
    use webrtc_vad::{SampleRate, Vad, VadMode};
    let modes = [
        VadMode::Quality,
        VadMode::LowBitrate,
        VadMode::Aggressive,
        VadMode::VeryAggressive,
    ];
    let pcm: Vec<i16> = signal
        .iter()
        .map(|s| (s.clamp(-1.0, 1.0) * 32767.0) as i16)
        .collect();
    let mut scores = vec![0.0f32; signal.len() / FRAME];
    for m in modes {
        let mut vad = Vad::new_with_rate_and_mode(SampleRate::Rate16kHz, m);
        for (i, f) in pcm.chunks_exact(FRAME).enumerate() {
            scores[i] += f32::from(u8::from(vad.is_voice_segment(f).unwrap_or(false)));
        }
    }
    let t0 = Instant::now();
    let mut ours = WebRtcVad::default();
    let decided = signal
        .chunks_exact(FRAME)
        .map(|f| ours.is_speech(f))
        .collect();
    t.webrtc_s += t0.elapsed().as_secs_f64();
    (scores, decided)
}

fn silero_scores(
    ctx: &mut whisper_rs::WhisperVadContext,
    signal: &[f32],
    t: &mut Timing,
) -> Vec<f32> {
    let t0 = Instant::now();
    ctx.detect_speech(signal).expect("Silero VAD failed");
    t.silero_s += t0.elapsed().as_secs_f64();
    let probs = ctx.probabilities();
    (0..signal.len() / FRAME)
        .map(|i| probs[((i * FRAME + FRAME / 2) / 512).min(probs.len() - 1)])
        .collect()
}

/// Silero as a live loop would run it: whisper.cpp's VAD restarts its LSTM
/// on every call, so each 32-ms hop re-reads the last `windows` windows and
/// keeps the last probability.
fn silero_streaming(
    ctx: &mut whisper_rs::WhisperVadContext,
    signal: &[f32],
    windows: usize,
    t: &mut Timing,
) -> Vec<f32> {
    let t0 = Instant::now();
    let mut probs = Vec::with_capacity(signal.len() / 512);
    for end in (512..=signal.len()).step_by(512) {
        let start = end.saturating_sub(windows * 512);
        ctx.detect_speech(&signal[start..end])
            .expect("Silero VAD failed");
        probs.push(*ctx.probabilities().last().unwrap_or(&0.0));
    }
    t.streaming_s += t0.elapsed().as_secs_f64();
    (0..signal.len() / FRAME)
        .map(|i| probs[((i * FRAME + FRAME / 2) / 512).min(probs.len() - 1)])
        .collect()
}

fn main() {
    whisper_rs::install_logging_hooks(); // whisper.cpp's logs go to tracing (silent here)
    let cache = mockint::models::store::cache_dir();
    let data = cache.join("testdata");
    let load = |ps: Vec<PathBuf>| -> Vec<Vec<f32>> {
        ps.iter()
            .map(|p| mockint::audio::load_wav(p).unwrap().samples)
            .collect()
    };
    let human = load(wavs(&data.join("librivox"), ".wav"));
    let piper = load(wavs(&data.join("stt_eval"), "-piper-joe.wav"));
    let espeak = load(wavs(&data.join("stt_eval"), "-espeak-us.wav"));
    if human.is_empty() || piper.is_empty() {
        eprintln!("vad bench: run scripts/setup.sh and scripts/make-stt-eval-set.sh first (recorded speech missing)");
        std::process::exit(1);
    }
    let model = std::env::var_os("MOCKINT_SILERO_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| cache.join("models/ggml-silero-v6.2.3.bin"));
    let mut silero = if model.is_file() {
        let mut p = whisper_rs::WhisperVadContextParams::new();
        p.set_n_threads(1);
        Some(
            whisper_rs::WhisperVadContext::new(&model.to_string_lossy(), p)
                .expect("cannot load the Silero model"),
        )
    } else {
        eprintln!(
            "{} missing (scripts/fetch-silero-vad.sh): measuring WebRTC only",
            model.display()
        );
        None
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let sets = [
        ("LibriVox (human)", assemble(&human, &mut rng)),
        ("Piper DevOps answers", assemble(&piper, &mut rng)),
    ];
    let conditions: [(&str, f32); 7] = [
        ("clean", 60.0),
        ("white", 10.0),
        ("white", 0.0),
        ("rumble", 5.0),
        ("clicks", 10.0),
        ("babble", 10.0),
        ("babble", 5.0),
    ];
    let mut t = Timing {
        webrtc_s: 0.0,
        silero_s: 0.0,
        streaming_s: 0.0,
        audio_s: 0.0,
    };
    println!(
        "\n{:<22} {:<12} {:>7} {:>7} {:>7}   {:>17} {:>17}",
        "speech", "noise", "WebRTC", "Silero", "Silero", "WebRTC TPR/FPR", "Silero TPR/FPR"
    );
    println!(
        "{:<22} {:<12} {:>7} {:>7} {:>7}",
        "",
        "",
        "AUC",
        "AUC",
        format!("live{STREAM_WINDOWS}")
    );
    let mut sums = [0.0f64; 3];
    let mut n = 0.0;
    for (name, (signal, truth)) in &sets {
        for (kind, snr) in conditions {
            let nz = noise(kind, signal.len(), &espeak, &mut rng);
            let mixed = mix(signal, truth, &nz, snr);
            t.audio_s += mixed.len() as f64 / 16_000.0;
            let truth = &truth[..mixed.len() / FRAME];
            let (w_scores, w_dec) = webrtc_scores(&mixed, &mut t);
            let w_auc = auc(&w_scores, truth);
            let (w_tpr, w_fpr) = rates(&w_dec, truth);
            let (s_auc, s_rates, live_auc) = match &mut silero {
                Some(ctx) => {
                    let s = silero_scores(ctx, &mixed, &mut t);
                    let d: Vec<bool> = s.iter().map(|&p| p >= 0.5).collect();
                    let live = silero_streaming(ctx, &mixed, STREAM_WINDOWS, &mut t);
                    (
                        Some(auc(&s, truth)),
                        Some(rates(&d, truth)),
                        Some(auc(&live, truth)),
                    )
                }
                None => (None, None, None),
            };
            let label = if kind == "clean" {
                "clean".to_string()
            } else {
                format!("{kind} {snr:.0} dB")
            };
            let fmt = |a: Option<f64>| a.map_or("—".into(), |a| format!("{a:.3}"));
            println!(
                "{name:<22} {label:<12} {w_auc:>7.3} {:>7} {:>7}   {:>17} {:>17}",
                fmt(s_auc),
                fmt(live_auc),
                format!("{:.2} / {:.2}", w_tpr, w_fpr),
                s_rates.map_or("—".into(), |(a, b)| format!("{a:.2} / {b:.2}")),
            );
            sums[0] += w_auc;
            sums[1] += s_auc.unwrap_or(f64::NAN);
            sums[2] += live_auc.unwrap_or(f64::NAN);
            n += 1.0;
        }
    }
    println!(
        "\nmean AUC: WebRTC {:.3}, Silero {:.3}, Silero live ({STREAM_WINDOWS} windows of context) {:.3}",
        sums[0] / n,
        sums[1] / n,
        sums[2] / n
    );
    println!(
        "speed over {:.0} s of audio: WebRTC {:.0}× real time, Silero {:.0}× real time (1 thread); Silero costs {:.1}× WebRTC's time",
        t.audio_s,
        t.audio_s / t.webrtc_s,
        t.audio_s / t.silero_s,
        t.silero_s / t.webrtc_s
    );
    println!(
        "Silero live: {:.0}× real time, {:.1} % of one core",
        t.audio_s / t.streaming_s,
        100.0 * t.streaming_s / t.audio_s
    );
}
