//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod servitore;
mod strumenti;
// Only the browser tests serve files.
#[allow(unused_imports)]
pub use servitore::*;
pub use strumenti::*;

pub fn radice() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(nome: &str) -> PathBuf {
    radice().join("fixtures").join(nome)
}

/// The arguments of `lauream build DATASET --out OUT [altri…]`, with the
/// registry in OUT unless `altri` names one. By default a build keeps the
/// registry beside the dataset, and fixtures are read-only inputs shared by
/// every test: a registry written there would leak numbers from one test
/// into another (and into the repository). The tests of the registry's
/// default place build copies of the fixtures instead.
pub fn argomenti_build(dataset: &Path, out: &Path, altri: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "build".into(),
        dataset.to_str().unwrap().into(),
        "--out".into(),
        out.to_str().unwrap().into(),
    ];
    args.extend(altri.iter().map(|a| a.to_string()));
    if !altri.iter().any(|a| a.starts_with("--registry")) {
        args.push("--registry".into());
        args.push(out.join("registro.sqlite").to_str().unwrap().into());
    }
    args
}

/// Runs `lauream build` with [`argomenti_build`].
pub fn lauream_build(dataset: &Path, out: &Path, altri: &[&str]) -> Output {
    let args = argomenti_build(dataset, out, altri);
    lauream(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// `lauream build DATASET --out OUT [altri…]` (registry in OUT, see
/// [`argomenti_build`]), which must succeed; returns what it printed on
/// standard error.
pub fn build_riuscita(dataset: &Path, out: &Path, altri: &[&str]) -> String {
    let r = lauream_build(dataset, out, altri);
    let err = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(r.status.success(), "lauream build: {err}");
    err
}

/// Runs the `lauream` binary.
pub fn lauream(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lauream"))
        .args(args)
        .output()
        .expect("avvio di lauream")
}

/// The text of a PDF as `pdftotext` extracts it (poppler-utils), with
/// end-of-line hyphenation undone and whitespace collapsed, so that phrases
/// can be searched whatever the line breaks.
pub fn testo_pdf(pdf: &Path) -> String {
    let out = poppler("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(
        out.status.success(),
        "pdftotext su {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    normalizza(&String::from_utf8(out.stdout).expect("UTF-8"))
}

/// The text of a PDF with its page layout kept (`pdftotext -layout`: a
/// table row, or a line of the page, on one line), as extracted.
pub fn testo_pdf_layout(pdf: &Path) -> String {
    let out = poppler("pdftotext")
        .args(["-enc", "UTF-8", "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8(out.stdout).expect("UTF-8")
}

pub fn normalizza(s: &str) -> String {
    let s = s.replace("-\n", "").replace('\u{ad}', "");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Copies a directory tree (fixtures are read-only inputs; tests mutate copies).
pub fn copia(da: &Path, a: &Path) {
    for e in walkdir::WalkDir::new(da) {
        let e = e.unwrap();
        let dest = a.join(e.path().strip_prefix(da).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Every file under a directory, relative, sorted.
pub fn file_sotto(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

/// Every file of the verification site an output folder publishes, with
/// its bytes.
pub fn bytes_del_sito(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let sito = out.join(lauream::sito::CARTELLA);
    file_sotto(&sito)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(sito.join(&f)).unwrap();
            (f, b)
        })
        .collect()
}

/// The documents listed in an output directory's index.json.
pub fn indice_di(out: &Path) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    v["documents"].as_array().unwrap().clone()
}

const MESI: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// "2026-03-01" → "1° marzo 2026", written independently of the program's
/// own formatting so that tests check it rather than repeat it.
pub fn data_it(iso: &str) -> String {
    let p: Vec<u32> = iso.split('-').map(|x| x.parse().unwrap()).collect();
    let giorno = if p[2] == 1 {
        "1°".to_string()
    } else {
        p[2].to_string()
    };
    format!("{giorno} {} {}", MESI[p[1] as usize - 1], p[0])
}

/// Renders page 1 of a PDF and decodes the QR codes on it.
pub fn qr_nel_pdf(pdf: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let st = poppler("pdftoppm")
        .args(["-png", "-r", "300", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(dir.path().join("p"))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(st.success());
    let img = image::open(dir.path().join("p.png")).unwrap().to_luma8();
    let mut img = rqrr::PreparedImage::prepare(img);
    img.detect_grids()
        .into_iter()
        .map(|g| g.decode().expect("QR leggibile").1)
        .collect()
}
