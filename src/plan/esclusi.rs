//! Who gets nothing, said the way an office reads it: per-course totals
//! with the reasons grouped ([`per_corso`], [`riepilogo`]), and, when a
//! build would produce no document at all, why ([`perche_nessun_documento`]:
//! Master students receive a parchment, and a certificate of the title only
//! on a stamped request; a dossier is only for Regione-accredited courses…).
//!
//! The plan itself ([`super::pianifica`]) lists each excluded person with
//! the reason; this module only groups and explains.

use std::collections::BTreeMap;

use super::{Escluso, Filtro, TipoDocumento};
use crate::messaggi::conta;
use crate::model::Dataset;

/// The kind of reason, short enough to count: "frequenza insufficiente"
/// for every attendance below the minimum, whatever the percentage.
pub fn categoria(motivo: &str) -> &str {
    if motivo.starts_with("frequenza") {
        "frequenza insufficiente"
    } else if motivo.starts_with("manca l'istanza in bollo") {
        "manca l'istanza in bollo"
    } else {
        motivo
    }
}

/// One course's excluded people: how many, and how many for each kind of
/// reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsclusiCorso {
    /// The course id.
    pub corso: String,
    /// How many people of the course get no document.
    pub totale: usize,
    /// Kind of reason ([`categoria`]) and how many people it applies to,
    /// most frequent first.
    pub motivi: Vec<(String, usize)>,
}

/// The excluded people grouped by course, in course order.
pub fn per_corso(esclusi: &[Escluso]) -> Vec<EsclusiCorso> {
    let mut corsi: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for e in esclusi {
        *corsi
            .entry(e.corso.as_str())
            .or_default()
            .entry(categoria(&e.motivo))
            .or_default() += 1;
    }
    corsi
        .into_iter()
        .map(|(corso, motivi)| {
            let mut motivi: Vec<(String, usize)> = motivi
                .into_iter()
                .map(|(m, n)| (m.to_string(), n))
                .collect();
            motivi.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            EsclusiCorso {
                corso: corso.to_string(),
                totale: motivi.iter().map(|m| m.1).sum(),
                motivi,
            }
        })
        .collect()
}

/// The lines that say who gets nothing: a heading with the total, one line
/// per course with its reasons, and, with `dettagli`, one line per person.
/// Nothing when everyone gets a document.
pub fn riepilogo(esclusi: &[Escluso], dettagli: bool) -> Vec<String> {
    if esclusi.is_empty() {
        return Vec::new();
    }
    let mut righe = vec![format!(
        "chi non riceve documenti: {}",
        conta(esclusi.len(), "persona", "persone")
    )];
    for c in per_corso(esclusi) {
        let motivi: Vec<String> = c
            .motivi
            .iter()
            .map(|(m, n)| {
                if c.motivi.len() == 1 {
                    m.clone()
                } else {
                    format!("{m} {n}")
                }
            })
            .collect();
        righe.push(format!(
            "  {}: {} ({})",
            c.corso,
            c.totale,
            motivi.join(", ")
        ));
        if dettagli {
            for e in esclusi.iter().filter(|e| e.corso == c.corso) {
                righe.push(format!(
                    "    {} ({}): {}",
                    e.nominativo, e.persona, e.motivo
                ));
            }
        }
    }
    righe
}

/// Why a build with this filter produces no document, course by course:
/// what the course would produce instead (and the `--kind` that gives it),
/// and how many of its people get nothing. `documenti_senza_tipo` is the
/// plan of the same filter without `--kind`.
pub fn perche_nessun_documento(
    ds: &Dataset,
    filtro: &Filtro,
    documenti_senza_tipo: &[super::Documento],
    esclusi: &[Escluso],
) -> Vec<String> {
    let mut righe = Vec::new();
    let corsi: Vec<_> = ds
        .corsi
        .iter()
        .map(|(_, c)| c)
        .filter(|c| filtro.corso.as_deref().is_none_or(|f| f == c.id))
        .collect();
    for corso in corsi {
        let mut per_tipo: BTreeMap<TipoDocumento, usize> = BTreeMap::new();
        for d in documenti_senza_tipo
            .iter()
            .filter(|d| d.corso.as_deref() == Some(corso.id.as_str()))
        {
            *per_tipo.entry(d.tipo).or_default() += 1;
        }
        let iscritti = ds.iscrizioni.iter().filter(|i| i.corso == corso.id).count();
        let esclusi_corso = esclusi.iter().filter(|e| e.corso == corso.id).count();
        let perche = match filtro.tipo {
            Some(TipoDocumento::Attestato) if corso.tipo.is_master() && per_tipo.contains_key(&TipoDocumento::Pergamena) => {
                "gli allievi di un Master ricevono la pergamena (--kind pergamena) e, solo su istanza in bollo (colonna bollo), il certificato di conseguimento del titolo; gli altri attestati sono per uditori e iscritti a corsi singoli".to_string()
            }
            Some(TipoDocumento::Pergamena) if !corso.tipo.is_master() => {
                format!("la pergamena è solo per i Master; chi completa un {} riceve un attestato (--kind attestato)", corso.tipo.denominazione())
            }
            Some(TipoDocumento::Dossier) if !corso.accreditato() => {
                "il dossier è solo per i corsi accreditati dalla Regione".to_string()
            }
            Some(TipoDocumento::Attestato | TipoDocumento::Pergamena) if iscritti == 0 => {
                "nessun iscritto al corso nei file di iscrizioni/".to_string()
            }
            Some(TipoDocumento::Attestato | TipoDocumento::Pergamena) if esclusi_corso > 0 => {
                // "nessuno degli 8 iscritti", "nessuno dei 12 iscritti".
                let chi = if iscritti == 1 {
                    "l'unico iscritto non".to_string()
                } else {
                    format!(
                        "nessuno {}",
                        super::italiano::con_numero("dei", &conta(iscritti, "iscritto", "iscritti"))
                    )
                };
                format!(
                    "{chi} ha i requisiti ({}: vedi sopra chi non riceve documenti e perché)",
                    conta(esclusi_corso, "escluso", "esclusi")
                )
            }
            _ => "nessun documento di questo tipo".to_string(),
        };
        let altri: Vec<String> = per_tipo
            .iter()
            .map(|(t, n)| format!("{} {n}", nome_tipo(*t)))
            .collect();
        let altri = if altri.is_empty() {
            String::new()
        } else {
            format!(" (il corso produce: {})", altri.join(", "))
        };
        righe.push(format!("{}: {perche}{altri}", corso.id));
    }
    if righe.is_empty() {
        righe.push("nessun corso corrisponde al filtro".into());
    }
    righe
}

/// The kind's name as `--kind` takes it.
fn nome_tipo(t: TipoDocumento) -> &'static str {
    match t {
        TipoDocumento::Bando => "bando",
        TipoDocumento::Decreto => "decreto",
        TipoDocumento::Pergamena => "pergamena",
        TipoDocumento::Attestato => "attestato",
        TipoDocumento::Dossier => "dossier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escluso(corso: &str, motivo: &str) -> Escluso {
        Escluso {
            corso: corso.into(),
            persona: "X".into(),
            nominativo: "Rossi Maria".into(),
            motivo: motivo.into(),
        }
    }

    #[test]
    fn totali_per_corso_con_i_motivi_raggruppati() {
        let e = vec![
            escluso("b", "frequenza 69,8% inferiore al minimo del 75%"),
            escluso("b", "frequenza 61,4% inferiore al minimo del 75%"),
            escluso("a", "assente alla prova finale"),
            escluso("b", "prova finale non superata"),
        ];
        let r = riepilogo(&e, false);
        assert_eq!(
            r,
            vec![
                "chi non riceve documenti: 4 persone",
                "  a: 1 (assente alla prova finale)",
                "  b: 3 (frequenza insufficiente 2, prova finale non superata 1)",
            ]
        );
        assert_eq!(riepilogo(&e, true).len(), 3 + 4);
        assert!(riepilogo(&[], true).is_empty());
        assert_eq!(
            riepilogo(&e[2..3], false)[0],
            "chi non riceve documenti: 1 persona"
        );
    }
}
