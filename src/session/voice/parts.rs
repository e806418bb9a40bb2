//! What a spoken session opens before it starts: the audio source, the
//! interviewer's voice, the Whisper worker and the VAD choice.

use super::VadKind;
use crate::audio::capture::MicSource;
use crate::audio::source::{AudioSource, WavSource};
use crate::session::{SessionError, VoiceSpec};
use crate::stt::whisper::WhisperModel;
use crate::stt::worker::WhisperWorker;
use crate::tts::Speaker;

/// The audio side of a spoken session: input, speech, Whisper and the VAD.
pub type VoiceParts = (
    Box<dyn AudioSource + Send>,
    Box<dyn Speaker>,
    WhisperWorker,
    VadKind,
);

/// Opens what `v` asks for (with the daemon's warm model when it is the
/// one asked for); every problem is one line before the session starts.
pub fn prepare(v: &VoiceSpec, warm: Option<&WhisperModel>) -> Result<VoiceParts, SessionError> {
    let vad = VadKind::resolve(v.vad)?;
    let source: Box<dyn AudioSource + Send> = if v.input_wav.is_empty() {
        Box::new(MicSource::open(v.input_device.as_deref())?)
    } else {
        Box::new(WavSource::open(&v.input_wav, v.fast)?)
    };
    let worker = match (warm, &v.model) {
        (Some(m), None) => WhisperWorker::spawn_with(m.clone())?,
        (Some(m), Some(p)) if p == m.path() => WhisperWorker::spawn_with(m.clone())?,
        (_, p) => WhisperWorker::spawn(
            &p.clone()
                .unwrap_or_else(crate::models::store::default_model_path),
        )?,
    };
    Ok((source, speaker(v), worker, vad))
}

/// The interviewer's voice a spec asks for (see [`crate::tts::open`]): Piper,
/// speech-dispatcher, or printing only (`--no-tts`, or when no speech
/// service answers); a fallback is a one-line warning.
pub fn speaker(v: &VoiceSpec) -> Box<dyn Speaker> {
    let opened = crate::tts::open(&speech_settings(v));
    if let Some(w) = &opened.warning {
        tracing::info!("{w}");
        eprintln!("warning: {w}");
    }
    tracing::info!(voice = %opened.describe, "interviewer voice");
    opened.speaker
}

/// The speech part of a spec.
pub fn speech_settings(v: &VoiceSpec) -> crate::tts::VoiceSettings {
    crate::tts::VoiceSettings {
        no_tts: !v.speak,
        rate: v.tts_rate,
        voice: v.voice.clone(),
        output_device: v.output_device.clone(),
    }
}
