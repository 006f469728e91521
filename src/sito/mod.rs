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
///
/// In constant memory whatever the size of the year, but for a few dozen
/// bytes per record: a first pass over the registry's rows keeps only each
/// record's id, key and row ([`Posto`]); then the shards are made a group at
/// a time ([`RECORD_PER_GRUPPO`] records), each group's rows read again,
/// encrypted, composed, written if changed and dropped.
pub fn pubblica(
    out: &Path,
    registro: &Path,
    ds: &Dataset,
    impronta: Option<&str>,
) -> anyhow::Result<EsitoSito> {
    pubblica_a_gruppi(out, registro, ds, impronta, RECORD_PER_GRUPPO)
}

/// [`pubblica`], making shards in groups of about this many records (at
/// least one shard a group): the same site whatever the size, which the
/// tests check with groups far smaller than a year's shard.
pub fn pubblica_a_gruppi(
    out: &Path,
    registro: &Path,
    ds: &Dataset,
    impronta: Option<&str>,
    record_per_gruppo: usize,
) -> anyhow::Result<EsitoSito> {
    let inizio = Instant::now();
    let precedente = Stato::leggi(out, true);
    let sale = match precedente.as_ref().map(|s| s.sale.clone()) {
        Some(s) => s,
        None => pagina::sale_pubblicato(&out.join(CARTELLA)).map_or_else(sale_nuovo, Ok)?,
    };
    let (vecchi, mut chiavi) = match precedente {
        Some(s) if s.sale == sale && s.iterazioni == cripto::ITERAZIONI => (s.file, s.chiavi),
        Some(s) => (s.file, BTreeMap::new()),
        None => Default::default(),
    };
    // A key whose id is not what the derivation gives is derived again.
    chiavi.retain(|_, k| id_in_byte(&k.id).is_some());
    let registro = match registro.is_file() {
        true => Some(Registro::apri_esistente(registro)?),
        false => None,
    };
    let righe = match &registro {
        Some(r) => righe_del_sito(r)?,
        None => RigheDelSito::default(),
    };
    let chiavi_nuove = deriva_mancanti(&righe, &sale, &mut chiavi);
    let posti = posti_di(righe, &sale, &mut chiavi);
    let corsi: HashMap<&str, &str> = ds
        .corsi
        .iter()
        .map(|(_, c)| (c.id.as_str(), c.titolo.as_str()))
        .collect();
    let sito = out.join(CARTELLA);
    let mut scrittura = Scrittura::nuova(&sito, &vecchi)?;
    let blocchi = scrivi_blocchi(
        registro.as_ref(),
        &corsi,
        &posti,
        record_per_gruppo,
        &mut scrittura,
    )?;
    let record = posti.len();
    drop(posti);
    let configurazione = json!({
        "versione": 1,
        "sale": hex::encode(&sale),
        "iterazioni": cripto::ITERAZIONI,
        "cifre": cifre_per(record),
    });
    let indice = pagina::indice(&ds.ateneo.nome, &configurazione);
    scrittura.pubblica("index.html".into(), indice.as_bytes())?;
    for (nome, testo) in pagina::RISORSE {
        scrittura.pubblica(nome.to_string(), testo.as_bytes())?;
    }
    let (pubblicati, scritti) = scrittura.concludi()?;
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
        record,
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

/// The records the registry's rows make, by their secret and the row they
/// say what: one per code that a certificate or parchment prints (whatever
/// its status: an old paper must still say it was revoked or superseded),
/// one per issued file (the latest row that issued those bytes, as
/// `verify-doc` reads it). Rows whose file was never produced are not
/// published.
#[derive(Default)]
struct RigheDelSito {
    /// Normalized code and row, in order of issue.
    codici: Vec<(String, i64)>,
    /// A file's SHA-256 and the latest row that issued it.
    pdf: BTreeMap<[u8; 32], i64>,
}

/// The first pass: the rows' secrets, one row at a time.
fn righe_del_sito(registro: &Registro) -> anyhow::Result<RigheDelSito> {
    let mut r = RigheDelSito::default();
    registro.scorri_elenco(&FiltroElenco::default(), |riga, v| {
        let Some(h) = v.sha256.as_deref() else {
            return Ok(());
        };
        if matches!(v.tipo.as_str(), "attestato" | "pergamena") {
            r.codici.push((v.codice, riga));
        }
        let mut b = [0u8; 32];
        if hex::decode_to_slice(h, &mut b).is_ok() {
            r.pdf.insert(b, riga);
        }
        Ok(())
    })?;
    Ok(r)
}

/// The slow part: one PBKDF2 per code never seen, on every core, each
/// core deriving up to [`cripto::CORSIE`] codes at once (interleaved on
/// SHA-NI, see [`cripto::maestre_codici`]); fewer when there are too few
/// codes to give every core a full group, so that no core waits idle.
/// Returns how many were derived.
fn deriva_mancanti(
    righe: &RigheDelSito,
    sale: &[u8],
    chiavi: &mut BTreeMap<String, Chiavi>,
) -> usize {
    let mancanti: Vec<&str> = righe
        .codici
        .iter()
        .map(|(c, _)| c.as_str())
        .filter(|c| !chiavi.contains_key(*c))
        .collect();
    let derivate: Vec<(String, Chiavi)> = mancanti
        .par_chunks(larghezza_gruppi(
            mancanti.len(),
            rayon::current_num_threads(),
        ))
        .flat_map_iter(|gruppo| {
            let maestre = cripto::maestre_codici(gruppo, sale);
            gruppo
                .iter()
                .zip(maestre)
                .map(|(c, m)| (c.to_string(), cripto::espandi(&m, sale, Dominio::Codice)))
        })
        .collect();
    let n = mancanti.len();
    chiavi.extend(derivate);
    n
}

/// How many codes each task derives together: [`cripto::CORSIE`], or
/// fewer so that `codici` codes still make at least one group per thread.
fn larghezza_gruppi(codici: usize, thread: usize) -> usize {
    codici.div_ceil(thread.max(1)).clamp(1, cripto::CORSIE)
}

/// Where a record goes and what it is made of, without its content: its
/// lookup id, its key and the registry row it says what (56 bytes).
#[derive(Clone, Copy)]
struct Posto {
    id: [u8; cripto::LUNGHEZZA_ID],
    chiave: [u8; 32],
    riga: i64,
}

impl Posto {
    /// Its shard's number: the first `cifre` hex digits of its id.
    fn blocco(&self, cifre: usize) -> usize {
        (usize::from(self.id[0]) << 8 | usize::from(self.id[1])) >> (16 - 4 * cifre)
    }
}

/// A lookup id as bytes; `None` when not the hex of one.
fn id_in_byte(id: &str) -> Option<[u8; cripto::LUNGHEZZA_ID]> {
    let mut b = [0u8; cripto::LUNGHEZZA_ID];
    hex::decode_to_slice(id, &mut b).ok()?;
    (hex::encode(b) == id).then_some(b)
}

/// Every record's place, sorted by id; forgets the keys of codes no longer
/// published.
fn posti_di(righe: RigheDelSito, sale: &[u8], chiavi: &mut BTreeMap<String, Chiavi>) -> Vec<Posto> {
    let mut posti: Vec<Posto> = Vec::with_capacity(righe.codici.len() + righe.pdf.len());
    for (c, riga) in &righe.codici {
        let k = &chiavi[c];
        posti.push(Posto {
            id: id_in_byte(&k.id).expect("chiavi con id valido"),
            chiave: k.chiave,
            riga: *riga,
        });
    }
    let vivi: std::collections::HashSet<&str> =
        righe.codici.iter().map(|(c, _)| c.as_str()).collect();
    chiavi.retain(|c, _| vivi.contains(c.as_str()));
    let pdf: Vec<([u8; 32], i64)> = righe.pdf.into_iter().collect();
    posti.par_extend(pdf.par_iter().map(|(h, riga)| {
        let k = cripto::espandi(h, sale, Dominio::Pdf);
        Posto {
            id: id_in_byte(&k.id).expect("HKDF dà un id di 16 byte"),
            chiave: k.chiave,
            riga: *riga,
        }
    }));
    posti.par_sort_unstable_by_key(|p| p.id);
    posti
}

/// Records per group of shards made at once: a few megabytes of content
/// and ciphertext, whatever the size of the year.
const RECORD_PER_GRUPPO: usize = 4096;

/// Makes and writes every shard, a group at a time; returns how many.
/// Every shard is written, empty ones too: a missing shard is then a broken
/// copy of the site, never a code that was not issued.
fn scrivi_blocchi(
    registro: Option<&Registro>,
    corsi: &HashMap<&str, &str>,
    posti: &[Posto],
    record_per_gruppo: usize,
    scrittura: &mut Scrittura,
) -> anyhow::Result<usize> {
    let cifre = cifre_per(posti.len());
    let blocchi = 1usize << (4 * cifre);
    // Each shard's records: a range of `posti`, sorted by id.
    let mut inizi = vec![posti.len(); blocchi + 1];
    for (i, p) in posti.iter().enumerate().rev() {
        inizi[p.blocco(cifre)] = i;
    }
    for b in (0..blocchi).rev() {
        inizi[b] = inizi[b].min(inizi[b + 1]);
    }
    let mut primo = 0;
    while primo < blocchi {
        let mut ultimo = primo + 1;
        while ultimo < blocchi && inizi[ultimo + 1] - inizi[primo] <= record_per_gruppo {
            ultimo += 1;
        }
        let gruppo = &posti[inizi[primo]..inizi[ultimo]];
        let testi = testi_di(registro, corsi, gruppo)?;
        let file: Vec<(String, Vec<u8>)> = (primo..ultimo)
            .into_par_iter()
            .map(|b| {
                let nome = format!("{b:0cifre$x}");
                let record = &posti[inizi[b]..inizi[b + 1]];
                let bytes = blocco(&nome, record, &testi).into_bytes();
                (format!("{CARTELLA_DATI}/{nome}.js"), bytes)
            })
            .collect();
        scrittura.pubblica_tutti(file)?;
        primo = ultimo;
    }
    Ok(blocchi)
}

/// What the rows of a group of records say, by row.
fn testi_di(
    registro: Option<&Registro>,
    corsi: &HashMap<&str, &str>,
    gruppo: &[Posto],
) -> anyhow::Result<HashMap<i64, String>> {
    let Some(registro) = registro else {
        return Ok(HashMap::new());
    };
    let mut righe: Vec<i64> = gruppo.iter().map(|p| p.riga).collect();
    righe.sort_unstable();
    righe.dedup();
    Ok(registro
        .voci_per_id(&righe)?
        .into_iter()
        .map(|(riga, v)| (riga, contenuto(&v, corsi)))
        .collect())
}

/// One shard's file: its records encrypted, by id in order.
fn blocco(nome: &str, record: &[Posto], testi: &HashMap<i64, String>) -> String {
    let mut cifrati: Vec<(String, String)> = record
        .iter()
        .map(|p| {
            let k = Chiavi {
                id: hex::encode(p.id),
                chiave: p.chiave,
            };
            let testo = testi.get(&p.riga).map_or("", String::as_str);
            let cifrato = cripto::cifra(&k, testo);
            (k.id, cifrato)
        })
        .collect();
    // Ids are unique; were two equal, the larger record is kept, as ever.
    cifrati.sort();
    let mut m = Map::new();
    for (id, cifrato) in cifrati {
        m.insert(id, Value::String(cifrato));
    }
    pagina::blocco(nome, &Value::Object(m))
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

/// The site's files as they are made: each written at once if its bytes
/// differ from what the last generation recorded (or it is missing), then
/// dropped; what is published and what was written are remembered.
struct Scrittura<'a> {
    sito: &'a Path,
    vecchi: &'a BTreeMap<String, FilePubblicato>,
    pubblicati: BTreeMap<String, FilePubblicato>,
    scritti: Vec<std::path::PathBuf>,
}

impl<'a> Scrittura<'a> {
    fn nuova(
        sito: &'a Path,
        vecchi: &'a BTreeMap<String, FilePubblicato>,
    ) -> anyhow::Result<Scrittura<'a>> {
        let dati = sito.join(CARTELLA_DATI);
        std::fs::create_dir_all(&dati).with_context(|| dati.display().to_string())?;
        Ok(Scrittura {
            sito,
            vecchi,
            pubblicati: BTreeMap::new(),
            scritti: Vec::new(),
        })
    }

    /// One file, by its path inside the site folder.
    fn pubblica(&mut self, percorso: String, bytes: &[u8]) -> anyhow::Result<()> {
        let (f, scritto) = self.scrivi_se_cambiato(&percorso, bytes)?;
        self.scritti.extend(scritto);
        self.pubblicati.insert(percorso, f);
        Ok(())
    }

    /// Several files, on every core.
    fn pubblica_tutti(&mut self, file: Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
        let fatti = file
            .into_par_iter()
            .map(|(p, b)| {
                let (f, scritto) = self.scrivi_se_cambiato(&p, &b)?;
                Ok((p, f, scritto))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        for (p, f, scritto) in fatti {
            self.scritti.extend(scritto);
            self.pubblicati.insert(p, f);
        }
        Ok(())
    }

    fn scrivi_se_cambiato(
        &self,
        p: &str,
        b: &[u8],
    ) -> anyhow::Result<(FilePubblicato, Option<std::path::PathBuf>)> {
        let f = FilePubblicato {
            sha256: archive::sha256_hex(b),
            dimensione: b.len() as u64,
        };
        let percorso = self.sito.join(p);
        let cambiato = self.vecchi.get(p) != Some(&f)
            || !std::fs::metadata(&percorso).is_ok_and(|m| m.len() == f.dimensione);
        if !cambiato {
            return Ok((f, None));
        }
        scrivi(&percorso, b).with_context(|| percorso.display().to_string())?;
        Ok((f, Some(percorso)))
    }

    /// Removes the shards and files of the last generation no longer
    /// produced and any temporary file a killed build left in the site,
    /// and flushes once. Returns what is now published and how many files
    /// were written.
    fn concludi(self) -> anyhow::Result<(BTreeMap<String, FilePubblicato>, usize)> {
        let sito = self.sito;
        let dati = sito.join(CARTELLA_DATI);
        let file = &self.pubblicati;
        for dir in [sito, dati.as_path()] {
            for e in std::fs::read_dir(dir)?.filter_map(Result::ok) {
                let nome = e.file_name().to_string_lossy().into_owned();
                let relativo = if dir == sito {
                    nome.clone()
                } else {
                    format!("{CARTELLA_DATI}/{nome}")
                };
                let nostro = archive::resto_di_build(&nome)
                    || (self.vecchi.contains_key(&relativo) && !file.contains_key(&relativo))
                    || (dir != sito && nome.ends_with(".js") && !file.contains_key(&relativo));
                if nostro && e.file_type().is_ok_and(|t| t.is_file()) {
                    std::fs::remove_file(e.path())
                        .with_context(|| e.path().display().to_string())?;
                }
            }
        }
        archive::sincronizza(sito, self.scritti.iter().map(|p| p.as_path()))?;
        let n = self.scritti.len();
        Ok((self.pubblicati, n))
    }
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
    fn gruppi_pieni_solo_se_ogni_thread_ne_ha_uno() {
        assert_eq!(cripto::CORSIE, 4);
        // Many codes: full groups.
        assert_eq!(larghezza_gruppi(1000, 2), 4);
        assert_eq!(larghezza_gruppi(8, 2), 4);
        // Few: narrower, one group per thread at least.
        assert_eq!(larghezza_gruppi(5, 2), 3);
        assert_eq!(larghezza_gruppi(4, 2), 2);
        assert_eq!(larghezza_gruppi(3, 4), 1);
        assert_eq!(larghezza_gruppi(0, 2), 1);
        assert_eq!(larghezza_gruppi(7, 0), 4);
    }

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

    #[test]
    fn il_blocco_e_le_prime_cifre_dell_id() {
        let id = id_in_byte("abcdef0123456789abcdef0123456789").unwrap();
        let p = Posto {
            id,
            chiave: [0; 32],
            riga: 1,
        };
        for cifre in 1..=4 {
            let nome = format!("{:0cifre$x}", p.blocco(cifre));
            assert_eq!(nome, hex::encode(id)[..cifre]);
        }
        // What the state file may hold that no derivation gives.
        assert_eq!(id_in_byte("ABCDEF0123456789ABCDEF0123456789"), None);
        assert_eq!(id_in_byte("abcd"), None);
        assert_eq!(id_in_byte(""), None);
    }
}
