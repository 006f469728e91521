//! Which characters the documents can print.
//!
//! Documents are PDF/A, which forbids text drawn without a glyph; the fonts
//! are those built into the program. A character no built-in font has (an
//! emoji, a rare script) would stop that document at rendering time with a
//! message about fonts that a secretary cannot act on, so it is refused when
//! the dataset is read, with the cell or JSON value it is in.

use std::sync::LazyLock;

/// Every code point some built-in font covers, sorted.
static COPERTI: LazyLock<Vec<u32>> = LazyLock::new(|| {
    let mut v: Vec<u32> = crate::caratteri::incorporati()
        .flat_map(|(_, info)| info.coverage.iter().collect::<Vec<_>>())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
});

/// Whether a built-in font can draw `c`; spaces and line breaks need no glyph.
pub fn stampabile(c: char) -> bool {
    matches!(c, ' ' | '\n' | '\r' | '\t')
        || (c.is_ascii() && !c.is_ascii_control())
        || COPERTI.binary_search(&(c as u32)).is_ok()
}

/// The first character of `testo` no built-in font can draw, if any, with a
/// message saying what to do.
pub fn non_stampabile(testo: &str) -> Option<String> {
    let c = testo.chars().find(|&c| !stampabile(c))?;
    Some(format!(
        "il carattere «{c}» (U+{:04X}) non esiste nei caratteri tipografici dei documenti e non si può stampare: sostituirlo o toglierlo",
        c as u32
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lettere_si_emoji_no() {
        for c in "Niccolò D'Angelo ßøæ ĄŻŁ €°–«»".chars() {
            assert!(stampabile(c), "{c}");
        }
        assert!(non_stampabile("García Márquez").is_none());
        assert!(non_stampabile("Jacopo 🎓").unwrap().contains("U+1F393"));
    }
}
