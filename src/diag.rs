//! Problems found in a dataset, with the place they were found.
//!
//! Loading and validation never stop at the first problem: they collect every
//! [`Problema`] into [`Problemi`] so that a secretary fixes a roster in one
//! pass, not one error per run.

use std::fmt;

use serde::Serialize;

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gravita {
    /// The dataset breaks a rule or cannot be read: `check` exits with an
    /// error and `build` writes nothing.
    Errore,
    /// Worth a look (a likely mistake, a value ignored), but the documents
    /// can be produced.
    Avviso,
}

/// Where a problem is: a file and, inside it, a row and column (tables) or a
/// JSON path (JSON files).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Posizione {
    /// Path relative to the dataset directory.
    pub file: String,
    /// Sheet name, for Excel files.
    pub foglio: Option<String>,
    /// Row number as the spreadsheet shows it (the header is row 1), or the
    /// line of a JSON syntax error.
    pub riga: Option<usize>,
    /// Column of a table, by its normalised header name: `codice_fiscale`.
    pub campo: Option<String>,
    /// JSON path such as `$.moduli[2].cfu`.
    pub percorso: Option<String>,
}

impl Posizione {
    /// A whole file, or a folder written with a trailing `/`.
    pub fn file(file: impl Into<String>) -> Self {
        Posizione {
            file: file.into(),
            ..Default::default()
        }
    }

    /// A value inside a JSON file, by its path: `$.moduli[2].cfu`.
    pub fn json(file: impl Into<String>, percorso: impl Into<String>) -> Self {
        Posizione {
            file: file.into(),
            percorso: Some(percorso.into()),
            ..Default::default()
        }
    }

    /// A row of a table, and the column when the problem is in one cell.
    pub fn riga(origine: &crate::model::Origine, campo: Option<&str>) -> Self {
        Posizione {
            file: origine.file.clone(),
            foglio: origine.foglio.clone(),
            riga: Some(origine.riga),
            campo: campo.map(str::to_string),
            percorso: None,
        }
    }
}

impl fmt::Display for Posizione {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(s) = &self.foglio {
            write!(f, " [foglio {s}]")?;
        }
        if let Some(r) = self.riga {
            write!(f, ", riga {r}")?;
        }
        if let Some(c) = &self.campo {
            write!(f, ", campo {c}")?;
        }
        if let Some(p) = &self.percorso {
            write!(f, ", {p}")?;
        }
        Ok(())
    }
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problema {
    /// Whether it stops the build.
    pub gravita: Gravita,
    /// Where to look.
    pub posizione: Posizione,
    /// What is wrong and, where it helps, what to do, in Italian for the
    /// person who keeps the data.
    pub messaggio: String,
    /// The article or norm the rule comes from: "Art. 17.6", "Linee guida §6".
    pub regola: Option<&'static str>,
}

impl fmt::Display for Problema {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let label = match self.gravita {
            Gravita::Errore => "errore",
            Gravita::Avviso => "avviso",
        };
        write!(f, "{label}: {}: {}", self.posizione, self.messaggio)?;
        if let Some(r) = self.regola {
            write!(f, " [{r}]")?;
        }
        Ok(())
    }
}

/// Every problem found so far.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Problemi(pub Vec<Problema>);

impl Problemi {
    /// Records an error.
    pub fn errore(&mut self, posizione: Posizione, messaggio: impl Into<String>) {
        self.push(Gravita::Errore, posizione, messaggio, None);
    }

    /// Records an error against a rule of the regulation or a norm, cited
    /// after the message.
    pub fn errore_regola(
        &mut self,
        posizione: Posizione,
        messaggio: impl Into<String>,
        regola: &'static str,
    ) {
        self.push(Gravita::Errore, posizione, messaggio, Some(regola));
    }

    /// Records a warning, with the rule it comes from if any.
    pub fn avviso(
        &mut self,
        posizione: Posizione,
        messaggio: impl Into<String>,
        regola: Option<&'static str>,
    ) {
        self.push(Gravita::Avviso, posizione, messaggio, regola);
    }

    fn push(
        &mut self,
        gravita: Gravita,
        posizione: Posizione,
        messaggio: impl Into<String>,
        regola: Option<&'static str>,
    ) {
        self.0.push(Problema {
            gravita,
            posizione,
            messaggio: messaggio.into(),
            regola,
        });
    }

    /// Appends the problems of a later stage, keeping the order.
    pub fn extend(&mut self, other: Problemi) {
        self.0.extend(other.0);
    }

    /// The errors, in order.
    pub fn errori(&self) -> impl Iterator<Item = &Problema> {
        self.0.iter().filter(|p| p.gravita == Gravita::Errore)
    }

    /// The warnings, in order.
    pub fn avvisi(&self) -> impl Iterator<Item = &Problema> {
        self.0.iter().filter(|p| p.gravita == Gravita::Avviso)
    }

    /// Whether any problem stops the build.
    pub fn ha_errori(&self) -> bool {
        self.errori().next().is_some()
    }

    /// Whether nothing at all was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorted by file, then position, errors before warnings: the order a
    /// person fixes them in.
    pub fn ordinati(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.posizione.file, a.posizione.riga, a.gravita).cmp(&(
                &b.posizione.file,
                b.posizione.riga,
                b.gravita,
            ))
        });
        self
    }
}

impl fmt::Display for Problemi {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for p in &self.0 {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}
