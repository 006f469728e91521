//! Nothing outside the page: after layout and before a PDF is written, every
//! page's frame tree is walked (groups with their transforms and clips, text
//! runs with their glyphs' extent, shapes, images) and anything that reaches
//! beyond the printable area makes the document fail with a reason naming
//! the page and the offending text. Typst lays out an unbreakable word (a
//! 300-character surname, an address without spaces) past the margin and
//! off the sheet without complaint; a certificate so printed must not be
//! issued.

use typst::layout::{Abs, Frame, FrameItem, Point, Rect, Size, Transform};
use typst_layout::PagedDocument;

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
}

impl std::fmt::Display for Sconfinamento {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pagina {}: {} esce dal margine {} del foglio di {} mm: il testo non sta nella pagina (una parola senza spazi troppo lunga?); correggere il dato o il template",
            self.pagina,
            self.cosa,
            self.lato,
            format!("{:.1}", self.mm).replace('.', ",")
        )
    }
}

/// Everything that reaches within [`BORDO_MINIMO_MM`] of a page's edge or
/// beyond it, at most one report per page and edge (the first item found).
pub fn sconfinamenti(doc: &PagedDocument) -> Vec<Sconfinamento> {
    let bordo = Abs::mm(BORDO_MINIMO_MM);
    let mut v = Vec::new();
    for (i, pagina) in doc.pages().iter().enumerate() {
        let size = pagina.frame.size();
        let mut trovati: Vec<(Rect, String)> = Vec::new();
        visita(&pagina.frame, Transform::identity(), None, &mut trovati);
        let mut lati_visti: Vec<&'static str> = Vec::new();
        for (r, cosa) in trovati {
            for (lato, oltre) in oltre_i_bordi(r, size, bordo) {
                if oltre > Abs::pt(0.5) && !lati_visti.contains(&lato) {
                    lati_visti.push(lato);
                    v.push(Sconfinamento {
                        pagina: i + 1,
                        cosa: cosa.clone(),
                        lato,
                        mm: oltre.to_mm(),
                    });
                }
            }
        }
    }
    v
}

/// How far a rectangle goes past each edge of the allowed area.
fn oltre_i_bordi(r: Rect, size: Size, bordo: Abs) -> [(&'static str, Abs); 4] {
    [
        ("sinistro", bordo - r.min.x),
        ("destro", r.max.x - (size.x - bordo)),
        ("superiore", bordo - r.min.y),
        ("inferiore", r.max.y - (size.y - bordo)),
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
fn visita(frame: &Frame, ts: Transform, clip: Option<Rect>, out: &mut Vec<(Rect, String)>) {
    for (pos, item) in frame.items() {
        let qui = ts.pre_concat(Transform::translate(pos.x, pos.y));
        let (locale, cosa) = match item {
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
                let b = t.bbox();
                if !b.min.x.to_pt().is_finite() || !b.max.x.to_pt().is_finite() {
                    continue;
                }
                (normale(b.min, b.max), descrivi_testo(&t.text))
            }
            FrameItem::Shape(s, _) => {
                let b = s.bbox(true);
                (normale(b.min, b.max), "un elemento grafico".to_string())
            }
            FrameItem::Image(_, size, _) => (
                Rect::new(Point::zero(), Point::new(size.x, size.y)),
                "un'immagine".to_string(),
            ),
            FrameItem::Link(..) | FrameItem::Tag(_) => continue,
        };
        if let Some(r) = interseca(trasforma(locale, qui), clip) {
            out.push((r, cosa));
        }
    }
}
