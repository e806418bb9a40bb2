//! Text → IPA phonemes with the system's espeak-ng library (Debian
//! `libespeak-ng1`; `libespeak-ng-dev` to build), clause by clause, each
//! clause with the punctuation that ended it — what a Piper voice was
//! trained on.
//!
//! In: text. Out: [`Clause`]s (IPA string + terminator). espeak-ng keeps
//! global state, so every call goes through one process-wide lock.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::Mutex;

#[link(name = "espeak-ng")]
extern "C" {
    fn espeak_Initialize(
        output: c_int,
        buflength: c_int,
        path: *const c_char,
        options: c_int,
    ) -> c_int;
    fn espeak_SetVoiceByName(name: *const c_char) -> c_int;
    fn espeak_TextToPhonemes(
        textptr: *mut *const c_void,
        textmode: c_int,
        phonememode: c_int,
    ) -> *const c_char;
}

/// `AUDIO_OUTPUT_SYNCHRONOUS`: no audio thread of espeak's own.
const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
/// `espeakINITIALIZE_DONT_EXIT`: a missing data directory is an error, not `exit()`.
const INITIALIZE_DONT_EXIT: c_int = 0x8000;
/// `espeakCHARS_UTF8`.
const CHARS_UTF8: c_int = 1;
/// `espeakPHONEMES_IPA`.
const PHONEMES_IPA: c_int = 0x02;

#[derive(Debug, thiserror::Error)]
pub enum EspeakError {
    #[error("espeak-ng could not start (its data directory is missing?); install espeak-ng-data, or use --voice system")]
    Init,
    #[error("espeak-ng has no voice {0:?}; install espeak-ng-data, or use --voice system")]
    Voice(String),
}

/// How a clause ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `.`, `?` or `!`: the sentence is over.
    Sentence(char),
    /// `,`, `:` or `;`: a pause inside the sentence.
    Pause(char),
    /// No punctuation (end of text, or a line break).
    None,
}

/// One clause: its phonemes (IPA) and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub ipa: String,
    pub ending: Ending,
}

/// espeak-ng's global state: started yet, and the voice it is set to.
struct State {
    started: bool,
    voice: Option<String>,
}

static ESPEAK: Mutex<State> = Mutex::new(State {
    started: false,
    voice: None,
});

/// Phonemizes `text` with espeak-ng voice `voice` (e.g. `en-us`).
pub fn phonemize(text: &str, voice: &str) -> Result<Vec<Clause>, EspeakError> {
    let mut state = ESPEAK.lock().unwrap_or_else(|p| p.into_inner());
    if state.voice.as_deref() != Some(voice) {
        if !state.started {
            // SAFETY: a plain C call; a null path means espeak-ng's default data directory.
            let rate = unsafe {
                espeak_Initialize(
                    AUDIO_OUTPUT_SYNCHRONOUS,
                    0,
                    std::ptr::null(),
                    INITIALIZE_DONT_EXIT,
                )
            };
            if rate <= 0 {
                return Err(EspeakError::Init);
            }
            state.started = true;
        }
        let name = CString::new(voice).map_err(|_| EspeakError::Voice(voice.into()))?;
        // SAFETY: `name` is a valid C string for the duration of the call.
        if unsafe { espeak_SetVoiceByName(name.as_ptr()) } != 0 {
            state.voice = None;
            return Err(EspeakError::Voice(voice.into()));
        }
        state.voice = Some(voice.to_string());
    }
    // espeak-ng reads up to a NUL; interior NULs end the text there.
    let text: String = text
        .chars()
        .map(|c| if c == '\0' { ' ' } else { c })
        .collect();
    let c_text = CString::new(text).unwrap_or_default();
    let bytes = c_text.as_bytes();
    let start = c_text.as_ptr() as *const c_void;
    let mut ptr: *const c_void = start;
    let mut clauses = Vec::new();
    while !ptr.is_null() {
        let from = ptr as usize - start as usize;
        // SAFETY: `ptr` points into `c_text` (NUL-terminated, alive for the
        // loop); espeak-ng advances it past the clause or sets it to null,
        // and the returned string is valid until its next call (we hold the lock).
        let out = unsafe { espeak_TextToPhonemes(&mut ptr, CHARS_UTF8, PHONEMES_IPA) };
        let to = if ptr.is_null() {
            bytes.len()
        } else {
            (ptr as usize - start as usize).min(bytes.len())
        };
        let ipa = if out.is_null() {
            String::new()
        } else {
            // SAFETY: espeak-ng returns a NUL-terminated string.
            unsafe { CStr::from_ptr(out) }
                .to_string_lossy()
                .into_owned()
        };
        let mut consumed = String::from_utf8_lossy(&bytes[from.min(to)..to]).into_owned();
        if !ptr.is_null() {
            // espeak-ng reads one character past the clause: not ours.
            consumed.pop();
        }
        clauses.push(Clause {
            ipa: strip_language_flags(ipa.trim()),
            ending: ending_of(&consumed),
        });
        if to <= from && !ptr.is_null() {
            break; // no progress: never loop forever on odd input
        }
    }
    Ok(clauses)
}

/// The punctuation that ended a clause, from the text espeak-ng consumed for it.
fn ending_of(consumed: &str) -> Ending {
    let tail = consumed.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | ')' | ']' | '”' | '’')
    });
    match tail.chars().last() {
        Some(c @ ('.' | '?' | '!')) => Ending::Sentence(c),
        Some('…') => Ending::Sentence('.'),
        Some(c @ (',' | ':' | ';')) => Ending::Pause(c),
        _ => Ending::None,
    }
}

/// Drops espeak-ng's language-switch marks such as `(fr)` … `(en)`.
fn strip_language_flags(ipa: &str) -> String {
    let mut out = String::with_capacity(ipa.len());
    let mut depth = 0;
    for c in ipa.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_carry_their_punctuation() {
        let c = phonemize(
            "Thanks for that. Next, how would you scale it? Third: one; two!",
            "en-us",
        )
        .unwrap();
        let endings: Vec<Ending> = c.iter().map(|c| c.ending).collect();
        assert_eq!(
            endings,
            [
                Ending::Sentence('.'),
                Ending::Pause(','),
                Ending::Sentence('?'),
                Ending::Pause(':'),
                Ending::Pause(';'),
                Ending::Sentence('!')
            ]
        );
        assert!(c[0].ipa.contains("θ"), "{:?}", c[0].ipa);
        assert!(c[2].ipa.contains("skˈeɪl"), "{:?}", c[2].ipa);
    }

    #[test]
    fn text_without_punctuation_is_one_clause() {
        let c = phonemize("kubernetes pods", "en-us").unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].ending, Ending::None);
        assert!(!c[0].ipa.is_empty());
    }

    #[test]
    fn an_unknown_voice_is_a_clear_error() {
        let e = phonemize("hi", "xx-nowhere").unwrap_err().to_string();
        assert!(
            e.contains("xx-nowhere") && e.contains("--voice system"),
            "{e}"
        );
        // and espeak-ng still works with a real voice afterwards
        assert!(!phonemize("hi", "en-us").unwrap().is_empty());
    }

    #[test]
    fn language_flags_are_dropped() {
        assert_eq!(strip_language_flags("(fr)ʃɑ̃(en) tˈuː"), "ʃɑ̃ tˈuː");
    }
}
