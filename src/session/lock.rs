//! One process per session folder: `session.lock` is held (an advisory
//! `flock`) for as long as the session runs, so a second `mockint resume` of
//! a running session is refused instead of writing the same files.

use super::SessionError;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::Path;

pub struct FolderLock {
    _file: File,
}

impl FolderLock {
    /// Takes the folder's lock, or says which process holds it.
    pub fn take(dir: &Path) -> Result<FolderLock, SessionError> {
        let path = dir.join("session.lock");
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| SessionError::Failed(format!("{}: {e}", path.display())))?;
        // SAFETY: flock on a descriptor this function owns.
        let taken = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
        if !taken {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let who = match holder.trim() {
                "" => String::new(),
                pid => format!(" (pid {pid})"),
            };
            return Err(SessionError::Usage(format!(
                "{}: this session is in use by another mockint process{who}; wait for it to end, or stop it first",
                dir.display()
            )));
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        Ok(FolderLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_pid() {
        let d = tempfile::tempdir().unwrap();
        let first = FolderLock::take(d.path()).unwrap();
        let err = FolderLock::take(d.path())
            .err()
            .expect("refused")
            .to_string();
        assert!(err.contains("in use by another mockint process"), "{err}");
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        assert!(!err.contains('\n'));
        drop(first);
        FolderLock::take(d.path()).expect("free again once released");
    }
}
