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
use super::{italiano, Comuni, Documento, Piano};
use crate::model::{
    Corso, Dataset, Decreto, Firmatario, Genere, ModalitaSelezione, TipoAttivita, TipoCorso,
};
use crate::rules;

/// What the call template receives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiBando {
    pub documento: Intestazione,
    pub ateneo: Condiviso<DatiAteneo>,
    pub emittente: DatiUfficio,
    /// The Rector, who signs the call.
    pub firmatario: DatiFirmatario,
    pub corso: CorsoBando,
    pub bando: ContenutoBando,
}

/// The course, with the short name the call's sentences use.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsoBando {
    #[serde(flatten)]
    pub corso: Condiviso<DatiCorso>,
    pub breve: NomeBreve,
}

/// "il Master", "del corso", "alla Summer School": the course named short,
/// with its article and prepositions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NomeBreve {
    pub il: String,
    pub del: String,
    pub al: String,
    pub femminile: bool,
}

/// What the call says, by article: one object to the template, built in
/// two parts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContenutoBando {
    #[serde(flatten)]
    pub presentazione: Presentazione,
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
    pub protocollo: Option<String>,
    pub regolamento: String,
    pub emanazione_regolamento: Option<String>,
    pub master: bool,
    /// A summer or winter school.
    pub scuola: bool,
    pub delibere: Vec<DeliberaBando>,
    pub finanziamento: Option<FinanziamentoBando>,
    pub segreteria: DatiUfficio,
    pub direttore: Nominativo,
    /// "Comitato Scientifico Didattico" for Masters (Art. 35).
    pub organo_comitato: Testo,
    pub comitato: Vec<MembroComitato>,
    pub obiettivi: Option<String>,
    pub sbocchi: Option<String>,
    pub partner: Vec<String>,
    pub sede: String,
    pub online: bool,
    pub lingua: Option<String>,
    pub cfu: u32,
    /// The student's whole workload, CFU times the hours of one: "1.500".
    pub ore_impegno: String,
    pub ore_per_cfu: u32,
}

/// How the course runs and who may join it: teaching plan, places,
/// requirements, application, selection, fees, auditors and single
/// courses, attendance, exam, title, data protection, contacts, and the
/// articles cited.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condizioni {
    pub moduli: Vec<ModuloBando>,
    pub totale_cfu: u32,
    pub totale_ore: String,
    pub stage: bool,
    pub posti: PostiBando,
    pub requisiti: Option<Requisiti>,
    pub domanda: Option<String>,
    pub scadenza: String,
    pub scadenza_il: String,
    pub selezione: Selezione,
    pub quote: QuoteBando,
    /// Whether anyone pays anything (enrolment, admission, auditors, single courses).
    pub a_pagamento: bool,
    pub uditori: Option<Uditori>,
    pub corsi_singoli: Option<CorsiSingoli>,
    pub frequenza_minima: u32,
    /// "il 75%", "l'80%".
    pub frequenza_il: String,
    pub prova: Option<ProvaBando>,
    /// What the course's title is issued as: "pergamena", "certificato", "attestato".
    pub rilascio: Testo,
    pub protezione_dati: Option<String>,
    /// The person responsible for the procedure (L. 241/1990).
    pub responsabile: Option<Nominativo>,
    pub ufficio: DatiUfficio,
    pub sito_web: Option<String>,
    pub rinvii: Rinvii,
}

/// A resolution that proposed or approved the course.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliberaBando {
    pub organo: String,
    pub data: String,
    pub oggetto: Option<String>,
}

/// Public funding, as the call states it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinanziamentoBando {
    pub fonte: String,
    pub codice_progetto: Option<String>,
    /// Whether the Regione accredits the course.
    pub accreditamento: bool,
}

/// A person named with title, and the gender the sentence agrees with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nominativo {
    pub nome_completo: String,
    pub genere: Genere,
}

/// A member of the scientific committee.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembroComitato {
    pub nome_completo: String,
    pub ruolo: Option<String>,
}

/// A module of the teaching plan, as the call's table prints it ("–" for
/// what it lacks).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuloBando {
    pub codice: String,
    pub titolo: String,
    pub ssd: String,
    pub cfu: String,
    pub ore: String,
}

/// Minimum and maximum number of allievi.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostiBando {
    pub minimo: u32,
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
    pub con_commissione: bool,
    /// Whether there are tests or interviews.
    pub prove: bool,
    /// Whether titles or a curriculum are evaluated.
    pub curriculum: bool,
}

/// Fees, in euro as printed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteBando {
    pub gratuito: bool,
    pub iscrizione: String,
    pub rate: Vec<RataBando>,
    pub ammissione: Option<String>,
    pub bollo: String,
    /// The regional right-to-study tax, Masters only (Linee guida §3).
    pub tassa_regionale: Option<String>,
    pub agevolazioni: Vec<String>,
}

/// An instalment: "€ 1.250,00" "entro il 15 dicembre 2025".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RataBando {
    pub importo: String,
    pub entro: String,
}

/// Auditors, where admitted (Art. 13, 22, 30).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uditori {
    pub posti: Option<u32>,
    pub quota: Option<String>,
    /// Whether the course has a stage, which auditors do not attend.
    pub stage: bool,
}

/// Single courses, where admitted (Art. 12).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsiSingoli {
    pub posti: Option<u32>,
    pub quota_cfu: Option<String>,
}

/// The final exam (Art. 11, 23, 31).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvaBando {
    pub scala: u32,
    /// The scale in words: "centesimi", "trentesimi".
    #[serde(rename = "in")]
    pub in_lettere: Testo,
    pub minimo: u32,
    pub descrizione: Option<String>,
    pub data: Option<String>,
    /// The last day a Master's exam may be held (Art. 11).
    pub limite: Option<String>,
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
    pub requisiti: Option<Testo>,
    pub estero: Testo,
    pub selezione: Option<Testo>,
    pub pochi_candidati: Option<Testo>,
    pub cronologico: Option<Testo>,
    pub revoca: Option<Testo>,
    pub proroga: Option<Testo>,
    pub agevolazioni: Option<Testo>,
    pub frequenza: Option<Testo>,
    pub prova: Option<Testo>,
    pub ripetizione: Option<Testo>,
    pub uditori: Option<Testo>,
    pub corsi_singoli: Option<Testo>,
    pub rimborsi: Option<Testo>,
    pub rilascio: Option<Testo>,
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
    let s = formato
        .replace("{numero}", &d.numero)
        .replace("{anno}", &d.data.year().to_string());
    if s.contains("{data}") {
        s.replace("{data}", &data)
    } else {
        format!("{s} del {data}")
    }
}

/// "a", "a e b", "a, b e c".
fn elenco(v: &[String]) -> String {
    match v {
        [] => String::new(),
        [a] => a.clone(),
        [testa @ .., ultimo] => format!("{} e {ultimo}", testa.join(", ")),
    }
}

/// "il 75%", "l'80%": the article before a percentage, elided where the
/// number is read with a vowel (otto, ottanta, undici, uno).
fn percentuale_con_articolo(n: u32) -> String {
    let s = n.to_string();
    if s.starts_with('8') || n == 1 || n == 11 {
        format!("l'{s}%")
    } else {
        format!("il {s}%")
    }
}

/// "1.500".
fn migliaia(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The selection modes in the words of Art. 7.3, 19.5.
fn modalita(selezione: &[ModalitaSelezione]) -> Vec<String> {
    let titoli = selezione.contains(&ModalitaSelezione::Titoli);
    let curriculum = selezione.contains(&ModalitaSelezione::Curriculum);
    let mut out = Vec::new();
    for m in selezione {
        let s = match m {
            ModalitaSelezione::Titoli if curriculum => {
                "valutazione dei titoli e del curriculum vitae"
            }
            ModalitaSelezione::Titoli => "valutazione dei titoli",
            ModalitaSelezione::Curriculum if titoli => continue,
            ModalitaSelezione::Curriculum => "valutazione del curriculum vitae",
            ModalitaSelezione::ProvaScritta => "prova scritta",
            ModalitaSelezione::ProvaOrale => "prova orale",
            ModalitaSelezione::Colloquio => "colloquio",
            ModalitaSelezione::OrdineCronologico => continue,
        };
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    out
}

fn nominativo(f: &Firmatario) -> Nominativo {
    Nominativo {
        nome_completo: italiano::nome_firmatario(f),
        genere: f.genere,
    }
}

/// "il Master", "il corso", "la Summer School", with their prepositions.
fn nome_breve(tipo: TipoCorso) -> NomeBreve {
    let (nome, femminile) = match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => ("Master", false),
        TipoCorso::SummerSchool => ("Summer School", true),
        TipoCorso::WinterSchool => ("Winter School", true),
        _ => ("corso", false),
    };
    let (il, del, al) = if femminile {
        ("la", "della", "alla")
    } else {
        ("il", "del", "al")
    };
    NomeBreve {
        il: format!("{il} {nome}"),
        del: format!("{del} {nome}"),
        al: format!("{al} {nome}"),
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

fn selezione(corso: &Corso) -> Selezione {
    let modi = modalita(&corso.selezione);
    let ha = |f: fn(&ModalitaSelezione) -> bool| corso.selezione.iter().any(f);
    Selezione {
        cronologico: corso
            .selezione
            .contains(&ModalitaSelezione::OrdineCronologico),
        modalita: elenco(&modi),
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
    }
}

fn quote(ds: &Dataset, corso: &Corso) -> QuoteBando {
    let euro = italiano::euro;
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
        limite: rules::limite_esame_master(corso).map(italiano::data),
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
        decreto: corso
            .attivazione
            .as_ref()
            .map(|d| cita_decreto(&a.regolamento.formato_decreto, d)),
        protocollo: corso
            .attivazione
            .as_ref()
            .and_then(|d| d.protocollo.clone()),
        regolamento: a.regolamento.nome.clone(),
        emanazione_regolamento: a.regolamento.emanazione.clone(),
        master,
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
                nome_completo: match &c.titolo {
                    Some(t) if !t.is_empty() => format!("{t} {} {}", c.nome, c.cognome),
                    _ => format!("{} {}", c.nome, c.cognome),
                },
                ruolo: c.ruolo.clone(),
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
        domanda: corso.domanda.clone(),
        scadenza: italiano::data(corso.date.scadenza),
        scadenza_il: italiano::data_con_articolo("il", corso.date.scadenza),
        selezione: selezione(corso),
        quote: quote(ds, corso),
        a_pagamento: a_pagamento(corso),
        // Auditors (Art. 13, 22, 30) and single courses (Art. 12) only where admitted.
        uditori: corso.ammette_uditori.then(|| Uditori {
            posti: corso.posti.uditori,
            quota: q.uditore.map(italiano::euro),
            stage: ha_stage(corso),
        }),
        corsi_singoli: corso.ammette_corsi_singoli.then(|| CorsiSingoli {
            posti: corso.posti.corsi_singoli,
            quota_cfu: q.corso_singolo_per_cfu.map(italiano::euro),
        }),
        frequenza_minima: corso.frequenza_minima,
        frequenza_il: percentuale_con_articolo(corso.frequenza_minima),
        prova: prova(corso),
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
        if breve.femminile { "alla" } else { "al" },
        corso.tipo.denominazione(),
        if scuola { "" } else { " in" },
        corso.titolo
    );
    let intestazione = format!(
        "Bando di ammissione {corso_in} – anno accademico {}",
        corso.anno_accademico
    );
    let aa = corso.anno_accademico.replace('/', "-");
    let id = italiano::slug(&corso.id);
    let percorso = format!("{aa}/{id}/bando/bando-{id}.pdf");
    let identificativo = format!("{}/{}/bando", corso.anno_accademico, corso.id);

    let dati = DatiBando {
        documento: Intestazione::new(
            TipoAtto::Bando,
            "Bando di ammissione",
            intestazione,
            identificativo,
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
    Documento::da_rendere(Some(corso), None, percorso, dati)
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
    }

    #[test]
    fn elenchi_e_migliaia() {
        assert_eq!(elenco(&[]), "");
        assert_eq!(elenco(&["a".into()]), "a");
        assert_eq!(elenco(&["a".into(), "b".into(), "c".into()]), "a, b e c");
        assert_eq!(migliaia(1500), "1.500");
        assert_eq!(migliaia(150), "150");
        assert_eq!(migliaia(1234567), "1.234.567");
        assert_eq!(percentuale_con_articolo(75), "il 75%");
        assert_eq!(percentuale_con_articolo(80), "l'80%");
        assert_eq!(percentuale_con_articolo(100), "il 100%");
    }

    #[test]
    fn modalita_in_italiano() {
        use ModalitaSelezione::*;
        assert_eq!(
            elenco(&modalita(&[Titoli, ProvaScritta, Colloquio])),
            "valutazione dei titoli, prova scritta e colloquio"
        );
        assert_eq!(
            elenco(&modalita(&[Curriculum, Titoli])),
            "valutazione dei titoli e del curriculum vitae"
        );
        assert!(modalita(&[OrdineCronologico]).is_empty());
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
