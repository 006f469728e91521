//! The acts of the year against their premises and against what they
//! promise: resolutions that precede the decrees reciting them, the offer
//! decree and the courses it may list, who appoints which committee,
//! instalments, rankings, the minimum of enrolments, credits without a
//! test, and the order of protocol and repertory numbers.
//!
//! Where universities differ (instalments, credits without a test) the
//! university's `regolamento` in `ateneo.json` decides; its defaults are the
//! regulation's.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::diag::{Posizione, Problemi};
use crate::model::{
    Corso, Dataset, Decreto, Emanante, EsitoSelezione, FinalitaCommissione, Ruolo, TipoCorso,
};

/// A date as an office writes it in a message: "15/07/2025".
fn gg(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "n. 613 del 15/07/2025".
fn estremi(d: &Decreto) -> String {
    format!("n. {} del {}", d.numero.trim(), gg(d.data))
}

/// The repertory a decree is numbered in: the Rector's, or a department's
/// (named). Numbers are unique, and grow with dates, within one repertory.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Repertorio {
    /// The university's repertory of rector's decrees.
    Rettore,
    /// The repertory of this department's Director.
    Dipartimento(String),
}

/// An act of the year with a number: where it is written, the act, and the
/// repertory it is numbered in.
pub(super) struct Atto<'a> {
    /// Where the act is written: file and JSON path.
    pub pos: Posizione,
    /// The act.
    pub decreto: &'a Decreto,
    /// Whose repertory numbers it.
    pub repertorio: Repertorio,
}

/// Every numbered act of the dataset: the offer decree, and for each
/// course its call's own act, activation, extensions, ranking, committees
/// and the authorisation to start below the minimum.
pub(super) fn atti(ds: &Dataset) -> Vec<Atto<'_>> {
    let mut v = Vec::new();
    let mut push = |pos: Posizione, decreto, repertorio| {
        v.push(Atto {
            pos,
            decreto,
            repertorio,
        })
    };
    if let Some(d) = &ds.ateneo.decreto_offerta {
        push(
            Posizione::json("ateneo.json", "$.decreto_offerta"),
            d,
            Repertorio::Rettore,
        );
    }
    for (file, c) in &ds.corsi {
        if let Some(d) = &c.decreto_bando {
            // Sharing the activation's number is reported by its own rule.
            if c.attivazione
                .as_ref()
                .is_none_or(|a| a.numero.trim() != d.numero.trim())
            {
                push(
                    Posizione::json(file, "$.decreto_bando"),
                    d,
                    Repertorio::Rettore,
                );
            }
        }
        if let Some(d) = &c.attivazione {
            push(
                Posizione::json(file, "$.attivazione"),
                d,
                Repertorio::Rettore,
            );
        }
        for (i, pr) in c.date.proroghe.iter().enumerate() {
            if let Some(d) = &pr.decreto {
                push(
                    Posizione::json(file, format!("$.date.proroghe[{i}].decreto")),
                    d,
                    Repertorio::Rettore,
                );
            }
        }
        if let Some(g) = &c.graduatoria {
            push(
                Posizione::json(file, "$.graduatoria.decreto"),
                &g.decreto,
                Repertorio::Rettore,
            );
        }
        for k in c.commissioni() {
            let repertorio = match k.emanante {
                Emanante::Rettore => Repertorio::Rettore,
                Emanante::Dipartimento => {
                    Repertorio::Dipartimento(c.dipartimento.nome.trim().to_string())
                }
            };
            push(
                Posizione::json(file, format!("$.{}.decreto", k.campo)),
                &k.commissione.decreto,
                repertorio,
            );
        }
        if let Some(d) = &c.deroga_minimo {
            push(
                Posizione::json(file, "$.deroga_minimo"),
                d,
                Repertorio::Rettore,
            );
        }
    }
    v
}

/// Every rule of this module.
pub(super) fn valida_atti(ds: &Dataset, p: &mut Problemi) {
    for (file, c) in &ds.corsi {
        delibere_successive(file, c, p);
        commissioni(file, c, p);
        rate(ds, file, c, p);
        idonei_esclusi(file, c, p);
        minimo_iscritti(ds, file, c, p);
        crediti_senza_prova(ds, file, c, p);
        bando_e_attivazione(file, c, p);
    }
    offerta(ds, p);
    ordine_numeri(ds, p);
}

/// A decree recites the course's resolutions among its premises, so each
/// resolution is dated on or before it (Art. 3.4, 32: the course is
/// proposed and approved, then activated). The final-exam committee's
/// decree recites the course director's proposal instead.
fn delibere_successive(file: &str, c: &Corso, p: &mut Problemi) {
    let mut recitanti: Vec<(String, &Decreto)> = Vec::new();
    if let Some(d) = &c.attivazione {
        recitanti.push(("$.attivazione".into(), d));
    }
    for (i, pr) in c.date.proroghe.iter().enumerate() {
        if let Some(d) = &pr.decreto {
            recitanti.push((format!("$.date.proroghe[{i}].decreto"), d));
        }
    }
    if let Some(g) = &c.graduatoria {
        recitanti.push(("$.graduatoria.decreto".into(), &g.decreto));
    }
    for k in c.commissioni() {
        if k.emanante == Emanante::Rettore {
            recitanti.push((format!("$.{}.decreto", k.campo), &k.commissione.decreto));
        }
    }
    for (i, d) in c.delibere.iter().enumerate() {
        for (campo, dr) in &recitanti {
            if d.data > dr.data {
                p.errore_regola(
                    Posizione::json(file, format!("$.delibere[{i}].data")),
                    format!(
                        "la delibera del {} del {} è successiva al decreto {} ({file}, {campo}), che la cita tra le premesse: un decreto può richiamare solo atti già adottati; correggere la data della delibera o del decreto",
                        d.organo.trim(),
                        gg(d.data),
                        estremi(dr)
                    ),
                    "Art. 3.4, 32",
                );
            }
        }
    }
}

/// The year's offer decree lists the courses approved before it; a course
/// approved later (a later proposal window, Guidelines §1) is activated by
/// its own decree, dated after its resolutions. That the activation follows
/// the resolutions is [`delibere_successive`]'s rule; here, that it exists.
fn offerta(ds: &Dataset, p: &mut Problemi) {
    let Some(dr) = &ds.ateneo.decreto_offerta else {
        return;
    };
    for (file, c) in &ds.corsi {
        if c.attivazione.is_some() {
            continue;
        }
        if let Some((i, d)) = c
            .delibere
            .iter()
            .enumerate()
            .filter(|(_, d)| d.data > dr.data)
            .max_by_key(|(_, d)| d.data)
        {
            p.errore_regola(
                Posizione::json(file, "$.attivazione"),
                format!(
                    "la delibera del {} del {} ($.delibere[{i}]) è successiva al decreto dell'offerta formativa {} (ateneo.json, $.decreto_offerta), che quindi non può comprendere il corso: serve un decreto di attivazione del corso (campo «attivazione») successivo alle delibere",
                    d.organo.trim(),
                    gg(d.data),
                    estremi(dr)
                ),
                "Linee guida §1; Art. 3.4, 32",
            );
        }
    }
}

/// Whether the course is among those the year's offer decree activates:
/// every resolution that approved it precedes the decree (Guidelines §1).
pub fn nell_offerta(c: &Corso, offerta: &Decreto) -> bool {
    c.delibere.iter().all(|d| d.data <= offerta.data)
}

/// Who appoints which committee (Art. 11.3): the final-exam committee of a
/// Master by the President of the department, on the course director's
/// proposal, with at least two members; never by rector's decree.
fn commissioni(file: &str, c: &Corso, p: &mut Problemi) {
    for k in c.commissioni() {
        let campo = k.campo;
        let oggetto = k
            .commissione
            .oggetto
            .as_deref()
            .unwrap_or("")
            .to_lowercase();
        let prova_finale =
            k.finalita == FinalitaCommissione::ProvaFinale || oggetto.contains("prova finale");
        if c.tipo.is_master() && prova_finale && k.emanante == Emanante::Rettore {
            let dove = if k.finalita == FinalitaCommissione::ProvaFinale {
                format!("$.{campo}.emanante")
            } else {
                format!("$.{campo}.oggetto")
            };
            p.errore_regola(
                Posizione::json(file, dove),
                format!(
                    "la commissione per la prova finale di un Master è nominata dal Presidente della struttura di afferenza su proposta del Direttore del corso, non con decreto rettorale (decreto {}): indicarla in «commissione_finale», con «proposta» e il decreto del Direttore del Dipartimento",
                    estremi(&k.commissione.decreto)
                ),
                "Art. 11.3",
            );
        }
        if k.finalita != FinalitaCommissione::ProvaFinale || k.emanante != Emanante::Dipartimento {
            continue;
        }
        let membri = k
            .commissione
            .componenti
            .iter()
            .filter(|m| {
                !m.ruolo
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains("segretari")
            })
            .count();
        if membri < 2 {
            p.errore_regola(
                Posizione::json(file, format!("$.{campo}.componenti")),
                format!(
                    "la commissione per la prova finale ha {membri} componenti (segretari esclusi): ne servono almeno due"
                ),
                "Art. 11.3",
            );
        }
        match k.commissione.proposta {
            None => p.errore_regola(
                Posizione::json(file, format!("$.{campo}.proposta")),
                "manca la data della proposta del Direttore del corso, che il decreto di nomina richiama (per esempio \"proposta\": \"2026-11-20\")",
                "Art. 11.3",
            ),
            Some(d) if d > k.commissione.decreto.data => p.errore_regola(
                Posizione::json(file, format!("$.{campo}.proposta")),
                format!(
                    "la proposta del Direttore del corso del {} è successiva al decreto di nomina {}",
                    gg(d),
                    estremi(&k.commissione.decreto)
                ),
                "Art. 11.3",
            ),
            Some(_) => {}
        }
    }
}

/// The article that forbids instalments for this kind of course.
fn articolo_rate(tipo: TipoCorso) -> &'static str {
    match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => "Art. 8.5",
        TipoCorso::Perfezionamento => "Art. 20.5",
        _ => "Art. 28.5",
    }
}

/// "Non è prevista la rateizzazione del contributo di iscrizione. La quota
/// di iscrizione deve essere versata prima dell'avvio del corso" (Art. 8.5,
/// 20.5, 28.5): no instalments unless the university allows them, and even
/// then none falls due on or after the first day.
fn rate(ds: &Dataset, file: &str, c: &Corso, p: &mut Problemi) {
    if c.quote.rate.is_empty() {
        return;
    }
    let art = articolo_rate(c.tipo);
    if !ds.ateneo.regolamento.rateizzazione {
        p.errore_regola(
            Posizione::json(file, "$.quote.rate"),
            format!(
                "la quota di iscrizione è divisa in {} rate, ma il regolamento non prevede la rateizzazione: indicare la sola quota intera, o ammettere le rate in ateneo.json, $.regolamento.rateizzazione",
                c.quote.rate.len()
            ),
            art,
        );
    }
    for (i, r) in c.quote.rate.iter().enumerate() {
        if r.scadenza >= c.date.inizio {
            p.errore_regola(
                Posizione::json(file, format!("$.quote.rate[{i}].scadenza")),
                format!(
                    "la rata di {} scade il {}, non prima dell'avvio del corso ({}): la quota si versa prima dell'inizio delle attività",
                    r.importo,
                    gg(r.scadenza),
                    gg(c.date.inizio)
                ),
                art,
            );
        }
    }
}

/// Candidates found suitable are admitted, in the ranking's order, while
/// places remain (Art. 3.6.d, 7): an "idoneo" left out with free places is
/// a ranking the decree cannot approve.
fn idonei_esclusi(file: &str, c: &Corso, p: &mut Problemi) {
    let Some(g) = &c.graduatoria else {
        return;
    };
    let ammessi = g
        .candidati
        .iter()
        .filter(|k| k.esito == EsitoSelezione::Ammesso)
        .count() as u32;
    if ammessi >= c.posti.massimo {
        return;
    }
    let liberi = c.posti.massimo - ammessi;
    for (i, k) in g.candidati.iter().enumerate() {
        if k.esito == EsitoSelezione::Idoneo {
            let idoneo = match k.genere {
                crate::model::Genere::Femminile => "idonea ma non ammessa",
                crate::model::Genere::Maschile => "idoneo ma non ammesso",
                _ => "idoneo/a ma non ammesso/a",
            };
            p.errore_regola(
                Posizione::json(file, format!("$.graduatoria.candidati[{i}].esito")),
                format!(
                    "{} {} è {idoneo}, mentre restano {liberi} posti liberi su {} ({ammessi} ammessi): gli idonei si ammettono fino al numero massimo di posti (\"esito\": \"ammesso\")",
                    k.cognome.trim(),
                    k.nome.trim(),
                    c.posti.massimo
                ),
                "Art. 3.6.d, 7",
            );
        }
    }
}

/// A course that starts below its minimum of enrolments is revoked (the
/// call says so, Art. 3.6.d), unless the Rector authorised it (Art. 7.8):
/// the allievi of its rosters are counted, when it has any.
fn minimo_iscritti(ds: &Dataset, file: &str, c: &Corso, p: &mut Problemi) {
    let iscritti: Vec<_> = ds.iscrizioni.iter().filter(|i| i.corso == c.id).collect();
    let allievi = iscritti
        .iter()
        .filter(|i| i.ruolo == Ruolo::Allievo)
        .count() as u32;
    if let Some(d) = &c.deroga_minimo {
        if d.data > c.date.inizio {
            p.errore_regola(
                Posizione::json(file, "$.deroga_minimo.data"),
                format!(
                    "l'autorizzazione ad avviare il corso sotto il numero minimo ({}) è successiva all'inizio delle attività ({})",
                    estremi(d),
                    gg(c.date.inizio)
                ),
                "Art. 7.8",
            );
        }
        return;
    }
    if iscritti.is_empty() || allievi >= c.posti.minimo {
        return;
    }
    p.errore_regola(
        Posizione::json(file, "$.posti.minimo"),
        format!(
            "il corso ha {allievi} allievi iscritti, meno del numero minimo di {}: il bando lo dichiara revocato. Indicare in «deroga_minimo» il decreto con cui il Rettore ne autorizza l'avvio, o correggere il minimo o l'elenco degli iscritti",
            c.posti.minimo
        ),
        "Art. 3.6.d, 7.8",
    );
}

/// Credits are acquired with the minimum attendance and by passing a test
/// of the skills acquired (Guidelines §5): a course with CFU has a final
/// test unless the university's regulation says otherwise. Master and
/// perfezionamento without one are refused already by their own rule.
fn crediti_senza_prova(ds: &Dataset, file: &str, c: &Corso, p: &mut Problemi) {
    let cfu = c.cfu_moduli();
    if cfu == 0
        || c.prova_finale.is_some()
        || c.tipo.is_master()
        || c.tipo == TipoCorso::Perfezionamento
        || ds.ateneo.regolamento.crediti_senza_prova
    {
        return;
    }
    p.errore_regola(
        Posizione::json(file, "$.prova_finale"),
        format!(
            "il corso assegna {cfu} CFU senza una prova finale: i crediti si acquisiscono con la frequenza e il superamento di una prova di accertamento delle competenze. Aggiungere «prova_finale», oppure assegnare 0 CFU ai moduli, oppure ammettere i crediti senza prova in ateneo.json, $.regolamento.crediti_senza_prova"
        ),
        "Linee guida §5",
    );
}

/// A call is published under the activation decree's number and protocol
/// only when it is annexed to that decree; otherwise it has its own act,
/// which shares neither.
fn bando_e_attivazione(file: &str, c: &Corso, p: &mut Problemi) {
    let prot = |d: &Decreto| {
        d.protocollo
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match (&c.attivazione, &c.decreto_bando, c.bando_allegato_al_decreto) {
        (Some(a), None, false) => p.errore(
            Posizione::json(file, "$.bando_allegato_al_decreto"),
            format!(
                "il bando sarebbe pubblicato con il numero e il protocollo del decreto di attivazione {}: indicare \"bando_allegato_al_decreto\": true se il bando è allegato a quel decreto, oppure gli estremi propri del bando in «decreto_bando»",
                estremi(a)
            ),
        ),
        (None, _, true) => p.errore(
            Posizione::json(file, "$.bando_allegato_al_decreto"),
            "il bando è dichiarato allegato al decreto di attivazione, che manca: indicarlo in «attivazione»",
        ),
        (_, Some(_), true) => p.errore(
            Posizione::json(file, "$.decreto_bando"),
            "il bando è dichiarato allegato al decreto di attivazione e ha anche estremi propri: togliere «decreto_bando» o porre \"bando_allegato_al_decreto\": false",
        ),
        (Some(a), Some(b), false) => {
            if a.numero.trim() == b.numero.trim() && a.data.year() == b.data.year() {
                p.errore(
                    Posizione::json(file, "$.decreto_bando.numero"),
                    format!(
                        "il bando ha lo stesso numero di repertorio del decreto di attivazione {} senza esservi allegato: se lo è, indicare \"bando_allegato_al_decreto\": true e togliere «decreto_bando»",
                        estremi(a)
                    ),
                );
            }
            if let (Some(x), Some(y)) = (prot(a), prot(b)) {
                if x == y {
                    p.errore_regola(
                        Posizione::json(file, "$.decreto_bando.protocollo"),
                        format!(
                            "il bando ha lo stesso protocollo «{x}» del decreto di attivazione {} senza esservi allegato: ogni atto protocollato ha il proprio numero",
                            estremi(a)
                        ),
                        "D.P.R. 445/2000 art. 57",
                    );
                }
            }
        }
        _ => {}
    }
}

/// The number in a protocol or repertory number as written: "prot. n.
/// 51077" → 51077, "613" → 613; `None` when it has no digits.
fn cifre(s: &str) -> Option<u64> {
    let finale: String = s
        .trim()
        .chars()
        .rev()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    finale.chars().rev().collect::<String>().parse().ok()
}

/// An act's date and number, with the act, in a sequence that must grow.
type Sequenza<'a, 'b> = Vec<(NaiveDate, u64, &'b Atto<'a>)>;

/// Protocol numbers grow with the dates of the year's acts (one register
/// for the whole university, D.P.R. 445/2000 art. 57), and so do the
/// repertory numbers of each issuer: an act dated later with a smaller
/// number went backwards in time.
fn ordine_numeri(ds: &Dataset, p: &mut Problemi) {
    let atti = atti(ds);
    // Protocol: one sequence per calendar year.
    let mut protocolli: HashMap<i32, Sequenza> = HashMap::new();
    let mut repertori: HashMap<(i32, &Repertorio), Sequenza> = HashMap::new();
    for a in &atti {
        let d = a.decreto;
        if let Some(n) = d.protocollo.as_deref().and_then(cifre) {
            protocolli
                .entry(d.data.year())
                .or_default()
                .push((d.data, n, a));
        }
        if let Some(n) =
            cifre(&d.numero).filter(|_| d.numero.trim().chars().all(|c| c.is_ascii_digit()))
        {
            repertori
                .entry((d.data.year(), &a.repertorio))
                .or_default()
                .push((d.data, n, a));
        }
    }
    let mut segnala = |mut v: Sequenza, campo: &str, cosa: &str, regola: Option<&'static str>| {
        v.sort_by_key(|(d, n, _)| (*d, *n));
        for (j, (d, n, a)) in v.iter().enumerate() {
            if let Some((d0, n0, a0)) = v[..j]
                .iter()
                .filter(|(d0, _, _)| d0 < d)
                .max_by_key(|(_, n0, _)| *n0)
            {
                if n0 > n {
                    let pos = Posizione {
                        percorso: a.pos.percorso.as_ref().map(|x| format!("{x}.{campo}")),
                        ..a.pos.clone()
                    };
                    let testo = format!(
                            "{cosa} n. {n} del {} è inferiore al n. {n0} del {} ({}), atto precedente: la numerazione cresce con le date; correggere il numero o la data",
                            gg(*d),
                            gg(*d0),
                            a0.pos
                        );
                    match regola {
                        Some(r) => p.errore_regola(pos, testo, r),
                        None => p.errore(pos, testo),
                    }
                }
            }
        }
    };
    let mut anni: Vec<_> = protocolli.into_iter().collect();
    anni.sort_by_key(|(anno, _)| *anno);
    for (_, v) in anni {
        segnala(
            v,
            "protocollo",
            "il protocollo",
            Some("D.P.R. 445/2000 art. 57"),
        );
    }
    let mut rep: Vec<_> = repertori.into_iter().collect();
    rep.sort_by(|a, b| {
        a.0 .0
            .cmp(&b.0 .0)
            .then_with(|| format!("{:?}", a.0 .1).cmp(&format!("{:?}", b.0 .1)))
    });
    for (_, v) in rep {
        // Each issuer keeps its own repertory (Art. 11.3 for the departments).
        segnala(v, "numero", "il decreto", None);
    }
}

#[cfg(test)]
mod tests {
    use super::cifre;

    #[test]
    fn cifre_del_protocollo() {
        assert_eq!(cifre("prot. n. 51077"), Some(51077));
        assert_eq!(cifre("613"), Some(613));
        assert_eq!(cifre("Prot. 2025/1234"), Some(1234));
        assert_eq!(cifre("senza"), None);
    }
}
