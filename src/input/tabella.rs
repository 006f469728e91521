//! Tables from CSV or Excel, reduced to the same shape: a header and rows of
//! cells, each row keeping the number a person sees in their spreadsheet.
//!
//! Course secretaries keep rosters and attendance registers in Excel and
//! export CSV from them, often with `;` as separator and in Windows-1252;
//! both are read here so that the roster parser never needs to know where a
//! row came from.

use std::path::Path;

use calamine::{open_workbook_auto, Data as XlData, Reader, SheetVisible, Sheets};
use chrono::NaiveDate;

/// One cell, as typed as the source allows.
#[derive(Debug, Clone, PartialEq)]
pub enum Cella {
    /// Nothing, or only spaces.
    Vuota,
    /// Text as typed; every cell of a CSV file is text.
    Testo(String),
    /// A number typed into a spreadsheet cell.
    Numero(f64),
    /// A spreadsheet cell formatted as a date.
    Data(NaiveDate),
    /// A formula whose saved result is an error, as Excel shows it (`#DIV/0!`).
    Errore(String),
}

impl Cella {
    /// The cell as a person would read it; numbers without a spurious `.0`.
    pub fn testo(&self) -> String {
        match self {
            Cella::Vuota => String::new(),
            Cella::Testo(s) => s.trim().to_string(),
            Cella::Numero(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    format!("{n}")
                }
            }
            Cella::Data(d) => d.format("%Y-%m-%d").to_string(),
            Cella::Errore(e) => e.clone(),
        }
    }

    /// Whether the cell holds nothing a person would see: empty, or only spaces.
    pub fn is_vuota(&self) -> bool {
        match self {
            Cella::Vuota => true,
            Cella::Testo(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A data row with its 1-based spreadsheet row number (the header is row 1
/// in a plain file).
#[derive(Debug, Clone)]
pub struct RigaTabella {
    /// The row number problems are reported with.
    pub numero: usize,
    /// The cells, in the header's column order; a row may be shorter or
    /// longer than the header.
    pub celle: Vec<Cella>,
}

/// A table read from one file.
#[derive(Debug, Clone)]
pub struct Tabella {
    /// Path relative to the dataset directory.
    pub file: String,
    /// The sheet read, for Excel files: the first visible one.
    pub foglio: Option<String>,
    /// Normalised header names: lowercase, spaces and dashes as `_`.
    pub intestazioni: Vec<String>,
    /// The data rows below the header, without the empty ones.
    pub righe: Vec<RigaTabella>,
    /// Whether dates may arrive as spreadsheet serial numbers.
    pub da_foglio_di_calcolo: bool,
}

impl Tabella {
    /// The index of a column, by its normalised name.
    pub fn colonna(&self, nome: &str) -> Option<usize> {
        self.intestazioni.iter().position(|h| h == nome)
    }
}

/// Normalises a header: `Codice Fiscale` → `codice_fiscale`.
pub fn normalizza_intestazione(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
    let mut out = String::with_capacity(h.len());
    for c in h.chars() {
        match c {
            ' ' | '-' | '.' | '/' => {
                if !out.ends_with('_') {
                    out.push('_')
                }
            }
            c => out.push(c),
        }
    }
    out.trim_matches('_').to_string()
}

/// Reads a CSV or Excel file. `nome` is the path shown in messages.
pub fn leggi(path: &Path, nome: &str) -> Result<Tabella, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match ext.as_str() {
        "csv" | "txt" => leggi_csv(path, nome),
        "xlsx" | "xlsm" | "xls" | "ods" => leggi_foglio(path, nome),
        _ => Err(format!(
            "formato non riconosciuto «.{ext}»: usare .csv o .xlsx"
        )),
    }
}

fn decodifica(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        // Excel on Windows exports CSV in Windows-1252, a superset of Latin-1.
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The separator is the one of `,` `;` `\t` that appears most in the header line.
fn separatore(testo: &str) -> u8 {
    // Skipping a title line above the header, which has no separator.
    let header = testo
        .lines()
        .find(|l| l.contains([';', ',', '\t']))
        .unwrap_or("");
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|&s| (header.bytes().filter(|&b| b == s).count(), s == b','))
        .unwrap_or(b',')
}

/// Row numbers as a spreadsheet shows them (the header is row 1), counted
/// from a record's byte offset: the CSV reader's own line count treats a
/// CRLF line end differently from an LF one, and Excel on Windows writes
/// CRLF. A line ends with LF, CRLF or a lone CR.
struct ContaRighe<'a> {
    testo: &'a [u8],
    /// Bytes counted so far, and the line number at that offset.
    letti: usize,
    riga: usize,
}

impl<'a> ContaRighe<'a> {
    fn new(testo: &'a [u8]) -> Self {
        ContaRighe {
            testo,
            letti: 0,
            riga: 1,
        }
    }

    /// The line on which the record starting at `offset` stands; offsets
    /// only grow. After a CRLF the reader may report a record's start on the
    /// LF that ends the previous line: line ends at `offset` are stepped over,
    /// since no record starts with one.
    fn riga_di(&mut self, offset: usize) -> usize {
        let mut fine = offset.min(self.testo.len());
        while matches!(self.testo.get(fine), Some(b'\n' | b'\r')) {
            fine += 1;
        }
        for i in self.letti..fine {
            let b = self.testo[i];
            if b == b'\n' || (b == b'\r' && self.testo.get(i + 1) != Some(&b'\n')) {
                self.riga += 1;
            }
        }
        self.letti = self.letti.max(fine);
        self.riga
    }
}

fn leggi_csv(path: &Path, nome: &str) -> Result<Tabella, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        format!(
            "impossibile leggere il file: {}",
            crate::messaggi::errore_io(&e)
        )
    })?;
    let testo = decodifica(&bytes);
    if testo.trim().is_empty() {
        return Err("il file è vuoto: serve almeno la riga di intestazione".into());
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separatore(&testo))
        .has_headers(false)
        .flexible(true)
        .from_reader(testo.as_bytes());
    let mut intestazioni = None;
    let mut righe = Vec::new();
    let mut contatore = ContaRighe::new(testo.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| {
            let riga = e
                .position()
                .map_or(0, |p| contatore.riga_di(p.byte() as usize));
            format!(
                "riga {riga}: CSV non leggibile ({})",
                crate::messaggi::in_italiano(&e.to_string())
            )
        })?;
        let numero = record
            .position()
            .map_or(0, |p| contatore.riga_di(p.byte() as usize));
        let celle: Vec<Cella> = record
            .iter()
            .map(|c| {
                if c.trim().is_empty() {
                    Cella::Vuota
                } else {
                    Cella::Testo(c.to_string())
                }
            })
            .collect();
        if celle.iter().all(Cella::is_vuota) {
            continue;
        }
        if intestazioni.is_none() {
            // A title line above the table, as in the spreadsheet it came from.
            if celle.iter().filter(|c| !c.is_vuota()).count() < 2 {
                continue;
            }
            intestazioni = Some(
                record
                    .iter()
                    .map(normalizza_intestazione)
                    .collect::<Vec<_>>(),
            );
            continue;
        }
        righe.push(RigaTabella { numero, celle });
    }
    Ok(Tabella {
        file: nome.to_string(),
        foglio: None,
        intestazioni: intestazioni.ok_or("il file non ha una riga di intestazione")?,
        righe,
        da_foglio_di_calcolo: false,
    })
}

fn leggi_foglio(path: &Path, nome: &str) -> Result<Tabella, String> {
    // A damaged or hostile workbook must give a message, never bring the
    // whole run down: the spreadsheet reader is kept behind a panic guard.
    std::panic::catch_unwind(|| leggi_foglio_senza_guardia(path, nome)).unwrap_or_else(|_| {
        Err("il file non è un foglio di calcolo leggibile (forse danneggiato): riaprirlo e salvarlo di nuovo come .xlsx".into())
    })
}

fn leggi_foglio_senza_guardia(path: &Path, nome: &str) -> Result<Tabella, String> {
    // calamine says why in English and in its own terms (zip, XML): the
    // person needs to know the file is not a workbook it can read.
    let mut wb = open_workbook_auto(path).map_err(|e| match &e {
        calamine::Error::Io(io) if io.kind() != std::io::ErrorKind::InvalidData => format!(
            "impossibile aprire il foglio di calcolo: {}",
            crate::messaggi::errore_io(io)
        ),
        _ => "impossibile aprire il foglio di calcolo: il file Excel è danneggiato o non è un .xlsx; \
              riaprirlo con Excel e salvarlo di nuovo come .xlsx"
            .to_string(),
    })?;
    // The first visible sheet: hidden sheets hold lookups and drafts, not the table.
    let foglio = wb
        .sheets_metadata()
        .iter()
        .find(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .ok_or("il file non ha fogli visibili")?;
    let range = wb
        .worksheet_range(&foglio)
        .map_err(|_| {
            format!(
                "foglio «{foglio}» non leggibile: il file Excel è danneggiato; riaprirlo con Excel e salvarlo di nuovo come .xlsx"
            )
        })?;
    let (riga0, col0) = range
        .start()
        .map(|(r, c)| (r as usize, c as usize))
        .unwrap_or((0, 0));
    let mut griglia: Vec<Vec<Cella>> = range
        .rows()
        .map(|row| {
            let mut celle: Vec<Cella> = vec![Cella::Vuota; col0];
            celle.extend(row.iter().map(cella_excel));
            celle
        })
        .collect();
    // Merged cells show one value over several rows or columns, but the file
    // keeps it only in the top-left cell: give every cell of the area the
    // value the person sees.
    if let Sheets::Xlsx(x) = &mut wb {
        if let Some(Ok(unite)) = x.worksheet_merge_cells(&foglio) {
            for area in unite {
                let (r0, c0) = (area.start.0 as usize, area.start.1 as usize);
                let (r1, c1) = (area.end.0 as usize, area.end.1 as usize);
                let Some(valore) = r0
                    .checked_sub(riga0)
                    .and_then(|r| griglia.get(r))
                    .and_then(|riga| riga.get(c0))
                    .cloned()
                else {
                    continue;
                };
                for r in r0.max(riga0)..=r1 {
                    let Some(riga) = griglia.get_mut(r - riga0) else {
                        break;
                    };
                    // Only within the used range: an area declared over the
                    // whole sheet must not make a million empty cells.
                    for cella in riga.iter_mut().take(c1.saturating_add(1)).skip(c0) {
                        *cella = valore.clone();
                    }
                }
            }
        }
    }
    let mut intestazioni = None;
    let mut righe = Vec::new();
    for (i, celle) in griglia.into_iter().enumerate() {
        let piene = celle.iter().filter(|c| !c.is_vuota()).count();
        if piene == 0 {
            continue;
        }
        let numero = riga0 + i + 1;
        if intestazioni.is_none() {
            // A title above the table ("Iscritti a.a. 2025/2026") fills one
            // cell; the header is the first row naming several columns.
            if piene < 2 {
                continue;
            }
            intestazioni = Some(
                celle
                    .iter()
                    .map(|c| normalizza_intestazione(&c.testo()))
                    .collect::<Vec<_>>(),
            );
            continue;
        }
        righe.push(RigaTabella { numero, celle });
    }
    Ok(Tabella {
        file: nome.to_string(),
        foglio: Some(foglio),
        intestazioni: intestazioni
            .ok_or("il foglio è vuoto: serve almeno la riga di intestazione")?,
        righe,
        da_foglio_di_calcolo: true,
    })
}

fn cella_excel(c: &XlData) -> Cella {
    match c {
        XlData::Empty => Cella::Vuota,
        XlData::String(s) => Cella::Testo(s.clone()),
        XlData::Int(i) => Cella::Numero(*i as f64),
        XlData::Float(f) => Cella::Numero(*f),
        XlData::Bool(b) => Cella::Testo(if *b { "sì" } else { "no" }.into()),
        XlData::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => Cella::Data(d.date()),
            _ => Cella::Numero(dt.as_f64()),
        },
        XlData::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map(Cella::Data)
            .unwrap_or(Cella::Testo(s.clone())),
        XlData::DurationIso(s) => Cella::Testo(s.clone()),
        XlData::Error(e) => Cella::Errore(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intestazioni_normalizzate() {
        assert_eq!(
            normalizza_intestazione("\u{feff}Codice Fiscale "),
            "codice_fiscale"
        );
        assert_eq!(
            normalizza_intestazione("Ore - frequentate"),
            "ore_frequentate"
        );
    }

    #[test]
    fn separatore_dal_header() {
        assert_eq!(separatore("a;b;c\n1,5;2;3"), b';');
        assert_eq!(separatore("a,b,c"), b',');
    }

    #[test]
    fn latin1_decodificato() {
        assert_eq!(decodifica(b"Nicol\xf2"), "Niccolò".replace("cc", "c"));
    }
}
