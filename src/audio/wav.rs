//! Reading WAV files of any common layout into 16 kHz mono.

use super::resample::{downmix, resample};
use super::{AudioError, WHISPER_RATE};
use std::path::Path;

/// 16 kHz mono audio ready for Whisper.
#[derive(Debug, Clone)]
pub struct Clip {
    pub samples: Vec<f32>,
    /// The file's own rate and channel count, for reporting.
    pub source_rate: u32,
    pub source_channels: u16,
}

impl Clip {
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / WHISPER_RATE as f64
    }
}

/// Maps hound's error; `part` says what was being read ("the header", "the audio data").
fn classify(path: &Path, e: hound::Error, part: &str) -> AudioError {
    let p = path.to_path_buf();
    match e {
        // hound reports a short read as ErrorKind::Other "Failed to read enough bytes."
        hound::Error::IoError(io)
            if io.kind() == std::io::ErrorKind::UnexpectedEof
                || io.to_string().contains("enough bytes") =>
        {
            AudioError::Truncated {
                path: p,
                why: format!("{part} ends early"),
            }
        }
        hound::Error::IoError(io) => AudioError::Io {
            path: p,
            source: io,
        },
        hound::Error::FormatError(why) if why.contains("RIFF") || why.contains("WAVE") => {
            AudioError::NotWav {
                path: p,
                why: why.to_string(),
            }
        }
        hound::Error::FormatError(why)
            if why.contains("data chunk") || why.contains("missing fmt") =>
        {
            AudioError::Truncated {
                path: p,
                why: why.to_string(),
            }
        }
        hound::Error::FormatError(why) => AudioError::Unsupported {
            path: p,
            why: why.to_string(),
        },
        hound::Error::Unsupported => AudioError::Unsupported {
            path: p,
            why: "hound cannot decode this encoding".into(),
        },
        hound::Error::InvalidSampleFormat => AudioError::Unsupported {
            path: p,
            why: "invalid sample format".into(),
        },
        other => AudioError::Unsupported {
            path: p,
            why: other.to_string(),
        },
    }
}

/// Reads a WAV file, downmixes and resamples it to 16 kHz mono.
pub fn load_wav(path: &Path) -> Result<Clip, AudioError> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AudioError::Missing {
            path: path.to_path_buf(),
        },
        _ => AudioError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Err(AudioError::NotWav {
            path: path.to_path_buf(),
            why: "the file is empty".into(),
        });
    }
    let reader = hound::WavReader::new(std::io::BufReader::new(file))
        .map_err(|e| classify(path, e, "the header"))?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(AudioError::Unsupported {
            path: path.to_path_buf(),
            why: format!("{} channels at {} Hz", spec.channels, spec.sample_rate),
        });
    }
    let declared = reader.len() as usize;
    let interleaved: Vec<f32> = match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Float, 32) => reader
            .into_samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| classify(path, e, "the audio data"))?,
        (hound::SampleFormat::Int, bits @ (8 | 16 | 24 | 32)) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| classify(path, e, "the audio data"))?
        }
        (fmt, bits) => {
            return Err(AudioError::Unsupported {
                path: path.to_path_buf(),
                why: format!("{bits}-bit {fmt:?}"),
            })
        }
    };
    if interleaved.len() < declared {
        return Err(AudioError::Truncated {
            path: path.to_path_buf(),
            why: format!(
                "header promises {declared} samples, file holds {}",
                interleaved.len()
            ),
        });
    }
    if interleaved.is_empty() {
        return Err(AudioError::Empty {
            path: path.to_path_buf(),
        });
    }
    let mono = downmix(&interleaved, spec.channels as usize);
    let samples = resample(&mono, spec.sample_rate, WHISPER_RATE)?;
    Ok(Clip {
        samples,
        source_rate: spec.sample_rate,
        source_channels: spec.channels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, spec: hound::WavSpec, n: usize) {
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..n * spec.channels as usize {
            let v = ((i as f32) * 0.01).sin() * 0.5;
            match spec.sample_format {
                hound::SampleFormat::Float => w.write_sample(v).unwrap(),
                hound::SampleFormat::Int => w
                    .write_sample((v * ((1i64 << (spec.bits_per_sample - 1)) - 1) as f32) as i32)
                    .unwrap(),
            }
        }
        w.finalize().unwrap();
    }

    #[test]
    fn reads_every_common_layout_as_16k_mono() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (16_000, 1, 16, hound::SampleFormat::Int),
            (48_000, 2, 32, hound::SampleFormat::Float),
            (44_100, 2, 24, hound::SampleFormat::Int),
            (22_050, 1, 8, hound::SampleFormat::Int),
            (8_000, 3, 32, hound::SampleFormat::Int),
        ];
        for (rate, ch, bits, fmt) in cases {
            let p = dir.path().join(format!("{rate}-{ch}-{bits}.wav"));
            let spec = hound::WavSpec {
                channels: ch,
                sample_rate: rate,
                bits_per_sample: bits,
                sample_format: fmt,
            };
            write(&p, spec, rate as usize / 2);
            let clip = load_wav(&p).unwrap();
            assert_eq!(clip.samples.len(), 8_000, "{p:?}");
            assert!(clip.samples.iter().all(|s| s.abs() <= 1.0));
            assert!(
                clip.samples.iter().any(|s| s.abs() > 0.1),
                "{p:?} lost its signal"
            );
        }
    }

    #[test]
    fn zero_length_wav_is_empty_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("silent.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        write(&p, spec, 0);
        let msg = load_wav(&p).unwrap_err().to_string();
        assert!(
            msg.contains("silent.wav") && msg.contains("no audio samples"),
            "{msg}"
        );
    }
}
