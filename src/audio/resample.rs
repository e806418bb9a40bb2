//! Sample-rate conversion to 16 kHz with rubato's FFT resampler, plus downmix.

use super::AudioError;
use rubato::{FftFixedIn, Resampler};

/// Averages interleaved channels into one.
pub fn downmix(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels <= 1 {
        return interleaved.to_vec();
    }
    interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect()
}

/// Resamples a whole mono signal from `from` Hz to `to` Hz; the output has
/// `round(len * to / from)` samples and no added delay.
pub fn resample(mono: &[f32], from: u32, to: u32) -> Result<Vec<f32>, AudioError> {
    if from == to || mono.is_empty() {
        return Ok(mono.to_vec());
    }
    let err = |e: &dyn std::fmt::Display| AudioError::Resample(e.to_string());
    let chunk = 1024;
    let mut r =
        FftFixedIn::<f32>::new(from as usize, to as usize, chunk, 2, 1).map_err(|e| err(&e))?;
    let want = (mono.len() as u64 * to as u64).div_ceil(from as u64) as usize;
    let delay = r.output_delay();
    let mut out: Vec<f32> = Vec::with_capacity(want + delay + r.output_frames_max());
    let mut buf = vec![vec![0f32; r.output_frames_max()]];
    let mut pos = 0;
    while out.len() < want + delay {
        let need = r.input_frames_next();
        let (_, written) = if pos + need <= mono.len() {
            let input = [&mono[pos..pos + need]];
            pos += need;
            r.process_into_buffer(&input, &mut buf, None)
                .map_err(|e| err(&e))?
        } else {
            let rest = &mono[pos.min(mono.len())..];
            pos = mono.len();
            let input = [rest];
            let input = (!rest.is_empty()).then_some(&input[..]);
            r.process_partial_into_buffer(input, &mut buf, None)
                .map_err(|e| err(&e))?
        };
        out.extend_from_slice(&buf[0][..written]);
    }
    out.drain(..delay);
    out.truncate(want);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, hz: f32, secs: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin() * 0.5)
            .collect()
    }

    #[test]
    fn downmix_averages_channels() {
        assert_eq!(downmix(&[1.0, 0.0, 0.5, 0.5], 2), vec![0.5, 0.5]);
        assert_eq!(downmix(&[0.1, 0.2], 1), vec![0.1, 0.2]);
    }

    #[test]
    fn resampling_keeps_length_and_pitch_aligned() {
        for from in [8_000, 22_050, 44_100, 48_000] {
            let x = sine(from, 440.0, 1.3);
            let y = resample(&x, from, 16_000).unwrap();
            let want = (x.len() as u64 * 16_000).div_ceil(from as u64) as usize;
            assert_eq!(y.len(), want, "from {from}");
            // Compare against the ideal 16 kHz sine away from the edges. A one-sample
            // offset would give an error of ~0.086 here; allow a fraction of a sample
            // (the FFT resampler's delay is whole *input* samples: 1/3 sample from 48 kHz).
            let ideal = sine(16_000, 440.0, 1.3);
            let err: f32 = (2000..18000)
                .map(|i| (y[i] - ideal[i]).abs())
                .fold(0.0, f32::max);
            assert!(err < 0.035, "from {from}: max error {err}");
        }
    }
}
