//! One failing case per rule, each against an otherwise valid dataset.

use chrono::NaiveDate;
use serde_json::json;

use super::*;
use crate::diag::Gravita;
use crate::model::{Ateneo, Genere, Origine, Persona, Presenza, Uso, Voto};

fn data(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ateneo() -> Ateneo {
    serde_json::from_value(json!({
        "nome": "Università degli Studi di Prova",
        "citta": "Arezzo",
        "rettore": {"nome": "Anna", "cognome": "Neri", "titolo": "Prof.ssa", "genere": "F"},
        "direttore_generale": {"nome": "Luca", "cognome": "Bini", "genere": "M"},
        "ufficio_post_lauream": {"nome": "Ufficio Post Lauream"},
        "regolamento": {"nome": "Regolamento dei corsi di Alta Formazione"}
    }))
    .unwrap()
}

fn corso_json() -> serde_json::Value {
    json!({
        "id": "perf",
        "tipo": "perfezionamento",
        "titolo": "Diritto dei dati",
        "anno_accademico": "2025/2026",
        "dipartimento": {
            "nome": "Dipartimento di Giurisprudenza",
            "direttore": {"nome": "Marco", "cognome": "Sala", "genere": "M"},
            "segreteria_didattica": {"nome": "Segreteria didattica"}
        },
        "direttore": {"nome": "Paola", "cognome": "Riva", "genere": "F"},
        "sede": "Arezzo",
        "moduli": [
            {"codice": "M1", "titolo": "Fondamenti", "ssd": "IUS/01", "cfu": 10, "ore": 60,
             "docenti": [{"nome": "A", "cognome": "B", "interno": true}]},
            {"codice": "M2", "titolo": "Casi", "ssd": "IUS/02", "cfu": 10, "ore": 60,
             "docenti": [{"nome": "C", "cognome": "D", "interno": false}]}
        ],
        "posti": {"minimo": 1, "massimo": 30},
        "quote": {"iscrizione": "1200.00"},
        "selezione": ["titoli"],
        "date": {"bando": "2025-09-01", "scadenza": "2025-10-15", "inizio": "2025-11-10",
                 "fine": "2026-05-30", "esame_finale": "2026-06-15"},
        "prova_finale": {"scala": 30},
        "ammette_uditori": true
    })
}

fn dataset(corso: serde_json::Value) -> Dataset {
    Dataset {
        radice: std::path::PathBuf::from("."),
        ateneo: ateneo(),
        corsi: vec![(
            "corsi/perf.json".into(),
            serde_json::from_value(corso).unwrap(),
        )],
        iscrizioni: vec![],
        presenze: vec![],
    }
}

/// A valid allievo: Mario Rossi's textbook tax code.
fn iscrizione(riga: usize) -> Iscrizione {
    Iscrizione {
        corso: "perf".into(),
        persona: Persona {
            nome: "Mario".into(),
            cognome: "Rossi".into(),
            codice_fiscale: "RSSMRA85T10A562S".into(),
            data_nascita: data("1985-12-10"),
            luogo_nascita: "San Giuliano Terme (PI)".into(),
            genere: Genere::Maschile,
            email: None,
            laureato: true,
        },
        ruolo: Ruolo::Allievo,
        moduli: vec![],
        ore_frequentate: Some(Ore::from_hours(100)),
        esito: Some(Esito::Superato),
        voto: Some(Voto {
            valore: 28,
            lode: false,
            scala: None,
        }),
        voti_moduli: vec![],
        data_esame: Some(data("2026-06-15")),
        bollo: Some(Bollo::Virtuale),
        uso: Uso::Privati,
        data_rilascio: None,
        origine: Origine {
            file: "iscrizioni/perf.csv".into(),
            riga,
            foglio: None,
        },
    }
}

fn con_bollo_virtuale(mut ds: Dataset) -> Dataset {
    ds.ateneo.bollo.virtuale = Some(crate::model::BolloVirtuale {
        ufficio: "Ufficio territoriale di Arezzo".into(),
        autorizzazione_numero: "12345".into(),
        autorizzazione_data: data("2019-01-10"),
    });
    ds
}

/// Errors as "location: message" lines.
fn errori(ds: &Dataset) -> Vec<String> {
    valida(ds)
        .0
        .iter()
        .filter(|p| p.gravita == Gravita::Errore)
        .map(|p| format!("{}: {}", p.posizione, p.messaggio))
        .collect()
}

fn un_errore(ds: &Dataset, dove: &str, contiene: &str) {
    let e = errori(ds);
    assert!(
        e.iter().any(|l| l.contains(dove) && l.contains(contiene)),
        "atteso «{dove}» … «{contiene}» in {e:#?}"
    );
}

#[test]
fn dataset_valido_senza_errori() {
    let mut ds = con_bollo_virtuale(dataset(corso_json()));
    ds.iscrizioni.push(iscrizione(2));
    assert_eq!(errori(&ds), Vec::<String>::new());
}

#[test]
fn cfu_per_tipo() {
    let mut c = corso_json();
    c["moduli"][0]["cfu"] = json!(40);
    c["moduli"][0]["ore"] = json!(100);
    un_errore(&dataset(c), "corsi/perf.json, $.moduli", "da 15 a 45 CFU");

    let mut c = corso_json();
    c["tipo"] = json!("master_i");
    c["prova_finale"] = json!({"scala": 100});
    un_errore(&dataset(c), "$.moduli", "almeno 60 CFU");

    let mut c = corso_json();
    c["tipo"] = json!("formazione");
    un_errore(&dataset(c), "$.moduli", "al più 14 CFU");
}

#[test]
fn cfu_dichiarati_coerenti() {
    let mut c = corso_json();
    c["cfu"] = json!(21);
    un_errore(&dataset(c), "$.cfu", "sommano 20");
}

#[test]
fn un_cfu_venticinque_ore() {
    let mut c = corso_json();
    c["moduli"][1]["ore"] = json!(251);
    un_errore(&dataset(c), "$.moduli[1].ore", "1 CFU = 25 ore");
}

#[test]
fn frequenza_minima_almeno_75() {
    let mut c = corso_json();
    c["frequenza_minima"] = json!(70);
    un_errore(&dataset(c), "$.frequenza_minima", "tra 75% e 100%");
}

#[test]
fn scala_per_tipo() {
    let mut c = corso_json();
    c["prova_finale"] = json!({"scala": 100});
    un_errore(&dataset(c), "$.prova_finale.scala", "trentesimi");

    let mut c = corso_json();
    c["tipo"] = json!("master_ii");
    c["moduli"][0]["cfu"] = json!(50);
    c["moduli"][0]["ore"] = json!(300);
    un_errore(&dataset(c), "$.prova_finale.scala", "centesimi");
}

#[test]
fn voto_nella_scala() {
    let mut ds = con_bollo_virtuale(dataset(corso_json()));
    let mut i = iscrizione(7);
    i.voto = Some(Voto {
        valore: 95,
        lode: false,
        scala: None,
    });
    ds.iscrizioni.push(i);
    un_errore(
        &ds,
        "iscrizioni/perf.csv, riga 7, campo voto",
        "fuori scala",
    );
}

#[test]
fn codice_fiscale_controllato() {
    let mut ds = con_bollo_virtuale(dataset(corso_json()));
    let mut i = iscrizione(3);
    i.persona.codice_fiscale = "RSSMRA85T10A562T".into();
    ds.iscrizioni.push(i);
    un_errore(
        &ds,
        "riga 3, campo codice_fiscale",
        "carattere di controllo",
    );
}

#[test]
fn date_in_ordine() {
    let mut c = corso_json();
    c["date"]["inizio"] = json!("2025-10-01");
    un_errore(&dataset(c), "$.date.inizio", "scadenza");

    let mut c = corso_json();
    c["date"]["fine"] = json!("2025-11-01");
    un_errore(&dataset(c), "$.date.fine", "precede");

    let mut c = corso_json();
    c["date"]["scadenza"] = json!("2025-08-01");
    un_errore(&dataset(c), "$.date.scadenza", "precede");
}

#[test]
fn proroga_al_massimo_trenta_giorni() {
    let mut c = corso_json();
    c["date"]["proroghe"] = json!([{"nuova_scadenza": "2025-11-05"}]);
    c["date"]["inizio"] = json!("2025-11-20");
    let ok = dataset(c.clone());
    assert!(
        errori(&ok).is_empty(),
        "21 giorni sono ammessi: {:?}",
        errori(&ok)
    );
    c["date"]["proroghe"] =
        json!([{"nuova_scadenza": "2025-11-05"}, {"nuova_scadenza": "2025-11-16"}]);
    un_errore(
        &dataset(c),
        "$.date.proroghe[1].nuova_scadenza",
        "massimo è 30 giorni",
    );
}

#[test]
fn esame_master_entro_31_marzo() {
    let mut c = corso_json();
    c["tipo"] = json!("master_i");
    c["prova_finale"] = json!({"scala": 100});
    c["moduli"][0]["cfu"] = json!(50);
    c["moduli"][0]["ore"] = json!(300);
    c["date"]["esame_finale"] = json!("2027-04-02");
    un_errore(&dataset(c), "$.date.esame_finale", "entro il 2027-03-31");
}

#[test]
fn uditori_senza_voto_ne_cfu() {
    let mut ds = dataset(corso_json());
    let mut i = iscrizione(4);
    i.ruolo = Ruolo::Uditore;
    i.bollo = None;
    ds.iscrizioni.push(i);
    un_errore(&ds, "riga 4, campo voto", "uditori non sostengono");
    un_errore(&ds, "riga 4, campo esito", "uditori");
}

#[test]
fn uditori_solo_se_ammessi() {
    let mut c = corso_json();
    c["ammette_uditori"] = json!(false);
    let mut ds = dataset(c);
    let mut i = iscrizione(2);
    i.ruolo = Ruolo::Uditore;
    (i.voto, i.esito, i.data_esame, i.bollo) = (None, None, None, None);
    ds.iscrizioni.push(i);
    un_errore(&ds, "riga 2, campo ruolo", "non ammette uditori");
}

#[test]
fn corso_singolo_con_moduli_esistenti() {
    let mut c = corso_json();
    c["ammette_corsi_singoli"] = json!(true);
    let mut ds = con_bollo_virtuale(dataset(c));
    let mut i = iscrizione(5);
    i.ruolo = Ruolo::CorsoSingolo;
    i.moduli = vec!["M9".into()];
    i.ore_frequentate = Some(Ore::from_hours(10));
    ds.iscrizioni.push(i);
    un_errore(&ds, "riga 5, campo moduli", "«M9» non esiste");
}

#[test]
fn corso_sconosciuto() {
    let mut ds = con_bollo_virtuale(dataset(corso_json()));
    let mut i = iscrizione(9);
    i.corso = "master-inesistente".into();
    ds.iscrizioni.push(i);
    un_errore(&ds, "riga 9, campo corso", "non esiste");
}

#[test]
fn iscrizione_doppia() {
    let mut ds = con_bollo_virtuale(dataset(corso_json()));
    ds.iscrizioni.push(iscrizione(2));
    ds.iscrizioni.push(iscrizione(3));
    un_errore(&ds, "riga 3, campo codice_fiscale", "già iscritto");
}

#[test]
fn ore_non_oltre_le_previste() {
    let mut ds = con_bollo_virtuale(dataset(corso_json()));
    let mut i = iscrizione(2);
    i.ore_frequentate = Some(Ore::from_hours(121));
    ds.iscrizioni.push(i);
    un_errore(
        &ds,
        "riga 2, campo ore_frequentate",
        "121 ore frequentate su 120",
    );
}

#[test]
fn bollo_virtuale_richiede_autorizzazione() {
    let mut ds = dataset(corso_json());
    ds.iscrizioni.push(iscrizione(2));
    un_errore(&ds, "riga 2, campo bollo", "autorizzazione");
}

#[test]
fn didattica_interna_almeno_venti_per_cento() {
    let mut c = corso_json();
    c["moduli"][0]["docenti"][0]["interno"] = json!(false);
    un_errore(&dataset(c), "$.moduli", "almeno il 20%");
}

#[test]
fn presenze_su_moduli_esistenti() {
    let mut ds = con_bollo_virtuale(dataset(corso_json()));
    ds.iscrizioni.push(iscrizione(2));
    ds.iscrizioni[0].ore_frequentate = None;
    ds.presenze.push(Presenza {
        corso: "perf".into(),
        codice_fiscale: "RSSMRA85T10A562S".into(),
        modulo: "M7".into(),
        ore: Ore::from_hours(3),
        origine: Origine {
            file: "presenze/perf.csv".into(),
            riga: 2,
            foglio: None,
        },
    });
    un_errore(
        &ds,
        "presenze/perf.csv, riga 2, campo modulo",
        "«M7» non esiste",
    );
}

// Eligibility

#[test]
fn frequenza_sotto_la_soglia_niente_titolo() {
    let ds = dataset(corso_json());
    let corso = &ds.corsi[0].1;
    let mut i = iscrizione(2);
    i.ore_frequentate = Some(Ore::from_hours(89)); // 74,1% of 120
    let v = valuta(corso, &i, &[]);
    assert!(!v.frequenza_sufficiente);
    assert!(v.titolo.unwrap_err().contains("74,1%"));
    i.ore_frequentate = Some(Ore::from_hours(90)); // exactly 75%
    assert_eq!(
        valuta(corso, &i, &[]).titolo,
        Ok(Titolo::CertificatoPartecipazione)
    );
}

#[test]
fn soglia_per_ogni_modulo_dalle_presenze() {
    let ds = dataset(corso_json());
    let corso = &ds.corsi[0].1;
    let i = iscrizione(2);
    let riga = |m: &str, h| Presenza {
        corso: "perf".into(),
        codice_fiscale: i.persona.codice_fiscale.clone(),
        modulo: m.into(),
        ore: Ore::from_hours(h),
        origine: Origine {
            file: "presenze/p.csv".into(),
            riga: 2,
            foglio: None,
        },
    };
    // 100 of 120 hours in total, but only 40 of 60 (66%) in M2.
    let (a, b) = (riga("M1", 60), riga("M2", 40));
    let v = valuta(corso, &i, &[&a, &b]);
    assert_eq!(v.ore_frequentate, Some(Ore::from_hours(100)));
    assert_eq!(v.moduli_insufficienti, vec!["Casi".to_string()]);
    assert!(v.titolo.is_err());
}

#[test]
fn prova_non_superata_niente_titolo() {
    let ds = dataset(corso_json());
    let mut i = iscrizione(2);
    (i.esito, i.voto) = (Some(Esito::NonSuperato), None);
    let v = valuta(&ds.corsi[0].1, &i, &[]);
    assert_eq!(v.titolo, Err("prova finale non superata".into()));
    assert_eq!(v.cfu, 0);
}

#[test]
fn uditore_carta_libera_senza_cfu() {
    let ds = dataset(corso_json());
    let mut i = iscrizione(2);
    i.ruolo = Ruolo::Uditore;
    (i.voto, i.esito) = (None, None);
    let v = valuta(&ds.corsi[0].1, &i, &[]);
    assert_eq!(v.titolo, Ok(Titolo::AttestatoUditore));
    assert_eq!(v.cfu, 0);
}

#[test]
fn percentuali_italiane() {
    assert_eq!(percentuale(8750), "87,5%");
    assert_eq!(percentuale(10000), "100%");
    assert_eq!(percentuale(7416), "74,1%");
}

#[test]
fn numeri_di_decreto_unici_nell_anno() {
    let mut c = corso_json();
    c["attivazione"] = json!({"numero": "612", "data": "2025-09-01"});
    c["commissione"] = json!({
        "decreto": {"numero": "612", "data": "2025-10-16"},
        "componenti": [{"nome": "A", "cognome": "B", "ruolo": "Presidente"}, {"nome": "C", "cognome": "D"}]
    });
    un_errore(
        &dataset(c),
        "$.commissione.decreto.numero",
        "n. 612 del 2025 è già usato",
    );
}

#[test]
fn proroga_decretata_prima_della_scadenza() {
    let mut c = corso_json();
    c["date"]["proroghe"] =
        json!([{"nuova_scadenza": "2025-11-05", "decreto": {"numero": "9", "data": "2025-10-20"}}]);
    c["date"]["inizio"] = json!("2025-11-20");
    un_errore(
        &dataset(c),
        "$.date.proroghe[0].decreto.data",
        "successivo alla scadenza",
    );
}

#[test]
fn graduatoria_entro_i_posti() {
    let mut c = corso_json();
    c["posti"]["massimo"] = json!(1);
    c["posti"]["minimo"] = json!(1);
    let k = |n: &str| json!({"cognome": n, "nome": "X", "punteggio": "70,00", "esito": "ammesso"});
    c["graduatoria"] =
        json!({"decreto": {"numero": "20", "data": "2025-11-01"}, "candidati": [k("A"), k("B")]});
    un_errore(
        &dataset(c),
        "$.graduatoria.candidati",
        "2 candidati ammessi su 1 posti",
    );
}

#[test]
fn commissione_di_almeno_due_membri() {
    let mut c = corso_json();
    c["commissione"] = json!({"decreto": {"numero": "30", "data": "2025-10-16"}, "componenti": [{"nome": "A", "cognome": "B"}]});
    un_errore(&dataset(c), "$.commissione.componenti", "almeno due membri");
}

#[test]
fn rate_che_sommano_alla_quota() {
    let mut c = corso_json();
    c["quote"]["rate"] = json!([{"importo": "600.00", "scadenza": "2025-11-01"}, {"importo": "500.00", "scadenza": "2026-02-01"}]);
    un_errore(
        &dataset(c),
        "$.quote.rate",
        "le rate sommano € 1.100,00, la quota di iscrizione è € 1.200,00",
    );
}

#[test]
fn commissione_nominata_prima_della_graduatoria() {
    let mut c = corso_json();
    c["commissione"] = json!({
        "decreto": {"numero": "31", "data": "2025-10-30"},
        "componenti": [{"nome": "A", "cognome": "B"}, {"nome": "C", "cognome": "D"}]
    });
    c["graduatoria"] = json!({"decreto": {"numero": "32", "data": "2025-10-20"}, "candidati": []});
    un_errore(
        &dataset(c),
        "$.graduatoria.decreto.data",
        "prima della nomina della commissione",
    );
}

#[test]
fn protocolli_unici() {
    let mut c = corso_json();
    c["attivazione"] = json!({"numero": "1", "data": "2025-09-01", "protocollo": "prot. n. 7"});
    c["graduatoria"] = json!({"decreto": {"numero": "2", "data": "2025-10-20", "protocollo": "prot. n. 7"}, "candidati": []});
    un_errore(&dataset(c), "$.graduatoria.decreto.protocollo", "già usato");
}

#[test]
fn url_di_verifica_deve_essere_un_indirizzo_web() {
    let mut a = ateneo();
    let ds = |a: &Ateneo| Dataset {
        radice: std::path::PathBuf::from("."),
        ateneo: a.clone(),
        corsi: vec![],
        iscrizioni: vec![],
        presenze: vec![],
    };
    a.url_verifica = Some("https://verifica.ateneo.example/".into());
    assert!(!valida(&ds(&a)).ha_errori());
    for errato in [
        "verifica.ateneo.example",
        "https://ateneo.example/verifica ?c=",
        "https://",
    ] {
        a.url_verifica = Some(errato.into());
        let p = valida(&ds(&a));
        assert!(p.ha_errori(), "{errato}");
        assert!(p.to_string().contains("url_verifica"), "{p}");
    }
}

/// Messages name the kind as Italian writes it inside a sentence: "master
/// universitario di II livello", never "ii livello".
#[test]
fn il_livello_del_master_resta_in_numeri_romani() {
    assert_eq!(
        iniziale_minuscola("Master universitario di II livello"),
        "master universitario di II livello"
    );
    assert_eq!(
        iniziale_minuscola("Corso di perfezionamento"),
        "corso di perfezionamento"
    );
    assert_eq!(iniziale_minuscola(""), "");
}

#[test]
fn informazioni_del_bando_coerenti() {
    let mut c = corso_json();
    c["informazioni_bando"] = json!({
        "data_selezione": "2025-10-20",
        "criteri_selezione": [
            {"descrizione": "titoli", "punti": 40},
            {"descrizione": "colloquio", "punti": 60}
        ],
        "punteggio_minimo": 60,
        "immatricolazione_entro": "2025-11-03",
        "borse": [{"numero": 2, "importo": 500}]
    });
    assert_eq!(errori(&dataset(c.clone())), Vec::<String>::new());

    let mut k = c.clone();
    k["informazioni_bando"]["punteggio_minimo"] = json!(120);
    un_errore(
        &dataset(k),
        "$.informazioni_bando.punteggio_minimo",
        "superiore al massimo 100,00",
    );

    let mut k = c.clone();
    k["informazioni_bando"]["immatricolazione_entro"] = json!("2025-12-01");
    un_errore(
        &dataset(k),
        "$.informazioni_bando.immatricolazione_entro",
        "deve cadere tra la scadenza delle domande",
    );

    let mut k = c.clone();
    k["informazioni_bando"]["data_selezione"] = json!("2025-10-01");
    un_errore(
        &dataset(k),
        "$.informazioni_bando.data_selezione",
        "2025-10-01",
    );

    let mut k = c.clone();
    k["informazioni_bando"]["borse"][0]["numero"] = json!(0);
    un_errore(
        &dataset(k),
        "$.informazioni_bando.borse[0]",
        "maggiori di zero",
    );

    let mut k = c;
    k["graduatoria"] = json!({
        "decreto": {"numero": "9", "data": "2025-10-25"},
        "punteggio_massimo": 30,
        "candidati": []
    });
    un_errore(
        &dataset(k),
        "$.graduatoria.punteggio_massimo",
        "sommano 100,00",
    );
}
