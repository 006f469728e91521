//! An office's day with the real binary: one registry per office whatever
//! the output folder, who gets nothing and why, a secretary's build not
//! blocked by another course, explanations before a refusal, finding a
//! document by code or tax code, and the answers' exit codes.
//!
//! These tests build copies of the fixtures without `--registry`: the
//! registry lands beside the copied dataset, as in an office.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use common::*;
use lauream::registry::{Registro, FILE_REGISTRO};
use serde_json::Value;

/// A copy of a fixture in a new temporary folder, as `DIR/ds`.
fn copia_di(fixture_nome: &str) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    copia(&fixture(fixture_nome), &ds);
    (d, ds)
}

/// `lauream build` exactly as typed, without the tests' registry in OUT.
fn build_come_in_ufficio(ds: &Path, out: &Path, altri: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        ds.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(altri);
    lauream(&args)
}

fn riuscita(o: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

fn per_id(out: &Path) -> HashMap<String, Value> {
    indice_di(out)
        .into_iter()
        .map(|v| (v["id"].as_str().unwrap().to_string(), v))
        .collect()
}

#[test]
fn due_cartelle_un_registro_stessi_numeri_e_codici() {
    let (d, ds) = copia_di("demo");
    let certificati = d.path().join("certificati");
    let anno = d.path().join("anno");
    // The README's secretary, then the office's whole year.
    riuscita(&build_come_in_ufficio(
        &ds,
        &certificati,
        &[
            "--course",
            "perfezionamento-inclusione",
            "--kind",
            "attestato",
        ],
    ));
    riuscita(&build_come_in_ufficio(&ds, &anno, &[]));

    let registro = ds.join(FILE_REGISTRO);
    assert!(registro.is_file(), "il registro sta accanto al dataset");
    for out in [&certificati, &anno] {
        assert!(
            !out.join(FILE_REGISTRO).exists(),
            "nessun registro nella cartella di uscita {}",
            out.display()
        );
    }

    let a = per_id(&certificati);
    let b = per_id(&anno);
    assert!(!a.is_empty());
    for (id, v) in &a {
        let w = &b[id];
        assert_eq!(v["number"], w["number"], "{id}: stesso numero");
        assert_eq!(v["code"], w["code"], "{id}: stesso codice");
        assert!(v["code"].is_string(), "{id}: codice nell'indice");
        // Same number and code printed: the very same bytes.
        assert_eq!(v["sha256"], w["sha256"], "{id}: stesso file");
    }

    // No number given twice, across both folders and in the registry.
    let mut visti: BTreeMap<(String, String), String> = BTreeMap::new();
    for v in a.values().chain(b.values()) {
        if let Some(n) = v["number"].as_str() {
            let chiave = (v["kind"].as_str().unwrap().to_string(), n.to_string());
            let id = v["id"].as_str().unwrap().to_string();
            if let Some(altro) = visti.insert(chiave.clone(), id.clone()) {
                assert_eq!(altro, id, "numero {chiave:?} dato a due documenti");
            }
        }
    }
    let righe = Registro::apri_esistente(&registro)
        .unwrap()
        .tutte()
        .unwrap();
    assert_eq!(righe.len(), b.len(), "una riga per documento, non due");

    // A third folder reuses what was issued: nothing new in the registry.
    let terza = d.path().join("terza");
    riuscita(&build_come_in_ufficio(
        &ds,
        &terza,
        &["--course", "perfezionamento-inclusione"],
    ));
    let dopo = Registro::apri_esistente(&registro)
        .unwrap()
        .tutte()
        .unwrap();
    assert_eq!(dopo.len(), righe.len());
    for (id, v) in per_id(&terza) {
        assert_eq!(v["number"], b[&id]["number"], "{id}");
    }

    // The registry beside the dataset is not part of the dataset: an
    // unchanged rebuild still stops right after loading.
    let err = riuscita(&build_come_in_ufficio(&ds, &anno, &[]));
    assert!(
        err.contains("invariati dall'ultima build completa"),
        "{err}"
    );

    // verify-doc finds the registry from the file's folder, with no option.
    let primo = a.values().next().unwrap();
    let pdf = certificati.join(primo["path"].as_str().unwrap());
    let o = lauream(&["verify-doc", pdf.to_str().unwrap()]);
    let testo = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{testo}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(testo.contains(primo["number"].as_str().unwrap()), "{testo}");
    // lookup from the dataset.
    let o = lauream(&[
        "lookup",
        primo["code"].as_str().unwrap(),
        "--dataset",
        ds.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn un_registro_indicato_in_ateneo_json_vale_per_ogni_build() {
    let (d, ds) = copia_di("minimal");
    let p = ds.join("ateneo.json");
    let mut a: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    a["registro"] = "../ufficio/registro-post-lauream.sqlite".into();
    std::fs::write(&p, serde_json::to_vec_pretty(&a).unwrap()).unwrap();
    let out = d.path().join("out");
    riuscita(&build_come_in_ufficio(&ds, &out, &[]));
    let registro = d.path().join("ufficio/registro-post-lauream.sqlite");
    assert!(registro.is_file());
    assert!(!ds.join(FILE_REGISTRO).exists());
    // An unchanged rebuild still stops right after loading: the registry is
    // not read as part of the dataset.
    let err = riuscita(&build_come_in_ufficio(&ds, &out, &[]));
    assert!(
        err.contains("invariati dall'ultima build completa"),
        "{err}"
    );
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_dice_chi_non_ricevera_documenti() {
    let demo = fixture("demo");
    let o = lauream(&["check", demo.to_str().unwrap()]);
    let err = riuscita(&o);
    for atteso in [
        "chi non riceve documenti: 6 persone",
        "  master-dati-pa: 2 (frequenza insufficiente)",
        "  master-diritto-energia: 1 (prova finale non superata)",
        "  perfezionamento-inclusione: 3 (",
        "manca l'istanza in bollo 1",
        "lauream check --dettagli",
    ] {
        assert!(err.contains(atteso), "manca «{atteso}»:\n{err}");
    }
    // Totals, not one line per person.
    assert!(!err.contains("Ceccarelli"), "{err}");
    let err = riuscita(&lauream(&["check", demo.to_str().unwrap(), "--dettagli"]));
    for atteso in [
        "Ceccarelli Marta (CCCMRT96S63A944H): frequenza 69,8% inferiore al minimo del 75%",
        "Marchetti Giovanni (MRCGNN92D15H501N): prova finale non superata",
        "Pellegrini Marco (PLLMRC87L26A944R): manca l'istanza in bollo",
    ] {
        assert!(err.contains(atteso), "manca «{atteso}»:\n{err}");
    }
    // The verdict stays the last line.
    assert!(
        err.trim_end()
            .lines()
            .last()
            .unwrap()
            .contains("nessun errore"),
        "{err}"
    );
}

#[test]
fn plan_dice_chi_resta_senza_documenti_con_ogni_filtro() {
    let demo = fixture("demo");
    let demo = demo.to_str().unwrap();
    let esclusi = |args: &[&str]| -> Vec<Value> {
        let o = lauream(args);
        assert!(o.status.success(), "{}", stderr(&o));
        let p: Value = serde_json::from_slice(&o.stdout).unwrap();
        p["esclusi"].as_array().unwrap().clone()
    };
    assert_eq!(esclusi(&["plan", demo]).len(), 6);
    assert_eq!(esclusi(&["plan", demo, "--kind", "bando"]).len(), 6);
    assert_eq!(esclusi(&["plan", demo, "--kind", "pergamena"]).len(), 6);
    let del_corso = esclusi(&[
        "plan",
        demo,
        "--course",
        "master-dati-pa",
        "--kind",
        "decreto",
    ]);
    assert_eq!(del_corso.len(), 2);
    assert!(del_corso.iter().all(|e| e["corso"] == "master-dati-pa"));

    // The readable form.
    let o = lauream(&[
        "plan",
        demo,
        "--course",
        "perfezionamento-inclusione",
        "--testo",
    ]);
    let testo = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!testo.contains('{'), "non è JSON:\n{testo}");
    for atteso in [
        "corso perfezionamento-inclusione:",
        "attestato",
        "nessun documento per 3 persone:",
        "Caruso Pietro (CRSPTR82B17G273O): assente alla prova finale",
        "totale: ",
    ] {
        assert!(testo.contains(atteso), "manca «{atteso}»:\n{testo}");
    }
}

#[test]
fn la_build_di_un_corso_dice_i_suoi_esclusi_e_perche_non_produce_nulla() {
    let (d, ds) = copia_di("demo");
    let o = build_come_in_ufficio(
        &ds,
        &d.path().join("certificati"),
        &[
            "--course",
            "perfezionamento-inclusione",
            "--kind",
            "attestato",
        ],
    );
    let err = riuscita(&o);
    assert!(err.contains("chi non riceve documenti: 3 persone"), "{err}");
    assert!(err.contains("  perfezionamento-inclusione: 3 ("), "{err}");
    assert!(
        !err.contains("master-dati-pa"),
        "solo il proprio corso:\n{err}"
    );

    // The calls only: who will get no certificate is still said.
    let err = riuscita(&build_come_in_ufficio(
        &ds,
        &d.path().join("bandi"),
        &["--kind", "bando"],
    ));
    assert!(err.contains("chi non riceve documenti: 6 persone"), "{err}");

    // Nothing to produce: the build says why. Without stamped requests a
    // Master's graduates get the parchment alone, and no certificate.
    let roster = ds.join("iscrizioni/master-diritto-energia.csv");
    let senza_bollo: Vec<String> = std::fs::read_to_string(&roster)
        .unwrap()
        .lines()
        .map(|r| {
            let mut c: Vec<&str> = r.split(',').collect();
            if c[0] == "master-diritto-energia" {
                for v in &mut c[15..19] {
                    *v = "";
                }
            }
            c.join(",")
        })
        .collect();
    std::fs::write(&roster, senza_bollo.join("\n") + "\n").unwrap();
    let o = build_come_in_ufficio(
        &ds,
        &d.path().join("vuota"),
        &["--course", "master-diritto-energia", "--kind", "attestato"],
    );
    let err = riuscita(&o);
    assert!(err.contains("0 documenti"), "{err}");
    assert!(
        err.contains("nessun documento da produrre con queste opzioni"),
        "{err}"
    );
    assert!(
        err.contains(
            "gli allievi di un Master ricevono la pergamena (--kind pergamena) e, solo su istanza in bollo"
        ),
        "{err}"
    );
}

#[test]
fn una_colonna_scritta_male_suggerisce_il_nome_giusto() {
    let (_d, ds) = copia_di("minimal");
    let csv = ds.join("iscrizioni/formazione-comunicazione.csv");
    let t = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, t.replacen("ore_frequentate", "ore_frequenza", 1)).unwrap();
    let o = lauream(&["check", ds.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains(
            "colonna «ore_frequenza» sconosciuta: viene ignorata; forse «ore_frequentate»?"
        ),
        "{err}"
    );
}

#[test]
fn la_build_di_un_corso_non_e_bloccata_dagli_errori_di_un_altro() {
    let (d, ds) = copia_di("demo");
    // Another course's roster: a mistyped tax code; another course's file:
    // broken JSON.
    let roster = ds.join("iscrizioni/master-dati-pa.csv");
    let t = std::fs::read_to_string(&roster).unwrap();
    std::fs::write(
        &roster,
        t.replacen("DNGFNC94C52F839U", "DNGFNC94C52F839A", 1),
    )
    .unwrap();
    let corso = ds.join("corsi/formazione-enoturismo.json");
    let t = std::fs::read_to_string(&corso).unwrap();
    std::fs::write(&corso, t.replacen('{', "{ \"rotto\" ", 1)).unwrap();

    // The whole year is refused, as before.
    let o = build_come_in_ufficio(&ds, &d.path().join("anno"), &[]);
    assert!(!o.status.success());
    assert!(!d.path().join("anno").exists());

    // The secretary of another course builds hers, warned about the others.
    let out = d.path().join("certificati");
    let o = build_come_in_ufficio(
        &ds,
        &out,
        &[
            "--course",
            "perfezionamento-inclusione",
            "--kind",
            "attestato",
        ],
    );
    let err = riuscita(&o);
    for atteso in [
        "avviso: iscrizioni/master-dati-pa.csv, riga 2, campo codice_fiscale: corso «master-dati-pa» (non blocca la build di «perfezionamento-inclusione»)",
        "avviso: corsi/formazione-enoturismo.json",
        "corso «formazione-enoturismo» (non blocca la build di «perfezionamento-inclusione»)",
    ] {
        assert!(err.contains(atteso), "manca «{atteso}»:\n{err}");
    }
    assert!(!err.contains("errore:"), "{err}");
    let indice = indice_di(&out);
    assert!(!indice.is_empty());
    assert!(indice
        .iter()
        .all(|v| v["course"] == "perfezionamento-inclusione"));

    // The course with the error is still refused on its own.
    let o = build_come_in_ufficio(
        &ds,
        &d.path().join("master"),
        &["--course", "master-dati-pa"],
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("errore: iscrizioni/master-dati-pa.csv, riga 2"),
        "{}",
        stderr(&o)
    );

    // An error of the university blocks every build.
    let ateneo = ds.join("ateneo.json");
    let t = std::fs::read_to_string(&ateneo).unwrap();
    std::fs::write(&ateneo, t.replacen("\"citta\"", "\"citta_\"", 1)).unwrap();
    let o = build_come_in_ufficio(
        &ds,
        &d.path().join("altra"),
        &["--course", "perfezionamento-inclusione"],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("errore: ateneo.json"), "{}", stderr(&o));

    // A row naming a course that does not exist may be this course's typo:
    // it blocks.
    std::fs::write(&ateneo, t).unwrap();
    let altro = ds.join("iscrizioni/summer-school-paesaggi.csv");
    let t = std::fs::read_to_string(&altro).unwrap();
    std::fs::write(
        &altro,
        t.replacen(
            "\nsummer-school-paesaggi,",
            "\nperfezionamento-inclusone,",
            1,
        ),
    )
    .unwrap();
    let o = build_come_in_ufficio(
        &ds,
        &d.path().join("refuso"),
        &["--course", "perfezionamento-inclusione"],
    );
    assert!(!o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("perfezionamento-inclusone"),
        "{}",
        stderr(&o)
    );
}

fn scheda_di(registro: &Path, persona: &str, kind: &str) -> Vec<lauream::registry::Scheda> {
    Registro::apri_esistente(registro)
        .unwrap()
        .tutte()
        .unwrap()
        .into_iter()
        .filter(|s| s.persona.as_deref() == Some(persona) && s.tipo == kind)
        .collect()
}

#[test]
fn prima_di_rifiutare_spiega_cosa_cambia_e_pubblica_il_resto() {
    let (d, ds) = copia_di("minimal");
    let out = d.path().join("out");
    let csv = ds.join("iscrizioni/formazione-comunicazione.csv");
    let originale = std::fs::read_to_string(&csv).unwrap();
    let scarpelli = originale
        .lines()
        .find(|l| l.contains("Scarpelli"))
        .unwrap()
        .to_string();
    // First issue without Scarpelli, who joins the roster later.
    std::fs::write(&csv, originale.replace(&format!("{scarpelli}\n"), "")).unwrap();
    riuscita(&build_come_in_ufficio(&ds, &out, &[]));
    let registro = ds.join(FILE_REGISTRO);
    let panichi = &scheda_di(&registro, "PNCLSE95B48A944B", "attestato")[0];
    let numero = panichi.numero.clone().unwrap();
    let pdf = out.join(&panichi.percorso);
    let emesso = std::fs::read(&pdf).unwrap();

    // Panichi's grade is corrected, and Scarpelli is added.
    let riga = "Bologna,F,sì,allievo,40,superato,26,";
    std::fs::write(
        &csv,
        originale.replace(riga, "Bologna,F,sì,allievo,40,superato,27,"),
    )
    .unwrap();
    let o = build_come_in_ufficio(&ds, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for atteso in [
        "errore: 1 documento già emesso cambierebbe contenuto:",
        panichi.percorso.as_str(),
        &format!("(n. {numero}, codice {})", panichi.codice),
        "partecipazione.voto.testo: «26/30» → «27/30»",
        "Con --overwrite ciascuno riceve un nuovo numero e un nuovo codice",
        "non più valida a una verifica",
        "Gli altri documenti sono stati pubblicati e archiviati.",
    ] {
        assert!(err.contains(atteso), "manca «{atteso}»:\n{err}");
    }
    // The issued file is untouched; the unrelated new one is published,
    // numbered and archived.
    assert_eq!(std::fs::read(&pdf).unwrap(), emesso);
    let nuova = scheda_di(&registro, "SCRLVC99R61F839H", "attestato");
    assert_eq!(nuova.len(), 1);
    assert!(out.join(&nuova[0].percorso).is_file());
    assert!(nuova[0].sha256.is_some() && nuova[0].oggetto.is_some());
    assert!(indice_di(&out)
        .iter()
        .any(|v| v["person"] == "SCRLVC99R61F839H" && v["status"] == "valido"));
    assert!(lauream(&["verify", out.to_str().unwrap()]).status.success());

    // --overwrite: the old number and the new one.
    let o = build_come_in_ufficio(&ds, &out, &["--overwrite"]);
    let err = riuscita(&o);
    let dopo = scheda_di(&registro, "PNCLSE95B48A944B", "attestato");
    let nuovo = dopo.last().unwrap();
    let atteso = format!(
        "sostituito (--overwrite): n. {numero} → n. {}, codice {} → {}",
        nuovo.numero.as_deref().unwrap(),
        panichi.codice,
        nuovo.codice
    );
    assert!(err.contains(&atteso), "manca «{atteso}»:\n{err}");
    assert!(
        err.contains("partecipazione.voto.testo: «26/30» → «27/30»"),
        "{err}"
    );
    assert_ne!(nuovo.numero.as_deref(), Some(numero.as_str()));

    // Revocation: what the next build will do, and the build saying it did.
    let o = lauream(&[
        "revoke",
        &nuovo.codice,
        "--reason",
        "consegnato alla persona sbagliata",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = riuscita(&o);
    assert!(
        err.contains(
            "La prossima build che comprende questo documento lo riemetterà con un nuovo numero"
        ),
        "{err}"
    );
    assert!(indice_di(&out)
        .iter()
        .any(|v| v["code"] == nuovo.codice.as_str() && v["status"] == "revocato"));
    let err = riuscita(&build_come_in_ufficio(&ds, &out, &[]));
    let terzo = scheda_di(&registro, "PNCLSE95B48A944B", "attestato");
    let terzo = terzo.last().unwrap();
    let atteso = format!(
        "riemesso dopo la revoca: n. {} → n. {}",
        nuovo.numero.as_deref().unwrap(),
        terzo.numero.as_deref().unwrap()
    );
    assert!(err.contains(&atteso), "manca «{atteso}»:\n{err}");
}

/// The whole demo built once, with the registry beside a copy of the
/// dataset, for the tests that only read it.
fn anno_demo() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static ANNO: std::sync::OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> =
        std::sync::OnceLock::new();
    ANNO.get_or_init(|| {
        let (d, ds) = copia_di("demo");
        let out = d.path().join("anno");
        riuscita(&build_come_in_ufficio(&ds, &out, &[]));
        (d, ds, out)
    })
}

#[test]
fn lookup_per_codice_fiscale_da_tutti_i_documenti_della_persona() {
    let (_, ds, out) = anno_demo();
    let o = out.to_str().unwrap();
    // Simone Nardi is in two courses: a certificate in each.
    let nardi = "NRDSMN84T06A944X";
    let attesi: Vec<Value> = indice_di(out)
        .into_iter()
        .filter(|v| v["person"] == nardi)
        .collect();
    assert!(attesi.len() >= 2, "{attesi:?}");
    // As typed: lower case, with spaces.
    let digitato = "nrdsmn 84t06 a944x";
    let r = lauream(&["lookup", digitato, "--out", o]);
    let testo = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    for v in &attesi {
        assert!(testo.contains(v["code"].as_str().unwrap()), "{testo}");
        assert!(testo.contains(v["path"].as_str().unwrap()), "{testo}");
    }
    assert_eq!(testo.matches("codice di verifica:").count(), attesi.len());
    assert!(
        stderr(&r).contains(&format!("{nardi}: {} documenti emessi", attesi.len())),
        "{}",
        stderr(&r)
    );
    // From the dataset, too.
    let r = lauream(&["lookup", nardi, "--dataset", ds.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0));
    // A tax code with a wrong check character is mistyped; a valid one with
    // no documents is unknown.
    let r = lauream(&["lookup", "NRDSMN84T06A944Y", "--out", o]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("carattere di controllo"),
        "{}",
        stderr(&r)
    );
    let r = lauream(&["lookup", "CCCMRT96S63A944H", "--out", o]);
    assert_eq!(r.status.code(), Some(5), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("nessun documento emesso"),
        "{}",
        stderr(&r)
    );
}

#[test]
fn i_codici_di_uscita_distinguono_le_risposte() {
    let (d, ds) = copia_di("minimal");
    let out = d.path().join("out");
    let o = out.to_str().unwrap();
    riuscita(&build_come_in_ufficio(&ds, &out, &["--kind", "attestato"]));
    let indice = indice_di(&out);
    let (a, b) = (&indice[0], &indice[1]);
    let codice_a = a["code"].as_str().unwrap().to_string();
    let codice_b = b["code"].as_str().unwrap().to_string();
    let pdf_a = d.path().join("a.pdf");
    std::fs::copy(out.join(a["path"].as_str().unwrap()), &pdf_a).unwrap();
    let pdf_b = d.path().join("b.pdf");
    std::fs::copy(out.join(b["path"].as_str().unwrap()), &pdf_b).unwrap();
    let codice = |args: &[&str]| lauream(args).status.code();

    assert_eq!(codice(&["lookup", &codice_a, "--out", o]), Some(0));
    assert_eq!(
        codice(&["verify-doc", pdf_a.to_str().unwrap(), "--out", o]),
        Some(0)
    );

    // Revoked: 3.
    riuscita(&lauream(&[
        "revoke", &codice_a, "--reason", "prova", "--out", o,
    ]));
    assert_eq!(codice(&["lookup", &codice_a, "--out", o]), Some(3));
    assert_eq!(
        codice(&["verify-doc", pdf_a.to_str().unwrap(), "--out", o]),
        Some(3)
    );

    // Superseded: 4 (b's data changes, rebuilt with --overwrite).
    let csv = ds.join("iscrizioni/formazione-comunicazione.csv");
    let t = std::fs::read_to_string(&csv).unwrap();
    let persona = b["person"].as_str().unwrap();
    let riga = t.lines().find(|l| l.contains(persona)).unwrap();
    let corretta = riga.replace("2026-05-29", "2026-05-28");
    assert_ne!(riga, corretta);
    std::fs::write(&csv, t.replace(riga, &corretta)).unwrap();
    riuscita(&build_come_in_ufficio(
        &ds,
        &out,
        &["--kind", "attestato", "--overwrite"],
    ));
    assert_eq!(codice(&["lookup", &codice_b, "--out", o]), Some(4));
    assert_eq!(
        codice(&["verify-doc", pdf_b.to_str().unwrap(), "--out", o]),
        Some(4)
    );

    // Unknown: 5. A file altered by one byte; a code never issued.
    let mut bytes = std::fs::read(&pdf_a).unwrap();
    let n = bytes.len() / 2;
    bytes[n] ^= 1;
    let falso = d.path().join("falso.pdf");
    std::fs::write(&falso, bytes).unwrap();
    assert_eq!(
        codice(&["verify-doc", falso.to_str().unwrap(), "--out", o]),
        Some(5)
    );
    let mai = lauream::registry::codice::deriva("altro ateneo", "mai emesso", 1, 0);
    assert_eq!(codice(&["lookup", &mai, "--out", o]), Some(5));

    // Mistyped: 2. One character changed, or the wrong length.
    let mut sbagliato: Vec<char> = codice_a.chars().collect();
    sbagliato[1] = if sbagliato[1] == 'A' { 'B' } else { 'A' };
    let sbagliato: String = sbagliato.into_iter().collect();
    assert_eq!(codice(&["lookup", &sbagliato, "--out", o]), Some(2));
    assert_eq!(codice(&["lookup", "K7QM", "--out", o]), Some(2));

    // An error that stops the question: 1.
    assert_eq!(
        codice(&[
            "verify-doc",
            d.path().join("nessuno.pdf").to_str().unwrap(),
            "--out",
            o
        ]),
        Some(1)
    );
}

#[test]
fn export_pdf_fa_uno_zip_semplice_dei_pdf_in_vigore() {
    let (d, _, out) = anno_demo();
    let dest = d.path().join("spedire/inclusione.zip");
    let r = lauream(&[
        "export",
        "--pdf",
        "--course",
        "perfezionamento-inclusione",
        "--out",
        out.to_str().unwrap(),
        dest.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    let attesi: BTreeMap<String, String> = indice_di(out)
        .into_iter()
        .filter(|v| v["course"] == "perfezionamento-inclusione")
        .map(|v| {
            let p = v["path"].as_str().unwrap();
            let dentro = p.split_once("/perfezionamento-inclusione/").unwrap().1;
            (
                format!("inclusione/{dentro}"),
                v["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut z = zip::ZipArchive::new(std::fs::File::open(&dest).unwrap()).unwrap();
    let mut trovati = BTreeMap::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut b).unwrap();
        trovati.insert(e.name().to_string(), lauream::archive::sha256_hex(&b));
    }
    assert_eq!(
        trovati, attesi,
        "gli stessi PDF, gli stessi byte, niente altro"
    );
    assert!(!trovati
        .keys()
        .any(|k| k.contains("bagit") || k.contains("manifest")));

    // Only the certificates.
    let solo = d.path().join("spedire/attestati.zip");
    let r = lauream(&[
        "export",
        "--pdf",
        "--course",
        "perfezionamento-inclusione",
        "--kind",
        "attestato",
        "--out",
        out.to_str().unwrap(),
        solo.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    let z = zip::ZipArchive::new(std::fs::File::open(&solo).unwrap()).unwrap();
    assert!(!z.is_empty() && z.len() < trovati.len());
}

#[test]
fn verify_trova_un_pdf_estraneo_accetta_una_cartella_di_bag_e_dice_cosa_ha_controllato() {
    let (d, _, anno) = anno_demo();
    let out = d.path().join("verifica");
    copia(anno, &out);
    let o = out.to_str().unwrap();
    let r = lauream(&["verify", o]);
    let err = riuscita(&r);
    assert!(
        err.trim_end()
            .ends_with("integro: 7 bag, 98 documenti, OCFL: integro (7 oggetti)"),
        "{err}"
    );

    // A PDF copied into pergamene/ by hand: it looks issued, and is not.
    let pergamena = indice_di(&out)
        .into_iter()
        .find(|v| v["kind"] == "pergamena")
        .unwrap();
    let vera = out.join(pergamena["path"].as_str().unwrap());
    let piantata = vera.with_file_name("pergamena-copia.pdf");
    std::fs::copy(&vera, &piantata).unwrap();
    let r = lauream(&["verify", o]);
    let err = stderr(&r);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(
        err.contains("pergamene/pergamena-copia.pdf: file non elencato in index.json"),
        "{err}"
    );
    assert!(
        err.contains("1 problema (controllati: 7 bag, 98 documenti"),
        "{err}"
    );
    std::fs::remove_file(&piantata).unwrap();

    // The bags handed to an archivist, checked as a folder.
    let bag = d.path().join("consegna");
    riuscita(&lauream(&[
        "export",
        "--all",
        bag.to_str().unwrap(),
        "--out",
        o,
    ]));
    let err = riuscita(&lauream(&["verify", bag.to_str().unwrap()]));
    assert!(err.trim_end().ends_with("integro: 7 bag"), "{err}");
    // One of them damaged: found.
    let zip = std::fs::read_dir(&bag)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut b = std::fs::read(&zip).unwrap();
    let n = b.len() / 2;
    b[n] ^= 0xff;
    std::fs::write(&zip, b).unwrap();
    let r = lauream(&["verify", bag.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("(controllati: 7 bag)"),
        "{}",
        stderr(&r)
    );
}

#[test]
fn una_build_grande_dice_a_che_punto_e_anche_dopo_la_generazione() {
    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    riuscita(&lauream(&[
        "synth",
        "--people",
        "150",
        "--seed",
        "3",
        ds.to_str().unwrap(),
    ]));
    let err = riuscita(&build_come_in_ufficio(&ds, &d.path().join("out"), &[]));
    let posizione = |inizio: &str| {
        err.lines()
            .position(|l| l.starts_with(inizio))
            .unwrap_or_else(|| panic!("manca una riga «{inizio}…»:\n{err}"))
    };
    let fasi = [
        posizione("generazione: "),
        posizione("documenti: "),
        posizione("archiviazione: pubblicazione dei documenti, bag e versioni OCFL"),
        posizione("registro: impronte dei documenti e conferma dei numeri"),
        posizione("chi non riceve documenti: "),
    ];
    assert!(
        fasi.windows(2).all(|w| w[0] < w[1]),
        "fasi fuori ordine:\n{err}"
    );
    // Totals per course, not a line per person.
    assert!(!err.contains("nessun documento: "), "{err}");
    let per_persona = err.lines().filter(|l| l.starts_with("    ")).count();
    assert_eq!(per_persona, 0, "{err}");
    // Rates with Italian decimals.
    let ritmo = err
        .lines()
        .find(|l| l.contains("documenti/s generati"))
        .unwrap();
    let numero = ritmo
        .rsplit("; ")
        .next()
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    assert!(
        numero
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.'),
        "{ritmo}"
    );
    assert!(
        !numero.contains('.') || numero.len() > 4,
        "decimali all'inglese: {ritmo}"
    );
}

#[test]
fn senza_zip_ogni_documento_sta_due_volte_e_l_archivio_resta_integro() {
    let (d, _, anno) = anno_demo();
    let (_d2, ds) = copia_di("demo");
    let out = d.path().join("senza-zip");
    let err = riuscita(&build_come_in_ufficio(&ds, &out, &["--no-zip"]));
    assert!(err.contains("zip non tenuto: --no-zip"), "{err}");
    assert!(!out.join("bags").exists(), "nessuno zip delle bag");
    let err = riuscita(&lauream(&["verify", out.to_str().unwrap()]));
    assert!(
        err.contains("integro: 98 documenti, OCFL: integro (7 oggetti)"),
        "{err}"
    );
    // An unchanged rebuild with the same option has nothing to do.
    let err = riuscita(&build_come_in_ufficio(&ds, &out, &["--no-zip"]));
    assert!(err.contains("nulla da rigenerare"), "{err}");

    // The zips an archivist receives come from the storage root, the same
    // bytes as those a build that keeps them writes.
    let consegna = d.path().join("consegna-senza-zip");
    riuscita(&lauream(&[
        "export",
        "--all",
        consegna.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    let mut esportati = file_sotto(&consegna);
    esportati.sort();
    let tenuti = file_sotto(&anno.join("bags"));
    assert_eq!(esportati, tenuti);
    for f in &tenuti {
        assert!(
            std::fs::read(consegna.join(f)).unwrap()
                == std::fs::read(anno.join("bags").join(f)).unwrap(),
            "{f}: zip diverso"
        );
    }

    // Keeping them again: a build without the option writes them back, and
    // one with it removes them, leaving the archive as it was.
    riuscita(&build_come_in_ufficio(&ds, &out, &[]));
    assert_eq!(file_sotto(&out.join("bags")), tenuti);
    let prima = file_sotto(&out.join("ocfl"));
    riuscita(&build_come_in_ufficio(&ds, &out, &["--no-zip"]));
    assert!(!out.join("bags").exists());
    assert_eq!(
        file_sotto(&out.join("ocfl")),
        prima,
        "nessuna nuova versione OCFL"
    );
}
