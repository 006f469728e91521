//! Nothing outside the page: a value that passes the loader's length limits
//! but cannot be broken (one 95-letter word as a birthplace) would run off
//! the certificate's right edge; the document fails with the page and the
//! text named, the rest of the batch is issued, the build exits non-zero.
//! Names beyond any real register's length are refused at load, with file,
//! row and field.

mod common;

use std::path::Path;

use common::*;

/// Replaces `vecchio` with `nuovo` in a dataset file.
fn sostituisci(file: &Path, vecchio: &str, nuovo: &str) {
    let t = std::fs::read_to_string(file).unwrap();
    assert!(t.contains(vecchio), "{vecchio} in {}", file.display());
    std::fs::write(file, t.replacen(vecchio, nuovo, 1)).unwrap();
}

#[test]
fn una_parola_che_esce_dal_foglio_ferma_quel_documento_e_non_il_lotto() {
    let ds = tempfile::tempdir().unwrap();
    copia(&fixture("minimal"), ds.path());
    // 95 capitals: under the 100 allowed for a birthplace, wider than the sheet.
    let luogo = format!("LLANFAIR{}", "PWLLGWYNGYLL".repeat(8))
        .chars()
        .take(95)
        .collect::<String>();
    assert_eq!(luogo.chars().count(), 95);
    sostituisci(
        &ds.path().join("iscrizioni/formazione-comunicazione.csv"),
        ",Bologna,",
        &format!(",{luogo},"),
    );
    let out = tempfile::tempdir().unwrap();
    let check = lauream(&["check", ds.path().to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let r = lauream_build(ds.path(), out.path(), &[]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(!r.status.success(), "la build doveva fallire:\n{err}");
    let riga = err
        .lines()
        .find(|l| l.contains("esce dal bordo"))
        .unwrap_or_else(|| panic!("nessun documento fuori pagina segnalato:\n{err}"));
    assert!(riga.contains("pagina 1"), "{riga}");
    assert!(riga.contains("LLANFAIRPWLLGWYNGYLL"), "{riga}");
    assert!(riga.contains("destro"), "{riga}");
    assert!(
        err.contains("pnclse95b48a944b"),
        "il documento va nominato:\n{err}"
    );
    // The batch goes on: the other certificates and the calls are issued.
    let indice = indice_di(out.path());
    let attestati: Vec<_> = indice.iter().filter(|v| v["kind"] == "attestato").collect();
    assert_eq!(attestati.len(), 5, "{indice:?}");
    assert!(attestati.iter().all(|v| v["person"] != "PNCLSE95B48A944B"));
    assert!(indice.iter().any(|v| v["kind"] == "bando"));
}

#[test]
fn nomi_oltre_ogni_registro_sono_rifiutati_al_caricamento() {
    let ds = tempfile::tempdir().unwrap();
    copia(&fixture("minimal"), ds.path());
    let cognome = "Panichi".repeat(43);
    sostituisci(
        &ds.path().join("iscrizioni/formazione-comunicazione.csv"),
        "Panichi,",
        &format!("{cognome},"),
    );
    let titolo = "Comunicazione pubblica ".repeat(14);
    sostituisci(
        &ds.path().join("corsi/perfezionamento-mediazione.json"),
        "\"titolo\": \"",
        &format!("\"titolo\": \"{titolo}"),
    );
    let o = lauream(&["check", ds.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("iscrizioni/formazione-comunicazione.csv, riga 2, campo cognome")
            && err.contains("301 caratteri")
            && err.contains("al più 100"),
        "{err}"
    );
    assert!(
        err.contains("corsi/perfezionamento-mediazione.json, $.titolo")
            && err.contains("al più 300"),
        "{err}"
    );
}

/// A surname that fits on the sheet but not between the side margins (the
/// signature of the head of office, in its column): the certificates fail
/// naming the margin; before the templates declared their margins, they were
/// issued with the name printed in the right margin.
#[test]
fn una_parola_nel_margine_destro_ferma_il_documento() {
    let ds = tempfile::tempdir().unwrap();
    copia(&fixture("minimal"), ds.path());
    let cognome: String = format!("LLANFAIR{}", "PWLLGWYNGYLL".repeat(4))
        .chars()
        .take(40)
        .collect();
    sostituisci(
        &ds.path().join("ateneo.json"),
        "\"Mugnai\"",
        &format!("\"{cognome}\""),
    );
    let out = tempfile::tempdir().unwrap();
    let r = lauream_build(ds.path(), out.path(), &[]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(!r.status.success(), "la build doveva fallire:\n{err}");
    let righe: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("entra nel margine destro della pagina"))
        .collect();
    assert!(
        !righe.is_empty(),
        "nessun testo nel margine segnalato:\n{err}"
    );
    assert!(righe.iter().all(|l| l.contains(&cognome)), "{righe:?}");
    assert!(
        !err.contains("esce dal bordo"),
        "il nome sta nel foglio, solo nel margine:\n{err}"
    );
    // The calls, which the head of office does not sign, are issued.
    let indice = indice_di(out.path());
    assert!(indice.iter().any(|v| v["kind"] == "bando"), "{indice:?}");
}
