//! The Italian tax code (codice fiscale, D.M. 23 dicembre 1976): layout,
//! check character and the birth data it encodes.

use chrono::{Datelike, NaiveDate};

use crate::model::Genere;

/// Letters that replace digits in a tax code changed for homonymy (omocodia).
const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";
const MESI: &[u8; 12] = b"ABCDEHLMPRST";

/// Values of characters in odd positions (1st, 3rd, ...) for the check character.
fn valore_dispari(c: u8) -> u32 {
    const TAB: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    match c {
        b'0'..=b'9' => TAB[(c - b'0') as usize],
        b'A'..=b'Z' => TAB[(c - b'A') as usize],
        _ => 0,
    }
}

fn valore_pari(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'A'..=b'Z' => (c - b'A') as u32,
        _ => 0,
    }
}

/// The check character of the first 15 characters.
pub fn carattere_controllo(primi15: &[u8]) -> char {
    let somma: u32 = primi15
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i % 2 == 0 {
                valore_dispari(c)
            } else {
                valore_pari(c)
            }
        })
        .sum();
    (b'A' + (somma % 26) as u8) as char
}

fn cifra(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some((c - b'0') as u32),
        _ => OMOCODIA.iter().position(|&o| o == c).map(|p| p as u32),
    }
}

/// Checks layout and check character. The message says what is wrong in
/// words a secretary can act on.
pub fn verifica(cf: &str) -> Result<(), String> {
    let b = cf.as_bytes();
    if b.len() != 16 {
        return Err(format!(
            "«{cf}» ha {} caratteri: il codice fiscale ne ha 16",
            cf.chars().count()
        ));
    }
    let lettera = |i: usize| b[i].is_ascii_uppercase();
    let num = |i: usize| cifra(b[i]).is_some();
    let forma = (0..6).all(lettera)
        && num(6)
        && num(7)
        && MESI.contains(&b[8])
        && num(9)
        && num(10)
        && lettera(11)
        && (12..15).all(num)
        && lettera(15);
    if !forma {
        return Err(format!("«{cf}» non ha la forma di un codice fiscale (6 lettere, 2 cifre, lettera del mese, ...)"));
    }
    let atteso = carattere_controllo(&b[..15]);
    if b[15] as char != atteso {
        return Err(format!(
            "«{cf}»: il carattere di controllo è «{}», ma dovrebbe essere «{atteso}»",
            b[15] as char
        ));
    }
    Ok(())
}

/// The birth date's day, month and two-digit year, and the gender encoded in
/// a well-formed tax code.
pub fn dati_nascita(cf: &str) -> Option<(u32, u32, u32, Genere)> {
    let b = cf.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let anno = cifra(b[6])? * 10 + cifra(b[7])?;
    let mese = MESI.iter().position(|&m| m == b[8])? as u32 + 1;
    let giorno = cifra(b[9])? * 10 + cifra(b[10])?;
    let (giorno, genere) = if giorno > 40 {
        (giorno - 40, Genere::Femminile)
    } else {
        (giorno, Genere::Maschile)
    };
    Some((giorno, mese, anno, genere))
}

/// Whether the tax code agrees with a birth date.
pub fn concorda_con_nascita(cf: &str, nascita: NaiveDate) -> bool {
    match dati_nascita(cf) {
        Some((g, m, a, _)) => {
            g == nascita.day() && m == nascita.month() && a == (nascita.year() % 100) as u32
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codici_validi_e_non() {
        // The well-known example code of the Agenzia delle Entrate.
        assert!(verifica("RSSMRA85T10A562S").is_ok());
        assert!(verifica("RSSMRA85T10A562T")
            .unwrap_err()
            .contains("dovrebbe essere «S»"));
        assert!(verifica("RSSMRA85T10A562").is_err());
        assert!(verifica("RSSMRA85Z10A562S").unwrap_err().contains("forma"));
    }

    #[test]
    fn omocodia() {
        // 8 → U, 5 → R in the year digits; the check character is recomputed.
        let base = b"RSSMRAURT10A562";
        let cf = format!(
            "{}{}",
            std::str::from_utf8(base).unwrap(),
            carattere_controllo(base)
        );
        assert!(verifica(&cf).is_ok());
        assert_eq!(dati_nascita(&cf).unwrap().2, 85);
    }

    #[test]
    fn nascita_e_genere() {
        let (g, m, a, gen) = dati_nascita("RSSMRA85T10A562S").unwrap();
        assert_eq!((g, m, a, gen), (10, 12, 85, Genere::Maschile));
        assert!(concorda_con_nascita(
            "RSSMRA85T10A562S",
            NaiveDate::from_ymd_opt(1985, 12, 10).unwrap()
        ));
        assert!(!concorda_con_nascita(
            "RSSMRA85T10A562S",
            NaiveDate::from_ymd_opt(1985, 12, 11).unwrap()
        ));
    }
}
