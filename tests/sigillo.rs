//! The electronic seal, checked by the tools a recipient would use:
//! poppler's `pdfsig` and pyHanko must find every rendered PDF signed,
//! intact, covering the whole file and (pyHanko, given the test CA)
//! trusted; a timestamp from a local RFC 3161 authority (certomancer) makes
//! a B-T signature; a changed byte is refused by `pdfsig` and `verify-doc`;
//! sealing is reproducible; the PDF/A metadata stays; a wrong password or
//! an expired certificate stops the build before anything is written.
//!
//! The test PKI (root CA, seal certificates with ECDSA P-256 and RSA keys,
//! an expired one, a time-stamping authority) is made afresh by
//! `tests/strumenti/pki_di_prova.py` with certomancer.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;

/// The PKCS#12 files' password in the test PKI.
const PASSWORD: &str = "segreto-di-prova-9431";
/// The course of the smaller builds: its certificates.
const CORSO: &str = "summer-school-paesaggi";

/// The test PKI's folder, made once per test binary.
fn pki() -> &'static Path {
    static P: OnceLock<tempfile::TempDir> = OnceLock::new();
    P.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let r = strumenti()
            .python()
            .arg(radice().join("tests/strumenti/pki_di_prova.py"))
            .arg(dir.path())
            .arg(PASSWORD)
            .output()
            .unwrap();
        assert!(
            r.status.success(),
            "PKI di prova: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        dir
    })
    .path()
}

/// `lauream ARGS` with the seal's password in the environment.
fn lauream_con_password(args: &[&str], password: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lauream"))
        .args(args)
        .env("LAUREAM_SEAL_PASSWORD", password)
        .output()
        .expect("avvio di lauream")
}

/// A sealed build that must succeed.
fn build_sigillata(out: &Path, p12: &str, altri: &[&str]) -> String {
    let p12 = pki().join(p12);
    let demo = fixture("demo");
    // The registry in the output folder, not beside the shared fixture.
    let registro = out.join("registro.sqlite");
    let mut args = vec![
        "build",
        demo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--registry",
        registro.to_str().unwrap(),
        "--seal",
        p12.to_str().unwrap(),
    ];
    args.extend_from_slice(altri);
    let r = lauream_con_password(&args, PASSWORD);
    let err = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(r.status.success(), "build --seal: {err}");
    assert!(!err.contains(PASSWORD), "la password non si stampa mai");
    err
}

/// The whole demo, sealed with the P-256 seal, built once.
fn demo_sigillata() -> &'static Path {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        build_sigillata(out.path(), "sigillo.p12", &[]);
        out
    })
    .path()
}

/// One rendered document of each family (the dossier's index, not the
/// documents filed as they are).
fn uno_per_tipo(out: &Path) -> Vec<PathBuf> {
    let indice = indice_di(out);
    ["bando", "decreto", "pergamena", "attestato", "dossier"]
        .iter()
        .map(|t| {
            let d = indice
                .iter()
                .find(|d| {
                    let p = d["path"].as_str().unwrap();
                    d["kind"] == *t && (*t != "dossier" || p.ends_with("00-indice-dossier.pdf"))
                })
                .unwrap_or_else(|| panic!("nessun documento {t}"));
            out.join(d["path"].as_str().unwrap())
        })
        .collect()
}

/// What `pdfsig` says of a file.
fn pdfsig(pdf: &Path) -> String {
    let r = poppler("pdfsig").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&r.stdout).into_owned() + &String::from_utf8_lossy(&r.stderr)
}

/// pyHanko's one-line verdict on a file, with the test CA as the only root.
fn pyhanko(pdf: &Path, ca: &str) -> String {
    let r = strumenti()
        .script("pyhanko")
        .args(["sign", "validate", "--trust"])
        .arg(pki().join(ca))
        .arg("--trust-replace")
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&r.stdout).into_owned() + &String::from_utf8_lossy(&r.stderr)
}

fn verify_doc(pdf: &Path, out: &Path, trust: Option<&str>) -> (bool, String) {
    let mut args = vec![
        "verify-doc".to_string(),
        pdf.to_str().unwrap().to_string(),
        "--out".into(),
        out.to_str().unwrap().into(),
    ];
    if let Some(ca) = trust {
        args.push("--trust".into());
        args.push(pki().join(ca).to_str().unwrap().into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = lauream(&args);
    (
        r.status.success(),
        String::from_utf8_lossy(&r.stdout).into_owned() + &String::from_utf8_lossy(&r.stderr),
    )
}

#[test]
fn pdfsig_trova_ogni_famiglia_sigillata_valida_e_intera() {
    for pdf in uno_per_tipo(demo_sigillata()) {
        let s = pdfsig(&pdf);
        for atteso in [
            "Signature Type: ETSI.CAdES.detached",
            "Signing Hash Algorithm: SHA-256",
            "Total document signed",
            "Signature Validation: Signature is Valid.",
            "Signer Certificate Common Name: Sigillo elettronico di prova",
        ] {
            assert!(
                s.contains(atteso),
                "{}: manca «{atteso}»:\n{s}",
                pdf.display()
            );
        }
    }
}

#[test]
fn pyhanko_lo_trova_intatto_e_attendibile() {
    for pdf in uno_per_tipo(demo_sigillata()) {
        let s = pyhanko(&pdf, "ca.pem");
        assert!(
            s.contains(":INTACT:TRUSTED,UNTOUCHED"),
            "{}: {s}",
            pdf.display()
        );
    }
    // Another root: intact, but not trusted.
    let pdf = &uno_per_tipo(demo_sigillata())[0];
    let s = pyhanko(pdf, "altra-ca.pem");
    assert!(s.contains(":INTACT:UNTRUSTED"), "{s}");
}

#[test]
fn i_documenti_forniti_restano_come_sono() {
    let out = demo_sigillata();
    let cartella = fixture("demo").join("dossier/aggiornamento-pelletteria");
    let originali: Vec<Vec<u8>> = file_sotto(&cartella)
        .iter()
        .map(|f| std::fs::read(cartella.join(f)).unwrap())
        .collect();
    let forniti: Vec<_> = indice_di(out)
        .into_iter()
        .filter(|d| {
            d["kind"] == "dossier"
                && !d["path"]
                    .as_str()
                    .unwrap()
                    .ends_with("00-indice-dossier.pdf")
        })
        .collect();
    assert!(!forniti.is_empty());
    for d in forniti {
        let b = std::fs::read(out.join(d["path"].as_str().unwrap())).unwrap();
        assert!(originali.contains(&b), "{} è cambiato", d["path"]);
    }
}

#[test]
fn verify_doc_dice_firmatario_ora_e_catena() {
    let out = demo_sigillata();
    let pdf = &uno_per_tipo(out)[3];
    let (ok, s) = verify_doc(pdf, out, Some("ca.pem"));
    assert!(ok, "{s}");
    for atteso in [
        "sigillo elettronico: INTEGRO",
        "firmatario:         CN=Sigillo elettronico di prova",
        "ora della firma:",
        "(dichiarata nel documento)",
        "catena:             attendibile, fino a «CN=CA di prova lauream",
        "stato:              valido",
    ] {
        assert!(s.contains(atteso), "manca «{atteso}»:\n{s}");
    }
    let (ok, s) = verify_doc(pdf, out, Some("altra-ca.pem"));
    assert!(!ok, "{s}");
    assert!(s.contains("NON attendibile (chain not trusted)"), "{s}");
    let (ok, s) = verify_doc(pdf, out, None);
    assert!(ok, "{s}");
    assert!(s.contains("catena:             non verificata"), "{s}");
    // The whole output, archive included, still checks out.
    let r = lauream(&["verify", out.to_str().unwrap()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

#[test]
fn un_byte_cambiato_dopo_il_sigillo_e_rifiutato() {
    let out = demo_sigillata();
    let pdf = &uno_per_tipo(out)[3];
    let tmp = tempfile::tempdir().unwrap();
    let originale = std::fs::read(pdf).unwrap();

    // One byte of the signed content.
    let mut b = originale.clone();
    b[2000] ^= 0x01;
    let alterato = tmp.path().join("alterato.pdf");
    std::fs::write(&alterato, &b).unwrap();
    let s = pdfsig(&alterato);
    assert!(s.contains("Digest Mismatch"), "{s}");
    let (ok, s) = verify_doc(&alterato, out, Some("ca.pem"));
    assert!(!ok, "{s}");
    assert!(s.contains("sigillo elettronico: NON VALIDO"), "{s}");
    assert!(s.contains("il file è stato alterato"), "{s}");
    assert!(s.contains("NON risulta emesso"), "{s}");

    // Something appended after the seal: the signature no longer covers the file.
    let mut b = originale.clone();
    b.extend_from_slice(b"\n% aggiunta\n");
    let allungato = tmp.path().join("allungato.pdf");
    std::fs::write(&allungato, &b).unwrap();
    assert!(pdfsig(&allungato).contains("Not total document signed"));
    let (ok, s) = verify_doc(&allungato, out, None);
    assert!(!ok, "{s}");
    assert!(s.contains("la firma non copre l'intero file"), "{s}");
}

#[test]
fn sigillare_due_volte_da_gli_stessi_byte() {
    for p12 in ["sigillo.p12", "sigillo-rsa.p12"] {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for out in [a.path(), b.path()] {
            build_sigillata(out, p12, &["--course", CORSO]);
        }
        let pdf: Vec<String> = file_sotto(&a.path().join("2025-2026"))
            .into_iter()
            .filter(|f| f.ends_with(".pdf"))
            .collect();
        assert!(!pdf.is_empty());
        for f in &pdf {
            let (x, y) = (
                a.path().join("2025-2026").join(f),
                b.path().join("2025-2026").join(f),
            );
            assert_eq!(
                std::fs::read(&x).unwrap(),
                std::fs::read(&y).unwrap(),
                "{p12}: {f}"
            );
        }
        let s = pdfsig(&a.path().join("2025-2026").join(&pdf[0]));
        assert!(s.contains("Signature is Valid."), "{p12}: {s}");
    }
}

#[test]
fn il_pdf_sigillato_resta_pdfa_con_i_suoi_metadati() {
    let pdf: Vec<PathBuf> = uno_per_tipo(demo_sigillata());
    // qpdf's syntax check (through pikepdf) on every family.
    let r = strumenti()
        .python()
        .arg(radice().join("tests/strumenti/controlla_pdf.py"))
        .args(&pdf)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stdout));
    // The XMP still says PDF/A-2b; the signature field is as PDF/A wants it:
    // printable, locked, no area (so no appearance), in the catalog's form.
    let controllo = r#"
import sys, pikepdf
for p in sys.argv[1:]:
    with pikepdf.open(p) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B", (p, pdf.open_metadata().pdfa_status)
        form = pdf.Root.AcroForm
        assert int(form.SigFlags) == 3, p
        campo = form.Fields[0]
        assert int(campo.F) == 132 and [float(x) for x in campo.Rect] == [0, 0, 0, 0], p
        assert campo.FT == "/Sig" and campo.V.SubFilter == "/ETSI.CAdES.detached", p
        assert any(a.objgen == campo.objgen for a in pdf.pages[0].Annots), p
        assert "/Metadata" in pdf.Root and "/OutputIntents" in pdf.Root, p
"#;
    let r = strumenti()
        .python()
        .args(["-c", controllo])
        .args(&pdf)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    for p in &pdf {
        let meta = poppler("pdfinfo").arg("-meta").arg(p).output().unwrap();
        let meta = String::from_utf8_lossy(&meta.stdout);
        assert!(
            meta.contains("<pdfaid:part>2</pdfaid:part>"),
            "{}",
            p.display()
        );
        assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    }
}

#[test]
fn la_nota_del_sigillo_solo_sui_documenti_sigillati() {
    const NOTA: &str = "Documento sottoscritto con sigillo elettronico ai sensi del D.Lgs. 82/2005";
    assert_eq!(NOTA, lauream::sigillo::NOTA);
    for pdf in uno_per_tipo(demo_sigillata()) {
        assert!(testo_pdf(&pdf).contains(NOTA), "{}", pdf.display());
    }
    let tmp = tempfile::tempdir().unwrap();
    build_riuscita(&fixture("demo"), tmp.path(), &["--course", CORSO]);
    for f in file_sotto(tmp.path())
        .iter()
        .filter(|f| f.starts_with("2025-2026") && f.ends_with(".pdf"))
    {
        let pdf = tmp.path().join(f);
        assert!(!testo_pdf(&pdf).contains("sigillo elettronico"), "{f}");
        assert!(
            pdfsig(&pdf).contains("does not contain any signatures"),
            "{f}"
        );
    }
}

/// A build that must fail before writing anything; returns its messages.
fn build_rifiutata(p12: &str, password: Option<&str>) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let p12 = pki().join(p12);
    let mut c = Command::new(env!("CARGO_BIN_EXE_lauream"));
    c.args(["build", fixture("demo").to_str().unwrap(), "--out"])
        .arg(&out)
        .arg("--registry")
        .arg(out.join("registro.sqlite"))
        .arg("--seal")
        .arg(&p12)
        .env_remove("LAUREAM_SEAL_PASSWORD");
    if let Some(p) = password {
        c.env("LAUREAM_SEAL_PASSWORD", p);
    }
    let r = c.output().unwrap();
    let testo =
        String::from_utf8_lossy(&r.stdout).into_owned() + &String::from_utf8_lossy(&r.stderr);
    assert!(!r.status.success(), "{testo}");
    assert!(!out.exists(), "nulla deve essere scritto:\n{testo}");
    for p in [PASSWORD, "sbagliata-1234"] {
        assert!(!testo.contains(p), "la password non si stampa: {testo}");
    }
    testo
}

#[test]
fn password_errata_o_certificato_scaduto_fermano_la_build_prima_di_scrivere() {
    let s = build_rifiutata("sigillo.p12", Some("sbagliata-1234"));
    assert!(s.contains("password del sigillo errata"), "{s}");
    let s = build_rifiutata("scaduto.p12", Some(PASSWORD));
    assert!(s.contains("«CN=Sigillo scaduto"), "{s}");
    assert!(s.contains("scaduto il 2020-01-01"), "{s}");
    let s = build_rifiutata("sigillo.p12", None);
    assert!(s.contains("LAUREAM_SEAL_PASSWORD"), "{s}");
    assert!(s.contains("--seal-password-file"), "{s}");

    // The password from a file works, and is no argument.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("password.txt");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    let out = tmp.path().join("out");
    let p12 = pki().join("sigillo.p12");
    let r = Command::new(env!("CARGO_BIN_EXE_lauream"))
        .args([
            "build",
            fixture("demo").to_str().unwrap(),
            "--course",
            CORSO,
            "--kind",
            "attestato",
            "--out",
        ])
        .arg(&out)
        .arg("--registry")
        .arg(out.join("registro.sqlite"))
        .arg("--seal")
        .arg(&p12)
        .arg("--seal-password-file")
        .arg(&file)
        .env_remove("LAUREAM_SEAL_PASSWORD")
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

#[test]
fn attivare_il_sigillo_rigenera_e_una_rebuild_uguale_non_rifa_nulla() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    build_riuscita(&fixture("demo"), out, &["--course", CORSO]);
    let attestato = indice_di(out)
        .into_iter()
        .find(|d| d["kind"] == "attestato")
        .unwrap();
    let pdf = out.join(attestato["path"].as_str().unwrap());
    assert!(pdfsig(&pdf).contains("does not contain any signatures"));
    // The documents are already issued: sealing them changes their bytes,
    // which only --overwrite allows.
    let p12 = pki().join("sigillo.p12");
    let demo = fixture("demo");
    let registro = out.join("registro.sqlite");
    let args = [
        "build",
        demo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--registry",
        registro.to_str().unwrap(),
        "--course",
        CORSO,
        "--seal",
        p12.to_str().unwrap(),
    ];
    let r = lauream_con_password(&args, PASSWORD);
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("--overwrite"));
    let err = build_sigillata(out, "sigillo.p12", &["--course", CORSO, "--overwrite"]);
    assert!(
        err.contains("sigillo elettronico: CN=Sigillo elettronico di prova"),
        "{err}"
    );
    let rifatto = indice_di(out)
        .into_iter()
        .find(|d| d["kind"] == "attestato")
        .unwrap();
    let pdf = out.join(rifatto["path"].as_str().unwrap());
    assert!(pdfsig(&pdf).contains("Signature is Valid."));
    // The same seal again: every document is kept by its render key.
    let err = build_sigillata(out, "sigillo.p12", &["--course", CORSO]);
    assert!(err.contains("(0 generati, 9 invariati)"), "{err}");
    let err = build_sigillata(out, "sigillo.p12", &["--course", CORSO]);
    assert!(err.contains("nulla da rigenerare"), "{err}");
}

/// certomancer's animator serving the test PKI's time-stamping authority
/// on a free loopback port; stopped when dropped.
struct Autorita {
    processo: Child,
    url: String,
}

impl Autorita {
    fn avvia() -> Self {
        let porta = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let processo = strumenti()
            .script("certomancer")
            .arg("--config")
            .arg(pki().join("certomancer.yml"))
            .args(["animate", "--no-web-ui", "--port", &porta.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut a = Autorita {
            processo,
            url: format!("http://127.0.0.1:{porta}/lauream/tsa/tsa"),
        };
        let inizio = Instant::now();
        while TcpStream::connect(("127.0.0.1", porta)).is_err() {
            assert!(
                a.processo.try_wait().unwrap().is_none(),
                "certomancer si è fermato"
            );
            assert!(
                inizio.elapsed() < Duration::from_secs(60),
                "certomancer non risponde"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        a
    }
}

impl Drop for Autorita {
    fn drop(&mut self) {
        let _ = self.processo.kill();
        let _ = self.processo.wait();
    }
}

#[test]
fn con_tsa_locale_la_firma_ha_la_marca_temporale() {
    let tsa = Autorita::avvia();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let err = build_sigillata(
        out,
        "sigillo.p12",
        &["--course", CORSO, "--kind", "attestato", "--tsa", &tsa.url],
    );
    assert!(err.contains("con marca temporale da"), "{err}");
    let pdf = out.join(indice_di(out)[0]["path"].as_str().unwrap());
    let s = pdfsig(&pdf);
    assert!(
        s.contains("Signature is Valid.") && s.contains("Total document signed"),
        "{s}"
    );
    let s = pyhanko(&pdf, "ca.pem");
    assert!(
        s.contains(":INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>,UNTOUCHED"),
        "{s}"
    );
    let (ok, s) = verify_doc(&pdf, out, Some("ca.pem"));
    assert!(ok, "{s}");
    assert!(s.contains("marca temporale:    "), "{s}");
    assert!(s.contains("da CN=Marca temporale di prova"), "{s}");
    assert!(s.contains("catena della marca: attendibile"), "{s}");
    drop(tsa);
    // An authority that does not answer stops the build before it writes.
    let porta = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let assente = tmp.path().join("assente");
    let p12 = pki().join("sigillo.p12");
    let url = format!("http://127.0.0.1:{porta}/tsa");
    let registro = assente.join("registro.sqlite");
    let r = lauream_con_password(
        &[
            "build",
            fixture("demo").to_str().unwrap(),
            "--out",
            assente.to_str().unwrap(),
            "--registry",
            registro.to_str().unwrap(),
            "--seal",
            p12.to_str().unwrap(),
            "--tsa",
            &url,
        ],
        PASSWORD,
    );
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("marca temporale da"));
    assert!(!assente.exists());
}

/// Thread CPU time: sealing runs on the calling thread.
fn cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec it is given.
    assert_eq!(
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) },
        0
    );
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// The benchmark of sealing alone: the CPU time per document of sealing
/// the demo's rendered PDFs, with each test key. `bash bench/sigillo.sh`
/// prints the figures. The P-256 seal must stay under 1 ms per document.
#[test]
fn costo_del_sigillo_per_documento() {
    let tmp = tempfile::tempdir().unwrap();
    build_riuscita(&fixture("demo"), tmp.path(), &[]);
    let documenti: Vec<(Vec<u8>, String)> = indice_di(tmp.path())
        .into_iter()
        .filter(|d| {
            let p = d["path"].as_str().unwrap();
            !p.contains("/dossier/") || p.ends_with("00-indice-dossier.pdf")
        })
        .map(|d| {
            (
                std::fs::read(tmp.path().join(d["path"].as_str().unwrap())).unwrap(),
                d["date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let kb = documenti.iter().map(|(b, _)| b.len()).sum::<usize>() / documenti.len() / 1024;
    for (p12, chiave) in [
        ("sigillo.p12", "ECDSA P-256"),
        ("sigillo-rsa.p12", "RSA-2048"),
    ] {
        let s = lauream::sigillo::Sigillo::da_pkcs12(&pki().join(p12), PASSWORD, None).unwrap();
        let giri = 3;
        let inizio = cpu();
        for _ in 0..giri {
            for (pdf, data) in &documenti {
                std::hint::black_box(s.sigilla(pdf, data).unwrap());
            }
        }
        let per_doc = (cpu() - inizio) / (giri * documenti.len()) as u32;
        println!(
            "sigillo {chiave}: {:.3} ms di CPU per documento ({} documenti da {kb} KB in media, {giri} giri)",
            per_doc.as_secs_f64() * 1e3,
            documenti.len()
        );
        if chiave == "ECDSA P-256" {
            assert!(
                per_doc < Duration::from_millis(1),
                "{per_doc:?} per documento"
            );
        }
    }
}
