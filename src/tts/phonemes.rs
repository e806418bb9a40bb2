//! A Piper voice's description (its `.onnx.json`) and the mapping from
//! espeak-ng clauses to the phoneme-id sequences the model reads, one per
//! sentence: `^ _ p1 _ p2 _ … pN _ $` over the NFD-decomposed IPA.
//!
//! Pure: no I/O besides [`VoiceConfig::load`].

use super::espeak::{Clause, Ending};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the Piper voice description ({reason}); run scripts/fetch-piper-voice.sh, or use --voice system")]
    Read { path: String, reason: String },
    #[error(
        "{path}: not a Piper voice description ({reason}); run scripts/fetch-piper-voice.sh again"
    )]
    Parse { path: String, reason: String },
}

/// What synthesis needs from the voice's `.onnx.json`.
#[derive(Debug, Clone)]
pub struct VoiceConfig {
    pub sample_rate: u32,
    /// espeak-ng voice for the phonemes (`en-us`).
    pub espeak_voice: String,
    pub noise_scale: f32,
    pub length_scale: f32,
    pub noise_w: f32,
    ids: HashMap<char, Vec<i64>>,
}

#[derive(Deserialize)]
struct Raw {
    audio: RawAudio,
    espeak: RawEspeak,
    inference: RawInference,
    phoneme_id_map: HashMap<String, Vec<i64>>,
}
#[derive(Deserialize)]
struct RawAudio {
    sample_rate: u32,
}
#[derive(Deserialize)]
struct RawEspeak {
    voice: String,
}
#[derive(Deserialize)]
struct RawInference {
    noise_scale: f32,
    length_scale: f32,
    noise_w: f32,
}

const BOS: char = '^';
const EOS: char = '$';
const PAD: char = '_';

impl VoiceConfig {
    pub fn load(path: &Path) -> Result<VoiceConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        VoiceConfig::parse(&text).map_err(|reason| ConfigError::Parse {
            path: path.display().to_string(),
            reason,
        })
    }

    pub fn parse(json: &str) -> Result<VoiceConfig, String> {
        let raw: Raw = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let mut ids = HashMap::new();
        for (k, v) in raw.phoneme_id_map {
            let mut chars = k.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !v.is_empty() => {
                    ids.insert(c, v);
                }
                _ => return Err(format!("phoneme_id_map key {k:?} is not one character")),
            }
        }
        for c in [BOS, EOS, PAD] {
            if !ids.contains_key(&c) {
                return Err(format!("phoneme_id_map has no {c:?}"));
            }
        }
        if raw.audio.sample_rate == 0 {
            return Err("audio.sample_rate is 0".into());
        }
        Ok(VoiceConfig {
            sample_rate: raw.audio.sample_rate,
            espeak_voice: raw.espeak.voice,
            noise_scale: raw.inference.noise_scale,
            length_scale: raw.inference.length_scale,
            noise_w: raw.inference.noise_w,
            ids,
        })
    }

    /// The model's input for one chunk of phonemes (IPA text): BOS, then each
    /// phoneme followed by the pad, then EOS. Phonemes the voice does not
    /// know are skipped.
    pub fn ids(&self, phonemes: &str) -> Vec<i64> {
        let mut out = Vec::with_capacity(phonemes.len() * 2 + 3);
        out.extend_from_slice(&self.ids[&BOS]);
        out.extend_from_slice(&self.ids[&PAD]);
        for c in phonemes.nfd() {
            match self.ids.get(&c) {
                Some(id) => {
                    out.extend_from_slice(id);
                    out.extend_from_slice(&self.ids[&PAD]);
                }
                None => tracing::debug!(phoneme = %c, "not in the voice's phoneme map"),
            }
        }
        out.extend_from_slice(&self.ids[&EOS]);
        out
    }
}

/// Joins clauses into speakable chunks (IPA with punctuation): one per
/// sentence, except that a first sentence longer than `first_max` phoneme
/// characters is cut after its first pause, and a first chunk still longer
/// than that at the last word boundary within it — so the first audio comes
/// sooner (the rest is synthesised while it plays). Empty chunks are dropped.
pub fn chunks(clauses: &[Clause], first_max: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let n = clauses.len();
    for (i, c) in clauses.iter().enumerate() {
        if !c.ipa.is_empty() {
            if !cur.is_empty() && !cur.ends_with(' ') {
                cur.push(' ');
            }
            cur.push_str(&c.ipa);
        }
        let last = i + 1 == n;
        match c.ending {
            Ending::Sentence(p) => {
                cur.push(p);
                flush(&mut out, &mut cur);
            }
            Ending::Pause(p) => {
                cur.push(p);
                let rest: usize = clauses[i + 1..]
                    .iter()
                    .take_while(|c| !matches!(c.ending, Ending::Sentence(_)))
                    .map(|c| c.ipa.chars().count())
                    .sum::<usize>()
                    + clauses[i + 1..]
                        .iter()
                        .find(|c| matches!(c.ending, Ending::Sentence(_)))
                        .map_or(0, |c| c.ipa.chars().count());
                let sentence_len = cur.chars().count() + rest;
                if out.is_empty() && sentence_len > first_max && !last {
                    flush(&mut out, &mut cur);
                } else {
                    cur.push(' ');
                }
            }
            Ending::None if last => flush(&mut out, &mut cur),
            Ending::None => cur.push(' '),
        }
    }
    flush(&mut out, &mut cur);
    if let Some(first) = out.first() {
        if first.chars().count() > first_max {
            let cut = first
                .char_indices()
                .take_while(|&(i, _)| first[..i].chars().count() <= first_max)
                .filter(|&(_, c)| c == ' ')
                .map(|(i, _)| i)
                .last();
            if let Some(i) = cut.filter(|&i| i > 0) {
                let (head, tail) = (first[..i].to_string(), first[i + 1..].to_string());
                out.splice(0..1, [head, tail]);
            }
        }
    }
    out
}

fn flush(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if t.chars().any(|c| c.is_alphabetic()) {
        out.push(t.to_string());
    }
    cur.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> VoiceConfig {
        VoiceConfig::parse(
            r#"{"audio":{"sample_rate":22050},"espeak":{"voice":"en-us"},
            "inference":{"noise_scale":0.667,"length_scale":1,"noise_w":0.8},
            "phoneme_id_map":{"_":[0],"^":[1],"$":[2]," ":[3],".":[10],"a":[14],"ɪ":[74],"̃":[141]}}"#,
        )
        .unwrap()
    }

    fn clause(ipa: &str, ending: Ending) -> Clause {
        Clause {
            ipa: ipa.into(),
            ending,
        }
    }

    #[test]
    fn ids_are_padded_between_bos_and_eos() {
        assert_eq!(cfg().ids("a ɪ."), [1, 0, 14, 0, 3, 0, 74, 0, 10, 0, 2]);
    }

    #[test]
    fn ids_use_nfd_and_skip_unknown_phonemes() {
        // "ã" (one code point) decomposes to a + combining tilde; "z" is unknown.
        assert_eq!(cfg().ids("\u{e3}z"), [1, 0, 14, 0, 141, 0, 2]);
    }

    #[test]
    fn a_config_without_the_markers_is_rejected() {
        let e = VoiceConfig::parse(
            r#"{"audio":{"sample_rate":22050},"espeak":{"voice":"en-us"},
            "inference":{"noise_scale":0.6,"length_scale":1,"noise_w":0.8},"phoneme_id_map":{"a":[1]}}"#,
        )
        .unwrap_err();
        assert!(e.contains("'^'") || e.contains("no"), "{e}");
        assert!(VoiceConfig::parse("{}").is_err());
    }

    #[test]
    fn sentences_become_chunks_with_their_punctuation() {
        let c = [
            clause("θæŋks", Ending::Sentence('.')),
            clause("nɛkst", Ending::Pause(',')),
            clause("haʊ", Ending::Sentence('?')),
            clause("", Ending::None),
        ];
        assert_eq!(chunks(&c, 1000), ["θæŋks.", "nɛkst, haʊ?"]);
    }

    #[test]
    fn a_long_first_sentence_is_cut_after_its_first_pause_only() {
        let c = [
            clause("nɛkst", Ending::Pause(',')),
            clause("haʊ wʊd juː dɪzaɪn ɪt", Ending::Sentence('?')),
            clause("wʌn", Ending::Pause(',')),
            clause("tuː θɹiː fɔːɹ faɪv sɪks", Ending::Sentence('.')),
        ];
        assert_eq!(
            chunks(&c, 10),
            [
                "nɛkst,",
                "haʊ wʊd juː dɪzaɪn ɪt?",
                "wʌn, tuː θɹiː fɔːɹ faɪv sɪks."
            ]
        );
        assert_eq!(chunks(&c, 1000).len(), 2);
    }

    #[test]
    fn a_long_first_clause_is_cut_at_a_word_boundary() {
        let c = [
            clause("haʊ wʊd juː dɪzaɪn ɪt", Ending::Sentence('?')),
            clause("wʌn tuː", Ending::Sentence('.')),
        ];
        assert_eq!(chunks(&c, 10), ["haʊ wʊd", "juː dɪzaɪn ɪt?", "wʌn tuː."]);
        // a first word longer than the limit is not cut
        let c = [clause("kjˈuːbɚnˌiːts", Ending::Sentence('.'))];
        assert_eq!(chunks(&c, 5), ["kjˈuːbɚnˌiːts."]);
    }

    #[test]
    fn the_real_voice_description_parses() {
        let p = crate::models::store::piper_config_path();
        assert!(
            p.is_file(),
            "{}: run scripts/fetch-piper-voice.sh",
            p.display()
        );
        let c = VoiceConfig::load(&p).unwrap();
        assert_eq!((c.sample_rate, c.espeak_voice.as_str()), (22050, "en-us"));
        assert_eq!(c.ids("ˈa").len(), 7);
    }
}
