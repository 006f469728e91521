//! Many documents of one template laid out in one compilation, then split
//! into one laid-out document per member, each exported as its own PDF/A.
//!
//! Why: besides laying out its page, every compilation pays fixed work
//! (evaluating the templates, starting layout, the introspector,
//! memoisation bookkeeping). Laying out [`MASSIMO`] certificates at once
//! pays it once per group: about a tenth of a certificate's CPU.
//!
//! How: a family that supports it ships `lotto.typ` beside `main.typ`, which
//! sets every certificate of a list exactly as `main.typ` sets one (the same
//! function of the data) and marks where each begins with a labelled
//! `metadata` carrying its PDF metadata. The group's world serves the list
//! at [`super::PERCORSO_DATI`] and each member's data and QR code at fixed
//! virtual paths (`/lotto/K.json`, `/lotto/K-qr.png`): file ids are interned
//! for the life of the process, so they must not be made per document.
//! Each member's pages then become a [`PagedDocument`] of their own, with
//! the metadata the member would have alone; exported with the member's
//! identifier, they give the same bytes as rendering it alone (a test checks
//! it).
//!
//! A member whose pages are not final laid out in a group (more than one
//! page: the footer's page count is only known after layout, see
//! [`super::Motore::compila`]) is laid out again alone: see
//! [`dopo_impaginazione`], the step every member passes after layout and
//! before export.

use std::sync::{LazyLock, OnceLock};

use typst::diag::FileResult;
use typst::foundations::{Bytes, Datetime, Dict, Label, Selector, Smart, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::model::{Document, DocumentInfo};
use typst::syntax::FileId;
use typst::text::{Font, FontBook};
use typst::utils::{LazyHash, PicoStr};
use typst::{Library, World};
use typst_layout::PagedDocument;

use super::{id, qr_come_file, ErroreTemplate, Motore, Radice, FONTS, TEMPLATE_INCORPORATI};

/// Most documents laid out in one compilation. Measured on the 1,327
/// certificates of a synthetic year, two workers on 2 shared cores:
/// 3.9–4.3 ms of CPU per certificate in groups of 8, 4.3–4.6 in groups of
/// 16 or 32, 4.5–4.9 one at a time, at the same peak memory (about 65
/// MiB); a small group also costs little to redo one document at a time
/// when it fails.
pub const MASSIMO: usize = 8;

/// The label of the `metadata` that opens each member in `lotto.typ`.
const ETICHETTA: &str = "lauream-documento";

/// The fixed virtual paths of member `k`'s data and QR code, interned once.
static POSTI: LazyLock<Vec<(String, FileId, String, FileId)>> = LazyLock::new(|| {
    (0..MASSIMO)
        .map(|k| {
            let (dati, qr) = (format!("/lotto/{k}.json"), format!("/lotto/{k}-qr.png"));
            let (id_dati, id_qr) = (id(&dati), id(&qr));
            (dati, id_dati, qr, id_qr)
        })
        .collect()
});

/// One document of a group: its data and what its QR code encodes.
pub struct Membro<'a> {
    /// The document's JSON data, as [`super::Motore::compila`] takes it.
    pub dati: &'a [u8],
    /// What the document's QR code encodes, when it has one.
    pub qr: Option<&'a str>,
}

/// The group template of a family's `main.typ`: `attestato/main.typ` →
/// `attestato/lotto.typ`.
fn template_del_gruppo(template: &str) -> Option<String> {
    let cartella = template.trim_start_matches('/').strip_suffix("main.typ")?;
    Some(format!("{cartella}lotto.typ"))
}

impl Motore {
    /// Whether documents of this template can be laid out in groups: the
    /// family has a `lotto.typ`, and both it and `main.typ` are the program's
    /// own, so that a member is set exactly as `main.typ` would set it alone
    /// (a templates directory that changed `main.typ` renders one document
    /// at a time, as written).
    pub fn raggruppabile(&self, template: &str) -> bool {
        let Some(lotto) = template_del_gruppo(template) else {
            return false;
        };
        [template.trim_start_matches('/'), lotto.as_str()]
            .iter()
            .all(|t| {
                let Some(incorporato) = TEMPLATE_INCORPORATI.get_file(t) else {
                    return false;
                };
                match &self.radice {
                    Radice::Incorporata(_) => true,
                    Radice::Cartella(_) => self
                        .leggi_file(id(&format!("/{t}")))
                        .is_ok_and(|b| b.as_slice() == incorporato.contents()),
                }
            })
    }
}

/// Lays out the members in one compilation of the family's `lotto.typ` and
/// returns each member's own laid-out document, in order. An error means
/// the group as a whole failed (a member's data broke the template, say):
/// the caller then renders its members one at a time, so that each fails or
/// succeeds on its own.
pub fn impagina(
    motore: &Motore,
    template: &str,
    membri: &[Membro],
) -> Result<Vec<PagedDocument>, ErroreTemplate> {
    if membri.is_empty() || membri.len() > MASSIMO {
        return Err(ErroreTemplate(vec![format!(
            "un gruppo ha da 1 a {MASSIMO} documenti, non {}",
            membri.len()
        )]));
    }
    let lotto = template_del_gruppo(template)
        .ok_or_else(|| ErroreTemplate(vec![format!("{template}: nessun lotto.typ")]))?;
    let elenco: Vec<serde_json::Value> = membri
        .iter()
        .enumerate()
        .map(|(k, m)| {
            serde_json::json!({
                "dati": POSTI[k].0,
                "qr": m.qr.map(|_| POSTI[k].2.as_str()),
            })
        })
        .collect();
    let qr: Vec<OnceLock<FileResult<Bytes>>> = membri.iter().map(|_| OnceLock::new()).collect();
    let world = MondoGruppo {
        motore,
        main: id(&format!("/{lotto}")),
        elenco: Bytes::new(serde_json::to_vec(&elenco).expect("elenco JSON")),
        membri,
        qr: &qr,
    };
    let risultato = typst::compile::<PagedDocument>(&world);
    // A group's layout fills the memoisation cache with many documents'
    // worth of entries: keep only what the last compilation used (one
    // document at a time keeps ten), or the cache holds hundreds of pages.
    typst::comemo::evict(1);
    let doc = risultato.output.map_err(|diags| {
        ErroreTemplate(diags.iter().map(|d| super::descrivi(&world, d)).collect())
    })?;
    dividi(&doc, membri.len())
}

/// Splits a group's laid-out document at the labelled `metadata` that opens
/// each member: member `i` has the pages from its mark's page to the next
/// mark's, and the PDF metadata its mark carries.
fn dividi(doc: &PagedDocument, n: usize) -> Result<Vec<PagedDocument>, ErroreTemplate> {
    let errore = |e: String| ErroreTemplate(vec![format!("lotto.typ: {e}")]);
    let etichetta = Label::new(PicoStr::intern(ETICHETTA)).expect("etichetta valida");
    let segni = doc.introspector().query(&Selector::Label(etichetta));
    if segni.len() != n {
        return Err(errore(format!("{} documenti segnati su {n}", segni.len())));
    }
    let mut inizi = Vec::with_capacity(n);
    let mut info = Vec::with_capacity(n);
    for segno in &segni {
        let pagina = segno
            .location()
            .and_then(|l| doc.introspector().page(l))
            .ok_or_else(|| errore("un documento senza pagina".into()))?;
        inizi.push(pagina.get() - 1);
        let valore = segno
            .to_packed::<MetadataElem>()
            .map(|m| m.value.clone())
            .ok_or_else(|| errore(format!("<{ETICHETTA}> non è un metadata")))?;
        info.push(metadati(&valore, doc.info()).map_err(errore)?);
    }
    let pagine = doc.pages();
    inizi.push(pagine.len());
    if inizi.windows(2).any(|w| w[0] >= w[1]) {
        return Err(errore(
            "i documenti non cominciano ciascuno su una pagina nuova".into(),
        ));
    }
    Ok(inizi
        .windows(2)
        .zip(info)
        .map(|(w, info)| PagedDocument::new(pagine[w[0]..w[1]].iter().cloned().collect(), info))
        .collect())
}

/// A member's PDF metadata from the dictionary its mark carries
/// (`metadati-documento` in `lib/lauream.typ`: title, author, description,
/// keywords, date); the language is the group's, set by the same template.
fn metadati(valore: &Value, gruppo: &DocumentInfo) -> Result<DocumentInfo, String> {
    let Value::Dict(d) = valore else {
        return Err("i metadati di un documento non sono un dizionario".into());
    };
    let testo = |d: &Dict, k: &str| -> Result<Option<typst::foundations::Str>, String> {
        match d.get(k) {
            Ok(Value::Str(s)) => Ok(Some(s.clone())),
            Ok(Value::None) | Err(_) => Ok(None),
            Ok(v) => Err(format!("metadati: «{k}» non è un testo ({})", v.ty())),
        }
    };
    let parole = |k: &str| -> Result<Vec<typst::ecow::EcoString>, String> {
        match d.get(k) {
            Ok(Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Ok(s.as_str().into()),
                    v => Err(format!("metadati: «{k}» contiene {}", v.ty())),
                })
                .collect(),
            Ok(Value::Str(s)) => Ok(vec![s.as_str().into()]),
            Ok(Value::None) | Err(_) => Ok(Vec::new()),
            Ok(v) => Err(format!("metadati: «{k}» non è un elenco ({})", v.ty())),
        }
    };
    let data: Smart<Option<Datetime>> = match d.get("date") {
        Ok(Value::Datetime(dt)) => Smart::Custom(Some(*dt)),
        Ok(Value::None) => Smart::Custom(None),
        Err(_) => Smart::Auto,
        Ok(v) => return Err(format!("metadati: «date» non è una data ({})", v.ty())),
    };
    Ok(DocumentInfo {
        title: testo(d, "title")?.map(|s| s.as_str().into()),
        description: testo(d, "description")?.map(|s| s.as_str().into()),
        author: parole("author")?,
        keywords: parole("keywords")?,
        date: data,
        locale: gruppo.locale,
    })
}

/// What a member laid out in a group still needs before export.
#[derive(Debug)]
pub enum Dopo {
    /// Its pages are final: export them.
    Definitivo,
    /// Lay it out again alone, for this reason.
    DaSolo(&'static str),
}

/// The step every member of a group passes after layout and before export,
/// on its own pages: the checks a laid-out document must pass go here.
///
/// A member of more than one page must be laid out alone: in a group it was
/// laid out without its page count, which its footer prints ("pag. 1 di 2").
/// A member with content off the page or in the side margins
/// ([`super::pagina::sconfinamenti`]) is laid out alone too, where the same
/// check fails it with its own reason, exactly as if it had never been in a
/// group.
pub fn dopo_impaginazione(doc: &PagedDocument) -> Dopo {
    if doc.pages().len() > 1 {
        Dopo::DaSolo("più di una pagina: il piè di pagina ne riporta il numero")
    } else if !super::pagina::sconfinamenti(doc).is_empty() {
        Dopo::DaSolo("contenuto fuori pagina: lo segnala la composizione da solo")
    } else {
        Dopo::Definitivo
    }
}

/// A group's world: the shared engine, the list of members at
/// [`super::PERCORSO_DATI`], each member's data and QR code at its fixed
/// place.
struct MondoGruppo<'a> {
    motore: &'a Motore,
    main: FileId,
    elenco: Bytes,
    membri: &'a [Membro<'a>],
    /// Each member's QR code, drawn only if the template shows it.
    qr: &'a [OnceLock<FileResult<Bytes>>],
}

impl World for MondoGruppo<'_> {
    fn library(&self) -> &LazyHash<Library> {
        // Page count "1": a member's count is never known in a group.
        &self.motore.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        FONTS.book()
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<typst::syntax::Source> {
        self.motore.sorgente(id)
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.motore.id_dati {
            return Ok(self.elenco.clone());
        }
        for (k, m) in self.membri.iter().enumerate() {
            let (_, id_dati, _, id_qr) = &POSTI[k];
            if id == *id_dati {
                return Ok(Bytes::new(m.dati.to_vec()));
            }
            if id == *id_qr {
                return self.qr[k].get_or_init(|| qr_come_file(m.qr)).clone();
            }
        }
        self.motore.leggi_file(id)
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONTS.font(index)
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}
