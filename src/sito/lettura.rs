//! The page's lookup, in Rust: reads a published site folder as the browser
//! does (parameters from `index.html`, one shard, one record) and decrypts
//! the record. For tests and for an office that wants to check a copy of the
//! site it published.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use serde_json::Value;

use super::cripto::{self, Chiavi};
use super::{pagina, CARTELLA_DATI};
use crate::registry::codice;

/// A published site folder, opened.
#[derive(Debug, Clone)]
pub struct Sito {
    dir: PathBuf,
    /// The site's salt.
    pub sale: Vec<u8>,
    /// Hex digits of an id that name its shard.
    pub cifre: usize,
    /// PBKDF2 iterations for codes.
    pub iterazioni: u32,
}

impl Sito {
    /// Reads the parameters of the site in `dir` (its `index.html`).
    pub fn apri(dir: &Path) -> anyhow::Result<Sito> {
        let p = dir.join("index.html");
        let testo = std::fs::read_to_string(&p).with_context(|| p.display().to_string())?;
        let conf = pagina::configurazione(&testo)
            .ok_or_else(|| anyhow!("{}: parametri del sito assenti", p.display()))?;
        let campo = |k: &str| {
            conf.get(k)
                .ok_or_else(|| anyhow!("{}: manca «{k}»", p.display()))
        };
        Ok(Sito {
            dir: dir.to_path_buf(),
            sale: hex::decode(campo("sale")?.as_str().unwrap_or_default())?,
            cifre: campo("cifre")?.as_u64().unwrap_or(1) as usize,
            iterazioni: campo("iterazioni")?.as_u64().unwrap_or(0) as u32,
        })
    }

    /// The record of a code as typed (normalized as `lookup` does); `None`
    /// when no document was issued with it. A malformed code is an error.
    pub fn per_codice(&self, testo: &str) -> anyhow::Result<Option<Value>> {
        let c = codice::normalizza(testo).with_context(|| testo.to_string())?;
        anyhow::ensure!(
            self.iterazioni == cripto::ITERAZIONI,
            "il sito usa {} iterazioni, questo programma {}",
            self.iterazioni,
            cripto::ITERAZIONI
        );
        self.trova(&cripto::chiavi_codice(&c, &self.sale))
    }

    /// The record of a file by its bytes; `None` when it was never issued
    /// (an altered copy included).
    pub fn per_pdf(&self, pdf: &[u8]) -> anyhow::Result<Option<Value>> {
        self.trova(&cripto::chiavi_pdf(pdf, &self.sale))
    }

    /// The shard file that would hold an id.
    pub fn blocco_di(&self, id: &str) -> PathBuf {
        self.dir
            .join(CARTELLA_DATI)
            .join(format!("{}.js", &id[..self.cifre]))
    }

    fn trova(&self, k: &Chiavi) -> anyhow::Result<Option<Value>> {
        let p = self.blocco_di(&k.id);
        let testo = std::fs::read_to_string(&p).with_context(|| p.display().to_string())?;
        let record = pagina::record_del_blocco(&testo)
            .ok_or_else(|| anyhow!("{}: blocco illeggibile", p.display()))?;
        let Some(cifrato) = record.get(&k.id).and_then(Value::as_str) else {
            return Ok(None);
        };
        let chiaro = cripto::decifra(k, cifrato)
            .ok_or_else(|| anyhow!("{}: record {} alterato", p.display(), k.id))?;
        Ok(Some(serde_json::from_str(&chiaro)?))
    }
}
