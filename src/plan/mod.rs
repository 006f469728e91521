//! Which documents each course and person get, and the data each template
//! receives.
//!
//! The plan is pure: from a validated [`Dataset`] it lists [`Documento`]s,
//! each with its template, its output path and identifier ([`percorsi`]),
//! its data ([`Dati`], typed by family; see [`dati`]), its registry series
//! and dossier section, plus the participants who get nothing and why.
//! Rendering and archiving only execute it. Text with legal weight
//! (stamp-duty notes, the art. 40 notice) is composed here, in one place,
//! rather than in each template, worded with the helpers of [`italiano`].

pub mod attestato;
pub mod bando;
pub mod dati;
pub mod decreto;
pub mod dossier;
pub mod esclusi;
pub mod italiano;
pub mod norme;
pub mod percorsi;
pub mod pergamena;

pub use attestato::avvertenza_art40;
pub use dati::{Dati, Registrazione};

use std::collections::HashMap;

use rayon::prelude::*;

use serde::Serialize;

use crate::diag::Problemi;
use crate::model::{Corso, Dataset, Firmatario, Iscrizione, Presenza};
use crate::rules::Valutazione;
use dati::{Condiviso, DatiAteneo, DatiCorso};

/// The document families.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum TipoDocumento {
    /// Admission calls, one per course.
    Bando,
    /// Rector's decrees: the year's offer and each course's.
    Decreto,
    /// Master parchments.
    Pergamena,
    /// Certificates and attestations.
    Attestato,
    /// Dossier indexes and the files filed in dossiers.
    Dossier,
}

impl TipoDocumento {
    /// The family's template, under the templates directory.
    pub fn template(self) -> &'static str {
        match self {
            TipoDocumento::Bando => "bando/main.typ",
            TipoDocumento::Decreto => "decreto/main.typ",
            TipoDocumento::Pergamena => "pergamena/main.typ",
            TipoDocumento::Attestato => "attestato/main.typ",
            TipoDocumento::Dossier => "dossier/main.typ",
        }
    }
}

/// A series of the registry of issued documents: each is numbered on its
/// own, year by year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Serie {
    /// The rector's decrees, numbered in the university's repertory.
    Decreti,
    /// A department Director's decrees (the final-exam committee, Art.
    /// 11.3), numbered in the department's own repertory.
    DecretiDipartimento,
    /// Certificates and attestations.
    Certificati,
    /// Master parchments.
    Pergamene,
}

impl Serie {
    /// Every series.
    pub const TUTTE: [Serie; 4] = [
        Serie::Decreti,
        Serie::DecretiDipartimento,
        Serie::Certificati,
        Serie::Pergamene,
    ];

    /// The series as the registry stores it: "certificati".
    pub fn nome(self) -> &'static str {
        match self {
            Serie::Decreti => "decreti",
            Serie::DecretiDipartimento => "decreti-dipartimento",
            Serie::Certificati => "certificati",
            Serie::Pergamene => "pergamene",
        }
    }

    /// The series as documents and the registry's cards name it:
    /// "Registro dei certificati".
    pub fn titolo(self) -> &'static str {
        match self {
            Serie::Decreti => "Repertorio dei decreti rettorali",
            Serie::DecretiDipartimento => "Repertorio dei decreti del Direttore di Dipartimento",
            Serie::Certificati => "Registro dei certificati",
            Serie::Pergamene => "Registro delle pergamene",
        }
    }

    /// The series a stored name stands for.
    pub fn da_nome(nome: &str) -> Option<Serie> {
        Serie::TUTTE.into_iter().find(|s| s.nome() == nome)
    }
}

/// Which part of the dataset to produce.
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    /// Only this course's documents (its id).
    pub corso: Option<String>,
    /// Only this family.
    pub tipo: Option<TipoDocumento>,
}

impl Filtro {
    /// Year-level documents (no course) pass only when no course is asked for.
    pub fn ammette(&self, corso: Option<&str>, tipo: TipoDocumento) -> bool {
        (self.corso.is_none() || self.corso.as_deref() == corso)
            && self.tipo.is_none_or(|t| t == tipo)
    }
}

/// One document to produce.
#[derive(Debug, Clone, Serialize)]
pub struct Documento {
    /// The document's family.
    pub tipo: TipoDocumento,
    /// The course, `None` for documents of the whole year's offer.
    pub corso: Option<String>,
    /// Tax code of the person, `None` for course-level documents.
    pub persona: Option<String>,
    /// Template path under the templates directory.
    pub template: String,
    /// Output path relative to the output directory, with `/`.
    pub percorso: String,
    /// The title that names the document in indexes and the registry.
    pub titolo: String,
    /// Stable identifier of the document across builds.
    pub identificativo: String,
    /// What the template receives as `/data.json`.
    pub dati: Dati,
    /// The registry series that numbers the document, if any.
    pub serie: Option<Serie>,
    /// For a document lauream renders for a Regione-accredited course, the
    /// section of the course's dossier it is filed in (and the folder it
    /// takes in the course's bag); `None` for other courses, for the year's
    /// documents, and for the dossier's own files, whose paths already sit
    /// in their section folders.
    pub sezione_dossier: Option<dossier::SezioneDossier>,
    /// A file of the dataset filed as it is instead of rendered (a dossier's
    /// extra PDFs); `template` and `dati` are then unused.
    pub allegato: Option<std::path::PathBuf>,
}

impl Documento {
    /// A document rendered from a family's data, written at `percorso`. Its
    /// family, template, title, identifier, registry series and dossier
    /// section follow from the data's kind; the section only for a course
    /// with a dossier (Regione-accredited).
    pub(crate) fn da_rendere(
        corso: Option<&Corso>,
        persona: Option<&str>,
        percorso: String,
        dati: impl dati::DatiFamiglia,
    ) -> Documento {
        let i = dati.intestazione();
        let atto = i.tipo;
        Documento {
            tipo: atto.famiglia(),
            corso: corso.map(|c| c.id.clone()),
            persona: persona.map(str::to_string),
            template: atto.famiglia().template().to_string(),
            percorso,
            titolo: i.titolo.clone(),
            identificativo: i.identificativo.clone(),
            serie: atto.serie(),
            sezione_dossier: corso
                .filter(|c| c.accreditato())
                .and_then(|_| atto.sezione_dossier()),
            dati: dati.into(),
            allegato: None,
        }
    }

    /// Sets the registry's fields (number, code, verification URL, QR) in
    /// the data of a document that prints them. Only the registry calls
    /// this, once it has given the document its place.
    pub fn registra(&mut self, r: Registrazione) {
        self.dati.registra(r);
    }
}

/// A participant who gets no document, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Escluso {
    /// The course's id.
    pub corso: String,
    /// The person's tax code.
    pub persona: String,
    /// "Cognome Nome".
    pub nominativo: String,
    /// Why they get nothing, in words.
    pub motivo: String,
}

/// What a build will produce: every document, who gets none and why, and
/// what planning found worth a warning (or an error: a misfiled dossier file).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Piano {
    /// In plan order, the order numbers are given in.
    pub documenti: Vec<Documento>,
    /// Participants who get no document.
    pub esclusi: Vec<Escluso>,
    /// Problems found while planning.
    pub avvisi: Problemi,
    /// Regione-accredited courses whose dossier lacks sections: course id and
    /// the missing sections. `build --strict` refuses to go on with any.
    pub dossier_incompleti: Vec<(String, Vec<String>)>,
}

/// The parts every document of a course shows identically, built once per
/// course and shared by its documents.
#[derive(Clone, Copy)]
pub(crate) struct Comuni<'a> {
    pub ateneo: &'a Condiviso<DatiAteneo>,
    pub corso: &'a Condiviso<DatiCorso>,
}

/// Attendance rows (from the course's attendance sheets) by course and tax
/// code.
pub(crate) type Presenze<'a> = HashMap<(&'a str, &'a str), Vec<&'a Presenza>>;

/// Every attendance row of the dataset, grouped by course and person.
pub(crate) fn presenze_per_persona(ds: &Dataset) -> Presenze<'_> {
    let mut r: Presenze = HashMap::new();
    for p in &ds.presenze {
        r.entry((p.corso.as_str(), p.codice_fiscale.as_str()))
            .or_default()
            .push(p);
    }
    r
}

/// Every enrolment of a course with what the regulation says about it.
pub(crate) fn valuta_corso<'a>(
    ds: &'a Dataset,
    corso: &Corso,
    presenze: &Presenze,
) -> Vec<(&'a Iscrizione, Valutazione)> {
    ds.iscrizioni
        .iter()
        .filter(|i| i.corso == corso.id)
        .map(|isc| {
            let righe = presenze
                .get(&(corso.id.as_str(), isc.persona.codice_fiscale.as_str()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            (isc, crate::rules::valuta(corso, isc, righe))
        })
        .collect()
}

/// Plans every document the filter admits.
///
/// Every family is planned for every course and only then filtered, because
/// some documents list others (a dossier files the call, the decrees and the
/// certificates of its course).
pub fn pianifica(ds: &Dataset, filtro: &Filtro, logo: Option<&str>) -> Piano {
    let p = Pianificatore::new(ds, filtro, logo);
    let mut piano = Piano::default();
    let mut percorsi = HashMap::new();
    // Courses are planned independently (a course's documents depend only
    // on the dataset and on each other), so they are spread across cores and
    // joined in the dataset's order.
    let gruppi: Vec<(Piano, Vec<ChiavePercorso>)> =
        p.gruppi().par_iter().map(|&g| p.gruppo(g)).collect();
    for (g, chiavi_gruppo) in gruppi {
        controlla_percorsi(ds, &mut percorsi, &mut piano.avvisi, chiavi_gruppo);
        piano.unisci(g);
    }
    p.rifinisci(&mut piano);
    piano
}

/// What numbering a document needs of it, without its data: a build plans
/// the whole year in this form first ([`Pianificatore::sommario`]), numbers
/// every document in date order, then plans each course's data again only
/// while that course is rendered, so that a large year never holds every
/// document's data at once.
#[derive(Debug, Clone)]
pub struct Sintesi {
    /// The document's family.
    pub tipo: TipoDocumento,
    /// The course, `None` for the year's documents.
    pub corso: Option<String>,
    /// Tax code of the person, `None` for course-level documents.
    pub persona: Option<String>,
    /// Output path relative to the output directory.
    pub percorso: String,
    /// The title that names the document in indexes and the registry.
    pub titolo: String,
    /// Stable identifier of the document across builds.
    pub identificativo: String,
    /// The registry series that numbers the document, if any.
    pub serie: Option<Serie>,
    /// The document's date (`documento.data_iso`).
    pub data: Option<chrono::NaiveDate>,
    /// The repertory number the data gives (decrees).
    pub numero: Option<String>,
    /// Who issues a department's decree (its repertory is the department's).
    pub emittente: Option<String>,
    /// Surname and given name of the person, as written.
    pub nominativo: Option<(String, String)>,
}

impl Documento {
    /// The document without its data: what numbering needs.
    pub fn sintesi(&self) -> Sintesi {
        Sintesi {
            tipo: self.tipo,
            corso: self.corso.clone(),
            persona: self.persona.clone(),
            percorso: self.percorso.clone(),
            titolo: self.titolo.clone(),
            identificativo: self.identificativo.clone(),
            serie: self.serie,
            data: self.dati.data(),
            numero: self.dati.numero().map(str::to_string),
            emittente: match &self.dati {
                Dati::Decreto(d) => Some(d.emittente.nome.clone()),
                _ => None,
            },
            nominativo: self
                .dati
                .persona()
                .map(|p| (p.cognome.clone(), p.nome.clone())),
        }
    }
}

/// A part of the year that is planned on its own: the year's documents (the
/// offer decree), or one course (by its place in the dataset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gruppo {
    /// The documents of the whole year's offer.
    Anno,
    /// The course at this place in [`Dataset::corsi`].
    Corso(usize),
}

/// The whole year without the documents' data: every document's
/// [`Sintesi`], in plan order, with the group it belongs to, and what the
/// plan found (who gets nothing, warnings, incomplete dossiers).
#[derive(Debug, Default)]
pub struct Sommario {
    /// Every document the filter admits, in plan order.
    pub documenti: Vec<Sintesi>,
    /// The group of each document, parallel to `documenti`.
    pub gruppi: Vec<Gruppo>,
    /// Who gets nothing, warnings, incomplete dossiers; no documents.
    pub piano: Piano,
}

/// Plans the year group by group (see [`Gruppo`]): what [`pianifica`]
/// does at once, and what a build does in two passes, first the
/// [`Sommario`] of the whole year, then each group's data in turn.
pub struct Pianificatore<'a> {
    ds: &'a Dataset,
    filtro: &'a Filtro,
    ateneo: Condiviso<DatiAteneo>,
    presenze: Presenze<'a>,
}

impl<'a> Pianificatore<'a> {
    /// A planner of the dataset's documents that the filter admits.
    pub fn new(ds: &'a Dataset, filtro: &'a Filtro, logo: Option<&str>) -> Self {
        Pianificatore {
            ds,
            filtro,
            ateneo: Condiviso::new(DatiAteneo::new(&ds.ateneo, logo)),
            presenze: presenze_per_persona(ds),
        }
    }

    /// The groups in plan order: the year's documents, then every course
    /// in the dataset's order.
    pub fn gruppi(&self) -> Vec<Gruppo> {
        std::iter::once(Gruppo::Anno)
            .chain((0..self.ds.corsi.len()).map(Gruppo::Corso))
            .collect()
    }

    /// One group's documents, filtered; where every document of the group
    /// would be written, filtered or not (to check for collisions).
    fn gruppo(&self, g: Gruppo) -> (Piano, Vec<ChiavePercorso>) {
        let mut piano = Piano::default();
        match g {
            Gruppo::Anno => decreto::pianifica_anno(self.ds, &self.ateneo, &mut piano),
            Gruppo::Corso(i) => self.corso(&self.ds.corsi[i].1, &mut piano),
        }
        let percorsi = chiavi(&piano.documenti);
        piano
            .documenti
            .retain(|d| self.filtro.ammette(d.corso.as_deref(), d.tipo));
        (piano, percorsi)
    }

    /// Every document of a course, before filtering.
    fn corso(&self, corso: &Corso, piano: &mut Piano) {
        let ds = self.ds;
        // The course as every document of it shows it, built once and shared.
        let dati_corso = Condiviso::new(DatiCorso::new(corso));
        let comuni = Comuni {
            ateneo: &self.ateneo,
            corso: &dati_corso,
        };
        bando::pianifica_corso(ds, corso, comuni, piano);
        decreto::pianifica_corso(ds, corso, comuni, piano);
        // Each participant is evaluated once; parchments and certificates read the same verdict.
        let valutati = valuta_corso(ds, corso, &self.presenze);
        pergamena::pianifica_corso(ds, corso, &valutati, comuni, piano);
        attestato::pianifica_corso(ds, corso, &valutati, comuni, piano);
        // Only a Regione-accredited course's dossier lists the course's documents.
        let del_corso: Vec<Documento> = if corso.accreditato() {
            piano.documenti.clone()
        } else {
            Vec::new()
        };
        dossier::pianifica_corso(ds, corso, comuni, &del_corso, piano);
    }

    /// The documents of one group with their data, in plan order: the same
    /// documents, in the same order, as the group's part of the
    /// [`Sommario`].
    pub fn documenti(&self, g: Gruppo) -> Vec<Documento> {
        self.gruppo(g).0.documenti
    }

    /// The whole year without the documents' data. Groups are planned on
    /// every core and each one's data dropped as soon as its documents are
    /// summarised, so the peak is a few courses' data, not the year's.
    pub fn sommario(&self) -> Sommario {
        let gruppi: Vec<(Gruppo, Vec<Sintesi>, Piano, Vec<ChiavePercorso>)> = self
            .gruppi()
            .par_iter()
            .map(|&g| {
                let (mut p, percorsi) = self.gruppo(g);
                let sintesi = p.documenti.iter().map(Documento::sintesi).collect();
                p.documenti = Vec::new();
                (g, sintesi, p, percorsi)
            })
            .collect();
        let mut s = Sommario::default();
        let mut percorsi = HashMap::new();
        for (g, sintesi, p, chiavi_gruppo) in gruppi {
            controlla_percorsi(self.ds, &mut percorsi, &mut s.piano.avvisi, chiavi_gruppo);
            s.gruppi.extend(std::iter::repeat_n(g, sintesi.len()));
            s.documenti.extend(sintesi);
            s.piano.unisci(p);
        }
        self.rifinisci(&mut s.piano);
        s
    }

    /// What is said under every filter: who gets nothing is kept for the
    /// courses asked for (a build of the calls still tells the office who
    /// will get no certificate), incomplete dossiers for the dossiers asked for.
    fn rifinisci(&self, piano: &mut Piano) {
        let filtro = self.filtro;
        piano
            .esclusi
            .retain(|e| filtro.corso.as_deref().is_none_or(|c| c == e.corso));
        piano
            .dossier_incompleti
            .retain(|(c, _)| filtro.ammette(Some(c), TipoDocumento::Dossier));
    }
}

impl Piano {
    /// Appends another part of the year's plan.
    fn unisci(&mut self, p: Piano) {
        self.documenti.extend(p.documenti);
        self.esclusi.extend(p.esclusi);
        self.avvisi.extend(p.avvisi);
        self.dossier_incompleti.extend(p.dossier_incompleti);
    }
}

/// Two documents planned at the same output path would overwrite each other
/// (course ids or decree numbers that differ only in punctuation share a
/// slug): that is an error naming both, before anything is rendered. Paths
/// compare case-insensitively, as on the file systems of office PCs.
fn controlla_percorsi(
    ds: &Dataset,
    visti: &mut HashMap<String, String>,
    avvisi: &mut Problemi,
    documenti: Vec<ChiavePercorso>,
) {
    for d in documenti {
        let Some(primo) = visti.insert(d.percorso.to_lowercase(), d.identificativo.clone()) else {
            continue;
        };
        let file = d
            .corso
            .as_deref()
            .and_then(|c| ds.corsi.iter().find(|(_, k)| k.id == c))
            .map(|(f, _)| f.clone())
            .unwrap_or_else(|| "ateneo.json".to_string());
        avvisi.errore(
            crate::diag::Posizione::file(file),
            format!(
                "«{primo}» e «{}» verrebbero scritti nello stesso file {}: rendere distinti gli identificativi (del corso o i numeri dei decreti)",
                d.identificativo, d.percorso
            ),
        );
    }
}

/// Where a planned document would be written, and what it is.
struct ChiavePercorso {
    percorso: String,
    identificativo: String,
    corso: Option<String>,
}

fn chiavi(documenti: &[Documento]) -> Vec<ChiavePercorso> {
    documenti
        .iter()
        .map(|d| ChiavePercorso {
            percorso: d.percorso.clone(),
            identificativo: d.identificativo.clone(),
            corso: d.corso.clone(),
        })
        .collect()
}

/// An office agreed with who holds it, with its article: "La Rettrice",
/// "Il Responsabile", "La Direttrice Generale" (the validation makes sure
/// the gender is known).
pub(crate) fn qualifica(f: &Firmatario, carica: italiano::Carica) -> String {
    carica.con("Il", italiano::genere_firmatario(f))
}

/// "Il Rettore" or "La Rettrice", on every document the rector signs.
pub(crate) fn qualifica_rettore(rettore: &Firmatario) -> String {
    qualifica(rettore, italiano::Carica::Rettore)
}
