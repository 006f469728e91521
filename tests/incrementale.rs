//! Rebuilds: an unchanged year does nothing; a changed one redoes only the
//! documents whose data changed; a missing file is produced again.

mod common;

use common::{build_riuscita as build, copia, fixture, indice_di};

#[test]
fn ricostruzioni_rifanno_solo_il_necessario() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    copia(&fixture("demo"), &ds);
    let out = tmp.path().join("out");
    build(&ds, &out, &[]);
    let indice = std::fs::read(out.join("index.json")).unwrap();
    let registro = std::fs::read(out.join("registro.sqlite")).unwrap();

    // Nothing changed: nothing planned, rendered or written.
    let err = build(&ds, &out, &[]);
    assert!(err.contains("nulla da rigenerare"), "{err}");
    assert!(
        err.contains("98 documenti (0 generati, 98 invariati)"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("index.json")).unwrap(), indice);
    assert_eq!(
        std::fs::read(out.join("registro.sqlite")).unwrap(),
        registro
    );

    // What a killed build left (here a staging folder) is cleared by a full
    // pass, not skipped over.
    let resto = out.join(format!("{}prova", lauream::archive::PREFISSO_STAGING));
    std::fs::create_dir(&resto).unwrap();
    let err = build(&ds, &out, &[]);
    assert!(!err.contains("nulla da rigenerare"), "{err}");
    assert!(err.contains("(0 generati, 98 invariati)"), "{err}");
    assert!(!resto.exists());
    assert!(build(&ds, &out, &[]).contains("nulla da rigenerare"));

    // A file gone from the output is produced again, with the same bytes.
    let voce = indice_di(&out)
        .into_iter()
        .find(|v| v["person"] == "BLLNNA01S51A944X")
        .unwrap();
    let pdf = out.join(voce["path"].as_str().unwrap());
    let prima = std::fs::read(&pdf).unwrap();
    std::fs::remove_file(&pdf).unwrap();
    let err = build(&ds, &out, &[]);
    assert!(!err.contains("nulla da rigenerare"), "{err}");
    assert!(err.contains("(1 generato, 97 invariati)"), "{err}");
    assert_eq!(std::fs::read(&pdf).unwrap(), prima);

    // A change in the dataset that no document prints (an e-mail address)
    // is read, and nothing is rendered.
    let roster = ds.join("iscrizioni/summer-school-paesaggi.csv");
    let testo = std::fs::read_to_string(&roster).unwrap();
    std::fs::write(
        &roster,
        testo.replace("anna.bellucci@example.com", "a.bellucci@example.com"),
    )
    .unwrap();
    let err = build(&ds, &out, &[]);
    assert!(!err.contains("nulla da rigenerare"), "{err}");
    assert!(err.contains("(0 generati, 98 invariati)"), "{err}");

    // One person's row corrected: only her certificate is issued again
    // (superseding the old one, hence --overwrite).
    let testo = std::fs::read_to_string(&roster).unwrap();
    let riga = testo
        .lines()
        .find(|l| l.contains("BLLNNA01S51A944X"))
        .unwrap()
        .to_string();
    std::fs::write(
        &roster,
        testo.replace(&riga, &riga.replace(",Bologna,", ",Bologna (BO),")),
    )
    .unwrap();
    let err = build(&ds, &out, &["--overwrite"]);
    assert!(err.contains("(1 generato, 97 invariati)"), "{err}");
    assert!(common::testo_pdf(&pdf).contains("nata a Bologna (BO)"));
}
