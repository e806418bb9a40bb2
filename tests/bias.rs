//! Contextual biasing with the real tiny.en model: plain speech gains no
//! jargon. LibriVox read with the decoding biased toward a Kubernetes
//! question reads word for word as without it.

mod common;
use common::{model, testdata};
use mockint::audio::load_wav;
use mockint::bank::Bank;
use mockint::stt::bias::BiasStrength;
use mockint::stt::whisper::WhisperTranscriber;
use mockint::stt::{TranscribeOptions, Transcriber, SESSION_DECODING};
use mockint::vocab::context::Situation;
use mockint::vocab::Vocabulary;
use std::sync::Arc;

#[test]
fn librivox_reads_the_same_with_and_without_biasing() {
    let bank = Bank::embedded().unwrap();
    let round = bank.round("kubernetes").unwrap();
    let vocab = Vocabulary::for_round(&bank, "kubernetes").unwrap();
    let s = Situation {
        round: Some(round),
        question: round.question.first(),
        intake: &[],
    };
    let ctx = Arc::new(vocab.bias_context(&s, BiasStrength::default()));
    assert!(ctx.phrases.len() > 20, "{}", ctx.phrases.len());
    let mut w = WhisperTranscriber::load(&model()).unwrap();
    assert!(w.bias_trie(&ctx).phrase_count() > 10);
    let mut wavs: Vec<_> = std::fs::read_dir(testdata().join("librivox"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .collect();
    wavs.sort();
    assert_eq!(wavs.len(), 5);
    for wav in &wavs {
        let samples = load_wav(wav).unwrap().samples;
        let opts = |bias: bool| TranscribeOptions {
            decoding: SESSION_DECODING,
            bias: bias.then(|| ctx.clone()),
            ..Default::default()
        };
        let plain = w.transcribe(&samples, &opts(false)).unwrap().text();
        let biased = w.transcribe(&samples, &opts(true)).unwrap().text();
        // The same words (Whisper's punctuation may differ: one clip's
        // sentence ends in "?" with biasing and "." without).
        assert_eq!(
            mockint::stt::wer::normalize(&biased),
            mockint::stt::wer::normalize(&plain),
            "{}: {biased:?} against {plain:?}",
            wav.display()
        );
    }
}
