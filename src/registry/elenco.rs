//! The registry as a list: what an office issued, revoked and superseded,
//! filtered by course, kind, person, year and status (`lauream registry
//! list`), and the rows the verification site is made of.
//!
//! Each entry carries the holder's name as the document's title prints it
//! ("Attestato di frequenza – Anna Bellucci – …"): the registry records the
//! title, not the roster, and the name on the document is the one to show.

use rusqlite::params_from_iter;
use serde::Serialize;

use super::Registro;
use crate::plan::TipoDocumento;

/// A document's status in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Stato {
    /// Issued and in force.
    Valido,
    /// Withdrawn (`lauream revoke`), with a reason.
    Revocato,
    /// Replaced by a newer issue (`build --overwrite`).
    Sostituito,
}

impl Stato {
    /// The status as the registry stores it.
    pub fn come_testo(self) -> &'static str {
        match self {
            Stato::Valido => "valido",
            Stato::Revocato => "revocato",
            Stato::Sostituito => "sostituito",
        }
    }
}

/// Which rows to list; every field left empty lets all rows through.
#[derive(Debug, Clone, Default)]
pub struct FiltroElenco {
    /// Only this course (its id).
    pub corso: Option<String>,
    /// Only this kind of document.
    pub tipo: Option<TipoDocumento>,
    /// Only this person's documents (tax code, any case).
    pub persona: Option<String>,
    /// Only documents dated in this calendar year (the year of their number).
    pub anno: Option<i32>,
    /// Only documents in this status.
    pub stato: Option<Stato>,
}

/// Another row a row points to: the one it replaces or the one replacing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rimando {
    /// Its verification code.
    #[serde(rename = "code")]
    pub codice: String,
    /// Its number as printed ("13/2026"), when its series has numbers.
    #[serde(rename = "number")]
    pub numero: Option<String>,
}

/// One row of the registry as listed. JSON keys are English, like
/// `index.json`'s: the list is for other tools too.
#[derive(Debug, Clone, Serialize)]
pub struct VoceElenco {
    /// `bando`, `decreto`, `pergamena`, `attestato`, `dossier`.
    #[serde(rename = "kind")]
    pub tipo: String,
    /// The series (`certificati`, `pergamene`, `decreti`), when numbered.
    #[serde(rename = "series")]
    pub serie: Option<String>,
    /// The number as printed ("12/2026", or a decree's repertory number).
    #[serde(rename = "number")]
    pub numero: Option<String>,
    /// The verification code.
    #[serde(rename = "code")]
    pub codice: String,
    /// The document's date (ISO).
    #[serde(rename = "date")]
    pub data: Option<String>,
    /// The holder's tax code, for documents issued to a person.
    #[serde(rename = "person")]
    pub persona: Option<String>,
    /// The holder's name as the document prints it.
    #[serde(rename = "holder")]
    pub intestatario: Option<String>,
    /// The course id.
    #[serde(rename = "course")]
    pub corso: Option<String>,
    /// The document's title.
    #[serde(rename = "title")]
    pub titolo: String,
    /// Where the file is, relative to the output directory.
    #[serde(rename = "path")]
    pub percorso: String,
    /// The file's SHA-256 as issued; none while its file was never produced.
    pub sha256: Option<String>,
    /// `valido`, `revocato` or `sostituito`.
    #[serde(rename = "status")]
    pub stato: String,
    /// Why it was revoked.
    #[serde(rename = "reason")]
    pub motivo: Option<String>,
    /// When it was revoked (UTC).
    #[serde(rename = "revoked_at")]
    pub revocato_il: Option<String>,
    /// When the registry recorded it (UTC).
    #[serde(rename = "issued_at")]
    pub emesso_il: String,
    /// The document this one replaces (after a revocation or a superseding).
    #[serde(rename = "replaces")]
    pub sostituisce: Option<Rimando>,
    /// The document issued in its place.
    #[serde(rename = "replaced_by")]
    pub sostituito_da: Option<Rimando>,
}

impl VoceElenco {
    /// The heading of the title, before the holder's name ("Attestato di
    /// frequenza"); the whole title for documents issued to no one.
    pub fn intestazione(&self) -> &str {
        match self.persona {
            Some(_) => self.titolo.split(" – ").next().unwrap_or(&self.titolo),
            None => &self.titolo,
        }
    }

    /// The course's title as the document's title prints it, after the
    /// holder's name; none for documents issued to no one.
    pub fn titolo_corso(&self) -> Option<&str> {
        self.persona.as_ref()?;
        self.titolo.splitn(3, " – ").nth(2)
    }
}

/// The holder's name in a person's document title: "{heading} – {name} –
/// {course}" (certificates and parchments are titled so).
fn intestatario(persona: Option<&str>, titolo: &str) -> Option<String> {
    persona?;
    let mut parti = titolo.splitn(3, " – ");
    parti.next();
    let nome = parti.next()?;
    parti.next()?;
    Some(nome.to_string())
}

/// The printed number from the stored columns: "12/2026" for series the
/// registry numbers, the decree's own number otherwise.
fn stampato(numero: Option<String>, progressivo: Option<i64>, anno: Option<i64>) -> Option<String> {
    match (progressivo, anno) {
        (Some(p), Some(a)) => Some(format!("{p}/{a}")),
        _ => numero,
    }
}

const SELECT_ELENCO: &str =
    "SELECT d.tipo, d.serie, d.numero, d.progressivo, d.anno, d.codice, d.data,
        d.persona, d.corso, d.titolo, d.percorso, d.sha256, d.stato, d.motivo, d.revocato_il,
        d.emesso_il,
        p.codice, p.numero, p.progressivo, p.anno,
        s.codice, s.numero, s.progressivo, s.anno, d.id
    FROM documenti d
    LEFT JOIN documenti p ON p.id = d.sostituisce
    LEFT JOIN documenti s ON s.id = d.sostituito_da";

fn da_riga(r: &rusqlite::Row) -> rusqlite::Result<VoceElenco> {
    let rimando = |i: usize| -> rusqlite::Result<Option<Rimando>> {
        let codice: Option<String> = r.get(i)?;
        Ok(match codice {
            Some(codice) => Some(Rimando {
                codice,
                numero: stampato(r.get(i + 1)?, r.get(i + 2)?, r.get(i + 3)?),
            }),
            None => None,
        })
    };
    let persona: Option<String> = r.get(7)?;
    let titolo: String = r.get(9)?;
    Ok(VoceElenco {
        tipo: r.get(0)?,
        serie: r.get(1)?,
        numero: stampato(r.get(2)?, r.get(3)?, r.get(4)?),
        codice: r.get(5)?,
        data: r.get(6)?,
        intestatario: intestatario(persona.as_deref(), &titolo),
        persona,
        corso: r.get(8)?,
        titolo,
        percorso: r.get(10)?,
        sha256: r.get(11)?,
        stato: r.get(12)?,
        motivo: r.get(13)?,
        revocato_il: r.get(14)?,
        emesso_il: r.get(15)?,
        sostituisce: rimando(16)?,
        sostituito_da: rimando(20)?,
    })
}

/// The registry's own id of a listed row (its order of issue), read after
/// the listing's columns.
fn id_di(r: &rusqlite::Row) -> rusqlite::Result<i64> {
    r.get(24)
}

/// Most row ids asked for in one query, well under SQLite's limit on bound
/// parameters.
const ID_PER_QUERY: usize = 500;

/// The WHERE clause of a filter and the values it binds.
fn condizioni(filtro: &FiltroElenco) -> anyhow::Result<(String, Vec<String>)> {
    let mut condizioni: Vec<&str> = Vec::new();
    let mut valori: Vec<String> = Vec::new();
    if let Some(c) = &filtro.corso {
        condizioni.push("d.corso = ?");
        valori.push(c.clone());
    }
    if let Some(t) = filtro.tipo {
        condizioni.push("d.tipo = ?");
        valori.push(
            serde_json::to_value(t)?
                .as_str()
                .unwrap_or_default()
                .to_string(),
        );
    }
    if let Some(p) = &filtro.persona {
        condizioni.push("d.persona = ?");
        valori.push(p.trim().to_uppercase());
    }
    if let Some(a) = filtro.anno {
        condizioni.push("substr(d.data, 1, 4) = ?");
        valori.push(format!("{a:04}"));
    }
    if let Some(s) = filtro.stato {
        condizioni.push("d.stato = ?");
        valori.push(s.come_testo().to_string());
    }
    let dove = if condizioni.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", condizioni.join(" AND "))
    };
    Ok((dove, valori))
}

impl Registro {
    /// The rows that pass the filter, in order of issue.
    pub fn elenco(&self, filtro: &FiltroElenco) -> anyhow::Result<Vec<VoceElenco>> {
        let mut v = Vec::new();
        self.scorri_elenco(filtro, |_, voce| {
            v.push(voce);
            Ok(())
        })?;
        Ok(v)
    }

    /// The rows that pass the filter, in order of issue, handed one at a
    /// time to `f` with the registry's id of the row (for
    /// [`Registro::voci_per_id`]): a year of any size is listed without
    /// holding it all.
    pub fn scorri_elenco(
        &self,
        filtro: &FiltroElenco,
        mut f: impl FnMut(i64, VoceElenco) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let (dove, valori) = condizioni(filtro)?;
        let mut st = self
            .conn
            .prepare(&format!("{SELECT_ELENCO}{dove} ORDER BY d.id"))?;
        let mut righe = st.query(params_from_iter(valori.iter()))?;
        while let Some(r) = righe.next()? {
            f(id_di(r)?, da_riga(r)?)?;
        }
        Ok(())
    }

    /// The rows with these ids (as [`Registro::scorri_elenco`] gives
    /// them), in order of issue, each with its id; ids of no row are
    /// skipped.
    pub fn voci_per_id(&self, id: &[i64]) -> anyhow::Result<Vec<(i64, VoceElenco)>> {
        let mut v = Vec::with_capacity(id.len());
        for parte in id.chunks(ID_PER_QUERY) {
            let segnaposto = vec!["?"; parte.len()].join(",");
            let mut st = self.conn.prepare(&format!(
                "{SELECT_ELENCO} WHERE d.id IN ({segnaposto}) ORDER BY d.id"
            ))?;
            let mut righe = st.query(params_from_iter(parte.iter()))?;
            while let Some(r) = righe.next()? {
                v.push((id_di(r)?, da_riga(r)?));
            }
        }
        v.sort_by_key(|(i, _)| *i);
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn il_nome_viene_dal_titolo_del_documento() {
        let t = "Attestato di frequenza – Anna Bellucci – Archeologia – paesaggi";
        assert_eq!(
            intestatario(Some("BLLNNA01S51A944X"), t).as_deref(),
            Some("Anna Bellucci")
        );
        assert_eq!(intestatario(None, t), None);
        assert_eq!(intestatario(Some("X"), "Bando di concorso"), None);
        assert_eq!(
            stampato(Some("12".into()), Some(12), Some(2026)).as_deref(),
            Some("12/2026")
        );
        assert_eq!(
            stampato(Some("125".into()), None, Some(2026)).as_deref(),
            Some("125")
        );
    }
}
