use super::*;

/// 5 s of a deterministic test signal (a 220-Hz tone with a 1.5-Hz tremolo
/// plus a rising chirp), so the 8-s window is zero-padded at the front.
fn test_signal() -> Vec<f32> {
    (0..80_000)
        .map(|n| {
            let t = n as f64 / 16_000.0;
            let tone = 0.4
                * (2.0 * std::f64::consts::PI * 220.0 * t).sin()
                * (0.5 + 0.5 * (2.0 * std::f64::consts::PI * 1.5 * t).sin());
            let chirp = 0.1 * (2.0 * std::f64::consts::PI * (500.0 + 600.0 * t) * t).sin();
            (tone + chirp) as f32
        })
        .collect()
}

/// Values computed from the same signal with the reference extractor shipped
/// in the PyPI wheel `pipecat-ai` 1.14.0 (`_whisper_features.py`, numpy).
const REFERENCE: &[(usize, usize, f32)] = &[
    (0, 0, -0.225_882_81),
    (0, 300, 1.243_922_6),
    (5, 400, 1.623_744_6),
    (10, 500, 0.430_591_55),
    (20, 650, -0.122_649_476),
    (40, 799, 0.033_867_747),
    (79, 420, -0.225_882_81),
    (30, 299, 0.149_003_67),
    (30, 301, 0.149_047_3),
];

#[test]
fn matches_the_reference_extractor() {
    let f = LogMel::new().compute(&test_signal());
    assert_eq!(f.len(), N_MELS * N_FRAMES);
    for &(m, t, want) in REFERENCE {
        let got = f[m * N_FRAMES + t];
        assert!((got - want).abs() < 2e-4, "[{m}][{t}] = {got}, want {want}");
    }
    let sum: f64 = f.iter().map(|&v| v as f64).sum();
    assert!((sum - -4_435.866).abs() < 0.5, "sum {sum}");
    let max = f.iter().copied().fold(f32::MIN, f32::max);
    assert!((max - 1.774_117_2).abs() < 2e-4, "max {max}");
}

#[test]
fn keeps_only_the_last_eight_seconds() {
    let sig = test_signal();
    let mut long = vec![0.25f32; 3 * 16_000];
    long.extend(sig.iter().cycle().take(WINDOW_SAMPLES));
    let tail: Vec<f32> = long[long.len() - WINDOW_SAMPLES..].to_vec();
    let mel = LogMel::new();
    assert_eq!(mel.compute(&long), mel.compute(&tail));
}

#[test]
fn silence_is_finite_and_flat() {
    let f = LogMel::new().compute(&vec![0.0; 16_000]);
    assert!(f.iter().all(|v| v.is_finite()));
    assert!(f.iter().all(|&v| v == f[0]));
}
