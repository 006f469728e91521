//! An office's day with the real binary: one registry per office whatever
//! the output folder, who gets nothing and why, a secretary's build not
//! blocked by another course, explanations before a refusal, finding a
//! document by code or tax code, and the answers' exit codes.
//!
//! These tests build copies of the fixtures without `--registry`: the
//! registry lands beside the copied dataset, as in an office.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use common::*;
use lauream::registry::{Registro, FILE_REGISTRO};
use serde_json::Value;

/// A copy of a fixture in a new temporary folder, as `DIR/ds`.
fn copia_di(fixture_nome: &str) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    copia(&fixture(fixture_nome), &ds);
    (d, ds)
}

/// `lauream build` exactly as typed, without the tests' registry in OUT.
fn build_come_in_ufficio(ds: &Path, out: &Path, altri: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        ds.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(altri);
    lauream(&args)
}

fn riuscita(o: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

fn per_id(out: &Path) -> HashMap<String, Value> {
    indice_di(out)
        .into_iter()
        .map(|v| (v["id"].as_str().unwrap().to_string(), v))
        .collect()
}

#[test]
fn due_cartelle_un_registro_stessi_numeri_e_codici() {
    let (d, ds) = copia_di("demo");
    let certificati = d.path().join("certificati");
    let anno = d.path().join("anno");
    // The README's secretary, then the office's whole year.
    riuscita(&build_come_in_ufficio(
        &ds,
        &certificati,
        &[
            "--course",
            "perfezionamento-inclusione",
            "--kind",
            "attestato",
        ],
    ));
    riuscita(&build_come_in_ufficio(&ds, &anno, &[]));

    let registro = ds.join(FILE_REGISTRO);
    assert!(registro.is_file(), "il registro sta accanto al dataset");
    for out in [&certificati, &anno] {
        assert!(
            !out.join(FILE_REGISTRO).exists(),
            "nessun registro nella cartella di uscita {}",
            out.display()
        );
    }

    let a = per_id(&certificati);
    let b = per_id(&anno);
    assert!(!a.is_empty());
    for (id, v) in &a {
        let w = &b[id];
        assert_eq!(v["number"], w["number"], "{id}: stesso numero");
        assert_eq!(v["code"], w["code"], "{id}: stesso codice");
        assert!(v["code"].is_string(), "{id}: codice nell'indice");
        // Same number and code printed: the very same bytes.
        assert_eq!(v["sha256"], w["sha256"], "{id}: stesso file");
    }

    // No number given twice, across both folders and in the registry.
    let mut visti: BTreeMap<(String, String), String> = BTreeMap::new();
    for v in a.values().chain(b.values()) {
        if let Some(n) = v["number"].as_str() {
            let chiave = (v["kind"].as_str().unwrap().to_string(), n.to_string());
            let id = v["id"].as_str().unwrap().to_string();
            if let Some(altro) = visti.insert(chiave.clone(), id.clone()) {
                assert_eq!(altro, id, "numero {chiave:?} dato a due documenti");
            }
        }
    }
    let righe = Registro::apri_esistente(&registro)
        .unwrap()
        .tutte()
        .unwrap();
    assert_eq!(righe.len(), b.len(), "una riga per documento, non due");

    // A third folder reuses what was issued: nothing new in the registry.
    let terza = d.path().join("terza");
    riuscita(&build_come_in_ufficio(
        &ds,
        &terza,
        &["--course", "perfezionamento-inclusione"],
    ));
    let dopo = Registro::apri_esistente(&registro)
        .unwrap()
        .tutte()
        .unwrap();
    assert_eq!(dopo.len(), righe.len());
    for (id, v) in per_id(&terza) {
        assert_eq!(v["number"], b[&id]["number"], "{id}");
    }

    // The registry beside the dataset is not part of the dataset: an
    // unchanged rebuild still stops right after loading.
    let err = riuscita(&build_come_in_ufficio(&ds, &anno, &[]));
    assert!(
        err.contains("invariati dall'ultima build completa"),
        "{err}"
    );

    // verify-doc finds the registry from the file's folder, with no option.
    let primo = a.values().next().unwrap();
    let pdf = certificati.join(primo["path"].as_str().unwrap());
    let o = lauream(&["verify-doc", pdf.to_str().unwrap()]);
    let testo = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{testo}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(testo.contains(primo["number"].as_str().unwrap()), "{testo}");
    // lookup from the dataset.
    let o = lauream(&[
        "lookup",
        primo["code"].as_str().unwrap(),
        "--dataset",
        ds.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn un_registro_indicato_in_ateneo_json_vale_per_ogni_build() {
    let (d, ds) = copia_di("minimal");
    let p = ds.join("ateneo.json");
    let mut a: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    a["registro"] = "../ufficio/registro-post-lauream.sqlite".into();
    std::fs::write(&p, serde_json::to_vec_pretty(&a).unwrap()).unwrap();
    let out = d.path().join("out");
    riuscita(&build_come_in_ufficio(&ds, &out, &[]));
    let registro = d.path().join("ufficio/registro-post-lauream.sqlite");
    assert!(registro.is_file());
    assert!(!ds.join(FILE_REGISTRO).exists());
    // An unchanged rebuild still stops right after loading: the registry is
    // not read as part of the dataset.
    let err = riuscita(&build_come_in_ufficio(&ds, &out, &[]));
    assert!(
        err.contains("invariati dall'ultima build completa"),
        "{err}"
    );
}
