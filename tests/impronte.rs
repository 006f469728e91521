//! The demo build, pinned: the SHA-256 of every document in its index and
//! of every bag it archived, against `tests/impronte-demo.txt`.
//!
//! A refactor must leave every byte as it was. A change that alters the
//! output on purpose (a template, a wording, the archive's layout) updates
//! the list with `LAUREAM_AGGIORNA_IMPRONTE=1 cargo test --release --test
//! impronte` and says why in its commit.

mod common;

use common::*;

const ELENCO: &str = "tests/impronte-demo.txt";

/// "sha256  path" for every document and bag zip, sorted by path; each
/// digest recomputed from the file, and checked against the index's.
fn impronte(out: &std::path::Path) -> String {
    let mut righe = Vec::new();
    for d in indice_di(out) {
        let percorso = d["path"].as_str().unwrap();
        let h = lauream::archive::sha256_file(&out.join(percorso)).unwrap();
        assert_eq!(
            d["sha256"].as_str().unwrap(),
            h,
            "{percorso}: l'indice dice altro"
        );
        righe.push((percorso.to_string(), h));
    }
    for f in file_sotto(&out.join("bags")) {
        let h = lauream::archive::sha256_file(&out.join("bags").join(&f)).unwrap();
        righe.push((format!("bags/{f}"), h));
    }
    righe.sort();
    righe.iter().map(|(p, h)| format!("{h}  {p}\n")).collect()
}

#[test]
fn la_build_della_demo_da_gli_stessi_byte() {
    let tmp = tempfile::tempdir().unwrap();
    build_riuscita(&fixture("demo"), tmp.path(), &[]);
    let ora = impronte(tmp.path());
    let elenco = radice().join(ELENCO);
    if std::env::var_os("LAUREAM_AGGIORNA_IMPRONTE").is_some() {
        std::fs::write(&elenco, &ora).unwrap();
        return;
    }
    let attese = std::fs::read_to_string(&elenco).unwrap_or_default();
    if ora != attese {
        let a: std::collections::BTreeSet<&str> = attese.lines().collect();
        let o: std::collections::BTreeSet<&str> = ora.lines().collect();
        let diff: Vec<String> = a
            .difference(&o)
            .map(|l| format!("- {l}"))
            .chain(o.difference(&a).map(|l| format!("+ {l}")))
            .collect();
        panic!(
            "la build della demo non dà più gli stessi byte di {ELENCO} ({} righe diverse):\n{}",
            diff.len(),
            diff.join("\n")
        );
    }
}
