//! Admission calls (bando / avviso pubblico di selezione): one per course,
//! issued by the post-lauream office and signed by the Rector.
//!
//! What a call contains follows what the activation proposal must state
//! (Art. 3.6, 17.2, 25.2, 34) and the operating guidelines (Linee guida §2):
//! kind and title, department, director and committee, objectives and
//! outlets, partners, period and venue, teaching plan, places, access titles
//! by kind (Art. 6, 16, 24), foreign titles (Art. 38), application and
//! deadline, selection (Art. 7), fees and waivers, auditors (Art. 13, 22, 30)
//! and single courses (Art. 12) where admitted, attendance and final exam
//! (Art. 10, 11, 23, 31), refunds (Art. 8, 20, 28), data protection and the
//! person responsible for the procedure (L. 241/1990).
//!
//! Sentences whose wording depends on the kind (which titles give access,
//! which article applies) are chosen here; the template only lays them out.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::dati::{
    Condiviso, DatiAteneo, DatiCorso, DatiFirmatario, DatiUfficio, Intestazione, Testo, TipoAtto,
};
use super::italiano::ElencoModalita;
use super::{italiano, percorsi, Comuni, Documento, Piano};
use crate::model::{
    migliaia, Corso, Dataset, Decreto, Firmatario, Genere, Importo, ModalitaSelezione, Punteggio,
    TermineTitolo, TipoAttivita, TipoCorso,
};
use crate::rules;

/// What the call template receives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiBando {
    /// The heading.
    pub documento: Intestazione,
    /// The university, shared by every document of the year.
    pub ateneo: Condiviso<DatiAteneo>,
    /// The post-lauream office, which issues the call.
    pub emittente: DatiUfficio,
    /// The Rector, who signs the call.
    pub firmatario: DatiFirmatario,
    /// The course with its short name.
    pub corso: CorsoBando,
    /// What the call says.
    pub bando: ContenutoBando,
}

/// The course, with the short name the call's sentences use.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsoBando {
    /// The course, shared by every document of the course.
    #[serde(flatten)]
    pub corso: Condiviso<DatiCorso>,
    /// "il Master", "la Summer School".
    pub breve: NomeBreve,
}

/// "il Master", "del corso", "alla Summer School": the course named short,
/// with its article and prepositions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NomeBreve {
    /// "il Master".
    pub il: String,
    /// "del Master".
    pub del: String,
    /// "al Master".
    pub al: String,
    /// Whether the short name is feminine, for the words that agree with it.
    pub femminile: bool,
}

/// What the call says, by article: one object to the template, built in
/// two parts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContenutoBando {
    /// What the course is.
    #[serde(flatten)]
    pub presentazione: Presentazione,
    /// How it runs and who may join it.
    #[serde(flatten)]
    pub condizioni: Condizioni,
}

/// What the course is: activation, bodies, committee, objectives, venue,
/// workload.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presentazione {
    /// "al Master universitario di I livello in «…»".
    pub corso_in: String,
    /// The activation decree, cited in the university's format.
    pub decreto: Option<String>,
    /// The activation decree's protocol number.
    pub protocollo: Option<String>,
    /// The regulation's name.
    pub regolamento: String,
    /// How the regulation was issued: "D.R. n. 1187 del 9 novembre 2022".
    pub emanazione_regolamento: Option<String>,
    /// Whether the course is a Master (Art. 2).
    pub master: bool,
    /// The legal basis of the course's kind, after "ai sensi": "dell'art. 3,
    /// comma 9, del D.M. 22 ottobre 2004, n. 270" (the table in [`super::norme`]).
    pub base_normativa: String,
    /// A summer or winter school.
    pub scuola: bool,
    /// The resolutions that proposed and approved the course (Art. 3, 32).
    pub delibere: Vec<DeliberaBando>,
    /// Public funding, when there is any.
    pub finanziamento: Option<FinanziamentoBando>,
    /// The department's teaching secretariat.
    pub segreteria: DatiUfficio,
    /// The course's director.
    pub direttore: Nominativo,
    /// "Comitato Scientifico Didattico" for Masters (Art. 35).
    pub organo_comitato: Testo,
    /// The committee's members.
    pub comitato: Vec<MembroComitato>,
    /// What the course aims at.
    pub obiettivi: Option<String>,
    /// Where it leads.
    pub sbocchi: Option<String>,
    /// The partners.
    pub partner: Vec<String>,
    /// The venue.
    pub sede: String,
    /// Whether the course is held online only.
    pub online: bool,
    /// The language of teaching.
    pub lingua: Option<String>,
    /// The course's credits.
    pub cfu: u32,
    /// The student's whole workload, CFU times the hours of one: "1.500".
    pub ore_impegno: String,
    /// The hours of study one credit stands for.
    pub ore_per_cfu: u32,
}

/// How the course runs and who may join it: teaching plan, places,
/// requirements, application, selection, fees, auditors and single
/// courses, attendance, exam, title, data protection, contacts, and the
/// articles cited.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condizioni {
    /// The teaching plan.
    pub moduli: Vec<ModuloBando>,
    /// The plan's credits.
    pub totale_cfu: u32,
    /// The plan's hours: "544".
    pub totale_ore: String,
    /// Whether the plan has a stage.
    pub stage: bool,
    /// The places for allievi.
    pub posti: PostiBando,
    /// The titles that give access; `None` when there are none to list.
    pub requisiti: Option<Requisiti>,
    /// By when they are held: "alla data di scadenza per la presentazione
    /// delle domande", "alla data della selezione, fissata per il 20 ottobre
    /// 2025" (Art. 6, 19.1, 27.1).
    pub requisiti_entro: String,
    /// How to apply: the online procedure and its address.
    pub domanda: Option<String>,
    /// The deadline: "15 ottobre 2025".
    pub scadenza: String,
    /// The deadline after "entro": "il 15 ottobre 2025", "l'8 ottobre 2025".
    pub scadenza_il: String,
    /// How candidates are selected.
    pub selezione: Selezione,
    /// The fees.
    pub quote: QuoteBando,
    /// Whether anyone pays anything (enrolment, admission, auditors, single courses).
    pub a_pagamento: bool,
    /// Auditors, where admitted.
    pub uditori: Option<Uditori>,
    /// Single courses, where admitted.
    pub corsi_singoli: Option<CorsiSingoli>,
    /// The minimum attendance, in percent.
    pub frequenza_minima: u32,
    /// "il 75%", "l'80%".
    pub frequenza_il: String,
    /// The tests at the end of the modules, where planned (Art. 10.2,
    /// 11.4, 23.4, 31.4): the sentence that says how they are held.
    pub verifiche: Option<String>,
    /// The final exam, when the course has one.
    pub prova: Option<ProvaBando>,
    /// Enrolment once the ranking is out (Art. 7.4, 8.1).
    pub immatricolazione: Immatricolazione,
    /// Scholarships, awarded through the ranking (Art. 9.1, 9.3).
    pub borse: Vec<BorsaBando>,
    /// What the course's title is issued as: "pergamena", "certificato", "attestato".
    pub rilascio: Testo,
    /// The data-protection notice.
    pub protezione_dati: Option<String>,
    /// The person responsible for the procedure (L. 241/1990).
    pub responsabile: Option<Nominativo>,
    /// The post-lauream office, for information.
    pub ufficio: DatiUfficio,
    /// The university's website.
    pub sito_web: Option<String>,
    /// The articles of the regulation the call cites.
    pub rinvii: Rinvii,
}

/// A resolution that proposed or approved the course.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliberaBando {
    /// The body: "Senato Accademico".
    pub organo: String,
    /// The date: "24 giugno 2025".
    pub data: String,
    /// What it resolved, when the data says.
    pub oggetto: Option<String>,
}

/// Public funding, as the call states it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinanziamentoBando {
    /// "Fondo Sociale Europeo Plus – PR Toscana 2021-2027".
    pub fonte: String,
    /// The project's code.
    pub codice_progetto: Option<String>,
    /// Whether the Regione accredits the course.
    pub accreditamento: bool,
}

/// A person named with title, and the gender the sentence agrees with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nominativo {
    /// "Prof. Gianluca Ferri".
    pub nome_completo: String,
    /// The gender the sentence agrees with.
    pub genere: Genere,
}

/// A member of the scientific committee.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembroComitato {
    /// "Prof.ssa Francesca Nocentini".
    pub nome_completo: String,
    /// "Vicedirettrice", "Componente".
    pub ruolo: Option<String>,
}

/// A module of the teaching plan, as the call's table prints it ("–" for
/// what it lacks).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuloBando {
    /// The module's code.
    pub codice: String,
    /// The module's title.
    pub titolo: String,
    /// Its scientific-disciplinary sector, or "–".
    pub ssd: String,
    /// Its credits, or "–".
    pub cfu: String,
    /// Its hours, or "–".
    pub ore: String,
}

/// Minimum and maximum number of allievi.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostiBando {
    /// Below this the course does not start.
    pub minimo: u32,
    /// The most allievi admitted.
    pub massimo: u32,
}

/// Who may apply (Art. 6, 16, 24).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requisiti {
    /// The titles the kind of course admits.
    pub titoli: Vec<Testo>,
    /// Whether the secondary-school diploma is verified too (Masters).
    pub diploma: bool,
    /// The course's own requirements.
    pub specifici: Vec<String>,
}

/// How candidates are selected (Art. 7).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selezione {
    /// Admission in order of enrolment, up to the places.
    pub cronologico: bool,
    /// "valutazione dei titoli, prova scritta e colloquio".
    pub modalita: String,
    /// Whether a committee selects (any mode but the chronological order).
    pub con_commissione: bool,
    /// Whether there are tests or interviews.
    pub prove: bool,
    /// Whether titles or a curriculum are evaluated.
    pub curriculum: bool,
    /// The tie rule, in the words the ranking decree uses too.
    pub regola_parita: String,
    /// The scoring criteria with their most points (Art. 7.3).
    pub criteri: Vec<CriterioBando>,
    /// The maximum score: the criteria's sum, "100".
    pub punteggio_massimo: Option<String>,
    /// The pass mark of the selection, "60".
    pub punteggio_minimo: Option<String>,
}

/// A scoring criterion of the selection.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterioBando {
    /// What is assessed.
    pub descrizione: String,
    /// Its most points: "30", "12,5".
    pub punti: String,
}

/// How admitted candidates enrol (Art. 7.4, 8.1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Immatricolazione {
    /// The deadline after "entro": "il 31 ottobre 2025".
    pub entro: Option<String>,
    /// The procedure, when the course says more than the regulation.
    pub modalita: Option<String>,
}

/// Scholarships of one kind, as the call states them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BorsaBando {
    /// How many.
    pub numero: u32,
    /// The amount of each: "€ 1.500,00".
    pub importo: String,
    /// Who may get them and how, beyond the ranking's order.
    pub criteri: Option<String>,
    /// Who funds them.
    pub finanziatore: Option<String>,
}

/// Fees, in euro as printed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteBando {
    /// Whether enrolment is free.
    pub gratuito: bool,
    /// The enrolment fee: "€ 2.500,00".
    pub iscrizione: String,
    /// Its instalments.
    pub rate: Vec<RataBando>,
    /// The admission-test fee, never refunded (Art. 8).
    pub ammissione: Option<String>,
    /// The stamp duty on the application.
    pub bollo: String,
    /// The regional right-to-study tax, Masters only (Linee guida §3).
    pub tassa_regionale: Option<String>,
    /// Waivers and reductions, as the call states them.
    pub agevolazioni: Vec<String>,
}

/// An instalment: "€ 1.250,00" "entro il 15 dicembre 2025".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RataBando {
    /// "€ 1.250,00".
    pub importo: String,
    /// "entro il 15 dicembre 2025".
    pub entro: String,
}

/// Auditors, where admitted (Art. 13, 22, 30).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uditori {
    /// How many, when limited.
    pub posti: Option<u32>,
    /// Their fee.
    pub quota: Option<String>,
    /// Whether the course has a stage, which auditors do not attend.
    pub stage: bool,
}

/// Single courses, where admitted (Art. 12).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsiSingoli {
    /// How many, when limited.
    pub posti: Option<u32>,
    /// The fee per credit.
    pub quota_cfu: Option<String>,
}

/// The final exam (Art. 11, 23, 31).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvaBando {
    /// The highest grade: 100 or 30.
    pub scala: u32,
    /// The scale in words: "centesimi", "trentesimi".
    #[serde(rename = "in")]
    pub in_lettere: Testo,
    /// The lowest passing grade.
    pub minimo: u32,
    /// What the exam consists of.
    pub descrizione: Option<String>,
    /// Its session: "il 12 marzo 2027".
    pub data: Option<String>,
    /// The last day a Master's exam may be held (Art. 11), with its
    /// article: "il 31 marzo 2027", "l'8 aprile 2027".
    pub limite: Option<String>,
    /// What the application for the final exam costs (Art. 11.2): "il
    /// contributo di € 100,00", or the regulation's words when the course
    /// names no amount; `None` where no application is asked.
    pub contributo_domanda: Option<String>,
    /// Whether a failed exam may be taken again (not for Masters).
    pub ripetibile: bool,
}

pub(super) fn pianifica_corso(ds: &Dataset, corso: &Corso, comuni: Comuni, piano: &mut Piano) {
    piano.documenti.push(bando(ds, corso, comuni));
}

/// The articles of the regulation a call cites, which differ by kind: the
/// regulation has one chapter for Masters, one for perfezionamento and one
/// for formazione/aggiornamento. Summer and winter schools fall under none
/// (Linee guida §6), so their calls cite only what is common (Art. 38).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rinvii {
    /// Access titles.
    pub requisiti: Option<Testo>,
    /// Foreign titles.
    pub estero: Testo,
    /// Selection.
    pub selezione: Option<Testo>,
    /// Too few candidates.
    pub pochi_candidati: Option<Testo>,
    /// Admission in chronological order.
    pub cronologico: Option<Testo>,
    /// Cancellation of the course.
    pub revoca: Option<Testo>,
    /// Extension of the deadline.
    pub proroga: Option<Testo>,
    /// Waivers.
    pub agevolazioni: Option<Testo>,
    /// Attendance.
    pub frequenza: Option<Testo>,
    /// Final exam.
    pub prova: Option<Testo>,
    /// Retaking the exam.
    pub ripetizione: Option<Testo>,
    /// Auditors.
    pub uditori: Option<Testo>,
    /// Single courses (Masters only).
    pub corsi_singoli: Option<Testo>,
    /// Refunds.
    pub rimborsi: Option<Testo>,
    /// Issue of the title.
    pub rilascio: Option<Testo>,
    /// The day by which access titles are held.
    pub titoli_entro: Option<Testo>,
    /// Tests at the end of the modules.
    pub verifiche: Option<Testo>,
    /// The application for the final exam.
    pub domanda_titolo: Option<Testo>,
    /// Enrolment after the ranking.
    pub immatricolazione: Option<Testo>,
    /// Scholarships through the ranking.
    pub borse: Option<Testo>,
}

fn rinvii(tipo: TipoCorso) -> Rinvii {
    let art = |s: &'static str| Some(Testo::Borrowed(s));
    match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => Rinvii {
            requisiti: art("art. 6"),
            estero: "art. 6, comma 6, e art. 38".into(),
            selezione: art("art. 7, comma 3"),
            pochi_candidati: art("art. 7, comma 5"),
            cronologico: art("art. 7, comma 3"),
            revoca: art("art. 3, comma 6, e art. 7, comma 8"),
            proroga: art("art. 7, comma 6"),
            agevolazioni: art("art. 9"),
            frequenza: art("art. 2, comma 6, e art. 10"),
            prova: art("art. 11"),
            ripetizione: art("art. 11, comma 2"),
            uditori: art("art. 13"),
            corsi_singoli: art("art. 12"),
            rimborsi: art("art. 8"),
            rilascio: art("art. 14"),
            titoli_entro: None,
            verifiche: art("art. 10, comma 2"),
            domanda_titolo: art("art. 11, comma 2"),
            immatricolazione: art("art. 7, comma 4, e art. 8, comma 1"),
            borse: art("art. 9, commi 1 e 3"),
        },
        TipoCorso::Perfezionamento => Rinvii {
            requisiti: art("art. 16 e art. 19"),
            estero: "art. 19, comma 2, e art. 38".into(),
            selezione: art("art. 19, comma 5"),
            pochi_candidati: art("art. 19, comma 6"),
            revoca: art("art. 17, comma 2"),
            agevolazioni: art("art. 21"),
            frequenza: art("art. 17, commi 8 e 9"),
            prova: art("art. 23"),
            ripetizione: art("art. 23, comma 3"),
            uditori: art("art. 22"),
            rimborsi: art("art. 20"),
            rilascio: art("art. 17, comma 10"),
            titoli_entro: art("art. 19, comma 1"),
            verifiche: art("art. 23, comma 4"),
            immatricolazione: art("art. 20, comma 1"),
            borse: art("art. 21, commi 2 e 5"),
            ..Rinvii::default()
        },
        TipoCorso::Formazione | TipoCorso::Aggiornamento => Rinvii {
            requisiti: art("art. 24 e art. 27"),
            estero: "art. 27, comma 2, e art. 38".into(),
            selezione: art("art. 27"),
            pochi_candidati: art("art. 27, comma 5"),
            cronologico: art("art. 27, comma 4"),
            revoca: art("art. 25, comma 2"),
            agevolazioni: art("art. 29"),
            frequenza: art("art. 25, commi 5 e 6"),
            prova: art("art. 31"),
            ripetizione: art("art. 31, comma 3"),
            uditori: art("art. 30"),
            rimborsi: art("art. 28"),
            rilascio: art("art. 25, comma 7"),
            titoli_entro: art("art. 27, comma 1"),
            verifiche: art("art. 31, comma 4"),
            immatricolazione: art("art. 28, comma 1"),
            borse: art("art. 29, commi 2 e 4"),
            ..Rinvii::default()
        },
        TipoCorso::SummerSchool | TipoCorso::WinterSchool => Rinvii {
            estero: "art. 38".into(),
            ..Rinvii::default()
        },
    }
}

/// The titles that give access to each kind of course.
fn titoli_per_tipo(tipo: TipoCorso) -> Vec<&'static str> {
    const EQUIPOLLENTE: &str = "titolo equipollente ai sensi della normativa vigente o titolo conseguito all'estero ritenuto idoneo";
    const LAUREA: &str = "laurea conseguita ai sensi del D.M. 509/1999 o del D.M. 270/2004";
    const SPECIALISTICA: &str = "laurea specialistica conseguita ai sensi del D.M. 509/1999";
    const MAGISTRALE: &str = "laurea magistrale conseguita ai sensi del D.M. 270/2004";
    const VECCHIO_ORDINAMENTO: &str =
        "laurea conseguita secondo gli ordinamenti previgenti al D.M. 509/1999 (vecchio ordinamento)";
    match tipo {
        // Art. 6.1.
        TipoCorso::MasterI => vec![
            LAUREA,
            "titolo di studio universitario di durata almeno triennale conseguito secondo gli ordinamenti previgenti al D.M. 509/1999",
            EQUIPOLLENTE,
        ],
        // Art. 6.2.
        TipoCorso::MasterII => vec![SPECIALISTICA, MAGISTRALE, VECCHIO_ORDINAMENTO, EQUIPOLLENTE],
        // Art. 16.1.
        TipoCorso::Perfezionamento => vec![
            LAUREA,
            SPECIALISTICA,
            MAGISTRALE,
            "diploma universitario",
            VECCHIO_ORDINAMENTO,
            EQUIPOLLENTE,
        ],
        // Art. 24.1.
        TipoCorso::Formazione | TipoCorso::Aggiornamento => vec![
            "diploma di scuola secondaria di secondo grado di durata almeno quadriennale o altro titolo conseguito all'estero ritenuto idoneo",
        ],
        // Linee guida §6: as the call says, that is the course's own titles.
        TipoCorso::SummerSchool | TipoCorso::WinterSchool => vec![],
    }
}

/// A decree as the university numbers it: `formato_decreto` with
/// `{numero}`, `{data}` (Italian) and `{anno}` replaced. A format without the
/// date gets it appended, so a decree is never cited without its date.
pub(crate) fn cita_decreto(formato: &str, d: &Decreto) -> String {
    let data = italiano::data(d.data);
    let mut s = formato
        .replace("{numero}", &d.numero)
        .replace("{anno}", &d.data.year().to_string());
    if !s.contains("{data}") {
        return format!("{s} {}", italiano::data_con_articolo("del", d.data));
    }
    // "del {data}" elides as Italian wants: "dell'8 luglio 2025".
    for p in ["del", "dal", "il", "al"] {
        s = s.replace(
            &format!("{p} {{data}}"),
            &italiano::data_con_articolo(p, d.data),
        );
    }
    s.replace("{data}", &data)
}

fn nominativo(f: &Firmatario) -> Nominativo {
    Nominativo {
        nome_completo: italiano::nome_firmatario(f),
        genere: italiano::genere_firmatario(f),
    }
}

/// "il Master", "il corso", "la Summer School", with their prepositions.
fn nome_breve(tipo: TipoCorso) -> NomeBreve {
    let nome = match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => "Master",
        TipoCorso::SummerSchool => "Summer School",
        TipoCorso::WinterSchool => "Winter School",
        _ => "corso",
    };
    let femminile = italiano::femminile(tipo);
    let con = |p| format!("{} {nome}", italiano::articolo(p, femminile));
    NomeBreve {
        il: con("il"),
        del: con("del"),
        al: con("al"),
        femminile,
    }
}

/// The teaching plan's table: "–" where a module has no SSD, CFU or hours.
fn moduli(corso: &Corso) -> Vec<ModuloBando> {
    let o_trattino = |s: String, vuoto: bool| if vuoto { "–".to_string() } else { s };
    corso
        .moduli
        .iter()
        .map(|m| ModuloBando {
            codice: m.codice.clone(),
            titolo: m.titolo.clone(),
            ssd: m
                .ssd
                .clone()
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| "–".into()),
            cfu: o_trattino(m.cfu.to_string(), m.cfu == 0),
            ore: o_trattino(m.ore.to_string(), m.ore.minutes() == 0),
        })
        .collect()
}

/// Access titles (Art. 6, 16, 24) plus the course's own; `None` when
/// there are neither.
fn requisiti(corso: &Corso) -> Option<Requisiti> {
    let titoli = titoli_per_tipo(corso.tipo);
    if titoli.is_empty() && corso.titoli_accesso.is_empty() {
        return None;
    }
    Some(Requisiti {
        titoli: titoli.into_iter().map(Testo::Borrowed).collect(),
        // Art. 6.3: the secondary diploma is verified for Masters too
        // (nota ministeriale n. 8128 del 17 marzo 2020).
        diploma: corso.tipo.is_master(),
        specifici: corso.titoli_accesso.clone(),
    })
}

/// The selection's maximum score: the sum of its criteria, else the one
/// the ranking's data gives.
fn punteggio_massimo(corso: &Corso) -> Option<Punteggio> {
    let criteri = &corso.informazioni_bando.criteri_selezione;
    if criteri.is_empty() {
        corso
            .graduatoria
            .as_ref()
            .and_then(|g| g.punteggio_massimo)
            .map(|m| Punteggio(i64::from(m) * 100))
    } else {
        Some(Punteggio(criteri.iter().map(|c| c.punti.0).sum()))
    }
}

fn selezione(corso: &Corso) -> Selezione {
    let info = &corso.informazioni_bando;
    let modi = italiano::modalita_selezione(&corso.selezione, ElencoModalita::Bando);
    let ha = |f: fn(&ModalitaSelezione) -> bool| corso.selezione.iter().any(f);
    Selezione {
        cronologico: corso
            .selezione
            .contains(&ModalitaSelezione::OrdineCronologico),
        modalita: italiano::elenco(&modi),
        con_commissione: !modi.is_empty(),
        prove: ha(|m| {
            matches!(
                m,
                ModalitaSelezione::ProvaScritta
                    | ModalitaSelezione::ProvaOrale
                    | ModalitaSelezione::Colloquio
            )
        }),
        curriculum: ha(|m| matches!(m, ModalitaSelezione::Titoli | ModalitaSelezione::Curriculum)),
        regola_parita: super::norme::regola_parita(),
        criteri: info
            .criteri_selezione
            .iter()
            .map(|c| CriterioBando {
                descrizione: c.descrizione.clone(),
                punti: italiano::punteggio(c.punti),
            })
            .collect(),
        punteggio_massimo: punteggio_massimo(corso).map(italiano::punteggio),
        punteggio_minimo: info.punteggio_minimo.map(italiano::punteggio),
    }
}

fn quote(ds: &Dataset, corso: &Corso) -> QuoteBando {
    let euro = |i: Importo| i.to_string();
    let q = &corso.quote;
    let a = &ds.ateneo;
    QuoteBando {
        gratuito: q.iscrizione.cents() == 0,
        iscrizione: euro(q.iscrizione),
        rate: q
            .rate
            .iter()
            .map(|rt| RataBando {
                importo: euro(rt.importo),
                entro: format!("entro {}", italiano::data_con_articolo("il", rt.scadenza)),
            })
            .collect(),
        ammissione: q.ammissione.filter(|i| i.cents() > 0).map(euro),
        bollo: euro(a.bollo.importo),
        // The regional right-to-study tax is due for Masters only (Linee guida §3).
        tassa_regionale: a
            .regolamento
            .prelievi
            .tassa_regionale
            .filter(|i| corso.tipo.is_master() && i.cents() > 0)
            .map(euro),
        agevolazioni: q.agevolazioni.clone(),
    }
}

/// Whether anyone pays anything: enrolment, admission, auditors or single
/// courses where admitted.
fn a_pagamento(corso: &Corso) -> bool {
    let q = &corso.quote;
    q.iscrizione.cents() > 0
        || q.ammissione.is_some_and(|i| i.cents() > 0)
        || (corso.ammette_uditori && q.uditore.is_some_and(|i| i.cents() > 0))
        || (corso.ammette_corsi_singoli && q.corso_singolo_per_cfu.is_some_and(|i| i.cents() > 0))
}

/// Final exam: /100 for Masters, once only, by 31 March of the year after
/// the academic year (Art. 11); /30 with one retry otherwise (Art. 23, 31).
fn prova(corso: &Corso) -> Option<ProvaBando> {
    let pf = corso.prova_finale.as_ref()?;
    Some(ProvaBando {
        scala: pf.scala,
        in_lettere: match pf.scala {
            100 => "centesimi",
            30 => "trentesimi",
            _ => "",
        }
        .into(),
        minimo: pf.minimo_superamento(),
        descrizione: pf.descrizione.clone(),
        data: corso
            .date
            .esame_finale
            .map(|d| italiano::data_con_articolo("il", d)),
        limite: rules::limite_esame_master(corso).map(|d| italiano::data_con_articolo("il", d)),
        // Art. 11.2: a Master's final exam is applied for, with the fee the
        // university's rules on student fees set; other courses only when
        // the course names a fee.
        contributo_domanda: match corso.informazioni_bando.contributo_prova_finale {
            Some(i) => Some(format!("il contributo di {i}")),
            None if corso.tipo.is_master() => Some(format!(
                "il contributo previsto dal Regolamento di Ateneo in materia di contribuzione studentesca per l'anno accademico {}",
                corso.anno_accademico
            )),
            None => None,
        },
        ripetibile: !corso.tipo.is_master(),
    })
}

/// What the course is: the articles before the teaching plan.
fn presentazione(ds: &Dataset, corso: &Corso, corso_in: String) -> Presentazione {
    let a = &ds.ateneo;
    let master = corso.tipo.is_master();
    let cfu_totali = corso.cfu_moduli();
    Presentazione {
        corso_in,
        // The call's own act, else the activation decree it is annexed to.
        decreto: corso
            .decreto_bando
            .as_ref()
            .or(corso.attivazione.as_ref())
            .map(|d| cita_decreto(&a.regolamento.formato_decreto, d)),
        protocollo: corso
            .decreto_bando
            .as_ref()
            .or(corso.attivazione.as_ref())
            .and_then(|d| d.protocollo.clone()),
        regolamento: a.regolamento.nome.clone(),
        emanazione_regolamento: a.regolamento.emanazione.clone(),
        master,
        base_normativa: super::norme::citazione_basi(corso.tipo),
        scuola: matches!(
            corso.tipo,
            TipoCorso::SummerSchool | TipoCorso::WinterSchool
        ),
        delibere: corso
            .delibere
            .iter()
            .map(|d| DeliberaBando {
                organo: d.organo.clone(),
                data: italiano::data(d.data),
                oggetto: d.oggetto.clone(),
            })
            .collect(),
        finanziamento: corso.finanziamento.as_ref().map(|f| FinanziamentoBando {
            fonte: f.fonte.clone(),
            codice_progetto: f.codice_progetto.clone(),
            accreditamento: f.accreditamento_regionale,
        }),
        segreteria: (&corso.dipartimento.segreteria_didattica).into(),
        direttore: nominativo(&corso.direttore),
        // Art. 35: Masters have a Comitato Scientifico Didattico.
        organo_comitato: if master {
            "Comitato Scientifico Didattico"
        } else {
            "Comitato scientifico"
        }
        .into(),
        comitato: corso
            .comitato
            .iter()
            .map(|c| MembroComitato {
                nome_completo: italiano::nome_con_titolo(c.titolo.as_deref(), &c.nome, &c.cognome),
                ruolo: c.ruolo.as_ref().map(|_| italiano::ruolo_componente(c)),
            })
            .collect(),
        obiettivi: corso.obiettivi.clone(),
        sbocchi: corso.sbocchi.clone(),
        partner: corso.partner.clone(),
        sede: corso.sede.clone(),
        online: corso.sede.trim().eq_ignore_ascii_case("online"),
        lingua: corso.lingua.clone(),
        cfu: cfu_totali,
        ore_impegno: migliaia(u64::from(cfu_totali) * u64::from(rules::ORE_PER_CFU)),
        ore_per_cfu: rules::ORE_PER_CFU,
    }
}

/// By when access titles are held, as the university's regulation sets it
/// for the course's chapter: the call's deadline (Masters, Art. 6.6) or the
/// day of the selection (Art. 19.1, 27.1), named when the data gives it.
fn requisiti_entro(ds: &Dataset, corso: &Corso) -> String {
    let termini = ds.ateneo.regolamento.titoli_posseduti_entro;
    let termine = if corso.tipo.is_master() {
        termini.master
    } else {
        termini.altri
    };
    let selezione = corso
        .informazioni_bando
        .data_selezione
        .or_else(|| corso.graduatoria.as_ref().and_then(|g| g.data_selezione));
    // Admission in order of application has no selection day: the titles
    // are held when applying.
    let senza_selezione = corso
        .selezione
        .iter()
        .all(|m| *m == ModalitaSelezione::OrdineCronologico);
    match (termine, selezione) {
        (TermineTitolo::Selezione, _) if senza_selezione => {
            "alla data di presentazione della domanda".to_string()
        }
        (TermineTitolo::Scadenza, _) => {
            "alla data di scadenza per la presentazione delle domande".to_string()
        }
        (TermineTitolo::Selezione, Some(d)) => format!(
            "alla data della selezione, fissata per {}",
            italiano::data_con_articolo("il", d)
        ),
        (TermineTitolo::Selezione, None) => {
            "alla data della selezione stabilita dal presente bando".to_string()
        }
    }
}

/// The tests at the end of the modules: as the course describes them, or,
/// for a Master, as Art. 10.2 prescribes them for every activity; nothing
/// for other courses that plan none (Art. 23.4, 31.4: "eventuali").
fn verifiche(corso: &Corso) -> Option<String> {
    match &corso.informazioni_bando.verifiche_moduli {
        Some(v) => Some(format!(
            "Al termine delle attività formative sono previste prove di verifica delle competenze acquisite: {}",
            v.trim().trim_end_matches('.')
        )),
        None if corso.tipo.is_master() => Some(
            "Per ciascuna attività formativa del piano didattico è prevista una verifica delle competenze acquisite, che dà luogo a una votazione in trentesimi o a un giudizio di idoneità".to_string(),
        ),
        None => None,
    }
}

fn ha_stage(corso: &Corso) -> bool {
    corso
        .moduli
        .iter()
        .any(|m| matches!(m.tipo, TipoAttivita::Stage))
}

/// How the course runs and who may join it: the articles from the teaching
/// plan on.
fn condizioni(ds: &Dataset, corso: &Corso) -> Condizioni {
    let a = &ds.ateneo;
    let q = &corso.quote;
    let master = corso.tipo.is_master();
    let mut rinvii = rinvii(corso.tipo);
    rinvii.corsi_singoli = rinvii.corsi_singoli.filter(|_| master);
    Condizioni {
        moduli: moduli(corso),
        totale_cfu: corso.cfu_moduli(),
        totale_ore: corso.ore_previste().to_string(),
        stage: ha_stage(corso),
        posti: PostiBando {
            minimo: corso.posti.minimo,
            massimo: corso.posti.massimo,
        },
        requisiti: requisiti(corso),
        requisiti_entro: requisiti_entro(ds, corso),
        domanda: corso.domanda.clone(),
        scadenza: italiano::data(corso.date.scadenza),
        scadenza_il: italiano::data_con_articolo("il", corso.date.scadenza),
        selezione: selezione(corso),
        quote: quote(ds, corso),
        a_pagamento: a_pagamento(corso),
        // Auditors (Art. 13, 22, 30) and single courses (Art. 12) only where admitted.
        uditori: corso.ammette_uditori.then(|| Uditori {
            posti: corso.posti.uditori,
            quota: q.uditore.map(|i| i.to_string()),
            stage: ha_stage(corso),
        }),
        corsi_singoli: corso.ammette_corsi_singoli.then(|| CorsiSingoli {
            posti: corso.posti.corsi_singoli,
            quota_cfu: q.corso_singolo_per_cfu.map(|i| i.to_string()),
        }),
        frequenza_minima: corso.frequenza_minima,
        frequenza_il: italiano::percentuale_con_articolo(corso.frequenza_minima),
        verifiche: verifiche(corso),
        prova: prova(corso),
        immatricolazione: Immatricolazione {
            entro: corso
                .informazioni_bando
                .immatricolazione_entro
                .map(|d| italiano::data_con_articolo("il", d)),
            modalita: corso.informazioni_bando.immatricolazione.clone(),
        },
        borse: corso
            .informazioni_bando
            .borse
            .iter()
            .map(|b| BorsaBando {
                numero: b.numero,
                importo: b.importo.to_string(),
                criteri: b.criteri.clone(),
                finanziatore: b.finanziatore.clone(),
            })
            .collect(),
        rilascio: match corso.tipo {
            TipoCorso::MasterI | TipoCorso::MasterII => "pergamena",
            TipoCorso::SummerSchool | TipoCorso::WinterSchool => "attestato",
            _ => "certificato",
        }
        .into(),
        protezione_dati: a.protezione_dati.clone(),
        responsabile: corso.responsabile_procedimento.as_ref().map(nominativo),
        ufficio: (&a.ufficio_post_lauream).into(),
        sito_web: a.sito_web.clone(),
        rinvii,
    }
}

fn bando(ds: &Dataset, corso: &Corso, comuni: Comuni) -> Documento {
    let a = &ds.ateneo;
    let scuola = matches!(
        corso.tipo,
        TipoCorso::SummerSchool | TipoCorso::WinterSchool
    );
    let breve = nome_breve(corso.tipo);
    // "al Master universitario di I livello in «…»", "alla Summer School «…»".
    let corso_in = format!(
        "{} {}{} «{}»",
        italiano::articolo("al", breve.femminile),
        corso.tipo.denominazione(),
        if scuola { "" } else { " in" },
        corso.titolo
    );
    let intestazione = format!(
        "Bando di ammissione {corso_in} – anno accademico {}",
        corso.anno_accademico
    );
    let dove = percorsi::bando(corso);

    let dati = DatiBando {
        documento: Intestazione::new(
            TipoAtto::Bando,
            "Bando di ammissione",
            intestazione,
            dove.identificativo,
            corso.date.bando,
            a,
        ),
        ateneo: comuni.ateneo.clone(),
        emittente: (&a.ufficio_post_lauream).into(),
        firmatario: DatiFirmatario::new(&a.rettore, super::qualifica_rettore(&a.rettore)),
        corso: CorsoBando {
            corso: comuni.corso.clone(),
            breve,
        },
        bando: ContenutoBando {
            presentazione: presentazione(ds, corso, corso_in),
            condizioni: condizioni(ds, corso),
        },
    };
    Documento::da_rendere(Some(corso), None, dove.percorso, dati)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn decreto_nel_formato_di_ateneo() {
        let d = Decreto {
            numero: "642".into(),
            data: NaiveDate::from_ymd_opt(2025, 7, 15).unwrap(),
            protocollo: None,
            visti: vec![],
            considerato: vec![],
        };
        assert_eq!(
            cita_decreto("D.R. n. {numero} del {data}", &d),
            "D.R. n. 642 del 15 luglio 2025"
        );
        assert_eq!(
            cita_decreto("DR/{anno}/{numero}", &d),
            "DR/2025/642 del 15 luglio 2025"
        );
        // Elided before a day read with a vowel.
        let d = Decreto {
            data: NaiveDate::from_ymd_opt(2025, 7, 8).unwrap(),
            ..d
        };
        assert_eq!(
            cita_decreto("D.R. n. {numero} del {data}", &d),
            "D.R. n. 642 dell'8 luglio 2025"
        );
        assert_eq!(
            cita_decreto("DR/{anno}/{numero}", &d),
            "DR/2025/642 dell'8 luglio 2025"
        );
    }

    #[test]
    fn titoli_di_accesso_per_tipo() {
        assert!(titoli_per_tipo(TipoCorso::MasterII)
            .iter()
            .any(|t| t.contains("laurea magistrale")));
        assert!(!titoli_per_tipo(TipoCorso::MasterI)
            .iter()
            .any(|t| t.contains("laurea magistrale")));
        assert!(titoli_per_tipo(TipoCorso::Formazione)[0].contains("almeno quadriennale"));
        assert!(titoli_per_tipo(TipoCorso::SummerSchool).is_empty());
    }
}
