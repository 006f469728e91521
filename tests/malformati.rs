//! Malformed registers as they arrive from real offices: each one either loads
//! as a person would expect (Latin-1 from Excel, dates as serial numbers,
//! merged cells, formulas, hidden rows and sheets, decimal commas) or is
//! refused with file, row, column and a message a secretary can act on.
//! Nothing panics and a refused dataset writes nothing.

mod common;

use std::path::Path;

use common::*;
use lauream::input::{roster, tabella};
use rust_xlsxwriter::{Format, Formula, Workbook};

const ROSTER: &str = "iscrizioni/perfezionamento-mediazione.csv";

/// A location in the perfezionamento roster, as messages write it.
macro_rules! r {
    ($s:literal) => {
        concat!("iscrizioni/perfezionamento-mediazione.csv, riga", $s)
    };
}

/// The same, in the Excel version of the roster.
macro_rules! x {
    ($s:literal) => {
        concat!(
            "iscrizioni/perfezionamento-mediazione.xlsx [foglio Iscritti], riga",
            $s
        )
    };
}

/// A copy of the minimal dataset with `modifica` applied to it.
fn dataset(modifica: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copia(&fixture("minimal"), dir.path());
    modifica(dir.path());
    dir
}

/// Rewrites a line (0 = header) of the perfezionamento roster.
fn cambia_riga(ds: &Path, n: usize, f: impl FnOnce(&str) -> String) {
    let p = ds.join(ROSTER);
    let testo = std::fs::read_to_string(&p).unwrap();
    let mut righe: Vec<String> = testo.lines().map(str::to_string).collect();
    righe[n] = f(&righe[n]);
    std::fs::write(&p, righe.join("\n") + "\n").unwrap();
}

/// Sets one field of a roster line, by column name.
fn cambia_campo(ds: &Path, n: usize, colonna: &str, valore: &str) {
    let testo = std::fs::read_to_string(ds.join(ROSTER)).unwrap();
    let intestazione: Vec<&str> = testo.lines().next().unwrap().split(',').collect();
    let i = intestazione.iter().position(|h| *h == colonna).unwrap();
    cambia_riga(ds, n, |r| {
        let mut campi: Vec<String> = r.split(',').map(str::to_string).collect();
        campi[i] = valore.to_string();
        campi.join(",")
    });
}

fn cambia_corso(ds: &Path, f: impl FnOnce(&mut serde_json::Value)) {
    let p = ds.join("corsi/perfezionamento-mediazione.json");
    let mut c: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    f(&mut c);
    std::fs::write(&p, serde_json::to_vec_pretty(&c).unwrap()).unwrap();
}

/// `check` and `build` both refuse the dataset with every expected fragment
/// on one line of the output, and the build writes nothing.
fn rifiutato(nome: &str, ds: &Path, attesi: &[&[&str]]) {
    let check = lauream(&["check", ds.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&check.stderr).into_owned();
    assert!(!check.status.success(), "{nome}: check dovrebbe fallire");
    assert!(
        !err.contains("panicked"),
        "{nome}: il programma è andato in panico:\n{err}"
    );
    for frammenti in attesi {
        assert!(
            err.lines()
                .any(|l| l.starts_with("errore:") && frammenti.iter().all(|f| l.contains(f))),
            "{nome}: nessuna riga d'errore con {frammenti:?}:\n{err}"
        );
    }
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("uscita");
    let build = lauream(&[
        "build",
        ds.to_str().unwrap(),
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert!(!build.status.success(), "{nome}: build dovrebbe fallire");
    assert!(
        !dest.exists(),
        "{nome}: la build rifiutata ha scritto qualcosa"
    );
}

/// A name, what to break in a copy of the minimal dataset, and the
/// fragments each expected error line must contain.
type Caso = (
    &'static str,
    Box<dyn FnOnce(&Path)>,
    Vec<&'static [&'static str]>,
);

/// Rows of a roster broken in one way each.
fn casi_righe() -> Vec<Caso> {
    vec![
        (
            "colonne in più",
            Box::new(|ds| cambia_riga(ds, 2, |l| format!("{l},valore in più"))),
            vec![&[
                r!(" 3:"),
                "la riga ha 17 valori ma l'intestazione ha 16 colonne",
                "virgolette",
            ]],
        ),
        (
            "colonne in meno",
            Box::new(|ds| cambia_riga(ds, 1, |l| l.rsplitn(4, ',').last().unwrap().to_string())),
            vec![&[
                r!(" 2:"),
                "la riga ha 13 valori ma l'intestazione ha 16 colonne",
                "manca un valore o un separatore",
            ]],
        ),
        (
            "virgoletta non chiusa",
            Box::new(|ds| cambia_campo(ds, 1, "nome", "\"Clara")),
            vec![&[r!(" 2, campo nome"), "va a capo", "virgolett"]],
        ),
        (
            "carattere NUL",
            Box::new(|ds| cambia_campo(ds, 2, "cognome", "Mar\0telli")),
            vec![&[r!(" 3, campo cognome"), "carattere nullo (NUL)"]],
        ),
        (
            "carattere di controllo",
            Box::new(|ds| cambia_campo(ds, 3, "luogo_nascita", "Ro\u{7}ma")),
            vec![&[
                r!(" 4, campo luogo_nascita"),
                "carattere di controllo U+0007",
            ]],
        ),
        (
            "sequenza di escape del terminale",
            Box::new(|ds| cambia_campo(ds, 1, "nome", "Clara\u{1b}[31m")),
            vec![&[r!(" 2, campo nome"), "U+001B"]],
        ),
        (
            "emoji nel nome (nessun carattere tipografico lo disegna)",
            Box::new(|ds| cambia_campo(ds, 1, "nome", "Clara 🎓")),
            vec![&[
                r!(" 2, campo nome"),
                "«🎓» (U+1F393)",
                "non si può stampare",
            ]],
        ),
        (
            "emoji nel titolo del corso",
            Box::new(|ds| cambia_corso(ds, |c| c["titolo"] = "Mediazione 👩‍⚖️".into())),
            vec![&[
                "corsi/perfezionamento-mediazione.json, $.titolo",
                "non si può stampare",
            ]],
        ),
        (
            "data come numero di serie in un CSV",
            Box::new(|ds| cambia_campo(ds, 2, "data_nascita", "33118")),
            vec![&[r!(" 3, campo data_nascita"), "sembra una data di Excel"]],
        ),
        (
            "persona iscritta due volte",
            Box::new(|ds| {
                cambia_riga(ds, 3, |_| {
                    let t = std::fs::read_to_string(ds.join(ROSTER)).unwrap();
                    t.lines().nth(1).unwrap().to_string()
                })
            }),
            vec![&[r!(" 4, campo codice_fiscale"), "già iscritto/a"]],
        ),
        (
            "ore con lettere",
            Box::new(|ds| cambia_campo(ds, 1, "ore_frequentate", "centotrenta")),
            vec![&[
                r!(" 2, campo ore_frequentate"),
                "non è un numero di ore valido",
            ]],
        ),
        (
            "ore enormi",
            Box::new(|ds| cambia_campo(ds, 1, "ore_frequentate", "99999999999:00")),
            vec![&[
                r!(" 2, campo ore_frequentate"),
                "non è un numero di ore valido",
            ]],
        ),
    ]
}

/// Whole files broken: empty, mislabelled, not what their extension says,
/// JSON that is not text or not complete.
fn casi_file() -> Vec<Caso> {
    vec![
        (
            "file vuoto",
            Box::new(|ds| std::fs::write(ds.join("iscrizioni/vuoto.csv"), b"").unwrap()),
            vec![&["iscrizioni/vuoto.csv", "il file è vuoto"]],
        ),
        (
            "solo intestazione sbagliata",
            Box::new(|ds| {
                std::fs::write(ds.join("iscrizioni/altro.csv"), "nome;cognome\nA;B\n").unwrap()
            }),
            vec![&[
                "iscrizioni/altro.csv, riga 1, campo corso",
                "manca la colonna obbligatoria",
            ]],
        ),
        (
            "Excel finto (testo con estensione .xlsx)",
            Box::new(|ds| {
                std::fs::write(ds.join("iscrizioni/finto.xlsx"), "corso,cognome\n").unwrap()
            }),
            vec![&[
                "iscrizioni/finto.xlsx",
                "impossibile aprire il foglio di calcolo",
            ]],
        ),
        (
            "JSON con carattere nullo",
            Box::new(|ds| cambia_corso(ds, |c| c["titolo"] = "Mediazione\u{0}".into())),
            vec![&[
                "corsi/perfezionamento-mediazione.json, $.titolo",
                "carattere nullo",
            ]],
        ),
        (
            "JSON con carattere di controllo in un modulo",
            Box::new(|ds| cambia_corso(ds, |c| c["moduli"][1]["titolo"] = "Tecniche\u{8}".into())),
            vec![&[
                "corsi/perfezionamento-mediazione.json, $.moduli[1].titolo",
                "U+0008",
            ]],
        ),
        (
            "JSON non UTF-8",
            Box::new(|ds| {
                let p = ds.join("corsi/perfezionamento-mediazione.json");
                let t = std::fs::read(&p).unwrap();
                let t = String::from_utf8(t)
                    .unwrap()
                    .replace("Mediazione", "Mediazióne");
                let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&t);
                std::fs::write(&p, latin1).unwrap();
            }),
            vec![&["corsi/perfezionamento-mediazione.json", "non è in UTF-8"]],
        ),
        (
            "JSON troncato",
            Box::new(|ds| {
                let p = ds.join("ateneo.json");
                let t = std::fs::read(&p).unwrap();
                std::fs::write(&p, &t[..t.len() / 2]).unwrap();
            }),
            vec![&["ateneo.json", "JSON non valido"]],
        ),
    ]
}

#[test]
fn csv_malformati_rifiutati_con_file_riga_e_colonna() {
    for (nome, modifica, attesi) in casi_righe().into_iter().chain(casi_file()) {
        let ds = dataset(modifica);
        rifiutato(nome, ds.path(), &attesi);
    }
}

#[test]
fn csv_latin1_da_excel_resta_con_gli_accenti_nel_documento() {
    let ds = dataset(|ds| {
        let p = ds.join(ROSTER);
        let t = std::fs::read_to_string(&p)
            .unwrap()
            .replace("Benedetti", "Benedettì")
            .replace(",Pisa,", ",Forlì,")
            .replace(',', ";");
        let (latin1, _, errori) = encoding_rs::WINDOWS_1252.encode(&t);
        assert!(!errori);
        assert!(std::str::from_utf8(&latin1).is_err(), "deve essere Latin-1");
        std::fs::write(&p, latin1).unwrap();
        // Italian decimal comma in a ;-separated file.
        cambia_campo_sep(ds, 1, "ore_frequentate", "130,5");
    });
    let out = tempfile::tempdir().unwrap();
    build_riuscita(
        ds.path(),
        out.path(),
        &[
            "--course",
            "perfezionamento-mediazione",
            "--kind",
            "attestato",
        ],
    );
    let doc = indice_di(out.path())
        .into_iter()
        .find(|d| d["person"] == "BNDCLR86D58D612T")
        .unwrap();
    let t = testo_pdf(&out.path().join(doc["path"].as_str().unwrap()));
    assert!(t.contains("Benedettì"), "{t}");
    assert!(t.contains("130,5") || t.contains("130 ore e 30"), "{t}");
    let doc = indice_di(out.path())
        .into_iter()
        .find(|d| d["person"] == "MRTJCP90P02G702F")
        .unwrap();
    let t = testo_pdf(&out.path().join(doc["path"].as_str().unwrap()));
    assert!(t.contains("Forlì"), "{t}");
}

/// As [`cambia_campo`], for a roster separated by `;` in Windows-1252.
fn cambia_campo_sep(ds: &Path, n: usize, colonna: &str, valore: &str) {
    let p = ds.join(ROSTER);
    let bytes = std::fs::read(&p).unwrap();
    let (testo, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let mut righe: Vec<String> = testo.lines().map(str::to_string).collect();
    let i = righe[0].split(';').position(|h| h == colonna).unwrap();
    let mut campi: Vec<String> = righe[n].split(';').map(str::to_string).collect();
    campi[i] = valore.to_string();
    righe[n] = campi.join(";");
    let nuovo = righe.join("\n") + "\n";
    let (b, _, _) = encoding_rs::WINDOWS_1252.encode(&nuovo);
    std::fs::write(&p, b).unwrap();
}

/// The minimal perfezionamento roster as rows of text.
fn righe_minimal() -> Vec<Vec<String>> {
    std::fs::read_to_string(fixture("minimal").join(ROSTER))
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn colonna(nome: &str) -> u16 {
    righe_minimal()[0].iter().position(|h| h == nome).unwrap() as u16
}

/// Writes the minimal roster into a worksheet from row `da` (0-based).
fn scrivi_righe(ws: &mut rust_xlsxwriter::Worksheet, da: u32) {
    for (r, riga) in righe_minimal().iter().enumerate() {
        for (c, v) in riga.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(da + r as u32, c as u16, v).unwrap();
            }
        }
    }
}

fn leggi_xlsx(wb: &mut Workbook) -> (Vec<lauream::model::Iscrizione>, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("registro.xlsx");
    wb.save(&p).unwrap();
    let t = tabella::leggi(&p, "iscrizioni/registro.xlsx").unwrap();
    let mut problemi = lauream::diag::Problemi::default();
    let righe = roster::iscrizioni(&t, &mut problemi);
    (righe, problemi.to_string())
}

#[test]
fn excel_letto_come_lo_vede_una_persona() {
    let ore = colonna("ore_frequentate");
    let nascita = colonna("data_nascita");

    // Extra sheets: a hidden one first, the register, then notes.
    let mut wb = Workbook::new();
    let nascosto = wb.add_worksheet().set_name("Elenchi").unwrap();
    nascosto.write_string(0, 0, "non è il registro").unwrap();
    nascosto.set_hidden(true);
    let ws = wb.add_worksheet().set_name("Iscritti").unwrap();
    // The sheet open in Excel: the first one, hidden, cannot be the active one.
    ws.set_active(true);
    scrivi_righe(ws, 0);
    // Formulas: calamine reads the value Excel cached with the formula.
    ws.write_formula(1, ore, Formula::new("=100+30").set_result("130"))
        .unwrap();
    // A birth date typed as a number, the column not formatted as a date.
    ws.write_number(2, nascita, 33118.0).unwrap();
    // Italian decimal comma as text, and a decimal number.
    ws.write_string(3, ore, "110,5").unwrap();
    let appunti = wb.add_worksheet().set_name("Appunti").unwrap();
    appunti.write_string(0, 0, "corso").unwrap();
    appunti.write_string(0, 1, "cognome").unwrap();
    let (righe, problemi) = leggi_xlsx(&mut wb);
    assert_eq!(righe.len(), 3, "{problemi}");
    assert_eq!(
        righe[0].ore_frequentate,
        Some(lauream::model::Ore(130 * 60))
    );
    assert_eq!(
        righe[1].persona.data_nascita,
        chrono::NaiveDate::from_ymd_opt(1990, 9, 2).unwrap()
    );
    assert_eq!(
        righe[2].ore_frequentate,
        Some(lauream::model::Ore(110 * 60 + 30))
    );
    assert_eq!(righe[0].origine.foglio.as_deref(), Some("Iscritti"));

    // A title above the table, the header row hidden, merged course cells.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Registro iscritti – a.a. 2025/2026")
        .unwrap();
    scrivi_righe(ws, 2);
    ws.set_row_hidden(2).unwrap();
    ws.merge_range(3, 0, 5, 0, "perfezionamento-mediazione", &Format::new())
        .unwrap();
    ws.write_number(4, ore, 120.5).unwrap();
    let (righe, problemi) = leggi_xlsx(&mut wb);
    assert_eq!(righe.len(), 3, "{problemi}");
    assert!(righe
        .iter()
        .all(|r| r.corso == "perfezionamento-mediazione"));
    // Row numbers are those the spreadsheet shows.
    assert_eq!(
        righe.iter().map(|r| r.origine.riga).collect::<Vec<_>>(),
        [4, 5, 6]
    );
    assert_eq!(
        righe[1].ore_frequentate,
        Some(lauream::model::Ore(120 * 60 + 30))
    );
}

#[test]
fn excel_malformato_rifiutato_con_riga_e_colonna() {
    let ore = colonna("ore_frequentate");
    let nascita = colonna("data_nascita");
    let ds = dataset(|ds| {
        std::fs::remove_file(ds.join(ROSTER)).unwrap();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Iscritti").unwrap();
        scrivi_righe(ws, 0);
        // A formula whose cached value is an error.
        ws.write_formula(1, ore, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
        ws.write_string(2, nascita, "31/02/1990").unwrap();
        ws.write_string(3, colonna("nome"), "Orn\u{0}ella").unwrap();
        wb.save(ds.join("iscrizioni/perfezionamento-mediazione.xlsx"))
            .unwrap();
    });
    rifiutato(
        "excel",
        ds.path(),
        &[
            &[x!(" 2, campo ore_frequentate"), "errore di Excel «#DIV/0!»"],
            &[x!(" 3, campo data_nascita"), "non è una data valida"],
            &[x!(" 4, campo nome"), "carattere nullo"],
        ],
    );
}
