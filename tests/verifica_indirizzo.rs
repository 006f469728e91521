//! The verification address on paper: `url_verifica` with the code in it
//! (`{codice}`, or a prefix ending in `=`, `/`, `#`), printed whole on one
//! line, and the QR code encoding exactly the printed string. Built with the
//! real binary; the QR is decoded from the rendered page.

mod common;

use std::path::Path;

use common::*;

/// The lines of the PDF's text (as laid out, not joined) holding an address.
fn righe_con_indirizzo(pdf: &Path) -> Vec<String> {
    testo_pdf_layout(pdf)
        .lines()
        .filter(|l| l.contains("://"))
        .map(|l| l.trim().to_string())
        .collect()
}

fn con_url(url: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    copia(&fixture("demo"), d.path());
    let p = d.path().join("ateneo.json");
    let mut a: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    a["url_verifica"] = url.into();
    std::fs::write(&p, serde_json::to_string_pretty(&a).unwrap()).unwrap();
    d
}

/// A long address with `{codice}` in the middle: the certificate and the
/// parchment print it whole, with the code, on one line, and the QR decodes
/// to the same string.
#[test]
fn il_qr_codifica_l_indirizzo_stampato_intero() {
    let url = "https://servizi-online.univaldarno.example/segreteria/verifica-documenti?codice={codice}&lingua=it";
    let ds = con_url(url);
    let out = tempfile::tempdir().unwrap();
    build_riuscita(
        ds.path(),
        out.path(),
        &["--course", "summer-school-paesaggi", "--kind", "attestato"],
    );
    build_riuscita(
        ds.path(),
        out.path(),
        &["--course", "master-dati-pa", "--kind", "pergamena"],
    );
    let indice = indice_di(out.path());
    for kind in ["attestato", "pergamena"] {
        let v = indice.iter().find(|v| v["kind"] == kind).unwrap();
        let codice = v["code"].as_str().unwrap();
        let atteso = url.replace("{codice}", codice);
        let pdf = out.path().join(v["path"].as_str().unwrap());
        let qr = qr_nel_pdf(&pdf);
        assert_eq!(qr, vec![atteso.clone()], "{kind}: QR");
        let righe = righe_con_indirizzo(&pdf);
        assert_eq!(
            righe.len(),
            1,
            "{kind}: l'indirizzo va su una riga: {righe:?}"
        );
        let stampato = righe[0]
            .split_whitespace()
            .find(|p| p.contains("://"))
            .unwrap();
        assert_eq!(stampato, qr[0], "{kind}: indirizzo stampato ≠ QR");
    }
}

/// A prefix ending with `?` (or anything the code cannot be appended to)
/// is refused at validation, naming the field and what to write.
#[test]
fn un_indirizzo_senza_posto_per_il_codice_e_un_errore() {
    let ds = con_url("https://www.univaldarno.example/verifica-documenti?");
    let o = lauream(&["check", ds.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("ateneo.json, $.url_verifica"), "{err}");
    assert!(err.contains("{codice}"), "{err}");
    assert!(err.contains("verifica-documenti?"), "{err}");
}
