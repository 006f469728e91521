//! Every dataset under `fixtures/invalid/` is refused with the file, row (or
//! JSON path) and field its `EXPECTED` file lists, and nothing is written.

mod common;

use common::*;

#[test]
fn ogni_dataset_invalido_e_rifiutato_con_la_posizione() {
    let casi: Vec<_> = std::fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert!(
        casi.len() >= 8,
        "attesi almeno 8 casi, trovati {}",
        casi.len()
    );
    for caso in casi {
        let nome = caso.file_name().unwrap().to_string_lossy().into_owned();
        let attesi = std::fs::read_to_string(caso.join("EXPECTED"))
            .unwrap_or_else(|_| panic!("{nome}: manca EXPECTED"));
        let attesi: Vec<&str> = attesi
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert!(!attesi.is_empty(), "{nome}: EXPECTED vuoto");

        let check = lauream(&["check", caso.to_str().unwrap()]);
        assert!(!check.status.success(), "{nome}: check dovrebbe fallire");
        let err = String::from_utf8_lossy(&check.stderr);
        for a in &attesi {
            assert!(err.contains(a), "{nome}: manca «{a}» nel messaggio:\n{err}");
        }

        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("uscita");
        let build = lauream(&[
            "build",
            caso.to_str().unwrap(),
            "--out",
            dest.to_str().unwrap(),
        ]);
        assert!(!build.status.success(), "{nome}: build dovrebbe fallire");
        let err = String::from_utf8_lossy(&build.stderr);
        for a in &attesi {
            assert!(
                err.contains(a),
                "{nome}: build: manca «{a}» nel messaggio:\n{err}"
            );
        }
        assert!(
            !dest.exists(),
            "{nome}: la build fallita ha scritto {:?}",
            file_sotto(&dest)
        );
    }
}

#[test]
fn tutti_i_problemi_in_una_volta() {
    let check = lauream(&["check", fixture("invalid/molti-errori").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&check.stderr);
    let errori = err.lines().filter(|l| l.starts_with("errore:")).count();
    assert!(errori >= 3, "attesi almeno 3 errori insieme:\n{err}");
}

#[test]
fn check_json_per_gli_strumenti() {
    let out = lauream(&[
        "check",
        "--json",
        fixture("invalid/cf-errato").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["gravita"] == "errore")
        .expect("un errore");
    assert_eq!(p["posizione"]["campo"], "codice_fiscale");
    assert!(p["posizione"]["riga"].as_u64().unwrap() >= 2);
}

#[test]
fn dataset_valido_passa_il_check() {
    for ds in ["demo", "minimal"] {
        let out = lauream(&["check", fixture(ds).to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{ds}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
