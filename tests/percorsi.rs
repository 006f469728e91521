//! Paths built from data: homonyms never share a file, and two documents
//! that would land on the same path stop the build before anything is
//! written.

mod common;

use common::*;

#[test]
fn omonimi_hanno_documenti_distinti() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("minimal"), &ds);
    let roster = ds.join("iscrizioni/perfezionamento-mediazione.csv");
    let t = std::fs::read_to_string(&roster)
        .unwrap()
        .replace(",Martelli,Jacopo,", ",Benedetti,Clara,");
    std::fs::write(&roster, t).unwrap();
    let out = dir.path().join("out");
    build_riuscita(&ds, &out, &["--kind", "attestato"]);
    let omonimi: Vec<_> = indice_di(&out)
        .into_iter()
        .filter(|d| d["title"].as_str().unwrap().contains("Clara Benedetti"))
        .collect();
    assert_eq!(omonimi.len(), 2, "{omonimi:?}");
    assert_ne!(omonimi[0]["path"], omonimi[1]["path"]);
    assert_ne!(omonimi[0]["sha256"], omonimi[1]["sha256"]);
    for d in &omonimi {
        let t = testo_pdf(&out.join(d["path"].as_str().unwrap()));
        assert!(
            t.contains("Clara Benedetti") || t.contains("BENEDETTI"),
            "{t}"
        );
    }
}

#[test]
fn corsi_con_lo_stesso_slug_rifiutati() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("minimal"), &ds);
    let p = ds.join("corsi/perfezionamento-mediazione.json");
    let mut c: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    c["id"] = "perfezionamento--mediazione".into();
    std::fs::write(
        ds.join("corsi/perfezionamento--mediazione.json"),
        serde_json::to_vec_pretty(&c).unwrap(),
    )
    .unwrap();
    let out = dir.path().join("out");
    let r = lauream(&[
        "build",
        ds.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(!r.status.success());
    assert!(
        err.contains("«2025/2026/perfezionamento--mediazione/bando»")
            && err.contains("«2025/2026/perfezionamento-mediazione/bando»")
            && err.contains("verrebbero scritti nello stesso file")
            && err.contains("bando-perfezionamento-mediazione.pdf"),
        "{err}"
    );
    assert!(!out.exists(), "{:?}", file_sotto(&out));
}
