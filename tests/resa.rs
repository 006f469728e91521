//! Throughput without changing a byte: certificates laid out many to a
//! compilation give each the same PDF as rendering it alone, a one-page
//! document is laid out in one pass, and a longer one still says
//! "pag. 1 di 2".

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{copia, fixture, indice_di, lauream_build, radice, testo_pdf};
use lauream::plan::{self, Documento, Filtro, TipoDocumento};
use lauream::registry::Registro;
use lauream::render::{self, gruppo, lotto, Motore};

/// Typst's timings, which count layout passes, are global to the process:
/// the tests of this file compile one at a time.
static UNO_ALLA_VOLTA: Mutex<()> = Mutex::new(());

fn uno_alla_volta() -> std::sync::MutexGuard<'static, ()> {
    UNO_ALLA_VOLTA.lock().unwrap_or_else(|e| e.into_inner())
}

/// The demo's certificates as a build gives them to the templates: planned,
/// then numbered in a throwaway registry (number, code, QR).
fn attestati_del_demo() -> (tempfile::TempDir, Vec<Documento>) {
    let (ds, problemi) = lauream::controlla(&fixture("demo"));
    let ds = ds.unwrap_or_else(|| panic!("{problemi:?}"));
    let filtro = Filtro {
        corso: None,
        tipo: Some(TipoDocumento::Attestato),
    };
    let mut piano = plan::pianifica(&ds, &filtro, None);
    let tmp = tempfile::tempdir().unwrap();
    let mut registro = Registro::apri(&tmp.path().join("registro.sqlite")).unwrap();
    let mut emissione = registro.emissione(&ds.ateneo).unwrap();
    emissione.assegna_documenti(&mut piano.documenti).unwrap();
    drop(emissione);
    assert!(piano.documenti.len() > 20, "il demo ha decine di attestati");
    (tmp, piano.documenti)
}

fn qr(doc: &Documento) -> Option<String> {
    doc.dati
        .registrazione()
        .map(|r| r.url.clone().unwrap_or_else(|| r.codice.clone()))
}

/// Each certificate laid out in a group of many and exported with its own
/// identifier is byte for byte the PDF it gets rendered alone: its metadata
/// (title, date, identifier), its fonts, its QR code, its text.
#[test]
fn in_gruppo_gli_stessi_byte_che_da_solo() {
    let _io = uno_alla_volta();
    let (_tmp, documenti) = attestati_del_demo();
    let motore = Motore::incorporato();
    let template = &documenti[0].template;
    assert!(motore.raggruppabile(template), "{template}");
    let dati: Vec<Vec<u8>> = documenti.iter().map(|d| d.dati.json()).collect();
    let codici: Vec<Option<String>> = documenti.iter().map(qr).collect();
    let mut confrontati = 0;
    for (blocco, (dati, codici)) in dati
        .chunks(gruppo::MASSIMO)
        .zip(codici.chunks(gruppo::MASSIMO))
        .enumerate()
    {
        let membri: Vec<gruppo::Membro> = dati
            .iter()
            .zip(codici)
            .map(|(d, q)| gruppo::Membro {
                dati: d,
                qr: q.as_deref(),
            })
            .collect();
        let impaginati = gruppo::impagina(&motore, template, &membri).unwrap();
        assert_eq!(impaginati.len(), membri.len());
        for (k, impaginato) in impaginati.iter().enumerate() {
            let doc = &documenti[blocco * gruppo::MASSIMO + k];
            let da_solo = render::rendi(
                &motore,
                &doc.template,
                &dati[k],
                codici[k].as_deref(),
                &doc.identificativo,
            )
            .unwrap();
            let in_gruppo = render::pdf(impaginato, &doc.identificativo).unwrap();
            assert!(
                in_gruppo == da_solo,
                "{}: {} byte in gruppo, {} da solo",
                doc.percorso,
                in_gruppo.len(),
                da_solo.len()
            );
            confrontati += 1;
        }
    }
    assert_eq!(confrontati, documenti.len());
}

/// How many layout passes each compilation made while `f` ran: Typst
/// records one "iter (N)" span per pass when its timings are on.
fn passate_di_impaginazione<T>(f: impl FnOnce() -> T) -> (T, Vec<usize>) {
    typst_timing::clear();
    typst_timing::enable();
    let esito = f();
    typst_timing::disable();
    let mut json = Vec::new();
    typst_timing::export_json(&mut json, |_| (String::new(), 0)).unwrap();
    let eventi: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    // Each compilation starts with "iter (1)"; count its passes.
    let mut passate: Vec<usize> = Vec::new();
    for e in eventi.iter().filter(|e| e["ph"] == "B") {
        match e["name"].as_str().unwrap_or("") {
            "iter (1)" => passate.push(1),
            n if n.starts_with("iter (") => *passate.last_mut().unwrap() += 1,
            _ => {}
        }
    }
    (esito, passate)
}

/// A one-page certificate is laid out once: its footer prints no page
/// count, and nothing asks Typst for the final page count. The same
/// template compiled as the plain CLI does (no count given) takes two
/// passes, which shows the count detects a second pass.
#[test]
fn un_attestato_di_una_pagina_si_impagina_una_volta() {
    let _io = uno_alla_volta();
    let (_tmp, documenti) = attestati_del_demo();
    let motore = Motore::incorporato();
    let doc = &documenti[0];
    let (impaginato, passate) = passate_di_impaginazione(|| {
        motore
            .compila(&doc.template, &doc.dati.json(), qr(doc).as_deref())
            .unwrap()
    });
    assert_eq!(impaginato.pages().len(), 1, "{}", doc.percorso);
    assert_eq!(
        passate,
        vec![1],
        "{}: una compilazione, una passata",
        doc.percorso
    );

    let (_, passate) = passate_di_impaginazione(|| motore.compila_campione(&doc.template).unwrap());
    assert_eq!(
        passate,
        vec![2],
        "senza il numero di pagine: counter(page).final()"
    );

    // A whole group, too: one compilation, one pass.
    let dati: Vec<Vec<u8>> = documenti.iter().take(8).map(|d| d.dati.json()).collect();
    let codici: Vec<Option<String>> = documenti.iter().take(8).map(qr).collect();
    let membri: Vec<gruppo::Membro> = dati
        .iter()
        .zip(&codici)
        .map(|(d, q)| gruppo::Membro {
            dati: d,
            qr: q.as_deref(),
        })
        .collect();
    let (impaginati, passate) =
        passate_di_impaginazione(|| gruppo::impagina(&motore, &doc.template, &membri).unwrap());
    assert_eq!(impaginati.len(), 8);
    assert_eq!(passate, vec![1]);
}

/// A CFU certificate with so many modules that it takes several pages: the data
/// of a demo certificate for a single course, its module table repeated.
fn attestato_lungo(documenti: &[Documento]) -> (usize, Vec<u8>) {
    let i = documenti
        .iter()
        .position(|d| {
            let v: serde_json::Value = serde_json::from_slice(&d.dati.json()).unwrap();
            v["documento"]["tipo"] == "certificato_cfu"
        })
        .expect("il demo ha certificati di CFU");
    let mut v: serde_json::Value = serde_json::from_slice(&documenti[i].dati.json()).unwrap();
    let moduli = v["partecipazione"]["moduli"].as_array().unwrap().clone();
    assert!(!moduli.is_empty());
    let tanti: Vec<serde_json::Value> = moduli.iter().cycle().take(60).cloned().collect();
    v["partecipazione"]["moduli"] = serde_json::Value::Array(tanti);
    (i, serde_json::to_vec(&v).unwrap())
}

/// The demo's certificates through the batch renderer in groups, with one
/// member that runs to two pages and one whose data breaks the template:
/// the long one still numbers its pages, "pag. 1 di N" to "pag. N di N"
/// (laid out again alone, with its count), the broken one fails alone with the template's
/// own reason, and every other one is issued, the same bytes as alone.
#[test]
fn un_gruppo_con_un_documento_lungo_e_uno_rotto() {
    let _io = uno_alla_volta();
    let (_tmp, documenti) = attestati_del_demo();
    let (lungo, dati_lungo) = attestato_lungo(&documenti);
    let rotto = (lungo + 3) % documenti.len();
    let mut dati: Vec<Vec<u8>> = documenti.iter().map(|d| d.dati.json()).collect();
    dati[lungo] = dati_lungo;
    let mut v: serde_json::Value = serde_json::from_slice(&dati[rotto]).unwrap();
    v.as_object_mut().unwrap().remove("persona");
    dati[rotto] = serde_json::to_vec(&v).unwrap();

    let motore = Arc::new(Motore::incorporato());
    let lavori: Arc<Vec<lotto::Lavoro>> = Arc::new(
        documenti
            .iter()
            .zip(&dati)
            .map(|(d, dati)| lotto::Lavoro {
                template: d.template.clone(),
                dati: dati.clone(),
                qr: qr(d),
                ident: d.identificativo.clone(),
                finitura: None,
            })
            .collect(),
    );
    // Groups as a build makes them: the long one in the first group, which
    // lays out; the broken one in the second, which fails as a whole.
    let n = documenti.len();
    let mut ordine: Vec<usize> = (0..n).filter(|&i| i != lungo && i != rotto).collect();
    ordine.insert(1, lungo);
    ordine.insert(gruppo::MASSIMO + 1, rotto);
    let gruppi: Vec<Vec<usize>> = ordine
        .chunks(gruppo::MASSIMO)
        .map(<[usize]>::to_vec)
        .collect();
    assert!(gruppi.len() > 2);
    let mut esiti: Vec<Option<Result<Vec<u8>, String>>> = vec![None; n];
    let da_preparare = Arc::clone(&lavori);
    lotto::rendi_a_gruppi(
        Arc::clone(&motore),
        gruppi,
        move |i| {
            let l = &da_preparare[i];
            Ok(lotto::Lavoro {
                template: l.template.clone(),
                dati: l.dati.clone(),
                qr: l.qr.clone(),
                ident: l.ident.clone(),
                finitura: None,
            })
        },
        lotto::OpzioniLotto {
            jobs: 2,
            limite: Duration::from_secs(60),
        },
        |i, esito| esiti[i] = Some(esito.map_err(|e| e.to_string())),
    );

    let dir = tempfile::tempdir().unwrap();
    for (i, esito) in esiti.into_iter().enumerate() {
        let esito = esito.unwrap_or_else(|| panic!("documento {i} non consegnato"));
        if i == rotto {
            let errore = esito.unwrap_err();
            assert!(
                errore.contains("persona"),
                "il motivo del template: {errore}"
            );
            continue;
        }
        let pdf = esito.unwrap_or_else(|e| panic!("{}: {e}", documenti[i].percorso));
        let l = &lavori[i];
        let da_solo =
            render::rendi(&motore, &l.template, &l.dati, l.qr.as_deref(), &l.ident).unwrap();
        assert!(
            pdf == da_solo,
            "{}: non come da solo",
            documenti[i].percorso
        );
        if i == lungo {
            let file = dir.path().join("lungo.pdf");
            std::fs::write(&file, &pdf).unwrap();
            let testo = testo_pdf(&file);
            let pagine = testo
                .split("pag. 1 di ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("nessun «pag. 1 di N»: {testo}"));
            assert!(pagine >= 2, "{testo}");
            for k in 1..=pagine {
                assert!(
                    testo.contains(&format!("pag. {k} di {pagine}")),
                    "{k}: {testo}"
                );
            }
        }
    }
}

/// A certificate that never ends inside a group: the group runs past the
/// time limit and its certificates are rendered again one at a time, so
/// that only the endless one fails, with the time limit as its reason, and
/// every other certificate of the demo is issued. The loop is in the
/// certificate's function (`attestato.typ`), which the group template and
/// `main.typ` share, so certificates still go in groups.
#[test]
fn un_gruppo_oltre_il_tempo_limite_si_rifa_uno_per_uno() {
    let tmp = tempfile::tempdir().unwrap();
    let templates = tmp.path().join("templates");
    copia(&radice().join("templates"), &templates);
    let file = templates.join("attestato/attestato.typ");
    let originale = std::fs::read_to_string(&file).unwrap();
    let inizio_funzione = "#let tipo = d.documento.tipo\n";
    assert!(originale.contains(inizio_funzione));
    let con_ciclo = originale.replace(
        inizio_funzione,
        &format!(
            "{inizio_funzione}#if d.persona.codice_fiscale == \"NRDSMN84T06A944X\" \
             {{ for i in range(20000) {{ for j in range(20000) {{ }} }} }}\n"
        ),
    );
    std::fs::write(&file, con_ciclo).unwrap();
    let out = tmp.path().join("out");
    let esito = lauream_build(
        &fixture("demo"),
        &out,
        &[
            "--templates",
            templates.to_str().unwrap(),
            "--kind",
            "attestato",
            "--doc-timeout",
            "2",
        ],
    );
    let stderr = String::from_utf8_lossy(&esito.stderr);
    assert!(!esito.status.success(), "deve uscire con errore:\n{stderr}");
    assert!(stderr.contains("tempo limite superato"), "{stderr}");
    assert!(
        stderr.contains("2 documenti non generati"),
        "solo quelli di Nardi: {stderr}"
    );
    let indice = indice_di(&out);
    assert_eq!(indice.len(), 50, "52 attestati del demo meno i due");
    assert!(indice.iter().all(|v| v["person"] != "NRDSMN84T06A944X"));
}
