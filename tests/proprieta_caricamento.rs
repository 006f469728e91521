//! Property tests of the loaders: whatever bytes a register or a JSON file
//! holds, loading and validating never panic, and either give a dataset or
//! errors that say where (file, and row or JSON path). Case counts are
//! bounded so the whole file runs in seconds.

mod common;

use common::*;
use lauream::diag::{Gravita, Problemi};
use lauream::input::{roster, tabella};
use proptest::prelude::*;

/// Loads a table from bytes saved as `nome` and reads it both as a roster
/// and as an attendance register; checks every problem's position.
fn carica_tabella(bytes: &[u8], nome: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(nome.rsplit('/').next().unwrap());
    std::fs::write(&p, bytes).unwrap();
    match tabella::leggi(&p, nome) {
        Err(e) => prop_assert!(!e.trim().is_empty()),
        Ok(t) => {
            let mut problemi = Problemi::default();
            let iscrizioni = roster::iscrizioni(&t, &mut problemi);
            let presenze = roster::presenze(&t, &mut problemi);
            for p in &problemi.0 {
                prop_assert_eq!(&p.posizione.file, nome);
                if p.gravita == Gravita::Errore {
                    prop_assert!(p.posizione.riga.is_some(), "errore senza riga: {}", p);
                }
                prop_assert!(!p.messaggio.is_empty());
            }
            // What was read keeps the row it came from.
            for i in &iscrizioni {
                prop_assert!(t.righe.iter().any(|r| r.numero == i.origine.riga));
            }
            for p in &presenze {
                prop_assert!(t.righe.iter().any(|r| r.numero == p.origine.riga));
            }
        }
    }
    Ok(())
}

/// Cells that break parsers: separators, quotes, markup, numbers in many
/// forms, dates, control characters, very long text.
fn cella() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\"".to_string()),
        Just("\"\"".to_string()),
        Just(";".to_string()),
        Just(",".to_string()),
        Just("perfezionamento-mediazione".to_string()),
        Just("allievo".to_string()),
        Just("uditore".to_string()),
        Just("corso_singolo".to_string()),
        Just("superato".to_string()),
        Just("contrassegno".to_string()),
        Just("esente".to_string()),
        Just("BNDCLR86D58D612T".to_string()),
        Just("30 e lode".to_string()),
        Just("#panic(\"x\")".to_string()),
        Just("99999999999999999999".to_string()),
        Just("4294967295:59".to_string()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("NaN".to_string()),
        Just("31/02/2025".to_string()),
        Just("0000-00-00".to_string()),
        "[0-9]{1,12}([.,:][0-9]{0,4})?",
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{1,5}",
        "\\PC{0,30}",
        ".{0,30}",
        "[a-zA-Z ]{500,2100}",
    ]
}

const COLONNE: &[&str] = &[
    "corso",
    "cognome",
    "nome",
    "codice_fiscale",
    "data_nascita",
    "luogo_nascita",
    "ruolo",
    "genere",
    "laureato",
    "moduli",
    "ore_frequentate",
    "esito",
    "voto",
    "lode",
    "data_esame",
    "bollo",
    "bollo_numero",
    "bollo_data",
    "bollo_esenzione",
    "uso",
    "data_rilascio",
    "modulo",
    "ore",
    "sconosciuta",
];

/// A CSV that looks like a register: a header of real and unknown columns
/// and rows of awkward cells, with a random separator and row lengths.
fn csv_plausibile() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::subsequence(COLONNE, 1..COLONNE.len()),
        prop::collection::vec(prop::collection::vec(cella(), 0..26), 0..6),
        prop::sample::select(vec![",", ";", "\t"]),
        any::<bool>(),
    )
        .prop_map(|(colonne, righe, sep, latin1)| {
            let mut s = colonne.join(sep);
            s.push('\n');
            for r in righe {
                s.push_str(&r.join(sep));
                s.push('\n');
            }
            if latin1 {
                encoding_rs::WINDOWS_1252.encode(&s).0.into_owned()
            } else {
                s.into_bytes()
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn csv_arbitrario_mai_in_panico(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        carica_tabella(&bytes, "iscrizioni/x.csv")?;
    }

    #[test]
    fn csv_plausibile_mai_in_panico(bytes in csv_plausibile()) {
        carica_tabella(&bytes, "iscrizioni/x.csv")?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A real workbook with bytes changed here and there (a damaged download).
    #[test]
    fn xlsx_danneggiato_mai_in_panico(
        modifiche in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20)
    ) {
        let mut bytes = std::fs::read(fixture("roster-pair/roster.xlsx")).unwrap();
        for (i, b) in modifiche {
            let i = i.index(bytes.len());
            bytes[i] = b;
        }
        carica_tabella(&bytes, "iscrizioni/x.xlsx")?;
    }

    #[test]
    fn xlsx_arbitrario_mai_in_panico(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        carica_tabella(&bytes, "iscrizioni/x.xlsx")?;
    }

    /// A valid workbook whose cells hold anything: text, numbers of any
    /// size, formulas with cached values.
    #[test]
    fn xlsx_con_celle_arbitrarie_mai_in_panico(
        colonne in prop::sample::subsequence(COLONNE, 1..COLONNE.len()),
        celle in prop::collection::vec((0u32..8, 0u16..26, cella(), any::<f64>(), 0u8..3), 0..40),
    ) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in colonne.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, c, testo, numero, tipo) in celle {
            let _ = match tipo {
                0 => ws.write_string(r + 1, c, &testo).map(|_| ()),
                1 => ws.write_number(r + 1, c, numero).map(|_| ()),
                _ => ws
                    .write_formula(r + 1, c, rust_xlsxwriter::Formula::new("=1").set_result(&testo))
                    .map(|_| ()),
            };
        }
        let bytes = wb.save_to_buffer().unwrap();
        carica_tabella(&bytes, "iscrizioni/x.xlsx")?;
    }
}

/// Writes `bytes` over one file of a copy of the minimal dataset and runs
/// loading and validation: never a panic; a refused dataset has errors, each
/// naming a file.
fn controlla_con(rel: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    copia(&fixture("minimal"), dir.path());
    std::fs::write(dir.path().join(rel), bytes).unwrap();
    let (ds, problemi) = lauream::controlla(dir.path());
    if ds.is_none() {
        prop_assert!(problemi.ha_errori());
    }
    for p in problemi.errori() {
        prop_assert!(!p.posizione.file.is_empty(), "errore senza file: {}", p);
    }
    Ok(())
}

/// Paths of every scalar in a JSON value.
fn foglie(v: &serde_json::Value, percorso: Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                let mut p = percorso.clone();
                p.push(k.clone());
                foglie(x, p, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut p = percorso.clone();
                p.push(i.to_string());
                foglie(x, p, out);
            }
        }
        _ => out.push(percorso),
    }
}

fn valore_json() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finito", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        cella().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        any::<bool>().prop_map(serde_json::Value::from),
    ]
}

fn corso_minimal() -> serde_json::Value {
    serde_json::from_slice(
        &std::fs::read(fixture("minimal/corsi/perfezionamento-mediazione.json")).unwrap(),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn json_arbitrario_mai_in_panico(bytes in prop::collection::vec(any::<u8>(), 0..400), ateneo in any::<bool>()) {
        let rel = if ateneo { "ateneo.json" } else { "corsi/perfezionamento-mediazione.json" };
        controlla_con(rel, &bytes)?;
    }

    /// A valid course file with some values replaced by anything (huge
    /// numbers, negative hours, text where numbers go): validation and its
    /// arithmetic never panic.
    #[test]
    fn corso_con_valori_arbitrari_mai_in_panico(
        scelte in prop::collection::vec((any::<prop::sample::Index>(), valore_json()), 1..4)
    ) {
        let mut corso = corso_minimal();
        let mut percorsi = Vec::new();
        foglie(&corso, Vec::new(), &mut percorsi);
        for (i, v) in scelte {
            let p = &percorsi[i.index(percorsi.len())];
            let puntatore = format!("/{}", p.join("/"));
            if let Some(x) = corso.pointer_mut(&puntatore) {
                *x = v;
            }
        }
        controlla_con(
            "corsi/perfezionamento-mediazione.json",
            &serde_json::to_vec(&corso).unwrap(),
        )?;
    }
}

#[test]
fn il_campione_di_partenza_e_valido() {
    // The mutations above start from a valid dataset: otherwise they would
    // only ever test the first error.
    let (ds, problemi) = lauream::controlla(&fixture("minimal"));
    assert!(ds.is_some(), "{problemi}");
}
