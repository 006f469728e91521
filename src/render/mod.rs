//! Typst embedded as a library: one [`Motore`] (fonts, standard library,
//! templates) shared by every document, and a tiny per-document world that
//! adds only the document's data. [`rendi`] turns a template and its data
//! into PDF/A bytes; [`lotto`] renders a whole batch on worker threads, with
//! a time limit per document, laying out certificates several to a
//! compilation ([`gruppo`]). Rendering writes no file: the bytes go back to
//! the caller.
//!
//! Data reaches a template as JSON bytes served at the fixed virtual path
//! `/data.json`; the template reads it with
//! `json(sys.inputs.at("data", default: "sample.json"))`, so the same template
//! compiles with the plain `typst` CLI against the sample beside it. Values
//! are never spliced into markup: a name such as `#panic("x")` is a string in
//! a JSON document and prints literally.
//!
//! Templates may read only files under the templates directory and the
//! virtual files the engine serves (the data, the university logo, the
//! verification QR code: the `PERCORSO_*` constants); the clock is not
//! available (`today` returns nothing), so output depends on the data alone.

pub mod gruppo;
pub mod lotto;
pub mod pagina;
mod qr;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// The fixed virtual path of the current document's data. Fixed, because
/// file ids are interned for the life of the process (at most 65,535).
pub const PERCORSO_DATI: &str = "/data.json";
/// The fixed virtual path prefix of the university logo (extension appended).
pub const PERCORSO_LOGO: &str = "/ateneo-logo";
/// The fixed virtual path of the current document's verification QR code,
/// drawn from the verification address or code in the document's data.
pub const PERCORSO_QR: &str = "/verifica-qr.png";

/// The fonts built into the binary ([`crate::caratteri`]): a fresh machine
/// without system fonts renders byte-identical output.
static FONTS: LazyLock<FontStore> = LazyLock::new(|| {
    let mut store = FontStore::new();
    store.extend(crate::caratteri::incorporati());
    store
});

/// An error compiling a template, with file and line for each diagnostic.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.join("\n"))]
pub struct ErroreTemplate(pub Vec<String>);

/// The templates shipped in the binary, used when no directory is given, so
/// the program works from any directory and on a fresh machine.
pub static TEMPLATE_INCORPORATI: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Where templates come from.
enum Radice {
    Cartella(PathBuf),
    Incorporata(&'static include_dir::Dir<'static>),
}

/// Shared state for rendering many documents from one templates directory.
pub struct Motore {
    radice: Radice,
    library: Arc<LazyHash<Library>>,
    /// The standard library with a measured page count (`pagine`), by count:
    /// see [`Motore::compila`].
    con_pagine: Mutex<HashMap<usize, Arc<LazyHash<Library>>>>,
    /// Parsed sources and raw files of the templates directory, loaded once.
    sorgenti: Mutex<HashMap<FileId, FileResult<Source>>>,
    file: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    /// Files served from memory (the logo), by virtual id.
    virtuali: HashMap<FileId, Bytes>,
    id_dati: FileId,
    id_qr: FileId,
}

/// The virtual path of a logo file with this extension.
pub fn percorso_logo(estensione: &str) -> String {
    format!("{PERCORSO_LOGO}.{}", estensione.to_lowercase())
}

/// The interned file id of a virtual path under the project root.
fn id(percorso: &str) -> FileId {
    // Only called with fixed, well-formed paths.
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(percorso).expect("percorso virtuale valido"),
    )
    .intern()
}

impl Motore {
    /// An engine over a templates directory.
    pub fn new(radice: &Path) -> std::io::Result<Self> {
        if !radice.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{}: cartella dei template inesistente", radice.display()),
            ));
        }
        Ok(Self::con_radice(Radice::Cartella(radice.canonicalize()?)))
    }

    /// An engine over the templates built into the program.
    pub fn incorporato() -> Self {
        Self::con_radice(Radice::Incorporata(&TEMPLATE_INCORPORATI))
    }

    fn con_radice(radice: Radice) -> Self {
        Motore {
            radice,
            library: Arc::new(libreria(1)),
            con_pagine: Mutex::new(HashMap::new()),
            sorgenti: Mutex::new(HashMap::new()),
            file: Mutex::new(HashMap::new()),
            virtuali: HashMap::new(),
            id_dati: id(PERCORSO_DATI),
            id_qr: id(PERCORSO_QR),
        }
    }

    /// Serves the university logo; returns the virtual path templates use.
    pub fn con_logo(&mut self, estensione: &str, bytes: Vec<u8>) -> String {
        let percorso = percorso_logo(estensione);
        self.virtuali.insert(id(&percorso), Bytes::new(bytes));
        percorso
    }

    /// A fingerprint of everything a document's bytes depend on besides its
    /// data: the program version, every template file and the served files
    /// (the logo). Equal fingerprints and equal data give equal PDFs, so a
    /// rebuild can keep what it already has.
    pub fn impronta(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        let mut file: Vec<(String, Vec<u8>)> = Vec::new();
        match &self.radice {
            Radice::Incorporata(dir) => {
                fn visita(d: &include_dir::Dir<'static>, out: &mut Vec<(String, Vec<u8>)>) {
                    for f in d.files() {
                        out.push((
                            f.path().to_string_lossy().into_owned(),
                            f.contents().to_vec(),
                        ));
                    }
                    for sub in d.dirs() {
                        visita(sub, out);
                    }
                }
                visita(dir, &mut file);
            }
            Radice::Cartella(radice) => {
                for e in walkdir::WalkDir::new(radice)
                    .into_iter()
                    .filter_map(Result::ok)
                {
                    if e.file_type().is_file() {
                        let rel = e
                            .path()
                            .strip_prefix(radice)
                            .unwrap_or(e.path())
                            .to_string_lossy()
                            .into_owned();
                        file.push((rel, std::fs::read(e.path()).unwrap_or_default()));
                    }
                }
            }
        }
        file.sort();
        let mut virtuali: Vec<(String, &[u8])> = self
            .virtuali
            .iter()
            .map(|(id, b)| (id.get().vpath().get_with_slash().to_string(), b.as_slice()))
            .collect();
        virtuali.sort();
        for (p, b) in file
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .chain(virtuali.iter().map(|(p, b)| (p.as_str(), *b)))
        {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
            h.update((b.len() as u64).to_le_bytes());
            h.update(b);
        }
        hex::encode(h.finalize())
    }

    /// Compiles `template` (a path under the templates directory such as
    /// `attestato/main.typ`) with `dati` as its JSON input and, when the
    /// document carries one, the text its QR code encodes (served as an
    /// image at [`PERCORSO_QR`]).
    ///
    /// The page count in the footer ("pag. 1 di 2") would make Typst lay
    /// every document out twice (`counter(page).final()`). Instead the
    /// template is told the count (`sys.inputs.pagine`): "1" on the first
    /// layout, which is final for a one-page document; a longer one is laid
    /// out again with the count it was found to have.
    pub fn compila(
        &self,
        template: &str,
        dati: &[u8],
        qr: Option<&str>,
    ) -> Result<PagedDocument, ErroreTemplate> {
        let main = id(&format!("/{}", template.trim_start_matches('/')));
        let dati = Bytes::new(dati.to_vec());
        let qr_file = std::sync::OnceLock::new();
        let mut pagine = 1;
        // The footer's size does not depend on the count, so the second
        // layout has the same pages; a third is only a safeguard.
        for _ in 0..3 {
            let world = MondoDocumento {
                motore: self,
                library: self.libreria_con_pagine(pagine),
                main,
                dati: Some(dati.clone()),
                testo_qr: qr,
                qr: &qr_file,
            };
            let doc = self.compila_world(&world)?;
            if doc.pages().len() == pagine {
                return Ok(doc);
            }
            pagine = doc.pages().len();
        }
        Err(ErroreTemplate(vec![format!(
            "{template}: il numero di pagine non si stabilizza (ultimo: {pagine})"
        )]))
    }

    /// The standard library whose `sys.inputs.pagine` is `pagine`.
    fn libreria_con_pagine(&self, pagine: usize) -> Arc<LazyHash<Library>> {
        if pagine == 1 {
            return Arc::clone(&self.library);
        }
        let mut cache = self.con_pagine.lock().expect("librerie per pagine");
        Arc::clone(
            cache
                .entry(pagine)
                .or_insert_with(|| Arc::new(libreria(pagine))),
        )
    }

    /// Compiles a template as the plain `typst` CLI would: no data input, so
    /// the template falls back to its `sample.json`.
    pub fn compila_campione(&self, template: &str) -> Result<PagedDocument, ErroreTemplate> {
        let main = id(&format!("/{}", template.trim_start_matches('/')));
        let qr = std::sync::OnceLock::new();
        let world = MondoCampione(
            MondoDocumento {
                motore: self,
                library: Arc::clone(&self.library),
                main,
                dati: None,
                testo_qr: None,
                qr: &qr,
            },
            LazyHash::new(Library::default()),
        );
        self.compila_world(&world)
    }

    fn compila_world(&self, world: &dyn World) -> Result<PagedDocument, ErroreTemplate> {
        let risultato = typst::compile::<PagedDocument>(world);
        let esito = risultato
            .output
            .map_err(|diags| ErroreTemplate(diags.iter().map(|d| descrivi(world, d)).collect()));
        // The memoisation cache grows with every compile; keep it bounded.
        typst::comemo::evict(10);
        esito
    }

    fn leggi_file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.virtuali.get(&id) {
            return Ok(b.clone());
        }
        let mut cache = self.file.lock().expect("cache dei file");
        cache
            .entry(id)
            .or_insert_with(|| self.leggi_dal_disco(id))
            .clone()
    }

    fn leggi_dal_disco(&self, id: FileId) -> FileResult<Bytes> {
        let rooted = id.get();
        if !matches!(rooted.root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some(
                "i pacchetti Typst non sono disponibili: i template devono essere autonomi".into(),
            )));
        }
        match &self.radice {
            Radice::Incorporata(dir) => {
                let rel = rooted.vpath().get_without_slash();
                dir.get_file(rel)
                    .map(|f| Bytes::new(f.contents().to_vec()))
                    .ok_or_else(|| FileError::NotFound(PathBuf::from(rel)))
            }
            Radice::Cartella(radice) => {
                let percorso = rooted
                    .vpath()
                    .realize(radice)
                    .map_err(|_| FileError::AccessDenied)?;
                // Refuse anything that resolves outside the templates directory (symlinks included).
                let reale = percorso
                    .canonicalize()
                    .map_err(|e| FileError::from_io(e, &percorso))?;
                if !reale.starts_with(radice) {
                    return Err(FileError::AccessDenied);
                }
                std::fs::read(&reale)
                    .map(Bytes::new)
                    .map_err(|e| FileError::from_io(e, &percorso))
            }
        }
    }

    fn sorgente(&self, id: FileId) -> FileResult<Source> {
        let mut cache = self.sorgenti.lock().expect("cache delle sorgenti");
        if let Some(s) = cache.get(&id) {
            return s.clone();
        }
        let s = self.leggi_file(id).and_then(|b| {
            let testo = std::str::from_utf8(&b).map_err(|_| FileError::InvalidUtf8)?;
            Ok(Source::new(id, testo.to_string()))
        });
        cache.insert(id, s.clone());
        s
    }
}

/// The standard library a document is compiled with: its data at
/// [`PERCORSO_DATI`], and its page count as measured (see [`Motore::compila`]).
fn libreria(pagine: usize) -> LazyHash<Library> {
    let mut inputs = Dict::new();
    inputs.insert("data".into(), PERCORSO_DATI.into_value());
    inputs.insert("pagine".into(), pagine.to_string().into_value());
    LazyHash::new(Library::builder().with_inputs(inputs).build())
}

/// One document's world (the Typst [`World`] a single compile sees): the
/// shared engine plus this document's data. Cheap to make, so each compile
/// gets its own and nothing of one document leaks into the next.
struct MondoDocumento<'a> {
    motore: &'a Motore,
    library: Arc<LazyHash<Library>>,
    main: FileId,
    dati: Option<Bytes>,
    /// What the document's QR code encodes (its verification address, or
    /// its bare code), when it has one.
    testo_qr: Option<&'a str>,
    /// The QR code, drawn only if the template shows it (and once, however
    /// many times the document is laid out).
    qr: &'a std::sync::OnceLock<FileResult<Bytes>>,
}

/// The QR code of `testo` (error correction M: a worn or folded paper still
/// reads) as a PNG of one pixel per module, black and white, with the quiet
/// zone of four modules the standard asks for.
///
/// An image, not vector paths: the template draws it with `scaling:
/// "pixelated"` (the PDF image is not interpolated), so every module is a
/// sharp square at any zoom and on paper, and the PDF holds a few hundred
/// bytes of image instead of a path of hundreds of rectangles: a
/// certificate's content stream was mostly its QR code, to be laid out,
/// written and compressed in every document (`docs/performance.md`).
pub fn qr_png(testo: &str) -> Result<Vec<u8>, String> {
    let (lato, moduli) =
        qr::moduli(testo.as_bytes()).map_err(|e| format!("codice QR di «{testo}»: {e}"))?;
    const MARGINE: usize = 4;
    let totale = lato + 2 * MARGINE;
    // One bit per pixel, 1 = white; each row padded to whole bytes.
    let per_riga = totale.div_ceil(8);
    let mut pixel = vec![0xFFu8; per_riga * totale];
    for (y, riga) in moduli.chunks(lato).enumerate() {
        for (x, &m) in riga.iter().enumerate() {
            if m == qrcode::Color::Dark {
                let (r, c) = (y + MARGINE, x + MARGINE);
                pixel[r * per_riga + c / 8] &= !(0x80 >> (c % 8));
            }
        }
    }
    let lato_png = u32::try_from(totale).map_err(|e| e.to_string())?;
    let mut png = Vec::with_capacity(pixel.len() + 128);
    let mut codificatore = png::Encoder::new(&mut png, lato_png, lato_png);
    codificatore.set_color(png::ColorType::Grayscale);
    codificatore.set_depth(png::BitDepth::One);
    // A few hundred bytes that Typst decodes at once and the PDF stores
    // compressed anyway: no time spent making them smaller.
    codificatore.set_compression(png::Compression::NoCompression);
    let mut scrittore = codificatore.write_header().map_err(|e| e.to_string())?;
    scrittore
        .write_image_data(&pixel)
        .map_err(|e| e.to_string())?;
    scrittore.finish().map_err(|e| e.to_string())?;
    Ok(png)
}

/// The QR image of a text, as the file the template reads.
fn qr_come_file(testo: Option<&str>) -> FileResult<Bytes> {
    let testo = testo.ok_or_else(|| {
        FileError::Other(Some(
            "il documento non ha un codice di verifica da cui fare il QR".into(),
        ))
    })?;
    qr_png(testo)
        .map(Bytes::new)
        .map_err(|e| FileError::Other(Some(e.into())))
}

impl World for MondoDocumento<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        FONTS.book()
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        self.motore.sorgente(id)
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match &self.dati {
            Some(d) if id == self.motore.id_dati => Ok(d.clone()),
            Some(_) if id == self.motore.id_qr => {
                self.qr.get_or_init(|| qr_come_file(self.testo_qr)).clone()
            }
            _ => self.motore.leggi_file(id),
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONTS.font(index)
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// A world without the `data` input, as the plain `typst` CLI sees a
/// template: the template then reads its `sample.json`.
struct MondoCampione<'a>(MondoDocumento<'a>, LazyHash<Library>);

impl World for MondoCampione<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.1
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.0.book()
    }
    fn main(&self) -> FileId {
        self.0.main()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        self.0.source(id)
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.0.file(id)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.0.font(index)
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// "attestato/main.typ:12:5: errore: unknown variable: x".
fn descrivi(world: &dyn World, d: &SourceDiagnostic) -> String {
    let gravita = match d.severity {
        Severity::Error => "errore",
        Severity::Warning => "avviso",
    };
    let mut out = format!("{}: {gravita}: {}", dove(world, d.span), d.message);
    for hint in &d.hints {
        out.push_str(&format!("\n  suggerimento: {}", hint.v));
    }
    for punto in &d.trace {
        out.push_str(&format!(
            "\n  in {}: {}",
            dove(world, punto.span.into()),
            punto.v
        ));
    }
    out
}

/// Where a diagnostic points: `file:line:column`, or just the file, or
/// "template" when the span has no file.
fn dove(world: &dyn World, span: typst::syntax::DiagSpan) -> String {
    let Some(id) = span.id() else {
        return "template".into();
    };
    let file = id.get().vpath().get_without_slash().to_string();
    let posizione = world
        .range(span)
        .zip(world.source(id).ok())
        .and_then(|(r, s)| s.lines().byte_to_line_column(r.start))
        .map(|(l, c)| format!(":{}:{}", l + 1, c + 1));
    format!("{file}{}", posizione.unwrap_or_default())
}

/// Exports a compiled document as PDF/A-2b. `ident` identifies the document
/// stably across builds (the PDF file ID derives from it); the document date
/// comes from the template's `document(date: ..)`, never from the clock.
pub fn pdf(doc: &PagedDocument, ident: &str) -> Result<Vec<u8>, ErroreTemplate> {
    let standards = PdfStandards::new(&[PdfStandard::A_2b])
        .map_err(|e| ErroreTemplate(vec![e.message().to_string()]))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("lauream {}", env!("CARGO_PKG_VERSION")))),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    typst_pdf::pdf(doc, &options).map_err(|diags| {
        ErroreTemplate(
            diags
                .iter()
                .map(|d| format!("PDF: {}", d.message))
                .collect(),
        )
    })
}

/// Renders a template with data (and the text of its QR code, if any)
/// straight to PDF bytes.
pub fn rendi(
    motore: &Motore,
    template: &str,
    dati: &[u8],
    qr: Option<&str>,
    ident: &str,
) -> Result<Vec<u8>, ErroreTemplate> {
    let doc = motore.compila(template, dati, qr)?;
    // Content off the sheet would be issued unreadable: refuse the document.
    let fuori = pagina::sconfinamenti(&doc);
    if !fuori.is_empty() {
        return Err(ErroreTemplate(
            fuori.iter().map(ToString::to_string).collect(),
        ));
    }
    pdf(&doc, ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample QR codes shipped beside the templates (read when a template
    /// compiles on its own against `sample.json`) encode the sample's own
    /// verification URL, and the sample codes are well formed. Set
    /// `LAUREAM_RIGENERA_QR=1` to rewrite them after changing a sample.
    #[test]
    fn i_qr_di_esempio_corrispondono_ai_campioni() {
        let radice = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for famiglia in ["attestato", "pergamena"] {
            let campione: crate::plan::Dati = serde_json::from_slice(
                &std::fs::read(radice.join(famiglia).join("sample.json")).unwrap(),
            )
            .unwrap();
            let r = campione.registrazione().unwrap();
            let codice = r.codice.as_str();
            assert_eq!(
                crate::registry::codice::normalizza(codice).as_deref(),
                Ok(codice)
            );
            let url = r.url.as_deref().unwrap();
            assert_eq!(url, format!("{}{codice}", r.sito.as_deref().unwrap()));
            let file = radice.join(r.qr.trim_start_matches('/'));
            let atteso = qr_png(url).unwrap();
            if std::env::var_os("LAUREAM_RIGENERA_QR").is_some() {
                std::fs::write(&file, &atteso).unwrap();
            }
            assert!(
                std::fs::read(&file).unwrap() == atteso,
                "{}",
                file.display()
            );
        }
    }
}
