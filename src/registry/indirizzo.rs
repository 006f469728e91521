//! The verification address printed on certificates and parchments and
//! encoded in their QR code: the university's `url_verifica` with the
//! document's code in it. One function builds it ([`indirizzo`]), so the
//! printed address and the QR's text are the same string; one checks the
//! setting ([`controlla`]), so a prefix the code cannot be appended to
//! (`…/verifica-documenti?`, which printed an address without the code) is
//! refused when the dataset is validated, not discovered on paper.

/// Where the code goes in a `url_verifica` that does not end with it.
pub const SEGNAPOSTO: &str = "{codice}";

/// Longest `url_verifica` accepted: with the code, the address still fits
/// the line beside the QR code at a legible size.
pub const LUNGHEZZA_MASSIMA: usize = 100;

/// The verification address of the document with this code: `{codice}`
/// replaced by the code, or the code appended to a prefix ending in `=`,
/// `/` or `#`.
pub fn indirizzo(url_verifica: &str, codice: &str) -> String {
    let u = url_verifica.trim();
    if u.contains(SEGNAPOSTO) {
        u.replace(SEGNAPOSTO, codice)
    } else {
        format!("{u}{codice}")
    }
}

/// Why `url_verifica` cannot carry a code, with what to write instead; `None`
/// when it can.
pub fn controlla(url_verifica: &str) -> Option<String> {
    let u = url_verifica.trim();
    let esempio = "scrivere per esempio «https://verifica.ateneo.it/#», «https://www.ateneo.it/verifica?codice={codice}» o «https://verifica.ateneo.it/{codice}»";
    if !(u.starts_with("https://") || u.starts_with("http://"))
        || u.len() <= "https://".len()
        || u.chars().any(char::is_whitespace)
    {
        return Some(format!(
            "«{url_verifica}» non è un indirizzo web (http:// o https://, senza spazi): {esempio}"
        ));
    }
    if u.chars().count() > LUNGHEZZA_MASSIMA {
        return Some(format!(
            "«{url_verifica}» ha {} caratteri: l'indirizzo stampato sotto il codice QR ne ammette al più {LUNGHEZZA_MASSIMA}",
            u.chars().count()
        ));
    }
    let segnaposti = u.matches(SEGNAPOSTO).count();
    if segnaposti > 1 {
        return Some(format!(
            "«{url_verifica}» contiene {segnaposti} volte «{SEGNAPOSTO}»: il codice va scritto una volta sola"
        ));
    }
    if segnaposti == 0 && !u.ends_with(['=', '/', '#']) {
        return Some(format!(
            "«{url_verifica}» non dice dove va il codice di verifica (l'indirizzo stampato ne resterebbe privo): indicarne il posto con «{SEGNAPOSTO}» oppure terminare l'indirizzo con «=», «/» o «#»; {esempio}"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn il_codice_va_dove_lo_dice_l_indirizzo() {
        let c = "K7QM-3XPD-9T";
        assert_eq!(
            indirizzo("https://v.example/verifica?codice={codice}&l=it", c),
            "https://v.example/verifica?codice=K7QM-3XPD-9T&l=it"
        );
        assert_eq!(
            indirizzo("https://v.example/verifica?codice=", c),
            "https://v.example/verifica?codice=K7QM-3XPD-9T"
        );
        assert_eq!(
            indirizzo("https://v.example/", c),
            "https://v.example/K7QM-3XPD-9T"
        );
        assert_eq!(
            indirizzo("https://v.example/#", c),
            "https://v.example/#K7QM-3XPD-9T"
        );
    }

    #[test]
    fn un_indirizzo_senza_posto_per_il_codice_e_rifiutato() {
        for buono in [
            "https://v.example/",
            "https://v.example/#",
            "https://v.example/verifica?codice=",
            "https://v.example/verifica/{codice}/pdf",
        ] {
            assert_eq!(controlla(buono), None, "{buono}");
        }
        for errato in [
            "https://v.example/verifica-documenti?",
            "https://v.example/verifica",
            "https://v.example/{codice}/{codice}",
            "v.example/",
            "https://v.example/ x/",
        ] {
            let m = controlla(errato).unwrap_or_else(|| panic!("{errato}"));
            assert!(m.contains(errato), "{m}");
        }
        let lungo = format!("https://v.example/{}/", "a".repeat(100));
        assert!(controlla(&lungo).unwrap().contains("al più 100"));
    }
}
