//! Hashing, atomic writes and the output index.
//!
//! Documents are first written under a staging directory inside the output
//! directory (same file system, so the final move is a rename), and only when
//! every document of the batch exists are they moved into place and the index
//! rewritten. A document already issued with different bytes is never
//! replaced unless the caller asks for it explicitly.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plan::TipoDocumento;

/// Name of the index file in the output directory.
pub const INDICE: &str = "index.json";
/// Prefix of staging directories; a leftover one is from an interrupted build.
pub const PREFISSO_STAGING: &str = ".lauream-staging-";

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// Writes a file atomically: a temporary file in the same directory, flushed
/// to disk, then renamed over the target.
pub fn scrivi_atomico(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".lauream-tmp-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// One document in `index.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoceIndice {
    pub kind: TipoDocumento,
    /// The course; null for documents of the whole year's offer.
    pub course: Option<String>,
    /// Tax code of the person; null for course-level documents.
    pub person: Option<String>,
    /// Path relative to the output directory, with `/`.
    pub path: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub title: String,
    pub id: String,
}

/// `index.json`: every document in the output directory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Indice {
    pub generator: String,
    pub documents: Vec<VoceIndice>,
}

impl Indice {
    /// Reads the index of an output directory; an absent one is empty.
    pub fn leggi(out: &Path) -> anyhow::Result<Indice> {
        let p = out.join(INDICE);
        match std::fs::read(&p) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|e| anyhow::anyhow!("{}: indice non leggibile: {e}", p.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Indice::default()),
            Err(e) => Err(anyhow::anyhow!("{}: {e}", p.display())),
        }
    }

    /// Adds or replaces entries by path, keeping the list sorted by path so
    /// the index itself is reproducible.
    pub fn aggiorna(&mut self, voci: impl IntoIterator<Item = VoceIndice>) {
        let mut per_percorso: BTreeMap<String, VoceIndice> = std::mem::take(&mut self.documents)
            .into_iter()
            .map(|v| (v.path.clone(), v))
            .collect();
        for v in voci {
            per_percorso.insert(v.path.clone(), v);
        }
        self.documents = per_percorso.into_values().collect();
        self.generator = format!("lauream {}", env!("CARGO_PKG_VERSION"));
    }

    pub fn scrivi(&self, out: &Path) -> std::io::Result<()> {
        let mut json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        json.push(b'\n');
        scrivi_atomico(&out.join(INDICE), &json)
    }
}

/// A staging area for one build: files land here first, then move into the
/// output directory all together.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    pub fn new(out: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(out)?;
        let dir = tempfile::Builder::new()
            .prefix(PREFISSO_STAGING)
            .tempdir_in(out)?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    /// Writes one document's bytes to the staging area; returns its hash.
    pub fn scrivi(&self, relativo: &str, bytes: &[u8]) -> std::io::Result<String> {
        let p = self.dir.path().join(relativo);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(&p, bytes)?;
        Ok(sha256_hex(bytes))
    }

    /// Paths whose existing file differs from the staged one.
    pub fn conflitti<'a>(&self, voci: &'a [VoceIndice]) -> Vec<&'a VoceIndice> {
        voci.iter()
            .filter(|v| {
                let esistente = self.out.join(&v.path);
                esistente.exists()
                    && sha256_file(&esistente)
                        .map(|h| h != v.sha256)
                        .unwrap_or(true)
            })
            .collect()
    }

    /// Moves every staged document into place (each move is a rename) and
    /// removes the staging area.
    pub fn pubblica(self, voci: &[VoceIndice]) -> std::io::Result<()> {
        for v in voci {
            let da = self.dir.path().join(&v.path);
            let a = self.out.join(&v.path);
            if let Some(d) = a.parent() {
                std::fs::create_dir_all(d)?;
            }
            std::fs::File::open(&da)?.sync_all()?;
            std::fs::rename(&da, &a)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_noto() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn scrittura_atomica_sostituisce() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a/b.txt");
        scrivi_atomico(&p, b"uno").unwrap();
        scrivi_atomico(&p, b"due").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"due");
        let resti: Vec<_> = std::fs::read_dir(d.path().join("a")).unwrap().collect();
        assert_eq!(resti.len(), 1, "nessun file temporaneo rimasto");
    }
}
