//! The public verification site every build writes to `OUT/verifica/`:
//! in a real browser (the system's headless Chromium, served from the
//! loopback) it answers for a valid, an unknown, a mistyped, a revoked and a
//! superseded code, for an issued PDF chosen or dropped and for a modified
//! one; it is usable from the keyboard, labelled, with enough contrast, in
//! Italian and English. No published file contains a tax code, a surname, a
//! code or a document's digest; the site says what the registry says; it is
//! the same bytes for the same registry and salt.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

use common::*;
use lauream::registry::codice;
use lauream::registry::elenco::{FiltroElenco, VoceElenco};
use lauream::registry::{Registro, FILE_REGISTRO};
use lauream::sito::lettura::Sito;
use serde_json::Value;

/// The demo, built; then a certificate revoked, a grade corrected, and a
/// build with `--overwrite` that reissues the one and supersedes the other.
struct Scenario {
    _dir: tempfile::TempDir,
    out: PathBuf,
    /// A certificate left alone.
    valido: VoceElenco,
    /// The revoked certificate, and the one reissued in its place.
    revocato: VoceElenco,
    riemesso: VoceElenco,
    /// The superseded certificate, and the one superseding it.
    sostituito: VoceElenco,
    sostituto: VoceElenco,
}

const MOTIVO: &str = "ore frequentate trascritte in modo errato";
/// Sofia Baldi's roster row in the demo's formazione-enoturismo.csv, up to her grade.
const RIGA_BALDI: &str =
    "BLDSFO98B51D612R,11/02/1998,Firenze,F,sofia.baldi@example.com,sì,allievo,,54,superato,";

fn elenco(out: &Path) -> Vec<VoceElenco> {
    Registro::apri_esistente(&out.join(FILE_REGISTRO))
        .unwrap()
        .elenco(&FiltroElenco::default())
        .unwrap()
}

fn scenario() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        copia(&fixture("demo"), &ds);
        let out = dir.path().join("out");
        build_riuscita(&ds, &out, &[]);
        let prima = elenco(&out);
        let attestati: Vec<&VoceElenco> = prima
            .iter()
            .filter(|v| v.tipo == "attestato" && v.persona.as_deref() != Some("BLDSFO98B51D612R"))
            .collect();
        let (revocare, valido) = (attestati[0].clone(), attestati[1].clone());
        let r = lauream(&[
            "revoke",
            &revocare.codice,
            "--reason",
            MOTIVO,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));

        let csv = ds.join("iscrizioni/formazione-enoturismo.csv");
        let testo = std::fs::read_to_string(&csv).unwrap();
        let vecchia = format!("{RIGA_BALDI}27,");
        assert!(
            testo.contains(&vecchia),
            "riga di Sofia Baldi cambiata nella demo"
        );
        std::fs::write(&csv, testo.replace(&vecchia, &format!("{RIGA_BALDI}28,"))).unwrap();
        build_riuscita(&ds, &out, &["--overwrite"]);

        let dopo = elenco(&out);
        let per_codice = |c: &str| dopo.iter().find(|v| v.codice == c).unwrap().clone();
        let che_sostituisce = |c: &str| {
            dopo.iter()
                .find(|v| v.sostituisce.as_ref().is_some_and(|r| r.codice == c))
                .unwrap()
                .clone()
        };
        let sostituito = dopo
            .iter()
            .find(|v| v.tipo == "attestato" && v.stato == "sostituito")
            .expect("il certificato di Sofia Baldi è sostituito")
            .clone();
        Scenario {
            revocato: per_codice(&revocare.codice),
            riemesso: che_sostituisce(&revocare.codice),
            sostituto: che_sostituisce(&sostituito.codice),
            sostituito,
            valido: per_codice(&valido.codice),
            out,
            _dir: dir,
        }
    })
}

/// "2026-06-19" → "19 giugno 2026", written here independently of the page.
fn data_lunga(iso: &str) -> String {
    data_it(iso)
}

/// Runs the Playwright driver over the page with these cases.
fn nel_browser(pagina: &str, casi: Value) -> Value {
    let richiesta = serde_json::json!({
        "chromium": chromium(),
        "pagina": pagina,
        "casi": casi,
    });
    let mut figlio = strumenti()
        .python()
        .arg(radice().join("tests/strumenti/verifica_browser.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("avvio del driver del browser");
    use std::io::Write;
    figlio
        .stdin
        .take()
        .unwrap()
        .write_all(richiesta.to_string().as_bytes())
        .unwrap();
    let r = figlio.wait_with_output().unwrap();
    assert!(
        r.status.success(),
        "driver del browser:\n{}",
        String::from_utf8_lossy(&r.stderr)
    );
    serde_json::from_slice(&r.stdout).expect("esito JSON del driver")
}

/// Where a screenshot goes: beside the build's other test files, to look at.
fn schermata(nome: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sito-{nome}.png"))
}

#[test]
fn nel_browser_codici_e_file_danno_la_risposta_giusta() {
    let s = scenario();
    let pdf = |v: &VoceElenco| s.out.join(&v.percorso);
    let modificato = s.out.parent().unwrap().join("modificato.pdf");
    let mut bytes = std::fs::read(pdf(&s.valido)).unwrap();
    // One byte of the document's body changed: still a PDF, not the one issued.
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(&modificato, bytes).unwrap();
    let digitato = s
        .valido
        .codice
        .replace('-', "")
        .to_lowercase()
        .replace('0', "o");
    let mut errato = s.valido.codice.clone();
    let ultimo = errato.pop().unwrap();
    errato.push(if ultimo == 'X' { 'Y' } else { 'X' });
    let sconosciuto = codice::deriva("un altro ateneo", "un documento mai emesso", 1, 0);
    let casi = serde_json::json!([
        { "nome": "valido", "via": "indirizzo", "codice": s.valido.codice, "schermata": schermata("valido") },
        { "nome": "tastiera", "via": "tastiera", "codice": digitato },
        { "nome": "query", "via": "query", "codice": s.valido.codice },
        { "nome": "sconosciuto", "via": "indirizzo", "codice": sconosciuto },
        { "nome": "errato", "via": "tastiera", "codice": errato },
        { "nome": "revocato", "via": "indirizzo", "codice": s.revocato.codice, "lingua": "en", "schermata": schermata("revocato-en") },
        { "nome": "sostituito", "via": "indirizzo", "codice": s.sostituito.codice },
        { "nome": "pdf", "via": "file", "file": pdf(&s.valido) },
        { "nome": "pdf_trascinato", "via": "trascinato", "file": pdf(&s.riemesso), "schermata": schermata("pdf") },
        { "nome": "pdf_modificato", "via": "trascinato", "file": modificato },
    ]);
    let server = Servitore::avvia(&s.out);
    let esito = nel_browser(&format!("{}/verifica/index.html", server.indirizzo), casi);
    let caso = |n: &str| -> (String, String) {
        let c = &esito["casi"][n];
        (
            c["stato"].as_str().unwrap().into(),
            c["testo"].as_str().unwrap().into(),
        )
    };

    let (stato, testo) = caso("valido");
    assert_eq!(stato, "valido", "{testo}");
    let numero = s.valido.numero.as_deref().unwrap();
    let corso = s.valido.titolo_corso().unwrap();
    for atteso in [
        "Documento valido",
        s.valido.intestatario.as_deref().unwrap(),
        s.valido.intestazione(),
        &format!("Registro dei certificati n. {numero}"),
        corso,
        &data_lunga(s.valido.data.as_deref().unwrap()),
    ] {
        assert!(testo.contains(atteso), "manca «{atteso}»:\n{testo}");
    }
    // Nothing the document does not show: no tax code.
    assert!(
        !testo.contains(s.valido.persona.as_deref().unwrap()),
        "{testo}"
    );
    let (stato, testo) = caso("tastiera");
    assert_eq!(
        stato, "valido",
        "il codice digitato in minuscolo, senza trattini: {testo}"
    );
    assert!(testo.contains(&s.valido.codice), "{testo}");
    assert_eq!(caso("query").0, "valido", "?codice= nell'indirizzo");

    let (stato, testo) = caso("sconosciuto");
    assert_eq!(stato, "non_emesso", "{testo}");
    assert!(
        testo.contains("Nessun documento emesso con questo codice"),
        "{testo}"
    );
    let (stato, testo) = caso("errato");
    assert_eq!(stato, "codice_errato", "{testo}");
    assert!(testo.contains("trascritto male"), "{testo}");

    // In English after the switch: revoked, on which day, why, reissued as.
    let (stato, testo) = caso("revocato");
    assert_eq!(stato, "revocato", "{testo}");
    assert_eq!(esito["casi"]["revocato"]["lang"], "en");
    let giorno = &s.revocato.revocato_il.as_deref().unwrap()[..10];
    let mesi = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let p: Vec<usize> = giorno.split('-').map(|x| x.parse().unwrap()).collect();
    let in_inglese = format!("{} {} {}", p[2], mesi[p[1] - 1], p[0]);
    for atteso in [
        "Revoked document",
        &format!("revoked on {in_inglese}"),
        MOTIVO,
        &format!("reissued as no. {}", s.riemesso.numero.as_deref().unwrap()),
        "Holder",
    ] {
        assert!(testo.contains(atteso), "manca «{atteso}»:\n{testo}");
    }
    assert!(esito["casi"]["revocato"]["pagina"]
        .as_str()
        .unwrap()
        .contains("Verify a document"));

    let (stato, testo) = caso("sostituito");
    assert_eq!(stato, "sostituito", "{testo}");
    let atteso = format!(
        "sostituito dal n. {}",
        s.sostituto.numero.as_deref().unwrap()
    );
    assert!(testo.contains(&atteso), "manca «{atteso}»:\n{testo}");

    let (stato, testo) = caso("pdf");
    assert_eq!(stato, "valido", "{testo}");
    assert!(
        testo.contains(s.valido.sha256.as_deref().unwrap()),
        "{testo}"
    );
    assert!(
        testo.contains(s.valido.intestatario.as_deref().unwrap()),
        "{testo}"
    );
    let (stato, testo) = caso("pdf_trascinato");
    assert_eq!(stato, "valido", "{testo}");
    let atteso = format!(
        "sostituisce il n. {}",
        s.revocato.numero.as_deref().unwrap()
    );
    assert!(testo.contains(&atteso), "manca «{atteso}»:\n{testo}");
    let (stato, testo) = caso("pdf_modificato");
    assert_eq!(stato, "non_emesso", "{testo}");
    assert!(testo.contains("File non emesso"), "{testo}");

    // One lookup, one small file: every lookup that reached the data
    // (all but the mistyped code) loaded exactly one shard.
    let blocchi: Vec<String> = server
        .richieste()
        .into_iter()
        .filter(|r| r.starts_with("/verifica/dati/"))
        .collect();
    assert_eq!(blocchi.len(), 9, "{blocchi:?}");
    for b in &blocchi {
        let f = s.out.join(b.trim_start_matches('/'));
        assert!(std::fs::metadata(&f).unwrap().len() < 64 * 1024, "{b}");
    }
    accessibile(&esito);
    eprintln!(
        "schermate: {}, {}, {}",
        schermata("valido").display(),
        schermata("revocato-en").display(),
        schermata("pdf").display()
    );
}

/// Keyboard order, labels, live region, contrast, no script errors.
fn accessibile(esito: &Value) {
    assert_eq!(
        esito["ordine_tab"],
        serde_json::json!(["lingua", "codice", "verifica-codice", "file"]),
        "ordine del tasto Tab"
    );
    assert_eq!(
        esito["etichette"],
        serde_json::json!([]),
        "campi senza etichetta"
    );
    assert_eq!(esito["aria_live"], "polite");
    assert_eq!(
        esito["errori"],
        serde_json::json!([]),
        "errori nella pagina"
    );
    for (nome, c) in esito["casi"].as_object().unwrap() {
        for coppia in c["contrasti"].as_array().unwrap() {
            let rapporto = coppia[1].as_f64().unwrap();
            assert!(
                rapporto >= 4.5,
                "{nome}: contrasto di «{}» {rapporto:.2} < 4.5",
                coppia[0]
            );
        }
        assert!(c["titolo"]
            .as_str()
            .unwrap()
            .contains("Università degli Studi di Valdarno"));
    }
    assert_eq!(esito["casi"]["valido"]["lang"], "it");
}

#[test]
fn nessun_dato_personale_nei_file_pubblicati() {
    let s = scenario();
    let (ds, _) = lauream::input::carica(&fixture("demo"));
    let ds = ds.unwrap();
    let voci = elenco(&s.out);
    let mut cercati: Vec<String> = Vec::new();
    for i in &ds.iscrizioni {
        let p = &i.persona;
        cercati.push(p.codice_fiscale.clone());
        cercati.push(p.codice_fiscale.to_lowercase());
        cercati.push(p.cognome.clone());
        cercati.push(format!("{} {}", p.nome, p.cognome));
    }
    for v in &voci {
        // Codes in clear would let anyone read the records; so would the
        // plain digests of the files.
        cercati.push(v.codice.clone());
        cercati.push(v.codice.replace('-', ""));
        cercati.extend(v.sha256.clone());
    }
    cercati.sort();
    cercati.dedup();
    let trova = |f: &Path| -> Vec<String> {
        let testo = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        cercati
            .iter()
            .filter(|c| testo.contains(c.as_str()))
            .cloned()
            .collect()
    };
    let sito = s.out.join(lauream::sito::CARTELLA);
    let pubblicati = file_sotto(&sito);
    assert!(pubblicati.len() > 10, "{pubblicati:?}");
    for f in &pubblicati {
        let trovati = trova(&sito.join(f));
        assert!(trovati.is_empty(), "verifica/{f} contiene {trovati:?}");
    }
    // The search does find them where they are: the registry and the keys
    // are kept beside the site, never in it.
    assert!(!trova(&s.out.join(FILE_REGISTRO)).is_empty());
    assert!(!trova(&s.out.join(lauream::sito::FILE_RISERVATO)).is_empty());
}

#[test]
fn il_sito_dice_quel_che_dice_il_registro() {
    let s = scenario();
    let sito = Sito::apri(&s.out.join(lauream::sito::CARTELLA)).unwrap();
    let voci = elenco(&s.out);
    let mut per_impronta: BTreeMap<&str, &VoceElenco> = BTreeMap::new();
    for v in &voci {
        if let Some(h) = &v.sha256 {
            per_impronta.insert(h, v);
        }
        if !matches!(v.tipo.as_str(), "attestato" | "pergamena") || v.sha256.is_none() {
            continue;
        }
        let r = sito
            .per_codice(&v.codice.to_lowercase())
            .unwrap()
            .unwrap_or_else(|| panic!("{}: nessun record", v.codice));
        assert_eq!(r["stato"], v.stato.as_str(), "{}", v.codice);
        assert_eq!(r["numero"].as_str(), v.numero.as_deref());
        assert_eq!(r["intestatario"].as_str(), v.intestatario.as_deref());
        assert_eq!(r["data"].as_str(), v.data.as_deref());
        assert!(
            r.get("persona").is_none() && !r.to_string().contains(v.persona.as_deref().unwrap())
        );
    }
    for (h, v) in per_impronta {
        let pdf = std::fs::read(s.out.join(&v.percorso)).ok();
        // Superseded files were replaced on disk: only the archive keeps them.
        let Some(pdf) = pdf.filter(|b| lauream::archive::sha256_hex(b) == h) else {
            continue;
        };
        let r = sito.per_pdf(&pdf).unwrap().expect("record del file");
        assert_eq!(r["stato"], v.stato.as_str());
        assert_eq!(r["tipo"], v.tipo.as_str());
    }
    let r = sito.per_codice(&s.sostituito.codice).unwrap().unwrap();
    assert_eq!(
        r["sostituito_da"]["numero"].as_str(),
        s.sostituto.numero.as_deref()
    );
    let r = sito.per_codice(&s.revocato.codice).unwrap().unwrap();
    assert_eq!(r["motivo"], MOTIVO);
    assert!(sito
        .per_codice(&codice::deriva("x", "y", 1, 0))
        .unwrap()
        .is_none());
}

#[test]
fn stesso_registro_e_stesso_sale_stessi_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    build_riuscita(&fixture("demo"), &a, &[]);
    let sito_a = bytes_del_sito(&a);

    // Unchanged rebuild: nothing regenerated, nothing rewritten.
    let err = build_riuscita(&fixture("demo"), &a, &[]);
    assert!(!err.contains("sito di verifica:"), "{err}");
    assert_eq!(bytes_del_sito(&a), sito_a);

    // The folder copied away and deleted: the next build writes it again,
    // the same, from the salt and keys kept beside it.
    std::fs::remove_dir_all(a.join(lauream::sito::CARTELLA)).unwrap();
    let err = build_riuscita(&fixture("demo"), &a, &[]);
    assert!(err.contains("0 chiavi nuove"), "{err}");
    assert_eq!(bytes_del_sito(&a), sito_a);

    // The private state lost: the salt is read back from the published page.
    std::fs::remove_file(a.join(lauream::sito::FILE_RISERVATO)).unwrap();
    build_riuscita(&fixture("demo"), &a, &[]);
    assert_eq!(bytes_del_sito(&a), sito_a);

    // Another output directory given the same salt: the same site.
    let b = tmp.path().join("b");
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(
        a.join(lauream::sito::FILE_RISERVATO),
        b.join(lauream::sito::FILE_RISERVATO),
    )
    .unwrap();
    build_riuscita(&fixture("demo"), &b, &[]);
    assert_eq!(bytes_del_sito(&b), sito_a);

    // A fresh directory draws a salt of its own: nothing in common.
    let c = tmp.path().join("c");
    build_riuscita(&fixture("demo"), &c, &[]);
    let sito_c = bytes_del_sito(&c);
    assert_ne!(sito_c["index.html"], sito_a["index.html"]);
    let id = |s: &BTreeMap<String, Vec<u8>>| -> std::collections::BTreeSet<String> {
        s.iter()
            .filter(|(f, _)| f.starts_with("dati/"))
            .flat_map(|(_, b)| {
                let testo = String::from_utf8_lossy(b).into_owned();
                let json = &testo[testo.find('{').unwrap()..testo.rfind('}').unwrap() + 1];
                let m: serde_json::Map<String, Value> = serde_json::from_str(json).unwrap();
                m.keys().cloned().collect::<Vec<_>>()
            })
            .collect()
    };
    assert_eq!(id(&sito_c).len(), id(&sito_a).len());
    assert!(id(&sito_c).is_disjoint(&id(&sito_a)));
}
