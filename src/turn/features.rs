//! The model's input: Whisper-style log-mel features of the turn's last 8 s
//! (the layout Smart Turn v3 was trained on).
//!
//! 16 kHz mono; the last 8 s, zero-padded at the front when the turn is
//! shorter; the waveform normalised to zero mean and unit variance; a centred
//! (reflect-padded) short-time power spectrum with a periodic Hann window
//! (n_fft 400, hop 160); 80 Slaney mel filters (the same bank as Whisper's,
//! [`crate::models::mel`]); log10 with a floor, clamped to 8 decades below the
//! peak and scaled as `(x + 4) / 4`. The trailing frame is dropped, leaving
//! 800 frames. Pure: no I/O.

use realfft::{RealFftPlanner, RealToComplex};
use std::sync::Arc;

pub const SAMPLE_RATE: usize = 16_000;
/// Samples the model sees (8 s).
pub const WINDOW_SAMPLES: usize = 8 * SAMPLE_RATE;
pub const N_MELS: usize = 80;
pub const N_FRAMES: usize = 800;
const N_FFT: usize = 400;
const HOP: usize = 160;
const N_BINS: usize = N_FFT / 2 + 1;
const MEL_FLOOR: f64 = 1e-10;
const VARIANCE_EPS: f64 = 1e-7;

/// One mel filter: its non-zero weights, starting at FFT bin `first`.
struct Filter {
    first: usize,
    weights: Vec<f64>,
}

/// Computes features; holds the FFT plan, window and filter bank so each call
/// only does the arithmetic (a few ms for 8 s).
pub struct LogMel {
    fft: Arc<dyn RealToComplex<f64>>,
    window: Vec<f64>,
    filters: Vec<Filter>,
}

impl Default for LogMel {
    fn default() -> Self {
        Self::new()
    }
}

impl LogMel {
    pub fn new() -> LogMel {
        let bank = crate::models::mel::mel_filters(N_MELS);
        let filters = bank
            .chunks(N_BINS)
            .map(|row| {
                let first = row.iter().position(|&w| w != 0.0).unwrap_or(0);
                let last = row.iter().rposition(|&w| w != 0.0).unwrap_or(0);
                Filter {
                    first,
                    weights: row[first..=last].iter().map(|&w| w as f64).collect(),
                }
            })
            .collect();
        // Periodic Hann window (numpy's hanning(N + 1)[:-1]).
        let window = (0..N_FFT)
            .map(|n| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / N_FFT as f64).cos())
            .collect();
        LogMel {
            fft: RealFftPlanner::<f64>::new().plan_fft_forward(N_FFT),
            window,
            filters,
        }
    }

    /// Features of the last 8 s of `audio` (16 kHz mono), row-major
    /// `[N_MELS][N_FRAMES]`.
    pub fn compute(&self, audio: &[f32]) -> Vec<f32> {
        let x = last_window_normalised(audio);
        // Centred frames: reflect-pad by half a window on each side.
        let pad = N_FFT / 2;
        let n = x.len();
        let at = |i: usize| -> f64 {
            // i indexes the padded signal.
            if i < pad {
                x[pad - i]
            } else if i - pad < n {
                x[i - pad]
            } else {
                x[2 * n - 2 - (i - pad)]
            }
        };
        let mut frame = self.fft.make_input_vec();
        let mut spectrum = self.fft.make_output_vec();
        let mut scratch = self.fft.make_scratch_vec();
        let mut power = vec![0f64; N_BINS];
        let mut mel = vec![0f64; N_MELS * N_FRAMES];
        for t in 0..N_FRAMES {
            let start = t * HOP;
            for (k, v) in frame.iter_mut().enumerate() {
                *v = at(start + k) * self.window[k];
            }
            self.fft
                .process_with_scratch(&mut frame, &mut spectrum, &mut scratch)
                .expect("buffers come from the plan");
            for (p, c) in power.iter_mut().zip(&spectrum) {
                *p = c.norm_sqr();
            }
            for (m, f) in self.filters.iter().enumerate() {
                let e: f64 = f
                    .weights
                    .iter()
                    .zip(&power[f.first..])
                    .map(|(w, p)| w * p)
                    .sum();
                mel[m * N_FRAMES + t] = e.max(MEL_FLOOR).log10();
            }
        }
        let peak = mel.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        mel.iter()
            .map(|&v| ((v.max(peak - 8.0) + 4.0) / 4.0) as f32)
            .collect()
    }
}

/// The last 8 s, zero-padded at the front, normalised to zero mean and unit
/// variance (the padding included, as the model was trained).
fn last_window_normalised(audio: &[f32]) -> Vec<f64> {
    let tail = &audio[audio.len().saturating_sub(WINDOW_SAMPLES)..];
    let mut x = vec![0f64; WINDOW_SAMPLES - tail.len()];
    x.extend(tail.iter().map(|&s| s as f64));
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / x.len() as f64;
    let scale = 1.0 / (var + VARIANCE_EPS).sqrt();
    x.iter_mut().for_each(|v| *v = (*v - mean) * scale);
    x
}

#[cfg(test)]
mod tests;
