//! `lauream registry list`: what an office issued, revoked and superseded,
//! as a table and as JSON, with each filter; what replaces what.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn elenco(out: &Path, altri: &[&str]) -> (String, String) {
    let mut args = vec!["registry", "list", "--out", out.to_str().unwrap()];
    args.extend_from_slice(altri);
    let r = lauream(&args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&r.stdout).into_owned(),
        String::from_utf8_lossy(&r.stderr).into_owned(),
    );
    assert!(r.status.success(), "registry list {altri:?}: {stderr}");
    (stdout, stderr)
}

fn json(out: &Path, altri: &[&str]) -> Vec<Value> {
    let mut a = vec!["--json"];
    a.extend_from_slice(altri);
    let (stdout, _) = elenco(out, &a);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    v["documents"].as_array().unwrap().clone()
}

#[test]
fn elenco_con_filtri_revoche_e_sostituzioni() {
    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    copia(&fixture("minimal"), &ds);
    let out = d.path().join("out");
    build_riuscita(&ds, &out, &[]);

    let tutti = json(&out, &[]);
    assert_eq!(tutti.len(), indice_di(&out).len(), "ogni documento emesso");
    let attestati = json(&out, &["--kind", "attestato"]);
    assert!(!attestati.is_empty());
    for a in &attestati {
        assert_eq!(a["kind"], "attestato");
        assert!(a["number"].as_str().unwrap().ends_with("/2026"), "{a}");
        assert_eq!(a["status"], "valido");
        for k in [
            "code",
            "date",
            "holder",
            "person",
            "course",
            "title",
            "sha256",
            "issued_at",
        ] {
            assert!(a[k].is_string(), "{k}: {a}");
        }
    }
    let panichi = json(&out, &["--person", "pnclse95b48a944b"]);
    assert_eq!(panichi.len(), 1, "{panichi:?}");
    assert_eq!(panichi[0]["holder"], "Elisa Panichi");
    let corso = json(&out, &["--course", "perfezionamento-mediazione"]);
    assert!(
        !corso.is_empty()
            && corso
                .iter()
                .all(|v| v["course"] == "perfezionamento-mediazione")
    );
    assert!(corso.len() < tutti.len());
    assert_eq!(
        json(&out, &["--year", "2026", "--kind", "attestato"]).len(),
        attestati.len()
    );
    assert!(json(&out, &["--year", "1999"]).is_empty());

    // One revoked (then reissued by the next build), one superseded.
    let lazzeri = json(&out, &["--person", "LZZGRL88H30D969U"]).remove(0);
    let codice = lazzeri["code"].as_str().unwrap();
    let r = lauream(&[
        "revoke",
        codice,
        "--reason",
        "dati anagrafici errati",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let csv = ds.join("iscrizioni/formazione-comunicazione.csv");
    let s = std::fs::read_to_string(&csv).unwrap();
    let riga = "Bologna,F,sì,allievo,40,superato,26,";
    assert!(s.contains(riga));
    std::fs::write(
        &csv,
        s.replace(riga, "Bologna,F,sì,allievo,40,superato,27,"),
    )
    .unwrap();
    build_riuscita(&ds, &out, &["--overwrite"]);

    let revocati = json(&out, &["--status", "revocato"]);
    assert_eq!(revocati.len(), 1, "{revocati:?}");
    assert_eq!(revocati[0]["code"], codice);
    assert_eq!(revocati[0]["reason"], "dati anagrafici errati");
    let riemesso = revocati[0]["replaced_by"].clone();
    assert!(
        riemesso["code"].is_string() && riemesso["number"].is_string(),
        "{riemesso}"
    );
    let sostituiti = json(&out, &["--status", "sostituito", "--kind", "attestato"]);
    assert_eq!(sostituiti.len(), 1, "{sostituiti:?}");
    assert_eq!(sostituiti[0]["person"], "PNCLSE95B48A944B");
    let nuovo = &sostituiti[0]["replaced_by"];
    let validi = json(
        &out,
        &["--status", "valido", "--person", "PNCLSE95B48A944B"],
    );
    assert_eq!(validi.len(), 1);
    assert_eq!(validi[0]["code"], nuovo["code"]);
    assert_eq!(validi[0]["replaces"]["code"], sostituiti[0]["code"]);

    // The table says the same, one row per document, in order of issue.
    let (tabella, conta) = elenco(&out, &["--kind", "attestato"]);
    let righe: Vec<&str> = tabella.lines().collect();
    assert!(
        righe[0].starts_with("NUMERO")
            && righe[0].contains("INTESTATARIO")
            && righe[0].ends_with("STATO")
    );
    assert_eq!(righe.len(), 1 + json(&out, &["--kind", "attestato"]).len());
    // A row by its code column (the status may name other codes).
    let colonna = righe[0].rfind("CODICE").unwrap();
    let codice_di = |r: &str| r.chars().skip(colonna).take(12).collect::<String>();
    let riga_di = |c: &str| *righe.iter().find(|r| codice_di(r) == c).unwrap();
    let revocato = riga_di(codice);
    assert!(
        revocato.contains("Gabriele Lazzeri") && revocato.contains("LZZGRL88H30D969U"),
        "{revocato}"
    );
    assert!(
        revocato.contains("revocato il 20")
            && revocato.contains("dati anagrafici errati")
            && revocato.contains(&format!(
                "riemesso come n. {} ({})",
                riemesso["number"].as_str().unwrap(),
                riemesso["code"].as_str().unwrap()
            )),
        "{revocato}"
    );
    let sostituito = riga_di(sostituiti[0]["code"].as_str().unwrap());
    assert!(
        sostituito.contains(&format!(
            "sostituito da n. {}",
            nuovo["number"].as_str().unwrap()
        )),
        "{sostituito}"
    );
    let sostituto = riga_di(nuovo["code"].as_str().unwrap());
    assert!(sostituto.contains("valido, sostituisce n. "), "{sostituto}");
    assert!(conta.contains("1 revocati, 1 sostituiti"), "{conta}");
    // Columns line up: every row puts its code where the header says.
    for r in &righe[1..] {
        assert!(
            lauream::registry::codice::normalizza(&codice_di(r)).is_ok(),
            "{r}"
        );
    }

    let (vuoto, msg) = elenco(&out, &["--course", "nessuno"]);
    assert!(
        vuoto.is_empty() && msg.contains("nessun documento"),
        "{msg}"
    );
}

#[test]
fn un_registro_assente_e_un_errore_chiaro() {
    let d = tempfile::tempdir().unwrap();
    let r = lauream(&["registry", "list", "--out", d.path().to_str().unwrap()]);
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("registro inesistente"), "{err}");
    let r = lauream(&["registry", "list", "--status", "annullato"]);
    assert_eq!(r.status.code(), Some(2), "valore non ammesso: errore d'uso");
}
