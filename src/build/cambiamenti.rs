//! Issued documents that a build meets changed, explained before anything
//! is refused or replaced: for each, its number and code, and what changed
//! in its data (field, old → new, against the data the registry recorded
//! when it was issued); what `--overwrite` would do; and, once replaced or
//! reissued after a revocation, the old number and the new one.

use std::fmt;

use serde_json::Value;

use crate::registry::dati::{differenze, Differenza};

/// Fields the registry itself puts in a document's data: a reissue changes
/// them by definition, so they are not news.
const DEL_REGISTRO: &[&str] = &[
    "documento.numero_registro",
    "documento.codice_verifica",
    "documento.url_verifica",
];

/// At most this many fields are listed per document; the rest are counted.
const MASSIMO_CAMPI: usize = 12;

/// What changed in a document's data since it was issued: `None` when the
/// registry has no record of the data it was issued with.
pub fn cosa_cambia(prima: Option<&Value>, dopo: &Value) -> Option<Vec<Differenza>> {
    prima.map(|p| {
        differenze(p, dopo)
            .into_iter()
            .filter(|d| !DEL_REGISTRO.contains(&d.campo.as_str()))
            .collect()
    })
}

/// "n. 6/2026, codice K7QM-3XPD-9T", or the code alone.
fn numero_e_codice(numero: Option<&str>, codice: &str) -> String {
    match numero {
        Some(n) => format!("n. {n}, codice {codice}"),
        None => format!("codice {codice}"),
    }
}

/// Writes the changed fields, indented, or why they cannot be listed.
fn scrivi_differenze(
    f: &mut fmt::Formatter,
    differenze: Option<&[Differenza]>,
    rientro: &str,
) -> fmt::Result {
    let mostra = |v: &Option<String>| match v {
        Some(s) => format!("«{s}»"),
        None => "(assente)".to_string(),
    };
    match differenze {
        None => writeln!(
            f,
            "{rientro}(i dati con cui fu emesso non sono nel registro: emesso da una versione precedente)"
        ),
        Some([]) => writeln!(
            f,
            "{rientro}stessi dati: cambia la resa (template o versione del programma), o il file pubblicato è stato modificato"
        ),
        Some(d) => {
            for x in d.iter().take(MASSIMO_CAMPI) {
                writeln!(f, "{rientro}{}: {} → {}", x.campo, mostra(&x.prima), mostra(&x.dopo))?;
            }
            if d.len() > MASSIMO_CAMPI {
                writeln!(f, "{rientro}… e altri {} campi", d.len() - MASSIMO_CAMPI)?;
            }
            Ok(())
        }
    }
}

/// An issued document that this build would issue with other content.
#[derive(Debug, Clone)]
pub struct Cambiamento {
    /// Path of the document in the output directory.
    pub percorso: String,
    /// Its title.
    pub titolo: String,
    /// Its number as issued; none for calls and dossiers.
    pub numero: Option<String>,
    /// Its verification code as issued.
    pub codice: String,
    /// What changed in its data ([`cosa_cambia`]).
    pub differenze: Option<Vec<Differenza>>,
}

impl fmt::Display for Cambiamento {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(f, "  {}", self.percorso)?;
        writeln!(
            f,
            "    {} ({})",
            self.titolo,
            numero_e_codice(self.numero.as_deref(), &self.codice)
        )?;
        scrivi_differenze(f, self.differenze.as_deref(), "    ")
    }
}

/// The documents refused, each with what changed, and what `--overwrite`
/// would do. `pubblicati_gli_altri` says whether the rest of the build went
/// on (else nothing was written).
pub fn spiega_rifiuto(cambiati: &[Cambiamento], pubblicati_gli_altri: bool) -> String {
    let mut s = format!(
        "{} contenuto:\n",
        crate::messaggi::conta(
            cambiati.len(),
            "documento già emesso cambierebbe",
            "documenti già emessi cambierebbero"
        )
    );
    for c in cambiati {
        s.push_str(&c.to_string());
    }
    s.push_str(
        "Non sono stati sostituiti. Con --overwrite ciascuno riceve un nuovo numero e un nuovo \
         codice di verifica, e la copia già consegnata risulterà sostituita: non più valida a una \
         verifica (lookup, verify-doc, QR). Se i dati erano giusti prima, correggerli e rifare la build.",
    );
    if pubblicati_gli_altri {
        s.push_str("\nGli altri documenti sono stati pubblicati e archiviati.");
    } else {
        s.push_str("\nNulla è stato scritto.");
    }
    s
}

/// A document issued anew in place of an earlier issue: superseded with
/// `--overwrite`, or reissued after a revocation.
#[derive(Debug, Clone)]
pub struct Sostituzione {
    /// Path of the document in the output directory.
    pub percorso: String,
    /// Its title.
    pub titolo: String,
    /// The earlier issue's number; none for calls and dossiers.
    pub numero_prima: Option<String>,
    /// The earlier issue's verification code.
    pub codice_prima: String,
    /// The new number.
    pub numero: Option<String>,
    /// The new verification code.
    pub codice: String,
    /// Reissued after a revocation (rather than superseded).
    pub dopo_revoca: bool,
    /// What changed in its data since the earlier issue ([`cosa_cambia`]).
    pub differenze: Option<Vec<Differenza>>,
}

impl fmt::Display for Sostituzione {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let come = if self.dopo_revoca {
            "riemesso dopo la revoca"
        } else {
            "sostituito (--overwrite)"
        };
        let passaggio = match (&self.numero_prima, &self.numero) {
            (Some(a), Some(b)) if a != b => format!("n. {a} → n. {b}"),
            (Some(a), Some(_)) => format!("n. {a} (numero di repertorio invariato)"),
            _ => "senza numero".to_string(),
        };
        writeln!(
            f,
            "{come}: {passaggio}, codice {} → {}: {}",
            self.codice_prima, self.codice, self.titolo
        )?;
        writeln!(f, "  {}", self.percorso)?;
        if !self.dopo_revoca || self.differenze.as_ref().is_some_and(|d| !d.is_empty()) {
            scrivi_differenze(f, self.differenze.as_deref(), "  ")?;
        }
        if !self.dopo_revoca {
            writeln!(
                f,
                "  la copia con codice {} risulta ora sostituita: consegnare quella nuova",
                self.codice_prima
            )?;
        }
        Ok(())
    }
}
