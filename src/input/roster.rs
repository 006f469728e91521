//! Rosters (`iscrizioni/`) and attendance registers (`presenze/`): table rows
//! into [`Iscrizione`] and [`Presenza`].
//!
//! Every cell problem is reported with its row and column, and a row with a
//! problem is still read as far as it can be so that the rest of the row's
//! problems show up in the same run.

use chrono::NaiveDate;

use super::tabella::{Cella, RigaTabella, Tabella};
use crate::diag::{Posizione, Problemi};
use crate::model::{
    Bollo, Esito, Genere, Iscrizione, Ore, Origine, Persona, Presenza, Ruolo, Uso, Voto, VotoModulo,
};

/// A column of a table: name, whether it is required, what it holds.
pub type Colonna = (&'static str, bool, &'static str);

/// Columns of a roster, in the order the README documents them.
pub const COLONNE_ISCRIZIONI: &[Colonna] = &[
    ("corso", true, "Course id, as in corsi/*.json"),
    (
        "cognome",
        true,
        "Surname(s), as printed: \"De Luca Bossi\", \"D'Angelo\"",
    ),
    ("nome", true, "Given name(s)"),
    (
        "codice_fiscale",
        true,
        "Tax code, 16 characters, check character verified",
    ),
    (
        "data_nascita",
        true,
        "Birth date: GG/MM/AAAA or AAAA-MM-GG (or a date cell)",
    ),
    (
        "luogo_nascita",
        true,
        "Birth place as printed: \"Roma\", \"Sant'Antioco (SU)\", \"Tirana (Albania)\"",
    ),
    ("ruolo", true, "allievo | uditore | corso_singolo"),
    (
        "genere",
        false,
        "M | F | X (chose not to indicate it: documents use wording without gender); empty: taken from the tax code",
    ),
    ("email", false, "E-mail address"),
    (
        "laureato",
        false,
        "sì/no: holds a degree (printed as dott./dott.ssa)",
    ),
    (
        "moduli",
        false,
        "For corso_singolo: module codes separated by ';'",
    ),
    (
        "voti",
        false,
        "For corso_singolo on several modules: one grade per module, \"DPA02: 28; DPA04: 30 e lode\"",
    ),
    (
        "ore_frequentate",
        false,
        "Total hours attended: 36, 36,5 or 36:30 (an attendance register in presenze/ replaces it)",
    ),
    (
        "esito",
        false,
        "Exam outcome: superato | non superato | assente",
    ),
    ("voto", false, "Grade: 28, \"30 e lode\", 95"),
    ("lode", false, "sì/no: honours, when not written in voto"),
    (
        "data_esame",
        false,
        "Date of the final exam (or of the single course's exam)",
    ),
    (
        "bollo",
        false,
        "How stamp duty was paid: contrassegno | virtuale | esente (empty: no stamped request yet)",
    ),
    (
        "bollo_numero",
        false,
        "For contrassegno: the 14-digit identifier of the contrassegno telematico",
    ),
    ("bollo_data", false, "For contrassegno: its issue date"),
    (
        "bollo_esenzione",
        false,
        "For esente: the reason or norm of the exemption",
    ),
    (
        "uso",
        false,
        "privati (default) | estero: decides the art. 40 DPR 445/2000 notice",
    ),
    (
        "data_rilascio",
        false,
        "Issue date printed on the certificate, if not the course's",
    ),
];

/// Columns of an attendance register.
pub const COLONNE_PRESENZE: &[Colonna] = &[
    ("corso", true, "Course id"),
    ("codice_fiscale", true, "Tax code of the participant"),
    ("modulo", true, "Module code, as in the course's moduli"),
    (
        "ore",
        true,
        "Hours attended in that module (rows for the same module add up)",
    ),
];

/// Reads the cells of one row by column name, recording problems as it goes.
struct Lettore<'a> {
    tabella: &'a Tabella,
    riga: &'a RigaTabella,
    problemi: &'a mut Problemi,
    ok: bool,
}

impl Lettore<'_> {
    fn origine(&self) -> Origine {
        Origine {
            file: self.tabella.file.clone(),
            riga: self.riga.numero,
            foglio: self.tabella.foglio.clone(),
        }
    }

    fn errore(&mut self, campo: &str, messaggio: String) {
        self.problemi
            .errore(Posizione::riga(&self.origine(), Some(campo)), messaggio);
        self.ok = false;
    }

    /// The cell of a column; an Excel error counts as absent here, being
    /// already reported once for the whole row.
    fn cella(&self, campo: &str) -> Option<&Cella> {
        let i = self.tabella.colonna(campo)?;
        self.riga
            .celle
            .get(i)
            .filter(|c| !c.is_vuota() && !matches!(c, Cella::Errore(_)))
    }

    fn ha_errore_excel(&self, campo: &str) -> bool {
        self.tabella
            .colonna(campo)
            .and_then(|i| self.riga.celle.get(i))
            .is_some_and(|c| matches!(c, Cella::Errore(_)))
    }

    fn testo(&self, campo: &str) -> Option<String> {
        self.cella(campo).map(Cella::testo)
    }

    fn obbligatorio(&mut self, campo: &str) -> String {
        match self.testo(campo) {
            Some(t) => t,
            None => {
                if !self.ha_errore_excel(campo) {
                    self.errore(campo, "valore mancante".into());
                }
                self.ok = false;
                String::new()
            }
        }
    }

    fn analizza<T>(&mut self, campo: &str, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let t = self.testo(campo)?;
        match f(&t) {
            Ok(v) => Some(v),
            Err(e) => {
                self.errore(campo, e);
                None
            }
        }
    }

    fn data(&mut self, campo: &str) -> Option<NaiveDate> {
        match self.cella(campo)?.clone() {
            Cella::Data(d) => Some(d),
            // A date column that lost its format in Excel shows the serial number.
            Cella::Numero(n)
                if self.tabella.da_foglio_di_calcolo && (1.0..200_000.0).contains(&n) =>
            {
                NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|e| e.checked_add_signed(chrono::Duration::days(n.trunc() as i64)))
            }
            c => match parse_data(&c.testo()) {
                Ok(d) => Some(d),
                Err(e) => {
                    let t = c.testo();
                    let seriale = t
                        .parse::<u32>()
                        .is_ok_and(|n| (1_000..100_000).contains(&n));
                    let e = if seriale {
                        format!("«{t}» sembra una data di Excel salvata come numero: formattare la colonna come data (GG/MM/AAAA) e riesportare il file")
                    } else {
                        e
                    };
                    self.errore(campo, e);
                    None
                }
            },
        }
    }
}

/// Dates as people type them: `2025-11-09`, `09/11/2025`, `9-11-2025`, `9.11.2025`.
///
/// The year has four digits: `25/07/97` is refused, not read as the year 97
/// (which a certificate would print as "25 luglio 97") nor guessed as 1997.
pub fn parse_data(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    // A time after the date (as a spreadsheet may export it) is dropped;
    // anything else after it is refused rather than lost.
    let t = match t.split_once(['T', ' ']) {
        Some((d, resto))
            if resto
                .trim()
                .chars()
                .all(|c| c.is_ascii_digit() || ":.Z+-".contains(c)) =>
        {
            d
        }
        Some(_) => {
            return Err(format!(
                "«{s}»: dopo la data c'è altro testo; scrivere solo la data (GG/MM/AAAA oppure AAAA-MM-GG)"
            ))
        }
        None => t,
    };
    let parti: Vec<&str> = t.split(['/', '-', '.']).collect();
    if let [a, _, c] = parti[..] {
        let anno = if a.len() > 2 { a } else { c };
        if anno.len() != 4 && anno.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "«{s}»: l'anno va scritto con quattro cifre (GG/MM/AAAA, ad esempio {}/{}/19{c} o 20{c})",
                parti[0], parti[1]
            ));
        }
    }
    for f in ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Ok(d);
        }
    }
    Err(format!(
        "«{s}» non è una data valida (usare GG/MM/AAAA oppure AAAA-MM-GG)"
    ))
}

fn parse_si_no(s: &str) -> Result<bool, String> {
    match s.trim().to_lowercase().as_str() {
        "sì" | "si" | "s" | "x" | "yes" | "y" | "1" | "true" | "vero" => Ok(true),
        "no" | "n" | "0" | "false" | "falso" => Ok(false),
        _ => Err(format!("«{s}» non è sì/no")),
    }
}

/// Grades as rosters write them: `28`, `30 e lode`, `30L`, `30/30`, `95/100`.
pub fn parse_voto(s: &str) -> Result<Voto, String> {
    let t = s.trim().to_lowercase();
    let (num, lode) = if let Some(n) = t.strip_suffix("e lode") {
        (n.trim(), true)
    } else if let Some(n) = t.strip_suffix("cum laude") {
        (n.trim(), true)
    } else if let Some(n) = t.strip_suffix('l') {
        (n.trim(), true)
    } else {
        (t.as_str(), false)
    };
    let errore = || format!("«{s}» non è un voto valido (esempi: 28, 30 e lode, 95)");
    // What follows a slash is the scale the grade is on: kept, so that the
    // rules can refuse a grade on another scale than the course's.
    let (num, scala) = match num.split_once('/') {
        Some((n, d)) => (
            n.trim(),
            Some(d.trim().parse::<u32>().map_err(|_| errore())?),
        ),
        None => (num, None),
    };
    // A spreadsheet may store 28 as 28.0.
    let num = num.strip_suffix(".0").unwrap_or(num);
    num.parse::<u32>()
        .map(|valore| Voto {
            valore,
            lode,
            scala,
        })
        .map_err(|_| errore())
}

/// Why a text cannot be printed as it is: it holds a control character
/// (NUL, line breaks, tabs, escape codes…), or a character no built-in font
/// can draw ([`super::glifi`]). Control characters are invisible, may cut
/// the text where the PDF or another program reads it, and never belong in a
/// name, a place or a code, so they are refused rather than silently removed:
/// the data is corrected at its source. `riga_singola` says whether line
/// breaks are refused too (cells of a table; long texts in JSON may have them).
pub fn carattere_non_stampabile(testo: &str, riga_singola: bool) -> Option<String> {
    let Some(c) = testo
        .chars()
        .find(|&c| c.is_control() && (riga_singola || !matches!(c, '\n' | '\r' | '\t')))
    else {
        return super::glifi::non_stampabile(testo);
    };
    Some(match c {
        '\0' => "il valore contiene un carattere nullo (NUL), che non si può stampare: riscrivere il valore senza di esso".into(),
        '\n' | '\r' => "il valore va a capo: scriverlo su una sola riga (in un CSV, controllare anche che ogni virgoletta \" aperta sia chiusa)".into(),
        '\t' => "il valore contiene una tabulazione: sostituirla con uno spazio".into(),
        c => format!(
            "il valore contiene il carattere di controllo U+{:04X}, invisibile e non stampabile: riscrivere il valore senza di esso",
            c as u32
        ),
    })
}

/// Reports every cell of a row holding a control character; false if any.
fn controlla_caratteri(t: &Tabella, riga: &RigaTabella, problemi: &mut Problemi) -> bool {
    let mut ok = true;
    for (i, cella) in riga.celle.iter().enumerate() {
        let messaggio = match cella {
            Cella::Testo(testo) => carattere_non_stampabile(testo.trim(), true),
            Cella::Errore(e) => Some(format!(
                "la cella contiene l'errore di Excel «{e}»: correggere la formula o scrivere il valore nel foglio"
            )),
            _ => None,
        };
        if let Some(messaggio) = messaggio {
            let campo = match t.intestazioni.get(i) {
                Some(h) if !h.is_empty() => h.clone(),
                _ => format!("colonna {}", i + 1),
            };
            problemi.errore(
                Posizione {
                    file: t.file.clone(),
                    foglio: t.foglio.clone(),
                    riga: Some(riga.numero),
                    campo: Some(campo),
                    percorso: None,
                },
                messaggio,
            );
            ok = false;
        }
    }
    ok
}

/// A CSV row with more or fewer values than the header has columns: a
/// separator inside an unquoted value, a quote left open or a value lost
/// shifted the row, and reading it by position would put values under the
/// wrong column.
fn controlla_colonne(t: &Tabella, riga: &RigaTabella, problemi: &mut Problemi) -> bool {
    let posizione = |campo: Option<String>| Posizione {
        file: t.file.clone(),
        foglio: t.foglio.clone(),
        riga: Some(riga.numero),
        campo,
        percorso: None,
    };
    // A value under a header cell left empty would be ignored, and it is
    // often a note meant for whoever issues the documents ("RITIRATO – NON
    // RILASCIARE"): never skipped in silence.
    let mut ok = true;
    for (i, c) in riga.celle.iter().enumerate() {
        let senza_nome = match t.intestazioni.get(i) {
            Some(h) => h.is_empty(),
            // Right of the header: in a spreadsheet a column with no name;
            // in a CSV a row with more values than the header (below).
            None => t.da_foglio_di_calcolo,
        };
        if senza_nome && !c.is_vuota() {
            problemi.errore(
                posizione(Some(format!(
                    "senza intestazione ({})",
                    nome_colonna(i, t.da_foglio_di_calcolo)
                ))),
                format!(
                    "«{}» è in una colonna senza intestazione, che non viene letta: se è un dato, dare alla colonna il suo nome; se è una nota, toglierla dal file (e intervenire sui dati della persona)",
                    c.testo()
                ),
            );
            ok = false;
        }
    }
    if t.da_foglio_di_calcolo {
        return ok;
    }
    // Trailing unnamed header columns ("a,b,c,,") are not columns: a row may
    // stop before them.
    let n = t
        .intestazioni
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1);
    let extra = riga
        .celle
        .iter()
        .skip(t.intestazioni.len())
        .any(|c| !c.is_vuota());
    if !extra && riga.celle.len() >= n {
        return ok;
    }
    problemi.errore(
        posizione(None),
        if extra {
            format!(
                "la riga ha {} valori ma l'intestazione ha {n} colonne: probabilmente un valore contiene il separatore senza essere tra virgolette, o una virgoletta non è chiusa",
                riga.celle.len()
            )
        } else {
            format!(
                "la riga ha {} valori ma l'intestazione ha {n} colonne: manca un valore o un separatore (anche le colonne vuote vanno separate)",
                riga.celle.len()
            )
        },
    );
    false
}

/// How a person finds a column: its letter in a spreadsheet (A, B, …, AA),
/// its position in a CSV ("colonna 7").
fn nome_colonna(indice: usize, foglio: bool) -> String {
    if !foglio {
        return format!("colonna {}", indice + 1);
    }
    let mut n = indice + 1;
    let mut lettere = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        lettere.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    lettere.reverse();
    format!(
        "colonna {}",
        String::from_utf8(lettere).expect("lettere ASCII")
    )
}

/// Checks the header and returns the problems of missing columns (then the
/// table cannot be read) and warnings for unknown ones (likely typos).
fn controlla_intestazioni(t: &Tabella, colonne: &[Colonna], problemi: &mut Problemi) -> bool {
    let mut ok = true;
    // Headers that are no column: a misspelled name is suggested its
    // column ("forse «ore_frequentate»?"), a missing column the header
    // that was probably meant for it.
    let ignote: Vec<&str> = t
        .intestazioni
        .iter()
        .map(String::as_str)
        .filter(|h| !h.is_empty() && !colonne.iter().any(|(n, _, _)| n == h))
        .collect();
    let mancanti: Vec<&str> = colonne
        .iter()
        .filter(|(n, _, _)| t.colonna(n).is_none())
        .map(|(n, _, _)| *n)
        .collect();
    for (nome, obbligatoria, _) in colonne {
        if *obbligatoria && t.colonna(nome).is_none() {
            let forse = crate::messaggi::piu_vicino(nome, ignote.iter().copied())
                .map(|h| format!(" (forse è «{h}»?)"))
                .unwrap_or_default();
            problemi.errore(
                Posizione {
                    file: t.file.clone(),
                    foglio: t.foglio.clone(),
                    riga: Some(1),
                    campo: Some((*nome).into()),
                    percorso: None,
                },
                format!("manca la colonna obbligatoria «{nome}» nell'intestazione{forse}"),
            );
            ok = false;
        }
    }
    for h in &t.intestazioni {
        if !h.is_empty() && !colonne.iter().any(|(n, _, _)| n == h) {
            problemi.avviso(
                Posizione {
                    file: t.file.clone(),
                    foglio: t.foglio.clone(),
                    riga: Some(1),
                    campo: Some(h.clone()),
                    percorso: None,
                },
                match crate::messaggi::piu_vicino(h, mancanti.iter().copied()) {
                    Some(v) => format!("colonna «{h}» sconosciuta: viene ignorata; forse «{v}»?"),
                    None => format!("colonna «{h}» sconosciuta: viene ignorata"),
                },
                None,
            );
        }
    }
    ok
}

/// The longest value a register ever holds in a field that names someone or
/// something, with the field: names and places beyond it are a paste gone
/// wrong (a whole paragraph in a cell), and would run off the page.
pub fn lunghezza_massima(campo: &str) -> Option<usize> {
    Some(match campo {
        "cognome" | "nome" | "luogo_nascita" | "citta" => 100,
        "email" | "pec" => 254,
        "titolo" => 300,
        _ => return None,
    })
}

/// Why a value is too long for its field, if it is. In the JSON files
/// `nome` also names offices and departments, which run longer than a
/// person's name: twice the limit there.
pub fn troppo_lungo(campo: &str, valore: &str) -> Option<String> {
    troppo_lungo_in(campo, valore, false)
}

/// [`troppo_lungo`], for a roster cell (`json` false) or a JSON value.
pub fn troppo_lungo_in(campo: &str, valore: &str, json: bool) -> Option<String> {
    let max = lunghezza_massima(campo)? * if json && campo == "nome" { 2 } else { 1 };
    let n = valore.chars().count();
    (n > max).then(|| {
        format!(
            "il valore ha {n} caratteri: per «{campo}» ne sono ammessi al più {max} (un testo incollato per errore?); scrivere solo {}",
            match campo {
                "cognome" => "il cognome",
                "nome" => "il nome",
                "luogo_nascita" => "il comune (o lo Stato estero) di nascita",
                "titolo" => "il titolo",
                "citta" => "la città",
                _ => "l'indirizzo",
            }
        )
    })
}

/// Reads a roster table.
pub fn iscrizioni(t: &Tabella, problemi: &mut Problemi) -> Vec<Iscrizione> {
    if !controlla_intestazioni(t, COLONNE_ISCRIZIONI, problemi) {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(t.righe.len());
    for riga in &t.righe {
        let leggibile =
            controlla_colonne(t, riga, problemi) & controlla_caratteri(t, riga, problemi);
        let mut l = Lettore {
            tabella: t,
            riga,
            problemi,
            ok: leggibile,
        };
        let corso = l.obbligatorio("corso");
        let cognome = l.obbligatorio("cognome");
        let nome = l.obbligatorio("nome");
        let codice_fiscale = l
            .obbligatorio("codice_fiscale")
            .to_uppercase()
            .replace(' ', "");
        let data_nascita = match l.data("data_nascita") {
            Some(d) => Some(d),
            None => {
                if l.cella("data_nascita").is_none() && !l.ha_errore_excel("data_nascita") {
                    l.errore("data_nascita", "valore mancante".into());
                }
                None
            }
        };
        let luogo_nascita = l.obbligatorio("luogo_nascita");
        for (campo, valore) in [
            ("cognome", &cognome),
            ("nome", &nome),
            ("luogo_nascita", &luogo_nascita),
        ] {
            if let Some(m) = troppo_lungo(campo, valore) {
                l.errore(campo, m);
            }
        }
        let ruolo = match l.testo("ruolo") {
            Some(_) => l.analizza("ruolo", str::parse::<Ruolo>),
            None => {
                l.obbligatorio("ruolo");
                None
            }
        };
        // An empty cell is not a choice: the tax code tells the gender. Only
        // an explicit `X` (the person chose not to indicate it) leaves it out,
        // and documents then use constructions without gender.
        let genere = l
            .analizza("genere", str::parse::<Genere>)
            .or_else(|| {
                crate::rules::codice_fiscale::dati_nascita(&codice_fiscale).map(|(_, _, _, g)| g)
            })
            .unwrap_or_default();
        let email = l.testo("email");
        if let Some(m) = email.as_deref().and_then(|e| troppo_lungo("email", e)) {
            l.errore("email", m);
        }
        let laureato = l.analizza("laureato", parse_si_no).unwrap_or(false);
        let moduli: Vec<String> = l
            .testo("moduli")
            .map(|m| {
                m.split([';', ','])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let ore_frequentate = l.analizza("ore_frequentate", |s| s.parse::<Ore>());
        let esito = l.analizza("esito", str::parse::<Esito>);
        let voto = l.analizza("voto", parse_voto);
        let voto = match (voto, l.analizza("lode", parse_si_no)) {
            (Some(v), Some(lode)) => Some(Voto {
                lode: v.lode || lode,
                ..v
            }),
            (v, _) => v,
        };
        let voti_moduli = voti_per_modulo(&mut l, ruolo, &moduli, voto);
        // With one grade per module there is no single grade of the enrolment.
        let voto = if voti_moduli.len() > 1 { None } else { voto };
        let data_esame = l.data("data_esame");
        let bollo = leggi_bollo(&mut l);
        let uso = l
            .analizza("uso", |s| match s.trim().to_lowercase().as_str() {
                "privati" | "privato" | "italia" => Ok(Uso::Privati),
                "estero" => Ok(Uso::Estero),
                _ => Err(format!(
                    "«{s}» non è un uso valido: usare privati oppure estero"
                )),
            })
            .unwrap_or_default();
        let data_rilascio = l.data("data_rilascio");
        let origine = l.origine();
        let (Some(ruolo), Some(data_nascita), true) = (ruolo, data_nascita, l.ok) else {
            continue;
        };
        out.push(Iscrizione {
            corso,
            persona: Persona {
                nome,
                cognome,
                codice_fiscale,
                data_nascita,
                luogo_nascita,
                genere,
                email,
                laureato,
            },
            ruolo,
            moduli,
            ore_frequentate,
            esito,
            voto,
            voti_moduli,
            data_esame,
            bollo,
            uso,
            data_rilascio,
            origine,
        });
    }
    out
}

/// The grades of a single-course enrolment, one per module (Art. 12: each
/// module is an exam of its own): the `voti` cell, `CODICE: voto` pairs
/// separated by `;` (`DPA02: 28; DPA04: 30 e lode`), every enrolled module
/// with its grade and no grade for a module not enrolled; with one module
/// only, `voto` may give its grade instead.
fn voti_per_modulo(
    l: &mut Lettore,
    ruolo: Option<Ruolo>,
    moduli: &[String],
    voto: Option<Voto>,
) -> Vec<VotoModulo> {
    let esempio = || {
        let es: Vec<String> = moduli
            .iter()
            .zip(["28", "30 e lode", "27", "25"].iter().cycle())
            .map(|(m, v)| format!("{m}: {v}"))
            .collect();
        es.join("; ")
    };
    let Some(cella) = l.testo("voti") else {
        if ruolo == Some(Ruolo::CorsoSingolo) && moduli.len() > 1 && voto.is_some() {
            l.errore(
                "voto",
                format!(
                    "l'iscrizione è a {} moduli e ognuno ha il suo esame (Art. 12): un voto solo non basta; indicare nella colonna voti un voto per modulo, per esempio «{}», e lasciare vuoto voto",
                    moduli.len(),
                    esempio()
                ),
            );
        }
        return match (ruolo, moduli, voto) {
            (Some(Ruolo::CorsoSingolo), [m], Some(v)) => vec![VotoModulo {
                modulo: m.clone(),
                voto: v,
            }],
            _ => Vec::new(),
        };
    };
    if ruolo != Some(Ruolo::CorsoSingolo) {
        l.errore(
            "voti",
            "i voti per modulo si indicano solo per un'iscrizione a corso singolo: per allievi e uditori usare la colonna voto".into(),
        );
        return Vec::new();
    }
    if voto.is_some() {
        l.errore(
            "voto",
            "il voto è già indicato per modulo nella colonna voti: lasciare vuoto voto".into(),
        );
    }
    let mut out: Vec<VotoModulo> = Vec::new();
    let mut leggibili = true;
    for parte in cella.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((modulo, valore)) = parte.split_once(':') else {
            l.errore(
                "voti",
                format!("«{parte}»: scrivere il codice del modulo, due punti e il voto, per esempio «{}»", esempio()),
            );
            leggibili = false;
            continue;
        };
        let (modulo, valore) = (modulo.trim(), valore.trim());
        if !moduli.iter().any(|m| m.eq_ignore_ascii_case(modulo)) {
            l.errore(
                "voti",
                format!(
                    "«{parte}»: il modulo «{modulo}» non è tra quelli dell'iscrizione (colonna moduli: {}); correggere il codice o aggiungere il modulo a moduli",
                    moduli.join("; ")
                ),
            );
            continue;
        }
        if out.iter().any(|v| v.modulo.eq_ignore_ascii_case(modulo)) {
            l.errore("voti", format!("il modulo «{modulo}» ha più di un voto"));
            continue;
        }
        match parse_voto(valore) {
            Ok(v) => out.push(VotoModulo {
                modulo: modulo.to_string(),
                voto: v,
            }),
            Err(e) => {
                l.errore("voti", format!("modulo «{modulo}»: {e}"));
                leggibili = false;
            }
        }
    }
    let mancanti: Vec<&str> = moduli
        .iter()
        .filter(|m| !out.iter().any(|v| v.modulo.eq_ignore_ascii_case(m)))
        .map(String::as_str)
        .collect();
    if !mancanti.is_empty() && leggibili {
        l.errore(
            "voti",
            format!(
                "manca il voto {} {}: ogni modulo ha il suo esame (Art. 12); scrivere per esempio «{}»",
                if mancanti.len() == 1 { "del modulo" } else { "dei moduli" },
                mancanti.join(", "),
                esempio()
            ),
        );
    }
    out
}

fn leggi_bollo(l: &mut Lettore) -> Option<Bollo> {
    let modo = l.testo("bollo")?;
    match modo.trim().to_lowercase().as_str() {
        "contrassegno" | "marca" | "marca da bollo" | "contrassegno telematico" => {
            let numero = l
                .testo("bollo_numero")
                .unwrap_or_default()
                .replace([' ', '.'], "");
            if numero.is_empty() {
                l.errore(
                    "bollo_numero",
                    "con il bollo «contrassegno» serve il numero identificativo (14 cifre)".into(),
                );
            } else if numero.len() != 14 || !numero.bytes().all(|b| b.is_ascii_digit()) {
                l.errore(
                    "bollo_numero",
                    format!(
                        "«{numero}»: il contrassegno telematico ha un identificativo di 14 cifre"
                    ),
                );
            }
            let data = l.data("bollo_data");
            if data.is_none() && l.cella("bollo_data").is_none() {
                l.errore(
                    "bollo_data",
                    "con il bollo «contrassegno» serve la data di emissione del contrassegno"
                        .into(),
                );
            }
            Some(Bollo::Contrassegno {
                numero,
                data: data?,
            })
        }
        "virtuale" | "modo virtuale" => Some(Bollo::Virtuale),
        "esente" | "esenzione" | "carta libera" => match l.testo("bollo_esenzione") {
            Some(motivo) => Some(Bollo::Esente { motivo }),
            None => {
                l.errore(
                    "bollo_esenzione",
                    "con il bollo «esente» serve il motivo o la norma dell'esenzione".into(),
                );
                None
            }
        },
        _ => {
            l.errore(
                "bollo",
                format!(
                    "«{modo}» non è un modo valido: usare contrassegno, virtuale oppure esente"
                ),
            );
            None
        }
    }
}

/// Reads an attendance register table.
pub fn presenze(t: &Tabella, problemi: &mut Problemi) -> Vec<Presenza> {
    if !controlla_intestazioni(t, COLONNE_PRESENZE, problemi) {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(t.righe.len());
    for riga in &t.righe {
        let leggibile =
            controlla_colonne(t, riga, problemi) & controlla_caratteri(t, riga, problemi);
        let mut l = Lettore {
            tabella: t,
            riga,
            problemi,
            ok: leggibile,
        };
        let corso = l.obbligatorio("corso");
        let codice_fiscale = l
            .obbligatorio("codice_fiscale")
            .to_uppercase()
            .replace(' ', "");
        let modulo = l.obbligatorio("modulo");
        let ore = if l.testo("ore").is_none() {
            l.obbligatorio("ore");
            None
        } else {
            l.analizza("ore", |s| s.parse::<Ore>())
        };
        let origine = l.origine();
        if let (Some(ore), true) = (ore, l.ok) {
            out.push(Presenza {
                corso,
                codice_fiscale,
                modulo,
                ore,
                origine,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voti() {
        assert_eq!(
            parse_voto("30 e lode").unwrap(),
            Voto {
                valore: 30,
                lode: true,
                scala: None
            }
        );
        assert_eq!(
            parse_voto("30L").unwrap(),
            Voto {
                valore: 30,
                lode: true,
                scala: None
            }
        );
        assert_eq!(
            parse_voto("95/100").unwrap(),
            Voto {
                valore: 95,
                lode: false,
                scala: Some(100)
            }
        );
        assert_eq!(
            parse_voto("28.0").unwrap(),
            Voto {
                valore: 28,
                lode: false,
                scala: None
            }
        );
        assert!(parse_voto("ottimo").is_err());
        assert!(parse_voto("95/centodieci").is_err());
        assert_eq!(parse_voto("30/30 e lode").unwrap().scala, Some(30));
    }

    #[test]
    fn nomi_delle_colonne() {
        assert_eq!(nome_colonna(0, true), "colonna A");
        assert_eq!(nome_colonna(25, true), "colonna Z");
        assert_eq!(nome_colonna(26, true), "colonna AA");
        assert_eq!(nome_colonna(6, false), "colonna 7");
    }

    #[test]
    fn date() {
        assert!(parse_data("09/11/2025 (circa)").is_err());
        assert_eq!(
            parse_data("2025-11-09 10:30:00").unwrap(),
            NaiveDate::from_ymd_opt(2025, 11, 9).unwrap()
        );
        for s in ["25/07/97", "25-07-97", "97-07-25", "1/2/025"] {
            let e = parse_data(s).unwrap_err();
            assert!(e.contains("quattro cifre"), "{s}: {e}");
        }
        let d = NaiveDate::from_ymd_opt(2025, 11, 9).unwrap();
        assert_eq!(parse_data("09/11/2025").unwrap(), d);
        assert_eq!(parse_data("2025-11-09").unwrap(), d);
        assert_eq!(parse_data("9.11.2025").unwrap(), d);
        assert!(parse_data("31/02/2025").is_err());
    }
}
