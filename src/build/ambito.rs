//! A build of one course (`--course X`): a secretary's certificates are not
//! blocked by another course's broken roster. Every problem is attributed
//! to the course it belongs to; errors of other courses become warnings
//! that name their course, and those courses are left out of the build.
//! Errors that belong to no single course (`ateneo.json`, a roster file
//! that cannot be read and may hold the course's own rows, a row whose
//! course cannot be told) still block, as they would block a whole build.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::diag::{Gravita, Problema, Problemi};
use crate::input::{self, tabella};
use crate::model::Dataset;

/// Whose a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ambito {
    /// The whole dataset: the university, or a place whose course cannot be
    /// told. Blocks every build.
    Ateneo,
    /// One course, by id.
    Corso(String),
    /// Several courses (a roster file shared by them), none the one built.
    Corsi(Vec<String>),
}

/// What a roster or register file says of its courses, read once per file.
#[derive(Default)]
struct Tabelle {
    lette: HashMap<String, Option<tabella::Tabella>>,
}

impl Tabelle {
    fn di(&mut self, radice: &Path, file: &str) -> Option<&tabella::Tabella> {
        self.lette
            .entry(file.to_string())
            .or_insert_with(|| tabella::leggi(&radice.join(file), file).ok())
            .as_ref()
    }

    /// The course a row names, as written (trimmed).
    fn corso_della_riga(&mut self, radice: &Path, file: &str, riga: usize) -> Option<String> {
        let t = self.di(radice, file)?;
        let c = t.colonna("corso")?;
        let r = t.righe.iter().find(|r| r.numero == riga)?;
        let id = r.celle.get(c)?.testo();
        (!id.is_empty()).then_some(id)
    }

    /// Every course a file's rows name; `None` when it cannot be told (the
    /// file unreadable, no `corso` column, a row without a course).
    fn corsi_del_file(&mut self, radice: &Path, file: &str) -> Option<BTreeSet<String>> {
        let t = self.di(radice, file)?;
        let c = t.colonna("corso")?;
        t.righe
            .iter()
            .map(|r| {
                let id = r.celle.get(c).map(|x| x.testo()).unwrap_or_default();
                (!id.is_empty()).then_some(id)
            })
            .collect()
    }
}

/// The courses of the dataset: those read, and those whose file could not
/// be read, by the file's name.
fn corsi_noti(ds: &Dataset) -> BTreeSet<String> {
    let mut noti: BTreeSet<String> = ds.corsi.iter().map(|(_, c)| c.id.clone()).collect();
    if let Ok(voci) = std::fs::read_dir(ds.radice.join("corsi")) {
        for v in voci.filter_map(Result::ok) {
            let nome = v.file_name().to_string_lossy().into_owned();
            if let Some(id) = nome.strip_suffix(".json") {
                noti.insert(id.to_string());
            }
        }
    }
    noti
}

/// The course a problem belongs to, from its place. A row naming a course
/// the dataset does not have belongs to no course: it may be a typo in the
/// course being built, whose participant would otherwise go missing.
fn ambito(p: &Problema, ds: &Dataset, noti: &BTreeSet<String>, tabelle: &mut Tabelle) -> Ambito {
    let a = ambito_dichiarato(p, ds, tabelle);
    let noto = |c: &String| noti.contains(c);
    match &a {
        Ambito::Corso(c) if !noto(c) => Ambito::Ateneo,
        Ambito::Corsi(v) if !v.iter().all(noto) => Ambito::Ateneo,
        _ => a,
    }
}

/// The course a problem's place names, known to the dataset or not.
fn ambito_dichiarato(p: &Problema, ds: &Dataset, tabelle: &mut Tabelle) -> Ambito {
    let file = p.posizione.file.as_str();
    let radice = ds.radice.as_path();
    if let Some(nome) = file.strip_prefix("corsi/") {
        let id = ds
            .corsi
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, c)| c.id.clone())
            // A course file that could not be read is named after its course.
            .unwrap_or_else(|| nome.trim_end_matches(".json").to_string());
        return Ambito::Corso(id);
    }
    if let Some(resto) = file.strip_prefix("dossier/") {
        if let Some((corso, _)) = resto.split_once('/') {
            return Ambito::Corso(corso.to_string());
        }
        return Ambito::Ateneo;
    }
    if !(file.starts_with("iscrizioni/") || file.starts_with("presenze/")) {
        return Ambito::Ateneo;
    }
    if let Some(riga) = p.posizione.riga.filter(|&r| r > 1) {
        return match tabelle.corso_della_riga(radice, file, riga) {
            Some(id) => Ambito::Corso(id),
            None => Ambito::Ateneo,
        };
    }
    // The whole file, or its header: it belongs to the courses its rows
    // name, when every row names one.
    match tabelle.corsi_del_file(radice, file) {
        Some(corsi) if corsi.len() == 1 => Ambito::Corso(corsi.into_iter().next().unwrap()),
        Some(corsi) if !corsi.is_empty() => Ambito::Corsi(corsi.into_iter().collect()),
        _ => Ambito::Ateneo,
    }
}

/// Demotes the errors of courses other than `corso` to warnings naming
/// their course. Returns the problems and the courses whose errors were
/// demoted (to be left out of the build).
pub(super) fn separa(
    problemi: Problemi,
    ds: &Dataset,
    corso: &str,
) -> (Problemi, BTreeSet<String>) {
    let mut tabelle = Tabelle::default();
    let noti = corsi_noti(ds);
    let mut altri = BTreeSet::new();
    let problemi = problemi
        .0
        .into_iter()
        .map(|mut p| {
            if p.gravita != Gravita::Errore {
                return p;
            }
            let di = match ambito(&p, ds, &noti, &mut tabelle) {
                Ambito::Corso(c) if c != corso => vec![c],
                Ambito::Corsi(c) if !c.iter().any(|x| x == corso) => c,
                _ => return p,
            };
            p.gravita = Gravita::Avviso;
            p.messaggio = format!(
                "{} {} (non blocca la build di «{corso}»): {}",
                if di.len() == 1 { "corso" } else { "corsi" },
                di.iter()
                    .map(|c| format!("«{c}»"))
                    .collect::<Vec<_>>()
                    .join(", "),
                p.messaggio
            );
            altri.extend(di);
            p
        })
        .collect();
    (Problemi(problemi), altri)
}

/// Loads and validates a dataset for a build of one course: the errors of
/// other courses are warnings, and those courses (with their roster and
/// register rows) are left out of the dataset returned. When the whole
/// dataset is valid it is returned whole, as [`super::controlla`] gives it.
pub fn controlla_corso(dataset: &Path, corso: &str) -> (Option<Dataset>, Problemi) {
    let (ds, problemi) = super::controlla(dataset);
    if ds.is_some() {
        return (ds, problemi);
    }
    let (ds, mut problemi) = input::carica_parziale(dataset);
    let Some(mut ds) = ds else {
        return (None, problemi.ordinati());
    };
    problemi.extend(crate::rules::valida(&ds));
    let (problemi, altri) = separa(problemi, &ds, corso);
    let problemi = problemi.ordinati();
    if problemi.ha_errori() {
        return (None, problemi);
    }
    ds.corsi.retain(|(_, c)| !altri.contains(&c.id));
    let restano: BTreeSet<String> = ds.corsi.iter().map(|(_, c)| c.id.clone()).collect();
    ds.iscrizioni.retain(|i| restano.contains(&i.corso));
    ds.presenze.retain(|p| restano.contains(&p.corso));
    (Some(ds), problemi)
}
