//! No silent misreads: values a roster or a course file holds that the
//! program would otherwise read as something else are refused with file,
//! row, column and what to write instead; row numbers are the ones a
//! spreadsheet shows, whatever the line ends.

mod common;

use std::path::Path;

use common::*;

const ROSTER: &str = "iscrizioni/perfezionamento-mediazione.csv";
const MASTER: &str = "iscrizioni/master-dati-pa.csv";

/// A copy of a fixture with `modifica` applied to it.
fn copia_di(nome: &str, modifica: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copia(&fixture(nome), dir.path());
    modifica(dir.path());
    dir
}

/// Sets one field of line `n` (0 = header) of a comma-separated roster.
fn cambia_campo(ds: &Path, file: &str, n: usize, colonna: &str, valore: &str) {
    let p = ds.join(file);
    let testo = std::fs::read_to_string(&p).unwrap();
    let mut righe: Vec<Vec<String>> = testo
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let i = righe[0].iter().position(|h| h == colonna).unwrap();
    righe[n][i] = valore.to_string();
    let t: Vec<String> = righe.iter().map(|r| r.join(",")).collect();
    std::fs::write(&p, t.join("\n") + "\n").unwrap();
}

/// `lauream check` output and whether it succeeded.
fn check(ds: &Path) -> (bool, String) {
    let r = lauream(&["check", ds.to_str().unwrap()]);
    (
        r.status.success(),
        String::from_utf8_lossy(&r.stderr).into_owned(),
    )
}

/// Refused, with an error line holding every fragment.
fn rifiutato(ds: &Path, frammenti: &[&str]) {
    let (ok, err) = check(ds);
    assert!(!ok, "check dovrebbe fallire:\n{err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with("errore:") && frammenti.iter().all(|f| l.contains(f))),
        "nessuna riga d'errore con {frammenti:?}:\n{err}"
    );
}

#[test]
fn voto_su_altra_scala_rifiutato() {
    // 95/110 on a Master (/100).
    let ds = copia_di("demo", |d| cambia_campo(d, MASTER, 1, "voto", "95/110"));
    rifiutato(
        ds.path(),
        &[
            "master-dati-pa.csv, riga 2, campo voto",
            "«95/110»",
            "la scala è /100",
        ],
    );
    // 26/100 on a /30 course.
    let ds = copia_di("minimal", |d| cambia_campo(d, ROSTER, 1, "voto", "26/100"));
    rifiutato(
        ds.path(),
        &[
            "perfezionamento-mediazione.csv, riga 2, campo voto",
            "«26/100»",
            "/30",
        ],
    );
}

#[test]
fn voto_sulla_scala_del_corso_accettato() {
    let ds = copia_di("minimal", |d| cambia_campo(d, ROSTER, 1, "voto", "28/30"));
    let (ok, err) = check(ds.path());
    assert!(ok, "{err}");
    let ds = copia_di("demo", |d| cambia_campo(d, MASTER, 1, "voto", "95/100"));
    let (ok, err) = check(ds.path());
    assert!(ok, "{err}");
}

#[test]
fn anno_di_due_cifre_rifiutato() {
    let ds = copia_di("minimal", |d| {
        cambia_campo(d, ROSTER, 2, "data_nascita", "02/09/90")
    });
    rifiutato(
        ds.path(),
        &["riga 3, campo data_nascita", "«02/09/90»", "quattro cifre"],
    );
    // In a course file too, whatever the field.
    let ds = copia_di("minimal", |d| {
        let p = d.join("corsi/perfezionamento-mediazione.json");
        let t = std::fs::read_to_string(&p).unwrap();
        let v: serde_json::Value = serde_json::from_str(&t).unwrap();
        let fine = v["date"]["fine"].as_str().unwrap().to_string();
        let corta = format!("{}-{}", &fine[2..4], &fine[5..]);
        std::fs::write(
            &p,
            t.replace(&format!("\"{fine}\""), &format!("\"{corta}\"")),
        )
        .unwrap();
    });
    rifiutato(
        ds.path(),
        &["perfezionamento-mediazione.json", "quattro cifre"],
    );
}

#[test]
fn data_di_nascita_contro_il_codice_fiscale_e_un_errore() {
    // Jacopo Martelli's tax code says 2 September 1990.
    let ds = copia_di("minimal", |d| {
        cambia_campo(d, ROSTER, 2, "data_nascita", "1990-09-03")
    });
    rifiutato(
        ds.path(),
        &[
            "riga 3, campo data_nascita",
            "non corrisponde al codice fiscale MRTJCP90P02G702F",
            "02/09",
        ],
    );
}

#[test]
fn valore_in_colonna_senza_intestazione_rifiutato() {
    // A note typed into an unnamed column between two named ones.
    let ds = copia_di("minimal", |d| {
        let p = d.join(ROSTER);
        let t = std::fs::read_to_string(&p).unwrap();
        let righe: Vec<String> = t
            .lines()
            .enumerate()
            .map(|(i, l)| {
                let (a, b) = l.split_once(',').unwrap();
                match i {
                    0 => format!("{a},,{b}"),
                    2 => format!("{a},RITIRATO - NON RILASCIARE,{b}"),
                    _ => format!("{a},,{b}"),
                }
            })
            .collect();
        std::fs::write(&p, righe.join("\n") + "\n").unwrap();
    });
    rifiutato(
        ds.path(),
        &[
            "riga 3, campo senza intestazione (colonna 2)",
            "«RITIRATO - NON RILASCIARE»",
        ],
    );
    // The same note in a last, unnamed column: the message names the
    // column, not a misplaced separator.
    let ds = copia_di("minimal", |d| {
        let p = d.join(ROSTER);
        let t = std::fs::read_to_string(&p).unwrap();
        let righe: Vec<String> = t
            .lines()
            .enumerate()
            .map(|(i, l)| match i {
                0 => format!("{l},"),
                2 => format!("{l},RITIRATO"),
                _ => format!("{l},"),
            })
            .collect();
        std::fs::write(&p, righe.join("\n") + "\n").unwrap();
    });
    let (_, err) = check(ds.path());
    rifiutato(
        ds.path(),
        &["riga 3, campo senza intestazione", "«RITIRATO»"],
    );
    assert!(!err.contains("separatore"), "{err}");
}

#[test]
fn valore_in_colonna_senza_intestazione_in_excel_rifiutato() {
    let ds = copia_di("minimal", |d| {
        let p = d.join(ROSTER);
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, l) in t.lines().enumerate() {
            for (c, v) in l.split(',').enumerate() {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
        let ultima = t.lines().next().unwrap().split(',').count() as u16;
        // Two columns right of the header's last: column R on a 16-column header.
        ws.write_string(1, ultima + 1, "NON RILASCIARE").unwrap();
        wb.save(p.with_extension("xlsx")).unwrap();
    });
    rifiutato(
        ds.path(),
        &[
            "perfezionamento-mediazione.xlsx",
            "riga 2, campo senza intestazione (colonna R)",
            "«NON RILASCIARE»",
        ],
    );
}

#[test]
fn righe_numerate_come_nel_foglio_anche_con_crlf() {
    let messaggi = |fine: &str| {
        let ds = copia_di("minimal", |d| {
            cambia_campo(d, ROSTER, 3, "ore_frequentate", "centotrenta");
            let p = d.join(ROSTER);
            let t = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, t.replace('\n', fine)).unwrap();
        });
        let err = check(ds.path()).1;
        err.lines()
            .filter(|l| l.starts_with("errore:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let lf = messaggi("\n");
    let crlf = messaggi("\r\n");
    assert!(lf.contains("riga 4, campo ore_frequentate"), "{lf}");
    assert_eq!(lf, crlf);
}
