//! Values are data, never markup: Typst syntax in a name or a title prints
//! literally and runs nothing.

mod common;

use common::*;

#[test]
fn markup_nei_dati_stampato_alla_lettera() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("minimal"), &ds);

    let nome = r#"#panic("x") [x] $y$"#;
    let cognome = r#"<etichetta> @rif *forte* _corsivo_ \ // /* #read("/etc/passwd")"#;
    let roster = ds.join("iscrizioni/perfezionamento-mediazione.csv");
    let testo = std::fs::read_to_string(&roster).unwrap();
    let mut righe: Vec<String> = testo.lines().map(str::to_string).collect();
    let mut campi: Vec<String> = righe[1].split(',').map(str::to_string).collect();
    let cf = campi[3].clone();
    campi[1] = format!("\"{}\"", cognome.replace('"', "\"\""));
    campi[2] = format!("\"{}\"", nome.replace('"', "\"\""));
    righe[1] = campi.join(",");
    std::fs::write(&roster, righe.join("\n") + "\n").unwrap();

    let corso = ds.join("corsi/perfezionamento-mediazione.json");
    let mut c: serde_json::Value = serde_json::from_slice(&std::fs::read(&corso).unwrap()).unwrap();
    let titolo = r#"Mediazione ]#include "/etc/passwd"[ $x^2$"#;
    c["titolo"] = titolo.into();
    std::fs::write(&corso, serde_json::to_vec_pretty(&c).unwrap()).unwrap();

    let out = dir.path().join("out");
    build_riuscita(&ds, &out, &["--course", "perfezionamento-mediazione"]);
    let idx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    let doc = idx["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["person"] == cf.as_str())
        .expect("attestato della riga modificata");
    let pdf = out.join(doc["path"].as_str().unwrap());
    let t = testo_pdf(&pdf);
    assert!(t.contains(&normalizza(nome)), "nome non letterale: {t}");
    assert!(
        t.contains(&normalizza(cognome)),
        "cognome non letterale: {t}"
    );
    assert!(t.contains(&normalizza(titolo)), "titolo non letterale: {t}");
    assert!(
        !t.contains("root:"),
        "il contenuto di /etc/passwd non deve comparire"
    );
    // The file name is derived from the data but stays a plain name.
    let nome_file = pdf.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        nome_file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
        "{nome_file}"
    );
}

/// Every text field that reaches a template, filled with hostile values
/// (`fixtures/ostile/`, written by `fixtures/tools/make_ostile.py`): each
/// value must be found literally in the text of a document of the kind that
/// prints it, and nothing may have run.
#[test]
fn corpus_ostile_stampato_alla_lettera() {
    let ds = fixture("ostile");
    let attesi: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(ds.join("ATTESI.json")).unwrap()).unwrap();
    assert!(attesi.len() >= 15, "{} valori ostili", attesi.len());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_riuscita(&ds, &out, &[]);

    let mut testi: std::collections::HashMap<String, String> = Default::default();
    for d in indice_di(&out) {
        // Paths derived from hostile data stay short, plain and portable.
        let percorso = d["path"].as_str().unwrap();
        assert!(percorso.len() <= 300, "{percorso}");
        for parte in percorso.split('/') {
            assert!(
                !parte.is_empty() && parte.len() <= 200 && parte != "." && parte != "..",
                "{percorso}"
            );
            assert!(
                parte
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b)),
                "{percorso}"
            );
        }
        // pdftotext wraps right-to-left runs in bidi embedding marks (U+202A–U+202E).
        let t = normalizza(&testo_pdf(&out.join(d["path"].as_str().unwrap())).replace(
            ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}'],
            "",
        ));
        let voce = testi
            .entry(d["kind"].as_str().unwrap().to_string())
            .or_default();
        voce.push_str(&t);
        voce.push(' ');
    }
    for tipo in ["bando", "attestato"] {
        assert!(testi.contains_key(tipo), "nessun documento di tipo {tipo}");
    }
    let tutti: String = testi.values().cloned().collect();
    assert!(
        !tutti.contains("root:"),
        "il contenuto di /etc/passwd è finito in un documento"
    );

    let mut mancanti = Vec::new();
    for a in &attesi {
        let (campo, valore, tipo) = (
            a["campo"].as_str().unwrap(),
            a["valore"].as_str().unwrap(),
            a["tipo"].as_str().unwrap(),
        );
        let atteso = stampabile(valore);
        if !testi[tipo].contains(&atteso) {
            mancanti.push(format!("{campo} ({tipo}): «{atteso}»"));
        }
    }
    assert!(
        mancanti.is_empty(),
        "valori non stampati alla lettera:\n{}",
        mancanti.join("\n")
    );
}

/// A modified template under `--templates DIR` cannot read outside the
/// directory: not by absolute path, not by `..`, not through a symlink
/// pointing out. The build fails, names the template, and publishes nothing.
#[test]
fn i_template_non_leggono_fuori_dalla_loro_cartella() {
    let fuori = tempfile::tempdir().unwrap();
    let segreto = fuori.path().join("segreto.txt");
    std::fs::write(&segreto, "contenuto riservato").unwrap();

    let casi: Vec<(&str, String)> = vec![
        ("percorso assoluto", r#"#read("/etc/passwd")"#.to_string()),
        (
            "percorso assoluto fuori dai template",
            format!("#read({:?})", segreto.to_str().unwrap()),
        ),
        (
            "risalita con ..",
            r#"#read("../../segreto.txt")"#.to_string(),
        ),
        (
            "collegamento simbolico",
            r#"#read("../collegamento.txt")"#.to_string(),
        ),
        (
            "include di un file esterno",
            r#"#include "../../segreto.typ""#.to_string(),
        ),
    ];
    for (nome, riga) in casi {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("templates");
        copia(&radice().join("templates"), &templates);
        std::fs::copy(&segreto, dir.path().join("segreto.txt")).unwrap();
        std::fs::write(dir.path().join("segreto.typ"), "contenuto riservato").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&segreto, templates.join("collegamento.txt")).unwrap();
        let main = templates.join("attestato/main.typ");
        let mut s = std::fs::read_to_string(&main).unwrap();
        s.push_str(&format!("\n{riga}\n"));
        std::fs::write(&main, s).unwrap();

        let out = dir.path().join("out");
        let r = lauream_build(
            &fixture("minimal"),
            &out,
            &[
                "--templates",
                templates.to_str().unwrap(),
                "--kind",
                "attestato",
            ],
        );
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(!r.status.success(), "{nome}: la build doveva fallire");
        assert!(err.contains("attestato/main.typ:"), "{nome}: {err}");
        assert!(
            err.contains("access denied")
                || err.contains("not found")
                || err.contains("outside of the project sandbox"),
            "{nome}: messaggio poco chiaro:\n{err}"
        );
        assert!(!err.contains("contenuto riservato"), "{nome}: {err}");
        // The failing certificates are left out; nothing else was asked for.
        assert!(
            !out.join("index.json").exists() || common::indice_di(&out).is_empty(),
            "{nome}"
        );
    }
}

/// The text a value should leave in the PDF, as `testo_pdf` returns it.
fn stampabile(valore: &str) -> String {
    normalizza(valore)
}
