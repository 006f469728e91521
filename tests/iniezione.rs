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
    let r = lauream(&[
        "build",
        ds.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--course",
        "perfezionamento-mediazione",
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
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
