//! Reading a dataset directory into the [`model`](crate::model).
//!
//! ```text
//! DATASET/
//!   ateneo.json           the university profile
//!   corsi/*.json          one file per course
//!   iscrizioni/*.csv|xlsx rosters: one row per person enrolled in a course
//!   presenze/*.csv|xlsx   optional attendance registers: hours per module
//! ```
//!
//! Loading reports every problem it meets (syntax, unknown fields, cells that
//! are not dates...) with file and row or JSON path, and goes on reading the
//! other files. Regulation rules are checked afterwards by [`crate::rules`].

pub mod glifi;
pub mod roster;
pub mod tabella;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diag::{Posizione, Problemi};
use crate::model::{Ateneo, Corso, Dataset};

/// Reads a dataset. Returns the dataset when every file could be read (it may
/// still break the regulation), and the problems met either way.
pub fn carica(radice: &Path) -> (Option<Dataset>, Problemi) {
    carica_in(radice, false)
}

/// Reads a dataset as [`carica`] does, but a course file that cannot be
/// read leaves out only that course: the dataset is returned whenever
/// `ateneo.json` could be read. For a build of one course, which must not
/// be stopped by another course's broken file (its errors are still among
/// the problems).
pub fn carica_parziale(radice: &Path) -> (Option<Dataset>, Problemi) {
    carica_in(radice, true)
}

fn carica_in(radice: &Path, parziale: bool) -> (Option<Dataset>, Problemi) {
    let mut problemi = Problemi::default();
    if !radice.is_dir() {
        problemi.errore(
            Posizione::file(radice.display().to_string()),
            "la cartella del dataset non esiste",
        );
        return (None, problemi);
    }

    let ateneo = leggi_json::<Ateneo>(radice, "ateneo.json", &mut problemi);

    let mut corsi = Vec::new();
    let file_corsi = elenca(radice, "corsi", &["json"], &mut problemi);
    if file_corsi.is_empty() {
        problemi.errore(
            Posizione::file("corsi/"),
            "nessun corso: la cartella corsi/ deve contenere almeno un file .json",
        );
    }
    let mut letti_tutti = true;
    for rel in file_corsi {
        match leggi_json::<Corso>(radice, &rel, &mut problemi) {
            Some(c) => {
                if let Some(f) = &c.finanziamento {
                    controlla_finanziamento(&rel, f, &mut problemi);
                }
                corsi.push((rel, c))
            }
            None => letti_tutti = false,
        }
    }

    let mut iscrizioni = Vec::new();
    for rel in elenca(
        radice,
        "iscrizioni",
        &["csv", "xlsx", "xlsm", "xls", "ods"],
        &mut problemi,
    ) {
        match tabella::leggi(&radice.join(&rel), &rel) {
            Ok(t) => iscrizioni.extend(roster::iscrizioni(&t, &mut problemi)),
            Err(e) => problemi.errore(Posizione::file(&rel), e),
        }
    }
    let mut presenze = Vec::new();
    for rel in elenca(
        radice,
        "presenze",
        &["csv", "xlsx", "xlsm", "xls", "ods"],
        &mut problemi,
    ) {
        match tabella::leggi(&radice.join(&rel), &rel) {
            Ok(t) => presenze.extend(roster::presenze(&t, &mut problemi)),
            Err(e) => problemi.errore(Posizione::file(&rel), e),
        }
    }

    let dataset = match (ateneo, letti_tutti || parziale) {
        (Some(ateneo), true) => Some(Dataset {
            radice: radice.to_path_buf(),
            ateneo,
            corsi,
            iscrizioni,
            presenze,
        }),
        _ => None,
    };
    (dataset, problemi)
}

/// Files with the given extensions in a subdirectory, sorted, as paths
/// relative to the dataset (with `/`, whatever the platform).
fn elenca(radice: &Path, sub: &str, estensioni: &[&str], problemi: &mut Problemi) -> Vec<String> {
    let dir = radice.join(sub);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problemi.errore(
                    Posizione::file(format!("{sub}/")),
                    format!(
                        "cartella non leggibile: {}",
                        crate::messaggi::in_italiano(&e.to_string())
                    ),
                );
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        // Spreadsheet lock files and hidden files are not data.
        if !entry.file_type().is_file() || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let rel = relativo(radice, entry.path());
        let ext = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_lowercase();
        if estensioni.contains(&ext.as_str()) {
            out.push(rel);
        } else {
            problemi.avviso(
                Posizione::file(&rel),
                format!("file ignorato: atteso uno tra {}", estensioni.join(", ")),
                None,
            );
        }
    }
    out
}

fn relativo(radice: &Path, p: &Path) -> String {
    let rel: PathBuf = p.strip_prefix(radice).unwrap_or(p).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The identifiers of an EU-funded course, as Annex IX of Reg. (UE)
/// 2021/1060 has them printed: a CUP of 15 letters and digits, a CCI code
/// of 15 characters starting with the year, a programme named; no
/// identifier of an EU programme on a course that names no EU fund.
fn controlla_finanziamento(rel: &str, f: &crate::model::Finanziamento, problemi: &mut Problemi) {
    let dove = |campo: &str| Posizione::json(rel, format!("$.finanziamento.{campo}"));
    let alfanumerico = |s: &str| {
        s.len() == 15
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    if let Some(cup) = &f.cup {
        if !alfanumerico(cup) {
            problemi.errore(
                dove("cup"),
                format!("«{cup}» non è un CUP: il Codice Unico di Progetto ha 15 caratteri, lettere maiuscole e cifre, senza spazi (per esempio «J51B23000420009»)"),
            );
        }
    }
    if let Some(cci) = &f.cci {
        if !(alfanumerico(cci) && cci.bytes().take(4).all(|b| b.is_ascii_digit())) {
            problemi.errore(
                dove("cci"),
                format!("«{cci}» non è un codice CCI: ha 15 caratteri, l'anno e la sigla del Paese in testa (per esempio «2021IT05SFPR009»)"),
            );
        }
    }
    match &f.fondo_ue {
        Some(fondo) if fondo.trim().is_empty() => problemi.errore(
            dove("fondo_ue"),
            "indicare il fondo europeo (per esempio «FSE+») o togliere il campo".to_string(),
        ),
        Some(_) if f.programma.is_none() => problemi.errore(
            dove("programma"),
            "un corso cofinanziato dall'Unione europea indica il programma (per esempio «PR Marche FSE+ 2021-2027»): va stampato con l'emblema (Reg. (UE) 2021/1060, allegato IX)".to_string(),
        ),
        None => {
            for (campo, presente) in [("programma", f.programma.is_some()), ("cci", f.cci.is_some())] {
                if presente {
                    problemi.errore(
                        dove(campo),
                        "manca «fondo_ue»: indicare il fondo europeo che cofinanzia il corso (per esempio «FSE+»), altrimenti togliere il campo".to_string(),
                    );
                }
            }
        }
        _ => {}
    }
}

/// Reads one JSON file, reporting syntax errors with line and column and
/// type errors with the JSON path of the offending value.
fn leggi_json<T: DeserializeOwned>(radice: &Path, rel: &str, problemi: &mut Problemi) -> Option<T> {
    let bytes = match std::fs::read(radice.join(rel)) {
        Ok(b) => b,
        Err(e) => {
            problemi.errore(
                Posizione::file(rel),
                format!(
                    "impossibile leggere il file: {}",
                    crate::messaggi::errore_io(&e)
                ),
            );
            return None;
        }
    };
    let testo = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)) {
        Ok(t) => t.to_string(),
        Err(e) => {
            problemi.errore(
                Posizione::file(rel),
                format!(
                    "il file non è in UTF-8 (byte {}): salvarlo come UTF-8",
                    e.valid_up_to()
                ),
            );
            return None;
        }
    };
    // Control characters (NUL, escape codes) arrive as JSON escapes such as
    // "\u0000"; they are reported with the path of each value that holds one,
    // and so are dates with a short year.
    if let Ok(valore) = serde_json::from_str::<serde_json::Value>(&testo) {
        let mut trovati = Vec::new();
        testi_non_stampabili(&valore, "$".into(), &mut trovati);
        if !trovati.is_empty() {
            for (percorso, messaggio) in trovati {
                problemi.errore(Posizione::json(rel, percorso), messaggio);
            }
            return None;
        }
    }
    let de = &mut serde_json::Deserializer::from_str(&testo);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Some(v),
        Err(e) => {
            let percorso = percorso_json(e.path());
            let inner = e.into_inner();
            let (posizione, messaggio) = if inner.is_syntax() || inner.is_eof() {
                let posizione = Posizione {
                    file: rel.to_string(),
                    riga: Some(inner.line()),
                    ..Default::default()
                };
                (
                    posizione,
                    format!(
                        "JSON non valido: {}",
                        crate::messaggi::json(&inner.to_string())
                    ),
                )
            } else {
                // serde appends " at line L column C"; it becomes "(riga L,
                // colonna C)", which helps in an editor.
                (
                    Posizione::json(rel, percorso),
                    crate::messaggi::json(&inner.to_string()),
                )
            };
            problemi.errore(posizione, messaggio);
            None
        }
    }
}

/// A date written with a short year (`97-07-25`, `25-07-97`): the JSON
/// reader would take it as the year 97 and a document would print it so.
/// Any value shaped like a date is checked, whatever field holds it.
fn data_con_anno_corto(s: &str) -> Option<String> {
    let parti: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
    let [a, b, c] = parti[..] else {
        return None;
    };
    let cifre = |x: &str| !x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit());
    if !(cifre(a) && cifre(b) && cifre(c)) || b.len() > 2 {
        return None;
    }
    let n = |x: &str| x.parse::<u32>().unwrap_or(0);
    // Shaped like a date: a month in the middle, a day at one end.
    if !(1..=12).contains(&n(b)) || !((1..=31).contains(&n(a)) || (1..=31).contains(&n(c))) {
        return None;
    }
    let anno_corto = (a.len() <= 2 && c.len() <= 2) || (a.len() == 3 || c.len() == 3);
    anno_corto
        .then(|| format!("«{s}»: le date si scrivono AAAA-MM-GG, con l'anno di quattro cifre"))
}

/// Every string value holding a control character other than line breaks
/// and tabs (which long texts such as recitals may carry), or a date with a
/// short year, with its path.
fn testi_non_stampabili(v: &serde_json::Value, percorso: String, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::String(s) => {
            let campo = percorso.rsplit('.').next().unwrap_or_default();
            if let Some(m) = roster::carattere_non_stampabile(s, false) {
                out.push((percorso, m));
            } else if let Some(m) = roster::troppo_lungo_in(campo, s, true) {
                out.push((percorso, m));
            } else if let Some(m) = data_con_anno_corto(s) {
                out.push((percorso, m));
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                testi_non_stampabili(x, format!("{percorso}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                testi_non_stampabili(x, format!("{percorso}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// `moduli[2].cfu` → `$.moduli[2].cfu`; the root is `$`.
fn percorso_json(p: &serde_path_to_error::Path) -> String {
    let mut s = String::from("$");
    for seg in p.iter() {
        match seg {
            serde_path_to_error::Segment::Seq { index } => s.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => {
                s.push('.');
                s.push_str(key);
            }
            serde_path_to_error::Segment::Enum { variant } => {
                s.push('.');
                s.push_str(variant);
            }
            serde_path_to_error::Segment::Unknown => s.push_str(".?"),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::data_con_anno_corto;

    #[test]
    fn date_json_con_anno_corto() {
        for s in ["97-07-25", "25-07-97", "25/07/97", "097-07-25"] {
            assert!(data_con_anno_corto(s).is_some(), "{s}");
        }
        for s in [
            "1997-07-25",
            "03-31",
            "12/2026",
            "2025/12/3",
            "1.2",
            "Via Roma 1-3-5",
        ] {
            assert!(data_con_anno_corto(s).is_none(), "{s}");
        }
    }
}
