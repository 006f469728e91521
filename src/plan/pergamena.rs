//! Master parchments: one per allievo who met attendance and passed the final exam (Art. 14).
//!
//! The parchment is issued by the Rector and signed by the Director General
//! and by the Director of the proposing Department (Art. 14.2). It carries no
//! stamp-duty note and no art. 40 notice: it is the title itself, not a
//! certificate (the certificate of the title is asked for separately, Art. 14.3).
//! People who get no parchment are reported once, by the certificate planner.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dati::{
    Condiviso, DatiAteneo, DatiCorso, DatiFirmatario, DatiPersona, DatiUfficio, DatiVoto,
    Intestazione, Testo, TipoAtto,
};
use super::{italiano, percorsi, Comuni, Documento, Piano};
use crate::model::{Corso, Dataset, Firmatario, Iscrizione};
use crate::rules::{self, Titolo, Valutazione};

/// What the parchment template receives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatiPergamena {
    /// The heading, with the registry's fields once issued.
    pub documento: Intestazione,
    /// The university, shared by every document of the year.
    pub ateneo: Condiviso<DatiAteneo>,
    /// The post-lauream office.
    pub emittente: DatiUfficio,
    /// The Rector, who confers the title (Art. 14.2): the heading agrees with them.
    pub rettore: DatiFirmatario,
    /// Who signs, in order: the Rector, the Director General, the
    /// Director of the proposing Department.
    pub firmatari: Vec<DatiFirmatario>,
    /// The regulation under which the title is conferred.
    pub regolamento: RegolamentoPergamena,
    /// Who the title is conferred on.
    pub persona: DatiPersona,
    /// The course, with its department's director.
    pub corso: CorsoPergamena,
    /// The title conferred.
    pub titolo: TitoloConferito,
}

/// The regulation under which the title is conferred.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegolamentoPergamena {
    /// The regulation's name.
    pub nome: String,
    /// How it was issued.
    pub emanazione: Option<String>,
}

/// The course, with the Director of its Department, who signs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorsoPergamena {
    /// The course, shared by every document of the course.
    #[serde(flatten)]
    pub corso: Condiviso<DatiCorso>,
    /// The Director of the proposing Department, who signs (Art. 14.2).
    pub direttore_dipartimento: DatiFirmatario,
}

/// The title conferred.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitoloConferito {
    /// "Master universitario di II livello".
    pub denominazione: Testo,
    /// "11 dicembre 2026".
    pub data_esame: Option<String>,
    /// "l'11 dicembre 2026".
    pub data_esame_il: Option<String>,
    /// Not printed by the shipped template (the grade belongs on the
    /// certificate of the title, Art. 14.3), kept for universities that print it.
    pub voto: Option<DatiVoto>,
}

pub(super) fn pianifica_corso(
    ds: &Dataset,
    corso: &Corso,
    valutati: &[(&Iscrizione, Valutazione)],
    comuni: Comuni,
    piano: &mut Piano,
) {
    for (isc, v) in valutati {
        // Only Master allievi with attendance met and the final exam passed (Art. 14.1);
        // everyone else is already listed, with the reason, by the certificates.
        if v.titolo == Ok(Titolo::Pergamena) {
            piano.documenti.push(pergamena(ds, corso, isc, comuni));
        }
    }
}

/// The date of the final exam: the person's own, else the course's session.
fn data_esame(corso: &Corso, isc: &Iscrizione) -> Option<NaiveDate> {
    isc.data_esame.or(corso.date.esame_finale)
}

/// The issue date: the course's date for end-of-course titles, else the day of
/// the exam, else the end of the course. Always from the data, never the clock.
fn data_rilascio(corso: &Corso, isc: &Iscrizione) -> NaiveDate {
    corso
        .date
        .rilascio_attestati
        .or_else(|| data_esame(corso, isc))
        .unwrap_or(corso.date.fine)
}

/// A signatory with the office agreed to their gender.
fn firma(f: &Firmatario, carica: italiano::Carica) -> DatiFirmatario {
    DatiFirmatario::new(f, super::qualifica(f, carica))
}

fn pergamena(ds: &Dataset, corso: &Corso, isc: &Iscrizione, comuni: Comuni) -> Documento {
    let p = &isc.persona;
    let a = &ds.ateneo;
    let rilascio = data_rilascio(corso, isc);
    let esame = data_esame(corso, isc);
    let dove = percorsi::di_persona(corso, p, TipoAtto::Pergamena);
    let titolo_doc = format!(
        "Pergamena di Master – {} {} – {}",
        p.nome, p.cognome, corso.titolo
    );
    let rettore = firma(&a.rettore, italiano::Carica::Rettore);
    let direttore_dipartimento = firma(
        &corso.dipartimento.direttore,
        italiano::Carica::DirettoreDipartimento,
    );
    let voto = isc.voto.map(|v| {
        let scala = rules::scala_voto(corso, isc.ruolo)
            .map(|(s, _)| s)
            .unwrap_or(100);
        DatiVoto::new(v, scala)
    });
    let mut documento = Intestazione::new(
        TipoAtto::Pergamena,
        "Pergamena di Master",
        titolo_doc,
        dove.identificativo,
        rilascio,
        a,
    );
    // "Dato a Montevarchi, l'11 dicembre 2026".
    documento.data_il = Some(italiano::data_con_articolo("il", rilascio));
    let dati = DatiPergamena {
        documento,
        ateneo: comuni.ateneo.clone(),
        emittente: (&a.ufficio_post_lauream).into(),
        firmatari: vec![
            rettore.clone(),
            firma(&a.direttore_generale, italiano::Carica::DirettoreGenerale),
            direttore_dipartimento.clone(),
        ],
        rettore,
        regolamento: RegolamentoPergamena {
            nome: a.regolamento.nome.clone(),
            emanazione: a.regolamento.emanazione.clone(),
        },
        persona: p.into(),
        corso: CorsoPergamena {
            corso: comuni.corso.clone(),
            direttore_dipartimento,
        },
        titolo: TitoloConferito {
            // "Master universitario di II livello".
            denominazione: corso.tipo.denominazione().into(),
            data_esame: esame.map(italiano::data),
            data_esame_il: esame.map(|d| italiano::data_con_articolo("il", d)),
            voto,
        },
    };
    Documento::da_rendere(Some(corso), Some(&p.codice_fiscale), dove.percorso, dati)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Genere, Ore, Origine, Presenza};
    use crate::plan::{Dati, TipoDocumento};

    fn demo() -> Dataset {
        let radice = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let (ds, problemi) = crate::input::carica(&radice);
        ds.unwrap_or_else(|| panic!("{problemi}"))
    }

    fn piano(ds: &Dataset, id: &str) -> Piano {
        let mut piano = Piano::default();
        let corso = ds.corso(id).unwrap();
        let valutati =
            super::super::valuta_corso(ds, corso, &super::super::presenze_per_persona(ds));
        let ateneo = Condiviso::new(DatiAteneo::new(&ds.ateneo, None));
        let dati_corso = Condiviso::new(DatiCorso::new(corso));
        let comuni = Comuni {
            ateneo: &ateneo,
            corso: &dati_corso,
        };
        pianifica_corso(ds, corso, &valutati, comuni, &mut piano);
        piano
    }

    fn di<'a>(piano: &'a Piano, cf: &str) -> Option<&'a Documento> {
        piano
            .documenti
            .iter()
            .find(|d| d.persona.as_deref() == Some(cf))
    }

    fn dati(ds: &Dataset, corso: &str, cf: &str) -> DatiPergamena {
        match &di(&piano(ds, corso), cf).unwrap().dati {
            Dati::Pergamena(d) => (**d).clone(),
            altro => panic!("non una pergamena: {altro:?}"),
        }
    }

    const DANGELO: &str = "DNGFNC94C52F839U";

    #[test]
    fn solo_allievi_promossi_e_nessun_escluso_ripetuto() {
        let ds = demo();
        let p = piano(&ds, "master-diritto-energia");
        // Marchetti failed the exam: no parchment, and the reason is the certificates' to give.
        assert!(di(&p, "MRCGNN92D15H501N").is_none());
        assert!(p.esclusi.is_empty());
        assert!(p
            .documenti
            .iter()
            .all(|d| d.tipo == TipoDocumento::Pergamena));
        // No parchments outside the Master.
        assert!(piano(&ds, "perfezionamento-inclusione")
            .documenti
            .is_empty());
    }

    #[test]
    fn data_di_rilascio_del_corso_altrimenti_dell_esame() {
        let mut ds = demo();
        let d = dati(&ds, "master-dati-pa", DANGELO);
        assert_eq!(d.documento.data_iso.to_string(), "2027-01-15");
        assert_eq!(
            d.titolo.data_esame_il.as_deref(),
            Some("l'11 dicembre 2026")
        );
        for (_, c) in ds.corsi.iter_mut() {
            c.date.rilascio_attestati = None;
        }
        let d = dati(&ds, "master-dati-pa", DANGELO);
        assert_eq!(d.documento.data_iso.to_string(), "2026-12-11");
        assert_eq!(d.documento.data_il.as_deref(), Some("l'11 dicembre 2026"));
    }

    #[test]
    fn le_presenze_valgono_modulo_per_modulo() {
        let mut ds = demo();
        let corso = ds.corso("master-dati-pa").unwrap().clone();
        // Every module attended in full but one at half its hours (Art. 2.6).
        for (n, m) in corso.moduli.iter().enumerate() {
            ds.presenze.push(Presenza {
                corso: corso.id.clone(),
                codice_fiscale: DANGELO.into(),
                modulo: m.codice.clone(),
                ore: if n == 0 { Ore(m.ore.0 / 2) } else { m.ore },
                origine: Origine {
                    file: "presenze/prova.csv".into(),
                    riga: n + 2,
                    foglio: None,
                },
            });
        }
        assert!(di(&piano(&ds, "master-dati-pa"), DANGELO).is_none());
    }

    #[test]
    fn qualifiche_concordate_con_chi_firma() {
        let mut ds = demo();
        // The gender given wins over the title ("Prof.ssa" in the demo).
        ds.ateneo.rettore.genere = Some(Genere::Maschile);
        for (_, c) in ds.corsi.iter_mut() {
            c.dipartimento.direttore.genere = Some(Genere::Femminile);
        }
        let d = dati(&ds, "master-dati-pa", DANGELO);
        let qualifiche: Vec<&str> = d.firmatari.iter().map(|f| &*f.qualifica).collect();
        assert_eq!(
            qualifiche,
            [
                "Il Rettore",
                "Il Direttore Generale",
                "La Direttrice del Dipartimento"
            ]
        );
        assert_eq!(d.rettore.qualifica, "Il Rettore");
    }
}
