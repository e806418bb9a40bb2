//! whisper.cpp (via whisper-rs) as the [`Transcriber`].

use super::bias::{logits_filter, BiasContext, TokenTrie};
use super::{
    overrun, AudioCtx, Decoding, Segment, SttError, TranscribeOptions, Transcriber, Transcript,
};
use crate::models::ggml::{inspect, GgmlInfo};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

/// Encoder frames per second of audio (1500 frames cover 30 s).
const FRAMES_PER_SEC: f64 = 50.0;

/// The encoder context to use for a clip of `secs` seconds: the clip plus a
/// margin, rounded up to a multiple of 64, at least 384 and at most 1500.
pub fn auto_audio_ctx(secs: f64) -> u32 {
    let frames = (secs * FRAMES_PER_SEC * 1.1 + 64.0).ceil() as u32;
    frames.div_ceil(64).saturating_mul(64).clamp(384, 1500)
}

/// A loaded model, cheap to clone and shareable between threads: the daemon
/// keeps one warm and makes a [`WhisperTranscriber`] (own decoder state) per session.
#[derive(Clone)]
pub struct WhisperModel {
    ctx: Arc<WhisperContext>,
    info: GgmlInfo,
    path: PathBuf,
}

impl WhisperModel {
    /// Checks the file, then loads it with flash attention off.
    pub fn load(path: &Path) -> Result<Self, SttError> {
        let info = inspect(path)?;
        crate::stt::whisper::install_log_hooks();
        let mut params = WhisperContextParameters::default();
        params.flash_attn(false);
        params.use_gpu(false);
        let path_str = path
            .to_str()
            .ok_or_else(|| load_err(path, "path is not UTF-8".into()))?;
        let ctx = WhisperContext::new_with_params(path_str, params)
            .map_err(|e| load_err(path, e.to_string()))?;
        Ok(WhisperModel {
            ctx: Arc::new(ctx),
            info,
            path: path.to_path_buf(),
        })
    }

    /// A transcriber with its own decoder state on this model.
    pub fn transcriber(&self) -> Result<WhisperTranscriber, SttError> {
        let state = self
            .ctx
            .create_state()
            .map_err(|e| load_err(&self.path, e.to_string()))?;
        Ok(WhisperTranscriber {
            eot: self.ctx.token_eot(),
            ctx: self.ctx.clone(),
            trie: None,
            state,
            info: self.info.clone(),
            path: self.path.clone(),
            overruns: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// "tiny.en", "base", … as whisper.cpp would name this model.
    pub fn model_name(&self) -> String {
        model_name(&self.info)
    }
}

fn load_err(path: &Path, why: String) -> SttError {
    SttError::Load {
        path: path.to_path_buf(),
        why,
    }
}

fn model_name(info: &GgmlInfo) -> String {
    let hp = &info.hparams;
    format!(
        "{}{}",
        hp.size_name(),
        if hp.is_multilingual() { "" } else { ".en" }
    )
}

pub struct WhisperTranscriber {
    // `state` borrows nothing from `ctx` in whisper-rs 0.16 (it holds an Arc);
    // the context also gives the tokenizer for biasing.
    ctx: Arc<WhisperContext>,
    /// The token trie of the last bias context, by the context's key.
    trie: Option<(u64, Arc<TokenTrie>)>,
    state: WhisperState,
    info: GgmlInfo,
    path: PathBuf,
    eot: i32,
    /// Decodes that wrote more than their audio could hold ([`overrun`]).
    overruns: usize,
}

impl WhisperTranscriber {
    /// Checks the file, then loads it with flash attention off.
    pub fn load(path: &Path) -> Result<Self, SttError> {
        WhisperModel::load(path)?.transcriber()
    }

    pub fn info(&self) -> &GgmlInfo {
        &self.info
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// "tiny.en", "base", … as whisper.cpp would name this model.
    pub fn model_name(&self) -> String {
        model_name(&self.info)
    }

    /// How many decodes so far wrote more words than their audio could hold
    /// (each was decoded again, and trimmed if it still overran).
    pub fn overruns(&self) -> usize {
        self.overruns
    }
}

impl WhisperTranscriber {
    /// The token trie for `bias`, built with this model's tokenizer (cached
    /// while the context stays the same: one per question).
    pub fn bias_trie(&mut self, bias: &BiasContext) -> Arc<TokenTrie> {
        let key = bias.key();
        if let Some((k, t)) = &self.trie {
            if *k == key {
                return t.clone();
            }
        }
        let ctx = self.ctx.clone();
        let trie = Arc::new(TokenTrie::build(
            bias,
            |s| ctx.tokenize(s, 64).ok(),
            self.eot,
            ctx.n_vocab().max(0) as usize,
        ));
        self.trie = Some((key, trie.clone()));
        trie
    }

    /// The decoder state and end-of-text token id, for passes that set
    /// whisper.cpp's parameters themselves (word timings in `delivery`).
    pub(crate) fn raw_state(&mut self) -> (&mut WhisperState, i32) {
        (&mut self.state, self.eot)
    }
}

impl Transcriber for WhisperTranscriber {
    fn transcribe(
        &mut self,
        samples: &[f32],
        opts: &TranscribeOptions,
    ) -> Result<Transcript, SttError> {
        let secs = samples.len() as f64 / crate::audio::WHISPER_RATE as f64;
        let ctx = match opts.audio_ctx {
            AudioCtx::Full => 0,
            AudioCtx::Frames(n) => n.min(1500) as i32,
            AudioCtx::Auto if secs < 29.0 => auto_audio_ctx(secs) as i32,
            AudioCtx::Auto => 0,
        };
        let first = self.decode(samples, opts, ctx)?;
        if !overrun::overruns(&first, secs) {
            return Ok(first);
        }
        self.overruns += 1;
        // Not a warning: the terminal shows warnings, and this is handled.
        tracing::debug!(
            secs,
            words = first.text().split_whitespace().count(),
            "Whisper wrote more than the audio can hold; decoding again"
        );
        let again = if ctx != 0 {
            self.decode(samples, opts, 0)?
        } else {
            first
        };
        Ok(if overrun::overruns(&again, secs) {
            overrun::trim(&again, secs)
        } else {
            again
        })
    }
}

impl WhisperTranscriber {
    /// One whisper.cpp pass with encoder context `ctx` (0: the full window).
    fn decode(
        &mut self,
        samples: &[f32],
        opts: &TranscribeOptions,
        ctx: i32,
    ) -> Result<Transcript, SttError> {
        let strategy = match opts.decoding {
            Decoding::Greedy => SamplingStrategy::Greedy { best_of: 1 },
            Decoding::BeamSearch { beam_size } => SamplingStrategy::BeamSearch {
                beam_size: beam_size as i32,
                patience: -1.0,
            },
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(opts.threads.max(1) as i32);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_suppress_blank(true);
        let lang = if self.info.hparams.is_multilingual() {
            opts.language.as_deref()
        } else {
            Some("en")
        };
        params.set_language(lang);
        if let Some(p) = &opts.prompt {
            params.set_initial_prompt(p);
        }
        let trie = match &opts.bias {
            Some(b) if !b.is_empty() => Some(self.bias_trie(b)).filter(|t| !t.is_empty()),
            _ => None,
        };
        if let Some(t) = &trie {
            // SAFETY: the callback only reads the trie, which `trie` keeps
            // alive until `full` below has returned.
            unsafe {
                params.set_filter_logits_callback(Some(logits_filter));
                params.set_filter_logits_callback_user_data(
                    Arc::as_ptr(t) as *mut std::os::raw::c_void
                );
            }
        }
        if let Some(flag) = &opts.abort {
            // SAFETY: the callback only reads the flag, which `opts` keeps
            // alive until `full` below has returned.
            unsafe {
                params.set_abort_callback(Some(abort_requested));
                params.set_abort_callback_user_data(Arc::as_ptr(flag) as *mut std::os::raw::c_void);
            }
        }
        params.set_audio_ctx(ctx);
        let secs = samples.len() as f64 / crate::audio::WHISPER_RATE as f64;
        params.set_max_tokens(super::overrun::tokens_possible(secs));
        // whisper.cpp refuses input shorter than 1 s; pad with silence.
        let padded;
        let input = if samples.len() < 16_000 + 1600 {
            padded = {
                let mut v = samples.to_vec();
                v.resize(16_000 + 1600, 0.0);
                v
            };
            &padded[..]
        } else {
            samples
        };
        self.state
            .full(params, input)
            .map_err(|e| SttError::Decode(e.to_string()))?;
        drop(trie);
        let mut segments = Vec::new();
        for seg in self.state.as_iter() {
            let text = seg
                .to_str_lossy()
                .map_err(|e| SttError::Decode(e.to_string()))?
                .to_string();
            let probs: Vec<f32> = (0..seg.n_tokens())
                .filter_map(|i| seg.get_token(i))
                .filter(|t| t.token_id() < self.eot)
                .map(|t| t.token_probability())
                .collect();
            let mean = if probs.is_empty() {
                0.0
            } else {
                probs.iter().sum::<f32>() / probs.len() as f32
            };
            segments.push(Segment {
                start_ms: seg.start_timestamp() * 10,
                end_ms: seg.end_timestamp() * 10,
                text: text.trim().to_string(),
                mean_token_prob: mean,
                no_speech_prob: seg.no_speech_probability(),
            });
        }
        Ok(Transcript { segments })
    }
}

/// Routes whisper.cpp's own logging into `tracing` (once per process), so it
/// is silent unless `RUST_LOG` asks for it.
pub fn install_log_hooks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(whisper_rs::install_logging_hooks);
}

/// whisper.cpp's abort callback: the flag given as its user data.
///
/// # Safety
/// `user_data` points to an `AtomicBool` alive for the call.
unsafe extern "C" fn abort_requested(user_data: *mut std::os::raw::c_void) -> bool {
    (*(user_data as *const std::sync::atomic::AtomicBool))
        .load(std::sync::atomic::Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_ctx_grows_with_the_clip_and_stays_in_range() {
        assert_eq!(auto_audio_ctx(0.5), 384);
        assert_eq!(auto_audio_ctx(3.0), 384);
        let ten = auto_audio_ctx(10.0);
        assert!(ten >= 550 && ten % 64 == 0, "{ten}");
        assert_eq!(auto_audio_ctx(28.0), 1500);
        let mut prev = 0;
        for s in 0..30 {
            let c = auto_audio_ctx(s as f64);
            assert!(c >= prev && c as f64 >= s as f64 * FRAMES_PER_SEC);
            prev = c;
        }
    }
}
