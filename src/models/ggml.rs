//! whisper.cpp's ggml model file: writing one (from a converted model) and
//! inspecting one (so a missing, truncated or foreign file gets a clear error
//! before whisper.cpp sees it).

use super::ModelError;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

pub const MAGIC: u32 = 0x6767_6d6c;

/// The 11 hyper-parameters at the start of a ggml Whisper file, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct HParams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
}

impl HParams {
    fn as_array(&self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    /// The size name whisper.cpp gives a model with this many encoder layers.
    pub fn size_name(&self) -> &'static str {
        match self.n_audio_layer {
            4 => "tiny",
            6 => "base",
            12 => "small",
            24 => "medium",
            32 => "large",
            _ => "unknown",
        }
    }

    /// English-only models have a 51,864-token vocabulary.
    pub fn is_multilingual(&self) -> bool {
        self.n_vocab >= 51865
    }
}

/// Streams a ggml file: header, mel filters, vocab, then tensors.
pub struct GgmlWriter<W: Write> {
    out: W,
}

impl<W: Write> GgmlWriter<W> {
    pub fn new(
        mut out: W,
        hp: &HParams,
        mel: &[f32],
        n_mels: usize,
        vocab: &[Vec<u8>],
    ) -> std::io::Result<Self> {
        write_i32(&mut out, MAGIC as i32)?;
        for v in hp.as_array() {
            write_i32(&mut out, v)?;
        }
        write_i32(&mut out, n_mels as i32)?;
        write_i32(&mut out, (mel.len() / n_mels) as i32)?;
        for &m in mel {
            out.write_all(&m.to_le_bytes())?;
        }
        write_i32(&mut out, vocab.len() as i32)?;
        for tok in vocab {
            write_i32(&mut out, tok.len() as i32)?;
            out.write_all(tok)?;
        }
        Ok(GgmlWriter { out })
    }

    /// Writes one tensor; `shape` is in PyTorch (row-major) order and is
    /// stored reversed, as ggml's `ne`.
    pub fn tensor(
        &mut self,
        name: &str,
        shape: &[usize],
        data: &[f32],
        f16: bool,
    ) -> std::io::Result<()> {
        let o = &mut self.out;
        write_i32(o, shape.len() as i32)?;
        write_i32(o, name.len() as i32)?;
        write_i32(o, if f16 { 1 } else { 0 })?;
        for d in shape.iter().rev() {
            write_i32(o, *d as i32)?;
        }
        o.write_all(name.as_bytes())?;
        if f16 {
            for &x in data {
                o.write_all(&half::f16::from_f32(x).to_le_bytes())?;
            }
        } else {
            for &x in data {
                o.write_all(&x.to_le_bytes())?;
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_i32<W: Write>(w: &mut W, v: i32) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

/// What [`inspect`] learned about a ggml file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GgmlInfo {
    pub hparams: HParams,
    pub n_tensors: usize,
    pub bytes: u64,
}

/// Bytes per block and elements per block of a ggml tensor type.
fn type_layout(t: i32) -> Option<(u64, u64)> {
    Some(match t {
        0 => (4, 1),   // f32
        1 => (2, 1),   // f16
        2 => (18, 32), // q4_0
        3 => (20, 32), // q4_1
        6 => (22, 32), // q5_0
        7 => (24, 32), // q5_1
        8 => (34, 32), // q8_0
        _ => return None,
    })
}

/// Walks a ggml Whisper file's header and every tensor record, checking that
/// the file ends exactly after the last tensor.
pub fn inspect(path: &Path) -> Result<GgmlInfo, ModelError> {
    let io = |e: std::io::Error| ModelError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let corrupt = |why: String| ModelError::Corrupt {
        path: path.to_path_buf(),
        why,
    };
    let file = std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ModelError::Missing {
                path: path.to_path_buf(),
            }
        } else {
            io(e)
        }
    })?;
    let len = file.metadata().map_err(io)?.len();
    let mut r = std::io::BufReader::new(file);
    let read_i32 = |r: &mut std::io::BufReader<std::fs::File>| -> Result<i32, ModelError> {
        let mut b = [0u8; 4];
        r.read_exact(&mut b).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                corrupt("file ends inside its header (truncated download?)".into())
            } else {
                io(e)
            }
        })?;
        Ok(i32::from_le_bytes(b))
    };
    let magic = read_i32(&mut r)?;
    if magic as u32 != MAGIC {
        return Err(ModelError::NotGgml {
            path: path.to_path_buf(),
        });
    }
    let mut h = [0i32; 11];
    for v in h.iter_mut() {
        *v = read_i32(&mut r)?;
    }
    let hparams = HParams {
        n_vocab: h[0],
        n_audio_ctx: h[1],
        n_audio_state: h[2],
        n_audio_head: h[3],
        n_audio_layer: h[4],
        n_text_ctx: h[5],
        n_text_state: h[6],
        n_text_head: h[7],
        n_text_layer: h[8],
        n_mels: h[9],
        ftype: h[10],
    };
    if !(1..=1_000_000).contains(&hparams.n_vocab) || !(1..=512).contains(&hparams.n_mels) {
        return Err(corrupt(format!("implausible hyper-parameters {hparams:?}")));
    }
    let mut pos: u64 = 4 + 44;
    let skip = |r: &mut std::io::BufReader<std::fs::File>, n: u64, pos: &mut u64, what: &str| {
        *pos += n;
        if *pos > len {
            return Err(corrupt(format!(
                "file ends inside {what} at byte {len} of at least {pos} (truncated download?)"
            )));
        }
        r.seek(SeekFrom::Start(*pos)).map_err(io)?;
        Ok(())
    };
    let n_mel = read_i32(&mut r)? as i64;
    let n_fft = read_i32(&mut r)? as i64;
    pos += 8;
    if !(0..=1024).contains(&n_mel) || !(0..=4096).contains(&n_fft) {
        return Err(corrupt(format!(
            "implausible mel filter bank {n_mel}×{n_fft}"
        )));
    }
    skip(
        &mut r,
        (n_mel * n_fft * 4) as u64,
        &mut pos,
        "the mel filters",
    )?;
    let n_vocab = read_i32(&mut r)?;
    pos += 4;
    for _ in 0..n_vocab.max(0) {
        let l = read_i32(&mut r)?;
        pos += 4;
        if !(0..=1024).contains(&l) {
            return Err(corrupt(format!("implausible vocab token length {l}")));
        }
        skip(&mut r, l as u64, &mut pos, "the vocabulary")?;
    }
    let mut n_tensors = 0;
    while pos < len {
        let n_dims = read_i32(&mut r)?;
        let name_len = read_i32(&mut r)?;
        let ttype = read_i32(&mut r)?;
        pos += 12;
        if !(1..=4).contains(&n_dims) || !(1..=256).contains(&name_len) {
            return Err(corrupt(format!(
                "bad tensor record #{n_tensors} at byte {}",
                pos - 12
            )));
        }
        let mut numel: u64 = 1;
        for _ in 0..n_dims {
            numel *= read_i32(&mut r)?.max(0) as u64;
            pos += 4;
        }
        let (bytes, per) = type_layout(ttype)
            .ok_or_else(|| corrupt(format!("tensor #{n_tensors} has unknown type {ttype}")))?;
        skip(
            &mut r,
            name_len as u64 + numel.div_ceil(per) * bytes,
            &mut pos,
            "a tensor",
        )?;
        n_tensors += 1;
    }
    if n_tensors == 0 {
        return Err(corrupt(
            "no tensors after the vocabulary (truncated download?)".into(),
        ));
    }
    Ok(GgmlInfo {
        hparams,
        n_tensors,
        bytes: len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_file() -> Vec<u8> {
        let hp = HParams {
            n_vocab: 2,
            n_mels: 2,
            ftype: 1,
            ..Default::default()
        };
        let mut w = GgmlWriter::new(
            Vec::new(),
            &hp,
            &[0.5; 6],
            2,
            &[b"a".to_vec(), b" b".to_vec()],
        )
        .unwrap();
        w.tensor("x.weight", &[2, 3], &[1.0; 6], true).unwrap();
        w.tensor("x.bias", &[2], &[0.0; 2], false).unwrap();
        w.finish().unwrap()
    }

    #[test]
    fn writes_a_file_that_inspects_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.bin");
        let bytes = tiny_file();
        std::fs::write(&p, &bytes).unwrap();
        let info = inspect(&p).unwrap();
        assert_eq!(info.n_tensors, 2);
        assert_eq!(info.hparams.n_vocab, 2);
        assert_eq!(info.bytes, bytes.len() as u64);
        // dims are stored reversed: ne0 = 3, ne1 = 2 for a [2, 3] tensor
        let rec = bytes.len() - (12 + 8 + 8 + 12 + 4 + 6 + 8 + 12);
        assert_eq!(&bytes[rec..rec + 4], &2i32.to_le_bytes());
        assert_eq!(&bytes[rec + 12..rec + 16], &3i32.to_le_bytes());
    }

    #[test]
    fn truncated_foreign_and_missing_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = tiny_file();
        let p = dir.path().join("cut.bin");
        for cut in [2, 30, bytes.len() - 3] {
            std::fs::write(&p, &bytes[..cut]).unwrap();
            let msg = inspect(&p).unwrap_err().to_string();
            assert!(
                msg.contains("cut.bin") && msg.contains("truncated"),
                "{msg}"
            );
        }
        let p = dir.path().join("song.bin");
        std::fs::write(&p, b"RIFF....WAVEfmt junk junk junk junk junk junk").unwrap();
        let msg = inspect(&p).unwrap_err().to_string();
        assert!(
            msg.contains("song.bin") && msg.contains("not a whisper.cpp ggml model"),
            "{msg}"
        );
        let msg = inspect(&dir.path().join("nope.bin"))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("nope.bin") && msg.contains("not found"),
            "{msg}"
        );
    }
}
