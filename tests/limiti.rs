//! Large inputs stay within bounds: a course with 5,000 modules gets its
//! call, complete, in bounded time.

mod common;

use std::time::{Duration, Instant};

use common::*;

#[test]
fn corso_con_cinquemila_moduli() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("minimal"), &ds);
    let p = ds.join("corsi/perfezionamento-mediazione.json");
    let mut c: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    let docente = c["moduli"][0]["docenti"].clone();
    let moduli: Vec<serde_json::Value> = (1..=5000)
        .map(|i| {
            // Twenty modules carry the 20 CFU; the others are seminars without credits.
            let (cfu, ore) = if i <= 20 { (1, 7) } else { (0, 1) };
            serde_json::json!({
                "codice": format!("M{i:04}"),
                "titolo": format!("Seminario numero {i}"),
                "ssd": "IUS/01",
                "cfu": cfu,
                "ore": ore,
                "docenti": docente,
            })
        })
        .collect();
    c["moduli"] = moduli.into();
    std::fs::write(&p, serde_json::to_vec_pretty(&c).unwrap()).unwrap();

    let out = dir.path().join("out");
    let inizio = Instant::now();
    let r = lauream_build(
        &ds,
        &out,
        &["--course", "perfezionamento-mediazione", "--kind", "bando"],
    );
    let durata = inizio.elapsed();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(
        durata < Duration::from_secs(120),
        "il bando con 5.000 moduli ha richiesto {durata:?}"
    );
    let docs = indice_di(&out);
    assert_eq!(docs.len(), 1);
    let t = testo_pdf(&out.join(docs[0]["path"].as_str().unwrap()));
    for i in [1, 2, 2500, 4999, 5000] {
        assert!(
            t.contains(&format!("Seminario numero {i} ")),
            "manca il modulo {i}"
        );
    }
    // 20 + 4,980 hours, written the Italian way.
    assert!(t.contains("5.120") || t.contains("5120"), "totale ore");
}
