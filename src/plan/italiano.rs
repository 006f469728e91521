//! Italian as an office writes it: "9 novembre 2022", "€ 1.250,00",
//! "2025/2026", and file names that survive any file system.

use chrono::{Datelike, NaiveDate};

use crate::model::{Firmatario, Importo};

const MESI: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// "9 novembre 2022"; the first of the month is "1° marzo", as Italian usage wants.
pub fn data(d: NaiveDate) -> String {
    let giorno = if d.day() == 1 {
        "1°".to_string()
    } else {
        d.day().to_string()
    };
    format!("{giorno} {} {}", MESI[d.month0() as usize], d.year())
}

/// A date after a preposition with its article, elided where Italian wants
/// it: `("il", 3 marzo)` → "il 3 marzo 2026", `("dal", 8 aprile)` → "dall'8
/// aprile 2026", `("al", 11 giugno)` → "all'11 giugno 2026".
pub fn data_con_articolo(preposizione: &str, d: NaiveDate) -> String {
    let elisione = matches!(d.day(), 8 | 11);
    let p = match (preposizione, elisione) {
        ("il", true) => "l'",
        ("dal", true) => "dall'",
        ("al", true) => "all'",
        ("del", true) => "dell'",
        (p, _) => return format!("{p} {}", data(d)),
    };
    format!("{p}{}", data(d))
}

/// "€ 1.250,00".
pub fn euro(i: Importo) -> String {
    let cents = i.cents();
    let segno = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let intero = (cents / 100).to_string();
    let mut gruppi = String::new();
    for (n, c) in intero.chars().enumerate() {
        if n > 0 && (intero.len() - n).is_multiple_of(3) {
            gruppi.push('.');
        }
        gruppi.push(c);
    }
    format!("€ {segno}{gruppi},{:02}", cents % 100)
}

/// "Prof.ssa Anna Verdi".
pub fn nome_firmatario(f: &Firmatario) -> String {
    match &f.titolo {
        Some(t) if !t.is_empty() => format!("{t} {} {}", f.nome, f.cognome),
        _ => format!("{} {}", f.nome, f.cognome),
    }
}

/// Names Windows reserves for devices, whatever the extension: a folder or
/// file so named cannot be created or copied there.
const NOMI_RISERVATI: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Longest [`slug`], in bytes: a path joins a few of them, and archives are
/// copied to file systems and zip tools with 255-byte names and short paths.
pub const LUNGHEZZA_MASSIMA_SLUG: usize = 60;

/// A file-name fragment: ASCII letters and digits joined by single dashes,
/// accents folded ("Niccolò D'Angelo" → "niccolo-d-angelo"), at most
/// [`LUNGHEZZA_MASSIMA_SLUG`] characters. Never empty, never `.` or `..`,
/// never a name Windows reserves (`con`, `nul`, `com1`…: those get `-x`).
///
/// Whatever the input (slashes, `..`, control characters, NUL, emoji,
/// right-to-left text), the result is safe as one path component on any file
/// system; distinct inputs may share a slug, which is why every path built
/// from data also carries an identifier (the tax code) or is checked for
/// collisions by the plan.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(piega) {
        // Accents typed as combining marks (e + U+0301) fold like precomposed ones.
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "x".into()
    } else if NOMI_RISERVATI.contains(&out.as_str()) {
        format!("{out}-x")
    } else {
        out
    }
}

/// Folds common Latin accented letters to ASCII.
fn piega(c: char) -> std::vec::IntoIter<char> {
    let s: &str = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' | 'Ā' => "A",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' | 'Ø' | 'Ō' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' => "U",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'š' | 'ś' | 'ş' => "s",
        'Š' | 'Ś' | 'Ş' => "S",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' | 'Ź' | 'Ż' => "Z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ł' => "l",
        'Ł' => "L",
        'đ' => "d",
        'ý' | 'ÿ' => "y",
        'ř' => "r",
        _ => return vec![c].into_iter(),
    };
    s.chars().collect::<Vec<_>>().into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_italiane() {
        assert_eq!(
            data(NaiveDate::from_ymd_opt(2022, 11, 9).unwrap()),
            "9 novembre 2022"
        );
        assert_eq!(
            data(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            "1° marzo 2026"
        );
    }

    #[test]
    fn importi() {
        assert_eq!(euro(Importo(125000)), "€ 1.250,00");
        assert_eq!(euro(Importo(1600)), "€ 16,00");
        assert_eq!(euro(Importo(123456789)), "€ 1.234.567,89");
        assert_eq!(euro(Importo(5)), "€ 0,05");
    }

    #[test]
    fn slug_sicuri() {
        assert_eq!(slug("Niccolò D'Angelo"), "niccolo-d-angelo");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("..."), "x");
        assert_eq!(slug("#panic(\"x\")"), "panic-x");
        assert!(slug(&"a".repeat(500)).len() <= 60);
        assert_eq!(slug("Nice\u{301}colo\u{300}"), "nicecolo");
        assert_eq!(slug("CON"), "con-x");
        assert_eq!(slug("nul"), "nul-x");
        assert_eq!(slug("Com1"), "com1-x");
        assert_eq!(slug("console"), "console");
        assert_eq!(slug("a\0b\u{7}c\nd"), "a-b-c-d");
        assert_eq!(slug("שלום 👋 مرحبا"), "x");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Whatever a register holds, its slug is one short, portable path
        /// component.
        #[test]
        fn slug_sicuro_per_ogni_stringa(s in "\\PC*|.*|[\\x00-\\x1f./\\\\ ]*|(?i)(con|nul|prn|aux|com[0-9]|lpt[0-9])") {
            let x = slug(&s);
            proptest::prop_assert!(!x.is_empty());
            proptest::prop_assert!(x.len() <= LUNGHEZZA_MASSIMA_SLUG);
            proptest::prop_assert!(x.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{:?}", x);
            proptest::prop_assert!(!x.starts_with('-') && !x.ends_with('-') && !x.contains("--"), "{:?}", x);
            proptest::prop_assert!(!NOMI_RISERVATI.contains(&x.as_str()));
            proptest::prop_assert_eq!(slug(&x), x.clone(), "idempotente");
        }
    }
}
