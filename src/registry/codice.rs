//! Verification codes printed on certificates and parchments: ten characters
//! of Crockford's base-32 alphabet (no I, L, O, U: nothing to mistake for
//! 1, 0 or V), the last one a check character, read in groups such as
//! `K7QM-3XPD-9T`.
//!
//! The check character is a weighted sum over GF(32), each position weighted
//! by a distinct power of a primitive element (the construction of ISBN's
//! check digit carried to a field of 32 elements). It catches every single
//! mistyped character and every swap of two adjacent ones, which a Luhn or
//! plain modular sum over 32 symbols does not, so a mistyped code is told
//! apart from a code the registry never issued. Codes derive from the university and the
//! document's identifier through SHA-256, so the same build gives the same
//! codes.

use sha2::{Digest, Sha256};

/// Crockford's base-32 alphabet.
const ALFABETO: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters carrying the code's value; one check character follows.
const CIFRE: usize = 9;
/// Total length without the dashes.
pub const LUNGHEZZA: usize = CIFRE + 1;

/// Why a string read from paper is not a well-formed code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodiceErrato {
    /// Not [`LUNGHEZZA`] characters once dashes and spaces are dropped; the
    /// count found.
    #[error("il codice di verifica ha {0} caratteri invece di {LUNGHEZZA}")]
    Lunghezza(usize),
    /// A character outside the alphabet (after undoing the usual
    /// confusions); the first one found.
    #[error("il codice di verifica contiene il carattere «{0}», che non vi compare mai")]
    Carattere(char),
    /// Well formed, but the check character does not match: a mistyped code,
    /// never one the registry issued.
    #[error("il codice di verifica non è valido (carattere di controllo errato): controllare la trascrizione")]
    Controllo,
}

fn valore(c: u8) -> Option<u32> {
    ALFABETO.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Product in GF(32) = GF(2)[x]/(x⁵ + x² + 1).
fn moltiplica(mut a: u32, mut b: u32) -> u32 {
    let mut p = 0;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        b >>= 1;
        a <<= 1;
        if a & 0b10_0000 != 0 {
            a ^= 0b10_0101;
        }
    }
    p
}

/// The check value: Σ αᵏ·vₖ with α = x and k counted from the check
/// position, so that a whole valid code sums to zero.
fn controllo(valori: &[u32]) -> u32 {
    let mut somma = 0;
    let mut peso = 1;
    for v in valori.iter().rev() {
        peso = moltiplica(peso, 2);
        somma ^= moltiplica(peso, *v);
    }
    somma
}

/// "K7QM3XPD9T" → "K7QM-3XPD-9T".
fn a_gruppi(s: &str) -> String {
    format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..])
}

/// The code of a document: deterministic from the university, the document's
/// identifier and which issue of it this is (a reissue gets a new code);
/// `tentativo` moves to another code when one is already taken.
pub fn deriva(ateneo: &str, identificativo: &str, emissione: u32, tentativo: u32) -> String {
    let mut h = Sha256::new();
    for parte in [
        "lauream/codice-verifica/1".as_bytes(),
        ateneo.as_bytes(),
        identificativo.as_bytes(),
    ] {
        h.update((parte.len() as u64).to_le_bytes());
        h.update(parte);
    }
    h.update(emissione.to_le_bytes());
    h.update(tentativo.to_le_bytes());
    let d = h.finalize();
    let mut bits = u64::from_be_bytes(d[..8].try_into().expect("8 byte"));
    let mut valori = Vec::with_capacity(LUNGHEZZA);
    for _ in 0..CIFRE {
        valori.push((bits >> 59) as u32);
        bits <<= 5;
    }
    valori.push(controllo(&valori));
    let s: String = valori
        .iter()
        .map(|&v| ALFABETO[v as usize] as char)
        .collect();
    a_gruppi(&s)
}

/// Reads a code as typed: any case, with or without dashes and spaces, with
/// the usual confusions undone (O → 0, I and L → 1). Returns it in its
/// printed form, or why it cannot be a code.
pub fn normalizza(testo: &str) -> Result<String, CodiceErrato> {
    let mut s = String::with_capacity(LUNGHEZZA);
    for c in testo.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\u{2013}' | '\u{2010}' | '\u{2011}' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || valore(c as u8).is_none() {
            return Err(CodiceErrato::Carattere(c));
        }
        s.push(c);
    }
    if s.len() != LUNGHEZZA {
        return Err(CodiceErrato::Lunghezza(s.len()));
    }
    let valori: Vec<u32> = s.bytes().filter_map(valore).collect();
    if controllo(&valori[..CIFRE]) != valori[CIFRE] {
        return Err(CodiceErrato::Controllo);
    }
    Ok(a_gruppi(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codici_derivati_sono_validi_e_stabili() {
        let a = deriva("UniValdarno", "2025/2026/x/pergamena/RSSMRA", 1, 0);
        assert_eq!(
            a,
            deriva("UniValdarno", "2025/2026/x/pergamena/RSSMRA", 1, 0)
        );
        assert_ne!(
            a,
            deriva("UniValdarno", "2025/2026/x/pergamena/RSSMRA", 2, 0)
        );
        assert_ne!(
            a,
            deriva("UniValdarno", "2025/2026/x/pergamena/RSSMRA", 1, 1)
        );
        assert_ne!(a, deriva("Altro", "2025/2026/x/pergamena/RSSMRA", 1, 0));
        assert_eq!(a.len(), LUNGHEZZA + 2);
        assert_eq!(normalizza(&a), Ok(a.clone()));
    }

    #[test]
    fn lettura_tollerante() {
        let c = deriva("U", "doc", 1, 0);
        let senza = c.replace('-', "").to_lowercase();
        assert_eq!(normalizza(&senza), Ok(c.clone()));
        // Confusable letters typed for digits are read as the digits.
        let confuso = c.replace('0', "O").replace('1', "l");
        assert_eq!(normalizza(&confuso), Ok(c.clone()));
        assert_eq!(normalizza(&format!(" {c} ")), Ok(c));
    }

    #[test]
    fn ogni_errore_di_un_carattere_e_ogni_scambio_adiacente_sono_riconosciuti() {
        for k in 0..200 {
            let c = deriva("U", &format!("doc-{k}"), 1, 0).replace('-', "");
            let b = c.as_bytes();
            for i in 0..b.len() {
                for &x in ALFABETO {
                    if x != b[i] {
                        let mut e = b.to_vec();
                        e[i] = x;
                        let e = String::from_utf8(e).unwrap();
                        assert_eq!(normalizza(&e), Err(CodiceErrato::Controllo), "{c} → {e}");
                    }
                }
                if i + 1 < b.len() && b[i] != b[i + 1] {
                    let mut e = b.to_vec();
                    e.swap(i, i + 1);
                    let e = String::from_utf8(e).unwrap();
                    assert_eq!(normalizza(&e), Err(CodiceErrato::Controllo), "{c} → {e}");
                }
            }
        }
    }

    #[test]
    fn forme_impossibili() {
        assert_eq!(normalizza("ABC"), Err(CodiceErrato::Lunghezza(3)));
        assert_eq!(
            normalizza("K7QM-3XPD-9U"),
            Err(CodiceErrato::Carattere('U'))
        );
        assert_eq!(
            normalizza("K7QM-3XPD-9*"),
            Err(CodiceErrato::Carattere('*'))
        );
    }
}
