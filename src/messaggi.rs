//! Italian for the person who reads the program's messages: counts with the
//! right plural ("1 errore", "2 errori"), numbers with a decimal comma
//! ("0,6 s"), the closest name to a misspelled one, and the errors of the
//! operating system and of libraries (file system, JSON, SQLite, zip), which
//! speak English, turned into what happened and what to do.
//!
//! The translations work on the texts those errors print, because many
//! reach a message only as text (`format!("{}: {e}", …)`); an unknown text
//! is left as it is.

/// "1 errore", "3 errori": a count with its noun agreed.
pub fn conta(n: usize, singolare: &str, plurale: &str) -> String {
    format!(
        "{} {}",
        intero(n as u64),
        if n == 1 { singolare } else { plurale }
    )
}

/// A whole number with the Italian thousands separator: "12.345".
pub fn intero(n: u64) -> String {
    let cifre = n.to_string();
    let mut s = String::with_capacity(cifre.len() + cifre.len() / 3);
    for (i, c) in cifre.chars().enumerate() {
        if i > 0 && (cifre.len() - i).is_multiple_of(3) {
            s.push('.');
        }
        s.push(c);
    }
    s
}

/// A decimal number with a decimal comma and the thousands separator:
/// `decimale(1234.56, 1)` is "1.234,6", `decimale(0.6, 1)` is "0,6".
pub fn decimale(x: f64, cifre: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let testo = format!("{:.*}", cifre, x.abs());
    let (intera, frazione) = testo.split_once('.').unwrap_or((&testo, ""));
    let mut s = String::new();
    if x < 0.0 && testo.chars().any(|c| ('1'..='9').contains(&c)) {
        s.push('-');
    }
    s.push_str(&intero(intera.parse().unwrap_or(0)));
    if !frazione.is_empty() {
        s.push(',');
        s.push_str(frazione);
    }
    s
}

/// A duration for a summary: "0,6 s", "12 s", "3 min 20 s".
pub fn durata(secondi: f64) -> String {
    if secondi < 10.0 {
        format!("{} s", decimale(secondi, 1))
    } else if secondi < 60.0 {
        format!("{} s", decimale(secondi, 0))
    } else {
        let s = secondi.round() as u64;
        format!("{} min {} s", s / 60, s % 60)
    }
}

/// The edit distance between two names (insertions, deletions,
/// substitutions), by characters.
fn distanza(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut riga: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut precedente = riga[0];
        riga[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sopra = riga[j + 1];
            riga[j + 1] = (precedente + usize::from(ca != *cb))
                .min(riga[j] + 1)
                .min(sopra + 1);
            precedente = sopra;
        }
    }
    riga[b.len()]
}

/// The known name closest to a misspelled one, when it is close enough to
/// be what was meant: "ore_frequenza" → "ore_frequentate". Close enough is
/// a distance of at most a third of the name (at least 2), or one name
/// beginning the other.
pub fn piu_vicino<'a>(
    parola: &str,
    candidati: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let parola = parola.to_lowercase();
    candidati
        .into_iter()
        .filter(|c| !c.is_empty() && *c != parola)
        .map(|c| {
            let d = distanza(&parola, c);
            let prefisso = parola.len() >= 3 && (c.starts_with(&parola) || parola.starts_with(c));
            (if prefisso { d.min(1) } else { d }, c)
        })
        .filter(|(d, c)| *d <= (c.chars().count().max(parola.chars().count()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// An error of the file system in Italian, with what to do where it helps.
pub fn errore_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    // An error made by a program with its own message (often this one's,
    // already Italian) keeps it.
    if e.raw_os_error().is_none() && e.get_ref().is_some() {
        return in_italiano(&e.to_string());
    }
    let testo = match e.kind() {
        K::NotFound => "file o cartella inesistente: controllare il percorso",
        K::PermissionDenied => {
            "permesso negato: il file o la cartella non è accessibile a chi esegue il programma"
        }
        K::AlreadyExists => "esiste già",
        K::IsADirectory => "è una cartella, non un file",
        K::NotADirectory => "non è una cartella",
        K::DirectoryNotEmpty => "la cartella non è vuota",
        K::StorageFull => "spazio su disco esaurito: liberare spazio e riprovare",
        K::ReadOnlyFilesystem => "il disco è in sola lettura",
        K::InvalidFilename => "nome di file non valido o troppo lungo",
        K::CrossesDevices => "lo spostamento attraversa dischi diversi",
        K::UnexpectedEof => "il file finisce prima del previsto (troncato o danneggiato)",
        K::InvalidData => "contenuto non valido (file danneggiato o di un altro formato)",
        K::TimedOut => "tempo scaduto",
        K::Interrupted => "operazione interrotta",
        _ => return in_italiano(&e.to_string()),
    };
    testo.to_string()
}

/// The Italian for the texts the C library gives `errno` values, as Rust
/// prints them: "No such file or directory (os error 2)".
const ERRORI_OS: &[(u32, &str)] = &[
    (1, "operazione non permessa"),
    (2, "file o cartella inesistente: controllare il percorso"),
    (5, "errore di lettura o scrittura del disco"),
    (
        13,
        "permesso negato: il file o la cartella non è accessibile a chi esegue il programma",
    ),
    (17, "esiste già"),
    (18, "lo spostamento attraversa dischi diversi"),
    (20, "non è una cartella"),
    (21, "è una cartella, non un file"),
    (24, "troppi file aperti"),
    (28, "spazio su disco esaurito: liberare spazio e riprovare"),
    (30, "il disco è in sola lettura"),
    (36, "nome di file troppo lungo"),
    (39, "la cartella non è vuota"),
];

/// English fragments of library messages, with their Italian. Longer
/// fragments first where one contains another.
const FRASI: &[(&str, &str)] = &[
    (
        "file is not a database",
        "il file non è un registro SQLite (o è danneggiato)",
    ),
    (
        "database disk image is malformed",
        "il registro SQLite è danneggiato",
    ),
    (
        "database is locked",
        "il registro è in uso da un altro programma; riprovare",
    ),
    (
        "attempt to write a readonly database",
        "il registro è in sola lettura",
    ),
    (
        "unable to open database file",
        "impossibile aprire il file del registro: la cartella esiste ed è scrivibile?",
    ),
    (
        "Could not find central directory end",
        "non è uno zip valido o è troncato",
    ),
    ("Could not find EOCD", "non è uno zip valido o è troncato"),
    ("invalid Zip archive", "zip non valido"),
    (
        "stream did not contain valid UTF-8",
        "il testo non è in UTF-8",
    ),
    ("invalid utf-8 sequence", "il testo non è in UTF-8"),
];

/// A message with the English texts of OS and library errors it carries
/// replaced by their Italian; the rest is kept.
pub fn in_italiano(testo: &str) -> String {
    let mut s = testo.to_string();
    // "<description> (os error N)": the description is what follows the
    // last ": " before it, or the start of the message.
    while let Some(fine) = s.find(" (os error ") {
        let chiusa = match s[fine..].find(')') {
            Some(c) => fine + c + 1,
            None => break,
        };
        let codice: Option<u32> = s[fine + " (os error ".len()..chiusa - 1].parse().ok();
        let inizio = s[..fine].rfind(": ").map_or(0, |i| i + 2);
        let italiano = codice
            .and_then(|c| ERRORI_OS.iter().find(|(n, _)| *n == c))
            .map(|(_, t)| t.to_string())
            .unwrap_or_else(|| format!("errore del sistema n. {}", codice.unwrap_or(0)));
        s.replace_range(inizio..chiusa, &italiano);
    }
    for (inglese, italiano) in FRASI {
        if s.contains(inglese) {
            s = s.replace(inglese, italiano);
        }
    }
    s
}

/// A message of the JSON reader (syntax, or a value of the wrong kind) in
/// Italian: "missing field `nome` at line 3 column 1" becomes "manca il
/// campo obbligatorio «nome» (riga 3, colonna 1)". An unknown field gets
/// the closest known name as a suggestion.
pub fn json(messaggio: &str) -> String {
    let (corpo, dove) = match messaggio.rfind(" at line ") {
        Some(i) => {
            let resto = &messaggio[i + " at line ".len()..];
            let dove = match resto.split_once(" column ") {
                Some((r, c)) => format!(" (riga {r}, colonna {c})"),
                None => format!(" (riga {resto})"),
            };
            (&messaggio[..i], dove)
        }
        None => (messaggio, String::new()),
    };
    let nomi = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let tradotto = if let Some(campo) = corpo.strip_prefix("missing field ") {
        format!("manca il campo obbligatorio «{}»", campo.trim_matches('`'))
    } else if let Some(campo) = corpo.strip_prefix("duplicate field ") {
        format!("il campo «{}» è ripetuto", campo.trim_matches('`'))
    } else if let Some(resto) = corpo.strip_prefix("unknown field ") {
        let tutti = nomi(resto);
        let campo = tutti.first().cloned().unwrap_or_default();
        let ammessi = &tutti[1.min(tutti.len())..];
        let mut t = format!("campo «{campo}» sconosciuto");
        match piu_vicino(&campo, ammessi.iter().map(String::as_str)) {
            Some(v) => t.push_str(&format!(": forse «{v}»?")),
            None if !ammessi.is_empty() => {
                t.push_str(&format!("; campi ammessi: {}", ammessi.join(", ")))
            }
            None => {}
        }
        t
    } else if let Some(resto) = corpo.strip_prefix("unknown variant ") {
        let tutti = nomi(resto);
        let valore = tutti.first().cloned().unwrap_or_default();
        format!(
            "valore «{valore}» non ammesso; valori ammessi: {}",
            tutti[1.min(tutti.len())..].join(", ")
        )
    } else if let Some(resto) = corpo.strip_prefix("invalid type: ") {
        match resto.split_once(", expected ") {
            Some((trovato, atteso)) => format!(
                "tipo non valido: {}, atteso {}",
                genere_json(trovato),
                atteso_json(atteso)
            ),
            None => format!("tipo non valido: {resto}"),
        }
    } else if let Some(resto) = corpo.strip_prefix("invalid value: ") {
        match resto.split_once(", expected ") {
            Some((trovato, atteso)) => format!(
                "valore non valido: {}, atteso {}",
                genere_json(trovato),
                atteso_json(atteso)
            ),
            None => format!("valore non valido: {resto}"),
        }
    } else if let Some(resto) = corpo.strip_prefix("invalid length ") {
        match resto.split_once(", expected ") {
            Some((n, atteso)) => {
                format!("lunghezza {n} non valida, attesa {}", atteso_json(atteso))
            }
            None => format!("lunghezza non valida: {resto}"),
        }
    } else {
        sintassi_json(corpo)
    };
    format!("{tradotto}{dove}")
}

/// serde_json's syntax messages.
fn sintassi_json(corpo: &str) -> String {
    const SINTASSI: &[(&str, &str)] = &[
        ("EOF while parsing a list", "il file finisce prima che una lista [ … ] sia chiusa"),
        ("EOF while parsing an object", "il file finisce prima che un oggetto { … } sia chiuso"),
        ("EOF while parsing a string", "il file finisce dentro un testo: manca una virgoletta di chiusura"),
        ("EOF while parsing a value", "il file finisce dove era atteso un valore"),
        ("expected `:`", "atteso «:» dopo il nome del campo"),
        ("expected `,` or `]`", "atteso «,» o «]»: manca una virgola tra due elementi, o la chiusura della lista"),
        ("expected `,` or `}`", "atteso «,» o «}»: manca una virgola tra due campi, o la chiusura dell'oggetto"),
        ("expected ident", "parola non valida: fuori dalle virgolette sono ammessi solo true, false e null"),
        ("expected value", "atteso un valore (un testo tra virgolette, un numero, true, false, null, una lista o un oggetto)"),
        ("expected `\"`", "attese le virgolette"),
        ("invalid escape", "sequenza con \\ non valida in un testo"),
        ("invalid number", "numero non valido"),
        ("number out of range", "numero fuori intervallo"),
        ("invalid unicode code point", "carattere Unicode non valido"),
        ("control character (\\u0000-\\u001F) found while parsing a string", "carattere di controllo dentro un testo"),
        ("key must be a string", "i nomi dei campi vanno tra virgolette"),
        ("trailing comma", "virgola di troppo prima della chiusura"),
        ("trailing characters", "altro testo dopo la fine del JSON"),
        ("recursion limit exceeded", "annidamento troppo profondo"),
    ];
    SINTASSI
        .iter()
        .find(|(inglese, _)| corpo.starts_with(inglese))
        .map(|(_, italiano)| italiano.to_string())
        .unwrap_or_else(|| in_italiano(corpo))
}

/// What serde found: "string \"abc\"", "integer `5`", "map"…
fn genere_json(trovato: &str) -> String {
    const GENERI: &[(&str, &str)] = &[
        ("string ", "il testo "),
        ("integer ", "il numero intero "),
        ("floating point ", "il numero decimale "),
        ("boolean ", "il valore "),
        ("char ", "il carattere "),
    ];
    for (inglese, italiano) in GENERI {
        if let Some(resto) = trovato.strip_prefix(inglese) {
            return format!("{italiano}{resto}");
        }
    }
    match trovato {
        "null" => "null".into(),
        "map" => "un oggetto { … }".into(),
        "sequence" => "una lista [ … ]".into(),
        "unit value" => "un valore vuoto".into(),
        altro => altro.into(),
    }
}

/// What serde expected: "u32", "a string", "struct Corso"…
fn atteso_json(atteso: &str) -> String {
    let atteso = atteso.trim();
    match atteso {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => {
            "un numero intero".into()
        }
        "f32" | "f64" => "un numero".into(),
        "a string" | "a borrowed string" => "un testo tra virgolette".into(),
        "a boolean" => "true o false".into(),
        "a sequence" => "una lista [ … ]".into(),
        "a map" => "un oggetto { … }".into(),
        a if a.starts_with("struct ") => "un oggetto { … }".into(),
        a if a.starts_with("a sequence of length ") || a.starts_with("an array of length ") => {
            format!("una lista di {}", a.rsplit(' ').next().unwrap_or(""))
        }
        a => a.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurali() {
        assert_eq!(conta(1, "errore", "errori"), "1 errore");
        assert_eq!(conta(0, "errore", "errori"), "0 errori");
        assert_eq!(conta(2, "avviso", "avvisi"), "2 avvisi");
        assert_eq!(conta(12_345, "documento", "documenti"), "12.345 documenti");
    }

    #[test]
    fn decimali_con_la_virgola() {
        assert_eq!(decimale(0.6, 1), "0,6");
        assert_eq!(decimale(190.4, 0), "190");
        assert_eq!(decimale(1234.56, 1), "1.234,6");
        assert_eq!(decimale(-0.04, 1), "0,0");
        assert_eq!(durata(0.62), "0,6 s");
        assert_eq!(durata(200.0), "3 min 20 s");
    }

    #[test]
    fn il_nome_piu_vicino() {
        let colonne = ["ore_frequentate", "esito", "voto", "bollo_numero"];
        assert_eq!(
            piu_vicino("ore_frequenza", colonne),
            Some("ore_frequentate")
        );
        assert_eq!(piu_vicino("ore", colonne), Some("ore_frequentate"));
        assert_eq!(piu_vicino("vto", colonne), Some("voto"));
        assert_eq!(piu_vicino("indirizzo", colonne), None);
    }

    #[test]
    fn errori_del_sistema_in_italiano() {
        assert_eq!(
            in_italiano("out/a.pdf: No such file or directory (os error 2)"),
            "out/a.pdf: file o cartella inesistente: controllare il percorso"
        );
        assert_eq!(
            in_italiano("Permission denied (os error 13)"),
            "permesso negato: il file o la cartella non è accessibile a chi esegue il programma"
        );
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(errore_io(&io).contains("inesistente"));
    }

    #[test]
    fn errori_json_in_italiano() {
        assert_eq!(
            json("missing field `nome` at line 3 column 1"),
            "manca il campo obbligatorio «nome» (riga 3, colonna 1)"
        );
        assert_eq!(
            json("unknown field `titlo`, expected one of `id`, `titolo`, `tipo`"),
            "campo «titlo» sconosciuto: forse «titolo»?"
        );
        assert!(
            json("invalid type: string \"x\", expected u32 at line 2 column 9")
                .starts_with("tipo non valido: il testo \"x\", atteso un numero intero")
        );
        assert!(json("expected `,` or `}` at line 4 column 3").starts_with("atteso «,» o «}»"));
    }
}
