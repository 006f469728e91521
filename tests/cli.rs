//! The command line's own contract: an error is printed with every cause
//! that explains it, a verdict says why, and the exit codes stay what
//! scripts rely on (0 success, 1 failure, 2 arguments the program cannot
//! take or a mistyped code, 3 revoked, 4 superseded, 5 never issued).

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::*;
use lauream::registry::codice;
use lauream::registry::{Registro, FILE_REGISTRO};

/// The demo's calls only, built once: a small output directory with a
/// registry, for the commands that read one.
fn bandi() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        build_riuscita(&fixture("demo"), d.path(), &["--kind", "bando"]);
        d
    })
    .path()
}

/// A verification code the registry of [`bandi`] holds.
fn codice_emesso() -> String {
    let schede = Registro::apri_esistente(&bandi().join(FILE_REGISTRO))
        .unwrap()
        .tutte()
        .unwrap();
    schede
        .first()
        .expect("almeno un bando registrato")
        .codice
        .clone()
}

/// A well-formed code no build of the demo issues.
fn codice_ignoto() -> String {
    codice::deriva("altro ateneo", "mai emesso", 1, 0)
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn un_registro_di_una_versione_successiva_dice_perche() {
    let d = tempfile::tempdir().unwrap();
    let registro = d.path().join("nuovo.sqlite");
    let c = rusqlite::Connection::open(&registro).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);

    let o = lauream(&[
        "build",
        fixture("demo").to_str().unwrap(),
        "--out",
        d.path().join("out").to_str().unwrap(),
        "--registry",
        registro.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // The file and, after it, the reason: the cause is not lost.
    let atteso = format!(
        "errore: registro {}: versione dello schema 99 più recente",
        registro.display()
    );
    assert!(err.contains(&atteso), "manca «{atteso}»:\n{err}");
    assert!(err.contains("aggiornare lauream"), "{err}");
    assert_eq!(
        err.matches("più recente").count(),
        1,
        "causa ripetuta:\n{err}"
    );
}

#[test]
fn lookup_dice_perche_un_codice_non_va() {
    let out = bandi().to_str().unwrap();

    let o = lauream(&["lookup", "ABC", "--out", out]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ABC: il codice di verifica ha 3 caratteri invece di 10"),
        "{err}"
    );

    let ignoto = codice_ignoto();
    let o = lauream(&["lookup", &ignoto, "--out", out]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(5), "{err}");
    assert!(
        err.contains(&format!(
            "{ignoto}: codice ben formato ma NON presente nel registro"
        )),
        "{err}"
    );

    // Without a registry the question cannot be asked: the error says where
    // it looked and how to point elsewhere.
    let vuota = tempfile::tempdir().unwrap();
    let o = lauream(&["lookup", &ignoto, "--out", vuota.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(FILE_REGISTRO) && err.contains("registro inesistente"),
        "{err}"
    );
}

#[test]
fn i_codici_di_uscita_restano_quelli() {
    let demo = fixture("demo");
    let demo = demo.to_str().unwrap();
    let out = bandi().to_str().unwrap();
    let invalido = fixture("invalid").join("cf-errato");
    let codice = codice_emesso();
    let ignoto = codice_ignoto();
    let casi: &[(&[&str], i32)] = &[
        (&["--version"], 0),
        (&["check", demo], 0),
        (&["check", invalido.to_str().unwrap()], 1),
        (&["schema", "corso"], 0),
        (&["schema", "nessuna"], 1),
        (&["lookup", &codice, "--out", out], 0),
        (&["lookup", &ignoto, "--out", out], 5),
        (&["lookup", "ABC", "--out", out], 2),
        (&["revoke", "ABC", "--reason", "prova", "--out", out], 2),
        (&["verify", out], 0),
        (&["build", demo, "--out", out, "--doc-timeout=-1"], 1),
        (&["build", demo, "--out", out, "--course", "nessuno"], 1),
        // Arguments clap rejects: its own usage error and code.
        (&["build", demo, "--nessuna-opzione"], 2),
        (&["export", out], 2),
        (&["nessun-comando"], 2),
    ];
    for (args, atteso) in casi {
        let o = lauream(args);
        assert_eq!(
            o.status.code(),
            Some(*atteso),
            "lauream {}:\n{}",
            args.join(" "),
            stderr(&o)
        );
    }
}
