//! The output directory on disk: its layout (the index, the bags, the OCFL
//! storage root, the prefixes a build gives its temporary names) and the
//! primitives that write it safely. Every other module asks here where
//! things are, so a layout change is made in one place.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

/// Name of the index file in the output directory.
pub const INDICE: &str = "index.json";
/// Prefix of staging directories; a leftover one is from an interrupted build.
pub const PREFISSO_STAGING: &str = ".lauream-staging-";
/// Prefix of temporary files and folders of atomic writes.
pub const PREFISSO_TEMPORANEO: &str = ".lauream-tmp-";

/// The hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hex SHA-256 of a file, read as a stream.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// Flushes to disk the files written so far: on Linux one `syncfs` of the
/// file system holding `dir`, elsewhere an fsync of each file. One call for a
/// whole batch instead of an fsync per document, which on ordinary disks
/// costs more than rendering the document.
pub fn sincronizza<'a>(
    dir: &Path,
    file: impl IntoIterator<Item = &'a Path>,
) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let _ = file;
        let d = std::fs::File::open(dir)?;
        // SAFETY: the descriptor is open for the whole call.
        if unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        for f in file {
            std::fs::File::open(f)?.sync_all()?;
        }
        Ok(())
    }
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
        .prefix(PREFISSO_TEMPORANEO)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are private; what we publish is readable like any other output.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The OCFL storage root inside the output directory.
pub const CARTELLA_OCFL: &str = "ocfl";
/// Where the bags' zips are kept inside the output directory.
pub const CARTELLA_BAG: &str = "bags";

/// The lock file a writer (build, revoke) holds in the output directory and
/// beside the registry: one writer at a time.
pub const FILE_LUCCHETTO: &str = "lauream.lock";
/// The public verification site a build writes, `OUT/verifica/`.
pub const CARTELLA_SITO: &str = "verifica";
/// The site's salt and derived keys, kept beside it and never published.
pub const FILE_RISERVATO_SITO: &str = "verifica-riservato.txt";

/// Prefix shared by every temporary name a build creates (staging folders,
/// temporary files, unfinished OCFL versions): whatever starts with it and
/// is still there when no build runs was left by an interrupted one.
pub const PREFISSO_RESTI: &str = ".lauream-";

/// Whether a file or folder name is one a build leaves only when it is
/// interrupted.
pub fn resto_di_build(nome: &str) -> bool {
    nome.starts_with(PREFISSO_RESTI)
}

/// The bag zip of an archive object's version, relative to the output
/// directory: `bags/<object>-<version>.zip`.
pub fn bag_zip(oggetto: &str, versione: &str) -> String {
    format!("{CARTELLA_BAG}/{oggetto}-{versione}.zip")
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

    /// The clean-up after an interrupted build finds every temporary name
    /// by the common prefix.
    #[test]
    fn ogni_nome_temporaneo_e_un_resto() {
        for p in [PREFISSO_STAGING, PREFISSO_TEMPORANEO] {
            assert!(resto_di_build(&format!("{p}x")), "{p}");
        }
        assert!(!resto_di_build("index.json"));
        assert_eq!(bag_zip("a-2025", "v2"), "bags/a-2025-v2.zip");
    }
}
