//! Where the registry of issued documents is.
//!
//! The registry belongs to the office, not to an output folder: every build
//! of a dataset uses the same one, beside the dataset (`registro.sqlite`
//! next to `ateneo.json`) or where `ateneo.json` says (`registro`), so that
//! a secretary's `build --course X --out certificati` and the office's
//! `build --out anno` give a document the same number and code, and a
//! revocation is seen by both. `--registry` overrides it.
//!
//! A build records in its `index.json` where its registry was, so that the
//! commands that consult it (`lookup`, `verify-doc`, `revoke`) find it from
//! an output folder, or from a published file inside one.

use std::path::{Component, Path, PathBuf};

use anyhow::Context;

use super::FILE_REGISTRO;
use crate::archive::{Indice, INDICE};

/// The registry of a dataset: the path `ateneo.json` gives (relative to the
/// dataset directory, or absolute), else `registro.sqlite` in the dataset.
pub fn del_dataset(dataset: &Path, dichiarato: Option<&str>) -> PathBuf {
    match dichiarato.map(str::trim).filter(|p| !p.is_empty()) {
        // `join` keeps an absolute path as it is.
        Some(p) => dataset.join(p),
        None => dataset.join(FILE_REGISTRO),
    }
}

/// The registry of a dataset on disk, reading only the `registro` field of
/// its `ateneo.json` (the commands that consult the registry need nothing
/// else of the dataset, which may be invalid meanwhile).
pub fn del_dataset_su_disco(dataset: &Path) -> anyhow::Result<PathBuf> {
    let p = dataset.join("ateneo.json");
    let testo = std::fs::read(&p).with_context(|| p.display().to_string())?;
    let v: serde_json::Value = serde_json::from_slice(&testo)
        .map_err(|e| anyhow::anyhow!("{}: JSON non valido: {e}", p.display()))?;
    Ok(del_dataset(dataset, v["registro"].as_str()))
}

/// The registry's path as an output folder's index records it: relative to
/// the folder when both are on the same tree (so that moving the folder and
/// the dataset together keeps the link), absolute otherwise. Both must exist.
pub fn per_indice(out: &Path, registro: &Path) -> String {
    let (Ok(da), Ok(a)) = (out.canonicalize(), registro.canonicalize()) else {
        return registro.display().to_string();
    };
    let comuni = da
        .components()
        .zip(a.components())
        .take_while(|(x, y)| x == y)
        .count();
    // Only the root in common (another disk, or `/` itself): absolute.
    if comuni <= 1 {
        return a.display().to_string();
    }
    let mut rel = PathBuf::new();
    for c in da.components().skip(comuni) {
        if matches!(c, Component::Normal(_)) {
            rel.push("..");
        }
    }
    for c in a.components().skip(comuni) {
        rel.push(c);
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The registry an output folder's builds used: what its index records,
/// or `registro.sqlite` inside it (the place of versions before the registry
/// moved beside the dataset). `None` when the folder has no index.
pub fn dell_uscita(out: &Path) -> anyhow::Result<Option<PathBuf>> {
    if !out.join(INDICE).is_file() {
        return Ok(None);
    }
    let indice = Indice::leggi(out)?;
    Ok(Some(match indice.registry {
        Some(r) => out.join(r),
        None => out.join(FILE_REGISTRO),
    }))
}

/// The output folder a published file belongs to: its nearest ancestor
/// holding an `index.json`.
pub fn uscita_di(file: &Path) -> Option<PathBuf> {
    let assoluto = file.canonicalize().ok()?;
    assoluto
        .ancestors()
        .skip(1)
        .find(|d| d.join(INDICE).is_file())
        .map(Path::to_path_buf)
}

/// What points to the registry a command consults, in order of precedence.
#[derive(Debug, Default, Clone, Copy)]
pub struct Indicazioni<'a> {
    /// `--registry`: the file itself.
    pub registro: Option<&'a Path>,
    /// `--dataset`: the dataset whose registry it is.
    pub dataset: Option<&'a Path>,
    /// `--out`: an output folder, whose index records its registry.
    pub out: Option<&'a Path>,
    /// A published file (`verify-doc`): the output folder it sits in.
    pub file: Option<&'a Path>,
}

/// The registry a command consults: `--registry`, else the dataset's, else
/// the one the output folder's index records (`--out`, or the folder a
/// published file sits in, or `output/` as builds default to). The file must
/// exist: consulting never creates an empty registry.
pub fn da_consultare(ind: Indicazioni) -> anyhow::Result<PathBuf> {
    if let Some(r) = ind.registro {
        return Ok(r.to_path_buf());
    }
    if let Some(d) = ind.dataset {
        return del_dataset_su_disco(d);
    }
    if let Some(out) = ind.out {
        return Ok(dell_uscita(out)?.unwrap_or_else(|| out.join(FILE_REGISTRO)));
    }
    if let Some(out) = ind.file.and_then(uscita_di) {
        if let Some(r) = dell_uscita(&out)? {
            return Ok(r);
        }
    }
    let predefinita = Path::new("output");
    if let Some(r) = dell_uscita(predefinita)? {
        return Ok(r);
    }
    anyhow::bail!(
        "registro non trovato: indicare la cartella di una build (--out DIR), il dataset (--dataset DIR) o il registro stesso (--registry FILE)"
    )
}

/// Whether `file` is the registry's database or one of SQLite's companion
/// files (`-journal`, `-wal`, `-shm`): not part of a dataset's content even
/// when it sits inside the dataset directory.
pub fn e_del_registro(file: &Path, registro: &Path) -> bool {
    let (Some(nome), Some(nome_registro)) = (file.file_name(), registro.file_name()) else {
        return false;
    };
    let nome = nome.to_string_lossy();
    let base = nome_registro.to_string_lossy();
    let stesso_nome = ["", "-journal", "-wal", "-shm"]
        .iter()
        .any(|s| nome == format!("{base}{s}"));
    if !stesso_nome {
        return false;
    }
    let cartella = |p: &Path| {
        let d = p.parent().filter(|d| !d.as_os_str().is_empty());
        d.unwrap_or(Path::new(".")).canonicalize().ok()
    };
    match (cartella(file), cartella(registro)) {
        (Some(a), Some(b)) => a == b,
        _ => file.parent() == registro.parent(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn il_registro_predefinito_sta_accanto_al_dataset() {
        let d = Path::new("anno");
        assert_eq!(del_dataset(d, None), d.join(FILE_REGISTRO));
        assert_eq!(del_dataset(d, Some("  ")), d.join(FILE_REGISTRO));
        assert_eq!(
            del_dataset(d, Some("../ufficio/registro.sqlite")),
            d.join("../ufficio/registro.sqlite")
        );
    }

    #[test]
    fn il_percorso_nell_indice_e_relativo_quando_si_puo() {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("uscite/anno");
        let ds = t.path().join("dati");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&ds).unwrap();
        let r = ds.join(FILE_REGISTRO);
        std::fs::write(&r, b"").unwrap();
        let rel = per_indice(&out, &r);
        assert_eq!(rel, "../../dati/registro.sqlite");
        assert_eq!(
            out.join(&rel).canonicalize().unwrap(),
            r.canonicalize().unwrap()
        );
    }

    #[test]
    fn i_file_compagni_del_registro_sono_riconosciuti() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().join(FILE_REGISTRO);
        std::fs::write(&r, b"").unwrap();
        for n in [
            "registro.sqlite",
            "registro.sqlite-journal",
            "registro.sqlite-wal",
        ] {
            assert!(e_del_registro(&t.path().join(n), &r), "{n}");
        }
        assert!(!e_del_registro(&t.path().join("ateneo.json"), &r));
        assert!(!e_del_registro(
            &t.path().join("altro").join(FILE_REGISTRO),
            &r
        ));
    }
}
