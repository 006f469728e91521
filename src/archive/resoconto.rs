//! What `lauream verify` checked and found: the archive's integrity
//! (fixity) check of whatever it is given (an output folder, a bag zip, an
//! unpacked bag, a folder of exported bags, an OCFL storage root), with the
//! count of what was checked, so that the last line says it: "7 bag,
//! 79 documenti, OCFL: integro (7 oggetti)".
//!
//! In an output folder every file must be accounted for: a document listed
//! in `index.json` with its digest, a bag zip under `bags/`, the OCFL
//! storage root, the index itself, the registry when it lives there. Any
//! other file (a PDF copied into `pergamene/` by hand) is reported: it
//! would look issued to anyone browsing the folder.

use super::disco;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{
    bagit, ocfl, resto_di_build, sha256_file, Indice, CARTELLA_BAG, CARTELLA_OCFL, INDICE,
};
use crate::messaggi::conta;

/// What a check covered and every problem it found.
#[derive(Debug, Default)]
pub struct Resoconto {
    /// Every problem, one line each; empty means intact.
    pub problemi: Vec<String>,
    /// Bags checked (zips and unpacked folders).
    pub bag: usize,
    /// Documents of an output folder's index checked against their digest.
    pub documenti: Option<usize>,
    /// OCFL objects checked, when a storage root was.
    pub oggetti_ocfl: Option<usize>,
    /// Whether the storage root, when checked, had no problem.
    pub ocfl_integro: bool,
}

impl fmt::Display for Resoconto {
    /// "7 bag, 79 documenti, OCFL: integro (7 oggetti)".
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mut parti = Vec::new();
        if self.bag > 0 || self.oggetti_ocfl.is_none() {
            parti.push(format!("{} bag", self.bag));
        }
        if let Some(n) = self.documenti {
            parti.push(conta(n, "documento", "documenti"));
        }
        if let Some(n) = self.oggetti_ocfl {
            parti.push(format!(
                "OCFL: {} ({})",
                if self.ocfl_integro {
                    "integro"
                } else {
                    "con problemi"
                },
                conta(n, "oggetto", "oggetti")
            ));
        }
        f.write_str(&parti.join(", "))
    }
}

/// Checks whatever `path` is; see the module's documentation.
pub fn controlla(path: &Path) -> Resoconto {
    let mut r = Resoconto::default();
    if path.is_file() {
        r.bag = 1;
        r.problemi = bagit::integrita_zip(path);
    } else if path.join("bagit.txt").exists() {
        r.bag = 1;
        r.problemi = bagit::integrita_cartella(path);
    } else if path.join(ocfl::NAMASTE_RADICE).exists() {
        radice_ocfl(path, "", &mut r);
    } else if path.join(INDICE).exists() {
        cartella_di_uscita(path, &mut r);
    } else if !cartella_di_bag(path, &mut r) {
        r.problemi.push(format!(
            "{}: non è una bag, una cartella di bag, una radice OCFL né una cartella di output di lauream",
            path.display()
        ));
    }
    r
}

/// A storage root, its problems prefixed (`ocfl: …` inside an output folder).
fn radice_ocfl(radice: &Path, prefisso: &str, r: &mut Resoconto) {
    let problemi = ocfl::integrita_radice(radice);
    r.oggetti_ocfl = Some(ocfl::oggetti(radice).len());
    r.ocfl_integro = problemi.is_empty();
    r.problemi
        .extend(problemi.into_iter().map(|p| format!("{prefisso}{p}")));
}

/// The zips and unpacked bags directly inside a folder (bags exported with
/// `lauream export`); false when there is none.
fn cartella_di_bag(dir: &Path, r: &mut Resoconto) -> bool {
    let mut voci: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|v| v.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    voci.sort();
    let mut trovate = false;
    for p in voci {
        if p.is_file() && p.extension().is_some_and(|e| e == "zip") {
            r.problemi.extend(bagit::integrita_zip(&p));
        } else if p.join("bagit.txt").is_file() {
            r.problemi.extend(bagit::integrita_cartella(&p));
        } else {
            continue;
        }
        r.bag += 1;
        trovate = true;
    }
    trovate
}

/// An output folder: every index entry against its file, the storage root,
/// every bag zip, no leftovers of an interrupted build, no file the index
/// does not account for.
fn cartella_di_uscita(path: &Path, r: &mut Resoconto) {
    let indice = match Indice::leggi(path) {
        Ok(i) => i,
        Err(e) => {
            r.problemi.push(e.to_string());
            Indice::default()
        }
    };
    for v in &indice.documents {
        match sha256_file(&path.join(&v.path)) {
            Ok(h) if h == v.sha256 => {}
            Ok(_) => r.problemi.push(format!(
                "{}: contenuto diverso da quello registrato in {INDICE}",
                v.path
            )),
            Err(_) => r
                .problemi
                .push(format!("{}: file mancante (elencato in {INDICE})", v.path)),
        }
    }
    r.documenti = Some(indice.documents.len());
    let radice = path.join(CARTELLA_OCFL);
    if radice.exists() {
        radice_ocfl(&radice, &format!("{CARTELLA_OCFL}: "), r);
    }
    let mut zip: Vec<PathBuf> = std::fs::read_dir(path.join(CARTELLA_BAG))
        .map(|v| {
            v.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "zip"))
                .collect()
        })
        .unwrap_or_default();
    zip.sort();
    for z in &zip {
        r.problemi.extend(bagit::integrita_zip(z));
    }
    r.bag = zip.len();
    estranei(path, &indice, r);
}

/// Files of an output folder that are neither listed in its index nor part
/// of its archive, and what interrupted builds left.
fn estranei(path: &Path, indice: &Indice, r: &mut Resoconto) {
    let elencati: std::collections::HashSet<&str> =
        indice.documents.iter().map(|v| v.path.as_str()).collect();
    let registro = indice
        .registry
        .as_deref()
        .map(|p| path.join(p))
        .unwrap_or_else(|| path.join(crate::registry::FILE_REGISTRO));
    let mut it = walkdir::WalkDir::new(path)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(e) = it.next() {
        let Ok(e) = e else { continue };
        let nome = e.file_name().to_string_lossy();
        if resto_di_build(&nome) {
            r.problemi.push(format!(
                "{}: file temporaneo rimasto da una build interrotta",
                e.path().display()
            ));
            if e.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        let rel: Vec<String> = e
            .path()
            .strip_prefix(path)
            .unwrap_or(e.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        if e.file_type().is_dir() {
            // The storage root is checked on its own; the verification site
            // is derived from the registry and rewritten by every build.
            if rel == CARTELLA_OCFL || rel == disco::CARTELLA_SITO {
                it.skip_current_dir();
            }
            continue;
        }
        let proprio = rel == INDICE
            || elencati.contains(rel.as_str())
            || (rel.starts_with(&format!("{CARTELLA_BAG}/")) && rel.ends_with(".zip"))
            || crate::registry::posto::e_del_registro(e.path(), &registro)
            // The program's own bookkeeping, never a document.
            || rel == disco::FILE_LUCCHETTO
            || rel == disco::FILE_RISERVATO_SITO
            || nome.starts_with(".lauream");
        if !proprio {
            r.problemi.push(format!(
                "{rel}: file non elencato in {INDICE}: non è un documento emesso in questa cartella (copiato a mano?)"
            ));
        }
    }
}
