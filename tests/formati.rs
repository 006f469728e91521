//! The same roster from CSV and from Excel; templates that compile on their
//! own; the published schemas in step with the code.

mod common;

use common::*;
use lauream::input::{roster, tabella};

#[test]
fn stesso_registro_da_csv_e_da_excel() {
    let leggi = |f: &str| {
        let p = fixture("roster-pair").join(f);
        let t = tabella::leggi(&p, f).unwrap();
        let mut problemi = lauream::diag::Problemi::default();
        let righe = roster::iscrizioni(&t, &mut problemi);
        assert!(!problemi.ha_errori(), "{f}: {problemi}");
        righe
    };
    let (csv, xlsx) = (leggi("roster.csv"), leggi("roster.xlsx"));
    assert!(csv.len() >= 5);
    assert_eq!(csv.len(), xlsx.len());
    for (a, b) in csv.iter().zip(&xlsx) {
        // Same content; only where it came from differs.
        let mut b = b.clone();
        b.origine = a.origine.clone();
        assert_eq!(a, &b);
    }
}

#[test]
fn csv_excel_italiano_con_punto_e_virgola_e_latin1() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.csv");
    let mut bytes =
        b"Corso;Cognome;Nome;Codice Fiscale;Data nascita;Luogo nascita;Ruolo;Ore frequentate\n"
            .to_vec();
    bytes.extend_from_slice(
        b"perf;Nicol\xf2;Rossi;RSSMRA85T10A562S;10/12/1985;Forl\xec;allievo;36,5\n",
    );
    std::fs::write(&p, bytes).unwrap();
    let t = tabella::leggi(&p, "r.csv").unwrap();
    let mut problemi = lauream::diag::Problemi::default();
    let r = roster::iscrizioni(&t, &mut problemi);
    assert!(!problemi.ha_errori(), "{problemi}");
    assert_eq!(r[0].persona.cognome, "Nicolò");
    assert_eq!(r[0].persona.luogo_nascita, "Forlì");
    assert_eq!(
        r[0].ore_frequentate,
        Some(lauream::model::Ore(36 * 60 + 30))
    );
    assert_eq!(r[0].origine.riga, 2);
}

#[test]
fn ogni_template_compila_da_solo_con_il_suo_campione() {
    let motore = lauream::render::Motore::new(&radice().join("templates")).unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(radice().join("templates")).unwrap() {
        let dir = e.unwrap().path();
        if !dir.join("main.typ").exists() {
            continue;
        }
        assert!(
            dir.join("sample.json").exists(),
            "{}: manca sample.json",
            dir.display()
        );
        let nome = format!("{}/main.typ", dir.file_name().unwrap().to_string_lossy());
        let doc = motore
            .compila_campione(&nome)
            .unwrap_or_else(|e| panic!("{nome}: {e}"));
        assert!(!doc.pages().is_empty());
        lauream::render::pdf(&doc, &nome).unwrap_or_else(|e| panic!("{nome}: {e}"));
        n += 1;
    }
    assert!(n >= 1);
}

#[test]
fn errori_dei_template_con_file_e_riga() {
    let dir = tempfile::tempdir().unwrap();
    copia(&radice().join("templates"), dir.path());
    let main = dir.path().join("attestato/main.typ");
    let mut s = std::fs::read_to_string(&main).unwrap();
    s.push_str("\n#variabile-inesistente\n");
    std::fs::write(&main, &s).unwrap();
    let righe = s.lines().count();
    let out = tempfile::tempdir().unwrap();
    let r = lauream_build(
        &fixture("minimal"),
        &out.path().join("o"),
        &["--templates", dir.path().to_str().unwrap()],
    );
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains(&format!("attestato/main.typ:{righe}:")),
        "{err}"
    );
    assert!(err.contains("variabile-inesistente"), "{err}");
    // The failing certificates are reported and left out; the call and the
    // other documents do not depend on that template and are published.
    let indice = common::indice_di(&out.path().join("o"));
    assert!(
        indice.iter().all(|v| v["kind"] != "attestato"),
        "{indice:?}"
    );
    assert!(indice.iter().any(|v| v["kind"] == "bando"), "{indice:?}");
}

#[test]
fn schemi_pubblicati_aggiornati() {
    for (parte, file) in lauream::schema::PARTI {
        let atteso = lauream::schema::testo(parte).unwrap();
        let p = radice().join("docs/schema").join(file);
        let pubblicato = std::fs::read_to_string(&p).unwrap_or_default();
        assert!(
            pubblicato == atteso,
            "{} non è aggiornato: rigenerarlo con `lauream schema {parte} > docs/schema/{file}`",
            p.display()
        );
    }
}
