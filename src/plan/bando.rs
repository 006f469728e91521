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
use serde_json::{json, Value};

use super::{corso_json, firmatario, italiano, ufficio, Documento, Piano, TipoDocumento};
use crate::model::{
    Corso, Dataset, Decreto, Firmatario, ModalitaSelezione, TipoAttivita, TipoCorso,
};
use crate::rules;

pub(super) fn pianifica_corso(ds: &Dataset, corso: &Corso, ateneo: &Value, piano: &mut Piano) {
    piano.documenti.push(bando(ds, corso, ateneo));
}

/// The articles of the regulation a call cites, which differ by kind: the
/// regulation has one chapter for Masters, one for perfezionamento and one
/// for formazione/aggiornamento. Summer and winter schools fall under none
/// (Linee guida §6), so their calls cite only what is common (Art. 38).
#[derive(Default)]
struct Rinvii {
    requisiti: Option<&'static str>,
    estero: &'static str,
    selezione: Option<&'static str>,
    pochi_candidati: Option<&'static str>,
    cronologico: Option<&'static str>,
    revoca: Option<&'static str>,
    proroga: Option<&'static str>,
    agevolazioni: Option<&'static str>,
    frequenza: Option<&'static str>,
    prova: Option<&'static str>,
    ripetizione: Option<&'static str>,
    uditori: Option<&'static str>,
    corsi_singoli: Option<&'static str>,
    rimborsi: Option<&'static str>,
    rilascio: Option<&'static str>,
}

fn rinvii(tipo: TipoCorso) -> Rinvii {
    match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => Rinvii {
            requisiti: Some("art. 6"),
            estero: "art. 6, comma 6, e art. 38",
            selezione: Some("art. 7, comma 3"),
            pochi_candidati: Some("art. 7, comma 5"),
            cronologico: Some("art. 7, comma 3"),
            revoca: Some("art. 3, comma 6, e art. 7, comma 8"),
            proroga: Some("art. 7, comma 6"),
            agevolazioni: Some("art. 9"),
            frequenza: Some("art. 2, comma 6, e art. 10"),
            prova: Some("art. 11"),
            ripetizione: Some("art. 11, comma 2"),
            uditori: Some("art. 13"),
            corsi_singoli: Some("art. 12"),
            rimborsi: Some("art. 8"),
            rilascio: Some("art. 14"),
        },
        TipoCorso::Perfezionamento => Rinvii {
            requisiti: Some("art. 16 e art. 19"),
            estero: "art. 19, comma 2, e art. 38",
            selezione: Some("art. 19, comma 5"),
            pochi_candidati: Some("art. 19, comma 6"),
            revoca: Some("art. 17, comma 2"),
            agevolazioni: Some("art. 21"),
            frequenza: Some("art. 17, commi 8 e 9"),
            prova: Some("art. 23"),
            ripetizione: Some("art. 23, comma 3"),
            uditori: Some("art. 22"),
            rimborsi: Some("art. 20"),
            rilascio: Some("art. 17, comma 10"),
            ..Rinvii::default()
        },
        TipoCorso::Formazione | TipoCorso::Aggiornamento => Rinvii {
            requisiti: Some("art. 24 e art. 27"),
            estero: "art. 27, comma 2, e art. 38",
            selezione: Some("art. 27"),
            pochi_candidati: Some("art. 27, comma 5"),
            cronologico: Some("art. 27, comma 4"),
            revoca: Some("art. 25, comma 2"),
            agevolazioni: Some("art. 29"),
            frequenza: Some("art. 25, commi 5 e 6"),
            prova: Some("art. 31"),
            ripetizione: Some("art. 31, comma 3"),
            uditori: Some("art. 30"),
            rimborsi: Some("art. 28"),
            rilascio: Some("art. 25, comma 7"),
            ..Rinvii::default()
        },
        TipoCorso::SummerSchool | TipoCorso::WinterSchool => Rinvii {
            estero: "art. 38",
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

fn persona(f: &Firmatario) -> Value {
    json!({ "nome_completo": italiano::nome_firmatario(f), "genere": f.genere })
}

fn bando(ds: &Dataset, corso: &Corso, ateneo: &Value) -> Documento {
    let a = &ds.ateneo;
    let r = rinvii(corso.tipo);
    let master = corso.tipo.is_master();
    let scuola = matches!(
        corso.tipo,
        TipoCorso::SummerSchool | TipoCorso::WinterSchool
    );
    let euro = italiano::euro;

    // "il Master", "il corso", "la Summer School", with their prepositions.
    let (nome, femminile) = match corso.tipo {
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
    let breve = json!({
        "il": format!("{il} {nome}"),
        "del": format!("{del} {nome}"),
        "al": format!("{al} {nome}"),
        "femminile": femminile,
    });
    // "al Master universitario di I livello in «…»", "alla Summer School «…»".
    let corso_in = format!(
        "{al} {}{} «{}»",
        corso.tipo.denominazione(),
        if scuola { "" } else { " in" },
        corso.titolo
    );
    let intestazione = format!(
        "Bando di ammissione {corso_in} – anno accademico {}",
        corso.anno_accademico
    );

    let decreto = corso
        .attivazione
        .as_ref()
        .map(|d| cita_decreto(&a.regolamento.formato_decreto, d));

    let ore_totali = corso.ore_previste();
    let cfu_totali = corso.cfu_moduli();
    let moduli: Vec<Value> = corso
        .moduli
        .iter()
        .map(|m| {
            json!({
                "codice": m.codice,
                "titolo": m.titolo,
                "ssd": m.ssd.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "–".into()),
                "cfu": if m.cfu == 0 { "–".to_string() } else { m.cfu.to_string() },
                "ore": if m.ore.minutes() == 0 { "–".to_string() } else { m.ore.to_string() },
            })
        })
        .collect();
    let ha_stage = corso
        .moduli
        .iter()
        .any(|m| matches!(m.tipo, TipoAttivita::Stage));

    // Access titles (Art. 6, 16, 24) plus the course's own.
    let titoli = titoli_per_tipo(corso.tipo);
    let requisiti = if titoli.is_empty() && corso.titoli_accesso.is_empty() {
        Value::Null
    } else {
        json!({
            "titoli": titoli,
            // Art. 6.3: the secondary diploma is verified for Masters too
            // (nota ministeriale n. 8128 del 17 marzo 2020).
            "diploma": master,
            "specifici": corso.titoli_accesso,
        })
    };

    let cronologico = corso
        .selezione
        .contains(&ModalitaSelezione::OrdineCronologico);
    let modi = modalita(&corso.selezione);
    let prove = corso.selezione.iter().any(|m| {
        matches!(
            m,
            ModalitaSelezione::ProvaScritta
                | ModalitaSelezione::ProvaOrale
                | ModalitaSelezione::Colloquio
        )
    });
    let selezione = json!({
        "cronologico": cronologico,
        "modalita": elenco(&modi),
        "con_commissione": !modi.is_empty(),
        "prove": prove,
        "curriculum": corso.selezione.iter().any(|m| matches!(m, ModalitaSelezione::Titoli | ModalitaSelezione::Curriculum)),
    });

    let q = &corso.quote;
    let quote = json!({
        "gratuito": q.iscrizione.cents() == 0,
        "iscrizione": euro(q.iscrizione),
        "rate": q.rate.iter().map(|rt| json!({
            "importo": euro(rt.importo),
            "entro": format!("entro {}", italiano::data_con_articolo("il", rt.scadenza)),
        })).collect::<Vec<_>>(),
        "ammissione": q.ammissione.filter(|i| i.cents() > 0).map(euro),
        "bollo": euro(a.bollo.importo),
        // The regional right-to-study tax is due for Masters only (Linee guida §3).
        "tassa_regionale": a.regolamento.prelievi.tassa_regionale.filter(|i| master && i.cents() > 0).map(euro),
        "agevolazioni": q.agevolazioni,
    });
    let a_pagamento = q.iscrizione.cents() > 0
        || q.ammissione.is_some_and(|i| i.cents() > 0)
        || (corso.ammette_uditori && q.uditore.is_some_and(|i| i.cents() > 0))
        || (corso.ammette_corsi_singoli && q.corso_singolo_per_cfu.is_some_and(|i| i.cents() > 0));

    // Auditors (Art. 13, 22, 30) and single courses (Art. 12) only where admitted.
    let uditori = corso.ammette_uditori.then(|| {
        json!({
            "posti": corso.posti.uditori,
            "quota": q.uditore.map(euro),
            "stage": ha_stage,
        })
    });
    let corsi_singoli = corso.ammette_corsi_singoli.then(|| {
        json!({
            "posti": corso.posti.corsi_singoli,
            "quota_cfu": q.corso_singolo_per_cfu.map(euro),
        })
    });

    // Final exam: /100 for Masters, once only, by 31 March of the year after
    // the academic year (Art. 11); /30 with one retry otherwise (Art. 23, 31).
    let prova = corso.prova_finale.as_ref().map(|pf| {
        json!({
            "scala": pf.scala,
            "in": if pf.scala == 100 { "centesimi" } else if pf.scala == 30 { "trentesimi" } else { "" },
            "minimo": pf.minimo_superamento(),
            "descrizione": pf.descrizione,
            "data": corso.date.esame_finale.map(|d| italiano::data_con_articolo("il", d)),
            "limite": rules::limite_esame_master(corso).map(italiano::data),
            "ripetibile": !master,
        })
    });
    let rilascio = match corso.tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => "pergamena",
        TipoCorso::SummerSchool | TipoCorso::WinterSchool => "attestato",
        _ => "certificato",
    };

    let finanziamento = corso.finanziamento.as_ref().map(|f| {
        json!({
            "fonte": f.fonte,
            "codice_progetto": f.codice_progetto,
            "accreditamento": f.accreditamento_regionale,
        })
    });

    let firmatario_rettore = firmatario(&a.rettore, super::qualifica_rettore(&a.rettore));
    let data_bando = corso.date.bando;
    let aa = corso.anno_accademico.replace('/', "-");
    let id = italiano::slug(&corso.id);
    let percorso = format!("{aa}/{id}/bando/bando-{id}.pdf");
    let identificativo = format!("{}/{}/bando", corso.anno_accademico, corso.id);

    let mut corso_dati = corso_json(corso);
    corso_dati["breve"] = breve;

    let rinvii_json = json!({
        "requisiti": r.requisiti,
        "estero": r.estero,
        "selezione": r.selezione,
        "pochi_candidati": r.pochi_candidati,
        "cronologico": r.cronologico,
        "revoca": r.revoca,
        "proroga": r.proroga,
        "agevolazioni": r.agevolazioni,
        "frequenza": r.frequenza,
        "prova": r.prova,
        "ripetizione": r.ripetizione,
        "uditori": r.uditori,
        "corsi_singoli": if master { r.corsi_singoli } else { None },
        "rimborsi": r.rimborsi,
        "rilascio": r.rilascio,
    });

    // What the call says, by article (split in two: one `json!` this large
    // exceeds the macro recursion limit).
    let mut bando_dati = json!({
        "corso_in": corso_in,
        "decreto": decreto,
        "protocollo": corso.attivazione.as_ref().and_then(|d| d.protocollo.clone()),
        "regolamento": a.regolamento.nome,
        "emanazione_regolamento": a.regolamento.emanazione,
        "master": master,
        "scuola": scuola,
        "delibere": corso.delibere.iter().map(|d| json!({
            "organo": d.organo,
            "data": italiano::data(d.data),
            "oggetto": d.oggetto,
        })).collect::<Vec<_>>(),
        "finanziamento": finanziamento,
        "segreteria": ufficio(&corso.dipartimento.segreteria_didattica),
        "direttore": persona(&corso.direttore),
        // Art. 35: Masters have a Comitato Scientifico Didattico.
        "organo_comitato": if master { "Comitato Scientifico Didattico" } else { "Comitato scientifico" },
        "comitato": corso.comitato.iter().map(|c| json!({
            "nome_completo": match &c.titolo {
                Some(t) if !t.is_empty() => format!("{t} {} {}", c.nome, c.cognome),
                _ => format!("{} {}", c.nome, c.cognome),
            },
            "ruolo": c.ruolo,
        })).collect::<Vec<_>>(),
        "obiettivi": corso.obiettivi,
        "sbocchi": corso.sbocchi,
        "partner": corso.partner,
        "sede": corso.sede,
        "online": corso.sede.trim().eq_ignore_ascii_case("online"),
        "lingua": corso.lingua,
        "cfu": cfu_totali,
        "ore_impegno": migliaia(u64::from(cfu_totali) * u64::from(rules::ORE_PER_CFU)),
        "ore_per_cfu": rules::ORE_PER_CFU,
    });
    let seconda = json!({
        "moduli": moduli,
        "totale_cfu": cfu_totali,
        "totale_ore": ore_totali.to_string(),
        "stage": ha_stage,
        "posti": { "minimo": corso.posti.minimo, "massimo": corso.posti.massimo },
        "requisiti": requisiti,
        "domanda": corso.domanda,
        "scadenza": italiano::data(corso.date.scadenza),
        "scadenza_il": italiano::data_con_articolo("il", corso.date.scadenza),
        "selezione": selezione,
        "quote": quote,
        "a_pagamento": a_pagamento,
        "uditori": uditori,
        "corsi_singoli": corsi_singoli,
        "frequenza_minima": corso.frequenza_minima,
        "frequenza_il": percentuale_con_articolo(corso.frequenza_minima),
        "prova": prova,
        "rilascio": rilascio,
        "protezione_dati": a.protezione_dati,
        "responsabile": corso.responsabile_procedimento.as_ref().map(persona),
        "ufficio": ufficio(&a.ufficio_post_lauream),
        "sito_web": a.sito_web,
        "rinvii": rinvii_json,
    });
    if let (Some(b), Value::Object(resto)) = (bando_dati.as_object_mut(), seconda) {
        b.extend(resto);
    }

    let dati = json!({
        "documento": {
            "tipo": "bando",
            "intestazione": "Bando di ammissione",
            "titolo": intestazione,
            "identificativo": identificativo,
            "data_iso": data_bando.format("%Y-%m-%d").to_string(),
            "data": italiano::data(data_bando),
            "luogo": a.citta,
        },
        "ateneo": ateneo,
        "emittente": ufficio(&a.ufficio_post_lauream),
        "firmatario": firmatario_rettore,
        "corso": corso_dati,
        "bando": bando_dati,
    });
    Documento {
        tipo: TipoDocumento::Bando,
        corso: Some(corso.id.clone()),
        persona: None,
        template: "bando/main.typ".into(),
        percorso,
        titolo: intestazione,
        identificativo,
        dati: dati.into(),
        allegato: None,
    }
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
