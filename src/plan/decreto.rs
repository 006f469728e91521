//! Rector's decrees: activation of a course or of the year's offer, deadline
//! extension, approval of a ranking, appointment of a committee.
//!
//! Every decree has the same bones (DOMAIN.md, "The documents" 2): heading
//! with repertory number and date in the university's format, "IL RETTORE",
//! the recitals ("VISTO", "CONSIDERATO", ...), "DECRETA", numbered articles,
//! place, date and signature. The text is composed here, where the gender,
//! the numbers and the dates are known; the template only lays it out.

use std::cmp::Ordering;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::dati::{
    Condiviso, DatiAteneo, DatiCorso, DatiFirmatario, DatiUfficio, Intestazione, Testo, TipoAtto,
};
use super::italiano::{self, ElencoModalita};
use super::percorsi::{self, Collocazione};
use super::{norme, Comuni, Documento, Piano};
use crate::diag::Posizione;
use crate::model::{
    Candidato, CommissioneCorso, Corso, Dataset, Decreto, Emanante, EsitoSelezione,
    FinalitaCommissione, Genere, Graduatoria, ModalitaSelezione, Proroga, TipoCorso,
};

/// What the decree template receives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiDecreto {
    /// The heading, with the repertory number.
    pub documento: Intestazione,
    /// The university, shared by every document of the year.
    pub ateneo: Condiviso<DatiAteneo>,
    /// The office that issues it: the post-lauream office, or the
    /// department for its Director's decrees.
    pub emittente: DatiUfficio,
    /// Who signs: the Rector, or the department's Director (Art. 11.3).
    pub firmatario: DatiFirmatario,
    /// What the decree is about.
    pub corso: CorsoDecreto,
    /// The decree's text.
    pub decreto: ContenutoDecreto,
}

/// What a decree is about: one course, or the year's whole offer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CorsoDecreto {
    /// A course, shared by every document of it.
    Corso(Condiviso<DatiCorso>),
    /// The year's offer.
    Offerta(OffertaFormativa),
}

impl CorsoDecreto {
    /// The academic year of the course or of the offer.
    pub fn anno_accademico(&self) -> &str {
        match self {
            CorsoDecreto::Corso(c) => &c.anno_accademico,
            CorsoDecreto::Offerta(o) => &o.anno_accademico,
        }
    }
}

/// The year's offer, standing where a course would for the decree that
/// activates it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffertaFormativa {
    /// "offerta-formativa".
    pub id: Testo,
    /// Always `None`: the offer spans every kind.
    pub tipo: Option<TipoCorso>,
    /// "Offerta formativa post lauream".
    pub denominazione: Testo,
    /// "Master e corsi di Alta Formazione".
    pub titolo: Testo,
    /// "2025/2026".
    pub anno_accademico: String,
}

/// The decree itself: number, subject, recitals, articles.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContenutoDecreto {
    /// The repertory number: "643".
    pub numero: String,
    /// "D.R. n. 417 del 24 marzo 2015".
    pub estremi: String,
    /// The protocol number, capitalized: "Prot. n. 51098".
    pub protocollo: Option<String>,
    /// The subject.
    pub oggetto: String,
    /// "IL RETTORE", "LA RETTRICE", "IL DIRETTORE DEL DIPARTIMENTO DI …".
    pub organo: String,
    /// The recitals, in order.
    pub premesse: Vec<Premessa>,
    /// What the Rector decrees, article by article.
    pub articoli: Vec<ArticoloDecreto>,
    /// The digital-signature notice (D.Lgs. 82/2005).
    pub firma_digitale: Testo,
}

/// A recital: "VISTO" and what is seen, closed by a semicolon.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Premessa {
    /// "VISTO", "VISTA", "CONSIDERATO", "RITENUTO"…
    pub parola: Testo,
    /// What follows it, closed by a semicolon.
    pub testo: String,
}

/// A numbered article of what the Rector decrees.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticoloDecreto {
    /// 1, 2, 3… in order.
    pub numero: u32,
    /// "Attivazione", "Graduatoria di merito".
    pub titolo: Testo,
    /// Its paragraphs, notes and tables.
    pub blocchi: Vec<Blocco>,
}

/// A block of an article: a paragraph, a note, or a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocco {
    /// A paragraph.
    Testo(String),
    /// A note in smaller print.
    Nota(Testo),
    /// A table (the offer's courses, a ranking, a committee).
    Tabella(Tabella),
}

/// A table of strings with its columns.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tabella {
    /// The columns, left to right.
    pub colonne: Vec<Colonna>,
    /// The rows, one string per column.
    pub righe: Vec<Vec<String>>,
}

/// A column: heading, alignment ("left", "center", "right") and width
/// ("auto", "1fr").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colonna {
    /// The heading.
    pub titolo: String,
    /// "left", "center" or "right".
    pub allinea: Testo,
    /// "auto" or a fraction: "1fr", "1.4fr".
    pub larghezza: Testo,
}

/// The decree activating the whole year's offer, when the university issues one.
pub(super) fn pianifica_anno(ds: &Dataset, ateneo: &Condiviso<DatiAteneo>, piano: &mut Piano) {
    let Some(dr) = &ds.ateneo.decreto_offerta else {
        return;
    };
    // The offer of a year with no course is not a decree anyone signs.
    let Some((_, primo)) = ds.corsi.first() else {
        return;
    };
    let aa = primo.anno_accademico.as_str();
    // Only the courses approved before it: one approved in a later window
    // has its own activation decree (Guidelines §1).
    let mut corsi: Vec<&Corso> = ds
        .corsi
        .iter()
        .map(|(_, c)| c)
        .filter(|c| crate::rules::nell_offerta(c, dr))
        .collect();
    corsi.sort_by(|a, b| {
        ordine_tipo(a.tipo)
            .cmp(&ordine_tipo(b.tipo))
            .then_with(|| a.titolo.cmp(&b.titolo))
    });

    let mut premesse = Premesse::standard(ds, dr);
    for c in &dr.considerato {
        premesse.considerato(c);
    }
    premesse.altro(
        "RITENUTO",
        &format!(
            "di dover procedere all'attivazione dei corsi post lauream per l'anno accademico {aa}"
        ),
    );

    let mut art = Articoli::default();
    let righe: Vec<Vec<String>> = corsi
        .iter()
        .map(|c| {
            vec![
                c.tipo.denominazione().to_string(),
                c.titolo.clone(),
                c.dipartimento.nome.clone(),
                italiano::nome_firmatario(&c.direttore),
                format!("{}–{}", c.posti.minimo, c.posti.massimo),
                contributo(c),
            ]
        })
        .collect();
    art.push(
        "Attivazione dei corsi",
        vec![
            testo(format!(
                "Per l'anno accademico {aa} sono attivati i seguenti corsi post lauream, secondo le proposte approvate dai Dipartimenti e dagli Organi accademici, con il numero minimo e massimo di posti e il contributo di iscrizione di ciascuno:"
            )),
            tabella(
                &[
                    ("Tipologia", "left", "1.3fr"),
                    ("Titolo", "left", "2fr"),
                    ("Dipartimento", "left", "1.9fr"),
                    // One heading above directors of either gender.
                    ("Direzione", "left", "1.2fr"),
                    ("Posti", "center", "auto"),
                    ("Contributo", "right", "auto"),
                ],
                righe,
            ),
        ],
    );
    art.push(
        "Numero minimo di iscritti",
        vec![testo(format!(
            "Ciascun corso è avviato soltanto se è raggiunto il numero minimo di iscritti indicato nella tabella di cui all'art. 1; in caso contrario il corso non è attivato, salvi i casi motivati e autorizzati {}, e i contributi versati sono rimborsati a richiesta, ad eccezione dell'imposta di bollo e del contributo per la prova di ammissione.",
            italiano::Carica::Rettore.con("dal", italiano::genere_firmatario(&ds.ateneo.rettore))
        ))],
    );
    art.push(
        "Bandi di ammissione",
        vec![testo(
            "Le modalità di ammissione, i termini per la presentazione delle domande, i contributi e le eventuali agevolazioni di ciascun corso sono stabiliti dal relativo bando di ammissione.".to_string(),
        )],
    );
    art.push("Pubblicazione", vec![testo(pubblicazione(ds, true))]);

    let oggetto = format!("Attivazione dell'offerta formativa post lauream – a.a. {aa}");
    let titolo_doc = format!("{} – {oggetto}", estremi(ds, dr));
    let corso = CorsoDecreto::Offerta(OffertaFormativa {
        id: "offerta-formativa".into(),
        tipo: None,
        denominazione: "Offerta formativa post lauream".into(),
        titolo: "Master e corsi di Alta Formazione".into(),
        anno_accademico: aa.to_string(),
    });
    piano.documenti.push(documento(
        ds,
        ateneo,
        Parti {
            atto: TipoAtto::DecretoOfferta,
            intestazione: "Decreto rettorale di attivazione dell'offerta formativa",
            del_corso: None,
            corso,
            dove: percorsi::decreto_offerta(aa, dr),
            titolo: titolo_doc,
            oggetto,
            decreto: dr,
            premesse,
            articoli: art,
            dipartimento: None,
        },
    ));
}

pub(super) fn pianifica_corso(ds: &Dataset, corso: &Corso, comuni: Comuni, piano: &mut Piano) {
    if let Some(dr) = &corso.attivazione {
        piano.documenti.push(attivazione(ds, corso, dr, comuni));
    }
    for (i, pr) in corso.date.proroghe.iter().enumerate() {
        if let Some(dr) = &pr.decreto {
            piano.documenti.push(proroga(ds, corso, i, pr, dr, comuni));
        }
    }
    if let Some(g) = &corso.graduatoria {
        let file = ds
            .corsi
            .iter()
            .find(|(_, c)| c.id == corso.id)
            .map(|(f, _)| f.as_str())
            .unwrap_or("corsi");
        let (ordinati, irrisolti) = ordina_graduatoria(&g.candidati);
        for (a, b) in irrisolti {
            piano.avvisi.avviso(
                Posizione::json(file, "$.graduatoria.candidati"),
                format!(
                    "{} {} e {} {} hanno lo stesso punteggio ({}) e manca la data di nascita per preferire il più giovane",
                    a.cognome, a.nome, b.cognome, b.nome, a.punteggio
                ),
                Some("art. 3 c. 7 L. 127/1997"),
            );
        }
        piano
            .documenti
            .push(graduatoria(ds, corso, g, &ordinati, comuni));
    }
    for k in corso.commissioni() {
        piano.documenti.push(match k.emanante {
            Emanante::Rettore => commissione(ds, corso, &k, comuni),
            Emanante::Dipartimento => commissione_dipartimento(ds, corso, &k, comuni),
        });
    }
}

// ---------------------------------------------------------------------------
// The four course decrees
// ---------------------------------------------------------------------------

fn attivazione(ds: &Dataset, corso: &Corso, dr: &Decreto, comuni: Comuni) -> Documento {
    let aa = &corso.anno_accademico;
    let mut premesse = Premesse::standard(ds, dr);
    premesse.delibere(corso, dr);
    if corso.tipo.is_master() {
        premesse.considerato(&format!(
            "che, ai sensi dell'art. 3, comma 4, del {}, il Master è attivato con Decreto Rettorale",
            regolamento(ds)
        ));
    }
    for c in &dr.considerato {
        premesse.considerato(c);
    }
    premesse.altro(
        "RITENUTO",
        &format!(
            "di dover procedere all'attivazione {} per l'anno accademico {aa}",
            italiano::corso_con("del", corso)
        ),
    );

    let mut art = Articoli::default();
    art.push(
        "Attivazione",
        vec![testo(format!(
            "È {} per l'anno accademico {aa} {}, {} dal {}.",
            if italiano::femminile(corso.tipo) {
                "attivata"
            } else {
                "attivato"
            },
            italiano::corso_con("il", corso),
            if italiano::femminile(corso.tipo) {
                "proposta"
            } else {
                "proposto"
            },
            corso.dipartimento.nome,
        ))],
    );

    art.push("Direzione del corso", direzione(corso));

    let cfu = corso.cfu_moduli();
    let crediti = if cfu > 0 {
        format!(
            " e consente l'acquisizione di {cfu} {}",
            if cfu == 1 {
                "credito formativo universitario (CFU)"
            } else {
                "crediti formativi universitari (CFU)"
            }
        )
    } else {
        String::new()
    };
    art.push(
        "Durata e sede",
        vec![testo(format!(
            "Le attività si svolgono {}; sede del corso: {}. Il corso prevede {} ore di attività formative{crediti}, con obbligo di frequenza pari almeno {} delle ore previste.",
            comuni.corso.periodo,
            corso.sede.trim().trim_end_matches('.'),
            corso.ore_previste(),
            italiano::percentuale_con("al", corso.frequenza_minima),
        ))],
    );

    art.push("Posti e contributi", posti_e_contributi(corso));

    if let Some(f) = &corso.finanziamento {
        let mut s = format!("Il corso è finanziato a valere su: {}", f.fonte);
        if let Some(cp) = &f.codice_progetto {
            s.push_str(&format!(", codice progetto {cp}"));
        }
        if let Some(i) = f.importo {
            s.push_str(&format!(", per un importo di {i}"));
        }
        s.push('.');
        art.push("Finanziamento", vec![testo(s)]);
    }

    art.push(
        "Ammissione e gestione",
        vec![
            testo(format!(
                "L'ammissione avviene mediante {}, secondo le modalità stabilite dal bando di ammissione; le domande devono essere presentate entro {}.",
                modalita(&corso.selezione),
                italiano::data_con_articolo("il", corso.date.scadenza)
            )),
            testo(format!(
                "La gestione amministrativa e contabile del corso è affidata al {}.",
                corso.dipartimento.nome
            )),
        ],
    );
    art.push("Pubblicazione", vec![testo(pubblicazione(ds, true))]);

    documento_corso(
        ds,
        corso,
        comuni,
        dr,
        TipoAtto::DecretoAttivazione,
        "Decreto rettorale di attivazione",
        format!(
            "Attivazione {} – a.a. {aa}",
            italiano::corso_con("del", corso)
        ),
        premesse,
        art,
    )
}

/// The activation's article on direction: the director, and the
/// scientific committee's table when there is one.
fn direzione(corso: &Corso) -> Vec<Blocco> {
    let mut blocchi = vec![testo(format!(
        "La direzione del corso è affidata {} {}.",
        italiano::articolo(
            "al",
            italiano::genere_firmatario(&corso.direttore) == Genere::Femminile
        ),
        italiano::nome_firmatario(&corso.direttore)
    ))];
    if !corso.comitato.is_empty() {
        blocchi.push(testo(
            "Il Comitato Scientifico Didattico è così composto:".to_string(),
        ));
        blocchi.push(tabella_componenti(&corso.comitato, "1.4fr"));
    }
    blocchi
}

/// The activation's article on places and fees: the numbers of places,
/// auditors and single courses, then [`contributi`].
fn posti_e_contributi(corso: &Corso) -> Vec<Blocco> {
    let mut posti = vec![testo(format!(
        "Il numero massimo di iscritti è fissato in {}; il numero minimo necessario per l'avvio delle attività didattiche è fissato in {}.",
        corso.posti.massimo, corso.posti.minimo
    ))];
    let mut extra = Vec::new();
    if corso.ammette_uditori {
        extra.push(match corso.posti.uditori {
            Some(u) => format!("sono ammessi fino a {u} uditori"),
            None => "sono ammessi uditori".to_string(),
        });
    }
    if corso.ammette_corsi_singoli {
        extra.push(match corso.posti.corsi_singoli {
            Some(u) => format!("sono ammesse fino a {u} iscrizioni a corsi singoli"),
            None => "sono ammesse iscrizioni a corsi singoli".to_string(),
        });
    }
    if !extra.is_empty() {
        posti.push(testo(format!("Oltre agli iscritti, {}.", extra.join("; "))));
    }
    posti.push(testo(contributi(corso)));
    posti
}

/// The fees in words: enrolment (with its instalments), admission test,
/// auditors, single courses.
fn contributi(corso: &Corso) -> String {
    let q = &corso.quote;
    let mut quote = if q.iscrizione.cents() == 0 {
        "La partecipazione al corso è gratuita.".to_string()
    } else {
        let mut s = format!("Il contributo di iscrizione è fissato in {}", q.iscrizione);
        if q.rate.len() > 1 {
            let rate: Vec<String> = q
                .rate
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    format!(
                        "{} rata di {} entro {}",
                        ORDINALI.get(i).copied().unwrap_or("ulteriore"),
                        r.importo,
                        italiano::data_con_articolo("il", r.scadenza)
                    )
                })
                .collect();
            s.push_str(&format!(
                ", da versare in {} rate: {}",
                NUMERI
                    .get(q.rate.len())
                    .map_or_else(|| q.rate.len().to_string(), |n| n.to_string()),
                italiano::elenco(&rate)
            ));
        }
        s.push('.');
        s
    };
    if let Some(a) = q.ammissione {
        quote.push_str(&format!(
            " Il contributo per la prova di ammissione è di {a} e non è rimborsabile."
        ));
    }
    if let (true, Some(u)) = (corso.ammette_uditori, q.uditore) {
        quote.push_str(&format!(" Il contributo per gli uditori è di {u}."));
    }
    if let (true, Some(u)) = (corso.ammette_corsi_singoli, q.corso_singolo_per_cfu) {
        quote.push_str(&format!(
            " Il contributo per l'iscrizione a corsi singoli è di {u} per ciascun CFU."
        ));
    }
    quote
}

fn proroga(
    ds: &Dataset,
    corso: &Corso,
    i: usize,
    pr: &Proroga,
    dr: &Decreto,
    comuni: Comuni,
) -> Documento {
    let aa = &corso.anno_accademico;
    let precedente = corso.date.proroghe[..i].last();
    let vecchia = precedente.map_or(corso.date.scadenza, |p| p.nuova_scadenza);
    let giorni = (pr.nuova_scadenza - vecchia).num_days();

    let mut premesse = Premesse::standard(ds, dr);
    premesse.delibere(corso, dr);
    premesse.attivazione(ds, corso, dr);
    premesse.bando(ds, corso, &corso.date.proroghe[..i], dr);
    if let Some(del) = &pr.delibera {
        let del = del.trim().trim_end_matches(['.', ';']);
        let del = if inizia_con_articolo(del) {
            del.to_string()
        } else {
            format!("la {del}")
        };
        premesse.visto(&format!(
            "{del}, con la quale, {}, è stata approvata la proroga del termine di scadenza per la presentazione delle domande di ammissione",
            italiano::Carica::DirettoreCorso
                .con("su richiesta del", italiano::genere_firmatario(&corso.direttore))
        ));
    }
    premesse.considerato(&format!(
        "che non è stato raggiunto il numero minimo di {} iscritti necessario per l'avvio delle attività didattiche",
        corso.posti.minimo
    ));
    let limite = if corso.tipo.is_master() {
        format!("dall'art. 7, comma 6, del {}", regolamento(ds))
    } else {
        format!("dal {}", regolamento(ds))
    };
    premesse.considerato(&format!(
        "che la proroga, di {giorni} {}, rientra nel limite massimo di 30 giorni previsto {limite}",
        if giorni == 1 { "giorno" } else { "giorni" }
    ));
    for c in &dr.considerato {
        premesse.considerato(c);
    }

    let fissato = match precedente {
        None => format!(
            "fissato {} dal bando di ammissione",
            italiano::data_con_articolo("al", vecchia)
        ),
        Some(p) => match &p.decreto {
            Some(d) => format!(
                "fissato {} con {}",
                italiano::data_con_articolo("al", vecchia),
                estremi(ds, d)
            ),
            None => format!(
                "già prorogato {}",
                italiano::data_con_articolo("al", vecchia)
            ),
        },
    };
    let mut art = Articoli::default();
    art.push(
        "Proroga del termine",
        vec![testo(format!(
            "Il termine di scadenza per la presentazione delle domande di ammissione {}, anno accademico {aa}, {fissato}, è prorogato {}.",
            italiano::corso_con("al", corso),
            italiano::data_con_articolo("al", pr.nuova_scadenza)
        ))],
    );
    let mut finali = Vec::new();
    // The start follows the last extension (Art. 7.6): only its decree states it.
    if i + 1 == corso.date.proroghe.len() {
        finali.push(testo(format!(
            "Per effetto della proroga, l'avvio delle attività didattiche è fissato {}.",
            italiano::data_con_articolo("al", corso.date.inizio)
        )));
    }
    finali.push(testo(
        "Restano invariate tutte le altre disposizioni del bando di ammissione.".to_string(),
    ));
    art.push("Disposizioni finali", finali);
    art.push("Pubblicazione", vec![testo(pubblicazione(ds, true))]);

    documento_corso(
        ds,
        corso,
        comuni,
        dr,
        TipoAtto::DecretoProroga,
        "Decreto rettorale di proroga",
        format!(
            "Proroga del termine di scadenza delle domande di ammissione {} – a.a. {aa}",
            italiano::corso_con("al", corso)
        ),
        premesse,
        art,
    )
}

/// The ranking decree's articles on who is admitted, who may be if a place
/// frees up, and how they enrol, agreeing with the candidates named.
fn esiti(art: &mut Articoli, corso: &Corso, ordinati: &[&Candidato]) {
    let ammessi: Vec<&&Candidato> = ordinati
        .iter()
        .filter(|k| k.esito == EsitoSelezione::Ammesso)
        .collect();
    let idonei: Vec<&&Candidato> = ordinati
        .iter()
        .filter(|k| k.esito == EsitoSelezione::Idoneo)
        .collect();
    let limite = format!("nel limite dei posti disponibili ({})", corso.posti.massimo);
    let al_corso = italiano::corso_con("al", corso);
    let (ammessi_f, idonei_f) = (tutte_donne(&ammessi), tutte_donne(&idonei));
    // Who may be admitted if a place frees up: "delle candidate ammesse"
    // when every admitted candidate is a woman.
    let rinuncia = format!(
        "a seguito di rinuncia o di mancata iscrizione {} entro i termini stabiliti dal bando",
        plurale(
            ammessi_f,
            "dei candidati ammessi",
            "delle candidate ammesse"
        )
    );
    let ammissione = match ammessi.as_slice() {
        [] => "Nessun candidato risulta ammesso al corso.".to_string(),
        [k] => match k.genere {
            Genere::NonIndicato => format!(
                "È disposta l'ammissione {al_corso}, {limite}, di {} {}, in posizione utile nella graduatoria.",
                k.nome, k.cognome
            ),
            g => format!(
                "È {} {al_corso}, {limite}, {} {} {}, {} in graduatoria con esito «{}».",
                ag(g, "ammesso", "ammessa", ""),
                ag(g, "il candidato", "la candidata", ""),
                k.nome,
                k.cognome,
                ag(g, "collocato", "collocata", ""),
                esito(k)
            ),
        },
        // "gli 8 candidati", "le 11 candidate".
        v => format!(
            "Sono {} {al_corso}, {limite}, {} {} in graduatoria con esito di ammissione.",
            plurale(ammessi_f, "ammessi", "ammesse"),
            italiano::con_numero(
                plurale(ammessi_f, "i", "le"),
                &format!("{} {}", v.len(), plurale(ammessi_f, "candidati", "candidate"))
            ),
            plurale(ammessi_f, "collocati", "collocate"),
        ),
    };
    art.push("Ammissione", vec![testo(ammissione)]);
    if !idonei.is_empty() {
        let s = match idonei.as_slice() {
            [k] => match k.genere {
                Genere::NonIndicato => format!(
                    "Per {} {}, in graduatoria con esito di idoneità, potrà essere disposta l'ammissione al corso qualora si rendano disponibili posti, {rinuncia}.",
                    k.nome, k.cognome
                ),
                g => format!(
                    "{} {} {} {} potrà essere {} al corso qualora si rendano disponibili posti, {rinuncia}.",
                    italiano::maiuscola(ag(g, "il candidato", "la candidata", "")),
                    ag(g, "idoneo", "idonea", ""),
                    k.nome,
                    k.cognome,
                    ag(g, "ammesso", "ammessa", ""),
                ),
            },
            _ => format!(
                "{} potranno essere {} al corso, secondo l'ordine della graduatoria, qualora si rendano disponibili posti {rinuncia}.",
                plurale(idonei_f, "I candidati idonei", "Le candidate idonee"),
                plurale(idonei_f, "ammessi", "ammesse"),
            ),
        };
        // The heading agrees with who is named: one candidate or several.
        let titolo = match idonei.as_slice() {
            [k] => ag(k.genere, "Candidato idoneo", "Candidata idonea", "Idoneità"),
            _ => plurale(idonei_f, "Candidati idonei", "Candidate idonee"),
        };
        art.push(titolo, vec![testo(s)]);
    }
    if !ammessi.is_empty() {
        art.push(
            "Iscrizione",
            vec![testo(format!(
                "{} perfezionano l'iscrizione entro i termini e con le modalità stabiliti dal bando di ammissione; chi non vi provvede è considerato rinunciatario.",
                plurale(ammessi_f, "I candidati ammessi", "Le candidate ammesse")
            ))],
        );
    }
}

fn graduatoria(
    ds: &Dataset,
    corso: &Corso,
    g: &Graduatoria,
    ordinati: &[&Candidato],
    comuni: Comuni,
) -> Documento {
    let dr = &g.decreto;
    let aa = &corso.anno_accademico;
    let premesse = premesse_graduatoria(ds, corso, g);

    let mut art = Articoli::default();
    art.push(
        "Approvazione degli atti",
        vec![testo(format!(
            "Sono approvati gli atti della procedura di selezione per l'ammissione {}, anno accademico {aa}.",
            italiano::corso_con("al", corso)
        ))],
    );
    art.push("Graduatoria di merito", tabella_graduatoria(g, ordinati));

    esiti(&mut art, corso, ordinati);
    art.push(
        "Pubblicazione e ricorsi",
        vec![
            testo(format!(
                "{} La pubblicazione ha valore di notifica a tutti gli effetti nei confronti degli interessati.",
                pubblicazione(ds, false)
            )),
            testo(
                "Avverso il presente decreto è ammesso ricorso giurisdizionale al Tribunale Amministrativo Regionale competente entro 60 giorni dalla pubblicazione, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.".to_string(),
            ),
        ],
    );

    documento_corso(
        ds,
        corso,
        comuni,
        dr,
        TipoAtto::DecretoGraduatoria,
        "Decreto rettorale di approvazione della graduatoria",
        format!(
            "Approvazione degli atti e della graduatoria di merito per l'ammissione {} – a.a. {aa}",
            italiano::corso_con("al", corso)
        ),
        premesse,
        art,
    )
}

/// The recitals of a ranking's approval: the course's acts, the
/// committee, the minutes, the tie-break rule, the places.
fn premesse_graduatoria(ds: &Dataset, corso: &Corso, g: &Graduatoria) -> Premesse {
    let dr = &g.decreto;
    let mut premesse = Premesse::standard(ds, dr);
    premesse.delibere(corso, dr);
    premesse.attivazione(ds, corso, dr);
    premesse.bando(ds, corso, &corso.date.proroghe, dr);
    if let Some(k) = corso
        .commissione
        .as_ref()
        .filter(|k| k.decreto.data <= dr.data)
    {
        premesse.visto(&format!(
            "il {}, con il quale è stata nominata la Commissione giudicatrice",
            estremi(ds, &k.decreto)
        ));
    }
    match g.data_selezione {
        Some(d) => premesse.visto(&format!(
            "il verbale della seduta {}, nella quale la Commissione giudicatrice ha formulato la graduatoria di merito",
            italiano::data_con_articolo("del", d)
        )),
        None => premesse.visto("gli atti della procedura di selezione"),
    }
    premesse.visto(&format!(
        "l'{}, ai sensi del quale, a parità di punteggio, precede chi è più giovane di età",
        norme::NORMA_PARITA
    ));
    premesse.considerato(&format!(
        "che i posti disponibili sono {}",
        corso.posti.massimo
    ));
    for c in &dr.considerato {
        premesse.considerato(c);
    }
    premesse.altro("ACCERTATA", "la regolarità formale degli atti");
    premesse.altro(
        "RITENUTO",
        "di dover procedere all'approvazione degli atti e della graduatoria di merito",
    );
    premesse
}

/// The ranking's table, with the tie-break note when scores tie.
fn tabella_graduatoria(g: &Graduatoria, ordinati: &[&Candidato]) -> Vec<Blocco> {
    let punteggio = match g.punteggio_massimo {
        Some(m) => format!("Punteggio (su {m})"),
        None => "Punteggio".to_string(),
    };
    let righe: Vec<Vec<String>> = ordinati
        .iter()
        .enumerate()
        .map(|(i, k)| {
            vec![
                format!("{}", i + 1),
                format!("{} {}", k.cognome, k.nome),
                k.punteggio.to_string(),
                esito(k),
            ]
        })
        .collect();
    let mut blocchi = vec![
        testo("È approvata la seguente graduatoria di merito:".to_string()),
        tabella(
            &[
                ("Pos.", "right", "auto"),
                ("Cognome e nome", "left", "1fr"),
                (&punteggio, "right", "auto"),
                ("Esito", "left", "auto"),
            ],
            righe,
        ),
    ];
    // The rule in the very words of the call (Art. 7.3), whether or not
    // this ranking has ties: candidates read it under the table.
    blocchi.push(testo(norme::regola_parita()));
    blocchi
}

/// What a committee examines, as its decree words it: the data's own
/// words, else those of what it is for.
fn oggetto_commissione(k: &CommissioneCorso) -> String {
    k.commissione
        .oggetto
        .as_deref()
        .map(|o| o.trim().trim_end_matches(['.', ';']))
        .filter(|o| !o.is_empty())
        .unwrap_or(match k.finalita {
            FinalitaCommissione::Selezione => "la selezione per l'ammissione",
            FinalitaCommissione::ProvaFinale => "la prova finale",
        })
        .to_string()
}

fn commissione(ds: &Dataset, corso: &Corso, kc: &CommissioneCorso, comuni: Comuni) -> Documento {
    let k = kc.commissione;
    let dr = &k.decreto;
    let aa = &corso.anno_accademico;
    let oggetto = oggetto_commissione(kc);
    let mut premesse = Premesse::standard(ds, dr);
    premesse.delibere(corso, dr);
    premesse.attivazione(ds, corso, dr);
    premesse.bando(ds, corso, &corso.date.proroghe, dr);
    if !corso.selezione.is_empty() {
        premesse.considerato(&format!(
            "che l'ammissione al corso avviene mediante {}",
            modalita(&corso.selezione)
        ));
    }
    for c in &dr.considerato {
        premesse.considerato(c);
    }
    premesse.altro(
        "RITENUTO",
        &format!("di dover procedere alla nomina della Commissione giudicatrice per {oggetto}"),
    );

    let mut art = Articoli::default();
    art.push(
        "Nomina",
        vec![
            testo(format!(
                "È nominata la Commissione giudicatrice {}, anno accademico {aa}, per {oggetto}, così composta:",
                italiano::corso_con("del", corso)
            )),
            tabella_componenti(&k.componenti, "1fr"),
        ],
    );
    art.push(
        "Compiti",
        vec![testo(
            "La Commissione svolge i propri lavori secondo i criteri e le modalità stabiliti dal bando di ammissione, redige il verbale di ogni seduta e trasmette gli atti all'Ufficio competente per i successivi adempimenti.".to_string(),
        )],
    );
    art.push(
        "Incompatibilità",
        vec![testo(
            "All'atto dell'insediamento i componenti della Commissione dichiarano l'insussistenza di situazioni di incompatibilità tra loro e con chi partecipa alla selezione, ai sensi degli artt. 51 e 52 del codice di procedura civile, e l'assenza delle condizioni di cui all'art. 35-bis del D.Lgs. 30 marzo 2001, n. 165.".to_string(),
        )],
    );
    art.push("Pubblicazione", vec![testo(pubblicazione(ds, false))]);

    documento_corso(
        ds,
        corso,
        comuni,
        dr,
        TipoAtto::DecretoCommissione,
        "Decreto rettorale di nomina della Commissione",
        format!(
            "Nomina della Commissione giudicatrice {} – a.a. {aa}",
            italiano::corso_con("del", corso)
        ),
        premesse,
        art,
    )
}

/// The final-exam committee, appointed by the department's Director on the
/// course director's proposal (Art. 11.3): a decree of the department,
/// numbered in its repertory, signed by its Director.
fn commissione_dipartimento(
    ds: &Dataset,
    corso: &Corso,
    kc: &CommissioneCorso,
    comuni: Comuni,
) -> Documento {
    let k = kc.commissione;
    let dr = &k.decreto;
    let aa = &corso.anno_accademico;
    let oggetto = oggetto_commissione(kc);
    let direttore_corso = &corso.direttore;
    let mut premesse = Premesse::standard(ds, dr);
    premesse.attivazione(ds, corso, dr);
    let proposta = match k.proposta {
        Some(d) => format!(" {}", italiano::data_con_articolo("del", d)),
        None => String::new(),
    };
    let g = italiano::genere_firmatario(direttore_corso);
    premesse.visto(&format!(
        "la proposta{proposta} {} {}, {}, relativa alla composizione della Commissione per {oggetto}",
        ag(g, "del", "della", "di"),
        italiano::nome_firmatario(direttore_corso),
        italiano::Carica::DirettoreCorso.nome(g),
    ));
    if corso.tipo.is_master() {
        // The offices in the abstract, without a gender: the holders are
        // named in the recitals above and in the heading.
        premesse.considerato(&format!(
            "che, ai sensi dell'art. 11, comma 3, del {}, la commissione per la prova finale dei Master universitari, composta da almeno due membri, è costituita con provvedimento della struttura di afferenza, su proposta della direzione del corso",
            regolamento(ds)
        ));
    }
    for c in &dr.considerato {
        premesse.considerato(c);
    }
    premesse.altro(
        "RITENUTO",
        &format!("di dover procedere alla nomina della Commissione per {oggetto}"),
    );

    let mut art = Articoli::default();
    art.push(
        "Nomina",
        vec![
            testo(format!(
                "È nominata la Commissione {}, anno accademico {aa}, per {oggetto}, così composta:",
                italiano::corso_con("del", corso)
            )),
            tabella_componenti(&k.componenti, "1fr"),
        ],
    );
    art.push(
        "Compiti",
        vec![testo(
            "La Commissione svolge la prova finale secondo le modalità stabilite dal bando di ammissione e dal Regolamento, ne attribuisce la valutazione, redige il verbale della seduta e lo trasmette all'Ufficio competente per il rilascio dei titoli.".to_string(),
        )],
    );
    art.push(
        "Incompatibilità",
        vec![testo(
            "All'atto dell'insediamento i componenti della Commissione dichiarano l'insussistenza di situazioni di incompatibilità tra loro e con chi sostiene la prova finale, ai sensi degli artt. 51 e 52 del codice di procedura civile.".to_string(),
        )],
    );
    let titolo_oggetto = format!(
        "Nomina della Commissione per la prova finale {} – a.a. {aa}",
        italiano::corso_con("del", corso)
    );
    documento(
        ds,
        comuni.ateneo,
        Parti {
            atto: TipoAtto::DecretoCommissione,
            intestazione: "Decreto del Direttore del Dipartimento di nomina della Commissione",
            del_corso: Some(corso),
            corso: CorsoDecreto::Corso(comuni.corso.clone()),
            dove: percorsi::decreto_dipartimento(corso, TipoAtto::DecretoCommissione, dr),
            titolo: format!("{} – {titolo_oggetto}", estremi_dipartimento(dr)),
            oggetto: titolo_oggetto,
            decreto: dr,
            premesse,
            articoli: art,
            dipartimento: Some(corso),
        },
    )
}

/// Members of a committee (or of the scientific committee) and their
/// roles, agreed with each member, as a table; `ruolo` is the width of the
/// role column.
fn tabella_componenti(membri: &[crate::model::Componente], ruolo: &'static str) -> Blocco {
    tabella(
        &[("Componente", "left", "1fr"), ("Ruolo", "left", ruolo)],
        membri
            .iter()
            .map(|m| {
                vec![
                    italiano::nome_con_titolo(
                        m.titolo.as_deref().map(str::trim),
                        &m.nome,
                        &m.cognome,
                    ),
                    italiano::ruolo_componente(m),
                ]
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------
// Ranking order
// ---------------------------------------------------------------------------

/// The ranking by score, highest first; equal scores go to the younger
/// candidate (art. 3 c. 7 L. 127/1997, as amended by art. 2 c. 9 L.
/// 191/1998). Also returns the pairs whose tie could not be broken because
/// a birth date is missing (they then keep alphabetical order).
pub(crate) fn ordina_graduatoria(
    candidati: &[Candidato],
) -> (Vec<&Candidato>, Vec<(&Candidato, &Candidato)>) {
    let mut v: Vec<&Candidato> = candidati.iter().collect();
    v.sort_by(|a, b| {
        b.punteggio
            .cmp(&a.punteggio)
            .then_with(|| match (a.data_nascita, b.data_nascita) {
                // Born later = younger = first.
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| a.cognome.cmp(&b.cognome))
            .then_with(|| a.nome.cmp(&b.nome))
    });
    let irrisolti = v
        .windows(2)
        .filter(|w| {
            w[0].punteggio == w[1].punteggio
                && (w[0].data_nascita.is_none()
                    || w[1].data_nascita.is_none()
                    || w[0].data_nascita == w[1].data_nascita)
        })
        .map(|w| (w[0], w[1]))
        .collect();
    (v, irrisolti)
}

// ---------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------

/// The decree's number as the university writes it: "D.R. n. 417 del 24
/// marzo 2015", "DR/2016/2252"; "del {data}" elides as Italian wants ("dell'8
/// luglio 2025").
pub(crate) fn estremi(ds: &Dataset, d: &Decreto) -> String {
    let mut s = ds.ateneo.regolamento.formato_decreto.clone();
    for p in ["del", "dal", "il", "al"] {
        s = s.replace(
            &format!("{p} {{data}}"),
            &italiano::data_con_articolo(p, d.data),
        );
    }
    // The number last, so that nothing in it is taken for a placeholder.
    s.replace("{data}", &italiano::data(d.data))
        .replace("{anno}", &d.data.year().to_string())
        .replace("{numero}", d.numero.trim())
}

/// "VISTA" for "la Legge …", "VISTE" for "le delibere …", "VISTI" for "i
/// verbali …", "VISTO" otherwise ("il Decreto …", "lo Statuto …", "l'art. …").
pub(crate) fn visto_per(testo: &str) -> &'static str {
    let primo = testo.split_whitespace().next().unwrap_or("").to_lowercase();
    match primo.as_str() {
        "la" => "VISTA",
        "le" => "VISTE",
        "i" | "gli" => "VISTI",
        _ => "VISTO",
    }
}

fn inizia_con_articolo(s: &str) -> bool {
    let primo = s.split_whitespace().next().unwrap_or("").to_lowercase();
    matches!(primo.as_str(), "il" | "lo" | "la" | "i" | "gli" | "le") || primo.starts_with("l'")
}

/// A recital ends with a semicolon, whatever the data ended with.
fn chiudi(s: &str) -> String {
    format!(
        "{};",
        s.trim().trim_end_matches(['.', ';', ',', ':']).trim_end()
    )
}

/// A word agreeing with a candidate: masculine, feminine, or `senza`, the
/// wording without gender, when the ranking does not say it (a ranking has
/// no tax code to tell it). Never a slash form.
fn ag<'a>(g: Genere, m: &'a str, f: &'a str, senza: &'a str) -> &'a str {
    match g {
        Genere::Maschile => m,
        Genere::Femminile => f,
        Genere::NonIndicato => senza,
    }
}

/// Whether every candidate of a group is a woman: the group is then named
/// in the feminine ("le candidate ammesse"), otherwise in the plural that
/// stands for both.
fn tutte_donne(v: &[&&Candidato]) -> bool {
    !v.is_empty() && v.iter().all(|k| k.genere == Genere::Femminile)
}

fn plurale<'a>(femminile: bool, m: &'a str, f: &'a str) -> &'a str {
    if femminile {
        f
    } else {
        m
    }
}

/// The regulation as cited in a sentence: the name up to its subtitle.
fn regolamento(ds: &Dataset) -> String {
    let nome = &ds.ateneo.regolamento.nome;
    nome.split(':').next().unwrap_or(nome).trim().to_string()
}

fn esito(k: &Candidato) -> String {
    match k.esito {
        EsitoSelezione::Ammesso => ag(k.genere, "ammesso", "ammessa", "ammissione").to_string(),
        EsitoSelezione::Idoneo => ag(k.genere, "idoneo", "idonea", "idoneità").to_string(),
        EsitoSelezione::NonAmmesso => {
            ag(k.genere, "non ammesso", "non ammessa", "non ammissione").to_string()
        }
    }
}

const NUMERI: [&str; 7] = ["zero", "una", "due", "tre", "quattro", "cinque", "sei"];

const ORDINALI: [&str; 6] = ["prima", "seconda", "terza", "quarta", "quinta", "sesta"];

/// How candidates are admitted, as a decree recites it: the course's
/// modes, or the call's when the course lists none.
fn modalita(m: &[ModalitaSelezione]) -> String {
    let v = italiano::modalita_selezione(m, ElencoModalita::Decreto);
    if v.is_empty() {
        "le modalità stabilite dal bando".to_string()
    } else {
        italiano::elenco(&v)
    }
}

fn contributo(c: &Corso) -> String {
    if c.quote.iscrizione.cents() == 0 {
        "gratuito".to_string()
    } else {
        c.quote.iscrizione.to_string()
    }
}

/// The publication article: on the university's online register (albo
/// ufficiale, art. 32 L. 69/2009), and on its website where natural.
fn pubblicazione(ds: &Dataset, sito: bool) -> String {
    match (&ds.ateneo.sito_web, sito) {
        (Some(_), true) => "Il presente decreto è pubblicato all'Albo ufficiale on line di Ateneo e sul sito web dell'Ateneo.".to_string(),
        _ => "Il presente decreto è pubblicato all'Albo ufficiale on line di Ateneo.".to_string(),
    }
}

/// Order of the kinds in the year's table: Master first, schools last.
fn ordine_tipo(t: TipoCorso) -> u8 {
    match t {
        TipoCorso::MasterI => 0,
        TipoCorso::MasterII => 1,
        TipoCorso::Perfezionamento => 2,
        TipoCorso::Formazione => 3,
        TipoCorso::Aggiornamento => 4,
        TipoCorso::SummerSchool => 5,
        TipoCorso::WinterSchool => 6,
    }
}

/// The kinds of course a decree concerns, whose legal basis it recites:
/// every course of the year for the offer decree, its own course for a
/// course's decree. A decree is recognised by its repertory number and date
/// (numbers are unique in their year), so that the recitals need nothing
/// beyond the decree itself.
fn tipi_del_decreto(ds: &Dataset, dr: &Decreto) -> Vec<TipoCorso> {
    let stesso = |d: &Decreto| d.numero.trim() == dr.numero.trim() && d.data == dr.data;
    if ds.ateneo.decreto_offerta.as_ref().is_some_and(stesso) {
        return ds.corsi.iter().map(|(_, c)| c.tipo).collect();
    }
    ds.corsi
        .iter()
        .map(|(_, c)| c)
        .filter(|c| {
            c.attivazione.as_ref().is_some_and(stesso)
                || c.date
                    .proroghe
                    .iter()
                    .any(|p| p.decreto.as_ref().is_some_and(stesso))
                || c.graduatoria.as_ref().is_some_and(|g| stesso(&g.decreto))
                || c.commissione.as_ref().is_some_and(|k| stesso(&k.decreto))
        })
        .map(|c| c.tipo)
        .collect()
}

/// Recitals in order: "VISTO …;", "CONSIDERATO che …;", "RITENUTO …;".
struct Premesse(Vec<Premessa>);

impl Premesse {
    /// The university's standard references, the legal basis of the
    /// kinds of course the decree concerns (each norm once, [`norme`]), and
    /// the decree's own.
    fn standard(ds: &Dataset, dr: &Decreto) -> Self {
        let mut p = Premesse(Vec::new());
        for r in &ds.ateneo.riferimenti_normativi {
            p.visto(r);
        }
        if ds.ateneo.riferimenti_normativi.is_empty() {
            let reg = &ds.ateneo.regolamento;
            match &reg.emanazione {
                Some(e) => p.visto(&format!("il {}, emanato con {e}", reg.nome)),
                None => p.visto(&format!("il {}", reg.nome)),
            }
        }
        for n in norme::basi_di(tipi_del_decreto(ds, dr)) {
            p.visto(n.testo());
        }
        for v in &dr.visti {
            p.visto(v);
        }
        p
    }

    fn altro(&mut self, parola: &'static str, testo: &str) {
        self.0.push(Premessa {
            parola: parola.into(),
            testo: chiudi(testo),
        });
    }

    fn visto(&mut self, testo: &str) {
        self.altro(visto_per(testo), testo);
    }

    fn considerato(&mut self, testo: &str) {
        let t = testo.trim();
        let che = t
            .strip_prefix("che")
            .or_else(|| t.strip_prefix("Che"))
            .is_some_and(|r| !r.starts_with(char::is_alphanumeric));
        let t = if che {
            t.to_string()
        } else {
            format!("che {t}")
        };
        self.altro("CONSIDERATO", &t);
    }

    /// The resolutions that proposed and approved the course (Art. 3, 32).
    /// Each precedes the decree: a later one is refused by the rules
    /// (`rules::atti`), naming both, rather than left out here.
    fn delibere(&mut self, corso: &Corso, _dr: &Decreto) {
        for d in &corso.delibere {
            let prep = preposizione_di(&d.organo);
            let spazio = if prep.ends_with('\'') { "" } else { " " };
            let mut s = format!("la delibera {prep}{spazio}{}", d.organo.trim());
            s.push(' ');
            s.push_str(&italiano::data_con_articolo("del", d.data));
            if let Some(o) = d
                .oggetto
                .as_deref()
                .map(str::trim)
                .filter(|o| !o.is_empty())
            {
                s.push_str(&format!(", avente a oggetto «{o}»"));
            }
            self.visto(&s);
        }
    }

    /// The course's activation decree, when it precedes this one.
    fn attivazione(&mut self, ds: &Dataset, corso: &Corso, dr: &Decreto) {
        match corso.attivazione.as_ref().filter(|a| a.data <= dr.data) {
            Some(a) => self.visto(&format!(
                "il {}, con il quale è stato attivato, per l'anno accademico {}, {}",
                estremi(ds, a),
                corso.anno_accademico,
                italiano::corso_con("il", corso)
            )),
            None => {
                if let Some(o) = ds
                    .ateneo
                    .decreto_offerta
                    .as_ref()
                    .filter(|o| o.data <= dr.data)
                {
                    self.visto(&format!(
                        "il {}, con il quale è stata attivata l'offerta formativa post lauream per l'anno accademico {}",
                        estremi(ds, o),
                        corso.anno_accademico
                    ));
                }
            }
        }
    }

    /// The call, with the extensions of its deadline that precede the decree.
    fn bando(&mut self, ds: &Dataset, corso: &Corso, proroghe: &[Proroga], dr: &Decreto) {
        let mut s = format!(
            "il bando di ammissione {}, pubblicato {}, con scadenza delle domande {}",
            italiano::corso_con("al", corso),
            italiano::data_con_articolo("il", corso.date.bando),
            italiano::data_con_articolo("il", corso.date.scadenza)
        );
        for p in proroghe {
            match &p.decreto {
                Some(d) if d.data <= dr.data => s.push_str(&format!(
                    ", prorogata {} con {}",
                    italiano::data_con_articolo("al", p.nuova_scadenza),
                    estremi(ds, d)
                )),
                Some(_) => {}
                None => s.push_str(&format!(
                    ", prorogata {}",
                    italiano::data_con_articolo("al", p.nuova_scadenza)
                )),
            }
        }
        self.visto(&s);
    }
}

/// "del Consiglio", "della Giunta", "dell'Assemblea", "dello Statuto".
fn preposizione_di(organo: &str) -> &'static str {
    let o = organo.trim();
    let primo = o.split_whitespace().next().unwrap_or("").to_lowercase();
    let femminili = [
        "giunta",
        "commissione",
        "consulta",
        "scuola",
        "direzione",
        "conferenza",
    ];
    if femminili.contains(&primo.as_str()) {
        "della"
    } else if primo.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "dell'"
    } else if primo.starts_with('z')
        || (primo.starts_with('s') && primo.chars().nth(1).is_some_and(|c| !"aeiou".contains(c)))
    {
        "dello"
    } else {
        "del"
    }
}

/// The articles in order, numbered as they are added.
#[derive(Default)]
struct Articoli(Vec<ArticoloDecreto>);

impl Articoli {
    fn push(&mut self, titolo: &'static str, blocchi: Vec<Blocco>) {
        self.0.push(ArticoloDecreto {
            numero: self.0.len() as u32 + 1,
            titolo: titolo.into(),
            blocchi,
        });
    }
}

fn testo(s: impl Into<String>) -> Blocco {
    Blocco::Testo(s.into())
}

/// A table: columns as (heading, alignment, width), rows of strings.
fn tabella(colonne: &[(&str, &'static str, &'static str)], righe: Vec<Vec<String>>) -> Blocco {
    let colonne = colonne
        .iter()
        .map(|&(t, a, l)| Colonna {
            titolo: t.to_string(),
            allinea: a.into(),
            larghezza: l.into(),
        })
        .collect();
    Blocco::Tabella(Tabella { colonne, righe })
}

/// What makes one decree: kind, heading, course, where it goes, subject,
/// the registered decree, recitals and articles.
struct Parti<'a> {
    atto: TipoAtto,
    intestazione: &'static str,
    /// The course the decree is about; `None` for the year's offer.
    del_corso: Option<&'a Corso>,
    corso: CorsoDecreto,
    dove: Collocazione,
    titolo: String,
    oggetto: String,
    decreto: &'a Decreto,
    premesse: Premesse,
    articoli: Articoli,
    /// The course whose department's Director issues the decree (Art.
    /// 11.3); `None` for a rector's decree.
    dipartimento: Option<&'a Corso>,
}

#[allow(clippy::too_many_arguments)]
fn documento_corso(
    ds: &Dataset,
    corso: &Corso,
    comuni: Comuni,
    dr: &Decreto,
    atto: TipoAtto,
    intestazione: &'static str,
    oggetto: String,
    premesse: Premesse,
    articoli: Articoli,
) -> Documento {
    documento(
        ds,
        comuni.ateneo,
        Parti {
            atto,
            intestazione,
            del_corso: Some(corso),
            corso: CorsoDecreto::Corso(comuni.corso.clone()),
            dove: percorsi::decreto(corso, atto, dr),
            titolo: format!("{} – {oggetto}", estremi(ds, dr)),
            oggetto,
            decreto: dr,
            premesse,
            articoli,
            dipartimento: None,
        },
    )
}

fn documento(ds: &Dataset, ateneo: &Condiviso<DatiAteneo>, p: Parti) -> Documento {
    let dr = p.decreto;
    let rettore = &ds.ateneo.rettore;
    // Who issues it: the Rector and the post-lauream office, or the
    // department's Director in the department's repertory (Art. 11.3).
    let (emittente, firmatario, organo, estremi_dr, serie) = match p.dipartimento {
        None => (
            (&ds.ateneo.ufficio_post_lauream).into(),
            DatiFirmatario::new(rettore, super::qualifica_rettore(rettore)),
            // The office agrees with who holds it, as the parchment does.
            super::qualifica_rettore(rettore).to_uppercase(),
            estremi(ds, dr),
            super::Serie::Decreti,
        ),
        Some(c) => {
            let dip = &c.dipartimento;
            let direttore = &dip.direttore;
            let chi = super::qualifica(direttore, italiano::Carica::Direttore);
            let prep = preposizione_di(&dip.nome);
            let spazio = if prep.ends_with('\'') { "" } else { " " };
            let struttura = format!("{prep}{spazio}{}", dip.nome.trim());
            let segreteria: DatiUfficio = (&dip.segreteria_didattica).into();
            (
                DatiUfficio {
                    nome: dip.nome.trim().to_string(),
                    ..segreteria
                },
                DatiFirmatario::new(direttore, format!("{chi} {struttura}")),
                // The letterhead names the department; the heading and the
                // signature name the office.
                format!("{chi} del Dipartimento").to_uppercase(),
                estremi_dipartimento(dr),
                super::Serie::DecretiDipartimento,
            )
        }
    };
    let mut documento = Intestazione::new(
        p.atto,
        p.intestazione,
        p.titolo,
        p.dove.identificativo,
        dr.data,
        &ds.ateneo,
    );
    documento.numero = Some(dr.numero.trim().to_string());
    let dati = DatiDecreto {
        documento,
        ateneo: ateneo.clone(),
        emittente,
        firmatario,
        corso: p.corso,
        decreto: ContenutoDecreto {
            numero: dr.numero.trim().to_string(),
            estremi: estremi_dr,
            protocollo: dr
                .protocollo
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(italiano::maiuscola),
            oggetto: p.oggetto,
            organo,
            premesse: p.premesse.0,
            articoli: p.articoli.0,
            firma_digitale: "Documento firmato digitalmente ai sensi del D.Lgs. 82/2005 e successive modificazioni".into(),
        },
    };
    let mut doc = Documento::da_rendere(p.del_corso, None, p.dove.percorso, dati);
    // The kind of act does not say who issued it; the repertory does.
    doc.serie = Some(serie);
    doc
}

/// A department Director's decree as cited: "D.D. n. 27 del 20 novembre
/// 2026" (the department's repertory, not the Rector's format).
pub(crate) fn estremi_dipartimento(d: &Decreto) -> String {
    format!(
        "D.D. n. {} {}",
        d.numero.trim(),
        italiano::data_con_articolo("del", d.data)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Punteggio;
    use chrono::NaiveDate;

    fn k(cognome: &str, punti: i64, nascita: Option<(i32, u32, u32)>) -> Candidato {
        Candidato {
            cognome: cognome.into(),
            nome: "X".into(),
            genere: Genere::NonIndicato,
            data_nascita: nascita.map(|(a, m, g)| NaiveDate::from_ymd_opt(a, m, g).unwrap()),
            punteggio: Punteggio(punti),
            esito: EsitoSelezione::Ammesso,
        }
    }

    #[test]
    fn graduatoria_per_punteggio_e_a_parita_il_piu_giovane() {
        let v = vec![
            k("Anziano", 8000, Some((1980, 1, 1))),
            k("Basso", 6000, Some((2000, 1, 1))),
            k("Giovane", 8000, Some((1999, 5, 5))),
            k("Alto", 9050, Some((1990, 1, 1))),
        ];
        let (o, irrisolti) = ordina_graduatoria(&v);
        let nomi: Vec<&str> = o.iter().map(|k| k.cognome.as_str()).collect();
        assert_eq!(nomi, ["Alto", "Giovane", "Anziano", "Basso"]);
        assert!(irrisolti.is_empty());
    }

    #[test]
    fn parita_senza_data_di_nascita_segnalata() {
        let v = vec![k("Bruni", 7000, None), k("Aldi", 7000, Some((1990, 1, 1)))];
        let (o, irrisolti) = ordina_graduatoria(&v);
        assert_eq!(o[0].cognome, "Aldi");
        assert_eq!(irrisolti.len(), 1);
    }

    #[test]
    fn visto_concorda_con_l_articolo() {
        assert_eq!(visto_per("la Legge 9 maggio 1989, n. 168"), "VISTA");
        assert_eq!(visto_per("La delibera del Senato"), "VISTA");
        assert_eq!(visto_per("le delibere dei Dipartimenti"), "VISTE");
        assert_eq!(visto_per("il Decreto Ministeriale 270/2004"), "VISTO");
        assert_eq!(visto_per("lo Statuto"), "VISTO");
        assert_eq!(visto_per("l'art. 3"), "VISTO");
        assert_eq!(visto_per("gli atti"), "VISTI");
        assert_eq!(visto_per("lavori"), "VISTO");
    }

    #[test]
    fn preposizioni_articolate() {
        assert_eq!(preposizione_di("Consiglio di Amministrazione"), "del");
        assert_eq!(preposizione_di("Senato Accademico"), "del");
        assert_eq!(preposizione_di("Giunta di Dipartimento"), "della");
        assert_eq!(preposizione_di("Assemblea"), "dell'");
        assert_eq!(preposizione_di("Staff"), "dello");
    }

    #[test]
    fn accordo_di_genere() {
        assert_eq!(
            ag(Genere::Femminile, "ammesso", "ammessa", "ammissione"),
            "ammessa"
        );
        assert_eq!(
            ag(Genere::Maschile, "ammesso", "ammessa", "ammissione"),
            "ammesso"
        );
        // Not indicated: the wording without gender, never "ammesso/a".
        assert_eq!(
            ag(Genere::NonIndicato, "ammesso", "ammessa", "ammissione"),
            "ammissione"
        );
    }

    #[test]
    fn premesse_chiuse_da_punto_e_virgola() {
        assert_eq!(chiudi("la Legge 168/1989."), "la Legge 168/1989;");
        assert_eq!(chiudi("lo Statuto ; "), "lo Statuto;");
    }
}
