//! The domain types: what a post-lauream office knows about its university, its
//! courses and the people enrolled in them.
//!
//! These are plain data. The JSON parts of a dataset (`ateneo.json`,
//! `corsi/*.json`) deserialize straight into [`Ateneo`] and [`Corso`]; the
//! rosters (CSV or Excel) are read row by row by [`crate::input`] into
//! [`Iscrizione`]. Nothing here checks the regulations: that is
//! [`crate::rules`]' job, so that every problem can be reported at once instead
//! of failing on the first.
//!
//! Italian names are used where English has no exact equivalent
//! (`bollo`, `uditore`, `pergamena`, `SSD`, `CFU`).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date, written `YYYY-MM-DD` in the dataset.
pub type Data = NaiveDate;

// ---------------------------------------------------------------------------
// Exact quantities
// ---------------------------------------------------------------------------

/// An amount of money in euro cents. Money is never a float.
///
/// In JSON it is written either as a whole number of euros (`2500`) or as a
/// decimal string with dot or comma (`"2500.00"`, `"1.250,50"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Importo(pub i64);

impl Importo {
    /// The amount in cents, for exact sums and comparisons.
    pub fn cents(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Importo {
    /// As documents and messages print money: "€ 1.250,00", "€ -3,50".
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let cents = self.0;
        let segno = if cents < 0 { "-" } else { "" };
        let cents = cents.unsigned_abs();
        write!(f, "€ {segno}{},{:02}", migliaia(cents / 100), cents % 100)
    }
}

/// A whole number with Italian thousands dots: 1500 → "1.500". Money
/// ([`Importo`]'s display) and the hours a call announces are written so.
pub fn migliaia(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

impl FromStr for Importo {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_decimal(s.trim().trim_start_matches('€').trim(), 2)
            .map(Importo)
            .ok_or_else(|| format!("«{s}» non è un importo valido (esempio: 1250,00)"))
    }
}

impl<'de> Deserialize<'de> for Importo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Str(String),
            Float(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Int(euro) => euro.checked_mul(100).map(Importo).ok_or_else(|| {
                serde::de::Error::custom(format!("importo {euro}: numero troppo grande"))
            }),
            Raw::Str(s) => s.parse().map_err(serde::de::Error::custom),
            Raw::Float(f) => Err(serde::de::Error::custom(format!(
                "importo {f}: scrivere gli importi con decimali tra virgolette, per esempio \"{f:.2}\", \
                 perché i numeri con la virgola non sono esatti"
            ))),
        }
    }
}

impl Serialize for Importo {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(&format!("{}.{:02}", self.0 / 100, (self.0 % 100).abs()))
    }
}

impl JsonSchema for Importo {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Importo".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Euro: a whole number of euros, or a decimal string such as \"1250.00\" or \"1.250,00\".",
            "oneOf": [
                {"type": "integer"},
                {"type": "string", "pattern": "^€?\\s*[0-9.]+(,[0-9]{1,2})?$|^€?\\s*[0-9]+(\\.[0-9]{1,2})?$"}
            ]
        })
    }
}

/// A duration in minutes. Rosters and attendance registers write hours as
/// `36`, `36,5`, `36.5` or `36:30`; keeping minutes makes the 75% threshold
/// exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ore(pub u32);

impl Ore {
    /// A whole number of hours. Saturating: an absurd number of hours is
    /// reported by the rules, not turned into a panic.
    pub fn from_hours(h: u32) -> Self {
        Ore(h.saturating_mul(60))
    }

    /// The duration in minutes, the unit every attendance threshold is
    /// computed in.
    pub fn minutes(self) -> u32 {
        self.0
    }
}

impl std::ops::Add for Ore {
    type Output = Ore;
    /// Saturating: a roster's absurd hours are caught by the rules, not
    /// turned into a panic or a wrapped small number.
    fn add(self, o: Ore) -> Ore {
        Ore(self.0.saturating_add(o.0))
    }
}

impl std::iter::Sum for Ore {
    fn sum<I: Iterator<Item = Ore>>(iter: I) -> Ore {
        Ore(iter.fold(0u32, |a, o| a.saturating_add(o.0)))
    }
}

impl fmt::Display for Ore {
    /// Italian style: `36`, `36,5`, `12,25`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let (h, m) = (self.0 / 60, self.0 % 60);
        if m == 0 {
            write!(f, "{h}")
        } else if (m * 100) % 60 == 0 {
            let dec = format!("{:02}", m * 100 / 60);
            write!(f, "{h},{}", dec.trim_end_matches('0'))
        } else {
            write!(f, "{h} h {m} min")
        }
    }
}

impl FromStr for Ore {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || format!("«{s}» non è un numero di ore valido (esempi: 36, 36,5, 36:30)");
        if let Some((h, m)) = t.split_once(':') {
            let h: u32 = h.trim().parse().map_err(|_| bad())?;
            let m: u32 = m.trim().parse().map_err(|_| bad())?;
            if m >= 60 {
                return Err(bad());
            }
            // Checked: a mistyped "99999999:00" is an error, not a wrapped number.
            return h
                .checked_mul(60)
                .and_then(|x| x.checked_add(m))
                .map(Ore)
                .ok_or_else(bad);
        }
        // Hundredths of an hour, then to minutes; reject what is not a whole minute.
        let hundredths = parse_decimal(t, 2).ok_or_else(bad)?;
        let per60 = hundredths.checked_mul(60).ok_or_else(bad)?;
        if hundredths < 0 || per60 % 100 != 0 {
            return Err(bad());
        }
        u32::try_from(per60 / 100).map(Ore).map_err(|_| bad())
    }
}

impl<'de> Deserialize<'de> for Ore {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u32),
            Str(String),
            Float(f64),
        }
        match Raw::deserialize(d)? {
            Raw::Int(h) => h
                .checked_mul(60)
                .map(Ore)
                .ok_or_else(|| serde::de::Error::custom(format!("{h} ore: numero troppo grande"))),
            Raw::Str(s) => s.parse().map_err(serde::de::Error::custom),
            Raw::Float(f) => format!("{f}").parse().map_err(serde::de::Error::custom),
        }
    }
}

impl Serialize for Ore {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(&self.to_string())
    }
}

impl JsonSchema for Ore {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ore".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Hours: a number (36, 36.5) or a string (\"36,5\", \"36:30\").",
            "oneOf": [{"type": "number", "minimum": 0}, {"type": "string"}]
        })
    }
}

/// Parses a non-negative decimal with at most `places` decimals into an
/// integer scaled by `10^places`. Accepts Italian (`1.250,50`) and plain
/// (`1250.50`) notation; a lone separator followed by exactly three digits is
/// read as a thousands separator only when it is a dot in a number that also
/// has a comma.
pub fn parse_decimal(s: &str, places: u32) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (int_part, frac_part) = if s.contains(',') {
        // Italian: dots group thousands, the comma is the decimal mark.
        let (i, f) = s.rsplit_once(',')?;
        (i.replace('.', ""), f.to_string())
    } else if let Some((i, f)) = s.rsplit_once('.') {
        (i.to_string(), f.to_string())
    } else {
        (s.to_string(), String::new())
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
        || frac_part.len() > places as usize
    {
        return None;
    }
    let int: i64 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().ok()?
    };
    let mut frac: i64 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().ok()?
    };
    for _ in frac_part.len()..places as usize {
        frac *= 10;
    }
    int.checked_mul(10i64.pow(places))?.checked_add(frac)
}

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

/// The grammatical gender used to agree Italian words with a person
/// (*nato/nata*, *dott./dott.ssa*, *la Rettrice*). Documents never print a
/// slash form (*nato/a*): a person who chose `X` gets constructions without
/// gender ("data e luogo di nascita: …"); a roster row that leaves the gender
/// empty takes it from the tax code; a signatory or committee member needs
/// `M` or `F` (given, or told by a title such as "Prof.ssa"), since the
/// office they hold agrees with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, Default)]
pub enum Genere {
    /// `M`: masculine forms (*nato*, *dott.*, *il Rettore*).
    #[serde(rename = "M", alias = "m", alias = "maschile")]
    Maschile,
    /// `F`: feminine forms (*nata*, *dott.ssa*, *la Rettrice*).
    #[serde(rename = "F", alias = "f", alias = "femminile")]
    Femminile,
    /// `X`: not indicated, by the person's choice; documents use
    /// constructions without gender ("data e luogo di nascita: …").
    #[default]
    #[serde(rename = "X", alias = "x", alias = "")]
    NonIndicato,
}

impl Genere {
    /// The gender a title tells: "Prof.ssa", "Dott.ssa", "Sig.ra" are
    /// feminine. A masculine-looking title ("Prof.", "Dott.", "Avv.") is no
    /// proof: many women write it too, so it tells nothing.
    pub fn dal_titolo(titolo: &str) -> Option<Genere> {
        let t = titolo.trim().trim_end_matches('.').to_lowercase();
        let femminile = t.ends_with("ssa")
            || t.ends_with(".ra")
            || t.ends_with(".na")
            || matches!(
                t.as_str(),
                "sig.ra" | "sig.na" | "signora" | "dottoressa" | "professoressa"
            );
        femminile.then_some(Genere::Femminile)
    }

    /// The gender the office of someone agrees with: `genere` when it is
    /// `M` or `F`, otherwise (absent or `X`) what the title tells; `None`
    /// when neither says, since an office has no wording without gender.
    pub fn della_carica(genere: Option<Genere>, titolo: Option<&str>) -> Option<Genere> {
        match genere {
            Some(g @ (Genere::Maschile | Genere::Femminile)) => Some(g),
            _ => titolo.and_then(Genere::dal_titolo),
        }
    }
}

impl FromStr for Genere {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_uppercase().as_str() {
            "M" | "MASCHILE" | "MASCHIO" => Ok(Genere::Maschile),
            "F" | "FEMMINILE" | "FEMMINA" => Ok(Genere::Femminile),
            "" | "X" | "N" | "NON INDICATO" => Ok(Genere::NonIndicato),
            _ => Err(format!(
                "«{s}» non è un genere valido: usare M, F oppure X (non indicato)"
            )),
        }
    }
}

/// Someone who signs: a rector, a director, the head of an office.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Firmatario {
    /// Given name(s), as printed: "Maria Grazia".
    pub nome: String,
    /// Surname(s), as printed.
    pub cognome: String,
    /// Academic or professional title as printed before the name: "Prof.", "Prof.ssa", "Dott.".
    #[serde(default)]
    pub titolo: Option<String>,
    /// Agrees the office with the person: "il Rettore" or "la Rettrice".
    /// `M` or `F`; when absent, a feminine title ("Prof.ssa") tells it,
    /// otherwise the data is refused.
    #[serde(default)]
    pub genere: Option<Genere>,
}

impl Firmatario {
    /// The gender the office agrees with ([`Genere::della_carica`]).
    pub fn genere_carica(&self) -> Option<Genere> {
        Genere::della_carica(self.genere, self.titolo.as_deref())
    }
}

/// A person enrolled in a course: the data the documents print about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Persona {
    /// Given name(s), as printed: "Niccolò", "Andrea Salvatore".
    pub nome: String,
    /// Surname(s), as printed: "D'Angelo", "De Luca Bossi".
    pub cognome: String,
    /// Codice fiscale: 16 characters with check character (omocodia letters allowed).
    /// It identifies the person across rosters, attendance registers and the
    /// registry of issued documents.
    pub codice_fiscale: String,
    /// Date of birth, printed on parchments and certificates; checked against
    /// the tax code.
    pub data_nascita: Data,
    /// Place of birth as printed: "Roma", "Sant'Anna Arresi (SU)", "Tirana (Albania)".
    pub luogo_nascita: String,
    /// Agrees the documents with the person (*nato/nata*); when given, checked
    /// against the tax code. A roster cell left empty takes the tax code's
    /// gender; `X` (the person chose not to indicate it) gives constructions
    /// without gender.
    #[serde(default)]
    pub genere: Genere,
    /// E-mail address, as the roster has it; no document prints it.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the person holds a degree, for "dott./dott.ssa" (allievi of a post-lauream course do).
    #[serde(default)]
    pub laureato: bool,
}

// ---------------------------------------------------------------------------
// The university
// ---------------------------------------------------------------------------

/// An office of the university or of a department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ufficio {
    /// Name as printed in letterheads and calls: "Ufficio Post Lauream e Alta Formazione".
    pub nome: String,
    /// Postal address: "Via dei Mille 8, 52025 Montevarchi (AR)".
    #[serde(default)]
    pub indirizzo: Option<String>,
    /// E-mail address for enquiries.
    #[serde(default)]
    pub email: Option<String>,
    /// Certified e-mail address (PEC), for formal communications.
    #[serde(default)]
    pub pec: Option<String>,
    /// Telephone number as printed: "+39 055 000 4410".
    #[serde(default)]
    pub telefono: Option<String>,
    /// The head of the office, who signs what the office issues.
    #[serde(default)]
    pub responsabile: Option<Firmatario>,
}

/// How the university pays stamp duty virtually (art. 15 DPR 642/1972), when it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BolloVirtuale {
    /// The Agenzia delle Entrate office that authorised it: "Ufficio territoriale di Pisa".
    pub ufficio: String,
    /// Number of the authorisation, as the Agenzia wrote it: "38214/2019".
    pub autorizzazione_numero: String,
    /// Date of the authorisation.
    pub autorizzazione_data: Data,
}

/// Stamp-duty settings of the university.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpostaBollo {
    /// Amount per sheet; EUR 16.00 since 2013.
    #[serde(default = "default_bollo")]
    pub importo: Importo,
    /// Present when the university is authorised to pay the duty virtually.
    #[serde(default)]
    pub virtuale: Option<BolloVirtuale>,
}

fn default_bollo() -> Importo {
    Importo(1600)
}

impl Default for ImpostaBollo {
    fn default() -> Self {
        ImpostaBollo {
            importo: default_bollo(),
            virtuale: None,
        }
    }
}

/// A window for course proposals (Art. 3, 32; Guidelines §1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinestraProposta {
    /// Day and month by which proposals are approved, "MM-DD": "03-31".
    pub entro: String,
    /// What the window covers, as the regulation says it.
    pub avvio: String,
}

/// Levies the university withholds on a course's revenue; these differ between
/// universities (Art. 4, 18, 26 vs Guidelines §3).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prelievi {
    /// Per-student regional right-to-study tax (Master only), if charged.
    #[serde(default)]
    pub tassa_regionale: Option<Importo>,
    /// Percentages withheld, in basis points (500 = 5%), with what they are for.
    #[serde(default)]
    pub ritenute: Vec<Ritenuta>,
}

/// A share of a course's revenue the university withholds: 5% for the
/// university budget and 5% for the common fund (Art. 4.7, 4.8), or 15%, 20%
/// above EUR 50,000 (Guidelines §3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ritenuta {
    /// What the share is for, as the financial plan names it: "quota destinata al bilancio di Ateneo".
    pub descrizione: String,
    /// Basis points: 500 = 5%.
    pub punti_base: u32,
    /// Applies only when revenue exceeds this amount.
    #[serde(default)]
    pub oltre: Option<Importo>,
}

/// What differs between universities' regulations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfiloRegolamento {
    /// The regulation as cited in documents: "Regolamento dei corsi di Alta Formazione".
    pub nome: String,
    /// How it was issued: "D.R. n. 1234 del 10 ottobre 2022".
    #[serde(default)]
    pub emanazione: Option<String>,
    /// What the university withholds on each course's revenue (Art. 4, 18, 26; Guidelines §3).
    #[serde(default)]
    pub prelievi: Prelievi,
    /// The windows for proposing courses, in the year's order (Art. 3.2, 32; Guidelines §1).
    #[serde(default)]
    pub finestre_proposta: Vec<FinestraProposta>,
    /// Decree number format; `{numero}`, `{anno}` and `{data}` are replaced:
    /// "D.R. n. {numero} del {data}", "DR/{anno}/{numero}".
    #[serde(default = "default_formato_decreto")]
    pub formato_decreto: String,
    /// Minimum attendance the university allows, percent (Art. 2.6: 75).
    #[serde(default = "default_frequenza")]
    pub frequenza_minima: u32,
    /// Whether the enrolment fee may be split into instalments (`quote.rate`
    /// of a course). The regulation says no (Art. 8.5, 20.5, 28.5: "non è
    /// prevista la rateizzazione"): default `false`. Even when allowed,
    /// every instalment falls due before the course starts, since the fee
    /// "deve essere versata prima dell'avvio del corso".
    #[serde(default)]
    pub rateizzazione: bool,
    /// Whether a course may award CFU without a final test of the skills
    /// acquired. The guidelines make credits depend on attendance and on
    /// passing such a test (Guidelines §5): default `false`, so a course
    /// with CFU has a `prova_finale`.
    #[serde(default)]
    pub crediti_senza_prova: bool,
    /// By when candidates must hold the access title, by chapter of the
    /// regulation: the call's deadline for Masters (Art. 6.6), the day of
    /// the selection for the other courses (Art. 19.1, 27.1).
    #[serde(default)]
    pub titoli_posseduti_entro: TerminiTitoli,
}

/// By when the access title is held, for Masters and for the other courses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminiTitoli {
    /// Masters (Art. 6.6: the call's deadline).
    #[serde(default = "termine_scadenza")]
    pub master: TermineTitolo,
    /// Perfezionamento, formazione, aggiornamento and schools (Art. 19.1, 27.1: the selection).
    #[serde(default = "termine_selezione")]
    pub altri: TermineTitolo,
}

impl Default for TerminiTitoli {
    fn default() -> Self {
        TerminiTitoli {
            master: termine_scadenza(),
            altri: termine_selezione(),
        }
    }
}

fn termine_scadenza() -> TermineTitolo {
    TermineTitolo::Scadenza
}

fn termine_selezione() -> TermineTitolo {
    TermineTitolo::Selezione
}

/// The day by which an access title is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TermineTitolo {
    /// The call's deadline for applications.
    Scadenza,
    /// The day of the selection.
    Selezione,
}

fn default_formato_decreto() -> String {
    "D.R. n. {numero} del {data}".into()
}

fn default_frequenza() -> u32 {
    75
}

/// The university profile: `ateneo.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ateneo {
    /// Full name: "Università degli Studi di Valdarno".
    pub nome: String,
    /// Short name: "UniValdarno". It names the university in the archive's
    /// object identifiers and in the registry; the full name stands in when
    /// it is absent.
    #[serde(default)]
    pub sigla: Option<String>,
    /// The city printed before the date of every document: "Montevarchi, 9 novembre 2025".
    pub citta: String,
    /// Postal address of the seat, for the letterhead.
    #[serde(default)]
    pub indirizzo: Option<String>,
    /// Website, where calls say the rankings and exam calendars are published.
    #[serde(default)]
    pub sito_web: Option<String>,
    /// Logo file inside the dataset (PNG, JPEG or SVG), relative to the dataset directory.
    #[serde(default)]
    pub logo: Option<String>,
    /// The Rector, who issues decrees and confers the Master's title (Art. 3.4, 14.2).
    pub rettore: Firmatario,
    /// The Director General, who countersigns parchments (Art. 14.2).
    pub direttore_generale: Firmatario,
    /// The office that issues calls, decrees, titles and certificates.
    pub ufficio_post_lauream: Ufficio,
    /// Stamp duty on certificates (DPR 642/1972): amount and, when authorised, virtual payment.
    #[serde(default)]
    pub bollo: ImpostaBollo,
    /// The university's own settings of the regulation.
    pub regolamento: ProfiloRegolamento,
    /// Laws and university acts recited as "VISTO/VISTA" in every decree,
    /// as the office writes them: "la Legge 9 maggio 1989, n. 168, ...".
    /// The legal basis of each kind of course (D.M. 270/2004 for Masters,
    /// D.P.R. 162/1982 and L. 341/1990 for the others) is not listed here:
    /// each decree recites the basis of the kinds it concerns.
    #[serde(default)]
    pub riferimenti_normativi: Vec<String>,
    /// The decree activating the year's whole offer, when the university issues one.
    #[serde(default)]
    pub decreto_offerta: Option<Decreto>,
    /// Data-protection notice for calls: controller, DPO contact, where the full notice is.
    #[serde(default)]
    pub protezione_dati: Option<String>,
    /// The public verification page's address, saying where a document's
    /// verification code goes: `{codice}` anywhere in it
    /// ("https://ateneo.it/verifica?codice={codice}&lingua=it"), or a prefix
    /// ending in `/`, `=` or `#` that the code follows
    /// ("https://verifica.ateneo.it/#"). Certificates and parchments print
    /// the whole address, and their QR code encodes exactly it. Without it
    /// the QR encodes the bare code.
    #[serde(default)]
    pub url_verifica: Option<String>,
    /// Where the office keeps its registry of issued documents (numbers,
    /// verification codes, revocations): a path relative to the dataset
    /// directory, or absolute, e.g. "../registro-post-lauream.sqlite". Every
    /// build of the dataset uses it, whatever its output directory, so that a
    /// document has one number and one code however many folders it is
    /// published in. Default: `registro.sqlite` beside `ateneo.json`.
    #[serde(default)]
    pub registro: Option<String>,
}

/// A rector's decree as registered: repertory number, date, protocol, and
/// the recitals specific to it (the university's standard ones are added).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decreto {
    /// Repertory number: "417".
    pub numero: String,
    /// Date of the decree: the repertory number is unique within its year.
    pub data: Data,
    /// Protocol number, if the decree is also registered there: "prot. n. 12345".
    #[serde(default)]
    pub protocollo: Option<String>,
    /// Extra "VISTO" recitals for this decree.
    #[serde(default)]
    pub visti: Vec<String>,
    /// "CONSIDERATO" recitals for this decree.
    #[serde(default)]
    pub considerato: Vec<String>,
}

/// Who issues a decree, and so in whose repertory it is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Emanante {
    /// The Rector: the university's repertory of rector's decrees.
    Rettore,
    /// The Director (President) of the course's department: the
    /// department's own repertory (Art. 11.3).
    Dipartimento,
}

/// What an examining committee is appointed for: it decides who appoints
/// it (Art. 11.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FinalitaCommissione {
    /// The admission selection: appointed by rector's decree.
    Selezione,
    /// The final exam: appointed by the President (Director) of the
    /// department on the course director's proposal, at least two members
    /// (Art. 11.3; Guidelines §5).
    ProvaFinale,
}

/// A resolution of a university body, recited in decrees and calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delibera {
    /// "Consiglio di Dipartimento di Scienze Giuridiche", "Senato Accademico".
    pub organo: String,
    /// Date of the meeting that passed it.
    pub data: Data,
    /// What it resolved, as recited: "proposta di attivazione del corso".
    #[serde(default)]
    pub oggetto: Option<String>,
}

// ---------------------------------------------------------------------------
// Courses
// ---------------------------------------------------------------------------

/// The course kinds of the regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TipoCorso {
    /// Master universitario di I livello (Art. 2).
    MasterI,
    /// Master universitario di II livello (Art. 2).
    #[serde(rename = "master_ii")]
    MasterII,
    /// Corso di perfezionamento (Art. 16–23).
    Perfezionamento,
    /// Corso di formazione (Art. 24–31).
    Formazione,
    /// Corso di aggiornamento professionale (Art. 24–31).
    Aggiornamento,
    /// Summer school (Guidelines §6).
    SummerSchool,
    /// Winter school (Guidelines §6).
    WinterSchool,
}

impl TipoCorso {
    /// Whether the kind is a Master (I or II livello): parchment, grades in
    /// hundredths, single courses admitted (Art. 2–14).
    pub fn is_master(self) -> bool {
        matches!(self, TipoCorso::MasterI | TipoCorso::MasterII)
    }

    /// How the kind is named in a sentence: "Master universitario di I livello".
    pub fn denominazione(self) -> &'static str {
        match self {
            TipoCorso::MasterI => "Master universitario di I livello",
            TipoCorso::MasterII => "Master universitario di II livello",
            TipoCorso::Perfezionamento => "Corso di perfezionamento",
            TipoCorso::Formazione => "Corso di formazione",
            TipoCorso::Aggiornamento => "Corso di aggiornamento professionale",
            TipoCorso::SummerSchool => "Summer School",
            TipoCorso::WinterSchool => "Winter School",
        }
    }

    /// The grading scale the regulation prescribes for the final exam, if any
    /// (Art. 11.1: hundredths for Master; Art. 23.2, 31.2: thirtieths).
    pub fn scala_prevista(self) -> Option<u32> {
        match self {
            TipoCorso::MasterI | TipoCorso::MasterII => Some(100),
            TipoCorso::Perfezionamento | TipoCorso::Formazione | TipoCorso::Aggiornamento => {
                Some(30)
            }
            TipoCorso::SummerSchool | TipoCorso::WinterSchool => None,
        }
    }
}

/// The type of a teaching activity (Art. 17.2.b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum TipoAttivita {
    /// Lectures (didattica frontale); the default.
    #[default]
    Lezione,
    /// Laboratory or practical exercises.
    Laboratorio,
    /// Seminars.
    Seminario,
    /// Internship; auditors do not take part (Art. 13.2).
    Stage,
    /// Project work, the alternative to the stage for working students (Art. 2.4).
    ProjectWork,
    /// The final exam's own credits.
    ProvaFinale,
}

impl TipoAttivita {
    /// Activities auditors attend: everything but stage, project work and exams (Art. 13.2).
    pub fn aperta_agli_uditori(self) -> bool {
        !matches!(
            self,
            TipoAttivita::Stage | TipoAttivita::ProjectWork | TipoAttivita::ProvaFinale
        )
    }
}

/// A teacher of a module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Docente {
    /// Given name(s).
    pub nome: String,
    /// Surname(s).
    pub cognome: String,
    /// Title as printed before the name: "Prof.", "Dott.ssa", "Avv.".
    #[serde(default)]
    pub titolo: Option<String>,
    /// University staff (true) or external (false); Art. 5: internal teaching ≥ 20% of hours.
    pub interno: bool,
    /// Affiliation of an external teacher.
    #[serde(default)]
    pub ente: Option<String>,
}

/// A module (insegnamento / attività formativa) of the teaching plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Modulo {
    /// Short code, unique within the course: used by rosters and attendance registers.
    pub codice: String,
    /// Title as printed in the call's teaching plan and on certificates.
    pub titolo: String,
    /// Settore scientifico-disciplinare: "IUS/01", "ING-INF/05"; absent for stage and final exam.
    #[serde(default)]
    pub ssd: Option<String>,
    /// Credits: 1 CFU = 25 hours of total student effort (Art. 36).
    pub cfu: u32,
    /// Planned hours of assisted teaching (lectures, labs) or of stage.
    pub ore: Ore,
    /// Kind of activity; decides whether auditors attend it (Art. 13.2).
    #[serde(default)]
    pub tipo: TipoAttivita,
    /// Teachers; the internal teaching share is counted over modules with teachers (Art. 5.2).
    #[serde(default)]
    pub docenti: Vec<Docente>,
}

/// Minimum and maximum number of places (Art. 3.6.d, 17.2.h).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Posti {
    /// Fewest allievi for the course to start; below it the course is revoked.
    pub minimo: u32,
    /// Most allievi admitted.
    pub massimo: u32,
    /// Most auditors admitted, when the course admits them (Art. 13.3).
    #[serde(default)]
    pub uditori: Option<u32>,
    /// Most single-course enrolments, when the course admits them (Art. 12.2).
    #[serde(default)]
    pub corsi_singoli: Option<u32>,
}

/// Fees of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// Enrolment fee for allievi, stamp duty excluded.
    pub iscrizione: Importo,
    /// Instalments, if the fee is split: amounts and due dates.
    #[serde(default)]
    pub rate: Vec<Rata>,
    /// Admission-test fee (never refunded, Art. 8).
    #[serde(default)]
    pub ammissione: Option<Importo>,
    /// Fee for auditors (Art. 13.4).
    #[serde(default)]
    pub uditore: Option<Importo>,
    /// Fee per CFU for a single-course enrolment.
    #[serde(default)]
    pub corso_singolo_per_cfu: Option<Importo>,
    /// Waivers and reductions, as the call states them.
    #[serde(default)]
    pub agevolazioni: Vec<String>,
}

/// One instalment of the enrolment fee; the instalments add up to the fee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rata {
    /// Amount of this instalment.
    pub importo: Importo,
    /// Date by which it is paid.
    pub scadenza: Data,
}

/// How candidates are selected (Art. 7.3, 19.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModalitaSelezione {
    /// Assessment of qualifications.
    Titoli,
    /// Assessment of the curriculum vitae.
    Curriculum,
    /// Written test.
    ProvaScritta,
    /// Oral test.
    ProvaOrale,
    /// Interview.
    Colloquio,
    /// Admission in order of enrolment, up to the places (Art. 27.4).
    OrdineCronologico,
}

/// An extension of the enrolment deadline (Art. 7.6: at most 30 days, by Decreto Rettorale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proroga {
    /// The extended deadline: later than the previous one, at most 30 days after the call's (Art. 7.6).
    pub nuova_scadenza: Data,
    /// Department resolution that asked for it: "delibera del Consiglio di Dipartimento del 3 marzo 2026".
    #[serde(default)]
    pub delibera: Option<String>,
    /// The extension decree (Art. 7.6), when numbered.
    #[serde(default)]
    pub decreto: Option<Decreto>,
}

/// The dates of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateCorso {
    /// Publication of the call.
    pub bando: Data,
    /// Deadline for applications.
    pub scadenza: Data,
    /// Extensions of the deadline, in order (Art. 7.6).
    #[serde(default)]
    pub proroghe: Vec<Proroga>,
    /// First day of teaching: after the (extended) deadline.
    pub inizio: Data,
    /// Last day of teaching; perfezionamento, formazione and aggiornamento
    /// courses last at most a year (Art. 17.6, 25.3).
    pub fine: Data,
    /// Final exam session, if the course has one.
    #[serde(default)]
    pub esame_finale: Option<Data>,
    /// Date printed on end-of-course certificates when a row has no date of its own.
    #[serde(default)]
    pub rilascio_attestati: Option<Data>,
}

/// Public funding of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finanziamento {
    /// "Fondo Sociale Europeo Plus – PR Toscana 2021-2027".
    pub fonte: String,
    /// True when the Regione requires accreditation (Guidelines §8): the course gets a dossier.
    #[serde(default)]
    pub accreditamento_regionale: bool,
    /// The operation's identifier in the funding programme, printed on the
    /// call, the decrees and the dossier: "318427".
    #[serde(default)]
    pub codice_progetto: Option<String>,
    /// Amount of the funding, printed on the decrees and the dossier.
    #[serde(default)]
    pub importo: Option<Importo>,
    /// The EU fund co-financing the course ("FSE+", "FESR"…), when it is
    /// one: its call, decrees, certificates, parchments and dossier then
    /// show the EU emblem with "Cofinanziato dall'Unione europea" and the
    /// identifiers below (Reg. (UE) 2021/1060, art. 47 and 50, Annex IX).
    #[serde(default)]
    pub fondo_ue: Option<String>,
    /// The programme the operation belongs to: "PR Toscana FSE+ 2021-2027".
    #[serde(default)]
    pub programma: Option<String>,
    /// The programme's CCI code: "2021IT05SFPR009" (15 characters).
    #[serde(default)]
    pub cci: Option<String>,
    /// The CUP (Codice Unico di Progetto, L. 3/2003 art. 11): 15 letters and
    /// digits, "J51B23000420009".
    #[serde(default)]
    pub cup: Option<String>,
}

impl Finanziamento {
    /// Whether an EU fund co-finances the course.
    pub fn cofinanziato_ue(&self) -> bool {
        self.fondo_ue.is_some()
    }
}

/// The final exam of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvaFinale {
    /// Highest grade: 100 for Master (Art. 11.1), 30 otherwise (Art. 23.2, 31.2).
    pub scala: u32,
    /// Lowest passing grade; 60 on /100 and 18 on /30 unless the course says otherwise.
    #[serde(default)]
    pub minimo: Option<u32>,
    /// What the exam consists of, as the call says it: "discussione di un elaborato".
    #[serde(default)]
    pub descrizione: Option<String>,
}

impl ProvaFinale {
    /// The lowest passing grade: the course's own, else 60 on /100 and 18 on /30.
    pub fn minimo_superamento(&self) -> u32 {
        self.minimo
            .unwrap_or(if self.scala == 100 { 60 } else { 18 })
    }
}

/// The department that proposes and runs a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dipartimento {
    /// Full name: "Dipartimento di Scienze Giuridiche".
    pub nome: String,
    /// The Director, who countersigns the course's parchments (Art. 14.2).
    pub direttore: Firmatario,
    /// The department's teaching secretariat, which issues auditors' attestations (Art. 13.5).
    pub segreteria_didattica: Ufficio,
}

/// A member of the scientific committee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Componente {
    /// Given name(s).
    pub nome: String,
    /// Surname(s).
    pub cognome: String,
    /// Title as printed before the name: "Prof.", "Prof.ssa".
    #[serde(default)]
    pub titolo: Option<String>,
    /// Agrees the role with the person: `M` or `F`; when absent, a feminine
    /// title ("Prof.ssa") tells it, otherwise the data is refused.
    #[serde(default)]
    pub genere: Option<Genere>,
    /// Role in the committee: "Direttore", "Presidente", "Segretario"; decrees
    /// print "Componente" when it is absent, and agree the words they know
    /// with the member ("Segretario" → "Segretaria").
    #[serde(default)]
    pub ruolo: Option<String>,
}

impl Componente {
    /// The gender the role agrees with ([`Genere::della_carica`]).
    pub fn genere_carica(&self) -> Option<Genere> {
        Genere::della_carica(self.genere, self.titolo.as_deref())
    }
}

/// A course of the year's offer: one file in `corsi/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Corso {
    /// Identifier used by rosters and on the command line: lowercase letters, digits, '-'.
    pub id: String,
    /// Kind of course: decides access titles, CFU, grading and the final document.
    pub tipo: TipoCorso,
    /// Title, without the kind: "Archeologia dei paesaggi del Valdarno".
    pub titolo: String,
    /// Academic year of activation, exactly "AAAA/AAAA" with consecutive years:
    /// "2025/2026" (Art. 3.8). It is the first folder of every output path.
    pub anno_accademico: String,
    /// The proposing department.
    pub dipartimento: Dipartimento,
    /// The course director (Art. 3.6.b), named in the call and the decrees;
    /// proposes the final-exam committee (Art. 11.3).
    pub direttore: Firmatario,
    /// The scientific committee (Comitato Scientifico Didattico, Art. 3.6.b), printed on the call.
    #[serde(default)]
    pub comitato: Vec<Componente>,
    /// Venue: "Polo didattico di Via Roma 56, Siena" or "online".
    pub sede: String,
    /// Teaching language, when the call states it: "italiano", "inglese".
    #[serde(default)]
    pub lingua: Option<String>,
    /// Educational objectives, as the call states them (Art. 3.6.g).
    #[serde(default)]
    pub obiettivi: Option<String>,
    /// Career outlets, as the call states them (Art. 3.6.g).
    #[serde(default)]
    pub sbocchi: Option<String>,
    /// External bodies collaborating in the course (Art. 3.6.f).
    #[serde(default)]
    pub partner: Vec<String>,
    /// Total CFU; when given it must equal the sum of the modules' CFU.
    #[serde(default)]
    pub cfu: Option<u32>,
    /// The teaching plan (Art. 3.7.a, 17.2.b), in the order the call prints it.
    pub moduli: Vec<Modulo>,
    /// Places for allievi, auditors and single courses.
    pub posti: Posti,
    /// Fees.
    pub quote: Quote,
    /// How candidates are selected, in the order the call lists them.
    pub selezione: Vec<ModalitaSelezione>,
    /// Call, deadline, teaching period and exam dates.
    pub date: DateCorso,
    /// Minimum attendance in percent of the planned hours of each activity (≥ 75).
    #[serde(default = "default_frequenza")]
    pub frequenza_minima: u32,
    /// The final exam; required for Master (Art. 11.1) and perfezionamento (Art. 23.1).
    #[serde(default)]
    pub prova_finale: Option<ProvaFinale>,
    /// Whether auditors are admitted (Art. 13.1, 22.1, 30.1).
    #[serde(default)]
    pub ammette_uditori: bool,
    /// Whether single-course enrolments are admitted (Art. 12.1).
    #[serde(default)]
    pub ammette_corsi_singoli: bool,
    /// Public funding, if any; a Regione-accredited course gets a dossier.
    #[serde(default)]
    pub finanziamento: Option<Finanziamento>,
    /// The person responsible for the procedure (L. 241/1990), printed on calls.
    #[serde(default)]
    pub responsabile_procedimento: Option<Firmatario>,
    /// Specific access requirements beyond the kind's (degree classes, professional registrations).
    #[serde(default)]
    pub titoli_accesso: Vec<String>,
    /// How to apply, as the call says it: the online procedure and its address.
    #[serde(default)]
    pub domanda: Option<String>,
    /// Resolutions that proposed and approved the course (Art. 3, 32).
    #[serde(default)]
    pub delibere: Vec<Delibera>,
    /// The decree activating this course (Art. 3.4, 32), when issued course by course.
    #[serde(default)]
    pub attivazione: Option<Decreto>,
    /// The admission ranking and the decree approving it.
    #[serde(default)]
    pub graduatoria: Option<Graduatoria>,
    /// The examining committee and the decree appointing it: by default
    /// the admission selection's, appointed by rector's decree.
    #[serde(default)]
    pub commissione: Option<Commissione>,
    /// The final-exam committee, appointed by decree of the department's
    /// Director on the course director's proposal (Art. 11.3): by default
    /// `finalita` is `prova_finale` and `emanante` `dipartimento`.
    #[serde(default)]
    pub commissione_finale: Option<Commissione>,
    /// The Rector's authorisation to start the course below its minimum of
    /// enrolments (Art. 7.8: "tranne in casi motivati e autorizzati dal
    /// Magnifico Rettore"), as registered. Without it a course whose
    /// rosters count fewer allievi than `posti.minimo` is refused, since
    /// the call says it is revoked.
    #[serde(default)]
    pub deroga_minimo: Option<Decreto>,
    /// Whether the call is annexed to the activation decree, and so is
    /// published under its number and protocol. Default `false`: a call
    /// printed under the activation decree's number and protocol needs
    /// this set, or its own act in `decreto_bando`.
    #[serde(default)]
    pub bando_allegato_al_decreto: bool,
    /// The act that issues the call when the call is not annexed to the
    /// activation decree: its own repertory number and protocol, which no
    /// other act shares. The call prints it in place of the activation
    /// decree.
    #[serde(default)]
    pub decreto_bando: Option<Decreto>,
    /// The dossier of a Regione-accredited course (Guidelines §8).
    #[serde(default)]
    pub dossier: Option<DatiDossier>,
    /// What the call tells candidates about the selection's scoring, module
    /// tests, the final-exam application, enrolment after the ranking and
    /// scholarships (Art. 7.4, 8.1, 9, 10.2, 11.2, 19.1, 27.1). Every part is
    /// optional: where the data is silent the call states the regulation's rule.
    #[serde(default)]
    pub informazioni_bando: InformazioniBando,
}

/// What a call tells candidates beyond the course's plan and fees.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InformazioniBando {
    /// The day of the selection, as the call fixes it; access titles are
    /// held by then where the regulation says so (Art. 19.1, 27.1).
    #[serde(default)]
    pub data_selezione: Option<Data>,
    /// The scoring criteria, each with its most points; the maximum score is their sum (Art. 7.3).
    #[serde(default)]
    pub criteri_selezione: Vec<CriterioSelezione>,
    /// The lowest total score to be eligible (pass mark of the selection).
    #[serde(default)]
    pub punteggio_minimo: Option<Punteggio>,
    /// How the tests at the end of the modules are held, where planned
    /// (Art. 10.2, 11.4, 23.4, 31.4): "prova scritta con giudizio di idoneità".
    #[serde(default)]
    pub verifiche_moduli: Option<String>,
    /// The fee due with the application for the final exam (Art. 11.2).
    #[serde(default)]
    pub contributo_prova_finale: Option<Importo>,
    /// The deadline for enrolling once the ranking is published (Art. 7.4).
    #[serde(default)]
    pub immatricolazione_entro: Option<Data>,
    /// How admitted candidates enrol, when the call says more than the
    /// regulation (Art. 8.1: the online procedure and the payment).
    #[serde(default)]
    pub immatricolazione: Option<String>,
    /// Scholarships, awarded through the admission ranking (Art. 9.1, 9.3).
    #[serde(default)]
    pub borse: Vec<Borsa>,
}

/// A criterion of the selection and the most points it gives: "Colloquio", 60.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterioSelezione {
    /// What is assessed: "voto di laurea", "esperienza professionale", "colloquio".
    pub descrizione: String,
    /// The most points it gives.
    pub punti: Punteggio,
}

/// Scholarships of one kind (Art. 9.1): how many, how much, for whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Borsa {
    /// How many scholarships.
    pub numero: u32,
    /// The amount of each.
    pub importo: Importo,
    /// Who may get them and how, beyond the ranking's order: "riservate a
    /// chi non è già dipendente di una pubblica amministrazione".
    #[serde(default)]
    pub criteri: Option<String>,
    /// Who funds them: "Fondazione Cassa di Risparmio di Firenze".
    #[serde(default)]
    pub finanziatore: Option<String>,
}

/// A selection score with two decimals, kept exact in hundredths: `78.5`, `"78,50"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Punteggio(pub i64);

impl fmt::Display for Punteggio {
    /// "78,50".
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{},{:02}", self.0 / 100, self.0 % 100)
    }
}

impl<'de> Deserialize<'de> for Punteggio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Str(String),
            Float(f64),
        }
        let testo = match Raw::deserialize(d)? {
            Raw::Int(i) => return Ok(Punteggio(i * 100)),
            Raw::Str(s) => s,
            // A score is written by hand with at most two decimals; its shortest
            // decimal form is exactly what was written.
            Raw::Float(f) => format!("{f}"),
        };
        parse_decimal(&testo, 2).map(Punteggio).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "«{testo}» non è un punteggio valido (esempio: 78,50)"
            ))
        })
    }
}

impl Serialize for Punteggio {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(&self.to_string())
    }
}

impl JsonSchema for Punteggio {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Punteggio".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Score with at most two decimals: 78.5 or \"78,50\".",
            "oneOf": [{"type": "number", "minimum": 0}, {"type": "string"}]
        })
    }
}

/// Outcome of the admission selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EsitoSelezione {
    /// Admitted within the places.
    Ammesso,
    /// Eligible but beyond the places: admitted only if places free up.
    Idoneo,
    /// Not admitted.
    NonAmmesso,
}

/// A candidate in an admission ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidato {
    /// Surname(s), as printed in the ranking.
    pub cognome: String,
    /// Given name(s).
    pub nome: String,
    /// Agrees the decree's wording with the candidate; absent or `X`, the
    /// decree words the candidate without gender (a ranking has no tax code
    /// to tell it).
    #[serde(default)]
    pub genere: Genere,
    /// Birth date: breaks ties in favour of the younger candidate (L. 191/1998, art. 2 c. 9).
    #[serde(default)]
    pub data_nascita: Option<Data>,
    /// Score, at most `punteggio_massimo`.
    pub punteggio: Punteggio,
    /// Outcome; nobody is admitted below a higher score that was not.
    pub esito: EsitoSelezione,
}

/// The admission ranking of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Graduatoria {
    /// The decree approving the ranking.
    pub decreto: Decreto,
    /// When the committee met, from its minutes.
    #[serde(default)]
    pub data_selezione: Option<Data>,
    /// Highest possible score, printed in the table header: 100.
    #[serde(default)]
    pub punteggio_massimo: Option<u32>,
    /// The candidates, in any order: the decree sorts them by score, ties
    /// to the younger.
    pub candidati: Vec<Candidato>,
}

/// The examining committee of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Commissione {
    /// The decree appointing it.
    pub decreto: Decreto,
    /// What it is appointed for. Absent: the admission selection for
    /// `commissione`, the final exam for `commissione_finale`.
    #[serde(default)]
    pub finalita: Option<FinalitaCommissione>,
    /// Who appoints it. Absent: the Rector for the selection, the
    /// department's Director for the final exam (Art. 11.3).
    #[serde(default)]
    pub emanante: Option<Emanante>,
    /// Date of the course director's proposal of the members, which a
    /// final-exam committee's decree recites (Art. 11.3).
    #[serde(default)]
    pub proposta: Option<Data>,
    /// What it examines, as the decree words it: "la selezione per
    /// l'ammissione", "la prova finale". Printed as written; absent, the
    /// decree words it from `finalita`.
    #[serde(default)]
    pub oggetto: Option<String>,
    /// Members with their role: Presidente, Componente, Segretario.
    pub componenti: Vec<Componente>,
}

/// The dossier of a Regione-accredited course: who keeps it and when it
/// was opened and closed (Guidelines §8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatiDossier {
    /// The area's administrative head, who opens and closes the dossier.
    pub responsabile: Firmatario,
    /// Date the dossier was opened.
    pub apertura: Data,
    /// Date it was closed, at the end of the course; absent while it is open.
    #[serde(default)]
    pub chiusura: Option<Data>,
}

impl Corso {
    /// Planned hours of the whole teaching plan, as the call and decrees
    /// print them: what an allievo is expected to attend (what other roles
    /// are expected to attend is [`crate::rules::ore_previste`]).
    pub fn ore_previste(&self) -> Ore {
        self.moduli.iter().map(|m| m.ore).sum()
    }

    /// The CFU of the teaching plan, summed over the modules.
    /// Saturating: absurd inputs are reported by the rules, not overflowed.
    pub fn cfu_moduli(&self) -> u32 {
        self.moduli
            .iter()
            .fold(0u32, |a, m| a.saturating_add(m.cfu))
    }

    /// The module with this code, as a roster or an attendance register
    /// writes it (case does not matter).
    pub fn modulo(&self, codice: &str) -> Option<&Modulo> {
        self.moduli
            .iter()
            .find(|m| m.codice.eq_ignore_ascii_case(codice))
    }

    /// Whether the Regione requires accreditation, so that the course has a
    /// dossier (Guidelines §8).
    pub fn accreditato(&self) -> bool {
        self.finanziamento
            .as_ref()
            .is_some_and(|f| f.accreditamento_regionale)
    }

    /// The deadline for applications once extended: the last extension's,
    /// else the call's (Art. 7.6).
    pub fn scadenza_domande(&self) -> NaiveDate {
        self.date
            .proroghe
            .iter()
            .map(|p| p.nuova_scadenza)
            .fold(self.date.scadenza, NaiveDate::max)
    }

    /// The course's committees with the JSON field each is written in, what
    /// it is for and who appoints it, the defaults applied (see
    /// [`Commissione::finalita`] and [`Commissione::emanante`]).
    pub fn commissioni(&self) -> Vec<CommissioneCorso<'_>> {
        let mut v = Vec::new();
        for (campo, k, implicita) in [
            (
                "commissione",
                &self.commissione,
                FinalitaCommissione::Selezione,
            ),
            (
                "commissione_finale",
                &self.commissione_finale,
                FinalitaCommissione::ProvaFinale,
            ),
        ] {
            if let Some(k) = k {
                let finalita = k.finalita.unwrap_or(implicita);
                let emanante = k.emanante.unwrap_or(match finalita {
                    FinalitaCommissione::Selezione => Emanante::Rettore,
                    FinalitaCommissione::ProvaFinale => Emanante::Dipartimento,
                });
                v.push(CommissioneCorso {
                    campo,
                    commissione: k,
                    finalita,
                    emanante,
                });
            }
        }
        v
    }
}

/// A committee of a course as the rules and the plan read it.
#[derive(Debug, Clone, Copy)]
pub struct CommissioneCorso<'a> {
    /// The JSON field it is written in: "commissione", "commissione_finale".
    pub campo: &'static str,
    /// The committee as written.
    pub commissione: &'a Commissione,
    /// What it is for, the default applied.
    pub finalita: FinalitaCommissione,
    /// Who appoints it, the default applied.
    pub emanante: Emanante,
}

// ---------------------------------------------------------------------------
// Enrolments
// ---------------------------------------------------------------------------

/// The role of a participant (Art. 12, 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ruolo {
    /// Regular student.
    Allievo,
    /// Auditor: no exams, no CFU, attestation in carta libera (Art. 13).
    Uditore,
    /// Enrolled in single modules of a Master (Art. 12).
    CorsoSingolo,
}

impl FromStr for Ruolo {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let k = s.trim().to_lowercase().replace([' ', '-'], "_");
        match k.as_str() {
            "allievo" | "allieva" | "studente" | "studentessa" => Ok(Ruolo::Allievo),
            "uditore" | "uditrice" => Ok(Ruolo::Uditore),
            "corso_singolo"
            | "corsi_singoli"
            | "iscritto_corso_singolo"
            | "iscritta_corso_singolo" => Ok(Ruolo::CorsoSingolo),
            _ => Err(format!(
                "«{s}» non è un ruolo valido: usare allievo, uditore oppure corso_singolo"
            )),
        }
    }
}

/// Outcome of the final exam (or of the single course's exam).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Esito {
    /// Passed: with a grade where the exam has a scale.
    Superato,
    /// Failed; the Master's final exam cannot be repeated (Art. 11.2).
    NonSuperato,
    /// Absent or withdrawn.
    Assente,
}

impl FromStr for Esito {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().replace(['_', '-'], " ").as_str() {
            "superato" | "superata" | "idoneo" | "idonea" | "approvato" => Ok(Esito::Superato),
            "non superato" | "non superata" | "respinto" | "respinta" | "non idoneo"
            | "non idonea" => Ok(Esito::NonSuperato),
            "assente" | "ritirato" | "ritirata" => Ok(Esito::Assente),
            _ => Err(format!(
                "«{s}» non è un esito valido: usare superato, non superato oppure assente"
            )),
        }
    }
}

/// A grade: value and honours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Voto {
    /// The grade on the exam's scale: 28 on /30, 95 on /100.
    pub valore: u32,
    /// Honours (*e lode*), only with the top grade.
    #[serde(default)]
    pub lode: bool,
    /// The scale the roster wrote after a slash (`95/110` → 110), when it
    /// wrote one: kept so that a grade on another scale than the course's
    /// is refused instead of read as if it were on the course's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scala: Option<u32>,
}

/// The grade of one module's exam, for a single-course enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VotoModulo {
    /// The module's [`Modulo::codice`], as the roster wrote it.
    pub modulo: String,
    /// Its grade.
    pub voto: Voto,
}

/// How the stamp duty on a certificate was paid (DPR 642/1972).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "modo", rename_all = "snake_case")]
pub enum Bollo {
    /// A contrassegno telematico on the request: its 14-digit identifier and issue date (art. 3 DM 10/11/2011).
    Contrassegno {
        /// The 14-digit identifier printed on the stamp.
        numero: String,
        /// Its issue date; the certificate is not dated before it.
        data: Data,
    },
    /// Paid virtually by the university under its authorisation (art. 15 DPR 642/1972).
    Virtuale,
    /// Exempt: "in carta libera", with the reason or norm.
    Esente {
        /// Why, or under which norm: "art. 9 della Tabella allegato B al D.P.R. 642/1972".
        motivo: String,
    },
}

/// Grounds of exemption from stamp duty that exist only for a use before a
/// public administration or a public-service operator (social security,
/// pensions, courts, public competitions): what the roster's reason must
/// contain, lowercase, and how a message names the ground. A certificate
/// cannot be produced there (art. 40 cc. 01 and 02 D.P.R. 445/2000, as
/// amended by art. 15 L. 183/2011: those bodies take a self-declaration), so
/// its art. 40 notice would contradict the exemption.
const ESENZIONI_PER_USO_PUBBLICO: &[(&[&str], &str)] = &[
    (
        &["art. 9", "tabella"],
        "l'art. 9 della Tabella allegato B al D.P.R. 642/1972 (assicurazioni sociali obbligatorie)",
    ),
    (&["previdenz"], "un uso a fini previdenziali"),
    (
        &["assicurazioni sociali"],
        "un uso a fini di assicurazione sociale",
    ),
    (&["pension"], "un uso a fini pensionistici"),
    (&["assegni familiari"], "un uso per gli assegni familiari"),
    (&["inps"], "un uso presso l'INPS"),
    (&["inail"], "un uso presso l'INAIL"),
    (
        &["pubblica amministrazione"],
        "un uso presso una pubblica amministrazione",
    ),
    (
        &["pubbliche amministrazioni"],
        "un uso presso le pubbliche amministrazioni",
    ),
    (&["ente pubblico"], "un uso presso un ente pubblico"),
    (&["enti pubblici"], "un uso presso enti pubblici"),
    (
        &["pubblici servizi"],
        "un uso presso gestori di pubblici servizi",
    ),
    (&["tribunale"], "un uso in giudizio"),
    (&["giudizi"], "un uso in giudizio"),
    (&["concorso pubblico"], "un concorso pubblico"),
    (&["concorsi pubblici"], "un concorso pubblico"),
];

impl Bollo {
    /// For an exemption whose reason implies that the certificate is for a
    /// public administration or a public-service operator, the ground that
    /// says so ("l'art. 9 della Tabella allegato B …"); `None` for every
    /// other way of paying and for exemptions of private use.
    pub fn esenzione_per_uso_pubblico(&self) -> Option<&'static str> {
        let Bollo::Esente { motivo } = self else {
            return None;
        };
        let m = motivo.to_lowercase();
        ESENZIONI_PER_USO_PUBBLICO
            .iter()
            .find(|(parole, _)| parole.iter().all(|p| m.contains(p)))
            .map(|(_, perche)| *perche)
    }
}

/// Where a certificate will be used (art. 40 DPR 445/2000 decides the notice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Uso {
    /// Private use in Italy: cannot be produced to public administrations.
    #[default]
    Privati,
    /// Issued only for use abroad.
    Estero,
}

/// Where a value came from, so problems can point at the file, row and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Origine {
    /// Path relative to the dataset directory.
    pub file: String,
    /// Spreadsheet-style row number (the header is row 1) or CSV line.
    pub riga: usize,
    /// Sheet name, for Excel files.
    pub foglio: Option<String>,
}

impl fmt::Display for Origine {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.foglio {
            Some(s) => write!(f, "{} [foglio {s}], riga {}", self.file, self.riga),
            None => write!(f, "{}, riga {}", self.file, self.riga),
        }
    }
}

/// A person's enrolment in a course: one roster row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Iscrizione {
    /// The course's [`Corso::id`].
    pub corso: String,
    /// Who is enrolled.
    pub persona: Persona,
    /// Allievo, auditor or single course: decides hours, exams and the final document.
    pub ruolo: Ruolo,
    /// For a single-course enrolment: the modules' codes.
    pub moduli: Vec<String>,
    /// Total hours attended, as the roster states it. When an attendance
    /// register covers the person, its total takes precedence.
    pub ore_frequentate: Option<Ore>,
    /// Outcome of the final exam (of the module's exam for a single course).
    pub esito: Option<Esito>,
    /// Grade of that exam; a grade without an outcome counts as passed.
    pub voto: Option<Voto>,
    /// For a single-course enrolment: one grade per module enrolled (Art.
    /// 12: each module has its own exam), from the roster's `voti` column
    /// (`DPA02: 28; DPA04: 30 e lode`), or from `voto` when one module only.
    pub voti_moduli: Vec<VotoModulo>,
    /// Date of that exam: by 31 March of the year after the academic year for a Master (Art. 11.2).
    pub data_esame: Option<Data>,
    /// How the stamp duty on the certificate was paid; absent until the
    /// stamped request arrives (Guidelines §6).
    pub bollo: Option<Bollo>,
    /// Where the certificate will be used, which decides its art. 40 DPR 445/2000 notice.
    pub uso: Uso,
    /// Date printed on the certificate, when it differs from the course's.
    pub data_rilascio: Option<Data>,
    /// The roster row it was read from.
    pub origine: Origine,
}

/// Hours one person attended one module: one row of an attendance register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Presenza {
    /// The course's [`Corso::id`].
    pub corso: String,
    /// The participant's tax code, as in the roster.
    pub codice_fiscale: String,
    /// The module's [`Modulo::codice`].
    pub modulo: String,
    /// Hours attended; rows for the same person and module add up.
    pub ore: Ore,
    /// The register row it was read from.
    pub origine: Origine,
}

/// A whole dataset: one university's year.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The dataset directory, for resolving files it names (the logo).
    pub radice: std::path::PathBuf,
    /// The university profile, from `ateneo.json`.
    pub ateneo: Ateneo,
    /// Courses with the file each came from, relative to the dataset directory.
    pub corsi: Vec<(String, Corso)>,
    /// Every roster row, file by file in name order.
    pub iscrizioni: Vec<Iscrizione>,
    /// Every attendance-register row, file by file in name order; empty when
    /// the dataset has no `presenze/`.
    pub presenze: Vec<Presenza>,
}

impl Dataset {
    /// The course with this identifier.
    pub fn corso(&self, id: &str) -> Option<&Corso> {
        self.corsi.iter().map(|(_, c)| c).find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importi_sono_esatti() {
        assert_eq!("1.250,50".parse::<Importo>().unwrap(), Importo(125050));
        assert_eq!("1250.5".parse::<Importo>().unwrap(), Importo(125050));
        assert_eq!("€ 16,00".parse::<Importo>().unwrap(), Importo(1600));
        assert!("12,345".parse::<Importo>().is_err());
        assert!("abc".parse::<Importo>().is_err());
        let i: Importo = serde_json::from_str("2500").unwrap();
        assert_eq!(i, Importo(250000));
        assert!(serde_json::from_str::<Importo>("12.5").is_err());
    }

    #[test]
    fn importi_in_italiano() {
        assert_eq!(Importo(125000).to_string(), "€ 1.250,00");
        assert_eq!(Importo(1600).to_string(), "€ 16,00");
        assert_eq!(Importo(123456789).to_string(), "€ 1.234.567,89");
        assert_eq!(Importo(5).to_string(), "€ 0,05");
        assert_eq!(Importo(-350).to_string(), "€ -3,50");
    }

    #[test]
    fn migliaia_col_punto() {
        assert_eq!(migliaia(0), "0");
        assert_eq!(migliaia(150), "150");
        assert_eq!(migliaia(1500), "1.500");
        assert_eq!(migliaia(1234567), "1.234.567");
    }

    #[test]
    fn ore_in_minuti() {
        assert_eq!("36".parse::<Ore>().unwrap(), Ore(36 * 60));
        assert_eq!("36,5".parse::<Ore>().unwrap(), Ore(36 * 60 + 30));
        assert_eq!("36:15".parse::<Ore>().unwrap(), Ore(36 * 60 + 15));
        assert_eq!("0.25".parse::<Ore>().unwrap(), Ore(15));
        assert!("36,33".parse::<Ore>().is_err());
        assert!("-3".parse::<Ore>().is_err());
        assert_eq!(Ore(36 * 60 + 30).to_string(), "36,5");
        assert_eq!(Ore(15).to_string(), "0,25");
        assert_eq!(Ore(48 * 60).to_string(), "48");
    }
}
