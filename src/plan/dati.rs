//! What a template receives, as plain types.
//!
//! Each family has its data type in its own module ([`super::bando::DatiBando`],
//! [`super::decreto::DatiDecreto`], [`super::pergamena::DatiPergamena`],
//! [`super::attestato::DatiAttestato`], [`super::dossier::DatiIndiceDossier`]);
//! the parts several families share are here, defined once: the heading
//! every document has (`documento`), the university, the offices, the
//! signatories, the course, the person, the grade. [`Dati`] holds any of
//! them for a planned document.
//!
//! The types serialize to exactly the keys and values the templates read
//! (and that `templates/*/sample.json` show), in the order they are written
//! here; they also deserialize, refusing unknown keys, so that a sample and
//! the program cannot drift apart unnoticed (`tests/dati_template.rs`).
//!
//! A large year holds every document's data at once, so the types are
//! compact: the parts every document of a course repeats (the university,
//! the course) are shared ([`Condiviso`]), fixed wordings are borrowed
//! ([`Testo`]), dates are kept as dates.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::dossier::SezioneDossier;
use super::{Serie, TipoDocumento};
use crate::model::{Ateneo, Corso, Firmatario, Genere, Persona, TipoCorso, Ufficio};

use super::italiano;

/// Text that is most often one of the program's fixed wordings ("La
/// Rettrice", "Registro dei certificati"), borrowed then rather than copied
/// into every document; owned when it is composed or read back.
pub type Testo = Cow<'static, str>;

/// A part many documents carry identically (the university, a course),
/// kept once in memory and serialized into each document as if it were its
/// own.
#[derive(Debug)]
pub struct Condiviso<T>(Arc<T>);

impl<T> Condiviso<T> {
    /// Shares `valore` among the documents that will carry it.
    pub fn new(valore: T) -> Self {
        Condiviso(Arc::new(valore))
    }
}

impl<T> Clone for Condiviso<T> {
    fn clone(&self) -> Self {
        Condiviso(Arc::clone(&self.0))
    }
}

impl<T> std::ops::Deref for Condiviso<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Serialize> Serialize for Condiviso<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Condiviso<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Condiviso::new)
    }
}

/// The precise kind of a document, as `documento.tipo` names it to the
/// template: a family has one (`bando`) or several (the five decrees, the
/// five certificates). It decides the document's family, its registry
/// series and the dossier section it is filed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TipoAtto {
    /// The admission call.
    Bando,
    /// The decree activating the year's whole offer.
    DecretoOfferta,
    /// The activation of one course.
    DecretoAttivazione,
    /// The extension of a call's deadline.
    DecretoProroga,
    /// The approval of an admission ranking.
    DecretoGraduatoria,
    /// The appointment of an examining committee.
    DecretoCommissione,
    /// A Master's parchment.
    Pergamena,
    /// Certificate of participation (perfezionamento, formazione, aggiornamento).
    CertificatoPartecipazione,
    /// Attestation of attendance (summer and winter schools).
    AttestatoFrequenza,
    /// Certificate of the credits of a single course.
    CertificatoCfu,
    /// An auditor's attestation.
    AttestatoUditore,
    /// Certificate of a Master's title (Art. 14.3): grade, exam, CFU; issued
    /// on a stamped request, in addition to the parchment.
    CertificatoTitolo,
    /// The index of a Regione-accredited course's dossier.
    IndiceDossier,
}

impl TipoAtto {
    /// The family a document of this kind belongs to.
    pub fn famiglia(self) -> TipoDocumento {
        match self {
            TipoAtto::Bando => TipoDocumento::Bando,
            TipoAtto::DecretoOfferta
            | TipoAtto::DecretoAttivazione
            | TipoAtto::DecretoProroga
            | TipoAtto::DecretoGraduatoria
            | TipoAtto::DecretoCommissione => TipoDocumento::Decreto,
            TipoAtto::Pergamena => TipoDocumento::Pergamena,
            TipoAtto::CertificatoPartecipazione
            | TipoAtto::AttestatoFrequenza
            | TipoAtto::CertificatoCfu
            | TipoAtto::AttestatoUditore
            | TipoAtto::CertificatoTitolo => TipoDocumento::Attestato,
            TipoAtto::IndiceDossier => TipoDocumento::Dossier,
        }
    }

    /// The registry series the document is numbered in. Calls and
    /// dossiers are recorded (with their code and hash) but carry no
    /// number: a call is published under the decree that issues it, and a
    /// dossier is a file of other documents.
    pub fn serie(self) -> Option<Serie> {
        match self.famiglia() {
            TipoDocumento::Decreto => Some(Serie::Decreti),
            TipoDocumento::Attestato => Some(Serie::Certificati),
            TipoDocumento::Pergamena => Some(Serie::Pergamene),
            TipoDocumento::Bando | TipoDocumento::Dossier => None,
        }
    }

    /// The section of a Regione-accredited course's dossier a document of
    /// this kind is filed in (Guidelines §8): the call and the activation
    /// start the course, an extension varies its programme, the ranking is
    /// the selection's outcome, the committee examines, titles and
    /// certificates close it. The dossier's own index is in none.
    pub fn sezione_dossier(self) -> Option<SezioneDossier> {
        match self {
            TipoAtto::Bando | TipoAtto::DecretoAttivazione | TipoAtto::DecretoOfferta => {
                Some(SezioneDossier::ComunicazioniInizioCorso)
            }
            TipoAtto::DecretoProroga => Some(SezioneDossier::VariazioniProgrammaFormativo),
            TipoAtto::DecretoGraduatoria => Some(SezioneDossier::EsitiSelezione),
            TipoAtto::DecretoCommissione => Some(SezioneDossier::ComunicazioniEsami),
            TipoAtto::Pergamena
            | TipoAtto::CertificatoPartecipazione
            | TipoAtto::AttestatoFrequenza
            | TipoAtto::CertificatoCfu
            | TipoAtto::AttestatoUditore
            | TipoAtto::CertificatoTitolo => Some(SezioneDossier::Attestati),
            TipoAtto::IndiceDossier => None,
        }
    }
}

impl From<crate::rules::Titolo> for TipoAtto {
    fn from(t: crate::rules::Titolo) -> TipoAtto {
        use crate::rules::Titolo;
        match t {
            Titolo::Pergamena => TipoAtto::Pergamena,
            Titolo::CertificatoPartecipazione => TipoAtto::CertificatoPartecipazione,
            Titolo::AttestatoFrequenza => TipoAtto::AttestatoFrequenza,
            Titolo::CertificatoCfu => TipoAtto::CertificatoCfu,
            Titolo::AttestatoUditore => TipoAtto::AttestatoUditore,
        }
    }
}

/// `documento`: the heading every template reads first, the same for every
/// family. The registry adds its fields ([`Registrazione`]) to the
/// documents that print them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intestazione {
    /// The precise kind of document.
    pub tipo: TipoAtto,
    /// The kind of document as headed: "Certificato di partecipazione".
    pub intestazione: Testo,
    /// The title that names this very document, as listed in indexes.
    pub titolo: String,
    /// Stable identifier of the document across builds.
    pub identificativo: String,
    /// The document's date: YYYY-MM-DD in the data.
    #[serde(with = "data_iso")]
    pub data_iso: NaiveDate,
    /// The same date in Italian: "15 settembre 2026".
    pub data: String,
    /// The date after "il", elided: "l'11 dicembre 2026" (parchments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_il: Option<String>,
    /// The repertory number the document brings (decrees).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numero: Option<String>,
    /// The university's city, where the document is given.
    pub luogo: String,
    /// The registry's fields, once the registry has set them.
    #[serde(flatten)]
    pub registrazione: Option<Registrazione>,
}

impl Intestazione {
    /// A heading of `tipo` dated `data` in the university's city, for the
    /// document identified by `identificativo` and titled `titolo`.
    pub fn new(
        tipo: TipoAtto,
        intestazione: impl Into<Testo>,
        titolo: String,
        identificativo: String,
        data: NaiveDate,
        ateneo: &Ateneo,
    ) -> Intestazione {
        Intestazione {
            tipo,
            intestazione: intestazione.into(),
            titolo,
            identificativo,
            data_iso: data,
            data: italiano::data(data),
            data_il: None,
            numero: None,
            luogo: ateneo.citta.clone(),
            registrazione: None,
        }
    }
}

/// `documento.data_iso`: a date as `YYYY-MM-DD`, exactly as the plan has
/// always written it.
mod data_iso {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    const FORMATO: &str = "%Y-%m-%d";

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.format(FORMATO))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let testo = String::deserialize(d)?;
        NaiveDate::parse_from_str(&testo, FORMATO).map_err(serde::de::Error::custom)
    }
}

/// A document's place in the registry of issued documents, as the
/// documents that print it (certificates, parchments) show it under
/// `documento`. The registry sets it ([`super::Documento::registra`]); the
/// plan never does.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registrazione {
    /// The series, printed by its name: "Registro dei certificati".
    #[serde(rename = "registro", with = "serie_per_titolo")]
    pub serie: Serie,
    /// The number as printed: "12/2026".
    #[serde(rename = "numero_registro")]
    pub numero: Option<String>,
    /// The verification code: "K7QM-3XPD-97".
    #[serde(rename = "codice_verifica")]
    pub codice: String,
    /// The university's verification page for this code, when it has one.
    #[serde(rename = "url_verifica")]
    pub url: Option<String>,
    /// The verification page's prefix, printed for those who type the code.
    #[serde(rename = "sito_verifica")]
    pub sito: Option<String>,
    /// The virtual path of the QR code the template shows.
    pub qr: Testo,
}

/// [`Serie`] by the name printed on the document.
mod serie_per_titolo {
    use super::Serie;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(s: &Serie, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(s.titolo())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Serie, D::Error> {
        let testo = String::deserialize(d)?;
        Serie::TUTTE
            .into_iter()
            .find(|s| s.titolo() == testo)
            .ok_or_else(|| serde::de::Error::custom(format!("serie sconosciuta «{testo}»")))
    }
}

/// `ateneo`: the university, the same on every document of the year.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiAteneo {
    /// "Università degli Studi di Valdarno".
    pub nome: String,
    /// "UniValdarno".
    pub sigla: Option<String>,
    /// The city of the seat.
    pub citta: String,
    /// The seat's address.
    pub indirizzo: Option<String>,
    /// The university's website.
    pub sito_web: Option<String>,
    /// The virtual path of the logo, when the university has one.
    pub logo: Option<String>,
    /// The regulation's name.
    pub regolamento: String,
}

impl DatiAteneo {
    /// The university as documents show it; `logo` is the virtual path the
    /// render stage serves the logo at.
    pub fn new(a: &Ateneo, logo: Option<&str>) -> DatiAteneo {
        DatiAteneo {
            nome: a.nome.clone(),
            sigla: a.sigla.clone(),
            citta: a.citta.clone(),
            indirizzo: a.indirizzo.clone(),
            sito_web: a.sito_web.clone(),
            logo: logo.map(str::to_string),
            regolamento: a.regolamento.nome.clone(),
        }
    }
}

/// An office that issues documents, with how to reach it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiUfficio {
    /// The office's name.
    pub nome: String,
    /// Its address.
    pub indirizzo: Option<String>,
    /// Its e-mail.
    pub email: Option<String>,
    /// Its certified e-mail (PEC).
    pub pec: Option<String>,
    /// Its telephone.
    pub telefono: Option<String>,
}

impl From<&Ufficio> for DatiUfficio {
    fn from(u: &Ufficio) -> DatiUfficio {
        DatiUfficio {
            nome: u.nome.clone(),
            indirizzo: u.indirizzo.clone(),
            email: u.email.clone(),
            pec: u.pec.clone(),
            telefono: u.telefono.clone(),
        }
    }
}

/// Someone who signs, with the office they sign in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiFirmatario {
    /// "Prof.ssa", as the data writes it.
    pub titolo: Option<String>,
    /// Given name.
    pub nome: String,
    /// Surname.
    pub cognome: String,
    /// The gender words agree with.
    pub genere: Genere,
    /// "Prof.ssa Anna Verdi".
    pub nome_completo: String,
    /// The office agreed with who holds it: "La Rettrice".
    pub qualifica: Testo,
}

impl DatiFirmatario {
    /// `f` signing as `qualifica`.
    pub fn new(f: &Firmatario, qualifica: impl Into<Testo>) -> DatiFirmatario {
        DatiFirmatario {
            titolo: f.titolo.clone(),
            nome: f.nome.clone(),
            cognome: f.cognome.clone(),
            genere: italiano::genere_firmatario(f),
            nome_completo: italiano::nome_firmatario(f),
            qualifica: qualifica.into(),
        }
    }
}

/// The article agreeing with the noun of a course's kind, with the
/// prepositions a sentence joins to it: "il / al / del" for "il Master",
/// "la / alla / della" for "la Summer School".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Articolo {
    /// "il" or "la".
    pub il: Testo,
    /// "al" or "alla".
    pub al: Testo,
    /// "del" or "della".
    pub del: Testo,
}

impl Articolo {
    /// The article of a feminine or masculine noun.
    pub fn new(femminile: bool) -> Articolo {
        let forma = |p| Testo::Borrowed(italiano::articolo(p, femminile));
        Articolo {
            il: forma("il"),
            al: forma("al"),
            del: forma("del"),
        }
    }
}

/// `corso`: a course as every document of it shows it. One copy per course,
/// shared by its documents ([`Condiviso`]); the families that show more
/// of the course add their own parts beside it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiCorso {
    /// The course's id in the dataset.
    pub id: String,
    /// The kind of course.
    pub tipo: TipoCorso,
    /// "Master universitario di I livello".
    pub denominazione: Testo,
    /// The article agreeing with the kind's noun.
    pub articolo: Articolo,
    /// The course's title.
    pub titolo: String,
    /// "2025/2026".
    pub anno_accademico: String,
    /// The department's name.
    pub dipartimento: String,
    /// The venue.
    pub sede: String,
    /// The first day: "21 novembre 2025".
    pub inizio: String,
    /// The last day.
    pub fine: String,
    /// "dall'8 aprile 2026 al 12 giugno 2026".
    pub periodo: String,
    /// The planned hours: "544".
    pub ore_previste: String,
    /// The credits of the modules.
    pub cfu: u32,
    /// The minimum attendance, in percent.
    pub frequenza_minima: u32,
    /// The course's director.
    pub direttore: DatiFirmatario,
    /// The EU co-financing every document of the course shows with the EU
    /// emblem; absent for a course no EU fund supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cofinanziamento_ue: Option<DatiCofinanziamentoUe>,
}

/// `corso.cofinanziamento_ue`: what Annex IX of Reg. (UE) 2021/1060 has
/// printed beside the EU emblem, on every document of an operation the EU
/// co-finances: the statement in full, the fund, the programme and the
/// operation's identifiers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiCofinanziamentoUe {
    /// "Cofinanziato dall'Unione europea", the statement as Annex IX words it in Italian.
    pub dicitura: Testo,
    /// "FSE+".
    pub fondo: String,
    /// "PR Toscana FSE+ 2021-2027".
    pub programma: Option<String>,
    /// The programme's CCI code.
    pub cci: Option<String>,
    /// The CUP.
    pub cup: Option<String>,
    /// The operation's code in the programme.
    pub codice_progetto: Option<String>,
}

impl DatiCofinanziamentoUe {
    /// The co-financing of a course, when an EU fund supports it.
    pub fn new(c: &Corso) -> Option<DatiCofinanziamentoUe> {
        let f = c.finanziamento.as_ref()?;
        Some(DatiCofinanziamentoUe {
            dicitura: "Cofinanziato dall'Unione europea".into(),
            fondo: f.fondo_ue.clone()?,
            programma: f.programma.clone(),
            cci: f.cci.clone(),
            cup: f.cup.clone(),
            codice_progetto: f.codice_progetto.clone(),
        })
    }
}

impl DatiCorso {
    /// The course as its documents show it.
    pub fn new(c: &Corso) -> DatiCorso {
        DatiCorso {
            id: c.id.clone(),
            tipo: c.tipo,
            denominazione: c.tipo.denominazione().into(),
            // Articles agree with the kind's noun: "il Master", "la Summer School".
            articolo: Articolo::new(italiano::femminile(c.tipo)),
            titolo: c.titolo.clone(),
            anno_accademico: c.anno_accademico.clone(),
            dipartimento: c.dipartimento.nome.clone(),
            sede: c.sede.clone(),
            inizio: italiano::data(c.date.inizio),
            fine: italiano::data(c.date.fine),
            periodo: italiano::periodo(c.date.inizio, c.date.fine),
            ore_previste: c.ore_previste().to_string(),
            cfu: c.cfu_moduli(),
            frequenza_minima: c.frequenza_minima,
            direttore: DatiFirmatario::new(
                &c.direttore,
                italiano::Carica::DirettoreCorso.nome(italiano::genere_firmatario(&c.direttore)),
            ),
            cofinanziamento_ue: DatiCofinanziamentoUe::new(c),
        }
    }
}

/// `persona`: who a certificate or a parchment is issued to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiPersona {
    /// Given name.
    pub nome: String,
    /// Surname.
    pub cognome: String,
    /// The gender words agree with ("nato/nata").
    pub genere: Genere,
    /// The tax code.
    pub codice_fiscale: String,
    /// "3 marzo 1990".
    pub data_nascita: String,
    /// "il 3 marzo 1990" / "l'11 febbraio 1998".
    pub nascita_il: String,
    /// "Roma", "Tirana (Albania)".
    pub luogo_nascita: String,
    /// Whether to call them "dott./dott.ssa".
    pub laureato: bool,
}

impl From<&Persona> for DatiPersona {
    fn from(p: &Persona) -> DatiPersona {
        DatiPersona {
            nome: p.nome.clone(),
            cognome: p.cognome.clone(),
            genere: p.genere,
            codice_fiscale: p.codice_fiscale.clone(),
            data_nascita: italiano::data(p.data_nascita),
            nascita_il: italiano::data_con_articolo("il", p.data_nascita),
            luogo_nascita: p.luogo_nascita.clone(),
            laureato: p.laureato,
        }
    }
}

/// A grade on its scale.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiVoto {
    /// The grade.
    pub valore: u32,
    /// With honours.
    pub lode: bool,
    /// The scale's top: 30, 100, 110.
    pub scala: u32,
    /// "28/30", "110/110 e lode".
    pub testo: String,
}

impl DatiVoto {
    /// `voto` on a scale of `scala`.
    pub fn new(voto: crate::model::Voto, scala: u32) -> DatiVoto {
        DatiVoto {
            valore: voto.valore,
            lode: voto.lode,
            scala,
            testo: format!(
                "{}/{scala}{}",
                voto.valore,
                if voto.lode { " e lode" } else { "" }
            ),
        }
    }
}

/// A document's data: what its template receives as `/data.json`, typed by
/// family. Serialized untagged, as the family's own data.
///
/// The JSON text exists only when needed ([`Dati::json`]): to key, to
/// render, to print the plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Dati {
    /// An admission call.
    Bando(Box<super::bando::DatiBando>),
    /// A rector's decree.
    Decreto(Box<super::decreto::DatiDecreto>),
    /// A Master's parchment.
    Pergamena(Box<super::pergamena::DatiPergamena>),
    /// A certificate or attestation.
    Attestato(Box<super::attestato::DatiAttestato>),
    /// A dossier's index.
    Dossier(Box<super::dossier::DatiIndiceDossier>),
    /// A dataset file filed as it is: no template reads it; it says where
    /// the file came from, for `lauream plan`.
    Allegato(Box<super::dossier::DatiAllegato>),
}

/// A family's data, from which a document is planned
/// (`Documento::da_rendere`): its heading says what the document
/// is and what it is called.
pub trait DatiFamiglia: Into<Dati> {
    /// `documento`.
    fn intestazione(&self) -> &Intestazione;
}

/// Each family's data goes into [`Dati`] boxed, so that a plan's documents
/// take the same room whatever their family.
macro_rules! famiglia {
    ($tipo:ty, $variante:ident) => {
        impl From<$tipo> for Dati {
            fn from(d: $tipo) -> Dati {
                Dati::$variante(Box::new(d))
            }
        }

        impl DatiFamiglia for $tipo {
            fn intestazione(&self) -> &Intestazione {
                &self.documento
            }
        }
    };
}

famiglia!(super::bando::DatiBando, Bando);
famiglia!(super::decreto::DatiDecreto, Decreto);
famiglia!(super::pergamena::DatiPergamena, Pergamena);
famiglia!(super::attestato::DatiAttestato, Attestato);
famiglia!(super::dossier::DatiIndiceDossier, Dossier);

impl Dati {
    /// The JSON text, as served to the template.
    pub fn json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("i dati di un template si serializzano sempre")
    }

    /// The heading, for every document but a filed file.
    pub fn intestazione(&self) -> Option<&Intestazione> {
        Some(match self {
            Dati::Bando(d) => &d.documento,
            Dati::Decreto(d) => &d.documento,
            Dati::Pergamena(d) => &d.documento,
            Dati::Attestato(d) => &d.documento,
            Dati::Dossier(d) => &d.documento,
            Dati::Allegato(_) => return None,
        })
    }

    fn intestazione_mut(&mut self) -> Option<&mut Intestazione> {
        Some(match self {
            Dati::Bando(d) => &mut d.documento,
            Dati::Decreto(d) => &mut d.documento,
            Dati::Pergamena(d) => &mut d.documento,
            Dati::Attestato(d) => &mut d.documento,
            Dati::Dossier(d) => &mut d.documento,
            Dati::Allegato(_) => return None,
        })
    }

    /// The document's precise kind.
    pub fn atto(&self) -> Option<TipoAtto> {
        self.intestazione().map(|i| i.tipo)
    }

    /// The document's date.
    pub fn data(&self) -> Option<NaiveDate> {
        self.intestazione().map(|i| i.data_iso)
    }

    /// The person a document is issued to (certificates, parchments).
    pub fn persona(&self) -> Option<&DatiPersona> {
        match self {
            Dati::Pergamena(d) => Some(&d.persona),
            Dati::Attestato(d) => Some(&d.persona),
            _ => None,
        }
    }

    /// The document's date as `documento.data_iso` writes it: YYYY-MM-DD.
    pub fn data_iso(&self) -> Option<String> {
        self.data().map(|d| d.format("%Y-%m-%d").to_string())
    }

    /// `documento.numero`: the repertory number the data gives (decrees).
    pub fn numero(&self) -> Option<&str> {
        self.intestazione()?.numero.as_deref()
    }

    /// The registry's fields, once the registry has set them.
    pub fn registrazione(&self) -> Option<&Registrazione> {
        self.intestazione()?.registrazione.as_ref()
    }

    /// Sets the registry's fields; a filed file has nowhere to print them.
    pub fn registra(&mut self, r: Registrazione) {
        if let Some(i) = self.intestazione_mut() {
            i.registrazione = Some(r);
        }
    }

    /// The academic year of the document's course, or of the offer a
    /// year-level decree activates.
    pub fn anno_accademico(&self) -> Option<&str> {
        Some(match self {
            Dati::Bando(d) => &d.corso.corso.anno_accademico,
            Dati::Decreto(d) => d.corso.anno_accademico(),
            Dati::Pergamena(d) => &d.corso.corso.anno_accademico,
            Dati::Attestato(d) => &d.corso.anno_accademico,
            Dati::Dossier(d) => &d.corso.corso.anno_accademico,
            Dati::Allegato(_) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every document the demo plans, rendered or filed, reads back into
    /// the same family and writes the same JSON: the types describe the
    /// whole of what the program gives the templates, not only the samples.
    #[test]
    fn ogni_documento_della_demo_si_rilegge_uguale() {
        let radice = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let (ds, problemi) = crate::input::carica(&radice);
        let ds = ds.unwrap_or_else(|| panic!("{problemi}"));
        let piano = super::super::pianifica(&ds, &Default::default(), Some("/logo.svg"));
        let mut famiglie = std::collections::BTreeSet::new();
        for doc in &piano.documenti {
            let json = doc.dati.json();
            let riletto: Dati =
                serde_json::from_slice(&json).unwrap_or_else(|e| panic!("{}: {e}", doc.percorso));
            assert_eq!(riletto.json(), json, "{}", doc.percorso);
            assert_eq!(
                std::mem::discriminant(&riletto),
                std::mem::discriminant(&doc.dati),
                "{}",
                doc.percorso
            );
            famiglie.insert(format!("{:?}", doc.dati.atto()));
        }
        // Every kind of document the demo has: the five decrees, the
        // certificates, the parchment, the call, the index, the filed files.
        assert!(famiglie.len() >= 11, "{famiglie:?}");
    }
}
