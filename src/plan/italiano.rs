//! Italian as an office writes it: "9 novembre 2022", "dall'8 aprile",
//! "a, b e c", "la Summer School", "l'80%", and file names that survive any
//! file system. Every family words these the same way by using the one
//! copy here. Money and thousands are written by the model's own types
//! (`Importo` displays as "€ 1.250,00", [`crate::model::migliaia`]), since
//! the rules word them too.

use chrono::{Datelike, NaiveDate};

use crate::model::{Corso, Firmatario, ModalitaSelezione, TipoCorso};

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

/// "dall'8 aprile 2026 al 12 giugno 2026": a span of days, elided as
/// Italian wants.
pub fn periodo(inizio: NaiveDate, fine: NaiveDate) -> String {
    format!(
        "{} {}",
        data_con_articolo("dal", inizio),
        data_con_articolo("al", fine)
    )
}

/// "Prof.ssa Anna Verdi": a name after its title, when there is one. The
/// title is printed as the data writes it; an empty one is no title.
pub fn nome_con_titolo(titolo: Option<&str>, nome: &str, cognome: &str) -> String {
    match titolo {
        Some(t) if !t.is_empty() => format!("{t} {nome} {cognome}"),
        _ => format!("{nome} {cognome}"),
    }
}

/// A signatory's name with their title: "Prof.ssa Anna Verdi".
pub fn nome_firmatario(f: &Firmatario) -> String {
    nome_con_titolo(f.titolo.as_deref(), &f.nome, &f.cognome)
}

/// The text with its first letter in capitals: "il candidato" → "Il candidato".
pub fn maiuscola(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(p) => p.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "a", "a e b", "a, b e c".
pub fn elenco<S: AsRef<str>>(v: &[S]) -> String {
    match v {
        [] => String::new(),
        [a] => a.as_ref().to_string(),
        [testa @ .., ultimo] => {
            let testa: Vec<&str> = testa.iter().map(AsRef::as_ref).collect();
            format!("{} e {}", testa.join(", "), ultimo.as_ref())
        }
    }
}

/// "il 75%", "l'80%": the article before a percentage, elided where the
/// number is read with a vowel (otto, ottanta, undici, uno).
pub fn percentuale_con_articolo(n: u32) -> String {
    let s = n.to_string();
    if s.starts_with('8') || n == 1 || n == 11 {
        format!("l'{s}%")
    } else {
        format!("il {s}%")
    }
}

/// Whether the noun of a course's kind is feminine: "la Summer School",
/// but "il Master", "il Corso di perfezionamento".
pub fn femminile(tipo: TipoCorso) -> bool {
    matches!(tipo, TipoCorso::SummerSchool | TipoCorso::WinterSchool)
}

/// "il", "al" or "del" agreeing with a noun: `("al", true)` → "alla". Any
/// other word is returned as it is.
pub fn articolo(preposizione: &str, femminile: bool) -> &str {
    match (preposizione, femminile) {
        ("il", true) => "la",
        ("al", true) => "alla",
        ("del", true) => "della",
        (p, _) => p,
    }
}

/// A course named in a sentence after a preposition, with the article its
/// kind wants: `("al", Master)` → "al Master universitario di I livello in
/// «…»", `("il", Summer School)` → "la Summer School «…»" (a school's own
/// name follows its kind directly).
pub fn corso_con(preposizione: &str, c: &Corso) -> String {
    let f = femminile(c.tipo);
    let art = articolo(preposizione, f);
    let denominazione = c.tipo.denominazione();
    if f {
        format!("{art} {denominazione} «{}»", c.titolo)
    } else {
        format!("{art} {denominazione} in «{}»", c.titolo)
    }
}

/// Where selection modes are listed, which decides how (see
/// [`modalita_selezione`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElencoModalita {
    /// The call: admission in order of enrolment has a sentence of its own
    /// and is left out; titles and curriculum together are one evaluation
    /// ("valutazione dei titoli e del curriculum vitae"); each mode once.
    Bando,
    /// A decree's recital or article: every mode as the course lists it,
    /// admission in order of enrolment included.
    Decreto,
}

/// The selection modes in the words of Art. 7.3 and 19.5, in the course's
/// order: "valutazione dei titoli", "prova scritta", "colloquio"…
pub fn modalita_selezione(selezione: &[ModalitaSelezione], dove: ElencoModalita) -> Vec<String> {
    let bando = dove == ElencoModalita::Bando;
    let titoli = selezione.contains(&ModalitaSelezione::Titoli);
    let curriculum = selezione.contains(&ModalitaSelezione::Curriculum);
    let mut out: Vec<String> = Vec::new();
    for m in selezione {
        let s = match m {
            ModalitaSelezione::Titoli if bando && curriculum => {
                "valutazione dei titoli e del curriculum vitae"
            }
            ModalitaSelezione::Titoli => "valutazione dei titoli",
            ModalitaSelezione::Curriculum if bando && titoli => continue,
            ModalitaSelezione::Curriculum => "valutazione del curriculum vitae",
            ModalitaSelezione::ProvaScritta => "prova scritta",
            ModalitaSelezione::ProvaOrale => "prova orale",
            ModalitaSelezione::Colloquio => "colloquio",
            ModalitaSelezione::OrdineCronologico if bando => continue,
            ModalitaSelezione::OrdineCronologico => {
                "iscrizione in ordine cronologico fino a esaurimento dei posti"
            }
        };
        if !(bando && out.iter().any(|o| o == s)) {
            out.push(s.to_string());
        }
    }
    out
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

/// A score as a call prints it: "30", "12,5", "7,25" (no trailing zeros).
pub fn punteggio(p: crate::model::Punteggio) -> String {
    let intero = p.0 / 100;
    match p.0 % 100 {
        0 => intero.to_string(),
        c if c % 10 == 0 => format!("{intero},{}", c / 10),
        c => format!("{intero},{c:02}"),
    }
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
    fn periodi_elisi() {
        let d = |m, g| NaiveDate::from_ymd_opt(2026, m, g).unwrap();
        assert_eq!(
            periodo(d(4, 8), d(6, 12)),
            "dall'8 aprile 2026 al 12 giugno 2026"
        );
        assert_eq!(
            periodo(d(3, 1), d(6, 11)),
            "dal 1° marzo 2026 all'11 giugno 2026"
        );
    }

    #[test]
    fn nomi_con_titolo() {
        assert_eq!(
            nome_con_titolo(Some("Prof.ssa"), "Anna", "Verdi"),
            "Prof.ssa Anna Verdi"
        );
        assert_eq!(nome_con_titolo(Some(""), "Anna", "Verdi"), "Anna Verdi");
        assert_eq!(nome_con_titolo(None, "Anna", "Verdi"), "Anna Verdi");
        // The title as written: whoever wants it trimmed trims it first.
        assert_eq!(
            nome_con_titolo(Some("Dott. "), "Ugo", "Neri"),
            "Dott.  Ugo Neri"
        );
    }

    #[test]
    fn maiuscole() {
        assert_eq!(maiuscola("il candidato"), "Il candidato");
        assert_eq!(maiuscola("èra"), "Èra");
        assert_eq!(maiuscola(""), "");
    }

    #[test]
    fn elenchi() {
        assert_eq!(elenco::<&str>(&[]), "");
        assert_eq!(elenco(&["a"]), "a");
        assert_eq!(elenco(&["a", "b"]), "a e b");
        assert_eq!(
            elenco(&["a".to_string(), "b".into(), "c".into()]),
            "a, b e c"
        );
    }

    #[test]
    fn percentuali() {
        assert_eq!(percentuale_con_articolo(75), "il 75%");
        assert_eq!(percentuale_con_articolo(80), "l'80%");
        assert_eq!(percentuale_con_articolo(88), "l'88%");
        assert_eq!(percentuale_con_articolo(11), "l'11%");
        assert_eq!(percentuale_con_articolo(1), "l'1%");
        assert_eq!(percentuale_con_articolo(100), "il 100%");
    }

    #[test]
    fn articoli_per_tipo_di_corso() {
        assert!(femminile(TipoCorso::SummerSchool));
        assert!(femminile(TipoCorso::WinterSchool));
        assert!(!femminile(TipoCorso::MasterI));
        assert!(!femminile(TipoCorso::Perfezionamento));
        assert_eq!(articolo("il", false), "il");
        assert_eq!(articolo("il", true), "la");
        assert_eq!(articolo("al", true), "alla");
        assert_eq!(articolo("del", true), "della");
        assert_eq!(articolo("con", true), "con");
    }

    #[test]
    fn modalita_nel_bando() {
        use ModalitaSelezione::*;
        let bando = |m: &[ModalitaSelezione]| elenco(&modalita_selezione(m, ElencoModalita::Bando));
        assert_eq!(
            bando(&[Titoli, ProvaScritta, Colloquio]),
            "valutazione dei titoli, prova scritta e colloquio"
        );
        assert_eq!(
            bando(&[Curriculum, Titoli]),
            "valutazione dei titoli e del curriculum vitae"
        );
        assert_eq!(bando(&[Colloquio, Colloquio]), "colloquio");
        assert!(modalita_selezione(&[OrdineCronologico], ElencoModalita::Bando).is_empty());
    }

    #[test]
    fn modalita_nel_decreto() {
        use ModalitaSelezione::*;
        let decreto =
            |m: &[ModalitaSelezione]| elenco(&modalita_selezione(m, ElencoModalita::Decreto));
        assert_eq!(
            decreto(&[Titoli, ProvaScritta, Colloquio]),
            "valutazione dei titoli, prova scritta e colloquio"
        );
        assert_eq!(
            decreto(&[Curriculum, Titoli]),
            "valutazione del curriculum vitae e valutazione dei titoli"
        );
        assert_eq!(
            decreto(&[OrdineCronologico]),
            "iscrizione in ordine cronologico fino a esaurimento dei posti"
        );
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
