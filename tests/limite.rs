//! A template that never ends is stopped by the per-document time limit; the
//! rest of the batch is published and archived, and the build exits with an
//! error naming the document.

mod common;

use common::{build_riuscita, copia, fixture, indice_di, lauream, lauream_build, radice};

/// Simone Nardi's certificates (he has two: one per course) loop for far
/// longer than the limit; nobody else's do.
const CICLO: &str = r#"
#let dati-ciclo = json(sys.inputs.at("data", default: "sample.json"))
#if dati-ciclo.persona.codice_fiscale == "NRDSMN84T06A944X" {
  for i in range(20000) { for j in range(20000) { } }
}
"#;

#[test]
fn un_template_senza_fine_non_ferma_il_lotto() {
    let tmp = tempfile::tempdir().unwrap();
    let templates = tmp.path().join("templates");
    copia(&radice().join("templates"), &templates);
    let main = templates.join("attestato/main.typ");
    let originale = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, format!("{CICLO}\n{originale}")).unwrap();
    let out = tmp.path().join("out");

    let inizio = std::time::Instant::now();
    let esito = lauream_build(
        &fixture("demo"),
        &out,
        &[
            "--templates",
            templates.to_str().unwrap(),
            "--doc-timeout",
            "2",
        ],
    );
    let stderr = String::from_utf8_lossy(&esito.stderr);
    assert!(!esito.status.success(), "deve uscire con errore:\n{stderr}");
    assert!(
        inizio.elapsed() < std::time::Duration::from_secs(120),
        "il limite deve interrompere l'attesa"
    );
    assert!(stderr.contains("tempo limite superato"), "{stderr}");
    for doc in [
        "aggiornamento-pelletteria/attestati/certificato-partecipazione-nardi-simone-nrdsmn84t06a944x.pdf non generato",
        "master-dati-pa/attestati/certificato-cfu-nardi-simone-nrdsmn84t06a944x.pdf non generato",
    ] {
        assert!(stderr.contains(doc), "{doc}: {stderr}");
    }
    assert!(
        stderr.contains("2 documenti non generati"),
        "solo quelli: {stderr}"
    );

    // Everyone else's documents are there, indexed and archived intact.
    let indice = indice_di(&out);
    assert_eq!(indice.len(), 96, "98 documenti del demo meno i due");
    assert!(indice
        .iter()
        .all(|v| v["person"] != "NRDSMN84T06A944X" || v["kind"] != "attestato"));
    assert!(indice
        .iter()
        .any(|v| v["person"] == "CNILNE80D44D612F" && v["kind"] == "attestato"));
    let verifica = lauream(&["verify", out.to_str().unwrap()]);
    assert!(
        verifica.status.success(),
        "{}",
        String::from_utf8_lossy(&verifica.stderr)
    );

    // With the template mended, the rerun produces just the missing one.
    std::fs::write(&main, &originale).unwrap();
    build_riuscita(
        &fixture("demo"),
        &out,
        &["--templates", templates.to_str().unwrap()],
    );
    assert_eq!(indice_di(&out).len(), 98);
}
