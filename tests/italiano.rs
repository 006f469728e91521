//! The command line speaks Italian: help pages, argument errors, counts
//! with their plural, numbers with a decimal comma, and the errors of the
//! operating system and of libraries turned into what to do. Run on the
//! real binary, as a secretary would meet them.

mod common;

use common::*;

/// What clap writes in English, none of which may reach the user.
const INGLESE: &[&str] = &[
    "Usage:",
    "error:",
    "invalid value",
    "For more information",
    "Options:",
    "Arguments:",
    "Commands:",
    "Print help",
    "Print version",
    "[default:",
    "possible values",
    "tip:",
    "[OPTIONS]",
    "<COMMAND>",
    "unexpected argument",
    "required arguments",
    "wasn't recognized",
    "unrecognized subcommand",
    "cannot be used with",
];

fn senza_inglese(contesto: &str, testo: &str) {
    for i in INGLESE {
        assert!(!testo.contains(i), "{contesto}: «{i}» in:\n{testo}");
    }
}

fn uscita(args: &[&str]) -> (Option<i32>, String, String) {
    let o = lauream(args);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const COMANDI: &[&str] = &[
    "check",
    "build",
    "verify-doc",
    "lookup",
    "revoke",
    "plan",
    "verify",
    "export",
    "synth",
    "schema",
];

#[test]
fn l_aiuto_di_ogni_comando_e_in_italiano() {
    let mut pagine = vec![("lauream --help".to_string(), uscita(&["--help"]))];
    pagine.push(("lauream help".into(), uscita(&["help"])));
    for c in COMANDI {
        pagine.push((format!("{c} --help"), uscita(&[c, "--help"])));
        pagine.push((format!("{c} -h"), uscita(&[c, "-h"])));
        pagine.push((format!("help {c}"), uscita(&["help", c])));
    }
    for (nome, (codice, out, err)) in &pagine {
        assert_eq!(*codice, Some(0), "{nome}: {err}");
        assert!(out.contains("Uso: lauream"), "{nome}:\n{out}");
        senza_inglese(nome, out);
        senza_inglese(nome, err);
    }
    let (_, radice, _) = uscita(&["--help"]);
    assert!(
        radice.contains("Comandi:") && radice.contains("Opzioni:"),
        "{radice}"
    );
    let (_, build, _) = uscita(&["build", "--help"]);
    for atteso in [
        "Argomenti:",
        "<DATASET>",
        "ateneo.json",
        "iscrizioni/",
        "[predefinito: output]",
    ] {
        assert!(
            build.contains(atteso),
            "build --help senza «{atteso}»:\n{build}"
        );
    }
    // DATASET is described, and the help points to the dataset's format.
    assert!(
        build.contains("lauream schema") && build.contains("The dataset"),
        "build --help non dice dove è descritto il formato del dataset:\n{build}"
    );
    assert!(build.contains("[valori: bando, decreto, pergamena, attestato, dossier]"));
}

#[test]
fn gli_errori_negli_argomenti_sono_in_italiano() {
    let demo = fixture("demo");
    let demo = demo.to_str().unwrap();
    let casi: &[(&[&str], &[&str])] = &[
        (
            &["build", demo, "--jobs", "molti"],
            &[
                "valore «molti» non valido per «--jobs",
                "numero intero",
                "lauream build --help",
            ],
        ),
        (
            &["build", demo, "--kind", "certificato"],
            &[
                "valore «certificato» non valido per «--kind",
                "valori ammessi: bando, decreto",
            ],
        ),
        (
            &["build", demo, "--outt", "x"],
            &["opzione «--outt» sconosciuta", "forse", "«--out»"],
        ),
        (
            &["build"],
            &[
                "manca un argomento obbligatorio",
                "<DATASET>",
                "Uso: lauream build",
            ],
        ),
        (
            &["biuld", demo],
            &["comando «biuld» sconosciuto", "il comando «build»"],
        ),
        (
            &["export", "dest", "--course", "x", "--all"],
            &["non si possono usare insieme"],
        ),
        (
            &["build", demo, "--doc-timeout", "presto"],
            &["«presto»", "come 60 o 2,5"],
        ),
        (&["help", "nessuno"], &["comando «nessuno» sconosciuto"]),
    ];
    for (args, attesi) in casi {
        let (codice, out, err) = uscita(args);
        let nome = args.join(" ");
        assert_eq!(codice, Some(2), "{nome}: {err}");
        assert!(err.starts_with("errore: "), "{nome}:\n{err}");
        for a in *attesi {
            assert!(err.contains(a), "{nome}: manca «{a}»:\n{err}");
        }
        senza_inglese(&nome, &err);
        senza_inglese(&nome, &out);
    }
    // No command at all: the help, on standard error, in Italian.
    let (codice, _, err) = uscita(&[]);
    assert_eq!(codice, Some(2));
    assert!(err.contains("Uso: lauream <COMANDO>"), "{err}");
    senza_inglese("lauream", &err);
    // A decimal comma is a number.
    let d = tempfile::tempdir().unwrap();
    let o = lauream_build(
        &fixture("minimal"),
        d.path(),
        &["--kind", "bando", "--doc-timeout", "30,5"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn plurali_e_decimali() {
    // One error, one warning: singular.
    let (codice, _, err) = uscita(&["check", fixture("invalid/cf-errato").to_str().unwrap()]);
    assert_eq!(codice, Some(1));
    assert!(err.contains(": 1 errore; nulla è stato scritto"), "{err}");
    assert!(!err.contains("1 errori"), "{err}");

    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    copia(&fixture("minimal"), &ds);
    let csv = ds.join("iscrizioni/formazione-comunicazione.csv");
    let testo = std::fs::read_to_string(&csv).unwrap();
    let (intestazione, resto) = testo.split_once('\n').unwrap();
    // An unknown column is one warning.
    std::fs::write(
        &csv,
        format!("{intestazione},note\n{}", resto.replace('\n', ",\n")),
    )
    .unwrap();
    let (codice, _, err) = uscita(&["check", ds.to_str().unwrap()]);
    assert_eq!(codice, Some(0), "{err}");
    assert!(
        err.contains("2 corsi, 6 iscrizioni, 8 documenti: nessun errore (1 avviso)"),
        "{err}"
    );

    // The build's summary: counts agreed, seconds with a decimal comma.
    let err = build_riuscita(
        &fixture("minimal"),
        &d.path().join("out"),
        &["--kind", "bando"],
    );
    let riga = err
        .lines()
        .find(|l| l.contains("generati,"))
        .unwrap_or_else(|| panic!("manca il riepilogo:\n{err}"));
    assert!(
        riga.starts_with("2 documenti (2 generati, 0 invariati)"),
        "{riga}"
    );
    let secondi = riga
        .split(" (")
        .nth(2)
        .unwrap()
        .split(" s)")
        .next()
        .unwrap();
    assert!(secondi.contains(',') && !secondi.contains('.'), "{riga}");
    let velocita = err.lines().find(|l| l.contains("documenti/s")).unwrap();
    assert!(!velocita.contains('.'), "{velocita}");
}

#[test]
fn gli_errori_del_sistema_dicono_cosa_fare() {
    let d = tempfile::tempdir().unwrap();
    let assente = d.path().join("nessuno.pdf");
    let (codice, _, err) = uscita(&[
        "verify-doc",
        assente.to_str().unwrap(),
        "--registry",
        d.path().join("r.sqlite").to_str().unwrap(),
    ]);
    assert_eq!(codice, Some(1));
    assert!(err.contains("file o cartella inesistente"), "{err}");
    assert!(!err.contains("os error"), "{err}");

    // A damaged workbook: the secretary is told what the file is not.
    let ds = d.path().join("ds");
    copia(&fixture("minimal"), &ds);
    std::fs::write(ds.join("iscrizioni/rotto.xlsx"), b"PK\x03\x04 non proprio").unwrap();
    let (_, _, err) = uscita(&["check", ds.to_str().unwrap()]);
    assert!(
        err.contains("il file Excel è danneggiato o non è un .xlsx"),
        "{err}"
    );
    senza_inglese("xlsx", &err);

    // A broken JSON: what is missing, in Italian, with line and column.
    let corso = ds.join("corsi/formazione-comunicazione.json");
    let t = std::fs::read_to_string(&corso).unwrap();
    std::fs::write(&corso, t.replacen("\"titolo\"", "\"titlo\"", 1)).unwrap();
    let (_, _, err) = uscita(&["check", ds.to_str().unwrap()]);
    assert!(
        err.contains("campo «titlo» sconosciuto: forse «titolo»?"),
        "{err}"
    );
    assert!(!err.contains("unknown field"), "{err}");
}
