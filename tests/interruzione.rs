//! A build killed with SIGKILL at any moment (while rendering, while moving
//! documents into place, while archiving), then rerun, ends with a complete
//! and consistent output: `lauream verify` passes, every index entry's hash
//! matches its file, no temporary file or staging folder is left, and the
//! documents are exactly those of a build that was never interrupted.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn avvia_build(ds: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_lauream"))
        .args(argomenti_build(ds, out, &["--jobs", "2"]))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("avvio di lauream build")
}

/// Starts a build and kills it (SIGKILL) as soon as `momento` holds, polling
/// the output directory. Returns whether the kill happened before the build
/// finished on its own.
fn uccidi_quando(ds: &Path, out: &Path, momento: impl Fn(&Path) -> bool) -> bool {
    let mut figlio = avvia_build(ds, out);
    let inizio = Instant::now();
    loop {
        if let Some(stato) = figlio.try_wait().unwrap() {
            eprintln!("la build è finita da sola ({stato}) prima del momento atteso");
            return false;
        }
        if momento(out) {
            // Child::kill sends SIGKILL on Unix: no destructor, no clean-up runs.
            figlio.kill().unwrap();
            figlio.wait().unwrap();
            return true;
        }
        assert!(
            inizio.elapsed() < Duration::from_secs(120),
            "la build non ha raggiunto il momento atteso"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Names this program uses for work in progress.
fn temporanei(out: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".lauream-"))
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn staging_con_pdf(out: &Path) -> bool {
    std::fs::read_dir(out).is_ok_and(|r| {
        r.filter_map(Result::ok).any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(lauream::archive::PREFISSO_STAGING)
                && walkdir::WalkDir::new(e.path())
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|f| f.file_name().to_string_lossy().ends_with(".pdf"))
                    .nth(5)
                    .is_some()
        })
    })
}

/// A document already moved out of the staging folder into the output.
fn pubblicazione_iniziata(out: &Path) -> bool {
    std::fs::read_dir(out).is_ok_and(|r| {
        r.filter_map(Result::ok).any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            !n.starts_with('.') && e.path().is_dir() && n.contains('-') && n != "bags"
        })
    })
}

/// The OCFL storage root exists: archiving has begun.
fn archiviazione_iniziata(out: &Path) -> bool {
    out.join("ocfl").join("0=ocfl_1.1").exists()
}

fn bag_scritte(out: &Path) -> usize {
    std::fs::read_dir(out.join("bags"))
        .map(|r| r.filter_map(Result::ok).count())
        .unwrap_or(0)
}

fn build_completa(ds: &Path, out: &Path) {
    let r = lauream_build(ds, out, &[]);
    assert!(
        r.status.success(),
        "la build dopo l'interruzione deve riuscire:\n{}",
        String::from_utf8_lossy(&r.stderr)
    );
}

/// (path, sha256) of every index entry, after checking each hash against its file.
fn documenti_integri(out: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = indice_di(out)
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap().to_string();
            let sha = d["sha256"].as_str().unwrap().to_string();
            let reale = lauream::archive::sha256_file(&out.join(&path)).unwrap();
            assert_eq!(reale, sha, "{path}: l'impronta nell'indice non corrisponde");
            (path, sha)
        })
        .collect();
    v.sort();
    v
}

fn controlla_integra(out: &Path) -> Vec<(String, String)> {
    let r = lauream(&["verify", out.to_str().unwrap()]);
    assert!(
        r.status.success(),
        "verify dopo la ripresa:\n{}{}",
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&r.stderr)
    );
    let resti = temporanei(out);
    assert!(resti.is_empty(), "file temporanei rimasti: {resti:?}");
    documenti_integri(out)
}

#[test]
fn build_uccisa_e_ripresa_resta_coerente() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    let r = lauream(&[
        "synth",
        "--people",
        "400",
        "--courses",
        "6",
        ds.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));

    // The reference: the same dataset built without interruption.
    let riferimento = dir.path().join("riferimento");
    build_completa(&ds, &riferimento);
    let attesi = controlla_integra(&riferimento);
    assert!(attesi.len() > 300, "{} documenti", attesi.len());

    let out = dir.path().join("out");
    let mut colpi = 0;
    // 1. While rendering into the staging folder.
    if uccidi_quando(&ds, &out, staging_con_pdf) {
        colpi += 1;
        assert!(
            !temporanei(&out).is_empty(),
            "ucciso durante la resa, la cartella di staging deve esserci ancora"
        );
        assert!(!out.join("index.json").exists());
    }
    // 2. While moving documents into place.
    if uccidi_quando(&ds, &out, pubblicazione_iniziata) {
        colpi += 1;
    }
    // 3. While archiving (OCFL versions and bags), at two depths.
    if uccidi_quando(&ds, &out, archiviazione_iniziata) {
        colpi += 1;
    }
    let prima = bag_scritte(&out);
    if uccidi_quando(&ds, &out, |o| bag_scritte(o) >= prima + 2) {
        colpi += 1;
    }
    assert!(
        colpi >= 3,
        "la build è stata interrotta solo {colpi} volte su 4"
    );

    build_completa(&ds, &out);
    assert_eq!(
        controlla_integra(&out),
        attesi,
        "dopo le interruzioni i documenti devono essere quelli di una build mai interrotta"
    );

    // A second year of changes: a rebuild with different data killed while
    // archiving the new versions, then rerun. Its reference is the first
    // reference rebuilt the same way without interruption: superseded
    // documents get new registry numbers, so a build from scratch of the
    // changed data would not be the same.
    let riferimento2 = dir.path().join("riferimento2");
    copia(&riferimento, &riferimento2);
    let corso = std::fs::read_dir(ds.join("corsi"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let mut c: serde_json::Value = serde_json::from_slice(&std::fs::read(&corso).unwrap()).unwrap();
    c["titolo"] = format!("{} (nuova edizione)", c["titolo"].as_str().unwrap()).into();
    std::fs::write(&corso, serde_json::to_vec_pretty(&c).unwrap()).unwrap();
    // The changed documents replace issued ones: both builds need --overwrite.
    let mut figlio = Command::new(env!("CARGO_BIN_EXE_lauream"))
        .args(argomenti_build(&ds, &out, &["--overwrite"]))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let oggetti_prima = std::fs::read_dir(out.join("bags")).unwrap().count();
    let inizio = Instant::now();
    let mut ucciso = false;
    while figlio.try_wait().unwrap().is_none() {
        // A new bag zip means archiving of the new versions is under way.
        if bag_scritte(&out) > oggetti_prima {
            figlio.kill().unwrap();
            ucciso = true;
            break;
        }
        assert!(inizio.elapsed() < Duration::from_secs(120));
        std::thread::sleep(Duration::from_millis(1));
    }
    figlio.wait().unwrap();
    build_riuscita(&ds, &out, &["--overwrite"]);
    let dopo = controlla_integra(&out);
    build_riuscita(&ds, &riferimento2, &["--overwrite"]);
    assert_eq!(dopo, controlla_integra(&riferimento2));
    eprintln!("interruzioni: {colpi} + {}", ucciso as u8);
}
