//! The second realistic year, `fixtures/adriatico/` (another university,
//! rosters in Windows-1252 `;` CSV with CRLF, UTF-8 CSV and Excel, a Master
//! with single courses on several modules, an FSE+ course): it builds with
//! no error and no warning, and its documents carry what the data says (a
//! grade per module, the EU emblem's statement and identifiers, the whole
//! verification address). Then the defects a new user's data may hide are
//! injected into copies of it, each refused with file, row and column.

mod common;

use std::path::Path;

use common::*;

const MASTER: &str = "iscrizioni/master-dati-pa.csv";

/// A copy of the dataset with `modifica` applied to it.
fn copia_di(modifica: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copia(&fixture("adriatico"), dir.path());
    modifica(dir.path());
    dir
}

/// Replaces text in a file whatever its encoding (the replaced and the new
/// text are ASCII, so Windows-1252 stays Windows-1252).
fn sostituisci(ds: &Path, file: &str, vecchio: &str, nuovo: &str) {
    let p = ds.join(file);
    let b = std::fs::read(&p).unwrap();
    let v = vecchio.as_bytes();
    let i = b
        .windows(v.len())
        .position(|w| w == v)
        .unwrap_or_else(|| panic!("«{vecchio}» non è in {file}"));
    let mut out = b[..i].to_vec();
    out.extend_from_slice(nuovo.as_bytes());
    out.extend_from_slice(&b[i + v.len()..]);
    std::fs::write(&p, out).unwrap();
}

/// `lauream check` must fail, and its output contain each of `attesi`.
fn rifiutato(ds: &Path, attesi: &[&str]) {
    let r = lauream(&["check", ds.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&r.stderr).into_owned() + &String::from_utf8_lossy(&r.stdout);
    assert!(!r.status.success(), "doveva essere rifiutato:\n{err}");
    for a in attesi {
        assert!(err.contains(a), "manca «{a}» in:\n{err}");
    }
}

fn documenti(out: &Path, corso: &str, kind: &str) -> Vec<(serde_json::Value, String)> {
    indice_di(out)
        .into_iter()
        .filter(|v| v["course"] == corso && v["kind"] == kind)
        .map(|v| {
            let t = testo_pdf(&out.join(v["path"].as_str().unwrap()));
            (v, t)
        })
        .collect()
}

#[test]
fn si_costruisce_senza_errori_ne_avvisi() {
    let out = tempfile::tempdir().unwrap();
    let err = build_riuscita(&fixture("adriatico"), out.path(), &[]);
    assert!(!err.contains("avviso"), "{err}");
    assert!(!err.contains("errore"), "{err}");
    let o = out.path();

    // A grade per module on the single-course certificate (Art. 12).
    let cfu = documenti(o, "master-dati-pa", "attestato");
    let (_, pagliai) = cfu
        .iter()
        .find(|(v, _)| v["person"] == "PGLTMS87P15D612F")
        .expect("certificato di Pagliai");
    for atteso in [
        "DPA02",
        "30/30 e lode",
        "DPA04",
        "28/30",
        "con le votazioni indicate",
    ] {
        assert!(pagliai.contains(atteso), "manca «{atteso}»:\n{pagliai}");
    }

    // The whole verification address, with the code, on every certificate.
    for (v, t) in &cfu {
        let indirizzo = format!(
            "https://servizi.uniadriatico.example/verifica?codice={}",
            v["code"].as_str().unwrap()
        );
        assert!(t.contains(&indirizzo), "manca {indirizzo}:\n{t}");
    }

    // The FSE+ course's call, decrees, certificates and dossier carry the
    // EU statement and identifiers; the other courses' documents do not.
    let mut ue = 0;
    for kind in ["bando", "decreto", "attestato", "dossier"] {
        for (v, t) in documenti(o, "aggiornamento-pelletteria", kind) {
            if v["path"].as_str().unwrap().contains("/dossier/0")
                && !v["path"].as_str().unwrap().contains("00-indice")
            {
                continue; // documents filed as they are
            }
            for atteso in [
                "Cofinanziato dall'Unione europea",
                "PR Abruzzo FSE+ 2021-2027",
                "2021IT05SFPR001",
                "C21B25000310009",
                "ABR-FSE-2025-0417",
            ] {
                assert!(t.contains(atteso), "{}: manca «{atteso}»", v["path"]);
            }
            ue += 1;
        }
    }
    assert!(ue >= 4, "documenti del corso FSE+: {ue}");
    for corso in ["master-dati-pa", "formazione-enoturismo"] {
        for kind in ["bando", "attestato", "pergamena"] {
            for (v, t) in documenti(o, corso, kind) {
                assert!(!t.contains("Cofinanziato"), "{}", v["path"]);
            }
        }
    }
}

#[test]
fn un_modulo_senza_voto_e_rifiutato() {
    let ds =
        copia_di(|d| sostituisci(d, MASTER, "DPA02: 30 e lode; DPA04: 28", "DPA02: 30 e lode"));
    rifiutato(
        ds.path(),
        &[
            &format!("{MASTER}, riga 17, campo voti"),
            "DPA04",
            "Art. 12",
        ],
    );
}

#[test]
fn un_voto_per_un_modulo_non_iscritto_e_rifiutato() {
    let ds = copia_di(|d| sostituisci(d, MASTER, "DPA04: 28", "DPA04: 28; DPA03: 27"));
    rifiutato(
        ds.path(),
        &[
            &format!("{MASTER}, riga 17, campo voti"),
            "DPA03",
            "non è tra quelli dell'iscrizione",
        ],
    );
}

#[test]
fn un_voto_solo_per_piu_moduli_e_rifiutato() {
    let ds = copia_di(|d| {
        sostituisci(d, MASTER, "superato;;2026-04-17", "superato;29;2026-04-17");
        sostituisci(d, MASTER, ";\"DPA02: 30 e lode; DPA04: 28\"", ";");
    });
    rifiutato(
        ds.path(),
        &[
            &format!("{MASTER}, riga 17, campo voto"),
            "un voto per modulo",
        ],
    );
}

#[test]
fn un_voto_di_modulo_fuori_scala_e_rifiutato() {
    let ds = copia_di(|d| sostituisci(d, MASTER, "DPA04: 28", "DPA04: 31"));
    rifiutato(
        ds.path(),
        &[
            &format!("{MASTER}, riga 17, campo voti"),
            "fuori scala",
            "/30",
        ],
    );
}

#[test]
fn un_indirizzo_di_verifica_senza_posto_per_il_codice_e_rifiutato() {
    let ds = copia_di(|d| {
        sostituisci(
            d,
            "ateneo.json",
            "verifica?codice={codice}",
            "verifica-documenti?",
        )
    });
    rifiutato(ds.path(), &["ateneo.json, $.url_verifica", "{codice}"]);
}

#[test]
fn un_cup_malformato_e_rifiutato() {
    let ds = copia_di(|d| {
        sostituisci(
            d,
            "corsi/aggiornamento-pelletteria.json",
            "C21B25000310009",
            "C21B2500031",
        )
    });
    rifiutato(
        ds.path(),
        &[
            "corsi/aggiornamento-pelletteria.json, $.finanziamento.cup",
            "15 caratteri",
        ],
    );
}

#[test]
fn un_cognome_oltre_ogni_registro_e_rifiutato() {
    let lungo = "Bartolucci".repeat(12);
    let ds = copia_di(|d| sostituisci(d, MASTER, ";Bartolucci;", &format!(";{lungo};")));
    rifiutato(
        ds.path(),
        &[&format!("{MASTER}, riga 3, campo cognome"), "al più 100"],
    );
}

/// The classes of the first defects, on this year's Windows-1252, `;`,
/// CRLF roster: a Master grade on another scale, a year of two digits, a
/// value under an unnamed column; row numbers as the spreadsheet shows them.
#[test]
fn letture_silenziose_rifiutate_anche_qui() {
    // Francesca D'Angelo, row 2: her grade written on /110.
    let ds = copia_di(|d| {
        let b = std::fs::read(d.join(MASTER)).unwrap();
        let t: String = b.iter().map(|&c| c as char).collect();
        let riga = t.split("\r\n").nth(1).unwrap().to_string();
        let campi: Vec<&str> = riga.split(';').collect();
        let voto = campi[13];
        assert!(!voto.is_empty(), "{riga}");
        sostituisci(d, MASTER, &format!(";{voto};"), ";95/110;");
    });
    rifiutato(
        ds.path(),
        &[&format!("{MASTER}, riga 2, campo voto"), "/110"],
    );

    let ds = copia_di(|d| sostituisci(d, MASTER, ";1987-09-15;", ";15/09/87;"));
    rifiutato(
        ds.path(),
        &[
            &format!("{MASTER}, riga 17, campo data_nascita"),
            "quattro cifre",
        ],
    );

    let ds = copia_di(|d| {
        let p = d.join(MASTER);
        let b = std::fs::read(&p).unwrap();
        let t: String = b.iter().map(|&c| c as char).collect();
        let righe: Vec<String> = t
            .split("\r\n")
            .enumerate()
            .map(|(i, l)| match i {
                _ if l.is_empty() => String::new(),
                3 => format!("{l};RITIRATA"),
                _ => format!("{l};"),
            })
            .collect();
        let testo = righe.join("\r\n");
        std::fs::write(&p, testo.chars().map(|c| c as u8).collect::<Vec<u8>>()).unwrap();
    });
    rifiutato(
        ds.path(),
        &[
            &format!("{MASTER}, riga 4, campo senza intestazione"),
            "«RITIRATA»",
        ],
    );
}

/// Writes `fixtures/adriatico/iscrizioni/formazione-enoturismo.xlsx` from
/// `fixtures/tools/adriatico-formazione.csv`, as a secretary's workbook:
/// dates as date cells, hours and numeric grades as numbers, the rest as
/// text; fixed document properties, so the bytes are the same every time.
#[test]
#[ignore = "generatore della fixture: cargo test --release --test adriatico -- --ignored scrivi_xlsx_adriatico"]
fn scrivi_xlsx_adriatico() {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let sorgente = radice().join("fixtures/tools/adriatico-formazione.csv");
    let mut r = csv::Reader::from_path(&sorgente).unwrap();
    let intestazione: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let mut wb = Workbook::new();
    let quando = ExcelDateTime::from_ymd(2026, 7, 1).unwrap();
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&quando)
            .set_author("Segreteria didattica"),
    );
    let data = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet().set_name("Iscritti").unwrap();
    for (c, h) in intestazione.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (i, riga) in r.records().enumerate() {
        let riga = riga.unwrap();
        let n = i as u32 + 1;
        for (c, v) in riga.iter().enumerate() {
            let col = c as u16;
            if v.is_empty() {
                continue;
            }
            let nome = intestazione[c].as_str();
            let gma: Vec<&str> = v.split('/').collect();
            let amg: Vec<&str> = v.split('-').collect();
            let data_di = |a: &str, m: &str, g: &str| {
                ExcelDateTime::from_ymd(a.parse().unwrap(), m.parse().unwrap(), g.parse().unwrap())
                    .unwrap()
            };
            if nome.starts_with("data") || nome == "bollo_data" {
                let d = if gma.len() == 3 {
                    data_di(gma[2], gma[1], gma[0])
                } else {
                    data_di(amg[0], amg[1], amg[2])
                };
                ws.write_datetime_with_format(n, col, &d, &data).unwrap();
            } else if (nome == "ore_frequentate" || nome == "voto") && v.parse::<f64>().is_ok() {
                ws.write_number(n, col, v.parse::<f64>().unwrap()).unwrap();
            } else {
                ws.write_string(n, col, v).unwrap();
            }
        }
    }
    wb.save(radice().join("fixtures/adriatico/iscrizioni/formazione-enoturismo.xlsx"))
        .unwrap();
}

/// A Master the EU co-finances: its parchments carry the emblem's
/// statement and the identifiers too, and still fit their page.
#[test]
fn la_pergamena_di_un_master_cofinanziato_porta_la_dicitura() {
    let ds = copia_di(|d| {
        let p = d.join("corsi/master-dati-pa.json");
        let mut c: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        c["finanziamento"] = serde_json::json!({
            "fonte": "Fondo Sociale Europeo Plus – PR Abruzzo FSE+ 2021-2027",
            "fondo_ue": "FSE+",
            "programma": "PR Abruzzo FSE+ 2021-2027",
            "cci": "2021IT05SFPR001",
            "cup": "C21B25000990009",
            "codice_progetto": "ABR-FSE-2025-0533"
        });
        std::fs::write(&p, serde_json::to_string_pretty(&c).unwrap()).unwrap();
    });
    let out = tempfile::tempdir().unwrap();
    build_riuscita(
        ds.path(),
        out.path(),
        &["--course", "master-dati-pa", "--kind", "pergamena"],
    );
    let pergamene = documenti(out.path(), "master-dati-pa", "pergamena");
    assert!(!pergamene.is_empty());
    for (v, t) in pergamene {
        for atteso in [
            "Cofinanziato dall'Unione europea",
            "PR Abruzzo FSE+ 2021-2027",
            "C21B25000990009",
            "ABR-FSE-2025-0533",
        ] {
            assert!(t.contains(atteso), "{}: manca «{atteso}»:\n{t}", v["path"]);
        }
    }
}
