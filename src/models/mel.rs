//! The Slaney-style mel filter bank whisper.cpp expects in a ggml file
//! (CTranslate2 models do not carry one): 80 triangular filters over the 201
//! bins of a 400-point FFT at 16 kHz, area-normalised, computed the way
//! librosa's `filters.mel(htk=False, norm="slaney")` does.

pub const SAMPLE_RATE: f64 = 16_000.0;
pub const N_FFT: usize = 400;

fn hz_to_mel(hz: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if hz >= min_log_hz {
        min_log_mel + (hz / min_log_hz).ln() / logstep
    } else {
        hz / f_sp
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        min_log_hz * (logstep * (mel - min_log_mel)).exp()
    } else {
        f_sp * mel
    }
}

/// Row-major `n_mels × (N_FFT/2 + 1)` filter bank.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let n_bins = N_FFT / 2 + 1;
    let fft_freqs: Vec<f64> = (0..n_bins)
        .map(|i| i as f64 * (SAMPLE_RATE / 2.0) / (n_bins - 1) as f64)
        .collect();
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE / 2.0));
    let mel_f: Vec<f64> = (0..n_mels + 2)
        .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (n_mels + 1) as f64))
        .collect();
    let mut out = vec![0f32; n_mels * n_bins];
    for m in 0..n_mels {
        let (f0, f1, f2) = (mel_f[m], mel_f[m + 1], mel_f[m + 2]);
        // librosa stores the triangle in f32, then scales it in f64 and stores again.
        let enorm = 2.0 / (f2 - f0);
        for (k, &f) in fft_freqs.iter().enumerate() {
            let lower = (f - f0) / (f1 - f0);
            let upper = (f2 - f) / (f2 - f1);
            let w = lower.min(upper).max(0.0) as f32;
            out[m * n_bins + k] = (w as f64 * enorm) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values from openai-whisper's `assets/mel_filters.npz` (`mel_80`).
    const KNOWN: &[(usize, usize, f32)] = &[
        (0, 1, 0.024_862_595),
        (1, 1, 0.001_990_822),
        (1, 2, 0.022_871_772),
        (10, 10, 0.019_908_218),
        (10, 11, 0.004_954_375),
        (40, 42, 0.005_411_105),
        (40, 43, 0.014_735_566),
        (40, 44, 0.006_518_19),
        (79, 186, 0.000_366_741_67),
        (79, 192, 0.003_164_711_9),
        (79, 199, 0.000_448_759),
    ];

    #[test]
    fn matches_openai_whisper_filter_bank() {
        let f = mel_filters(80);
        assert_eq!(f.len(), 80 * 201);
        for &(m, k, want) in KNOWN {
            let got = f[m * 201 + k];
            assert!(
                (got - want).abs() <= want * 1e-5,
                "filter[{m}][{k}] = {got}, want {want}"
            );
        }
        // Same sparsity as the reference (391 non-zero weights) and total mass.
        assert_eq!(f.iter().filter(|&&w| w != 0.0).count(), 391);
        let sum: f64 = f.iter().map(|&w| w as f64).sum();
        assert!((sum - 1.999_024_09).abs() < 1e-5, "sum {sum}");
    }

    #[test]
    fn slaney_scale_round_trips() {
        for hz in [0.0, 300.0, 999.0, 1000.0, 4321.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9);
        }
    }
}
