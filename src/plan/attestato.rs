//! Certificates: participation, attendance, CFU and auditors' attestations,
//! and the certificate of a Master's title.
//!
//! A Master graduate (allievo with attendance met and the final exam passed)
//! always gets the parchment (Art. 14.1, [`super::pergamena`]); the
//! certificate of the title, with the grade, the exam's date and the CFU, is
//! issued only on request (Art. 14.3), and, being subject to stamp duty, only
//! on a stamped request (Linee guida §6): a roster row of a Master graduate
//! with `bollo` gets it, one without gets the parchment alone, with neither a
//! warning nor an exclusion (the request is the graduate's choice, not a
//! missing paper).

use serde::{Deserialize, Serialize};

use super::dati::{
    Condiviso, DatiAteneo, DatiCorso, DatiFirmatario, DatiPersona, DatiUfficio, DatiVoto,
    Intestazione, Testo, TipoAtto,
};
use super::{italiano, percorsi, Comuni, Documento, Escluso, Piano};
use crate::diag::Posizione;
use crate::model::{Bollo, Corso, Dataset, Iscrizione, Ruolo, TipoCorso, Uso};
use crate::rules::{self, Titolo, Valutazione};

/// What the certificate template receives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiAttestato {
    /// The heading, with the registry's fields once issued.
    pub documento: Intestazione,
    /// The university, shared by every document of the year.
    pub ateneo: Condiviso<DatiAteneo>,
    /// The office that issues the certificate.
    pub emittente: DatiUfficio,
    /// Its head, who signs, when the office has one.
    pub firmatario: Option<DatiFirmatario>,
    /// Who the certificate is issued to.
    pub persona: DatiPersona,
    /// The course, shared by every document of the course.
    pub corso: Condiviso<DatiCorso>,
    /// What the person did in the course.
    pub partecipazione: Partecipazione,
    /// The stamp-duty note (DPR 642/1972).
    pub bollo: NotaBollo,
    /// The art. 40 notice.
    pub avvertenza: Testo,
}

/// What the person did in the course.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partecipazione {
    /// Allievo, auditor or single-course enrolment.
    pub ruolo: Ruolo,
    /// The hours the person's enrolment foresees: "127", "36,5".
    pub ore_previste: String,
    /// The hours attended, from the attendance sheets or the roster.
    pub ore_frequentate: Option<String>,
    /// Attendance as a percentage: "94,4%".
    pub frequenza: Option<String>,
    /// The credits acquired.
    pub cfu: u32,
    /// The final grade, for those who took an exam.
    pub voto: Option<DatiVoto>,
    /// The exam's date: "17 luglio 2026".
    pub data_esame: Option<String>,
    /// "il 17 luglio 2026".
    pub data_esame_il: Option<String>,
    /// The modules of a single-course enrolment.
    pub moduli: Vec<ModuloFrequentato>,
}

/// A module a single-course enrolment took.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuloFrequentato {
    /// The module's code in the teaching plan.
    pub codice: String,
    /// The module's title.
    pub titolo: String,
    /// Its scientific-disciplinary sector: "IUS/01".
    pub ssd: Option<String>,
    /// Its credits.
    pub cfu: u32,
    /// Its planned hours: "36".
    pub ore: String,
    /// The grade of its exam, for a single-course enrolment (Art. 12: one
    /// exam per module).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voto: Option<DatiVoto>,
}

/// How the stamp duty was paid, and the note saying so.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotaBollo {
    /// `None` only when the row says nothing (validation refuses it).
    pub modo: Option<ModoBollo>,
    /// The note printed on the certificate.
    pub nota: Option<String>,
}

/// How a certificate bears the stamp duty (DPR 642/1972).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModoBollo {
    /// Auditors' attestations: free of duty by the regulation.
    CartaLibera,
    /// A telematic stamp on the request (art. 3 D.M. 10 novembre 2011).
    Contrassegno,
    /// Paid by the university under its authorisation (art. 15 DPR 642/1972).
    Virtuale,
    /// Exempt, for the reason the roster gives.
    Esente,
}

/// The legal notice every certificate for private use carries (art. 40 c. 02
/// DPR 445/2000, added by art. 15 L. 183/2011), or its variant for use abroad.
pub fn avvertenza_art40(uso: Uso) -> &'static str {
    match uso {
        Uso::Privati => "Il presente certificato non può essere prodotto agli organi della pubblica amministrazione o ai privati gestori di pubblici servizi.",
        Uso::Estero => "Ai sensi dell'art. 40, d.P.R. 28 dicembre 2000, n. 445, il presente certificato è rilasciato solo per l'estero.",
    }
}

/// Plans the certificates of one course: one per eligible participant, and
/// the reason for everyone else.
pub(super) fn pianifica_corso(
    ds: &Dataset,
    corso: &Corso,
    valutati: &[(&Iscrizione, Valutazione)],
    comuni: Comuni,
    piano: &mut Piano,
) {
    for (isc, v) in valutati {
        let nominativo = format!("{} {}", isc.persona.cognome, isc.persona.nome);
        let escludi = |motivo: String| Escluso {
            corso: corso.id.clone(),
            persona: isc.persona.codice_fiscale.clone(),
            nominativo: nominativo.clone(),
            motivo,
        };
        match &v.titolo {
            Err(motivo) => piano.esclusi.push(escludi(motivo.clone())),
            // The parchment is its own family; the certificate of the title
            // comes beside it only on a stamped request (Art. 14.3).
            Ok(Titolo::Pergamena) => {
                if isc.bollo.is_some() {
                    piano.documenti.push(attestato(
                        ds,
                        corso,
                        isc,
                        v,
                        TipoAtto::CertificatoTitolo,
                        comuni,
                    ));
                }
            }
            Ok(titolo) => {
                let titolo = *titolo;
                if titolo != Titolo::AttestatoUditore && isc.bollo.is_none() {
                    let motivo =
                        "manca l'istanza in bollo (o l'autocertificazione) per il rilascio"
                            .to_string();
                    piano.avvisi.avviso(
                        Posizione::riga(&isc.origine, Some("bollo")),
                        format!("{nominativo}: {motivo}"),
                        Some("Linee guida §6"),
                    );
                    piano.esclusi.push(escludi(motivo));
                    continue;
                }
                piano
                    .documenti
                    .push(attestato(ds, corso, isc, v, titolo.into(), comuni));
            }
        }
    }
}

/// The stamp-duty note, worded as DPR 642/1972 and the regulation want it.
fn nota_bollo(ds: &Dataset, corso: &Corso, isc: &Iscrizione, atto: TipoAtto) -> NotaBollo {
    let con_nota = |modo, nota| NotaBollo {
        modo: Some(modo),
        nota: Some(nota),
    };
    if atto == TipoAtto::AttestatoUditore {
        let articolo = match corso.tipo {
            TipoCorso::MasterI | TipoCorso::MasterII => Some("13"),
            TipoCorso::Perfezionamento => Some("22"),
            TipoCorso::Formazione | TipoCorso::Aggiornamento => Some("30"),
            TipoCorso::SummerSchool | TipoCorso::WinterSchool => None,
        };
        let nota = match articolo {
            Some(a) => format!(
                "Attestato rilasciato in carta libera ai sensi dell'art. {a}, comma 5, del {}.",
                ds.ateneo.regolamento.nome
            ),
            None => {
                "Attestato di partecipazione di uditore, rilasciato in carta libera.".to_string()
            }
        };
        return con_nota(ModoBollo::CartaLibera, nota);
    }
    // The note says the duty paid is the certificate's own (the request owes
    // its own duty too): "sul presente certificato", "sul presente attestato".
    let documento = if atto == TipoAtto::AttestatoFrequenza {
        "attestato"
    } else {
        "certificato"
    };
    match isc.bollo.as_ref() {
        Some(Bollo::Contrassegno { numero, data }) => con_nota(
            ModoBollo::Contrassegno,
            format!(
                "Imposta di bollo sul presente {documento} assolta mediante contrassegno telematico n. {numero} {}, dichiarato nell'istanza di rilascio e conservato dal richiedente (art. 3 D.M. 10 novembre 2011).",
                italiano::data_con_articolo("del", *data)
            ),
        ),
        Some(Bollo::Virtuale) => {
            let nota = match &ds.ateneo.bollo.virtuale {
                Some(v) => format!(
                    "Imposta di bollo sul presente {documento} assolta in modo virtuale ai sensi dell'art. 15 del D.P.R. 642/1972 – Autorizzazione Agenzia delle Entrate, {}, n. {} {}.",
                    v.ufficio,
                    v.autorizzazione_numero,
                    italiano::data_con_articolo("del", v.autorizzazione_data)
                ),
                // Validation refuses this case; keep the document honest anyway.
                None => format!("Imposta di bollo sul presente {documento} assolta in modo virtuale ai sensi dell'art. 15 del D.P.R. 642/1972."),
            };
            con_nota(ModoBollo::Virtuale, nota)
        }
        Some(Bollo::Esente { motivo }) => con_nota(
            ModoBollo::Esente,
            // Validation refuses an exemption that implies a use before a
            // public body (it would contradict the art. 40 notice).
            format!("Il presente {documento} è rilasciato in carta libera, in esenzione dall'imposta di bollo: {motivo}."),
        ),
        None => NotaBollo {
            modo: None,
            nota: None,
        },
    }
}

/// What the person did: hours, attendance, credits, grade, exam, and the
/// modules of a single-course enrolment.
fn partecipazione(corso: &Corso, isc: &Iscrizione, v: &Valutazione) -> Partecipazione {
    let voto = isc
        .voto
        .filter(|_| isc.ruolo != Ruolo::Uditore)
        .map(|voto| {
            let scala = rules::scala_voto(corso, isc.ruolo)
                .map(|(s, _)| s)
                .unwrap_or(30);
            DatiVoto::new(voto, scala)
        });
    let moduli = corso
        .moduli
        .iter()
        .filter(|m| {
            isc.ruolo == Ruolo::CorsoSingolo
                && isc.moduli.iter().any(|c| c.eq_ignore_ascii_case(&m.codice))
        })
        .map(|m| ModuloFrequentato {
            codice: m.codice.clone(),
            titolo: m.titolo.clone(),
            ssd: m.ssd.clone(),
            cfu: m.cfu,
            ore: m.ore.to_string(),
            voto: isc
                .voti_moduli
                .iter()
                .find(|v| v.modulo.eq_ignore_ascii_case(&m.codice))
                .map(|v| DatiVoto::new(v.voto, 30)),
        })
        .collect();
    Partecipazione {
        ruolo: isc.ruolo,
        ore_previste: v.ore_previste.to_string(),
        ore_frequentate: v.ore_frequentate.map(|o| o.to_string()),
        frequenza: v.frequenza_bp.map(rules::percentuale),
        cfu: v.cfu,
        voto,
        data_esame: isc.data_esame.map(italiano::data),
        data_esame_il: isc.data_esame.map(|d| italiano::data_con_articolo("il", d)),
        moduli,
    }
}

fn attestato(
    ds: &Dataset,
    corso: &Corso,
    isc: &Iscrizione,
    v: &Valutazione,
    atto: TipoAtto,
    comuni: Comuni,
) -> Documento {
    let p = &isc.persona;
    let rilascio = rules::data_rilascio(corso, isc);
    let intestazione = match atto {
        TipoAtto::CertificatoPartecipazione => "Certificato di partecipazione",
        TipoAtto::AttestatoFrequenza => "Attestato di frequenza",
        TipoAtto::CertificatoCfu => "Certificato di acquisizione dei crediti",
        TipoAtto::AttestatoUditore => "Attestato di partecipazione",
        // Art. 14.3: "certificato di conseguimento titolo".
        TipoAtto::CertificatoTitolo => "Certificato di conseguimento del titolo",
        altro => unreachable!("{altro:?} non è un attestato"),
    };
    // Auditors' attestations come from the department's secretariat (Art. 13.5);
    // the others from the post-lauream office (Linee guida §6).
    let emittente = if atto == TipoAtto::AttestatoUditore {
        &corso.dipartimento.segreteria_didattica
    } else {
        &ds.ateneo.ufficio_post_lauream
    };
    let firmatario = emittente
        .responsabile
        .as_ref()
        .map(|f| DatiFirmatario::new(f, super::qualifica(f, italiano::Carica::Responsabile)));
    let dove = percorsi::di_persona(corso, p, atto);
    let titolo_doc = format!(
        "{intestazione} – {} {} – {}",
        p.nome, p.cognome, corso.titolo
    );
    let dati = DatiAttestato {
        documento: Intestazione::new(
            atto,
            intestazione,
            titolo_doc,
            dove.identificativo,
            rilascio,
            &ds.ateneo,
        ),
        ateneo: comuni.ateneo.clone(),
        emittente: emittente.into(),
        firmatario,
        persona: p.into(),
        corso: comuni.corso.clone(),
        partecipazione: partecipazione(corso, isc, v),
        bollo: nota_bollo(ds, corso, isc, atto),
        avvertenza: avvertenza_art40(isc.uso).into(),
    };
    Documento::da_rendere(Some(corso), Some(&p.codice_fiscale), dove.percorso, dati)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esente(motivo: &str) -> Bollo {
        Bollo::Esente {
            motivo: motivo.into(),
        }
    }

    #[test]
    fn esenzioni_per_uso_pubblico_riconosciute() {
        for m in [
            "art. 9 della Tabella allegato B al D.P.R. 642/1972",
            "Art. 9 Tabella B: certificato per l'INPS",
            "certificato richiesto ai fini previdenziali",
            "da produrre in giudizio davanti al Tribunale di Arezzo",
        ] {
            assert!(esente(m).esenzione_per_uso_pubblico().is_some(), "{m}");
        }
        for m in [
            "art. 82 c. 5 D.Lgs. 117/2017 (Codice del Terzo settore): certificato richiesto dall'ente del Terzo settore presso cui l'interessata opera",
            "art. 11 della Tabella allegato B al D.P.R. 642/1972: certificato richiesto per la domanda di una borsa di studio",
        ] {
            assert_eq!(esente(m).esenzione_per_uso_pubblico(), None, "{m}");
        }
        assert_eq!(Bollo::Virtuale.esenzione_per_uso_pubblico(), None);
    }

    #[test]
    fn la_nota_dice_che_il_bollo_e_del_certificato() {
        let radice = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let (ds, problemi) = crate::input::carica(&radice);
        let ds = ds.unwrap_or_else(|| panic!("{problemi}"));
        let piano = super::super::pianifica(&ds, &Default::default(), None);
        let mut visti = 0;
        for d in &piano.documenti {
            let super::super::Dati::Attestato(a) = &d.dati else {
                continue;
            };
            let Some(nota) = &a.bollo.nota else { continue };
            match a.bollo.modo {
                Some(ModoBollo::CartaLibera) => assert!(nota.contains("carta libera"), "{nota}"),
                Some(ModoBollo::Esente) => {
                    assert!(
                        nota.starts_with("Il presente certificato è rilasciato in carta libera"),
                        "{nota}"
                    )
                }
                _ => {
                    let di = if a.documento.tipo == TipoAtto::AttestatoFrequenza {
                        "Imposta di bollo sul presente attestato assolta"
                    } else {
                        "Imposta di bollo sul presente certificato assolta"
                    };
                    assert!(nota.starts_with(di), "{nota}");
                    visti += 1;
                }
            }
        }
        assert!(visti > 30, "{visti}");
    }
}
