//! The regulation's rules: validation of a dataset and eligibility of each
//! participant for a final document.
//!
//! Every rule cites where it comes from. "Art. N" is the Alta Formazione
//! regulation summarised in the project's domain notes; "Linee guida §N" the
//! operating guidelines; national norms are cited in full. Validation collects
//! every problem; nothing here stops at the first.

mod atti;
pub mod codice_fiscale;
pub mod concordanza;

pub use atti::nell_offerta;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::diag::{Posizione, Problemi};
use crate::model::{Bollo, Corso, Dataset, Esito, Iscrizione, Ore, Presenza, Ruolo, TipoCorso};

/// 1 CFU = 25 hours of total student effort (Art. 36; Linee guida §1).
pub const ORE_PER_CFU: u32 = 25;
/// Attendance can never be required below 75% (Art. 2.6, 10.2, 17.9, 25.6).
pub const FREQUENZA_MINIMA_ASSOLUTA: u32 = 75;
/// An enrolment deadline may be extended by at most 30 days (Art. 7.6).
pub const PROROGA_MASSIMA_GIORNI: i64 = 30;
/// Internal teaching is at least 20% of the hours (Art. 5, 34).
pub const DIDATTICA_INTERNA_MINIMA: u32 = 20;

/// Checks the whole dataset against the regulation.
pub fn valida(ds: &Dataset) -> Problemi {
    let mut p = Problemi::default();
    let minimo_ateneo = ds.ateneo.regolamento.frequenza_minima;
    if !(FREQUENZA_MINIMA_ASSOLUTA..=100).contains(&minimo_ateneo) {
        p.errore_regola(
            Posizione::json("ateneo.json", "$.regolamento.frequenza_minima"),
            format!("frequenza minima {minimo_ateneo}%: non può essere inferiore al 75% né superiore al 100%"),
            "Art. 2.6, 10.2",
        );
    }
    if let Some(url) = &ds.ateneo.url_verifica {
        // Printed on paper and encoded in the QR: a reader must reach it,
        // with the code in it.
        if let Some(perche) = crate::registry::indirizzo::controlla(url) {
            p.errore(Posizione::json("ateneo.json", "$.url_verifica"), perche);
        }
    }
    let mut ids: HashMap<&str, &str> = HashMap::new();
    for (file, corso) in &ds.corsi {
        if let Some(prima) = ids.insert(&corso.id, file) {
            p.errore(
                Posizione::json(file, "$.id"),
                format!("l'identificativo «{}» è già usato da {prima}", corso.id),
            );
        }
        valida_corso(
            file,
            corso,
            minimo_ateneo.max(FREQUENZA_MINIMA_ASSOLUTA),
            &mut p,
        );
    }
    valida_decreti(ds, &mut p);
    atti::valida_atti(ds, &mut p);
    valida_iscrizioni(ds, &mut p);
    valida_presenze(ds, &mut p);
    concordanza::valida(ds, &mut p);
    p
}

/// A repertory number identifies one decree in its year and its issuer's
/// repertory (the Rector's, or a department's: Art. 11.3), and is not empty.
fn valida_repertorio(ds: &Dataset, p: &mut Problemi) {
    use chrono::Datelike;
    let atti = atti::atti(ds);
    let mut visti: HashMap<(i32, &atti::Repertorio, &str), Posizione> = HashMap::new();
    for atti::Atto {
        pos,
        decreto: d,
        repertorio,
    } in &atti
    {
        let pos = pos.clone();
        let numero = d.numero.trim();
        if numero.is_empty() {
            p.errore(
                Posizione {
                    percorso: pos.percorso.as_ref().map(|x| format!("{x}.numero")),
                    ..pos.clone()
                },
                "numero di repertorio vuoto",
            );
            continue;
        }
        if let Some(prima) = visti.get(&(d.data.year(), repertorio, numero)) {
            p.errore(
                Posizione {
                    percorso: pos.percorso.as_ref().map(|x| format!("{x}.numero")),
                    ..pos.clone()
                },
                format!(
                    "il decreto n. {numero} del {} è già usato in {prima}",
                    d.data.year()
                ),
            );
        } else {
            visti.insert((d.data.year(), repertorio, numero), pos);
        }
    }
}

/// Decrees and the acts they approve: repertory and protocol numbers are
/// unique, rankings and committees agree with the course and with each
/// other, extensions cite their resolution; and, in the same pass over the
/// courses, each fee's instalments add up to it.
fn valida_decreti(ds: &Dataset, p: &mut Problemi) {
    valida_repertorio(ds, p);
    for (file, c) in &ds.corsi {
        if let Some(g) = &c.graduatoria {
            valida_graduatoria(file, c, g, p);
        }
        if let Some(k) = &c.commissione {
            valida_commissione(file, c, k, p);
        }
        // After the committee: the problems keep the order they always had.
        if let Some(g) = &c.graduatoria {
            valida_ordine_graduatoria(file, g, p);
        }
        valida_delibere_proroghe(file, c, p);
        // Instalments add up to the fee.
        if !c.quote.rate.is_empty() {
            let somma: i64 = c.quote.rate.iter().map(|r| r.importo.cents()).sum();
            if somma != c.quote.iscrizione.cents() {
                p.errore(
                    Posizione::json(file, "$.quote.rate"),
                    format!(
                        "le rate sommano {}, la quota di iscrizione è {}",
                        crate::model::Importo(somma),
                        c.quote.iscrizione
                    ),
                );
            }
        }
    }
    valida_protocolli(ds, p);
}

/// A ranking admits no more candidates than there are places, is approved
/// after the deadline for applications, and gives no score above its maximum.
fn valida_graduatoria(file: &str, c: &Corso, g: &crate::model::Graduatoria, p: &mut Problemi) {
    let ammessi = g
        .candidati
        .iter()
        .filter(|k| k.esito == crate::model::EsitoSelezione::Ammesso)
        .count() as u32;
    if ammessi > c.posti.massimo {
        p.errore(
            Posizione::json(file, "$.graduatoria.candidati"),
            format!("{ammessi} candidati ammessi su {} posti", c.posti.massimo),
        );
    }
    // After the deadline as extended (Art. 7.6): applications may still come.
    let scadenza = c.scadenza_domande();
    if g.decreto.data < scadenza {
        p.errore_regola(
            Posizione::json(file, "$.graduatoria.decreto.data"),
            format!(
                "la graduatoria è approvata il {}, prima della scadenza delle domande {}{}: le domande si ricevono fino alla scadenza",
                g.decreto.data,
                scadenza,
                if scadenza > c.date.scadenza { " (prorogata)" } else { "" }
            ),
            "Art. 7.6",
        );
    }
    if let Some(max) = g.punteggio_massimo {
        for (i, k) in g.candidati.iter().enumerate() {
            if k.punteggio.0 > max as i64 * 100 {
                p.errore(
                    Posizione::json(file, format!("$.graduatoria.candidati[{i}].punteggio")),
                    format!("punteggio {} oltre il massimo {max}", k.punteggio),
                );
            }
        }
    }
}

/// A committee has at least two members (Art. 11.3), and one that drew up a
/// ranking was appointed before it.
fn valida_commissione(file: &str, c: &Corso, k: &crate::model::Commissione, p: &mut Problemi) {
    if k.componenti.len() < 2 {
        p.errore_regola(
            Posizione::json(file, "$.commissione.componenti"),
            "la commissione è composta da almeno due membri",
            "Art. 11.3",
        );
    }
    let selezione = k
        .finalita
        .is_none_or(|f| f == crate::model::FinalitaCommissione::Selezione);
    if let Some(g) = c
        .graduatoria
        .as_ref()
        .filter(|g| selezione && g.decreto.data < k.decreto.data)
    {
        p.errore(
            Posizione::json(file, "$.graduatoria.decreto.data"),
            format!(
                "la graduatoria è approvata il {}, prima della nomina della commissione ({})",
                g.decreto.data, k.decreto.data
            ),
        );
    }
}

/// In score order, nobody is admitted below someone who was not.
fn valida_ordine_graduatoria(file: &str, g: &crate::model::Graduatoria, p: &mut Problemi) {
    let mut ordinati: Vec<_> = g.candidati.iter().collect();
    ordinati.sort_by_key(|k| std::cmp::Reverse(k.punteggio));
    let ammesso = |k: &&crate::model::Candidato| k.esito == crate::model::EsitoSelezione::Ammesso;
    if let Some(primo_escluso) = ordinati.iter().position(|k| !ammesso(k)) {
        if let Some(k) = ordinati[primo_escluso..]
            .iter()
            .find(|k| ammesso(k) && k.punteggio < ordinati[primo_escluso].punteggio)
        {
            p.avviso(
                Posizione::json(file, "$.graduatoria.candidati"),
                format!(
                    "{} {} è ammesso/a con {} punti, meno di chi non lo è ({} punti)",
                    k.nome, k.cognome, k.punteggio, ordinati[primo_escluso].punteggio
                ),
                None,
            );
        }
    }
}

/// An extension by decree is granted on the Department's resolution
/// (Art. 7.6): the data should say which.
fn valida_delibere_proroghe(file: &str, c: &Corso, p: &mut Problemi) {
    for (i, pr) in c.date.proroghe.iter().enumerate() {
        if pr.decreto.is_some() && pr.delibera.is_none() {
            p.avviso(
                Posizione::json(file, format!("$.date.proroghe[{i}].delibera")),
                "la proroga è disposta su delibera del Dipartimento: indicarla",
                Some("Art. 7.6"),
            );
        }
    }
}

/// A protocol number identifies one registration.
fn valida_protocolli(ds: &Dataset, p: &mut Problemi) {
    let mut protocolli: HashMap<&str, Posizione> = HashMap::new();
    for atti::Atto {
        pos, decreto: d, ..
    } in atti::atti(ds)
    {
        if let Some(prot) = d
            .protocollo
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if let Some(prima) = protocolli.get(prot) {
                p.errore(
                    Posizione {
                        percorso: pos.percorso.as_ref().map(|x| format!("{x}.protocollo")),
                        ..pos.clone()
                    },
                    format!("il protocollo «{prot}» è già usato in {prima}"),
                );
            } else {
                protocolli.insert(prot, pos);
            }
        }
    }
}

/// Checks one course file: its identity, teaching plan, attendance minimum,
/// final exam, places and dates. `minimo` is the lowest attendance minimum a
/// course may set: the university's, never below 75% (Art. 2.6).
fn valida_corso(file: &str, c: &Corso, minimo: u32, p: &mut Problemi) {
    let pos = |percorso: &str| Posizione::json(file, percorso);
    valida_identita(c, &pos, p);
    valida_cfu(c, &pos, p);
    valida_moduli(c, &pos, p);
    valida_didattica_interna(c, &pos, p);
    // The course may ask more attendance than the university, never less.
    if c.frequenza_minima < minimo || c.frequenza_minima > 100 {
        p.errore_regola(
            pos("$.frequenza_minima"),
            format!(
                "frequenza minima {}%: deve essere tra {minimo}% e 100% delle ore previste",
                c.frequenza_minima
            ),
            "Art. 2.6, 10.2, 17.9, 25.6",
        );
    }
    valida_prova_finale(c, &pos, p);
    if c.posti.minimo > c.posti.massimo {
        p.errore(
            pos("$.posti.minimo"),
            format!(
                "posti minimi {} superiori ai massimi {}",
                c.posti.minimo, c.posti.massimo
            ),
        );
    }
    valida_date(c, &pos, p);
    valida_informazioni_bando(c, &pos, p);
}

/// What the call tells candidates holds together: the pass mark within the
/// criteria's points, the same maximum as the ranking's, the selection and
/// the enrolment deadline between the applications' deadline and the start
/// (Art. 7.3, 7.4), scholarships that exist.
fn valida_informazioni_bando(c: &Corso, pos: &dyn Fn(&str) -> Posizione, p: &mut Problemi) {
    let info = &c.informazioni_bando;
    let campo = |f: &str| pos(&format!("$.informazioni_bando.{f}"));
    for (i, k) in info.criteri_selezione.iter().enumerate() {
        if k.punti.0 <= 0 {
            p.errore(
                campo(&format!("criteri_selezione[{i}].punti")),
                format!("«{}»: un criterio dà almeno un punto", k.descrizione),
            );
        }
    }
    if !info.criteri_selezione.is_empty() {
        let massimo =
            crate::model::Punteggio(info.criteri_selezione.iter().map(|k| k.punti.0).sum());
        if let Some(m) = info.punteggio_minimo.filter(|m| *m > massimo) {
            p.errore(
                campo("punteggio_minimo"),
                format!(
                    "punteggio minimo {m} superiore al massimo {massimo} dei criteri di selezione"
                ),
            );
        }
        if let Some(g) = c.graduatoria.as_ref().and_then(|g| g.punteggio_massimo) {
            if i64::from(g) * 100 != massimo.0 {
                p.errore_regola(
                    pos("$.graduatoria.punteggio_massimo"),
                    format!("punteggio massimo {g}, ma i criteri di selezione del bando sommano {massimo}: scrivere lo stesso massimo"),
                    "Art. 7.3",
                );
            }
        }
    }
    let scadenza = c
        .date
        .proroghe
        .iter()
        .map(|x| x.nuova_scadenza)
        .max()
        .unwrap_or(c.date.scadenza)
        .max(c.date.scadenza);
    for (f, d) in [
        ("data_selezione", info.data_selezione),
        ("immatricolazione_entro", info.immatricolazione_entro),
    ] {
        if let Some(d) = d.filter(|d| *d < scadenza || *d > c.date.inizio) {
            p.errore(
                campo(f),
                format!("{d}: deve cadere tra la scadenza delle domande ({scadenza}) e l'inizio del corso ({})", c.date.inizio),
            );
        }
    }
    for (i, b) in info.borse.iter().enumerate() {
        if b.numero == 0 || b.importo.cents() == 0 {
            p.errore(
                campo(&format!("borse[{i}]")),
                "una borsa di studio ha un numero e un importo maggiori di zero",
            );
        }
    }
}

/// The identifier names output folders and is typed on the command line;
/// the academic year is the first folder of every output path; a course
/// teaches something.
fn valida_identita(c: &Corso, pos: &dyn Fn(&str) -> Posizione, p: &mut Problemi) {
    if c.id.is_empty()
        || !c
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        p.errore(
            pos("$.id"),
            format!(
                "«{}»: l'identificativo usa solo lettere minuscole, cifre e trattini",
                c.id
            ),
        );
    }
    match anno_accademico(&c.anno_accademico) {
        Some(_) => {}
        None => p.errore(
            pos("$.anno_accademico"),
            format!(
                "«{}» non è un anno accademico come «2025/2026»",
                c.anno_accademico
            ),
        ),
    }
    if c.moduli.is_empty() {
        p.errore(pos("$.moduli"), "il piano didattico non ha moduli");
    }
}

/// CFU: the declared total matches the modules, and the total is within
/// what the kind allows (Master at least 60, D.M. 270/2004 and Art. 2;
/// perfezionamento 15 to 45, Art. 17.6; formazione and aggiornamento at most
/// 14, Art. 25.3).
fn valida_cfu(c: &Corso, pos: &dyn Fn(&str) -> Posizione, p: &mut Problemi) {
    let cfu = c.cfu_moduli();
    if let Some(dichiarati) = c.cfu {
        if dichiarati != cfu {
            p.errore(
                pos("$.cfu"),
                format!("il corso dichiara {dichiarati} CFU ma i moduli ne sommano {cfu}"),
            );
        }
    }
    match c.tipo {
        TipoCorso::MasterI | TipoCorso::MasterII if cfu < 60 => p.errore_regola(
            pos("$.moduli"),
            format!("un Master prevede almeno 60 CFU; i moduli ne sommano {cfu}"),
            "D.M. 270/2004 art. 3 c. 9 e art. 7 c. 4; Art. 2",
        ),
        TipoCorso::Perfezionamento if !(15..=45).contains(&cfu) => p.errore_regola(
            pos("$.moduli"),
            format!("un corso di perfezionamento prevede da 15 a 45 CFU; i moduli ne sommano {cfu}"),
            "Art. 17.6",
        ),
        TipoCorso::Formazione | TipoCorso::Aggiornamento if cfu > 14 => p.errore_regola(
            pos("$.moduli"),
            format!("un corso di formazione o aggiornamento prevede al più 14 CFU; i moduli ne sommano {cfu}"),
            "Art. 25.3",
        ),
        _ => {}
    }
}

/// Module codes are unique (rosters and attendance registers name modules by
/// them), and a module's hours fit its credits: 1 CFU = 25 hours (Art. 36).
fn valida_moduli(c: &Corso, pos: &dyn Fn(&str) -> Posizione, p: &mut Problemi) {
    let mut codici = HashSet::new();
    for (i, m) in c.moduli.iter().enumerate() {
        if !codici.insert(m.codice.to_lowercase()) {
            p.errore(
                pos(&format!("$.moduli[{i}].codice")),
                format!("il codice modulo «{}» è ripetuto", m.codice),
            );
        }
        if m.cfu > 0 && m.ore > Ore::from_hours(m.cfu.saturating_mul(ORE_PER_CFU)) {
            p.errore_regola(
                pos(&format!("$.moduli[{i}].ore")),
                format!(
                    "«{}»: {} ore per {} CFU superano l'impegno complessivo di {} ore (1 CFU = 25 ore)",
                    m.titolo,
                    m.ore,
                    m.cfu,
                    u64::from(m.cfu) * u64::from(ORE_PER_CFU)
                ),
                "Art. 36",
            );
        }
    }
}

/// Teaching by the university's own staff is at least 20% of the hours
/// (Art. 5, 34), counted over the modules whose teachers are known.
fn valida_didattica_interna(c: &Corso, pos: &dyn Fn(&str) -> Posizione, p: &mut Problemi) {
    let con_docenti: Vec<_> = c
        .moduli
        .iter()
        .filter(|m| !m.docenti.is_empty() && m.ore.0 > 0)
        .collect();
    // In u64: a mistyped number of hours must give a message, not an overflow.
    let totale: u64 = con_docenti.iter().map(|m| u64::from(m.ore.0)).sum();
    if totale > 0 {
        let interne: u64 = con_docenti
            .iter()
            .filter(|m| m.docenti.iter().any(|d| d.interno))
            .map(|m| u64::from(m.ore.0))
            .sum();
        if interne * 100 < totale * u64::from(DIDATTICA_INTERNA_MINIMA) {
            p.errore_regola(
                pos("$.moduli"),
                format!(
                    "la didattica affidata a docenti dell'Ateneo è il {}% delle ore: deve essere almeno il 20%",
                    interne * 100 / totale
                ),
                "Art. 5, 34",
            );
        }
    }
}

/// The final exam's scale follows the kind (Art. 11.1: hundredths for
/// Master; Art. 23.2, 31.2: thirtieths), Master and perfezionamento have
/// one, and the passing grade lies on the scale.
fn valida_prova_finale(c: &Corso, pos: &dyn Fn(&str) -> Posizione, p: &mut Problemi) {
    match (&c.prova_finale, c.tipo.scala_prevista()) {
        (None, Some(_)) if c.tipo.is_master() || c.tipo == TipoCorso::Perfezionamento => p
            .errore_regola(
                pos("$.prova_finale"),
                format!("{} prevede una prova finale", c.tipo.denominazione()),
                if c.tipo.is_master() {
                    "Art. 11.1"
                } else {
                    "Art. 23.1"
                },
            ),
        (Some(pf), Some(scala)) if pf.scala != scala => p.errore_regola(
            pos("$.prova_finale.scala"),
            format!(
                "la prova finale di {} è valutata in {}, non su {}",
                c.tipo.denominazione(),
                nome_scala(scala),
                pf.scala
            ),
            if c.tipo.is_master() {
                "Art. 11.1"
            } else {
                "Art. 23.2, 31.2"
            },
        ),
        (Some(pf), None) if pf.scala != 30 && pf.scala != 100 => p.errore(
            pos("$.prova_finale.scala"),
            format!("scala {} non ammessa: usare 30 o 100", pf.scala),
        ),
        _ => {}
    }
    if let Some(pf) = &c.prova_finale {
        if pf.minimo_superamento() == 0 || pf.minimo_superamento() > pf.scala {
            p.errore(
                pos("$.prova_finale.minimo"),
                format!(
                    "voto minimo {} fuori dalla scala /{}",
                    pf.minimo_superamento(),
                    pf.scala
                ),
            );
        }
    }
}

/// The course's dates in their order: call, deadline and its extensions
/// (Art. 7.6), start, end (within a year for the short courses, Art. 17.6,
/// 25.3), final exam (for a Master by the limit of Art. 11.2).
fn valida_date(c: &Corso, pos: &dyn Fn(&str) -> Posizione, p: &mut Problemi) {
    let d = &c.date;
    if d.scadenza < d.bando {
        p.errore(
            pos("$.date.scadenza"),
            format!(
                "la scadenza {} precede la pubblicazione del bando {}",
                d.scadenza, d.bando
            ),
        );
    }
    // Extensions: each later than the previous deadline, all within 30 days of the original.
    let mut scadenza = d.scadenza;
    for (i, pr) in d.proroghe.iter().enumerate() {
        let campo = format!("$.date.proroghe[{i}].nuova_scadenza");
        if pr.nuova_scadenza <= scadenza {
            p.errore(
                pos(&campo),
                format!(
                    "la proroga al {} non è successiva alla scadenza {scadenza}",
                    pr.nuova_scadenza
                ),
            );
        }
        let giorni = (pr.nuova_scadenza - d.scadenza).num_days();
        if giorni > PROROGA_MASSIMA_GIORNI {
            p.errore_regola(
                pos(&campo),
                format!("la proroga porta la scadenza {giorni} giorni oltre quella del bando: il massimo è 30 giorni"),
                "Art. 7.6",
            );
        }
        // An expired deadline cannot be extended: the decree comes before it.
        if let Some(dr) = pr.decreto.as_ref().filter(|dr| dr.data > scadenza) {
            p.errore_regola(
                pos(&format!("$.date.proroghe[{i}].decreto.data")),
                format!("il decreto di proroga del {} è successivo alla scadenza {scadenza} che proroga", dr.data),
                "Art. 7.6",
            );
        }
        scadenza = scadenza.max(pr.nuova_scadenza);
    }
    if d.inizio <= scadenza {
        p.errore(
            pos("$.date.inizio"),
            format!(
                "l'inizio del corso {} non è successivo alla scadenza delle domande {scadenza}",
                d.inizio
            ),
        );
    }
    if d.fine < d.inizio {
        p.errore(
            pos("$.date.fine"),
            format!("la fine del corso {} precede l'inizio {}", d.fine, d.inizio),
        );
    }
    if matches!(
        c.tipo,
        TipoCorso::Perfezionamento | TipoCorso::Formazione | TipoCorso::Aggiornamento
    ) && d
        .inizio
        .checked_add_months(chrono::Months::new(12))
        .is_some_and(|limite| d.fine > limite)
    {
        p.errore_regola(
            pos("$.date.fine"),
            "il corso dura più di un anno".to_string(),
            if c.tipo == TipoCorso::Perfezionamento {
                "Art. 17.6"
            } else {
                "Art. 25.3"
            },
        );
    }
    if let Some(esame) = d.esame_finale {
        if esame < d.fine {
            p.errore(
                pos("$.date.esame_finale"),
                format!(
                    "l'esame finale {esame} precede la fine del corso {}",
                    d.fine
                ),
            );
        }
        if let Some(limite) = limite_esame_master(c) {
            if esame > limite {
                p.errore_regola(
                    pos("$.date.esame_finale"),
                    format!("l'esame finale di un Master si svolge entro il {limite}"),
                    "Art. 11.2",
                );
            }
        }
    }
    if c.prova_finale.is_some() && d.esame_finale.is_none() {
        p.avviso(
            pos("$.date.esame_finale"),
            "il corso ha una prova finale ma non la sua data",
            None,
        );
    }
}

fn nome_scala(scala: u32) -> &'static str {
    if scala == 100 {
        "centesimi"
    } else {
        "trentesimi"
    }
}

/// The first calendar year of an academic year "2025/2026".
///
/// Exactly `AAAA/AAAA`: the year becomes the first folder of every output
/// path, so nothing else (spaces, signs) may slip through.
pub fn anno_accademico(aa: &str) -> Option<i32> {
    let (a, b) = aa.split_once('/')?;
    let quattro_cifre = |s: &str| s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit());
    if !quattro_cifre(a) || !quattro_cifre(b) {
        return None;
    }
    let (a, b): (i32, i32) = (a.parse().ok()?, b.parse().ok()?);
    (b == a + 1).then_some(a)
}

/// Master final exams end by 31 March of the year after the academic year
/// (Art. 11.2); biennial Masters are out of scope of this check's data.
pub fn limite_esame_master(c: &Corso) -> Option<NaiveDate> {
    if !c.tipo.is_master() {
        return None;
    }
    let primo = anno_accademico(&c.anno_accademico)?;
    NaiveDate::from_ymd_opt(primo + 2, 3, 31)
}

/// The rosters: tax codes valid and agreeing with the birth data, one
/// person per tax code, each enrolled once in a course that exists, each
/// enrolment valid for its course ([`valida_iscrizione`]); then the number
/// of enrolments of each role against the course's places.
fn valida_iscrizioni(ds: &Dataset, p: &mut Problemi) {
    let corsi: HashMap<&str, &Corso> = ds.corsi.iter().map(|(_, c)| (c.id.as_str(), c)).collect();
    let mut visti: HashMap<(&str, &str), &Iscrizione> = HashMap::new();
    let mut persone: HashMap<&str, &Iscrizione> = HashMap::new();
    let mut uditori: BTreeMap<&str, u32> = BTreeMap::new();
    let mut singoli: BTreeMap<&str, u32> = BTreeMap::new();
    let mut allievi: BTreeMap<&str, u32> = BTreeMap::new();

    for isc in &ds.iscrizioni {
        let pos = |campo: &str| Posizione::riga(&isc.origine, Some(campo));
        let persona = &isc.persona;
        valida_codice_fiscale(persona, &pos, p);
        if let Some(prima) = persone.get(persona.codice_fiscale.as_str()) {
            let a = &prima.persona;
            if (
                a.nome.as_str(),
                a.cognome.as_str(),
                a.data_nascita,
                a.luogo_nascita.as_str(),
            ) != (
                persona.nome.as_str(),
                persona.cognome.as_str(),
                persona.data_nascita,
                persona.luogo_nascita.as_str(),
            ) {
                p.errore(
                    pos("codice_fiscale"),
                    format!(
                        "lo stesso codice fiscale compare in {} con dati anagrafici diversi",
                        prima.origine
                    ),
                );
            }
        } else {
            persone.insert(&persona.codice_fiscale, isc);
        }

        let Some(corso) = corsi.get(isc.corso.as_str()) else {
            let noti: Vec<&str> = corsi
                .keys()
                .copied()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            p.errore(
                pos("corso"),
                format!(
                    "il corso «{}» non esiste; corsi del dataset: {}",
                    isc.corso,
                    noti.join(", ")
                ),
            );
            continue;
        };
        if let Some(prima) = visti.insert((corso.id.as_str(), persona.codice_fiscale.as_str()), isc)
        {
            p.errore(
                pos("codice_fiscale"),
                format!(
                    "{} è già iscritto/a a questo corso in {}",
                    persona.codice_fiscale, prima.origine
                ),
            );
        }
        match isc.ruolo {
            Ruolo::Allievo => *allievi.entry(&corso.id).or_default() += 1,
            Ruolo::Uditore => *uditori.entry(&corso.id).or_default() += 1,
            Ruolo::CorsoSingolo => *singoli.entry(&corso.id).or_default() += 1,
        }
        valida_iscrizione(ds, corso, isc, p);
    }

    for (file, c) in &ds.corsi {
        let n = |m: &BTreeMap<&str, u32>| m.get(c.id.as_str()).copied().unwrap_or(0);
        if n(&allievi) > c.posti.massimo {
            p.avviso(
                Posizione::json(file, "$.posti.massimo"),
                format!(
                    "{} allievi iscritti su {} posti",
                    n(&allievi),
                    c.posti.massimo
                ),
                None,
            );
        }
        if let Some(max) = c.posti.uditori.filter(|&m| n(&uditori) > m) {
            p.avviso(
                Posizione::json(file, "$.posti.uditori"),
                format!("{} uditori iscritti su {max} posti", n(&uditori)),
                Some("Art. 13.3"),
            );
        }
        if let Some(max) = c.posti.corsi_singoli.filter(|&m| n(&singoli) > m) {
            p.avviso(
                Posizione::json(file, "$.posti.corsi_singoli"),
                format!("{} iscritti a corsi singoli su {max} posti", n(&singoli)),
                Some("Art. 12.2"),
            );
        }
    }
}

/// The tax code is well formed, with its check character; its birth date is
/// the row's (a mismatch is an error: one of the two is mistyped, and a
/// certificate would print a birth date the tax code contradicts); its
/// gender is the row's (a mismatch is a warning: the row may record a
/// gender the person chose). Homonymy codes (omocodia), whose digits are
/// replaced by letters, are decoded before comparing.
fn valida_codice_fiscale(
    persona: &crate::model::Persona,
    pos: &dyn Fn(&str) -> Posizione,
    p: &mut Problemi,
) {
    if let Err(e) = codice_fiscale::verifica(&persona.codice_fiscale) {
        p.errore(pos("codice_fiscale"), e);
    } else {
        if !codice_fiscale::concorda_con_nascita(&persona.codice_fiscale, persona.data_nascita) {
            let codificata = codice_fiscale::dati_nascita(&persona.codice_fiscale)
                .map(|(g, m, a, _)| {
                    format!(" (che indica il {g:02}/{m:02} di un anno che finisce per {a:02})")
                })
                .unwrap_or_default();
            p.errore(
                pos("data_nascita"),
                format!(
                    "la data di nascita {} non corrisponde al codice fiscale {}{codificata}: correggere la data o il codice",
                    persona.data_nascita.format("%d/%m/%Y"),
                    persona.codice_fiscale
                ),
            );
        }
        if let Some((_, _, _, g)) = codice_fiscale::dati_nascita(&persona.codice_fiscale) {
            if persona.genere != crate::model::Genere::NonIndicato && persona.genere != g {
                p.avviso(
                    pos("genere"),
                    "il genere indicato non corrisponde al codice fiscale",
                    None,
                );
            }
        }
    }
}

/// Checks one enrolment against its course: what its role allows, its
/// grade and exam date, its hours, its stamp duty.
fn valida_iscrizione(ds: &Dataset, corso: &Corso, isc: &Iscrizione, p: &mut Problemi) {
    let pos = |campo: &str| Posizione::riga(&isc.origine, Some(campo));
    match isc.ruolo {
        Ruolo::Uditore => valida_uditore(corso, isc, &pos, p),
        Ruolo::CorsoSingolo => valida_corso_singolo(corso, isc, &pos, p),
        Ruolo::Allievo => {
            if !isc.moduli.is_empty() {
                p.avviso(
                    pos("moduli"),
                    "per un allievo la colonna moduli è ignorata",
                    None,
                );
            }
        }
    }

    // Auditors sit no exam: their grades were reported above.
    if isc.ruolo != Ruolo::Uditore {
        valida_esame(corso, isc, &pos, p);
    }

    // Hours within what was planned for this role.
    let previste = ore_previste(corso, isc);
    if let Some(ore) = isc.ore_frequentate.filter(|o| *o > previste) {
        p.errore(
            pos("ore_frequentate"),
            format!("{ore} ore frequentate su {previste} previste"),
        );
    }

    valida_bollo(ds, corso, isc, &pos, p);
}

/// Auditors: admitted only where the course says so (Art. 13.1, 22.1, 30.1);
/// they attend everything but sit no exam and earn no CFU (Art. 13.2, 13.5);
/// their attestation is in carta libera, so a stamp is ignored.
fn valida_uditore(
    corso: &Corso,
    isc: &Iscrizione,
    pos: &dyn Fn(&str) -> Posizione,
    p: &mut Problemi,
) {
    if !corso.ammette_uditori {
        p.errore_regola(
            pos("ruolo"),
            format!("il corso «{}» non ammette uditori", corso.id),
            "Art. 13.1, 22.1, 30.1",
        );
    }
    for (campo, presente) in [
        ("voto", isc.voto.is_some()),
        ("esito", isc.esito.is_some()),
        ("data_esame", isc.data_esame.is_some()),
    ] {
        if presente {
            p.errore_regola(
                pos(campo),
                "gli uditori non sostengono prove di verifica né la prova finale e non acquisiscono CFU",
                "Art. 13.5, 22.5, 30.5; Linee guida §5",
            );
        }
    }
    if !isc.moduli.is_empty() {
        p.errore_regola(
            pos("moduli"),
            "gli uditori frequentano tutte le attività, non singoli moduli",
            "Art. 13.2",
        );
    }
    if isc.bollo.is_some() {
        p.avviso(
            pos("bollo"),
            "l'attestato degli uditori è rilasciato in carta libera: il bollo indicato è ignorato",
            Some("Art. 13.5"),
        );
    }
}

/// Single-course enrolments: admitted only where the course says so, and
/// naming modules of the course (Art. 12.1).
fn valida_corso_singolo(
    corso: &Corso,
    isc: &Iscrizione,
    pos: &dyn Fn(&str) -> Posizione,
    p: &mut Problemi,
) {
    if !corso.ammette_corsi_singoli {
        p.errore_regola(
            pos("ruolo"),
            format!(
                "il corso «{}» non ammette iscrizioni a corsi singoli",
                corso.id
            ),
            "Art. 12.1",
        );
    }
    if isc.moduli.is_empty() {
        p.errore_regola(
            pos("moduli"),
            "un'iscrizione a corso singolo indica i codici dei moduli",
            "Art. 12.1",
        );
    }
    valida_voti_moduli(corso, isc, pos, p);
    for m in &isc.moduli {
        if corso.modulo(m).is_none() {
            let codici: Vec<&str> = corso.moduli.iter().map(|m| m.codice.as_str()).collect();
            p.errore(
                pos("moduli"),
                format!(
                    "il modulo «{m}» non esiste nel corso «{}»; moduli: {}",
                    corso.id,
                    codici.join(", ")
                ),
            );
        }
    }
}

/// The grades of a single course's modules, from the `voti` column: each
/// on the single course's scale, like any grade (Art. 10.2), and only with
/// the exam passed. (A grade from `voto` is checked as such already.)
fn valida_voti_moduli(
    corso: &Corso,
    isc: &Iscrizione,
    pos: &dyn Fn(&str) -> Posizione,
    p: &mut Problemi,
) {
    let Some((max, min)) = scala_voto(corso, isc.ruolo) else {
        return;
    };
    if isc.voto.is_some() {
        return;
    }
    for vm in &isc.voti_moduli {
        let v = vm.voto;
        let m = &vm.modulo;
        if let Some(d) = v.scala.filter(|&d| d != max) {
            p.errore_regola(
                pos("voti"),
                format!(
                    "modulo «{m}»: «{}/{d}»: il voto di un corso singolo è in /{max}",
                    v.valore
                ),
                regola_scala(corso, isc.ruolo),
            );
        } else if v.valore > max || v.valore == 0 {
            p.errore_regola(
                pos("voti"),
                format!("modulo «{m}»: voto {} fuori scala: per l'esame di un corso singolo la scala è /{max}", v.valore),
                regola_scala(corso, isc.ruolo),
            );
        } else if v.valore < min {
            p.errore(
                pos("voti"),
                format!(
                    "modulo «{m}»: voto {} inferiore al minimo {min}/{max}",
                    v.valore
                ),
            );
        }
        if v.lode && v.valore != max {
            p.errore(
                pos("voti"),
                format!("modulo «{m}»: la lode si attribuisce solo con {max}/{max}"),
            );
        }
    }
    if !isc.voti_moduli.is_empty() && matches!(isc.esito, Some(Esito::NonSuperato | Esito::Assente))
    {
        p.errore(
            pos("voti"),
            "i voti sono indicati ma l'esito non è «superato»",
        );
    }
}

/// Grades: on the scale of the role's exam (Art. 10.2 for single courses,
/// 11.1 for Master, 23.2 and 31.2 otherwise), coherent with the outcome; an
/// exam passed has its date, within the Master's limit (Art. 11.2).
fn valida_esame(
    corso: &Corso,
    isc: &Iscrizione,
    pos: &dyn Fn(&str) -> Posizione,
    p: &mut Problemi,
) {
    let scala = scala_voto(corso, isc.ruolo);
    if scala.is_none() && (isc.voto.is_some() || isc.esito.is_some()) {
        p.errore(
            pos(if isc.voto.is_some() { "voto" } else { "esito" }),
            format!("il corso «{}» non prevede una prova finale", corso.id),
        );
    }
    if let (Some(v), Some((max, min))) = (isc.voto, scala) {
        if let Some(d) = v.scala.filter(|&d| d != max) {
            // 95/110 on a Master is not 95/100: refused, never rescaled.
            p.errore_regola(
                pos("voto"),
                format!(
                    "«{}/{d}»: il voto è espresso in /{d}, ma per {} la scala è /{max}: indicare il voto in /{max} (il numero da solo, oppure «…/{max}»)",
                    v.valore,
                    descrizione_prova(corso, isc.ruolo),
                ),
                regola_scala(corso, isc.ruolo),
            );
        } else if v.valore > max || v.valore == 0 {
            p.errore_regola(
                pos("voto"),
                format!(
                    "voto {} fuori scala: per {} la scala è /{max}",
                    v.valore,
                    descrizione_prova(corso, isc.ruolo)
                ),
                regola_scala(corso, isc.ruolo),
            );
        } else if v.valore < min {
            p.errore(pos("voto"), format!("voto {} inferiore al minimo {min}/{max}: per una prova non superata indicare esito «non superato» senza voto", v.valore));
        }
        if v.lode && v.valore != max {
            p.errore(
                pos("voto"),
                format!("la lode si attribuisce solo con {max}/{max}"),
            );
        }
        if matches!(isc.esito, Some(Esito::NonSuperato | Esito::Assente)) {
            p.errore(
                pos("voto"),
                "un voto è indicato ma l'esito non è «superato»",
            );
        }
    }
    if isc.esito == Some(Esito::Superato)
        && isc.voto.is_none()
        && isc.voti_moduli.is_empty()
        && scala.is_some()
    {
        p.errore(pos("voto"), "prova superata senza voto");
    }
    if let Some(data) = isc.data_esame {
        if data < corso.date.inizio {
            p.errore(
                pos("data_esame"),
                format!(
                    "l'esame del {data} precede l'inizio del corso {}",
                    corso.date.inizio
                ),
            );
        }
        if let Some(limite) =
            limite_esame_master(corso).filter(|l| data > *l && isc.ruolo == Ruolo::Allievo)
        {
            p.errore_regola(pos("data_esame"), format!("la prova finale di un Master si sostiene entro il {limite}: dopo si incorre nella decadenza"), "Art. 11.2");
        }
    } else if isc.esito == Some(Esito::Superato) {
        p.errore(pos("data_esame"), "prova superata senza data dell'esame");
    }
}

/// Stamp duty: paid virtually only under the university's authorisation
/// (art. 15 DPR 642/1972); a stamp bought after the certificate's date is
/// worth a look.
fn valida_bollo(
    ds: &Dataset,
    corso: &Corso,
    isc: &Iscrizione,
    pos: &dyn Fn(&str) -> Posizione,
    p: &mut Problemi,
) {
    if let Some(Bollo::Virtuale) = &isc.bollo {
        if ds.ateneo.bollo.virtuale.is_none() {
            p.errore(pos("bollo"), "bollo «virtuale», ma ateneo.json non indica l'autorizzazione al pagamento in modo virtuale (bollo.virtuale)");
        }
    }
    // An exemption that exists for a use before a public body contradicts the
    // art. 40 notice every certificate carries: refused, with what to do.
    if let Some(perche) = isc
        .bollo
        .as_ref()
        .and_then(Bollo::esenzione_per_uso_pubblico)
        .filter(|_| isc.ruolo != Ruolo::Uditore)
    {
        p.errore_regola(
            pos("bollo_esenzione"),
            format!(
                "l'esenzione indicata presuppone {perche}, ma a una pubblica amministrazione o a un gestore di pubblici servizi un certificato non può essere prodotto (e ogni certificato lo dice): l'interessato presenta loro una dichiarazione sostitutiva (art. 46 D.P.R. 445/2000). Per un certificato a uso privato scrivere in «bollo» contrassegno o virtuale, oppure un'esenzione che non riguardi l'uso presso la pubblica amministrazione"
            ),
            "art. 40 D.P.R. 445/2000",
        );
    }
    if let Some(Bollo::Contrassegno { data, .. }) = &isc.bollo {
        let rilascio = data_rilascio(corso, isc);
        if *data > rilascio {
            p.avviso(
                pos("bollo_data"),
                format!("il contrassegno del {data} è successivo alla data di rilascio {rilascio}"),
                None,
            );
        }
    }
}

/// The attendance registers: each row names a course, one of its modules
/// and a person enrolled in it; a person's hours in a module stay within
/// the module's, and their total agrees with the roster's when it states one.
fn valida_presenze(ds: &Dataset, p: &mut Problemi) {
    let iscritti: HashMap<(&str, &str), &Iscrizione> = ds
        .iscrizioni
        .iter()
        .map(|i| ((i.corso.as_str(), i.persona.codice_fiscale.as_str()), i))
        .collect();
    let mut per_modulo: HashMap<(&str, &str, String), Ore> = HashMap::new();
    let mut totali: HashMap<(&str, &str), Ore> = HashMap::new();
    for pr in &ds.presenze {
        let pos = |campo: &str| Posizione::riga(&pr.origine, Some(campo));
        let Some(corso) = ds.corso(&pr.corso) else {
            p.errore(pos("corso"), format!("il corso «{}» non esiste", pr.corso));
            continue;
        };
        let Some(modulo) = corso.modulo(&pr.modulo) else {
            p.errore(
                pos("modulo"),
                format!(
                    "il modulo «{}» non esiste nel corso «{}»",
                    pr.modulo, corso.id
                ),
            );
            continue;
        };
        if !iscritti.contains_key(&(corso.id.as_str(), pr.codice_fiscale.as_str())) {
            p.errore(
                pos("codice_fiscale"),
                format!(
                    "{} non è iscritto/a al corso «{}»",
                    pr.codice_fiscale, corso.id
                ),
            );
            continue;
        }
        let ore = per_modulo
            .entry((
                corso.id.as_str(),
                pr.codice_fiscale.as_str(),
                modulo.codice.clone(),
            ))
            .or_default();
        *ore = *ore + pr.ore;
        if *ore > modulo.ore {
            p.errore(
                pos("ore"),
                format!(
                    "{} ore registrate per «{}», che ne prevede {}",
                    *ore, modulo.titolo, modulo.ore
                ),
            );
        }
        let tot = totali
            .entry((corso.id.as_str(), pr.codice_fiscale.as_str()))
            .or_default();
        *tot = *tot + pr.ore;
    }
    for ((corso, cf), tot) in totali {
        let isc = iscritti[&(corso, cf)];
        if let Some(dichiarate) = isc.ore_frequentate.filter(|d| *d != tot) {
            p.errore(
                Posizione::riga(&isc.origine, Some("ore_frequentate")),
                format!("{dichiarate} ore nel ruolo, ma il registro presenze ne somma {tot}: lasciare vuota la colonna o correggerla"),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Eligibility
// ---------------------------------------------------------------------------

/// The (max, min passing) grade of the exam this role sits, if any.
/// Single courses are graded like the Master's modules, in thirtieths (Art. 10.2).
pub fn scala_voto(corso: &Corso, ruolo: Ruolo) -> Option<(u32, u32)> {
    match ruolo {
        Ruolo::Uditore => None,
        Ruolo::CorsoSingolo => Some((30, 18)),
        Ruolo::Allievo => corso
            .prova_finale
            .as_ref()
            .map(|pf| (pf.scala, pf.minimo_superamento())),
    }
}

/// "la prova finale di un master universitario di II livello": the kind
/// inside a sentence, lowercase only where Italian wants it (the numeral of
/// the level stays "II").
fn descrizione_prova(corso: &Corso, ruolo: Ruolo) -> String {
    match ruolo {
        Ruolo::CorsoSingolo => "l'esame di un corso singolo".into(),
        _ => format!(
            "la prova finale di un {}",
            iniziale_minuscola(corso.tipo.denominazione())
        ),
    }
}

/// A name with its first letter lowercase, the rest as written.
fn iniziale_minuscola(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(p) => p.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn regola_scala(corso: &Corso, ruolo: Ruolo) -> &'static str {
    match (ruolo, corso.tipo.is_master()) {
        (Ruolo::CorsoSingolo, _) => "Art. 10.2",
        (_, true) => "Art. 11.1",
        _ => "Art. 23.2, 31.2",
    }
}

/// Hours a participant is expected to attend: every activity for allievi,
/// all but stage and exams for auditors (Art. 13.2), their modules for
/// single-course enrolments.
pub fn ore_previste(corso: &Corso, isc: &Iscrizione) -> Ore {
    moduli_previsti(corso, isc).map(|m| m.ore).sum()
}

fn moduli_previsti<'a>(
    corso: &'a Corso,
    isc: &'a Iscrizione,
) -> impl Iterator<Item = &'a crate::model::Modulo> + 'a {
    corso.moduli.iter().filter(move |m| match isc.ruolo {
        Ruolo::Allievo => true,
        Ruolo::Uditore => m.tipo.aperta_agli_uditori(),
        Ruolo::CorsoSingolo => isc.moduli.iter().any(|c| c.eq_ignore_ascii_case(&m.codice)),
    })
}

/// The date printed on a participant's certificate: the row's own, else the
/// course's, else the day of the last event it depends on: the end of the
/// course, the exam, or the stamped request (a certificate is issued after
/// it is asked for).
pub fn data_rilascio(corso: &Corso, isc: &Iscrizione) -> NaiveDate {
    isc.data_rilascio
        .or(corso.date.rilascio_attestati)
        .unwrap_or_else(|| {
            let richiesta = match &isc.bollo {
                Some(Bollo::Contrassegno { data, .. }) => Some(*data),
                _ => None,
            };
            [Some(corso.date.fine), isc.data_esame, richiesta]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(corso.date.fine)
        })
}

/// The final document a participant is entitled to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Titolo {
    /// Master allievo: the parchment (Art. 14).
    Pergamena,
    /// Perfezionamento, formazione, aggiornamento allievo (Art. 17.10, 25.7).
    CertificatoPartecipazione,
    /// Summer/winter school allievo (Linee guida §6).
    AttestatoFrequenza,
    /// Single-course enrolment that passed the exam (Art. 12.4).
    CertificatoCfu,
    /// Auditor with enough attendance, in carta libera (Art. 13.5, 22.5, 30.5).
    AttestatoUditore,
}

/// What the regulation says about one participant.
#[derive(Debug, Clone, PartialEq)]
pub struct Valutazione {
    /// Hours the participant's role is expected to attend ([`ore_previste`]).
    pub ore_previste: Ore,
    /// Hours attended: the attendance register's total when there is one,
    /// else the roster's; `None` when neither says.
    pub ore_frequentate: Option<Ore>,
    /// Attendance in basis points of the planned hours (8750 = 87.5%).
    pub frequenza_bp: Option<u32>,
    /// Modules, from the attendance register, attended below the minimum.
    pub moduli_insufficienti: Vec<String>,
    /// At least the course's minimum of the planned hours, in total and in
    /// every module the attendance register covers (Art. 2.6, 10.2, 17.9, 25.6).
    pub frequenza_sufficiente: bool,
    /// Passed the exam, or there was none to pass.
    pub prova_superata: bool,
    /// Credits earned: those of the modules due, once attendance and exam are
    /// met; never for auditors (Art. 13.5).
    pub cfu: u32,
    /// The document due, or why there is none.
    pub titolo: Result<Titolo, String>,
}

/// Evaluates one enrolment against the regulation.
pub fn valuta(corso: &Corso, isc: &Iscrizione, presenze: &[&Presenza]) -> Valutazione {
    let moduli: Vec<_> = moduli_previsti(corso, isc).collect();
    let ore_previste: Ore = moduli.iter().map(|m| m.ore).sum();
    let minimo = corso.frequenza_minima;

    let mut moduli_insufficienti = Vec::new();
    let ore_frequentate = if presenze.is_empty() {
        isc.ore_frequentate
    } else {
        let mut tot = Ore(0);
        for m in &moduli {
            let ore: Ore = presenze
                .iter()
                .filter(|p| p.modulo.eq_ignore_ascii_case(&m.codice))
                .map(|p| p.ore)
                .sum();
            // Art. 2.6: the minimum applies to each activity, not only to the total.
            if m.ore.0 > 0 && ore.0 * 100 < m.ore.0 * minimo {
                moduli_insufficienti.push(m.titolo.clone());
            }
            tot = tot + ore;
        }
        Some(tot)
    };
    let frequenza_bp = ore_frequentate
        .filter(|_| ore_previste.0 > 0)
        .map(|o| (o.0 as u64 * 10_000 / ore_previste.0 as u64) as u32);
    let frequenza_sufficiente = match ore_frequentate {
        Some(o) => o.0 * 100 >= ore_previste.0 * minimo && moduli_insufficienti.is_empty(),
        None => false,
    };
    let prova_superata = match scala_voto(corso, isc.ruolo) {
        None => true,
        Some(_) => {
            isc.esito == Some(Esito::Superato)
                || (isc.esito.is_none() && (isc.voto.is_some() || !isc.voti_moduli.is_empty()))
        }
    };
    let cfu = match isc.ruolo {
        Ruolo::Uditore => 0,
        _ if !(frequenza_sufficiente && prova_superata) => 0,
        _ => moduli.iter().map(|m| m.cfu).sum(),
    };

    let titolo = if ore_frequentate.is_none() {
        Err("ore frequentate non indicate".to_string())
    } else if !frequenza_sufficiente {
        if moduli_insufficienti.is_empty() {
            Err(format!(
                "frequenza {} inferiore al minimo del {minimo}%",
                frequenza_bp.map(percentuale).unwrap_or_else(|| "0%".into())
            ))
        } else {
            Err(format!(
                "frequenza inferiore al {minimo}% in: {}",
                moduli_insufficienti.join("; ")
            ))
        }
    } else if !prova_superata {
        Err(match isc.esito {
            Some(Esito::NonSuperato) => "prova finale non superata".to_string(),
            Some(Esito::Assente) => "assente alla prova finale".to_string(),
            _ => "prova finale non ancora sostenuta".to_string(),
        })
    } else {
        Ok(match (isc.ruolo, corso.tipo) {
            (Ruolo::Uditore, _) => Titolo::AttestatoUditore,
            (Ruolo::CorsoSingolo, _) => Titolo::CertificatoCfu,
            (Ruolo::Allievo, t) if t.is_master() => Titolo::Pergamena,
            (Ruolo::Allievo, TipoCorso::SummerSchool | TipoCorso::WinterSchool) => {
                Titolo::AttestatoFrequenza
            }
            (Ruolo::Allievo, _) => Titolo::CertificatoPartecipazione,
        })
    };
    Valutazione {
        ore_previste,
        ore_frequentate,
        frequenza_bp,
        moduli_insufficienti,
        frequenza_sufficiente,
        prova_superata,
        cfu,
        titolo,
    }
}

/// Basis points as an Italian percentage: 8750 → "87,5%", 10000 → "100%".
pub fn percentuale(bp: u32) -> String {
    let (int, dec) = (bp / 100, (bp % 100) / 10);
    if dec == 0 {
        format!("{int}%")
    } else {
        format!("{int},{dec}%")
    }
}

#[cfg(test)]
mod tests;
