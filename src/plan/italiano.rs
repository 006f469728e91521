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

/// A file-name fragment: ASCII letters and digits joined by single dashes,
/// accents folded ("Niccolò D'Angelo" → "niccolo-d-angelo"), at most 60
/// characters. Never empty, never `.` or `..`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(piega) {
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
    }
}
