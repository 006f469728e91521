//! One writer at a time, with two real processes: while a `lauream build`
//! of a synthetic year is running, a second build and a revocation on the
//! same output directory fail at once naming its pid and start time; with
//! `--wait` a build waits for it and then succeeds; `lookup`, `verify-doc`,
//! `registry list` and `verify` keep answering meanwhile.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;
use lauream::build::lucchetto::{leggi_occupante, FILE_LUCCHETTO};
use lauream::registry::elenco::FiltroElenco;
use lauream::registry::{Registro, FILE_REGISTRO};

fn avvia(args: &[&str], stderr: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_lauream"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(stderr).unwrap())
        .spawn()
        .expect("avvio di lauream")
}

fn testo(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn un_solo_scrittore_alla_volta_e_i_lettori_continuano() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let out = tmp.path().join("out");
    let (d, o) = (ds.to_str().unwrap(), out.to_str().unwrap());
    let r = lauream(&["synth", "--people", "600", "--courses", "6", d]);
    assert!(r.status.success(), "{}", testo(&r));
    // A first, small build: the calls only, so that the registry already
    // holds documents for the readers.
    // The office's registry, beside the (temporary) dataset, for every build.
    let r = lauream(&["build", d, "--out", o, "--kind", "bando"]);
    assert!(r.status.success(), "{}", testo(&r));
    let bando = Registro::apri_esistente(&ds.join(FILE_REGISTRO))
        .unwrap()
        .elenco(&FiltroElenco::default())
        .unwrap()
        .remove(0);

    // The whole year, on one rendering thread: it holds the lock for a while.
    let err_a = tmp.path().join("a.txt");
    let mut a = avvia(&["build", d, "--out", o, "--jobs", "1"], &err_a);
    let pid = a.id();
    let inizio = Instant::now();
    while leggi_occupante(&out.join(FILE_LUCCHETTO)).map(|o| o.pid) != Some(pid) {
        assert!(
            a.try_wait().unwrap().is_none(),
            "la build è finita prima di prendere il lucchetto: {}",
            std::fs::read_to_string(&err_a).unwrap()
        );
        assert!(
            inizio.elapsed() < Duration::from_secs(60),
            "lucchetto mai preso"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // A second build fails at once, naming who holds the lock and since when.
    let t = Instant::now();
    let b = lauream(&["build", d, "--out", o]);
    let secondi = t.elapsed().as_secs_f64();
    let msg = testo(&b);
    assert!(!b.status.success(), "{msg}");
    assert!(
        secondi < 5.0,
        "la seconda build ha atteso {secondi:.1} s: {msg}"
    );
    assert!(
        msg.contains(&format!("lauream build (pid {pid}, dal 20")),
        "{msg}"
    );
    assert!(
        msg.contains("--wait") && msg.contains(FILE_LUCCHETTO),
        "{msg}"
    );
    // So does a revocation on its registry, which stays as it was.
    let rv = lauream(&["revoke", &bando.codice, "--reason", "prova", "--out", o]);
    assert!(!rv.status.success(), "{}", testo(&rv));
    assert!(testo(&rv).contains(&format!("pid {pid}")), "{}", testo(&rv));

    // Readers keep working.
    let l = lauream(&["lookup", &bando.codice, "--out", o]);
    assert!(l.status.success(), "lookup durante la build: {}", testo(&l));
    assert!(testo(&l).contains("valido"), "{}", testo(&l));
    let pdf = out.join(&bando.percorso);
    let v = lauream(&["verify-doc", pdf.to_str().unwrap(), "--out", o]);
    assert!(
        v.status.success(),
        "verify-doc durante la build: {}",
        testo(&v)
    );
    let e = lauream(&["registry", "list", "--out", o, "--kind", "bando"]);
    assert!(
        e.status.success(),
        "registry list durante la build: {}",
        testo(&e)
    );
    assert!(testo(&e).contains(&bando.codice), "{}", testo(&e));
    let vf = lauream(&["verify", o]);
    assert!(
        vf.status.success(),
        "verify durante la build: {}",
        testo(&vf)
    );
    assert!(testo(&vf).contains(&format!("pid {pid}")), "{}", testo(&vf));
    assert!(
        a.try_wait().unwrap().is_none(),
        "la prima build è finita prima delle prove: serve un dataset più grande"
    );

    // With --wait a build waits for the first, then runs on what it left.
    let err_c = tmp.path().join("c.txt");
    let mut c = avvia(&["build", d, "--out", o, "--wait"], &err_c);
    let inizio = Instant::now();
    while !std::fs::read_to_string(&err_c)
        .unwrap()
        .contains("in attesa")
    {
        assert!(
            c.try_wait().unwrap().is_none(),
            "{}",
            std::fs::read_to_string(&err_c).unwrap()
        );
        assert!(
            inizio.elapsed() < Duration::from_secs(30),
            "nessun avviso di attesa"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let stato_a = a.wait().unwrap();
    assert!(
        stato_a.success(),
        "{}",
        std::fs::read_to_string(&err_a).unwrap()
    );
    let stato_c = c.wait().unwrap();
    let msg_c = std::fs::read_to_string(&err_c).unwrap();
    assert!(stato_c.success(), "{msg_c}");
    assert!(
        msg_c.contains(&format!(
            "in attesa che termini lauream build (pid {pid}, dal 20"
        )),
        "{msg_c}"
    );
    // It found the first build complete: nothing left to do.
    assert!(
        msg_c.contains("invariati dall'ultima build completa"),
        "{msg_c}"
    );

    // Released and empty; the output is whole.
    assert_eq!(std::fs::read(out.join(FILE_LUCCHETTO)).unwrap(), b"");
    let vf = lauream(&["verify", o]);
    assert!(vf.status.success(), "{}", testo(&vf));
    assert!(!testo(&vf).contains("in corso"), "{}", testo(&vf));
}
