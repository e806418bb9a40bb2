//! The client side of the protocol, blocking (the CLI has no runtime):
//! connect to the daemon's socket, send requests, read replies and events.

use super::protocol::{decode_response, encode, Request, Response, MAX_REPLY};
use super::DaemonError;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

pub struct Client {
    path: PathBuf,
    writer: UnixStream,
    reader: BufReader<UnixStream>,
}

impl Client {
    /// Connects; [`DaemonError::NotRunning`] when nothing listens there.
    pub fn connect(path: &Path) -> Result<Client, DaemonError> {
        let stream = UnixStream::connect(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused => {
                DaemonError::NotRunning(path.to_path_buf())
            }
            _ => DaemonError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
        let reader = BufReader::new(stream.try_clone().map_err(DaemonError::io(path))?);
        Ok(Client {
            path: path.to_path_buf(),
            writer: stream,
            reader,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A second handle for sending from another thread.
    pub fn sender(&self) -> Result<Sender, DaemonError> {
        Ok(Sender {
            stream: self
                .writer
                .try_clone()
                .map_err(DaemonError::io(&self.path))?,
        })
    }

    pub fn send(&mut self, req: &Request) -> Result<(), DaemonError> {
        write_request(&mut self.writer, req).map_err(DaemonError::io(&self.path))
    }

    /// The next reply or event; [`DaemonError::Closed`] when the daemon hangs up.
    pub fn recv(&mut self) -> Result<Response, DaemonError> {
        let mut buf = Vec::new();
        let n = (&mut self.reader)
            .take(MAX_REPLY as u64)
            .read_until(b'\n', &mut buf)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::ConnectionReset => DaemonError::Closed,
                _ => DaemonError::Io {
                    path: self.path.clone(),
                    source: e,
                },
            })?;
        if n == 0 {
            return Err(DaemonError::Closed);
        }
        decode_response(String::from_utf8_lossy(&buf).trim_end()).map_err(DaemonError::Protocol)
    }

    /// Sends a request and reads its reply; an error reply becomes
    /// [`DaemonError::Refused`].
    pub fn call(&mut self, req: &Request) -> Result<Response, DaemonError> {
        if let Err(e) = self.send(req) {
            // A refused connection (busy, another user) is closed at once;
            // its reason may still be waiting to be read.
            return match self.recv() {
                Ok(Response::Error { code, message }) => {
                    Err(DaemonError::Refused { code, message })
                }
                _ => Err(e),
            };
        }
        match self.recv()? {
            Response::Error { code, message } => Err(DaemonError::Refused { code, message }),
            r => Ok(r),
        }
    }
}

/// Sends requests on a client's connection from another thread.
pub struct Sender {
    stream: UnixStream,
}

impl Sender {
    pub fn send(&mut self, req: &Request) -> std::io::Result<()> {
        write_request(&mut self.stream, req)
    }
}

fn write_request(w: &mut UnixStream, req: &Request) -> std::io::Result<()> {
    let mut line = encode(req);
    line.push('\n');
    w.write_all(line.as_bytes())
}
