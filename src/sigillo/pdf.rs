//! The PDF side of the seal: just enough of a PDF reader to find the
//! catalog, the first page and an existing signature, and the incremental
//! update that adds the signature field and its value.
//!
//! Why by hand: no maintained Rust crate writes a signature's incremental
//! update (a `/ByteRange` placeholder, a fixed-size `/Contents`, a new xref
//! section chained to the old one) without rewriting the file, and a rewrite
//! would lose the PDF/A identification typst-pdf wrote. The original bytes
//! stay untouched; what is appended is:
//!
//! ```text
//! page (the same, with the widget in /Annots), catalog (the same, with
//! /AcroForm << /Fields [widget] /SigFlags 3 >>), the widget (an invisible
//! signature field, /F 132: printable and locked, zero-size /Rect so that
//! PDF/A asks for no appearance), the signature dictionary (/Contents last),
//! a classic xref section and a trailer with /Prev, as typst-pdf writes them.
//! ```
//!
//! Objects that are not rewritten are copied as the bytes they were, so a
//! dictionary's values (strings, names, numbers) are never re-serialised.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Why a PDF could not be read or sealed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ErrorePdf(pub String);

fn errore<T>(s: impl Into<String>) -> Result<T, ErrorePdf> {
    Err(ErrorePdf(s.into()))
}

/// A value read from the file, with the bytes it was written as.
#[derive(Debug, Clone)]
pub(crate) struct Valore<'a> {
    pub(crate) grezzo: &'a [u8],
    /// Where `grezzo` starts in the file.
    pub(crate) inizio: usize,
    pub(crate) tipo: Tipo<'a>,
}

/// The kinds of value the seal needs to tell apart.
#[derive(Debug, Clone)]
pub(crate) enum Tipo<'a> {
    Rif(u32, u16),
    Dizionario(Vec<(&'a [u8], Valore<'a>)>),
    Array(Vec<Valore<'a>>),
    Nome(&'a [u8]),
    Intero(i64),
    /// A hexadecimal string: the digits between `<` and `>`.
    Esadecimale(&'a [u8]),
    /// A literal string: the bytes between the parentheses, escapes as written.
    Letterale(&'a [u8]),
    /// Reals, booleans, null.
    Altro,
}

impl<'a> Valore<'a> {
    /// The entry `chiave` (without the slash) of a dictionary.
    pub(crate) fn voce(&self, chiave: &str) -> Option<&Valore<'a>> {
        match &self.tipo {
            Tipo::Dizionario(v) => v
                .iter()
                .find(|(k, _)| *k == chiave.as_bytes())
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn rif(&self) -> Option<(u32, u16)> {
        match self.tipo {
            Tipo::Rif(n, g) => Some((n, g)),
            _ => None,
        }
    }

    fn intero(&self) -> Option<i64> {
        match self.tipo {
            Tipo::Intero(n) => Some(n),
            _ => None,
        }
    }

    fn nome(&self) -> Option<&'a [u8]> {
        match self.tipo {
            Tipo::Nome(n) => Some(n),
            _ => None,
        }
    }
}

fn spazio(c: u8) -> bool {
    matches!(c, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn delimitatore(c: u8) -> bool {
    spazio(c) || b"()<>[]{}/%".contains(&c)
}

/// Skips white space and comments.
fn salta(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        if spazio(b[i]) {
            i += 1;
        } else if b[i] == b'%' {
            while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                i += 1;
            }
        } else {
            break;
        }
    }
    i
}

/// A regular token (number, keyword, name body) from `i`.
fn parola(b: &[u8], i: usize) -> (&[u8], usize) {
    let mut j = i;
    while j < b.len() && !delimitatore(b[j]) {
        j += 1;
    }
    (&b[i..j], j)
}

fn intero_da(t: &[u8]) -> Option<i64> {
    std::str::from_utf8(t).ok()?.parse().ok()
}

/// How deep arrays and dictionaries may nest: a hostile file must not
/// exhaust the stack.
const PROFONDITA: usize = 64;

/// The value at `i` (after white space) and where it ends.
pub(crate) fn valore(b: &[u8], i: usize) -> Result<(Valore<'_>, usize), ErrorePdf> {
    valore_a(b, i, 0)
}

fn valore_a(b: &[u8], i: usize, profondita: usize) -> Result<(Valore<'_>, usize), ErrorePdf> {
    if profondita > PROFONDITA {
        return errore("oggetti annidati troppo in profondità");
    }
    let i = salta(b, i);
    let Some(&c) = b.get(i) else {
        return errore("fine del file dentro un oggetto");
    };
    let (tipo, fine) = match c {
        b'<' if b.get(i + 1) == Some(&b'<') => {
            let mut voci = Vec::new();
            let mut j = i + 2;
            loop {
                j = salta(b, j);
                match b.get(j) {
                    Some(b'>') if b.get(j + 1) == Some(&b'>') => {
                        break (Tipo::Dizionario(voci), j + 2)
                    }
                    Some(b'/') => {
                        let (k, dopo) = parola(b, j + 1);
                        let (v, dopo) = valore_a(b, dopo, profondita + 1)?;
                        voci.push((k, v));
                        j = dopo;
                    }
                    _ => return errore(format!("dizionario malformato al byte {j}")),
                }
            }
        }
        b'<' => {
            let Some(k) = b[i + 1..].iter().position(|&c| c == b'>') else {
                return errore("stringa esadecimale non chiusa");
            };
            (Tipo::Esadecimale(&b[i + 1..i + 1 + k]), i + k + 2)
        }
        b'[' => {
            let mut voci = Vec::new();
            let mut j = i + 1;
            loop {
                j = salta(b, j);
                match b.get(j) {
                    Some(b']') => break (Tipo::Array(voci), j + 1),
                    Some(_) => {
                        let (v, dopo) = valore_a(b, j, profondita + 1)?;
                        voci.push(v);
                        j = dopo;
                    }
                    None => return errore("array non chiuso"),
                }
            }
        }
        b'(' => {
            let (mut j, mut livello) = (i + 1, 1usize);
            while livello > 0 {
                match b.get(j) {
                    Some(b'\\') => j += 1,
                    Some(b'(') => livello += 1,
                    Some(b')') => livello -= 1,
                    Some(_) => {}
                    None => return errore("stringa non chiusa"),
                }
                j += 1;
            }
            (Tipo::Letterale(&b[i + 1..j - 1]), j)
        }
        b'/' => {
            let (n, j) = parola(b, i + 1);
            (Tipo::Nome(n), j)
        }
        _ => {
            let (t, j) = parola(b, i);
            if t.is_empty() {
                return errore(format!("carattere inatteso al byte {i}"));
            }
            match intero_da(t) {
                // "n g R" is a reference; anything else after an integer is not ours.
                Some(n) => match riferimento(b, j, n) {
                    Some((r, fine)) => (r, fine),
                    None => (Tipo::Intero(n), j),
                },
                None => (Tipo::Altro, j),
            }
        }
    };
    Ok((
        Valore {
            grezzo: &b[i..fine],
            inizio: i,
            tipo,
        },
        fine,
    ))
}

/// `g R` after the integer `n` ending at `j`, if there.
fn riferimento(b: &[u8], j: usize, n: i64) -> Option<(Tipo<'static>, usize)> {
    let k = salta(b, j);
    let (g, k2) = parola(b, k);
    let g = intero_da(g)?;
    let k3 = salta(b, k2);
    let (r, fine) = parola(b, k3);
    (r == b"R").then_some(())?;
    Some((
        Tipo::Rif(u32::try_from(n).ok()?, u16::try_from(g).ok()?),
        fine,
    ))
}

/// A PDF with a classic cross-reference table (as typst-pdf writes it),
/// possibly followed by incremental updates.
pub(crate) struct Pdf<'a> {
    pub(crate) byte: &'a [u8],
    /// Object number → (offset, generation), newest section first.
    xref: HashMap<u32, (usize, u16)>,
    /// The newest trailer.
    pub(crate) trailer: Valore<'a>,
    /// Offset of the newest xref section.
    pub(crate) startxref: usize,
}

impl<'a> Pdf<'a> {
    /// Reads the trailer chain and the cross-reference tables.
    pub(crate) fn leggi(byte: &'a [u8]) -> Result<Self, ErrorePdf> {
        if !byte.starts_with(b"%PDF-") {
            return errore("non è un PDF");
        }
        let coda = &byte[byte.len().saturating_sub(1024)..];
        let Some(p) = coda.windows(9).rposition(|w| w == b"startxref") else {
            return errore("manca startxref");
        };
        let (t, _) = parola(byte, salta(byte, byte.len() - coda.len() + p + 9));
        let Some(startxref) = intero_da(t).and_then(|n| usize::try_from(n).ok()) else {
            return errore("startxref illeggibile");
        };
        let mut xref = HashMap::new();
        let mut trailer = None;
        let mut visti = HashSet::new();
        let mut sezione = Some(startxref);
        while let Some(pos) = sezione {
            if !visti.insert(pos) {
                return errore("catena di xref circolare");
            }
            let t = sezione_xref(byte, pos, &mut xref)?;
            sezione = t
                .voce("Prev")
                .and_then(Valore::intero)
                .and_then(|n| usize::try_from(n).ok());
            if t.voce("XRefStm").is_some() {
                return errore("file ibrido con xref stream: non supportato");
            }
            trailer.get_or_insert(t);
        }
        Ok(Pdf {
            byte,
            xref,
            trailer: trailer.expect("almeno una sezione letta"),
            startxref,
        })
    }

    /// The value of object `n`.
    pub(crate) fn oggetto(&self, n: u32) -> Result<Valore<'a>, ErrorePdf> {
        let Some(&(pos, _)) = self.xref.get(&n) else {
            return errore(format!("oggetto {n} assente dalla tabella xref"));
        };
        let b = self.byte;
        let (num, j) = parola(b, salta(b, pos));
        let (_, j) = parola(b, salta(b, j));
        let (kw, j) = parola(b, salta(b, j));
        if intero_da(num) != Some(i64::from(n)) || kw != b"obj" {
            return errore(format!("l'oggetto {n} non è dove dice la tabella xref"));
        }
        Ok(valore(b, j)?.0)
    }

    /// A value, following it if it is a reference.
    pub(crate) fn risolvi(&self, v: &Valore<'a>) -> Result<Valore<'a>, ErrorePdf> {
        match v.rif() {
            Some((n, _)) => self.oggetto(n),
            None => Ok(v.clone()),
        }
    }

    /// The catalog's reference and value.
    pub(crate) fn catalogo(&self) -> Result<((u32, u16), Valore<'a>), ErrorePdf> {
        let Some(rif) = self.trailer.voce("Root").and_then(Valore::rif) else {
            return errore("il trailer non ha /Root");
        };
        Ok((rif, self.oggetto(rif.0)?))
    }

    /// The first page, descending the page tree through the first kids.
    fn prima_pagina(&self, catalogo: &Valore<'a>) -> Result<((u32, u16), Valore<'a>), ErrorePdf> {
        let mut nodo = catalogo
            .voce("Pages")
            .and_then(Valore::rif)
            .ok_or_else(|| ErrorePdf("il catalogo non ha /Pages".into()))?;
        for _ in 0..PROFONDITA {
            let v = self.oggetto(nodo.0)?;
            match v.voce("Type").and_then(Valore::nome) {
                Some(b"Page") => return Ok((nodo, v)),
                Some(b"Pages") => {
                    let kids = self.risolvi(
                        v.voce("Kids")
                            .ok_or_else(|| ErrorePdf("nodo di pagine senza /Kids".into()))?,
                    )?;
                    nodo = match &kids.tipo {
                        Tipo::Array(k) => k.first().and_then(Valore::rif),
                        _ => None,
                    }
                    .ok_or_else(|| ErrorePdf("il documento non ha pagine".into()))?;
                }
                _ => return errore("albero delle pagine malformato"),
            }
        }
        errore("albero delle pagine troppo profondo")
    }
}

/// Reads the xref section at `pos` into `xref` (entries already there, from
/// newer sections, win) and returns its trailer.
fn sezione_xref<'a>(
    b: &'a [u8],
    pos: usize,
    xref: &mut HashMap<u32, (usize, u16)>,
) -> Result<Valore<'a>, ErrorePdf> {
    let (kw, mut i) = parola(b, salta(b, pos.min(b.len())));
    if kw != b"xref" {
        return errore("xref stream (o startxref errato): serve una tabella xref classica");
    }
    loop {
        let j = salta(b, i);
        let (t, dopo) = parola(b, j);
        if t == b"trailer" {
            return Ok(valore(b, dopo)?.0);
        }
        let (c, dopo) = parola(b, salta(b, dopo));
        let (Some(primo), Some(quanti)) = (intero_da(t), intero_da(c)) else {
            return errore(format!("sezione xref malformata al byte {j}"));
        };
        i = dopo;
        for k in 0..quanti {
            let (o, d1) = parola(b, salta(b, i));
            let (g, d2) = parola(b, salta(b, d1));
            let (f, d3) = parola(b, salta(b, d2));
            i = d3;
            let (Some(o), Some(g)) = (intero_da(o), intero_da(g)) else {
                return errore("voce xref malformata");
            };
            let n = u32::try_from(primo + k).map_err(|_| ErrorePdf("numero di oggetto".into()))?;
            if f == b"n" {
                let pos = usize::try_from(o).map_err(|_| ErrorePdf("offset negativo".into()))?;
                let g = u16::try_from(g).map_err(|_| ErrorePdf("generazione".into()))?;
                xref.entry(n).or_insert((pos, g));
            }
        }
    }
}

/// Width of each number of the `/ByteRange` placeholder, filled in place.
const CIFRE: usize = 10;

/// A PDF with its signature placeholder appended, ready to be signed.
pub(crate) struct DaFirmare {
    pub(crate) byte: Vec<u8>,
    /// The hexadecimal digits of `/Contents`, between `<` and `>`.
    contenuto: Range<usize>,
}

impl DaFirmare {
    /// The two signed ranges: everything but `/Contents`' value.
    pub(crate) fn intervalli(&self) -> [&[u8]; 2] {
        [
            &self.byte[..self.contenuto.start - 1],
            &self.byte[self.contenuto.end + 1..],
        ]
    }

    /// Writes the CMS signature into `/Contents`, zero-padded. Fails when it
    /// does not fit the space reserved.
    pub(crate) fn completa(mut self, cms: &[u8]) -> Result<Vec<u8>, ErrorePdf> {
        let posto = self.contenuto.len() / 2;
        if cms.len() > posto {
            return errore(format!(
                "firma di {} byte, spazio riservato {posto}",
                cms.len()
            ));
        }
        let esa = hex::encode_upper(cms);
        self.byte[self.contenuto.start..self.contenuto.start + esa.len()]
            .copy_from_slice(esa.as_bytes());
        Ok(self.byte)
    }
}

/// Appends to `pdf` the incremental update of an invisible signature
/// field whose value reserves `spazio` bytes for the CMS signature; `m` is
/// the signing time as the `/M` entry writes it (`D:20260410000000Z`).
pub(crate) fn prepara(pdf: &[u8], m: &str, spazio: usize) -> Result<DaFirmare, ErrorePdf> {
    let doc = Pdf::leggi(pdf)?;
    let (rif_cat, catalogo) = doc.catalogo()?;
    if catalogo.voce("AcroForm").is_some() {
        return errore("il documento ha già un modulo (/AcroForm): non è un PDF appena generato");
    }
    let (rif_pag, pagina) = doc.prima_pagina(&catalogo)?;
    let Some(dimensione) = doc.trailer.voce("Size").and_then(Valore::intero) else {
        return errore("il trailer non ha /Size");
    };
    let n_firma = u32::try_from(dimensione).map_err(|_| ErrorePdf("/Size".into()))?;
    let n_campo = n_firma + 1;

    let mut out = Vec::with_capacity(pdf.len() + 2 * spazio + 2048);
    out.extend_from_slice(pdf);
    if !pdf.ends_with(b"\n") && !pdf.ends_with(b"\r") {
        out.push(b'\n');
    }
    let mut offset: Vec<(u32, u16, usize)> = Vec::new();
    let mut apri = |out: &mut Vec<u8>, (n, g): (u32, u16)| {
        offset.push((n, g, out.len()));
        out.extend_from_slice(format!("{n} {g} obj\n").as_bytes());
    };

    // The page with the widget among its annotations.
    let annots = match pagina.voce("Annots") {
        None => None,
        Some(a) => Some(doc.risolvi(a).map(|v| (a.rif(), v))?),
    };
    let widget = format!("{n_campo} 0 R");
    // A direct /Annots array is replaced by one with the widget too; an
    // indirect one keeps its reference and gets a new version below.
    let (tolte, aggiunte): (&[&str], Vec<String>) = match &annots {
        None => (&[], vec![format!("/Annots[{widget}]")]),
        Some((None, a)) => (
            &["Annots"],
            vec![format!("/Annots{}", con_elemento(a, &widget)?)],
        ),
        Some((Some(_), _)) => (&[], Vec::new()),
    };
    apri(&mut out, rif_pag);
    riscrivi(&mut out, &pagina, tolte, &aggiunte);
    out.extend_from_slice(b"\nendobj\n");
    // An /Annots array that is an object of its own gets a new version.
    if let Some((Some(r), a)) = &annots {
        apri(&mut out, *r);
        out.extend_from_slice(con_elemento(a, &widget)?.as_bytes());
        out.extend_from_slice(b"\nendobj\n");
    }

    apri(&mut out, rif_cat);
    riscrivi(
        &mut out,
        &catalogo,
        &[],
        &[format!("/AcroForm<</Fields[{widget}]/SigFlags 3>>")],
    );
    out.extend_from_slice(b"\nendobj\n");

    apri(&mut out, (n_campo, 0));
    out.extend_from_slice(
        format!(
            "<</Type/Annot/Subtype/Widget/FT/Sig/T(Sigillo)/F 132/Rect[0 0 0 0]/P {} {} R/V {n_firma} 0 R>>\nendobj\n",
            rif_pag.0, rif_pag.1
        )
        .as_bytes(),
    );

    apri(&mut out, (n_firma, 0));
    out.extend_from_slice(
        format!("<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/M({m})/ByteRange[")
            .as_bytes(),
    );
    let posto_intervalli = out.len();
    out.extend_from_slice(format!("0 {0} {0} {0}]/Contents<", " ".repeat(CIFRE)).as_bytes());
    let contenuto = out.len()..out.len() + 2 * spazio;
    out.resize(contenuto.end, b'0');
    out.extend_from_slice(b">>>\nendobj\n");

    scrivi_xref(
        &mut out,
        &doc,
        &mut offset,
        dimensione.max(i64::from(n_campo) + 1),
    );

    // Now that the length is known, the ranges: [0, a) and [b, fine).
    let (a, b) = (contenuto.start - 1, contenuto.end + 1);
    let intervalli = format!("0 {a:<CIFRE$} {b:<CIFRE$} {:<CIFRE$}", out.len() - b);
    if intervalli.len() != 4 + 3 * CIFRE {
        return errore("documento troppo grande per il sigillo");
    }
    out[posto_intervalli..posto_intervalli + intervalli.len()]
        .copy_from_slice(intervalli.as_bytes());
    Ok(DaFirmare {
        byte: out,
        contenuto,
    })
}

/// A dictionary as it was, without the keys `tolte`, with `aggiunte`.
fn riscrivi(out: &mut Vec<u8>, d: &Valore, tolte: &[&str], aggiunte: &[String]) {
    out.extend_from_slice(b"<<");
    if let Tipo::Dizionario(voci) = &d.tipo {
        for (k, v) in voci {
            if !tolte.iter().any(|t| t.as_bytes() == *k) {
                out.push(b'/');
                out.extend_from_slice(k);
                out.push(b' ');
                out.extend_from_slice(v.grezzo);
            }
        }
    }
    for a in aggiunte {
        out.extend_from_slice(a.as_bytes());
    }
    out.extend_from_slice(b">>");
}

/// An array as it was, with one more element.
fn con_elemento(a: &Valore, elemento: &str) -> Result<String, ErrorePdf> {
    let Tipo::Array(voci) = &a.tipo else {
        return errore("/Annots non è un array");
    };
    let mut s = String::from("[");
    for v in voci {
        s.push_str(&String::from_utf8_lossy(v.grezzo));
        s.push(' ');
    }
    s.push_str(elemento);
    s.push(']');
    Ok(s)
}

/// The new xref section (one subsection per run of consecutive numbers)
/// and the trailer chained to the previous section.
fn scrivi_xref(out: &mut Vec<u8>, doc: &Pdf, offset: &mut [(u32, u16, usize)], dimensione: i64) {
    offset.sort_unstable();
    let inizio = out.len();
    out.extend_from_slice(b"xref\n");
    let mut i = 0;
    while i < offset.len() {
        let mut j = i + 1;
        while j < offset.len() && offset[j].0 == offset[j - 1].0 + 1 {
            j += 1;
        }
        out.extend_from_slice(format!("{} {}\n", offset[i].0, j - i).as_bytes());
        for &(_, g, pos) in &offset[i..j] {
            out.extend_from_slice(format!("{pos:010} {g:05} n\r\n").as_bytes());
        }
        i = j;
    }
    out.extend_from_slice(format!("trailer\n<</Size {dimensione}").as_bytes());
    for chiave in ["Root", "Info", "ID"] {
        if let Some(v) = doc.trailer.voce(chiave) {
            out.extend_from_slice(format!("/{chiave} ").as_bytes());
            out.extend_from_slice(v.grezzo);
        }
    }
    out.extend_from_slice(
        format!("/Prev {}>>\nstartxref\n{inizio}\n%%EOF\n", doc.startxref).as_bytes(),
    );
}

/// A signature found in a PDF's form, with where its value lies.
#[derive(Debug)]
pub(crate) struct FirmaTrovata {
    /// `/ByteRange`, as written.
    pub(crate) intervalli: Vec<i64>,
    /// The bytes of `/Contents` (the CMS object, with its zero padding).
    pub(crate) cms: Vec<u8>,
    /// Where `/Contents`' value (`<…>`) lies in the file.
    pub(crate) posto: Range<usize>,
    /// `/M`, as written (`D:20260410000000Z`).
    pub(crate) m: Option<String>,
    /// `/SubFilter`.
    pub(crate) sub_filter: Option<String>,
}

/// The signatures of a PDF's form (`/AcroForm /Fields` of type `/Sig` with
/// a value). A PDF without a form has none.
pub(crate) fn firme(pdf: &[u8]) -> Result<Vec<FirmaTrovata>, ErrorePdf> {
    let doc = Pdf::leggi(pdf)?;
    let (_, catalogo) = doc.catalogo()?;
    let Some(modulo) = catalogo.voce("AcroForm") else {
        return Ok(Vec::new());
    };
    let modulo = doc.risolvi(modulo)?;
    let campi = match modulo.voce("Fields") {
        Some(f) => doc.risolvi(f)?,
        None => return Ok(Vec::new()),
    };
    let Tipo::Array(campi) = &campi.tipo else {
        return errore("/Fields non è un array");
    };
    let mut trovate = Vec::new();
    for c in campi {
        let campo = doc.risolvi(c)?;
        if campo.voce("FT").and_then(Valore::nome) != Some(b"Sig") {
            continue;
        }
        let Some(v) = campo.voce("V") else { continue };
        trovate.push(leggi_firma(&doc.risolvi(v)?)?);
    }
    Ok(trovate)
}

fn leggi_firma(firma: &Valore) -> Result<FirmaTrovata, ErrorePdf> {
    let Some(contenuto) = firma.voce("Contents") else {
        return errore("firma senza /Contents");
    };
    let Tipo::Esadecimale(esa) = contenuto.tipo else {
        return errore("/Contents non è una stringa esadecimale");
    };
    let esa: Vec<u8> = esa.iter().copied().filter(|c| !spazio(*c)).collect();
    let cms = hex::decode(&esa).map_err(|e| ErrorePdf(format!("/Contents: {e}")))?;
    let intervalli = match firma.voce("ByteRange").map(|v| &v.tipo) {
        Some(Tipo::Array(v)) => v.iter().filter_map(Valore::intero).collect(),
        _ => return errore("firma senza /ByteRange"),
    };
    let testo = |k: &str| match firma.voce(k).map(|v| &v.tipo) {
        Some(Tipo::Letterale(s)) | Some(Tipo::Nome(s)) => {
            Some(String::from_utf8_lossy(s).into_owned())
        }
        _ => None,
    };
    Ok(FirmaTrovata {
        intervalli,
        cms,
        posto: contenuto.inizio..contenuto.inizio + contenuto.grezzo.len(),
        m: testo("M"),
        sub_filter: testo("SubFilter"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF as typst-pdf lays it out: classic xref, compact
    /// dictionaries, no newline after %%EOF.
    pub(crate) fn minimo(annots: &str) -> Vec<u8> {
        let oggetti = [
            "<</Type/Pages/Count 1/Kids[2 0 R]>>".to_string(),
            format!("<</Type/Page/MediaBox[0 0 595 842]/Parent 1 0 R/Contents 3 0 R{annots}>>"),
            "<</Length 0>>\nstream\n\nendstream".to_string(),
            "<</Type/Catalog/Pages 1 0 R/Lang(it-IT)>>".to_string(),
            // An annotations array of its own, for pages that point to it.
            "[9 0 R]".to_string(),
        ];
        let mut b = b"%PDF-1.7\n%\x80\x80\x80\x80\n".to_vec();
        let mut pos = Vec::new();
        for (i, o) in oggetti.iter().enumerate() {
            pos.push(b.len());
            b.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let x = b.len();
        b.extend_from_slice(b"xref\n0 6\n0000000000 65535 f\r\n");
        for p in pos {
            b.extend_from_slice(format!("{p:010} 00000 n\r\n").as_bytes());
        }
        b.extend_from_slice(
            format!("trailer\n<</Size 6/Root 4 0 R/ID[(a)(b)]>>\nstartxref\n{x}\n%%EOF").as_bytes(),
        );
        b
    }

    #[test]
    fn legge_valori_con_i_loro_byte() {
        let b = b"<</A 1 0 R/B[1 2 (x\\)y)]/C<</D/E>>/F<00AB>/G true>>";
        let (v, fine) = valore(b, 0).unwrap();
        assert_eq!(fine, b.len());
        assert!(matches!(v.voce("A").unwrap().tipo, Tipo::Rif(1, 0)));
        assert_eq!(v.voce("B").unwrap().grezzo, b"[1 2 (x\\)y)]");
        assert_eq!(
            v.voce("C").unwrap().voce("D").unwrap().nome(),
            Some(&b"E"[..])
        );
        assert!(matches!(
            v.voce("F").unwrap().tipo,
            Tipo::Esadecimale(b"00AB")
        ));
        assert!(matches!(v.voce("G").unwrap().tipo, Tipo::Altro));
    }

    #[test]
    fn un_annidamento_ostile_non_fa_crollare() {
        let b = "[".repeat(100_000);
        assert!(valore(b.as_bytes(), 0).is_err());
    }

    #[test]
    fn l_aggiunta_copre_tutto_tranne_la_firma_e_si_rilegge() {
        for annots in ["", "/Annots[9 0 R]", "/Annots 5 0 R"] {
            let pdf = minimo(annots);
            let p = prepara(&pdf, "D:20260410000000Z", 64).unwrap();
            let [a, b] = p.intervalli();
            let (la, lb) = (a.len(), b.len());
            let fatto = p.completa(&[0x30, 0x03, 1, 2, 3]).unwrap();
            assert!(fatto.starts_with(&pdf), "i byte originali restano");
            assert_eq!(la + lb + 2 * 64 + 2, fatto.len());
            let f = firme(&fatto).unwrap();
            assert_eq!(f.len(), 1);
            let f = &f[0];
            assert_eq!(
                f.intervalli,
                vec![0, la as i64, (fatto.len() - lb) as i64, lb as i64]
            );
            assert_eq!(f.posto, la..fatto.len() - lb);
            assert!(f.cms.starts_with(&[0x30, 0x03, 1, 2, 3, 0]));
            assert_eq!(f.m.as_deref(), Some("D:20260410000000Z"));
            assert_eq!(f.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
            // The page now lists the widget after what it had.
            let doc = Pdf::leggi(&fatto).unwrap();
            let pagina = doc.oggetto(2).unwrap();
            let elenco = doc.risolvi(pagina.voce("Annots").unwrap()).unwrap();
            let atteso: &[u8] = if annots.is_empty() {
                b"[7 0 R]"
            } else {
                b"[9 0 R 7 0 R]"
            };
            assert_eq!(elenco.grezzo, atteso, "{annots}");
            assert_eq!(doc.trailer.voce("ID").unwrap().grezzo, b"[(a)(b)]");
        }
    }

    #[test]
    fn una_firma_troppo_grande_e_un_errore() {
        let p = prepara(&minimo(""), "D:20260410000000Z", 4).unwrap();
        assert!(p.completa(&[0; 5]).is_err());
    }

    #[test]
    fn senza_modulo_nessuna_firma() {
        assert!(firme(&minimo("")).unwrap().is_empty());
        assert!(firme(b"non un pdf").is_err());
    }
}
