//! What can stop a session from starting or running, each kind with the exit
//! status the command line gives it.

use crate::audio::AudioError;
use crate::bank::BankErrors;
use crate::stt::SttError;
use crate::transcript::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error(transparent)]
    Stt(#[from] SttError),
    #[error("{0}")]
    Bank(#[from] BankErrors),
    /// Bad input the user can fix: a flag, a file, a session folder.
    #[error("{0}")]
    Usage(String),
    /// Something failed while the session ran.
    #[error("{0}")]
    Failed(String),
}

impl SessionError {
    /// 2 for input the user can fix, 1 for failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            SessionError::Audio(AudioError::Resample(_)) => 1,
            SessionError::Audio(_) | SessionError::Usage(_) | SessionError::Bank(_) => 2,
            SessionError::Stt(SttError::Decode(_)) => 1,
            SessionError::Stt(_) => 2,
            SessionError::Failed(_) => 1,
        }
    }
}

impl From<StoreError> for SessionError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Io { .. } => SessionError::Failed(e.to_string()),
            _ => SessionError::Usage(e.to_string()),
        }
    }
}

impl From<crate::llm::LlmError> for SessionError {
    fn from(e: crate::llm::LlmError) -> Self {
        SessionError::Usage(e.to_string())
    }
}
