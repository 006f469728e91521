//! What the site generator keeps between builds, outside the published
//! folder: the site's salt, the keys already derived for each code (the slow
//! part), the fingerprint of the build the site was made from, and every
//! published file with its size and SHA-256.
//!
//! A line-oriented text file, `verifica-riservato.txt` in the output
//! directory. It holds the keys that open the records, so it is as
//! confidential as the registry beside it and must never be published with
//! the site. Header and file lines come before the keys, so the check of an
//! unchanged rebuild stops reading before them.
//!
//! ```text
//! lauream-verifica 1
//! sale <hex>
//! iterazioni <n>
//! impronta <hex | ->
//! file <sha256> <size> <path inside verifica/>
//! chiave <code> <id hex> <key hex>
//! ```

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use super::cripto::Chiavi;

/// Name of the file in the output directory.
pub const FILE_RISERVATO: &str = crate::archive::disco::FILE_RISERVATO_SITO;

const INTESTAZIONE: &str = "lauream-verifica 1";

/// A published file as the last generation wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePubblicato {
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub dimensione: u64,
}

/// The state after the last generation of the site.
#[derive(Debug, Clone, Default)]
pub struct Stato {
    /// The site's salt.
    pub sale: Vec<u8>,
    /// PBKDF2 iterations the keys were derived with.
    pub iterazioni: u32,
    /// The fingerprint of the complete build the site was made from
    /// (the index's `inputs`), if it was made after one.
    pub impronta: Option<String>,
    /// Every published file, by its path inside the site folder.
    pub file: BTreeMap<String, FilePubblicato>,
    /// Keys already derived, by normalized code (empty unless asked for).
    pub chiavi: BTreeMap<String, Chiavi>,
}

impl Stato {
    /// Reads the state; `None` when absent or not in this format (the site
    /// is then made anew). Keys are read only when asked for.
    pub fn leggi(out: &Path, con_chiavi: bool) -> Option<Stato> {
        let f = std::fs::File::open(out.join(FILE_RISERVATO)).ok()?;
        let mut righe = std::io::BufReader::new(f).lines();
        if righe.next()?.ok()? != INTESTAZIONE {
            return None;
        }
        let mut s = Stato::default();
        for riga in righe {
            let riga = riga.ok()?;
            let mut parti = riga.splitn(4, ' ');
            match parti.next()? {
                "sale" => s.sale = hex::decode(parti.next()?).ok()?,
                "iterazioni" => s.iterazioni = parti.next()?.parse().ok()?,
                "impronta" => {
                    s.impronta = Some(parti.next()?)
                        .filter(|i| *i != "-")
                        .map(str::to_string)
                }
                "file" => {
                    let sha256 = parti.next()?.to_string();
                    let dimensione = parti.next()?.parse().ok()?;
                    s.file.insert(
                        parti.next()?.to_string(),
                        FilePubblicato { sha256, dimensione },
                    );
                }
                "chiave" if !con_chiavi => break,
                "chiave" => {
                    let codice = parti.next()?.to_string();
                    let id = parti.next()?.to_string();
                    let chiave: [u8; 32] = hex::decode(parti.next()?).ok()?.try_into().ok()?;
                    s.chiavi.insert(codice, Chiavi { id, chiave });
                }
                _ => return None,
            }
        }
        (!s.sale.is_empty()).then_some(s)
    }

    /// The state as text (deterministic: everything sorted).
    pub fn testo(&self) -> String {
        let mut t = format!(
            "{INTESTAZIONE}\nsale {}\niterazioni {}\nimpronta {}\n",
            hex::encode(&self.sale),
            self.iterazioni,
            self.impronta.as_deref().unwrap_or("-")
        );
        for (p, f) in &self.file {
            t.push_str(&format!("file {} {} {p}\n", f.sha256, f.dimensione));
        }
        for (c, k) in &self.chiavi {
            t.push_str(&format!("chiave {c} {} {}\n", k.id, hex::encode(k.chiave)));
        }
        t
    }

    /// Whether every published file is still in the site folder with the
    /// size recorded (their bytes are not read again, as for documents).
    pub fn file_al_loro_posto(&self, sito: &Path) -> bool {
        !self.file.is_empty()
            && self.file.iter().all(|(p, f)| {
                std::fs::metadata(sito.join(p)).is_ok_and(|m| m.len() == f.dimensione)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lo_stato_si_rilegge_uguale() {
        let d = tempfile::tempdir().unwrap();
        let mut s = Stato {
            sale: vec![1, 2, 3],
            iterazioni: 7,
            impronta: Some("abc".into()),
            ..Default::default()
        };
        s.file.insert(
            "dati/0.js".into(),
            FilePubblicato {
                sha256: "ff".into(),
                dimensione: 12,
            },
        );
        s.chiavi.insert(
            "K7QM-3XPD-9T".into(),
            Chiavi {
                id: "00".into(),
                chiave: [5; 32],
            },
        );
        std::fs::write(d.path().join(FILE_RISERVATO), s.testo()).unwrap();
        let letto = Stato::leggi(d.path(), true).unwrap();
        assert_eq!(letto.testo(), s.testo());
        let senza = Stato::leggi(d.path(), false).unwrap();
        assert!(senza.chiavi.is_empty());
        assert_eq!(senza.file, s.file);
        std::fs::write(d.path().join(FILE_RISERVATO), "altro\n").unwrap();
        assert!(Stato::leggi(d.path(), true).is_none());
    }
}
