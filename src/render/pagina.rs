//! Nothing outside the page: after layout and before a PDF is written, every
//! page's frame tree is walked (groups with their transforms and clips, text
//! runs with their glyphs' extent, shapes, images) and anything that reaches
//! beyond the printable area makes the document fail with a reason naming
//! the page and the offending text. Typst lays out an unbreakable word (a
//! 300-character surname, an address without spaces) past the margin and
//! off the sheet without complaint; a certificate so printed must not be
//! issued.

use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::{Abs, Frame, FrameItem, Point, Rect, Size, Transform};
use typst::text::{FontInstance, TextItem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// The label of the metadata a template places to declare its left and
/// right margin (`#metadata((x: 2.4cm)) <lauream-margini>`): text must stay
/// between them.
pub const ETICHETTA_MARGINI: &str = "lauream-margini";

/// How far text may reach into a declared side margin: punctuation hangs a
/// little into it at the end of a justified line (typst's overhang), and
/// that is typography, not overflow.
pub const SPORGENZA_MASSIMA_MM: f64 = 2.0;

/// How close to the sheet's edge content may come: the page itself, with
/// a millimetre's tolerance (the templates' margins differ, and a sealed
/// document's footer note sits low in the bottom margin), so that what
/// fails is content that leaves the sheet, never a tight but printed line.
pub const BORDO_MINIMO_MM: f64 = 1.0;

/// One visible item out of bounds: where, and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sconfinamento {
    /// 1-based page number.
    pub pagina: usize,
    /// The text of the run (abridged), or the kind of item.
    pub cosa: String,
    /// Which edge it crosses: "destro", "sinistro", "superiore", "inferiore".
    pub lato: &'static str,
    /// By how much it goes beyond the allowed area, in millimetres.
    pub mm: f64,
    /// Whether it leaves the sheet, or only enters a side margin the
    /// template declares.
    pub oltre_il_foglio: bool,
}

impl std::fmt::Display for Sconfinamento {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dove = if self.oltre_il_foglio {
            "esce dal bordo"
        } else {
            "entra nel margine"
        };
        let del = if self.oltre_il_foglio {
            "del foglio"
        } else {
            "della pagina"
        };
        write!(
            f,
            "pagina {}: {} {dove} {} {del} di {} mm: il testo non sta nella pagina (una parola senza spazi troppo lunga?); correggere il dato o il template",
            self.pagina,
            self.cosa,
            self.lato,
            format!("{:.1}", self.mm).replace('.', ",")
        )
    }
}

/// Everything that reaches within [`BORDO_MINIMO_MM`] of a page's edge or
/// beyond it, at most one report per page and edge (the first item found).
///
/// Text is also held to the side margins the template declares (see
/// [`ETICHETTA_MARGINI`]), less [`SPORGENZA_MASSIMA_MM`]: an unbreakable
/// word that runs into the right margin is as wrong on paper as one that
/// leaves the sheet. Top and bottom margins hold the letterhead and the
/// footer, so only the sheet bounds them; so do the graphics a template
/// draws in its margins on purpose (a parchment's frame).
pub fn sconfinamenti(doc: &PagedDocument) -> Vec<Sconfinamento> {
    let bordo = Abs::mm(BORDO_MINIMO_MM);
    let margine = margine_laterale(doc).map(|m| (m - Abs::mm(SPORGENZA_MASSIMA_MM)).max(bordo));
    let mut v = Vec::new();
    for (i, pagina) in doc.pages().iter().enumerate() {
        let size = pagina.frame.size();
        let mut trovati: Vec<(Rect, String, bool)> = Vec::new();
        visita(&pagina.frame, Transform::identity(), None, &mut trovati);
        let mut lati_visti: Vec<&'static str> = Vec::new();
        for (r, cosa, testo) in trovati {
            let fuori = oltre_i_bordi(r, size, bordo, bordo);
            let nei_margini = match (testo, margine) {
                (true, Some(m)) => oltre_i_bordi(r, size, m, bordo),
                _ => fuori,
            };
            for ((lato, oltre), (_, foglio)) in nei_margini.into_iter().zip(fuori) {
                if oltre > Abs::pt(0.5) && !lati_visti.contains(&lato) {
                    lati_visti.push(lato);
                    v.push(Sconfinamento {
                        pagina: i + 1,
                        cosa: cosa.clone(),
                        lato,
                        mm: if foglio > Abs::pt(0.5) { foglio } else { oltre }.to_mm(),
                        oltre_il_foglio: foglio > Abs::pt(0.5),
                    });
                }
            }
        }
    }
    v
}

/// The side margin the template declares in its `<lauream-margini>`
/// metadata (the first, when a document holds several), if any.
fn margine_laterale(doc: &PagedDocument) -> Option<Abs> {
    let etichetta = Label::new(PicoStr::intern(ETICHETTA_MARGINI))?;
    let trovati = doc.introspector().query(&Selector::Label(etichetta));
    let meta = trovati.first()?.to_packed::<MetadataElem>()?;
    let Value::Dict(d) = &meta.value else {
        return None;
    };
    match d.get("x").ok()? {
        Value::Length(l) => Some(l.abs),
        _ => None,
    }
}

/// How far a rectangle goes past each edge of the allowed area: `x` from
/// the left and right edges, `y` from the top and bottom.
fn oltre_i_bordi(r: Rect, size: Size, x: Abs, y: Abs) -> [(&'static str, Abs); 4] {
    [
        ("sinistro", x - r.min.x),
        ("destro", r.max.x - (size.x - x)),
        ("superiore", y - r.min.y),
        ("inferiore", r.max.y - (size.y - y)),
    ]
}

/// The rectangle covering `r` once transformed.
fn trasforma(r: Rect, ts: Transform) -> Rect {
    let angoli = [
        Point::new(r.min.x, r.min.y),
        Point::new(r.max.x, r.min.y),
        Point::new(r.min.x, r.max.y),
        Point::new(r.max.x, r.max.y),
    ]
    .map(|p| p.transform(ts));
    let mut min = angoli[0];
    let mut max = angoli[0];
    for p in &angoli[1..] {
        min = min.min(*p);
        max = max.max(*p);
    }
    Rect::new(min, max)
}

/// The part of `r` inside `clip`, if any.
fn interseca(r: Rect, clip: Option<Rect>) -> Option<Rect> {
    let Some(c) = clip else { return Some(r) };
    let min = r.min.max(c.min);
    let max = r.max.min(c.max);
    (min.x < max.x && min.y < max.y).then(|| Rect::new(min, max))
}

/// A rectangle from two corners in any order (text runs measure upwards).
fn normale(a: Point, b: Point) -> Rect {
    Rect::new(a.min(b), a.max(b))
}

/// "«Rossiiiii…»": the run's text, abridged so the message stays readable.
fn descrivi_testo(t: &str) -> String {
    let t = t.trim();
    if t.chars().count() > 60 {
        format!("il testo «{}…»", t.chars().take(60).collect::<String>())
    } else {
        format!("il testo «{t}»")
    }
}

/// Collects the page-space box of every visible item of `frame`.
fn visita(frame: &Frame, ts: Transform, clip: Option<Rect>, out: &mut Vec<(Rect, String, bool)>) {
    for (pos, item) in frame.items() {
        let qui = ts.pre_concat(Transform::translate(pos.x, pos.y));
        let (locale, cosa, testo) = match item {
            FrameItem::Group(g) => {
                let ts_g = qui.pre_concat(g.transform);
                let clip_g = match &g.clip {
                    Some(c) => {
                        let r = trasforma(c.bbox(None), ts_g);
                        match interseca(r, clip) {
                            Some(r) => Some(r),
                            // Clipped away entirely: nothing of it shows.
                            None => continue,
                        }
                    }
                    None => clip,
                };
                visita(&g.frame, ts_g, clip_g, out);
                continue;
            }
            FrameItem::Text(t) => {
                let b = riquadro_testo(t);
                if !b.min.x.to_pt().is_finite() || !b.max.x.to_pt().is_finite() {
                    continue;
                }
                (normale(b.min, b.max), descrivi_testo(&t.text), true)
            }
            FrameItem::Shape(s, _) => {
                let b = s.bbox(true);
                (
                    normale(b.min, b.max),
                    "un elemento grafico".to_string(),
                    false,
                )
            }
            FrameItem::Image(_, size, _) => (
                Rect::new(Point::zero(), Point::new(size.x, size.y)),
                "un'immagine".to_string(),
                false,
            ),
            FrameItem::Link(..) | FrameItem::Tag(_) => continue,
        };
        if let Some(r) = interseca(trasforma(locale, qui), clip) {
            out.push((r, cosa, testo));
        }
    }
}

/// Each glyph's bounding box in font units (`None` for a glyph with no
/// outline, a space), per font instance, as this thread has met them.
type Scatole = Vec<(FontInstance, Vec<Option<Option<ttf_parser::Rect>>>)>;

thread_local! {
    /// A glyph's box is the same in every document, and for a CFF font
    /// (the embedded Libertinus and New Computer Modern) finding it means
    /// interpreting the glyph's whole charstring: done for every glyph of
    /// every page, that was the costliest part of this check. Each
    /// rendering thread keeps the boxes it has found; the cache is bounded
    /// by the fonts' glyph counts (one entry per font instance, which it
    /// keeps alive, so an entry is never mistaken for another font's).
    static SCATOLE: std::cell::RefCell<Scatole> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The extent of a text run: the same rectangle as [`TextItem::bbox`], with
/// each glyph's box looked up once per thread instead of once per glyph
/// drawn.
fn riquadro_testo(t: &TextItem) -> Rect {
    SCATOLE.with_borrow_mut(|cache| {
        let posto = match cache.iter().position(|(f, _)| *f == t.font) {
            Some(p) => p,
            None => {
                let n = usize::from(t.font.ttf().number_of_glyphs());
                cache.push((t.font.clone(), vec![None; n]));
                cache.len() - 1
            }
        };
        let scatole = &mut cache[posto].1;
        let face = t.font.ttf();
        let mut min = Point::splat(Abs::inf());
        let mut max = Point::splat(-Abs::inf());
        let mut cursore = Point::zero();
        for g in &t.glyphs {
            let avanzamento = Point::new(g.x_advance.at(t.size), g.y_advance.at(t.size));
            let spostamento = Point::new(g.x_offset.at(t.size), g.y_offset.at(t.size));
            let id = ttf_parser::GlyphId(g.id);
            let scatola = match scatole.get_mut(usize::from(g.id)) {
                Some(Some(r)) => *r,
                Some(posto) => *posto.insert(face.glyph_bounding_box(id)),
                None => face.glyph_bounding_box(id),
            };
            if let Some(r) = scatola {
                let pos = cursore + spostamento;
                let em = |u: i16| t.font.to_em(u).at(t.size);
                let a = pos + Point::new(em(r.x_min), em(r.y_min));
                let b = pos + Point::new(em(r.x_max), em(r.y_max));
                min = min.min(a).min(b);
                max = max.max(a).max(b);
            }
            cursore += avanzamento;
        }
        // Text runs measure upwards, frames downwards.
        min.y *= -1.0;
        max.y *= -1.0;
        Rect::new(min, max)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text run of a frame, groups included.
    fn testi<'a>(frame: &'a Frame, out: &mut Vec<&'a TextItem>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => testi(&g.frame, out),
                FrameItem::Text(t) => out.push(t),
                _ => {}
            }
        }
    }

    #[test]
    fn il_riquadro_in_cache_e_quello_di_typst() {
        let motore = crate::render::Motore::incorporato();
        let mut visti = 0;
        for template in ["attestato/main.typ", "pergamena/main.typ", "bando/main.typ"] {
            let doc = motore.compila_campione(template).expect(template);
            let mut runs = Vec::new();
            for p in doc.pages() {
                testi(&p.frame, &mut runs);
            }
            // Twice: the first pass fills the cache, the second reads it.
            for _ in 0..2 {
                for t in &runs {
                    assert_eq!(riquadro_testo(t), t.bbox(), "{template}: «{}»", t.text);
                    visti += 1;
                }
            }
        }
        assert!(visti > 200, "troppo pochi testi: {visti}");
    }
}
