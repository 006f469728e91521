//! The registry of issued documents: numbers per series and year without
//! gaps or reuse (also across a build killed halfway), verification codes
//! and QR codes read back from the rendered PDFs, `lookup`, `verify-doc`,
//! revocation and reissue. Built with the real binary.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use lauream::registry::codice;
use lauream::registry::{Registro, Scheda, FILE_REGISTRO};
use serde_json::Value;

fn build(dataset: &Path, out: &Path, altri: &[&str]) -> std::process::Output {
    lauream_build(dataset, out, altri)
}

fn build_ok(dataset: &Path, out: &Path, altri: &[&str]) -> String {
    build_riuscita(dataset, out, altri)
}

/// The whole demo, built once for the read-only tests of this file.
fn demo() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        build_ok(&fixture("demo"), d.path(), &[]);
        d
    })
    .path()
}

fn righe(out: &Path) -> Vec<Scheda> {
    Registro::apri_esistente(&out.join(FILE_REGISTRO))
        .unwrap()
        .tutte()
        .unwrap()
}

/// Every allocated series and year numbers 1, 2, … n with no gap or repeat.
fn sequenze_complete(righe: &[Scheda]) -> BTreeMap<(String, i64), Vec<i64>> {
    let mut per_serie: BTreeMap<(String, i64), Vec<i64>> = BTreeMap::new();
    for r in righe {
        if let (Some(s), Some(a), Some(n)) = (&r.serie, r.anno, &r.numero) {
            // Decrees bring their numbers: the Rector's and the departments'.
            if s != "decreti" && !s.starts_with("decreti-dipartimento:") {
                let (p, anno) = n.split_once('/').expect("numero «n/anno»");
                assert_eq!(anno, a.to_string(), "{n}");
                per_serie
                    .entry((s.clone(), a))
                    .or_default()
                    .push(p.parse().unwrap());
            }
        }
    }
    for ((s, a), v) in &mut per_serie {
        v.sort();
        let attesi: Vec<i64> = (1..=v.len() as i64).collect();
        assert_eq!(*v, attesi, "serie {s} {a}: numeri con buchi o ripetuti");
    }
    per_serie
}

fn integrita_out(out: &Path) {
    let o = lauream(&["verify", out.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "verify: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    for n in ["-journal", "-wal", "-shm"] {
        assert!(
            !out.join(format!("{FILE_REGISTRO}{n}")).exists(),
            "{n} rimasto dopo una build conclusa"
        );
    }
}

fn documento_di(out: &Path, kind: &str) -> Value {
    indice_di(out)
        .into_iter()
        .find(|v| v["kind"] == kind)
        .unwrap_or_else(|| panic!("nessun {kind}"))
}

#[test]
fn ogni_documento_emesso_e_registrato_con_numeri_senza_buchi() {
    let out = demo();
    let righe = righe(out);
    let indice = indice_di(out);
    assert_eq!(righe.len(), indice.len(), "una riga per documento");
    let per_id: BTreeMap<&str, &Scheda> = righe
        .iter()
        .map(|r| (r.identificativo.as_str(), r))
        .collect();
    for v in &indice {
        let r = per_id[v["id"].as_str().unwrap()];
        // The hash the registry holds is the file's, recomputed here.
        let sha = lauream::archive::sha256_file(&out.join(v["path"].as_str().unwrap())).unwrap();
        assert_eq!(r.sha256.as_deref(), Some(sha.as_str()), "{}", r.percorso);
        assert_eq!(r.stato, "valido");
        assert_eq!(r.oggetto.as_deref(), v["object"].as_str());
        assert_eq!(r.versione.as_deref(), v["version"].as_str());
        assert_eq!(r.numero.as_deref(), v["number"].as_str(), "{}", r.percorso);
        match v["kind"].as_str().unwrap() {
            "attestato" => assert_eq!(r.serie.as_deref(), Some("certificati")),
            "pergamena" => assert_eq!(r.serie.as_deref(), Some("pergamene")),
            // Decrees keep the repertory number of the data: the Rector's
            // repertory, or the department's for its Director's decrees.
            "decreto" => {
                let p = v["path"].as_str().unwrap();
                let n = r.numero.as_deref().unwrap();
                if p.contains(&format!("/dd-{n}-")) {
                    assert!(
                        r.serie
                            .as_deref()
                            .is_some_and(|s| s.starts_with("decreti-dipartimento:Dipartimento ")),
                        "{:?}",
                        r.serie
                    );
                } else {
                    assert_eq!(r.serie.as_deref(), Some("decreti"));
                    assert!(p.contains(&format!("dr-{n}-")), "{p}");
                }
            }
            _ => assert!(r.numero.is_none()),
        }
    }
    let codici: HashSet<&str> = righe.iter().map(|r| r.codice.as_str()).collect();
    assert_eq!(codici.len(), righe.len(), "codici unici");
    for c in &codici {
        assert_eq!(codice::normalizza(c).as_deref(), Ok(*c));
    }
    let serie = sequenze_complete(&righe);
    assert!(serie.keys().any(|(s, _)| s == "certificati"));
    assert!(serie.keys().any(|(s, _)| s == "pergamene"));
    integrita_out(out);
}

#[test]
fn una_ricostruzione_riusa_numeri_e_codici() {
    let d = tempfile::tempdir().unwrap();
    let ds = fixture("minimal");
    build_ok(&ds, d.path(), &[]);
    let prima = righe(d.path());
    let registro = std::fs::read(d.path().join(FILE_REGISTRO)).unwrap();
    let err = build_ok(&ds, d.path(), &[]);
    assert!(err.contains("(0 generati"), "{err}");
    let dopo = righe(d.path());
    let chiave = |r: &Scheda| {
        (
            r.identificativo.clone(),
            r.numero.clone(),
            r.codice.clone(),
            r.sha256.clone(),
        )
    };
    assert_eq!(
        prima.iter().map(chiave).collect::<Vec<_>>(),
        dopo.iter().map(chiave).collect::<Vec<_>>()
    );
    // An unchanged rebuild writes nothing to the registry.
    assert_eq!(
        std::fs::read(d.path().join(FILE_REGISTRO)).unwrap(),
        registro
    );
    integrita_out(d.path());
}

#[test]
fn il_registro_puo_stare_altrove() {
    let d = tempfile::tempdir().unwrap();
    let reg = d.path().join("uffici/registro-unico.sqlite");
    let out = d.path().join("out");
    build_ok(
        &fixture("minimal"),
        &out,
        &["--kind", "attestato", "--registry", reg.to_str().unwrap()],
    );
    assert!(!out.join(FILE_REGISTRO).exists());
    let r = Registro::apri_esistente(&reg).unwrap().tutte().unwrap();
    assert_eq!(r.len(), indice_di(&out).len());
    let o = lauream(&["lookup", &r[0].codice, "--registry", reg.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn codice_numero_e_qr_sui_documenti_corrispondono_al_registro() {
    let out = demo();
    let righe = righe(out);
    for kind in ["attestato", "pergamena"] {
        let v = documento_di(out, kind);
        let r = righe
            .iter()
            .find(|r| r.identificativo == v["id"].as_str().unwrap())
            .unwrap();
        let pdf = out.join(v["path"].as_str().unwrap());
        let testo = testo_pdf(&pdf);
        assert!(
            testo.contains(&r.codice),
            "{kind}: codice assente in\n{testo}"
        );
        let numero = r.numero.as_deref().unwrap();
        let serie = if kind == "attestato" {
            "Registro dei certificati"
        } else {
            "Registro delle pergamene"
        };
        assert!(
            testo.contains(&format!("{serie} n. {numero}")),
            "{kind}: «{serie} n. {numero}» assente in\n{testo}"
        );
        // The demo university has a verification page: the QR is its URL.
        assert_eq!(
            qr_nel_pdf(&pdf),
            vec![format!("https://verifica.univaldarno.example/{}", r.codice)],
            "{kind}"
        );
        // Printed whole, with the code: the string the QR encodes.
        assert!(testo.contains(&format!(
            "all'indirizzo https://verifica.univaldarno.example/{}",
            r.codice
        )));
    }
}

#[test]
fn lookup_e_verify_doc_su_un_pdf_emesso() {
    let out = demo();
    let o = out.to_str().unwrap();
    let v = documento_di(out, "pergamena");
    let r = righe(out)
        .into_iter()
        .find(|r| r.identificativo == v["id"].as_str().unwrap())
        .unwrap();
    let pdf = out.join(v["path"].as_str().unwrap());

    let esito = lauream(&["verify-doc", pdf.to_str().unwrap(), "--out", o]);
    let testo = String::from_utf8_lossy(&esito.stdout);
    assert!(esito.status.success(), "{testo}");
    for atteso in [
        r.numero.as_deref().unwrap(),
        r.persona.as_deref().unwrap(),
        r.data.as_deref().unwrap(),
        r.codice.as_str(),
        "stato:",
        "valido",
    ] {
        assert!(testo.contains(atteso), "«{atteso}» assente:\n{testo}");
    }

    // The code as someone types it from paper.
    let digitato = r.codice.replace('-', "").to_lowercase().replace('0', "o");
    let esito = lauream(&["lookup", &digitato, "--out", o]);
    let testo_lookup = String::from_utf8_lossy(&esito.stdout);
    assert!(esito.status.success(), "{testo_lookup}");
    assert_eq!(testo_lookup, testo, "stessa scheda da codice e da file");

    // One wrong character: the check character tells it from an unknown code.
    let mut sbagliato: Vec<char> = r.codice.chars().collect();
    sbagliato[2] = if sbagliato[2] == 'A' { 'B' } else { 'A' };
    let sbagliato: String = sbagliato.into_iter().collect();
    let esito = lauream(&["lookup", &sbagliato, "--out", o]);
    assert!(!esito.status.success());
    assert!(String::from_utf8_lossy(&esito.stderr).contains("carattere di controllo"));

    let ignoto = codice::deriva("altro ateneo", "mai emesso", 1, 0);
    let esito = lauream(&["lookup", &ignoto, "--out", o]);
    assert!(!esito.status.success());
    assert!(String::from_utf8_lossy(&esito.stderr).contains("NON presente"));

    // A copy altered by one byte is not a document the registry issued.
    let d = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(&pdf).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    let falso = d.path().join("falso.pdf");
    std::fs::write(&falso, bytes).unwrap();
    let esito = lauream(&["verify-doc", falso.to_str().unwrap(), "--out", o]);
    assert!(!esito.status.success());
    assert!(String::from_utf8_lossy(&esito.stderr).contains("NON risulta emesso"));
}

#[test]
fn revoca_e_riemissione_con_nuovo_numero() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let o = out.to_str().unwrap();
    let ds = fixture("minimal");
    build_ok(&ds, &out, &["--kind", "attestato"]);
    let prima = righe(&out);
    let r = prima[0].clone();
    let vecchio_pdf = d.path().join("vecchio.pdf");
    std::fs::copy(out.join(&r.percorso), &vecchio_pdf).unwrap();

    let esito = lauream(&[
        "revoke",
        &r.codice,
        "--reason",
        "errore nelle ore frequentate",
        "--out",
        o,
    ]);
    assert!(
        esito.status.success(),
        "{}",
        String::from_utf8_lossy(&esito.stderr)
    );
    let esito = lauream(&["lookup", &r.codice, "--out", o]);
    let testo = String::from_utf8_lossy(&esito.stdout);
    assert!(!esito.status.success(), "un revocato non è valido");
    assert!(
        testo.contains("REVOCATO") && testo.contains("errore nelle ore frequentate"),
        "{testo}"
    );
    let esito = lauream(&["revoke", &r.codice, "--reason", "di nuovo", "--out", o]);
    assert!(!esito.status.success(), "una seconda revoca è rifiutata");

    // The next build issues it again under the next free number.
    build_ok(&ds, &out, &["--kind", "attestato"]);
    let dopo = righe(&out);
    assert_eq!(dopo.len(), prima.len() + 1, "nessuna riga cancellata");
    let nuova = dopo.last().unwrap();
    assert_eq!(nuova.identificativo, r.identificativo);
    assert_ne!(nuova.codice, r.codice);
    let massimo = prima
        .iter()
        .filter(|x| x.serie == r.serie && x.anno == r.anno)
        .count();
    assert_eq!(
        nuova.numero.as_deref(),
        Some(format!("{}/{}", massimo + 1, r.anno.unwrap()).as_str())
    );
    assert_eq!(nuova.sostituisce.as_deref(), Some(r.codice.as_str()));
    assert_eq!(nuova.stato, "valido");
    let vecchia = dopo.iter().find(|x| x.codice == r.codice).unwrap();
    assert_eq!(vecchia.stato, "revocato");
    assert!(vecchia
        .sostituito_da
        .as_deref()
        .unwrap()
        .starts_with(&nuova.codice));
    // The reissued file prints its new code; the old paper reads as revoked.
    let testo = testo_pdf(&out.join(&nuova.percorso));
    assert!(testo.contains(&nuova.codice));
    let esito = lauream(&[
        "verify-doc",
        out.join(&nuova.percorso).to_str().unwrap(),
        "--out",
        o,
    ]);
    assert!(esito.status.success());
    let esito = lauream(&["verify-doc", vecchio_pdf.to_str().unwrap(), "--out", o]);
    let testo = String::from_utf8_lossy(&esito.stdout);
    assert!(!esito.status.success());
    assert!(
        testo.contains("REVOCATO") && testo.contains(&nuova.codice),
        "{testo}"
    );
    // Other documents keep their numbers.
    for p in &prima[1..] {
        let q = dopo.iter().find(|x| x.codice == p.codice).unwrap();
        assert_eq!(
            (q.numero.clone(), q.stato.as_str()),
            (p.numero.clone(), "valido")
        );
    }
    sequenze_complete(&dopo);
    integrita_out(&out);
}

#[test]
fn un_numero_di_decreto_gia_usato_da_un_altro_decreto_e_rifiutato() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    build_ok(&fixture("demo"), &out, &["--kind", "decreto"]);
    let indice = std::fs::read(out.join("index.json")).unwrap();
    let registro = std::fs::read(out.join(FILE_REGISTRO)).unwrap();
    // The new data gives master-dati-pa's ranking the number its
    // committee's decree of the same year already has (numbers still
    // growing with dates, so the rules accept the data).
    let ds = d.path().join("ds");
    copia(&fixture("demo"), &ds);
    let cambia = |f: &str, da: &str, a: &str| {
        let p: PathBuf = ds.join("corsi").join(f);
        let s = std::fs::read_to_string(&p).unwrap();
        let da = format!("\"numero\": \"{da}\"");
        assert!(s.contains(&da));
        std::fs::write(&p, s.replacen(&da, &format!("\"numero\": \"{a}\""), 1)).unwrap();
    };
    cambia("master-dati-pa.json", "614", "614-bis");
    cambia("master-dati-pa.json", "615", "614");
    let o = build(&ds, &out, &["--kind", "decreto"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("614/2025")
            && err.contains("già stato usato")
            && err.contains("master-dati-pa"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("index.json")).unwrap(), indice);
    assert_eq!(std::fs::read(out.join(FILE_REGISTRO)).unwrap(), registro);
}

#[test]
fn una_build_uccisa_non_lascia_numeri_e_la_ripresa_li_assegna_uguali() {
    use std::io::{BufRead, BufReader};
    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    let out = d.path().join("out");
    let s = lauream(&[
        "synth",
        "--people",
        "300",
        "--seed",
        "7",
        ds.to_str().unwrap(),
    ]);
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));

    let mut figlio = std::process::Command::new(env!("CARGO_BIN_EXE_lauream"))
        .args(argomenti_build(&ds, &out, &[]))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Kill (SIGKILL) as soon as rendering reports progress.
    let mut righe_err = BufReader::new(figlio.stderr.take().unwrap()).lines();
    let mut visto = false;
    for riga in righe_err.by_ref() {
        if riga.unwrap().starts_with("documenti: ") {
            visto = true;
            break;
        }
    }
    assert!(visto, "la build è finita senza mostrare l'avanzamento");
    figlio.kill().unwrap();
    let st = figlio.wait().unwrap();
    assert!(!st.success(), "la build doveva essere interrotta");
    // Allocated but not committed: the registry has nothing.
    assert!(out.join(FILE_REGISTRO).exists());
    assert!(
        righe(&out).is_empty(),
        "numeri rimasti da una build interrotta"
    );
    assert!(!out.join("index.json").exists());

    build_ok(&ds, &out, &[]);
    let r = righe(&out);
    assert_eq!(r.len(), indice_di(&out).len());
    let serie = sequenze_complete(&r);
    assert!(serie.values().map(Vec::len).sum::<usize>() > 100);
    integrita_out(&out);

    // The same dataset built from scratch gets exactly the same numbers and
    // codes: the rerun allocated what the killed build would have.
    let altro = d.path().join("altro");
    build_ok(&ds, &altro, &[]);
    let chiave = |v: &[Scheda]| {
        v.iter()
            .map(|r| {
                (
                    r.identificativo.clone(),
                    r.numero.clone(),
                    r.codice.clone(),
                    r.sha256.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(chiave(&r), chiave(&righe(&altro)));
}

#[test]
fn un_documento_cambiato_e_rifiutato_e_overwrite_lo_sostituisce_con_nuovo_numero() {
    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    copia(&fixture("minimal"), &ds);
    let out = d.path().join("out");
    let o = out.to_str().unwrap();
    build_ok(&ds, &out, &["--kind", "attestato"]);
    let prima = righe(&out);
    let r = prima
        .iter()
        .find(|r| r.persona.as_deref() == Some("PNCLSE95B48A944B"))
        .unwrap()
        .clone();

    // The grade is corrected in the roster; the issued file is even gone.
    let csv = ds.join("iscrizioni/formazione-comunicazione.csv");
    let s = std::fs::read_to_string(&csv).unwrap();
    let riga = "Bologna,F,sì,allievo,40,superato,26,";
    assert!(s.contains(riga));
    std::fs::write(
        &csv,
        s.replace(riga, "Bologna,F,sì,allievo,40,superato,27,"),
    )
    .unwrap();
    std::fs::remove_file(out.join(&r.percorso)).unwrap();
    let esito = build(&ds, &out, &["--kind", "attestato"]);
    let err = String::from_utf8_lossy(&esito.stderr);
    assert!(
        !esito.status.success(),
        "il registro ricorda l'impronta emessa"
    );
    assert!(
        err.contains(&r.percorso) && err.contains("--overwrite"),
        "{err}"
    );
    assert_eq!(righe(&out).len(), prima.len());

    build_ok(&ds, &out, &["--kind", "attestato", "--overwrite"]);
    let dopo = righe(&out);
    assert_eq!(dopo.len(), prima.len() + 1);
    let nuova = dopo.last().unwrap();
    assert_eq!(nuova.identificativo, r.identificativo);
    assert_eq!(nuova.sostituisce.as_deref(), Some(r.codice.as_str()));
    let n = prima
        .iter()
        .filter(|x| x.serie == r.serie && x.anno == r.anno)
        .count();
    assert_eq!(
        nuova.numero.as_deref(),
        Some(format!("{}/{}", n + 1, r.anno.unwrap()).as_str())
    );
    let testo = testo_pdf(&out.join(&nuova.percorso));
    assert!(
        testo.contains("27/30") && testo.contains(&nuova.codice),
        "{testo}"
    );
    let indice = indice_di(&out);
    let voce = indice
        .iter()
        .find(|v| v["id"] == r.identificativo.as_str())
        .unwrap();
    assert_eq!(voce["number"].as_str(), nuova.numero.as_deref());

    let esito = lauream(&["lookup", &r.codice, "--out", o]);
    let testo = String::from_utf8_lossy(&esito.stdout);
    assert!(!esito.status.success());
    assert!(
        testo.contains("SOSTITUITO da") && testo.contains(&nuova.codice),
        "{testo}"
    );
    sequenze_complete(&dopo);
    integrita_out(&out);
}

/// A numbered document as the order check sees it: number, date, course, path.
type Numerato = (i64, String, String, String);

/// Within each series and year, numbers read in order give dates in order;
/// on the same date, by course and then surname.
fn numeri_in_ordine_di_data(righe: &[Scheda]) {
    let mut per_serie: BTreeMap<(String, i64), Vec<Numerato>> = BTreeMap::new();
    for r in righe.iter().filter(|r| r.stato == "valido") {
        if let (Some(s), Some(a), Some(n)) = (&r.serie, r.anno, &r.numero) {
            if s != "decreti" && !s.starts_with("decreti-dipartimento:") {
                let p: i64 = n.split_once('/').unwrap().0.parse().unwrap();
                let data = r.data.clone().expect("documento numerato senza data");
                let corso = r.corso.clone().unwrap_or_default();
                per_serie.entry((s.clone(), a)).or_default().push((
                    p,
                    data,
                    corso,
                    r.percorso.clone(),
                ));
            }
        }
    }
    for ((s, a), mut v) in per_serie {
        v.sort();
        for coppia in v.windows(2) {
            let (prima, dopo) = (&coppia[0], &coppia[1]);
            assert!(
                (&prima.1, &prima.2) <= (&dopo.1, &dopo.2),
                "serie {s} {a}: n. {} del {} ({}) precede n. {} del {} ({})",
                prima.0,
                prima.1,
                prima.3,
                dopo.0,
                dopo.1,
                dopo.3
            );
        }
    }
}

#[test]
fn i_numeri_della_demo_seguono_le_date() {
    numeri_in_ordine_di_data(&righe(demo()));
}

/// Certificates dated in the reverse of the roster's (and the alphabet's)
/// order are numbered by date; a certificate added later with an earlier
/// date takes the next number and leaves the issued ones as they were.
#[test]
fn i_numeri_seguono_le_date_e_quelli_emessi_non_cambiano() {
    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    copia(&fixture("minimal"), &ds);
    let csv = ds.join("iscrizioni/formazione-comunicazione.csv");
    let originale = std::fs::read_to_string(&csv).unwrap();
    let mut righe_csv: Vec<String> = originale.lines().map(str::to_string).collect();
    righe_csv[0].push_str(",data_rilascio");
    // Panichi, Lazzeri, Scarpelli: dated last, middle, first.
    for (riga, data) in righe_csv[1..]
        .iter_mut()
        .zip(["2026-07-20", "2026-06-20", "2026-06-10"])
    {
        riga.push(',');
        riga.push_str(data);
    }
    let scarpelli = righe_csv.pop().unwrap();
    std::fs::write(&csv, righe_csv.join("\n") + "\n").unwrap();
    let out = d.path().join("out");
    build_ok(&ds, &out, &["--kind", "attestato"]);
    let prima = righe(&out);
    numeri_in_ordine_di_data(&prima);
    let numero_di = |righe: &[Scheda], cf: &str| {
        righe
            .iter()
            .find(|r| r.persona.as_deref() == Some(cf) && r.stato == "valido")
            .and_then(|r| r.numero.clone())
            .unwrap_or_else(|| panic!("{cf} senza numero"))
    };
    let (panichi, lazzeri) = ("PNCLSE95B48A944B", "LZZGRL88H30D969U");
    let progressivo = |n: &str| n.split_once('/').unwrap().0.parse::<i64>().unwrap();
    assert!(
        progressivo(&numero_di(&prima, lazzeri)) < progressivo(&numero_di(&prima, panichi)),
        "Lazzeri (20 giugno) prima di Panichi (20 luglio)"
    );

    // Scarpelli's certificate, dated before both, arrives in a later build.
    righe_csv.push(scarpelli);
    std::fs::write(&csv, righe_csv.join("\n") + "\n").unwrap();
    build_ok(&ds, &out, &["--kind", "attestato"]);
    let dopo = righe(&out);
    for cf in [panichi, lazzeri] {
        assert_eq!(
            numero_di(&dopo, cf),
            numero_di(&prima, cf),
            "{cf}: numero cambiato"
        );
    }
    let massimo = prima
        .iter()
        .filter_map(|r| r.numero.as_deref().map(progressivo))
        .max()
        .unwrap();
    assert_eq!(
        progressivo(&numero_di(&dopo, "SCRLVC99R61F839H")),
        massimo + 1
    );
    sequenze_complete(&dopo);
}

/// A year larger than what a build renders at once (it plans, renders and
/// records a few hundred documents at a time, course by course): numbers
/// still run 1…n in date order across the whole year, every issued file's
/// data is recorded, and two certificates changed in courses rendered far
/// apart are refused together, then superseded together with new numbers
/// in date order, the later course's first.
#[test]
fn un_anno_grande_si_produce_a_tratti_con_i_numeri_dell_anno_intero() {
    let d = tempfile::tempdir().unwrap();
    let ds = d.path().join("ds");
    let esito = lauream(&[
        "synth",
        "--people",
        "1200",
        "--courses",
        "12",
        ds.to_str().unwrap(),
    ]);
    assert!(esito.status.success(), "{esito:?}");
    let out = d.path().join("out");
    build_ok(&ds, &out, &[]);
    let indice = indice_di(&out);
    assert!(
        indice.len() > 1200,
        "{} documenti: serve più di un tratto",
        indice.len()
    );
    let prima = righe(&out);
    sequenze_complete(&prima);
    numeri_in_ordine_di_data(&prima);
    // Every rendered file's data is in the registry, whatever stretch it was in.
    let db = rusqlite::Connection::open(out.join(FILE_REGISTRO)).unwrap();
    let senza_dati: i64 = db
        .query_row(
            "SELECT count(*) FROM documenti WHERE sha256 IS NOT NULL AND dati IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(senza_dati, 0);
    drop(db);

    // One certificate of the first course and one of the last, dated so
    // that the last course's comes first.
    let attestati: Vec<&Value> = indice
        .iter()
        .filter(|v| v["kind"] == "attestato" && v["person"].is_string())
        .collect();
    // Courses whose roster is a UTF-8 CSV (the synthetic year has others too).
    let roster = |corso: &str| {
        let csv = ds.join(format!("iscrizioni/{corso}.csv"));
        std::fs::read_to_string(&csv).ok().map(|t| (csv, t))
    };
    let corsi: Vec<&str> = {
        let mut c: Vec<&str> = attestati
            .iter()
            .filter_map(|v| v["course"].as_str())
            .collect();
        c.dedup();
        c.retain(|c| roster(c).is_some());
        c
    };
    let (primo, ultimo) = (corsi[0], corsi[corsi.len() - 1]);
    let persona = |corso: &str| {
        attestati
            .iter()
            .find(|v| v["course"] == corso)
            .and_then(|v| v["person"].as_str())
            .unwrap()
            .to_string()
    };
    let (a, b) = (persona(primo), persona(ultimo));
    for (corso, cf, data) in [(primo, &a, "2026-12-02"), (ultimo, &b, "2026-12-01")] {
        let (csv, testo) = roster(corso).unwrap();
        let intestazione = testo.lines().next().unwrap();
        let sep = if intestazione.contains(';') { ';' } else { ',' };
        let campi = |riga: &str| -> Vec<String> { riga.split(sep).map(str::to_string).collect() };
        let colonna = |nome: &str| campi(intestazione).iter().position(|c| c == nome).unwrap();
        let (cf_col, data_col) = (colonna("codice_fiscale"), colonna("data_rilascio"));
        let nuovo: Vec<String> = testo
            .lines()
            .map(|riga| {
                let mut c = campi(riga);
                if c.get(cf_col).map(String::as_str) == Some(cf.as_str()) {
                    c[data_col] = data.to_string();
                }
                c.join(&sep.to_string())
            })
            .collect();
        std::fs::write(&csv, nuovo.join("\n") + "\n").unwrap();
    }
    let rifiutata = build(&ds, &out, &[]);
    assert!(!rifiutata.status.success());
    let errore = String::from_utf8_lossy(&rifiutata.stderr);
    for cf in [&a, &b] {
        let v = attestati
            .iter()
            .find(|v| v["person"] == cf.as_str())
            .unwrap();
        assert!(
            errore.contains(v["path"].as_str().unwrap()),
            "{cf} non è tra i rifiutati:\n{errore}"
        );
    }
    assert_eq!(righe(&out).len(), prima.len(), "nulla è stato emesso");

    build_ok(&ds, &out, &["--overwrite"]);
    let dopo = righe(&out);
    sequenze_complete(&dopo);
    let massimo = prima
        .iter()
        .filter(|r| r.serie.as_deref() == Some("certificati"))
        .filter_map(|r| r.numero.as_deref()?.split_once('/')?.0.parse::<i64>().ok())
        .max()
        .unwrap();
    let nuovo_numero = |cf: &str| {
        dopo.iter()
            .find(|r| {
                r.persona.as_deref() == Some(cf) && r.stato == "valido" && r.tipo == "attestato"
            })
            .and_then(|r| r.numero.as_deref()?.split_once('/')?.0.parse::<i64>().ok())
            .unwrap()
    };
    assert_eq!(
        (nuovo_numero(&b), nuovo_numero(&a)),
        (massimo + 1, massimo + 2),
        "il certificato datato prima ha il numero minore, anche se il suo corso viene dopo"
    );
}
