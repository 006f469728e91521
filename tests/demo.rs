//! Builds `fixtures/demo` with the real binary and checks the certificates
//! through the text `pdftotext` extracts from them.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The demo built once for every test in this file.
fn demo() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = lauream_build(&fixture("demo"), dir.path(), &[]);
        assert!(
            out.status.success(),
            "build fallita:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

fn indice(out: &Path) -> Vec<Value> {
    indice_di(out)
}

/// The certificates in the index.
fn attestati(out: &Path) -> Vec<Value> {
    indice(out)
        .into_iter()
        .filter(|d| d["kind"] == "attestato")
        .collect()
}

/// Roster rows of the demo, read straight from the CSV files (independently
/// of the program's loader): tax code → (course, name, surname, role).
fn righe_csv() -> HashMap<(String, String), HashMap<String, String>> {
    let mut out = HashMap::new();
    for f in std::fs::read_dir(fixture("demo/iscrizioni")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().unwrap() != "csv" {
            continue;
        }
        let mut r = csv::Reader::from_path(&p).unwrap();
        let h = r.headers().unwrap().clone();
        for rec in r.records() {
            let rec = rec.unwrap();
            let m: HashMap<String, String> = h
                .iter()
                .zip(rec.iter())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            out.insert((m["corso"].clone(), m["codice_fiscale"].clone()), m);
        }
    }
    out
}

fn corso(id: &str) -> Value {
    serde_json::from_slice(
        &std::fs::read(fixture("demo/corsi").join(format!("{id}.json"))).unwrap(),
    )
    .unwrap()
}

#[test]
fn indice_elenca_ogni_documento_con_hash_corretto() {
    let out = demo();
    let docs = indice(out);
    assert!(
        attestati(out).len() >= 30,
        "attesi almeno 30 attestati, trovati {}",
        attestati(out).len()
    );
    // Every document file outside the archive folders (bags/, ocfl/).
    let mut pdf_su_disco: Vec<String> = file_sotto(out)
        .into_iter()
        .filter(|f| f.starts_with("2025-2026/"))
        .collect();
    pdf_su_disco.sort();
    let mut percorsi: Vec<String> = docs
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    percorsi.sort();
    assert_eq!(
        percorsi, pdf_su_disco,
        "l'indice elenca esattamente i PDF scritti"
    );
    let kinds = ["bando", "decreto", "pergamena", "attestato", "dossier"];
    for d in &docs {
        assert!(kinds.contains(&d["kind"].as_str().unwrap()), "{d}");
        assert!(d["course"].is_string() || d["course"].is_null());
        // Person-level documents name their person; course-level ones do not.
        let personale = matches!(d["kind"].as_str().unwrap(), "attestato" | "pergamena");
        assert_eq!(d["person"].is_string(), personale, "{d}");
        let bytes = std::fs::read(out.join(d["path"].as_str().unwrap())).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(
            d["sha256"].as_str().unwrap(),
            hex::encode(Sha256::digest(&bytes)),
            "{}",
            d["path"]
        );
    }
    // No staging or temporary files left behind.
    assert!(
        file_sotto(out).iter().all(|f| !f.contains(".lauream-")),
        "{:?}",
        file_sotto(out)
    );
}

#[test]
fn ogni_attestato_nomina_persona_corso_e_ore() {
    let out = demo();
    let righe = righe_csv();
    let mut controllati = 0;
    for d in attestati(out) {
        let (c, cf) = (d["course"].as_str().unwrap(), d["person"].as_str().unwrap());
        let testo = testo_pdf(&out.join(d["path"].as_str().unwrap()));
        let corso = corso(c);
        let titolo = normalizza(corso["titolo"].as_str().unwrap());
        assert!(
            testo.contains(&titolo),
            "{c}: manca il titolo del corso «{titolo}» in: {testo}"
        );
        assert!(testo.contains(cf), "manca il codice fiscale {cf}");
        assert!(testo.contains(corso["anno_accademico"].as_str().unwrap()));
        assert!(
            testo.contains("non può essere prodotto agli organi della pubblica amministrazione")
                || testo.contains("rilasciato solo per l'estero"),
            "manca l'avvertenza art. 40: {testo}"
        );
        if let Some(riga) = righe.get(&(c.to_string(), cf.to_string())) {
            let nome = format!("{} {}", riga["nome"], riga["cognome"]);
            assert!(testo.contains(&nome), "manca «{nome}» in: {testo}");
            let ore = &riga["ore_frequentate"];
            if !ore.is_empty() {
                assert!(
                    testo.contains(&format!("{ore} ore sulle")),
                    "mancano le ore «{ore}» in: {testo}"
                );
            }
            controllati += 1;
        }
    }
    assert!(
        controllati >= 20,
        "solo {controllati} attestati confrontati con i CSV"
    );
}

#[test]
fn uditori_in_carta_libera_senza_cfu() {
    let out = demo();
    let uditori: Vec<_> = attestati(out)
        .into_iter()
        .filter(|d| d["path"].as_str().unwrap().contains("/attestato-uditore-"))
        .collect();
    assert!(uditori.len() >= 3, "attesi almeno 3 attestati di uditori");
    for d in uditori {
        let t = testo_pdf(&out.join(d["path"].as_str().unwrap()));
        assert!(t.contains("carta libera"), "{t}");
        assert!(t.contains("ATTESTATO DI PARTECIPAZIONE"), "{t}");
        assert!(!t.contains("CFU"), "un uditore non acquisisce CFU: {t}");
        assert!(!t.contains("Imposta di bollo sul presente"), "{t}");
        assert!(!t.contains("votazione"), "{t}");
    }
}

#[test]
fn nessun_attestato_sotto_la_frequenza_minima() {
    let out = demo();
    let docs = attestati(out);
    let persone: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d["course"].as_str().unwrap(), d["person"].as_str().unwrap()))
        .collect();
    // Below the minimum in the demo data (see fixtures/README.md).
    for (c, cf) in [
        ("master-dati-pa", "CCCMRT96S63A944H"),
        ("master-dati-pa", "GLLRRT65S02D969G"),
        ("perfezionamento-inclusione", "MRNGPP72M18A662G"),
    ] {
        assert!(
            !persone.contains(&(c, cf)),
            "{cf} è sotto la soglia ma ha un attestato"
        );
    }
    // And every percentage printed is at least the course's minimum.
    for d in &docs {
        let t = testo_pdf(&out.join(d["path"].as_str().unwrap()));
        let minimo = corso(d["course"].as_str().unwrap())["frequenza_minima"]
            .as_u64()
            .unwrap_or(75) as f64;
        let inizio = t.find("previste (").expect("percentuale di frequenza") + "previste (".len();
        let fine = inizio + t[inizio..].find('%').unwrap();
        let perc: f64 = t[inizio..fine].replace(',', ".").parse().unwrap();
        assert!(
            perc >= minimo,
            "{}: frequenza {perc}% sotto il minimo {minimo}%",
            d["path"]
        );
    }
}

#[test]
fn bollo_dichiarato_come_pagato() {
    let out = demo();
    let righe = righe_csv();
    let mut visti = [0; 3];
    for d in attestati(out) {
        let (c, cf) = (d["course"].as_str().unwrap(), d["person"].as_str().unwrap());
        let Some(r) = righe.get(&(c.to_string(), cf.to_string())) else {
            continue;
        };
        let t = testo_pdf(&out.join(d["path"].as_str().unwrap()));
        match r.get("bollo").map(String::as_str).unwrap_or("") {
            "contrassegno" => {
                assert!(
                    t.contains(&format!("contrassegno telematico n. {}", r["bollo_numero"])),
                    "{t}"
                );
                visti[0] += 1;
            }
            "virtuale" => {
                assert!(
                    t.contains(
                        "assolta in modo virtuale ai sensi dell'art. 15 del D.P.R. 642/1972"
                    ),
                    "{t}"
                );
                assert!(t.contains("Autorizzazione Agenzia delle Entrate"), "{t}");
                visti[1] += 1;
            }
            "esente" => {
                assert!(t.contains("esenzione dall'imposta di bollo"), "{t}");
                visti[2] += 1;
            }
            _ => {}
        }
    }
    assert!(
        visti.iter().all(|&n| n > 0),
        "ogni modo di pagamento compare nel demo: {visti:?}"
    );
}

#[test]
fn italiano_concordato_con_la_persona() {
    let out = demo();
    let righe = righe_csv();
    for d in attestati(out) {
        let (c, cf) = (d["course"].as_str().unwrap(), d["person"].as_str().unwrap());
        let Some(r) = righe.get(&(c.to_string(), cf.to_string())) else {
            continue;
        };
        let t = testo_pdf(&out.join(d["path"].as_str().unwrap()));
        match r.get("genere").map(String::as_str) {
            Some("F") => assert!(t.contains(" nata a ") && !t.contains("nato/a"), "{t}"),
            Some("M") => assert!(t.contains(" nato a ") && !t.contains("nato/a"), "{t}"),
            _ => assert!(
                t.contains("data e luogo di nascita: ") && !t.contains("nato/a"),
                "genere non indicato: forme senza genere, mai con la barra: {t}"
            ),
        }
    }
}

#[test]
fn filtri_corso_e_tipo() {
    let dir = tempfile::tempdir().unwrap();
    let out = lauream_build(
        &fixture("demo"),
        dir.path(),
        &["--course", "summer-school-paesaggi", "--kind", "attestato"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = indice(dir.path());
    assert!(!docs.is_empty());
    assert!(docs.iter().all(|d| d["course"] == "summer-school-paesaggi"));
    assert!(file_sotto(dir.path())
        .iter()
        .filter(|f| f.ends_with(".pdf"))
        .all(|f| f.contains("summer-school-paesaggi")));

    let sconosciuto = lauream_build(&fixture("demo"), dir.path(), &["--course", "nessuno"]);
    assert!(!sconosciuto.status.success());
    assert!(String::from_utf8_lossy(&sconosciuto.stderr).contains("«nessuno» non esiste"));
}

#[test]
fn ricostruzione_identica_e_niente_sovrascritture_silenziose() {
    let dir = tempfile::tempdir().unwrap();
    let args = argomenti_build(
        &fixture("demo"),
        dir.path(),
        &["--course", "formazione-enoturismo"],
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(lauream(&args).status.success());
    let prima = std::fs::read(dir.path().join("index.json")).unwrap();
    assert!(lauream(&args).status.success());
    assert_eq!(
        prima,
        std::fs::read(dir.path().join("index.json")).unwrap(),
        "stessi dati, stessi byte"
    );

    // An issued document that would change is not replaced without --overwrite.
    let doc = indice(dir.path())[0]["path"].as_str().unwrap().to_string();
    let p: PathBuf = dir.path().join(&doc);
    let mut alterato = std::fs::read(&p).unwrap();
    alterato.extend_from_slice(b"\n% nota a mano\n");
    std::fs::write(&p, &alterato).unwrap();
    let r = lauream(&args);
    assert!(!r.status.success());
    assert!(
        String::from_utf8_lossy(&r.stderr).contains(&doc),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(
        std::fs::read(&p).unwrap(),
        alterato,
        "il file esistente non è stato toccato"
    );
    let mut con_overwrite = args.to_vec();
    con_overwrite.push("--overwrite");
    assert!(lauream(&con_overwrite).status.success());
    assert_ne!(std::fs::read(&p).unwrap(), alterato);
}

/// A newcomer's first build ends by naming the folder and the document to
/// open first, and that document is there.
#[test]
fn la_build_dice_quale_documento_aprire_per_primo() {
    let tmp = tempfile::tempdir().unwrap();
    let err = build_riuscita(&fixture("demo"), tmp.path(), &[]);
    let ultima = err.lines().last().unwrap();
    let (_, resto) = ultima
        .split_once("da aprire per primo: ")
        .unwrap_or_else(|| panic!("ultima riga senza il primo documento: {ultima}"));
    let percorso = resto.split(" (").next().unwrap();
    assert!(percorso.ends_with(".pdf"), "{ultima}");
    assert!(Path::new(percorso).is_file(), "{percorso} non esiste");
    assert!(
        percorso.contains("/bando/"),
        "il primo è un bando: {ultima}"
    );
}
