//! The fonts built into the program, the only ones documents are set in.
//!
//! Typst's own set (`typst-assets`: Libertinus Serif, New Computer Modern,
//! DejaVu Sans Mono), with one change: the four faces of Libertinus Serif the
//! templates use (regular, bold, italic, bold italic) come from `fonts/`,
//! the same glyphs and metrics with TrueType outlines instead of CFF ones
//! (`fonts/converti.py`, `fonts/OFL.txt`). Every PDF embeds a subset of each
//! font it uses, and a CFF subset costs its glyphs' charstrings decompiled
//! and compiled again, plus each glyph interpreted to measure it; TrueType
//! glyphs are copied as they are. On a year's certificates that was about a
//! tenth of the CPU (`docs/performance.md`).
//!
//! A fresh machine without system fonts renders byte-identical output. The
//! plain `typst` CLI sets the same documents with
//! `--ignore-embedded-fonts --font-path fonts` for templates that use only
//! Libertinus Serif (the certificates); with its embedded fonts it prefers
//! the CFF faces, which look the same.

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo, FontStyle};

/// The TrueType faces of Libertinus Serif, by file.
const LIBERTINUS_TRUETYPE: [&[u8]; 4] = [
    include_bytes!("../fonts/LibertinusSerif-Regular.ttf"),
    include_bytes!("../fonts/LibertinusSerif-Bold.ttf"),
    include_bytes!("../fonts/LibertinusSerif-Italic.ttf"),
    include_bytes!("../fonts/LibertinusSerif-BoldItalic.ttf"),
];

/// Whether `info` is one of Typst's CFF faces that `fonts/` replaces.
fn sostituito(info: &FontInfo) -> bool {
    let peso = info.variant.weight.to_number();
    info.family == "Libertinus Serif"
        && matches!(info.variant.style, FontStyle::Normal | FontStyle::Italic)
        && (peso == 400 || peso == 700)
}

/// Every built-in font with its description, in a fixed order: the
/// TrueType faces of Libertinus Serif first, then Typst's set without the
/// faces they replace.
pub fn incorporati() -> impl Iterator<Item = (Font, FontInfo)> {
    let nostri = LIBERTINUS_TRUETYPE.into_iter().flat_map(|dati| {
        Font::iter(Bytes::new(dati)).map(|font| {
            let info = font.info().clone();
            (font, info)
        })
    });
    nostri.chain(typst_kit::fonts::embedded().filter(|(_, info)| !sostituito(info)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The four faces replace exactly four of Typst's, with the same names,
    /// variants and characters; nothing else of Typst's set is lost.
    #[test]
    fn quattro_facce_truetype_al_posto_delle_cff() {
        let nostri: Vec<(Font, FontInfo)> = incorporati().take(4).collect();
        let tolti: Vec<(Font, FontInfo)> = typst_kit::fonts::embedded()
            .filter(|(_, i)| sostituito(i))
            .collect();
        assert_eq!(nostri.len(), 4);
        assert_eq!(tolti.len(), 4);
        for (font, n) in &nostri {
            let (vecchio, t) = tolti
                .iter()
                .find(|(_, t)| t.variant == n.variant)
                .expect("the same face");
            assert_eq!(n.family, t.family);
            assert_eq!(
                n.coverage.iter().collect::<Vec<_>>(),
                t.coverage.iter().collect::<Vec<_>>()
            );
            let a = ttf_parser::Face::parse(font.data(), font.index()).expect("a font");
            let b = ttf_parser::Face::parse(vecchio.data(), vecchio.index()).expect("a font");
            assert!(a.tables().glyf.is_some() && a.tables().cff.is_none());
            assert!(b.tables().cff.is_some());
            // The same glyphs, the same widths: the text sets the same.
            assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
            for g in 0..a.number_of_glyphs() {
                let g = ttf_parser::GlyphId(g);
                assert_eq!(a.glyph_hor_advance(g), b.glyph_hor_advance(g));
            }
        }
        assert_eq!(incorporati().count(), typst_kit::fonts::embedded().count());
    }
}
