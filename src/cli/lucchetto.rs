//! The lock `build` and `revoke` take before writing (see
//! [`crate::build::lucchetto`]), with what the user reads while waiting.

use std::path::{Path, PathBuf};

use crate::build::lucchetto::{self, Lucchetto, Occupante};

/// Takes the locks for `comando`; with `attendi` (`--wait`) says whom it is
/// waiting for and waits, otherwise fails at once naming who holds them.
pub(super) fn prendi(file: &[PathBuf], comando: &str, attendi: bool) -> anyhow::Result<Lucchetto> {
    let avvisa = |p: &Path, o: Option<&Occupante>| {
        eprintln!(
            "{}: in attesa che termini {}",
            p.display(),
            o.map_or_else(|| "un'altra scrittura".to_string(), |o| o.to_string())
        );
    };
    Lucchetto::prendi(
        file,
        comando,
        attendi.then_some(&avvisa as lucchetto::Attesa),
    )
}

/// The problems `verify` found, less the temporary files of a build that is
/// running now in that directory (its staging folder is no leftover of an
/// interrupted build), with a note saying who is writing.
pub(super) fn senza_file_di_chi_scrive(dir: &Path, problemi: Vec<String>) -> Vec<String> {
    let Some(o) = lucchetto::scrittore_attivo(dir) else {
        return problemi;
    };
    eprintln!(
        "nota: è in corso {o}: i suoi file temporanei non sono resti di una build interrotta"
    );
    problemi
        .into_iter()
        .filter(|p| !p.contains(crate::archive::disco::PREFISSO_RESTI))
        .collect()
}
