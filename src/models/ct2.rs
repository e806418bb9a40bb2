//! Reader for CTranslate2's `model.bin` (binary version 6): a list of named,
//! typed tensors followed by aliases. Only what a Whisper conversion needs.

use super::ModelError;
use std::path::{Path, PathBuf};

/// Element type of a CT2 variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    BF16,
}

impl DType {
    fn from_code(code: u8) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::BF16,
            _ => return None,
        })
    }

    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

/// One named tensor (or scalar, when `shape` is empty) of a CT2 model.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub shape: Vec<usize>,
    pub dtype: DType,
    pub data: Vec<u8>,
}

impl Variable {
    /// Values as f32, whatever the stored float type.
    pub fn to_f32(&self) -> Result<Vec<f32>, String> {
        let d = &self.data;
        Ok(match self.dtype {
            DType::F32 => d
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            DType::F16 => d
                .chunks_exact(2)
                .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            DType::BF16 => d
                .chunks_exact(2)
                .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
                .collect(),
            other => return Err(format!("{} is {other:?}, expected a float type", self.name)),
        })
    }

    /// Integer value of a scalar variable (e.g. `encoder/num_heads`).
    pub fn scalar_int(&self) -> Option<i64> {
        if !self.shape.is_empty() {
            return None;
        }
        let d = &self.data;
        match self.dtype {
            DType::I8 => d.first().map(|&b| b as i8 as i64),
            DType::I16 if d.len() == 2 => Some(i16::from_le_bytes([d[0], d[1]]) as i64),
            DType::I32 if d.len() == 4 => Some(i32::from_le_bytes([d[0], d[1], d[2], d[3]]) as i64),
            _ => None,
        }
    }

    pub fn numel(&self) -> usize {
        self.shape.iter().product()
    }
}

/// A parsed CT2 model file.
#[derive(Debug)]
pub struct Ct2Model {
    pub spec: String,
    pub variables: Vec<Variable>,
    pub aliases: Vec<(String, String)>,
}

impl Ct2Model {
    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }

    pub fn read(path: &Path) -> Result<Ct2Model, ModelError> {
        let bytes = std::fs::read(path).map_err(|e| ModelError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        Self::parse(&bytes, path)
    }

    pub fn parse(bytes: &[u8], path: &Path) -> Result<Ct2Model, ModelError> {
        let mut r = Cursor {
            bytes,
            pos: 0,
            path: path.to_path_buf(),
        };
        let version = r.u32()?;
        if version != 6 {
            return Err(r.corrupt(format!(
                "CTranslate2 binary version {version}, only version 6 is supported"
            )));
        }
        let spec = r.string()?;
        if spec != "WhisperSpec" {
            return Err(r.corrupt(format!("model spec is {spec:?}, not a Whisper model")));
        }
        let _revision = r.u32()?;
        let count = r.u32()? as usize;
        if count > 100_000 {
            return Err(r.corrupt(format!("implausible variable count {count}")));
        }
        let mut variables = Vec::with_capacity(count);
        for _ in 0..count {
            let name = r.string()?;
            let rank = r.u8()? as usize;
            let mut shape = Vec::with_capacity(rank);
            for _ in 0..rank {
                shape.push(r.u32()? as usize);
            }
            let code = r.u8()?;
            let dtype = DType::from_code(code).ok_or_else(|| {
                r.corrupt(format!("variable {name} has unknown type code {code}"))
            })?;
            let nbytes = r.u32()? as usize;
            let numel: usize = shape.iter().product();
            if numel * dtype.size() != nbytes {
                return Err(r.corrupt(format!(
                    "variable {name}: shape {shape:?} of {dtype:?} needs {} bytes, header says {nbytes}",
                    numel * dtype.size()
                )));
            }
            let data = r.take(nbytes)?.to_vec();
            variables.push(Variable {
                name,
                shape,
                dtype,
                data,
            });
        }
        let n_alias = r.u32()? as usize;
        let mut aliases = Vec::with_capacity(n_alias.min(1024));
        for _ in 0..n_alias {
            let alias = r.string()?;
            let target = r.string()?;
            aliases.push((alias, target));
        }
        if r.pos != bytes.len() {
            return Err(r.corrupt(format!(
                "{} unexpected bytes after the last alias",
                bytes.len() - r.pos
            )));
        }
        Ok(Ct2Model {
            spec,
            variables,
            aliases,
        })
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    path: PathBuf,
}

impl<'a> Cursor<'a> {
    fn corrupt(&self, why: String) -> ModelError {
        ModelError::Corrupt {
            path: self.path.clone(),
            why,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if self.bytes.len() - self.pos < n {
            return Err(self.corrupt(format!(
                "file ends at byte {} while {} more bytes were expected (truncated download?)",
                self.bytes.len(),
                n - (self.bytes.len() - self.pos)
            )));
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, ModelError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A `u16` length (counting a trailing NUL), the UTF-8 bytes, then the NUL.
    fn string(&mut self) -> Result<String, ModelError> {
        let n = self.u16()? as usize;
        if n == 0 {
            return Err(self.corrupt("zero-length string".into()));
        }
        let b = self.take(n)?;
        if b[n - 1] != 0 {
            return Err(self.corrupt("string is not NUL-terminated".into()));
        }
        String::from_utf8(b[..n - 1].to_vec())
            .map_err(|_| self.corrupt("string is not UTF-8".into()))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn push_str(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }

    /// Serialises variables in CT2's layout (used to build small test models).
    pub(crate) fn write_ct2(vars: &[Variable], aliases: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&6u32.to_le_bytes());
        push_str(&mut out, "WhisperSpec");
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(vars.len() as u32).to_le_bytes());
        for v in vars {
            push_str(&mut out, &v.name);
            out.push(v.shape.len() as u8);
            for d in &v.shape {
                out.extend_from_slice(&(*d as u32).to_le_bytes());
            }
            let code = match v.dtype {
                DType::F32 => 0,
                DType::I8 => 1,
                DType::I16 => 2,
                DType::I32 => 3,
                DType::F16 => 4,
                DType::BF16 => 5,
            };
            out.push(code);
            out.extend_from_slice(&(v.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&v.data);
        }
        out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
        for (a, t) in aliases {
            push_str(&mut out, a);
            push_str(&mut out, t);
        }
        out
    }

    fn sample() -> Vec<u8> {
        let vars = vec![
            Variable {
                name: "encoder/num_heads".into(),
                shape: vec![],
                dtype: DType::I16,
                data: 6i16.to_le_bytes().to_vec(),
            },
            Variable {
                name: "w".into(),
                shape: vec![2],
                dtype: DType::F16,
                data: [half::f16::from_f32(1.5), half::f16::from_f32(-2.0)]
                    .iter()
                    .flat_map(|h| h.to_le_bytes())
                    .collect(),
            },
        ];
        write_ct2(&vars, &[("a", "w")])
    }

    #[test]
    fn parses_variables_scalars_and_aliases() {
        let m = Ct2Model::parse(&sample(), Path::new("m.bin")).unwrap();
        assert_eq!(m.variables.len(), 2);
        assert_eq!(m.get("encoder/num_heads").unwrap().scalar_int(), Some(6));
        assert_eq!(m.get("w").unwrap().to_f32().unwrap(), vec![1.5, -2.0]);
        assert_eq!(m.aliases, vec![("a".to_string(), "w".to_string())]);
    }

    #[test]
    fn truncated_file_is_a_clear_error() {
        let bytes = sample();
        for cut in [0, 3, 10, 30, bytes.len() - 1] {
            let err = Ct2Model::parse(&bytes[..cut], Path::new("x/model.bin")).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains("x/model.bin"), "{msg}");
            assert!(msg.contains("truncated") || msg.contains("ends"), "{msg}");
        }
    }

    #[test]
    fn corrupt_header_and_trailing_bytes_are_rejected() {
        let mut bytes = sample();
        bytes[0] = 5;
        assert!(Ct2Model::parse(&bytes, Path::new("m.bin"))
            .unwrap_err()
            .to_string()
            .contains("version 5"));
        let mut bytes = sample();
        bytes.push(0);
        assert!(Ct2Model::parse(&bytes, Path::new("m.bin"))
            .unwrap_err()
            .to_string()
            .contains("unexpected bytes"));
        let garbage = vec![0xABu8; 64];
        assert!(Ct2Model::parse(&garbage, Path::new("m.bin")).is_err());
    }
}
