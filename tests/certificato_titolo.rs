//! The certificate of a Master's title (Art. 14.3): built from the demo with
//! the real binary, read back with `pdftotext` and a QR decoder, and checked
//! against the roster rows (read here as plain CSV, not through the
//! program's loader) and the registry.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use common::*;
use lauream::registry::{Registro, FILE_REGISTRO};
use serde_json::Value;

/// The demo built once for every test in this file.
fn demo() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        build_riuscita(&fixture("demo"), d.path(), &[]);
        d
    })
    .path()
}

/// The Master courses of the demo and their course files.
fn master() -> Vec<(String, Value)> {
    let mut v = Vec::new();
    for f in std::fs::read_dir(fixture("demo/corsi")).unwrap() {
        let c: Value = serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
        if c["tipo"].as_str().unwrap().starts_with("master") {
            v.push((c["id"].as_str().unwrap().to_string(), c));
        }
    }
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// The roster rows of a course, column → value.
fn righe(corso: &str) -> Vec<HashMap<String, String>> {
    let mut r =
        csv::Reader::from_path(fixture("demo/iscrizioni").join(format!("{corso}.csv"))).unwrap();
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            h.iter()
                .zip(rec.unwrap().iter())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        })
        .collect()
}

/// The index's title certificates, by course and tax code.
fn certificati(out: &Path) -> HashMap<(String, String), Value> {
    indice_di(out)
        .into_iter()
        .filter(|d| d["path"].as_str().unwrap().contains("/certificato-titolo-"))
        .map(|d| {
            (
                (
                    d["course"].as_str().unwrap().to_string(),
                    d["person"].as_str().unwrap().to_string(),
                ),
                d,
            )
        })
        .collect()
}

/// "98" → "98/100", "100 e lode" → "100/100 e lode".
fn voto_su_cento(voto: &str) -> String {
    match voto.strip_suffix(" e lode") {
        Some(v) => format!("{v}/100 e lode"),
        None => format!("{voto}/100"),
    }
}

#[test]
fn ogni_diplomato_con_istanza_in_bollo_ha_il_certificato_del_titolo() {
    let out = demo();
    let certificati = certificati(out);
    let registro = Registro::apri_esistente(&out.join(FILE_REGISTRO))
        .unwrap()
        .tutte()
        .unwrap();
    let mut con_lode = 0;
    let mut controllati = 0;
    for (id, corso) in master() {
        let livello = if corso["tipo"] == "master_i" {
            "I"
        } else {
            "II"
        };
        for r in righe(&id) {
            let diplomato = r["ruolo"] == "allievo" && r["esito"] == "superato";
            if !diplomato || r["bollo"].is_empty() {
                continue;
            }
            let cf = &r["codice_fiscale"];
            let d = certificati
                .get(&(id.clone(), cf.clone()))
                .unwrap_or_else(|| {
                    panic!("{id}: {cf} ha l'istanza in bollo ma non il certificato")
                });
            assert_eq!(d["kind"], "attestato", "{d}");
            let pdf = out.join(d["path"].as_str().unwrap());
            let t = testo_pdf(&pdf);
            assert!(t.contains("CERTIFICATO DI CONSEGUIMENTO DEL TITOLO"), "{t}");
            assert!(
                t.contains(&format!("{} {}", r["nome"], r["cognome"])),
                "{t}"
            );
            // The title: kind and course, and the academic year.
            assert!(
                t.contains(&format!(
                    "Master universitario di {livello} livello in «{}»",
                    normalizza(corso["titolo"].as_str().unwrap())
                )),
                "{t}"
            );
            assert!(
                t.contains(corso["anno_accademico"].as_str().unwrap()),
                "{t}"
            );
            // Grade in hundredths, with honours when the row has them.
            let voto = voto_su_cento(&r["voto"]);
            assert!(
                t.contains(&format!("votazione di {voto}")),
                "«{voto}» in {t}"
            );
            if r["voto"].ends_with("e lode") {
                con_lode += 1;
            } else {
                assert!(!t.contains("e lode"), "{t}");
            }
            assert!(
                t.contains(&format!("in data {}", data_it(&r["data_esame"]))),
                "{t}"
            );
            let cfu = corso["cfu"].as_u64().unwrap();
            assert!(
                t.contains(&format!("{cfu} crediti formativi universitari (CFU)")),
                "{t}"
            );
            // The stamp-duty note, as the row paid it, and the art. 40 notice.
            match r["bollo"].as_str() {
                "contrassegno" => assert!(
                    t.contains(&format!("contrassegno telematico n. {}", r["bollo_numero"])),
                    "{t}"
                ),
                "virtuale" => assert!(t.contains("assolta in modo virtuale"), "{t}"),
                altro => panic!("bollo inatteso nel demo: {altro}"),
            }
            if r["uso"] == "estero" {
                assert!(t.contains("rilasciato solo per l'estero"), "{t}");
            } else {
                assert!(
                    t.contains(
                        "non può essere prodotto agli organi della pubblica amministrazione"
                    ),
                    "{t}"
                );
            }
            // Numbered in the certificates' series, with code and QR.
            let s = registro
                .iter()
                .find(|s| s.identificativo == d["id"].as_str().unwrap())
                .expect("nel registro");
            assert_eq!(s.serie.as_deref(), Some("certificati"));
            let numero = s.numero.as_deref().unwrap();
            assert_eq!(d["number"].as_str(), Some(numero));
            assert!(
                numero.ends_with(&format!("/{}", s.anno.unwrap())),
                "{numero}"
            );
            assert!(
                t.contains(&format!("Registro dei certificati n. {numero}")),
                "{t}"
            );
            assert!(t.contains(&s.codice), "{t}");
            assert_eq!(
                qr_nel_pdf(&pdf),
                vec![format!("https://verifica.univaldarno.example/{}", s.codice)]
            );
            controllati += 1;
        }
    }
    assert!(
        controllati >= 15,
        "solo {controllati} certificati controllati"
    );
    assert!(con_lode >= 1, "il demo ha un 100 e lode");
    // The same series as the other certificates: their numbers never collide.
    let numeri: Vec<&str> = registro
        .iter()
        .filter(|s| s.serie.as_deref() == Some("certificati"))
        .map(|s| s.numero.as_deref().unwrap())
        .collect();
    let n = numeri.len();
    let numeri: std::collections::HashSet<&str> = numeri.into_iter().collect();
    assert_eq!(
        numeri.len(),
        n,
        "numeri ripetuti nella serie dei certificati"
    );
}

#[test]
fn senza_istanza_in_bollo_solo_la_pergamena() {
    let out = demo();
    let certificati = certificati(out);
    let indice = indice_di(out);
    let mut senza = 0;
    for (id, _) in master() {
        for r in righe(&id) {
            let cf = &r["codice_fiscale"];
            let diplomato = r["ruolo"] == "allievo" && r["esito"] == "superato";
            let ha_certificato = certificati.contains_key(&(id.clone(), cf.clone()));
            if diplomato && r["bollo"].is_empty() {
                senza += 1;
                assert!(!ha_certificato, "{id}: {cf} non ha chiesto il certificato");
                // The parchment all the same.
                assert!(
                    indice
                        .iter()
                        .any(|d| d["kind"] == "pergamena" && d["person"] == cf.as_str()),
                    "{cf}: manca la pergamena"
                );
            }
            if !diplomato {
                assert!(!ha_certificato, "{id}: {cf} non ha conseguito il titolo");
            }
        }
    }
    assert!(senza >= 1, "il demo ha un diplomato senza istanza in bollo");
    // No title certificate outside the Masters.
    assert!(certificati.keys().all(|(c, _)| c.starts_with("master-")));
}

#[test]
fn check_non_conta_tra_gli_esclusi_chi_ha_solo_la_pergamena() {
    let o = lauream(&["check", fixture("demo").to_str().unwrap(), "--dettagli"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    // Santoro has the parchment and asked for no certificate: not excluded.
    assert!(!err.contains("SNTMNL97C05A662Y"), "{err}");
    assert!(
        err.contains("master-diritto-energia: 1 (prova finale non superata)"),
        "{err}"
    );
}
