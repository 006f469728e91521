//! The public verification site: a static folder, `OUT/verifica/`, that
//! every build derives from the registry and an office copies to any web
//! server. Given a verification code (typed, or after `#` in the address the
//! QR code encodes) or a document's PDF (dropped on the page), the page
//! tells kind, number, holder, course, issue date and status.
//!
//! Nothing personal is readable without a code or the document: each record
//! is stored under an id derived from its code (or from its PDF's SHA-256)
//! and encrypted with a key derived from the same secret ([`cripto`]); the
//! page redoes the derivation with WebCrypto. Records are split into shards
//! by the first hex digits of their id, so one lookup loads one small file
//! whatever the size of the year.
//!
//! ```text
//! verifica/index.html      the page, with the site's public parameters
//! verifica/verifica.js     the lookup, in the browser
//! verifica/verifica.css
//! verifica/dati/<hex>.js   one shard: id → encrypted record
//! ```
//!
//! The site's salt and the keys already derived are kept between builds in
//! the output directory ([`stato`]), outside the published folder: a rebuild
//! derives slow keys only for new codes, and gives the same bytes for
//! unchanged records.

pub mod cripto;
pub mod lettura;
mod pagina;
pub mod stato;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::archive;
use crate::model::Dataset;
use crate::registry::elenco::{FiltroElenco, VoceElenco};
use crate::registry::Registro;
use cripto::{Chiavi, Dominio};
use stato::{FilePubblicato, Stato};

pub use stato::FILE_RISERVATO;

/// The site's folder inside the output directory.
pub const CARTELLA: &str = crate::archive::disco::CARTELLA_SITO;
/// The shards' folder inside the site.
pub const CARTELLA_DATI: &str = "dati";
/// Records per shard, on average, at most: a shard stays a few tens of
/// kilobytes (16 shards for a small year, 4,096 for 100,000 documents).
const MEDIA_PER_BLOCCO: usize = 64;

/// What a build did to the site.
#[derive(Debug, Clone, Default)]
pub struct EsitoSito {
    /// Whether the site was generated again (false: it was already up to
    /// date with the registry and whole).
    pub rigenerato: bool,
    /// Records published: one per code printed on a certificate or
    /// parchment, one per issued file.
    pub record: usize,
    /// Of those, codes whose slow key was derived by this build.
    pub chiavi_nuove: usize,
    /// Shard files.
    pub blocchi: usize,
    /// Files written because their bytes changed.
    pub scritti: usize,
    /// Time spent, in seconds.
    pub secondi: f64,
}

/// Keeps the site in step with the registry after a build that stopped
/// early (nothing had changed): nothing to do when the site was made from
/// the same complete build and every file is in place; otherwise it is
/// generated again (a folder deleted or copied away, a build killed while
/// writing it).
pub fn aggiorna_se_serve(
    out: &Path,
    registro: &Path,
    ds: &Dataset,
    impronta: Option<&str>,
) -> anyhow::Result<EsitoSito> {
    if let Some(s) = Stato::leggi(out, false) {
        if impronta.is_some()
            && s.impronta.as_deref() == impronta
            && s.file_al_loro_posto(&out.join(CARTELLA))
        {
            return Ok(EsitoSito::default());
        }
    }
    pubblica(out, registro, ds, impronta)
}

/// Generates the site from the registry: every record, every shard, the
/// page. Writes only the files whose bytes changed and removes the shards
/// no longer produced; derives slow keys only for codes it has not seen.
/// `impronta` is the fingerprint of the complete build it follows.
pub fn pubblica(
    out: &Path,
    registro: &Path,
    ds: &Dataset,
    impronta: Option<&str>,
) -> anyhow::Result<EsitoSito> {
    let inizio = Instant::now();
    let precedente = Stato::leggi(out, true);
    let sale = match precedente.as_ref().map(|s| s.sale.clone()) {
        Some(s) => s,
        None => pagina::sale_pubblicato(&out.join(CARTELLA)).map_or_else(sale_nuovo, Ok)?,
    };
    let mut chiavi = precedente
        .as_ref()
        .filter(|s| s.sale == sale && s.iterazioni == cripto::ITERAZIONI)
        .map(|s| s.chiavi.clone())
        .unwrap_or_default();
    let voci = if registro.is_file() {
        Registro::apri_esistente(registro)?.elenco(&FiltroElenco::default())?
    } else {
        Vec::new()
    };
    let corsi: HashMap<&str, &str> = ds
        .corsi
        .iter()
        .map(|(_, c)| (c.id.as_str(), c.titolo.as_str()))
        .collect();
    let record = record_di(&voci, &corsi);

    // The slow part: one PBKDF2 per code never seen, on every core.
    let mancanti: Vec<&str> = record
        .iter()
        .filter_map(|r| match &r.segreto {
            Segreto::Codice(c) if !chiavi.contains_key(c) => Some(c.as_str()),
            _ => None,
        })
        .collect();
    let chiavi_nuove = mancanti.len();
    let derivate: Vec<(String, Chiavi)> = mancanti
        .par_iter()
        .map(|c| (c.to_string(), cripto::chiavi_codice(c, &sale)))
        .collect();
    chiavi.extend(derivate);

    let cifrati: Vec<(String, String)> = record
        .par_iter()
        .map(|r| {
            let k = match &r.segreto {
                Segreto::Codice(c) => chiavi[c].clone(),
                Segreto::Pdf(h) => cripto::espandi(h, &sale, Dominio::Pdf),
            };
            let cifrato = cripto::cifra(&k, &r.testo);
            (k.id, cifrato)
        })
        .collect();
    let (file, blocchi) = file_del_sito(ds, &sale, cifrati);

    let sito = out.join(CARTELLA);
    let vecchi = precedente.map(|s| s.file).unwrap_or_default();
    let (pubblicati, scritti) = scrivi_cambiati(&sito, &file, &vecchi)?;
    let codici_vivi: std::collections::HashSet<&str> = record
        .iter()
        .filter_map(|r| match &r.segreto {
            Segreto::Codice(c) => Some(c.as_str()),
            Segreto::Pdf(_) => None,
        })
        .collect();
    chiavi.retain(|c, _| codici_vivi.contains(c.as_str()));
    let stato = Stato {
        sale,
        iterazioni: cripto::ITERAZIONI,
        impronta: impronta.map(str::to_string),
        file: pubblicati,
        chiavi,
    };
    archive::scrivi_atomico(&out.join(FILE_RISERVATO), stato.testo().as_bytes())
        .with_context(|| out.join(FILE_RISERVATO).display().to_string())?;
    Ok(EsitoSito {
        rigenerato: true,
        record: record.len(),
        chiavi_nuove,
        blocchi,
        scritti,
        secondi: inizio.elapsed().as_secs_f64(),
    })
}

/// A fresh random salt for a new site.
fn sale_nuovo() -> anyhow::Result<Vec<u8>> {
    let mut s = vec![0u8; cripto::LUNGHEZZA_SALE];
    getrandom::fill(&mut s).map_err(|e| anyhow::anyhow!("sale casuale del sito: {e}"))?;
    Ok(s)
}

/// What a record is found by.
enum Segreto {
    /// A verification code, normalized.
    Codice(String),
    /// The SHA-256 of an issued file.
    Pdf([u8; 32]),
}

/// One record before encryption.
struct Record {
    segreto: Segreto,
    testo: String,
}

/// The records of the registry's rows: one per code that a certificate or
/// parchment prints (whatever its status: an old paper must still say it
/// was revoked or superseded), one per issued file (the latest row that
/// issued those bytes, as `verify-doc` reads it). Rows whose file was never
/// produced are not published.
fn record_di(voci: &[VoceElenco], corsi: &HashMap<&str, &str>) -> Vec<Record> {
    let mut per_impronta: BTreeMap<[u8; 32], String> = BTreeMap::new();
    let mut record = Vec::new();
    for v in voci {
        let Some(h) = v.sha256.as_deref() else {
            continue;
        };
        let testo = contenuto(v, corsi);
        if matches!(v.tipo.as_str(), "attestato" | "pergamena") {
            record.push(Record {
                segreto: Segreto::Codice(v.codice.clone()),
                testo: testo.clone(),
            });
        }
        if let Some(h) = hex::decode(h)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
        {
            per_impronta.insert(h, testo);
        }
    }
    record.extend(per_impronta.into_iter().map(|(h, testo)| Record {
        segreto: Segreto::Pdf(h),
        testo,
    }));
    record
}

/// What a record says, as compact JSON: only what the document itself shows
/// its reader (no tax code, no birth data), and the status.
fn contenuto(v: &VoceElenco, corsi: &HashMap<&str, &str>) -> String {
    let corso = v.titolo_corso().map(str::to_string).or_else(|| {
        v.corso
            .as_deref()
            .map(|c| corsi.get(c).copied().unwrap_or(c).to_string())
    });
    let rimando = |r: &Option<crate::registry::elenco::Rimando>| {
        r.as_ref().map(|r| json!({ "numero": r.numero }))
    };
    let mut m = Map::new();
    let mut metti = |k: &str, v: Option<Value>| {
        if let Some(v) = v.filter(|v| !v.is_null()) {
            m.insert(k.to_string(), v);
        }
    };
    metti("tipo", Some(json!(v.tipo)));
    metti("documento", Some(json!(v.intestazione())));
    metti("serie", v.serie.as_ref().map(|s| json!(s)));
    metti("numero", v.numero.as_ref().map(|n| json!(n)));
    metti("intestatario", v.intestatario.as_ref().map(|n| json!(n)));
    metti("corso", corso.map(Value::from));
    metti("data", v.data.as_ref().map(|d| json!(d)));
    metti("stato", Some(json!(v.stato)));
    // The day of the revocation; the time of day is the registry's business.
    metti(
        "revocato_il",
        v.revocato_il
            .as_deref()
            .map(|t| json!(t.get(..10).unwrap_or(t))),
    );
    metti("motivo", v.motivo.as_ref().map(|m| json!(m)));
    metti("sostituito_da", rimando(&v.sostituito_da));
    metti("sostituisce", rimando(&v.sostituisce));
    Value::Object(m).to_string()
}

/// Hex digits of the id that name a record's shard, for this many records.
fn cifre_per(record: usize) -> usize {
    let mut cifre = 1;
    while cifre < 4 && record > MEDIA_PER_BLOCCO << (4 * cifre) {
        cifre += 1;
    }
    cifre
}

/// Every file of the site, by path inside the site folder, and how many of
/// them are shards. Every shard is written, empty ones too: a missing shard
/// is then a broken copy of the site, never a code that was not issued.
fn file_del_sito(
    ds: &Dataset,
    sale: &[u8],
    mut cifrati: Vec<(String, String)>,
) -> (BTreeMap<String, Vec<u8>>, usize) {
    let cifre = cifre_per(cifrati.len());
    cifrati.sort();
    let mut per_blocco: BTreeMap<String, Map<String, Value>> = (0..1usize << (4 * cifre))
        .map(|i| (format!("{i:0cifre$x}"), Map::new()))
        .collect();
    for (id, cifrato) in cifrati {
        if let Some(b) = per_blocco.get_mut(&id[..cifre]) {
            b.insert(id, Value::String(cifrato));
        }
    }
    let blocchi = per_blocco.len();
    let mut file: BTreeMap<String, Vec<u8>> = per_blocco
        .into_iter()
        .map(|(nome, record)| {
            (
                format!("{CARTELLA_DATI}/{nome}.js"),
                pagina::blocco(&nome, &Value::Object(record)).into_bytes(),
            )
        })
        .collect();
    let configurazione = json!({
        "versione": 1,
        "sale": hex::encode(sale),
        "iterazioni": cripto::ITERAZIONI,
        "cifre": cifre,
    });
    file.insert(
        "index.html".into(),
        pagina::indice(&ds.ateneo.nome, &configurazione).into_bytes(),
    );
    for (nome, testo) in pagina::RISORSE {
        file.insert(nome.to_string(), testo.as_bytes().to_vec());
    }
    (file, blocchi)
}

/// Writes the files whose bytes differ from what the last generation
/// recorded (or that are missing), removes the shards and files of the last
/// generation no longer produced and any temporary file a killed build left
/// in the site, and flushes once. Returns what is now published and how
/// many files were written.
fn scrivi_cambiati(
    sito: &Path,
    file: &BTreeMap<String, Vec<u8>>,
    vecchi: &BTreeMap<String, FilePubblicato>,
) -> anyhow::Result<(BTreeMap<String, FilePubblicato>, usize)> {
    let dati = sito.join(CARTELLA_DATI);
    std::fs::create_dir_all(&dati).with_context(|| dati.display().to_string())?;
    let pubblicati: BTreeMap<String, FilePubblicato> = file
        .par_iter()
        .map(|(p, b)| {
            (
                p.clone(),
                FilePubblicato {
                    sha256: archive::sha256_hex(b),
                    dimensione: b.len() as u64,
                },
            )
        })
        .collect();
    let da_scrivere: Vec<&String> = file
        .keys()
        .filter(|p| {
            let f = &pubblicati[*p];
            vecchi.get(*p) != Some(f)
                || !std::fs::metadata(sito.join(p)).is_ok_and(|m| m.len() == f.dimensione)
        })
        .collect();
    da_scrivere.par_iter().try_for_each(|p| {
        scrivi(&sito.join(p), &file[*p]).with_context(|| sito.join(p).display().to_string())
    })?;
    for dir in [sito, dati.as_path()] {
        for e in std::fs::read_dir(dir)?.filter_map(Result::ok) {
            let nome = e.file_name().to_string_lossy().into_owned();
            let relativo = if dir == sito {
                nome.clone()
            } else {
                format!("{CARTELLA_DATI}/{nome}")
            };
            let nostro = archive::resto_di_build(&nome)
                || (vecchi.contains_key(&relativo) && !file.contains_key(&relativo))
                || (dir != sito && nome.ends_with(".js") && !file.contains_key(&relativo));
            if nostro && e.file_type().is_ok_and(|t| t.is_file()) {
                std::fs::remove_file(e.path()).with_context(|| e.path().display().to_string())?;
            }
        }
    }
    let scritti: Vec<std::path::PathBuf> = da_scrivere.iter().map(|p| sito.join(p)).collect();
    archive::sincronizza(sito, scritti.iter().map(|p| p.as_path()))?;
    Ok((pubblicati, da_scrivere.len()))
}

/// Writes a file under a temporary name and renames it into place, without
/// flushing each one: the caller flushes the whole site once, and a site
/// torn by a power cut is made again by the next build (its sizes no longer
/// match the state).
fn scrivi(percorso: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = percorso.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(archive::PREFISSO_TEMPORANEO)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(percorso).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pochi_blocchi_per_pochi_record_e_piccoli_per_molti() {
        assert_eq!(cifre_per(0), 1);
        assert_eq!(cifre_per(160), 1);
        assert_eq!(cifre_per(16 * 64), 1);
        assert_eq!(cifre_per(16 * 64 + 1), 2);
        // A year of 100,000 documents: about 200,000 records, 4,096 shards
        // of about fifty records each.
        assert_eq!(cifre_per(200_000), 3);
        const { assert!(200_000 / 4096 <= MEDIA_PER_BLOCCO) };
    }
}
