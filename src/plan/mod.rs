//! Which documents each course and person get, and the data each template
//! receives.
//!
//! The plan is pure: from a validated [`Dataset`] it lists [`Documento`]s,
//! each with its template, its output path and its data as JSON, plus the
//! participants who get nothing and why. Rendering and archiving only execute
//! it. Text with legal weight (stamp-duty notes, the art. 40 notice) is
//! composed here, in one place, rather than in each template.

pub mod attestato;
pub mod bando;
pub mod decreto;
pub mod dossier;
pub mod esclusi;
pub mod italiano;
pub mod pergamena;

pub use attestato::avvertenza_art40;

use std::collections::HashMap;

use rayon::prelude::*;

use serde::Serialize;
use serde_json::{json, Value};

use crate::diag::Problemi;
use crate::model::{Ateneo, Corso, Dataset, Firmatario, Iscrizione, Presenza, TipoCorso, Ufficio};
use crate::rules::Valutazione;

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
    Bando,
    Decreto,
    Pergamena,
    Attestato,
    Dossier,
}

/// Which part of the dataset to produce.
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    pub corso: Option<String>,
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
    pub tipo: TipoDocumento,
    /// The course, `None` for documents of the whole year's offer.
    pub corso: Option<String>,
    /// Tax code of the person, `None` for course-level documents.
    pub persona: Option<String>,
    /// Template path under the templates directory.
    pub template: String,
    /// Output path relative to the output directory, with `/`.
    pub percorso: String,
    pub titolo: String,
    /// Stable identifier of the document across builds.
    pub identificativo: String,
    /// What the template receives as `/data.json`.
    pub dati: Dati,
    /// A file of the dataset filed as it is instead of rendered (a dossier's
    /// extra PDFs); `template` and `dati` are then unused.
    pub allegato: Option<std::path::PathBuf>,
}

/// A document's data as the template receives it, kept as compact JSON
/// text: a `serde_json::Value` tree of the same data takes six to seven times
/// the memory, and a year's plan holds every document's data at once. The
/// two fields the pipeline reads (date, repertory number) are kept aside.
#[derive(Debug, Clone)]
pub struct Dati {
    json: Box<serde_json::value::RawValue>,
    data_iso: Option<String>,
    numero: Option<String>,
}

impl Dati {
    /// The JSON text, as served to the template.
    pub fn json(&self) -> &[u8] {
        self.json.get().as_bytes()
    }

    /// `documento.data_iso`: the document's date, YYYY-MM-DD.
    pub fn data_iso(&self) -> Option<&str> {
        self.data_iso.as_deref()
    }

    /// `documento.numero`: the repertory number the data gives (decrees).
    pub fn numero(&self) -> Option<&str> {
        self.numero.as_deref()
    }

    /// The data as a JSON tree, for the few places that read more.
    pub fn valore(&self) -> Value {
        serde_json::from_str(self.json.get()).expect("dati JSON validi")
    }

    /// Changes the data (the registry adds number and code to it).
    pub fn modifica(&mut self, f: impl FnOnce(&mut Value)) {
        let mut v = self.valore();
        f(&mut v);
        *self = Dati::from(v);
    }
}

impl Dati {
    /// A family's typed data, as the template will receive it.
    pub fn nuovo<T: Serialize>(dati: &T) -> Dati {
        Dati::from(
            serde_json::to_value(dati).expect("i dati di un template si serializzano sempre"),
        )
    }
}

impl From<Value> for Dati {
    fn from(v: Value) -> Dati {
        let campo = |c: &str| v["documento"][c].as_str().map(str::to_string);
        Dati {
            data_iso: campo("data_iso"),
            numero: campo("numero"),
            json: serde_json::value::to_raw_value(&v).expect("un Value si serializza sempre"),
        }
    }
}

impl Serialize for Dati {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(s)
    }
}

/// A participant who gets no document, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Escluso {
    pub corso: String,
    pub persona: String,
    pub nominativo: String,
    pub motivo: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Piano {
    pub documenti: Vec<Documento>,
    pub esclusi: Vec<Escluso>,
    pub avvisi: Problemi,
    /// Regione-accredited courses whose dossier lacks sections: course id and
    /// the missing sections. `build --strict` refuses to go on with any.
    pub dossier_incompleti: Vec<(String, Vec<String>)>,
}

/// Attendance-register rows by course and tax code.
pub(crate) type Registri<'a> = HashMap<(&'a str, &'a str), Vec<&'a Presenza>>;

pub(crate) fn registri(ds: &Dataset) -> Registri<'_> {
    let mut r: Registri = HashMap::new();
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
    registri: &Registri,
) -> Vec<(&'a Iscrizione, Valutazione)> {
    ds.iscrizioni
        .iter()
        .filter(|i| i.corso == corso.id)
        .map(|isc| {
            let reg = registri
                .get(&(corso.id.as_str(), isc.persona.codice_fiscale.as_str()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            (isc, crate::rules::valuta(corso, isc, reg))
        })
        .collect()
}

/// Plans every document the filter admits.
///
/// Every family is planned for every course and only then filtered, because
/// some documents list others (a dossier files the call, the decrees and the
/// certificates of its course).
pub fn pianifica(ds: &Dataset, filtro: &Filtro, logo: Option<&str>) -> Piano {
    let mut piano = Piano::default();
    let presenze = registri(ds);
    let ateneo_json = ateneo(&ds.ateneo, logo);
    let mut percorsi = HashMap::new();
    decreto::pianifica_anno(ds, &ateneo_json, &mut piano);
    controlla_percorsi(
        ds,
        &mut percorsi,
        &mut piano.avvisi,
        chiavi(&piano.documenti),
    );
    // Courses are planned independently (a course's documents depend only
    // on the dataset and on each other), so they are spread across cores and
    // joined in the dataset's order. Each is filtered as soon as it is
    // planned, so that building one kind of a large year never holds every
    // other document's data at once (a hundred thousand certificates' JSON
    // would take gigabytes); where every document would be written is kept
    // to check for collisions across courses.
    let per_corso: Vec<(Piano, Vec<ChiavePercorso>)> = ds
        .corsi
        .par_iter()
        .map(|(_, corso)| {
            let mut piano = Piano::default();
            bando::pianifica_corso(ds, corso, &ateneo_json, &mut piano);
            decreto::pianifica_corso(ds, corso, &ateneo_json, &mut piano);
            // Each participant is evaluated once; parchments and certificates read the same verdict.
            let valutati = valuta_corso(ds, corso, &presenze);
            pergamena::pianifica_corso(ds, corso, &valutati, &ateneo_json, &mut piano);
            attestato::pianifica_corso(ds, corso, &valutati, &ateneo_json, &mut piano);
            // Only a Regione-accredited course's dossier lists the course's documents.
            let del_corso: Vec<Documento> = if corso.accreditato() {
                piano.documenti.clone()
            } else {
                Vec::new()
            };
            dossier::pianifica_corso(ds, corso, &ateneo_json, &del_corso, &mut piano);
            let percorsi = chiavi(&piano.documenti);
            piano
                .documenti
                .retain(|d| filtro.ammette(d.corso.as_deref(), d.tipo));
            (piano, percorsi)
        })
        .collect();
    for (p, chiavi_corso) in per_corso {
        controlla_percorsi(ds, &mut percorsi, &mut piano.avvisi, chiavi_corso);
        piano.documenti.extend(p.documenti);
        piano.esclusi.extend(p.esclusi);
        piano.avvisi.extend(p.avvisi);
        piano.dossier_incompleti.extend(p.dossier_incompleti);
    }
    // Year-level documents stay until every course's dossier has been planned.
    piano
        .documenti
        .retain(|d| filtro.ammette(d.corso.as_deref(), d.tipo));
    // Who gets nothing is said under every filter (see `esclusi`): a build
    // of the calls still tells the office who will get no certificate.
    piano
        .esclusi
        .retain(|e| filtro.corso.as_deref().is_none_or(|c| c == e.corso));
    piano
        .dossier_incompleti
        .retain(|(c, _)| filtro.ammette(Some(c), TipoDocumento::Dossier));
    piano
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

/// An office agreed with who holds it: "La Rettrice", "Il Responsabile".
/// When the gender is not indicated the office keeps its institutional
/// (masculine) name rather than a slash form.
pub(crate) fn qualifica(
    f: &Firmatario,
    maschile: &'static str,
    femminile: &'static str,
) -> &'static str {
    match f.genere {
        crate::model::Genere::Femminile => femminile,
        _ => maschile,
    }
}

/// "Il Rettore" or "La Rettrice", on every document the rector signs.
pub(crate) fn qualifica_rettore(rettore: &Firmatario) -> &'static str {
    qualifica(rettore, "Il Rettore", "La Rettrice")
}

pub(crate) fn firmatario(f: &Firmatario, qualifica: &str) -> Value {
    json!({
        "titolo": f.titolo,
        "nome": f.nome,
        "cognome": f.cognome,
        "genere": f.genere,
        "nome_completo": italiano::nome_firmatario(f),
        "qualifica": qualifica,
    })
}

pub(crate) fn ufficio(u: &Ufficio) -> Value {
    json!({ "nome": u.nome, "indirizzo": u.indirizzo, "email": u.email, "pec": u.pec, "telefono": u.telefono })
}

pub(crate) fn ateneo(a: &Ateneo, logo: Option<&str>) -> Value {
    json!({
        "nome": a.nome,
        "sigla": a.sigla,
        "citta": a.citta,
        "indirizzo": a.indirizzo,
        "sito_web": a.sito_web,
        "logo": logo,
        "regolamento": a.regolamento.nome,
    })
}

pub(crate) fn corso_json(c: &Corso) -> Value {
    json!({
        "id": c.id,
        "tipo": c.tipo,
        "denominazione": c.tipo.denominazione(),
        // Articles agree with the kind's noun: "il Master", "la Summer School".
        "articolo": match c.tipo {
            TipoCorso::SummerSchool | TipoCorso::WinterSchool => json!({ "il": "la", "al": "alla", "del": "della" }),
            _ => json!({ "il": "il", "al": "al", "del": "del" }),
        },
        "titolo": c.titolo,
        "anno_accademico": c.anno_accademico,
        "dipartimento": c.dipartimento.nome,
        "sede": c.sede,
        "inizio": italiano::data(c.date.inizio),
        "fine": italiano::data(c.date.fine),
        // "dall'8 aprile 2026 al 12 giugno 2026", elided as Italian wants.
        "periodo": format!("{} {}", italiano::data_con_articolo("dal", c.date.inizio), italiano::data_con_articolo("al", c.date.fine)),
        "ore_previste": c.ore_previste().to_string(),
        "cfu": c.cfu_moduli(),
        "frequenza_minima": c.frequenza_minima,
        "direttore": firmatario(&c.direttore, "Direttore del corso"),
    })
}
