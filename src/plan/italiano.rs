//! Italian as an office writes it: "9 novembre 2022", "dall'8 aprile",
//! "a, b e c", "la Summer School", "l'80%", and file names that survive any
//! file system. Every family words these the same way by using the one
//! copy here. Money and thousands are written by the model's own types
//! (`Importo` displays as "€ 1.250,00", [`crate::model::migliaia`]), since
//! the rules word them too.

use chrono::{Datelike, NaiveDate};

use crate::model::{Componente, Corso, Firmatario, Genere, ModalitaSelezione, TipoCorso};

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
    con_numero(preposizione, &data(d))
}

/// Whether a number as printed ("8", "11.000", "80%", "8,5", "1° marzo")
/// is read aloud starting with a vowel: *otto*, *ottanta*, *ottocento*,
/// *ottomila*, *undici*, *undicimila*, *uno*, *un milione*; "18" is
/// *diciotto*, "1.000" *mille*, "1°" *primo*.
pub fn letto_con_vocale(numero: &str) -> bool {
    let s = numero.trim_start();
    let mut cifre = String::new();
    let mut resto = "";
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() {
            cifre.push(c);
        } else if c == '.'
            && !cifre.is_empty()
            && s[i + 1..].starts_with(|d: char| d.is_ascii_digit())
        {
            // A thousands separator: "11.000".
        } else {
            resto = &s[i..];
            break;
        }
    }
    let cifre = cifre.trim_start_matches('0');
    if cifre.is_empty() {
        return false;
    }
    // The leading group of up to three digits is read first: "11" of
    // "11.000" (undicimila), "800" of "800.000" (ottocentomila).
    let migliaia = (cifre.len() - 1) / 3;
    let testa = &cifre[..cifre.len() - 3 * migliaia];
    let ordinale = resto.starts_with(['°', 'º']);
    match testa {
        t if t.starts_with('8') => true,
        "11" => true,
        // "uno", "l'1%"; but "1°" is "primo", "1.000" is "mille" and
        // "1.000.000" is "un milione".
        "1" => !ordinale && migliaia != 1,
        _ => false,
    }
}

/// The article or articulated preposition before a number as it is read
/// aloud, joined to it: `("il", "8 luglio")` → "l'8 luglio", `("i", "8")`
/// → "gli 8", `("al", "80%")` → "all'80%", `("del", "11 giugno")` →
/// "dell'11 giugno", `("dal", "18")` → "dal 18". Singular `il`, `al`,
/// `del`, `dal`, `nel`, `sul` (and their feminine forms) elide before a
/// vowel; plural `i`, `ai`, `dei`, `dai`, `nei`, `sui` become `gli`,
/// `agli`… A capital first letter is kept ("Dall'8"); any other word is
/// joined with a space.
pub fn con_numero(preposizione: &str, numero: &str) -> String {
    let maiuscola_iniziale = preposizione.starts_with(|c: char| c.is_uppercase());
    let p = preposizione.to_lowercase();
    let vocale = letto_con_vocale(numero);
    let forma = match (p.as_str(), vocale) {
        ("il" | "lo" | "la", true) => "l'",
        ("al" | "allo" | "alla", true) => "all'",
        ("del" | "dello" | "della", true) => "dell'",
        ("dal" | "dallo" | "dalla", true) => "dall'",
        ("nel" | "nello" | "nella", true) => "nell'",
        ("sul" | "sullo" | "sulla", true) => "sull'",
        ("i" | "gli", true) => "gli ",
        ("ai" | "agli", true) => "agli ",
        ("dei" | "degli", true) => "degli ",
        ("dai" | "dagli", true) => "dagli ",
        ("nei" | "negli", true) => "negli ",
        ("sui" | "sugli", true) => "sugli ",
        ("lo", false) => "il ",
        ("allo", false) => "al ",
        ("dello", false) => "del ",
        ("dallo", false) => "dal ",
        ("nello", false) => "nel ",
        ("sullo", false) => "sul ",
        ("gli", false) => "i ",
        ("agli", false) => "ai ",
        ("degli", false) => "dei ",
        ("dagli", false) => "dai ",
        ("negli", false) => "nei ",
        ("sugli", false) => "sui ",
        _ => return format!("{preposizione} {numero}"),
    };
    let forma = if maiuscola_iniziale {
        maiuscola(forma)
    } else {
        forma.to_string()
    };
    format!("{forma}{numero}")
}

/// An office or role whose noun agrees with whoever holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carica {
    /// "Rettore" / "Rettrice".
    Rettore,
    /// "Direttore Generale" / "Direttrice Generale".
    DirettoreGenerale,
    /// "Direttore del corso" / "Direttrice del corso".
    DirettoreCorso,
    /// "Direttore del Dipartimento" / "Direttrice del Dipartimento".
    DirettoreDipartimento,
    /// "Direttore" / "Direttrice", as a column or a role on its own.
    Direttore,
    /// "Presidente" (the noun is the same; the article agrees).
    Presidente,
    /// "Responsabile" (the noun is the same; the article agrees).
    Responsabile,
    /// "Responsabile del procedimento".
    ResponsabileProcedimento,
    /// "Responsabile del dossier".
    ResponsabileDossier,
    /// "Segretario" / "Segretaria".
    Segretario,
    /// "Componente" (the noun is the same; the article agrees).
    Componente,
}

impl Carica {
    /// The noun, agreed: "Rettrice", "Direttore del corso". A gender not
    /// indicated keeps the office's institutional name (the validation
    /// refuses signatories whose gender cannot be told, so documents never
    /// reach this case).
    pub fn nome(self, g: Genere) -> &'static str {
        let f = g == Genere::Femminile;
        match (self, f) {
            (Carica::Rettore, false) => "Rettore",
            (Carica::Rettore, true) => "Rettrice",
            (Carica::DirettoreGenerale, false) => "Direttore Generale",
            (Carica::DirettoreGenerale, true) => "Direttrice Generale",
            (Carica::DirettoreCorso, false) => "Direttore del corso",
            (Carica::DirettoreCorso, true) => "Direttrice del corso",
            (Carica::DirettoreDipartimento, false) => "Direttore del Dipartimento",
            (Carica::DirettoreDipartimento, true) => "Direttrice del Dipartimento",
            (Carica::Direttore, false) => "Direttore",
            (Carica::Direttore, true) => "Direttrice",
            (Carica::Presidente, _) => "Presidente",
            (Carica::Responsabile, _) => "Responsabile",
            (Carica::ResponsabileProcedimento, _) => "Responsabile del procedimento",
            (Carica::ResponsabileDossier, _) => "Responsabile del dossier",
            (Carica::Segretario, false) => "Segretario",
            (Carica::Segretario, true) => "Segretaria",
            (Carica::Componente, _) => "Componente",
        }
    }

    /// The noun after an article or articulated preposition agreeing with
    /// the holder: `("il", F)` → "la Rettrice", `("del", F)` → "della
    /// Direttrice del corso", `("dal", M)` → "dal Rettore", `("su richiesta
    /// del", …)` joins the last word. A capital first letter is kept ("Il
    /// Rettore").
    pub fn con(self, preposizione: &str, g: Genere) -> String {
        let (prima, ultima) = match preposizione.rsplit_once(' ') {
            Some((a, b)) => (format!("{a} "), b),
            None => (String::new(), preposizione),
        };
        let maiuscola_iniziale = ultima.starts_with(|c: char| c.is_uppercase());
        let art = articolo(&ultima.to_lowercase(), g == Genere::Femminile).to_string();
        let art = if maiuscola_iniziale {
            maiuscola(&art)
        } else {
            art
        };
        format!("{prima}{art} {}", self.nome(g))
    }
}

/// A participle or adjective agreeing with the holder of an office:
/// `("nominato", F)` → "nominata". Only words ending in `-o` change.
pub fn participio(maschile: &str, g: Genere) -> String {
    match (g, maschile.strip_suffix('o')) {
        (Genere::Femminile, Some(radice)) => format!("{radice}a"),
        _ => maschile.to_string(),
    }
}

/// The gender of a signatory's office: `M` or `F` as given or as the title
/// tells; the institutional (masculine) name when neither says, which the
/// validation refuses before any document is planned.
pub fn genere_firmatario(f: &Firmatario) -> Genere {
    f.genere_carica().unwrap_or(Genere::Maschile)
}

/// A committee member's role agreed with the member: the words it knows
/// change ("Segretario verbalizzante" → "Segretaria verbalizzante",
/// "Direttrice" → "Direttore", "Componente esterno" → "Componente
/// esterna"), the rest (names of bodies, "Presidente") stays as written.
/// An absent role is "Componente".
pub fn ruolo_componente(m: &Componente) -> String {
    let g = m.genere_carica().unwrap_or(Genere::Maschile);
    let ruolo = m.ruolo.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let Some(ruolo) = ruolo else {
        return "Componente".to_string();
    };
    // Only the words before the first comma are the role; what follows
    // ("Componente, Ufficio Scolastico Regionale") names a body.
    let (testa, coda) = match ruolo.find(',') {
        Some(i) => ruolo.split_at(i),
        None => (ruolo, ""),
    };
    let parole: Vec<String> = testa.split(' ').map(|w| concorda_parola(w, g)).collect();
    format!("{}{coda}", parole.join(" "))
}

/// Pairs of role words: masculine, feminine.
const PAROLE_DI_RUOLO: &[(&str, &str)] = &[
    ("Direttore", "Direttrice"),
    ("Vicedirettore", "Vicedirettrice"),
    ("Segretario", "Segretaria"),
    ("Coordinatore", "Coordinatrice"),
    ("Tutore", "Tutrice"),
    ("esterno", "esterna"),
    ("interno", "interna"),
    ("effettivo", "effettiva"),
    ("esperto", "esperta"),
    ("delegato", "delegata"),
    ("nominato", "nominata"),
    ("designato", "designata"),
    ("vicario", "vicaria"),
];

fn concorda_parola(w: &str, g: Genere) -> String {
    let femminile = g == Genere::Femminile;
    for (m, f) in PAROLE_DI_RUOLO {
        // As written, in lower case, or with a capital ("Esterno").
        for (mm, ff) in [
            (m.to_string(), f.to_string()),
            (m.to_lowercase(), f.to_lowercase()),
            (maiuscola(m), maiuscola(f)),
        ] {
            if w == mm || w == ff {
                return if femminile { ff } else { mm };
            }
        }
    }
    w.to_string()
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
    percentuale_con("il", n)
}

/// A percentage after a preposition with its article: `("del", 80)` →
/// "dell'80%", `("al", 75)` → "al 75%".
pub fn percentuale_con(preposizione: &str, n: u32) -> String {
    con_numero(preposizione, &format!("{n}%"))
}

/// Whether the noun of a course's kind is feminine: "la Summer School",
/// but "il Master", "il Corso di perfezionamento".
pub fn femminile(tipo: TipoCorso) -> bool {
    matches!(tipo, TipoCorso::SummerSchool | TipoCorso::WinterSchool)
}

/// "il", "al", "del", "dal", "nel" or "sul" agreeing with a noun that
/// starts with a consonant: `("al", true)` → "alla". Any other word is
/// returned as it is.
pub fn articolo(preposizione: &str, femminile: bool) -> &str {
    match (preposizione, femminile) {
        ("il", true) => "la",
        ("al", true) => "alla",
        ("del", true) => "della",
        ("dal", true) => "dalla",
        ("nel", true) => "nella",
        ("sul", true) => "sulla",
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
    fn articoli_davanti_ai_numeri() {
        // Read with a vowel: otto, undici, ottanta, ottocento, ottomila,
        // undicimila, uno.
        assert_eq!(con_numero("il", "8"), "l'8");
        assert_eq!(con_numero("il", "11"), "l'11");
        assert_eq!(con_numero("i", "8"), "gli 8");
        assert_eq!(con_numero("i", "11"), "gli 11");
        assert_eq!(con_numero("al", "80%"), "all'80%");
        assert_eq!(con_numero("del", "8 luglio 2026"), "dell'8 luglio 2026");
        assert_eq!(con_numero("dal", "800"), "dall'800");
        assert_eq!(con_numero("nel", "8000"), "nell'8000");
        assert_eq!(con_numero("sul", "11.000"), "sull'11.000");
        assert_eq!(con_numero("dei", "8.500"), "degli 8.500");
        assert_eq!(con_numero("ai", "80"), "agli 80");
        assert_eq!(con_numero("dai", "11"), "dagli 11");
        assert_eq!(con_numero("nei", "8"), "negli 8");
        assert_eq!(con_numero("sui", "88"), "sugli 88");
        assert_eq!(con_numero("il", "1%"), "l'1%");
        assert_eq!(con_numero("il", "8,5%"), "l'8,5%");
        assert_eq!(con_numero("la", "8"), "l'8");
        assert_eq!(con_numero("Dal", "8 aprile"), "Dall'8 aprile");
        assert_eq!(con_numero("Il", "11 marzo"), "L'11 marzo");
        // Read with a consonant: diciotto, mille, primo, cento, centodieci.
        assert_eq!(con_numero("il", "18"), "il 18");
        assert_eq!(con_numero("i", "18"), "i 18");
        assert_eq!(con_numero("del", "1° marzo 2026"), "del 1° marzo 2026");
        assert_eq!(con_numero("il", "1.000"), "il 1.000");
        assert_eq!(con_numero("il", "1000"), "il 1000");
        assert_eq!(con_numero("il", "110"), "il 110");
        assert_eq!(con_numero("i", "5"), "i 5");
        assert_eq!(con_numero("al", "75%"), "al 75%");
        assert_eq!(con_numero("gli", "12"), "i 12");
        assert_eq!(con_numero("degli", "20"), "dei 20");
        // Ordinals other than the first keep the vowel: ottavo, undicesimo.
        assert_eq!(con_numero("il", "8°"), "l'8°");
        assert_eq!(con_numero("il", "11°"), "l'11°");
        // Millions: "un milione", "undici milioni", "otto milioni".
        assert!(letto_con_vocale("1.000.000"));
        assert!(letto_con_vocale("11.000.000"));
        assert!(letto_con_vocale("8.000.000"));
        assert!(!letto_con_vocale("18.000"));
        assert!(!letto_con_vocale("0"));
        // Other words are joined as they are.
        assert_eq!(con_numero("entro", "8 luglio"), "entro 8 luglio");
        assert_eq!(percentuale_con("del", 80), "dell'80%");
        assert_eq!(percentuale_con("del", 75), "del 75%");
    }

    #[test]
    fn cariche_concordate() {
        use Genere::*;
        assert_eq!(Carica::Rettore.con("il", Femminile), "la Rettrice");
        assert_eq!(Carica::Rettore.con("Il", Maschile), "Il Rettore");
        assert_eq!(Carica::Rettore.con("dal", Femminile), "dalla Rettrice");
        assert_eq!(
            Carica::DirettoreCorso.con("su richiesta del", Femminile),
            "su richiesta della Direttrice del corso"
        );
        assert_eq!(
            Carica::DirettoreGenerale.con("La", Femminile),
            "La Direttrice Generale"
        );
        assert_eq!(
            Carica::DirettoreDipartimento.con("al", Maschile),
            "al Direttore del Dipartimento"
        );
        assert_eq!(Carica::Presidente.con("la", Femminile), "la Presidente");
        assert_eq!(Carica::Presidente.con("il", Femminile), "la Presidente");
        assert_eq!(Carica::Responsabile.con("il", Femminile), "la Responsabile");
        assert_eq!(Carica::Segretario.nome(Femminile), "Segretaria");
        assert_eq!(Carica::Componente.con("del", Femminile), "della Componente");
        assert_eq!(participio("nominato", Femminile), "nominata");
        assert_eq!(participio("designato", Maschile), "designato");
        assert_eq!(participio("Responsabile", Femminile), "Responsabile");
    }

    #[test]
    fn ruoli_dei_componenti_concordati() {
        let m = |ruolo: Option<&str>, g: Option<Genere>, titolo: &str| Componente {
            nome: "A".into(),
            cognome: "B".into(),
            titolo: Some(titolo.into()),
            genere: g,
            ruolo: ruolo.map(String::from),
        };
        let f = Some(Genere::Femminile);
        let u = Some(Genere::Maschile);
        assert_eq!(
            ruolo_componente(&m(Some("Segretario verbalizzante"), f, "Dott.")),
            "Segretaria verbalizzante"
        );
        assert_eq!(
            ruolo_componente(&m(Some("Segretaria verbalizzante"), u, "Dott.")),
            "Segretario verbalizzante"
        );
        assert_eq!(
            ruolo_componente(&m(Some("Direttrice"), u, "Prof.")),
            "Direttore"
        );
        assert_eq!(
            ruolo_componente(&m(Some("Vicedirettore"), f, "Prof.")),
            "Vicedirettrice"
        );
        // The gender from the title when the data gives none.
        assert_eq!(
            ruolo_componente(&m(Some("Direttore"), None, "Prof.ssa")),
            "Direttrice"
        );
        // What follows the comma names a body and is left as written.
        assert_eq!(
            ruolo_componente(&m(
                Some("Componente esterno, Consorzio Esterno"),
                f,
                "Dott.ssa"
            )),
            "Componente esterna, Consorzio Esterno"
        );
        assert_eq!(ruolo_componente(&m(None, f, "Prof.ssa")), "Componente");
        assert_eq!(
            ruolo_componente(&m(Some("Presidente"), f, "Prof.ssa")),
            "Presidente"
        );
        assert_eq!(
            ruolo_componente(&m(Some("Coordinatrice delle attività"), u, "Dott.")),
            "Coordinatore delle attività"
        );
    }

    #[test]
    fn genere_dal_titolo() {
        assert_eq!(Genere::dal_titolo("Prof.ssa"), Some(Genere::Femminile));
        assert_eq!(Genere::dal_titolo("Dott.ssa "), Some(Genere::Femminile));
        assert_eq!(Genere::dal_titolo("Sig.ra"), Some(Genere::Femminile));
        // A masculine-looking title is no proof.
        assert_eq!(Genere::dal_titolo("Prof."), None);
        assert_eq!(Genere::dal_titolo("Dott."), None);
        assert_eq!(Genere::dal_titolo("Ing."), None);
        assert_eq!(
            Genere::della_carica(Some(Genere::Maschile), Some("Prof.ssa")),
            Some(Genere::Maschile)
        );
        assert_eq!(
            Genere::della_carica(Some(Genere::NonIndicato), Some("Prof.ssa")),
            Some(Genere::Femminile)
        );
        assert_eq!(
            Genere::della_carica(Some(Genere::NonIndicato), Some("Prof.")),
            None
        );
        assert_eq!(Genere::della_carica(None, None), None);
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
