//! Problems found in a dataset, with the place they were found.
//!
//! Loading and validation never stop at the first problem: they collect every
//! [`Problema`] into [`Problemi`] so that a secretary fixes a register in one
//! pass, not one error per run.

use std::fmt;

use serde::Serialize;

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gravita {
    Errore,
    Avviso,
}

/// Where a problem is: a file and, inside it, a row and column (tables) or a
/// JSON path (JSON files).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Posizione {
    /// Path relative to the dataset directory.
    pub file: String,
    pub foglio: Option<String>,
    pub riga: Option<usize>,
    pub campo: Option<String>,
    /// JSON path such as `$.moduli[2].cfu`.
    pub percorso: Option<String>,
}

impl Posizione {
    pub fn file(file: impl Into<String>) -> Self {
        Posizione {
            file: file.into(),
            ..Default::default()
        }
    }

    pub fn json(file: impl Into<String>, percorso: impl Into<String>) -> Self {
        Posizione {
            file: file.into(),
            percorso: Some(percorso.into()),
            ..Default::default()
        }
    }

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
    pub gravita: Gravita,
    pub posizione: Posizione,
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
    pub fn errore(&mut self, posizione: Posizione, messaggio: impl Into<String>) {
        self.push(Gravita::Errore, posizione, messaggio, None);
    }

    pub fn errore_regola(
        &mut self,
        posizione: Posizione,
        messaggio: impl Into<String>,
        regola: &'static str,
    ) {
        self.push(Gravita::Errore, posizione, messaggio, Some(regola));
    }

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

    pub fn extend(&mut self, other: Problemi) {
        self.0.extend(other.0);
    }

    pub fn errori(&self) -> impl Iterator<Item = &Problema> {
        self.0.iter().filter(|p| p.gravita == Gravita::Errore)
    }

    pub fn avvisi(&self) -> impl Iterator<Item = &Problema> {
        self.0.iter().filter(|p| p.gravita == Gravita::Avviso)
    }

    pub fn ha_errori(&self) -> bool {
        self.errori().next().is_some()
    }

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
