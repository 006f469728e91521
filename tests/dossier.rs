//! Dossiers of Regione-accredited courses (Linee guida §8): the index with its
//! ten sections, the documents supplied in the dataset copied as they are,
//! the completeness check and `build --strict`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

const CORSO: &str = "aggiornamento-pelletteria";

/// The ten sections as the guidelines list them, written here independently
/// of the code under test.
const SEZIONI: [&str; 10] = [
    "Comunicazioni d'inizio corso",
    "Comunicazioni di variazione del programma formativo",
    "Esiti della selezione",
    "Programma didattico",
    "Lettere d'incarico",
    "Altre comunicazioni",
    "Comunicazioni di fine corso",
    "Comunicazioni degli esami",
    "Comunicazioni della rendicontazione",
    "Attestati",
];

struct Build {
    out: tempfile::TempDir,
    stderr: String,
}

fn build(dataset: &Path, extra: &[&str]) -> Build {
    let out = tempfile::tempdir().unwrap();
    let r = lauream_build(dataset, out.path(), extra);
    let stderr = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(r.status.success(), "build fallita:\n{stderr}");
    Build { out, stderr }
}

/// The demo's dossiers, built once for every test in this file.
fn demo() -> &'static Build {
    static B: OnceLock<Build> = OnceLock::new();
    B.get_or_init(|| build(&fixture("demo"), &["--kind", "dossier"]))
}

fn indice(out: &Path) -> Vec<Value> {
    indice_di(out)
}

fn percorso_indice(corso: &str) -> String {
    format!("2025-2026/{corso}/dossier/00-indice-dossier.pdf")
}

/// The index's text; a path breaks only after a slash, so the space the
/// extraction puts there is removed.
fn testo_indice(out: &Path, corso: &str) -> String {
    testo_pdf(&out.join(percorso_indice(corso))).replace("/ ", "/")
}

fn sha256(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}

/// Files supplied for a course's dossier in a dataset: (section number, file).
fn forniti(dataset: &Path, corso: &str) -> Vec<(u32, PathBuf)> {
    let dir = dataset.join("dossier").join(corso);
    let mut v = Vec::new();
    for f in file_sotto(&dir) {
        let sezione: u32 = f[..2].parse().unwrap();
        v.push((sezione, dir.join(f)));
    }
    v
}

/// Sections the other families fill for the demo's accredited course, read
/// from the plan of every document (not from the dossier): 1 call and
/// activation decree, 2 extension, 3 ranking, 8 committee, 10 certificates.
fn sezioni_dalle_altre_famiglie(dataset: &Path, corso: &str) -> BTreeSet<u32> {
    let r = lauream(&["plan", dataset.to_str().unwrap(), "--course", corso]);
    assert!(r.status.success());
    let piano: Value = serde_json::from_slice(&r.stdout).unwrap();
    let mut s = BTreeSet::new();
    for d in piano["documenti"].as_array().unwrap() {
        let id = d["identificativo"].as_str().unwrap().replace(corso, "");
        match d["tipo"].as_str().unwrap() {
            "bando" => {
                s.insert(1);
            }
            "attestato" | "pergamena" => {
                s.insert(10);
            }
            "decreto" => {
                for (parola, n) in [
                    ("attivazione", 1),
                    ("proroga", 2),
                    ("graduatoria", 3),
                    ("commissione", 8),
                ] {
                    if id.contains(parola) {
                        s.insert(n);
                    }
                }
            }
            _ => {}
        }
    }
    s
}

fn mancanti_attese(dataset: &Path, corso: &str) -> Vec<(u32, &'static str)> {
    let mut coperte = sezioni_dalle_altre_famiglie(dataset, corso);
    coperte.extend(forniti(dataset, corso).into_iter().map(|(n, _)| n));
    // The teaching programme is the index's own annex.
    coperte.insert(4);
    (1..=10)
        .filter(|n| !coperte.contains(n))
        .map(|n| (n, SEZIONI[n as usize - 1]))
        .collect()
}

#[test]
fn indice_solo_per_i_corsi_accreditati() {
    let mut accreditati = BTreeSet::new();
    for f in std::fs::read_dir(fixture("demo/corsi")).unwrap() {
        let c: Value = serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
        if c["finanziamento"]["accreditamento_regionale"] == true {
            accreditati.insert(c["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(
        accreditati,
        BTreeSet::from([CORSO.to_string()]),
        "il demo ha un solo corso accreditato"
    );
    let docs = indice(demo().out.path());
    let indici: BTreeSet<String> = docs
        .iter()
        .filter(|d| {
            d["path"]
                .as_str()
                .unwrap()
                .ends_with("/00-indice-dossier.pdf")
        })
        .map(|d| d["course"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(indici, accreditati);
    for d in &docs {
        assert_eq!(d["kind"], "dossier", "{d}");
        assert_eq!(d["course"], CORSO, "{d}");
        assert!(d["person"].is_null(), "{d}");
        assert!(
            d["path"]
                .as_str()
                .unwrap()
                .starts_with(&format!("2025-2026/{CORSO}/dossier/")),
            "{d}"
        );
    }
    assert!(demo().out.path().join(percorso_indice(CORSO)).is_file());
}

#[test]
fn indice_con_intestazione_e_dieci_sezioni_in_ordine() {
    let t = testo_indice(demo().out.path(), CORSO);
    let c: Value = serde_json::from_slice(
        &std::fs::read(fixture("demo/corsi").join(format!("{CORSO}.json"))).unwrap(),
    )
    .unwrap();
    for atteso in [
        "Università degli Studi di Valdarno",
        "DOSSIER DEL CORSO",
        "Corso di aggiornamento professionale",
        c["titolo"].as_str().unwrap(),
        "anno accademico 2025/2026",
        c["finanziamento"]["fonte"].as_str().unwrap(),
        c["finanziamento"]["codice_progetto"].as_str().unwrap(),
        "Dott. Stefano Paoletti, responsabile amministrativo",
        "15 dicembre 2025",
        "dossier aperto",
        "Il Responsabile del dossier",
        "Allegato A – Programma didattico",
    ] {
        assert!(t.contains(atteso), "manca «{atteso}»:\n{t}");
    }
    // Every module of the teaching plan is in the annex.
    for m in c["moduli"].as_array().unwrap() {
        assert!(t.contains(m["codice"].as_str().unwrap()), "{m}");
        assert!(t.contains(m["titolo"].as_str().unwrap()), "{m}");
    }
    let mut da = 0;
    for (i, s) in SEZIONI.iter().enumerate() {
        let titolo = format!("Sezione {} – {s}", i + 1);
        let p = t[da..]
            .find(&titolo)
            .unwrap_or_else(|| panic!("«{titolo}» assente o fuori ordine:\n{t}"));
        da += p + titolo.len();
    }
    // No hashes in the index: the archive records them.
    assert!(!t.contains("sha256:"), "{t}");
}

#[test]
fn sezioni_mancanti_indicate_per_nome() {
    let mancanti = mancanti_attese(&fixture("demo"), CORSO);
    assert!(
        !mancanti.is_empty(),
        "il dossier del demo deve restare incompleto per provare l'avviso"
    );
    let t = testo_indice(demo().out.path(), CORSO);
    assert_eq!(
        t.matches("Sezione incompleta: nessun documento").count(),
        mancanti.len(),
        "attese mancanti: {mancanti:?}\n{t}"
    );
    for (n, titolo) in &mancanti {
        // The marker right under the section's heading...
        let intestazione = format!("Sezione {n} – {titolo}");
        let dopo = &t[t.find(&intestazione).unwrap() + intestazione.len()..];
        assert!(
            dopo.trim_start()
                .starts_with("Sezione incompleta: nessun documento"),
            "{intestazione}: {}",
            &dopo[..dopo.len().min(200)]
        );
        // ...and the section named in the summary at the end.
        let riepilogo = &t[t.find("Completezza del dossier").unwrap()..];
        assert!(riepilogo.contains(&format!("{n}. {titolo}")), "{riepilogo}");
    }
    // A section that has documents is not marked.
    let dopo = &t[t.find("Sezione 5 – Lettere d'incarico").unwrap()..];
    assert!(!dopo.starts_with("Sezione 5 – Lettere d'incarico Sezione incompleta"));
}

#[test]
fn build_avvisa_e_strict_rifiuta_senza_scrivere() {
    let mancanti = mancanti_attese(&fixture("demo"), CORSO);
    let err = &demo().stderr;
    let riga = err
        .lines()
        .find(|l| l.starts_with(&format!("avviso: corsi/{CORSO}.json, $.dossier")))
        .unwrap_or_else(|| panic!("nessun avviso sul dossier:\n{err}"));
    assert!(riga.contains("[Linee guida §8]"), "{riga}");
    for (n, titolo) in &mancanti {
        assert!(riga.contains(&format!("{n}. {titolo}")), "{riga}");
    }

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let r = lauream_build(&fixture("demo"), &out, &["--strict"]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(!r.status.success(), "--strict deve rifiutare:\n{err}");
    assert!(err.contains(CORSO), "{err}");
    for (_, titolo) in &mancanti {
        assert!(err.contains(titolo), "manca «{titolo}»:\n{err}");
    }
    assert!(
        !out.exists() || file_sotto(&out).is_empty(),
        "--strict non deve scrivere nulla: {:?}",
        file_sotto(&out)
    );
}

#[test]
fn allegati_copiati_identici_nelle_cartelle_delle_sezioni() {
    let out = demo().out.path();
    let docs = indice(out);
    let t = testo_indice(out, CORSO);
    let forniti = forniti(&fixture("demo"), CORSO);
    assert!(forniti.len() >= 4, "{forniti:?}");
    for (sezione, sorgente) in &forniti {
        let hash = sha256(sorgente);
        let voce = docs
            .iter()
            .find(|d| d["sha256"] == hash.as_str())
            .unwrap_or_else(|| panic!("{} non archiviato", sorgente.display()));
        let path = voce["path"].as_str().unwrap();
        assert!(
            path.starts_with(&format!("2025-2026/{CORSO}/dossier/{sezione:02}-")),
            "{path}"
        );
        // Extension kept, name slugged.
        assert!(path.ends_with(".pdf"), "{path}");
        let nome = path.rsplit('/').next().unwrap();
        assert!(
            nome.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'),
            "{nome}"
        );
        assert_eq!(sha256(&out.join(path)), hash, "{path}");
        assert!(voce["person"].is_null());
        assert!(t.contains(path), "l'indice non elenca {path}");
    }
}

#[test]
fn dossier_completo_passa_strict() {
    let b = build(&fixture("dossier-completo"), &["--strict"]);
    assert!(!b.stderr.contains("$.dossier"), "{}", b.stderr);
    let t = testo_indice(b.out.path(), CORSO);
    assert!(!t.contains("incomplet"), "{t}");
    assert!(t.contains("Tutte le dieci sezioni"), "{t}");
    // Closed: the index bears the closing date.
    assert!(t.contains("Chiusura 15 luglio 2026"), "{t}");
    assert!(t.contains("Montevarchi, 15 luglio 2026"), "{t}");
    // The certificates are filed in section 10 with their identifiers.
    let docs = indice(b.out.path());
    let attestati: Vec<&Value> = docs.iter().filter(|d| d["kind"] == "attestato").collect();
    assert!(!attestati.is_empty());
    let dieci = &t[t.find("Sezione 10 – Attestati").unwrap()..];
    for a in attestati {
        assert!(dieci.contains(a["path"].as_str().unwrap()), "{a}");
        assert!(dieci.contains(a["id"].as_str().unwrap()), "{a}");
    }
}

#[test]
fn file_fuori_dalle_sezioni_segnalati_e_non_archiviati() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("dossier-completo"), &ds);
    let base = ds.join("dossier").join(CORSO);
    let pdf = std::fs::read(&forniti(&ds, CORSO)[0].1).unwrap();
    for (rel, bytes) in [
        ("appunti.pdf", &b"%PDF-1.4 appunti"[..]),
        ("12-varie/nota.pdf", &pdf[..]),
        ("lettere/incarico.pdf", &pdf[..]),
        (
            "06-altre-comunicazioni/Verbale consegna materiale.pdf",
            &pdf[..],
        ),
        (
            "06-altre-comunicazioni/verbale_consegna_materiale.PDF",
            &b"%PDF-1.4 x"[..],
        ),
        ("06-altre-comunicazioni/.DS_Store", &b"x"[..]),
    ] {
        let p = base.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::create_dir_all(ds.join("dossier/corso-inesistente")).unwrap();
    std::fs::write(ds.join("dossier/corso-inesistente/a.pdf"), &pdf).unwrap();

    // Misfiled documents are refused, every one named, and nothing is written.
    let out = dir.path().join("out");
    let r = lauream_build(&ds, &out, &["--kind", "dossier"]);
    let stderr = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(
        !r.status.success(),
        "documenti fuori posto: la build deve fallire"
    );
    for atteso in [
        format!("errore: dossier/{CORSO}/appunti.pdf: file fuori da una cartella di sezione"),
        format!("errore: dossier/{CORSO}/12-varie/nota.pdf: la sezione 12 non esiste"),
        format!("errore: dossier/{CORSO}/lettere/incarico.pdf: la cartella «lettere»"),
        "errore: dossier/corso-inesistente/: nessun corso con id «corso-inesistente»".to_string(),
    ] {
        assert!(stderr.contains(&atteso), "manca «{atteso}»:\n{stderr}");
    }
    assert!(!stderr.contains(".DS_Store"), "{stderr}");
    assert!(
        !out.join("index.json").exists(),
        "nulla scritto: {:?}",
        file_sotto(&out)
    );

    // Once they are moved away, the rest is filed.
    std::fs::remove_file(base.join("appunti.pdf")).unwrap();
    std::fs::remove_dir_all(base.join("12-varie")).unwrap();
    std::fs::remove_dir_all(base.join("lettere")).unwrap();
    std::fs::remove_dir_all(ds.join("dossier/corso-inesistente")).unwrap();
    let b = build(&ds, &["--kind", "dossier"]);
    let docs = indice(b.out.path());
    let percorsi: Vec<&str> = docs.iter().map(|d| d["path"].as_str().unwrap()).collect();
    // Two names that slug alike are both filed, under distinct paths.
    let sezione6 = format!("2025-2026/{CORSO}/dossier/06-altre-comunicazioni/");
    assert!(percorsi.contains(&format!("{sezione6}verbale-consegna-materiale.pdf").as_str()));
    assert!(percorsi.contains(&format!("{sezione6}verbale-consegna-materiale-2.pdf").as_str()));
    let files = file_sotto(b.out.path());
    assert!(!files.iter().any(|f| f.contains("DS_Store")), "{files:?}");
}

#[test]
fn corso_accreditato_senza_dati_del_dossier() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("dossier-completo"), &ds);
    let f = ds.join("corsi").join(format!("{CORSO}.json"));
    let mut c: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
    c.as_object_mut().unwrap().remove("dossier");
    std::fs::write(&f, serde_json::to_vec_pretty(&c).unwrap()).unwrap();

    let b = build(&ds, &["--kind", "dossier"]);
    assert!(
        b.stderr.contains(&format!("avviso: corsi/{CORSO}.json, $.dossier: corso con accreditamento regionale senza i dati del dossier")),
        "{}",
        b.stderr
    );
    let t = testo_indice(b.out.path(), CORSO);
    assert!(t.contains("Responsabile del dossier non indicato"), "{t}");
    assert!(t.contains("dossier aperto"), "{t}");
}

#[test]
fn responsabile_concordato_nel_genere() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("dossier-completo"), &ds);
    let f = ds.join("corsi").join(format!("{CORSO}.json"));
    let mut c: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
    c["dossier"]["responsabile"] = serde_json::json!({ "nome": "Giulia", "cognome": "Neri", "titolo": "Dott.ssa", "genere": "F" });
    std::fs::write(&f, serde_json::to_vec_pretty(&c).unwrap()).unwrap();

    let b = build(&ds, &["--kind", "dossier"]);
    let t = testo_indice(b.out.path(), CORSO);
    assert!(
        t.contains("Dott.ssa Giulia Neri, responsabile amministrativa"),
        "{t}"
    );
    assert!(t.contains("La Responsabile del dossier"), "{t}");
    assert!(!t.contains("/a "), "nessuna forma con la barra: {t}");
}
