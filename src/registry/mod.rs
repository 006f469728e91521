//! The registry of issued documents: an SQLite database (by default
//! `registro.sqlite` beside the dataset, one per office: see [`posto`])
//! recording, for every document
//! a build issues, its kind, course, person, repertory series and number,
//! verification code, date, SHA-256, archive object and version, and status.
//!
//! Numbers are allocated per series and year (certificates, parchments);
//! decrees bring their repertory number from the data and the registry only
//! refuses a number already used by another decree. A build holds one
//! transaction from allocation to the moment its documents and index are in
//! place, so a build that dies leaves no number behind and its rerun, which
//! plans the same documents in the same order, allocates the same numbers:
//! numbers are never skipped nor reused. Rows are never deleted; a revoked
//! document stays, and its reissue gets a new number and code and records
//! the row it replaces.
//!
//! This module holds the database ([`Registro`]) and a build's transaction
//! on it ([`Emissione`]); [`codice`] derives the verification codes and
//! reads them back as typed. The registry is what a document's verification
//! asks (`lookup` by code, `verify-doc` by SHA-256, [`Scheda`]); the fixity
//! of the files themselves is the archive's business
//! ([`crate::archive::integrita`]).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::Datelike;
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde_json::Value;

pub mod codice;
pub mod dati;
pub mod elenco;
pub mod indirizzo;
pub mod posto;

use crate::plan::{Documento, Registrazione, Serie, Sintesi, TipoDocumento};
use crate::render::PERCORSO_QR;

/// Default name of the registry's file, beside the dataset.
pub const FILE_REGISTRO: &str = "registro.sqlite";

/// The schema, one step per version; `PRAGMA user_version` counts the steps
/// applied. Steps are only ever appended.
const MIGRAZIONI: &[&str] = &[
    r#"
CREATE TABLE documenti (
    id             INTEGER PRIMARY KEY,
    identificativo TEXT NOT NULL,
    -- 1 for the first issue of a document, 2 for its reissue, and so on.
    emissione      INTEGER NOT NULL,
    tipo           TEXT NOT NULL,
    corso          TEXT,
    persona        TEXT,
    titolo         TEXT NOT NULL,
    percorso       TEXT NOT NULL,
    serie          TEXT,
    anno           INTEGER,
    numero         TEXT,
    -- The allocated number, for series the registry numbers itself.
    progressivo    INTEGER,
    codice         TEXT NOT NULL UNIQUE,
    data           TEXT,
    sha256         TEXT,
    oggetto        TEXT,
    versione       TEXT,
    stato          TEXT NOT NULL DEFAULT 'valido'
                   CHECK (stato IN ('valido', 'revocato', 'sostituito')),
    motivo         TEXT,
    revocato_il    TEXT,
    sostituisce    INTEGER REFERENCES documenti(id),
    sostituito_da  INTEGER REFERENCES documenti(id),
    emesso_il      TEXT NOT NULL,
    UNIQUE (identificativo, emissione),
    UNIQUE (serie, anno, progressivo)
);
CREATE UNIQUE INDEX numeri_vigenti ON documenti (serie, anno, numero)
    WHERE stato = 'valido' AND numero IS NOT NULL;
CREATE INDEX per_impronta ON documenti (sha256);
CREATE TRIGGER righe_permanenti BEFORE DELETE ON documenti
BEGIN
    SELECT RAISE(ABORT, 'le righe del registro non si cancellano');
END;
"#,
    r#"
-- The data (JSON, zlib-compressed) the document was rendered from: what a
-- refusal to change an issued document compares, field by field.
ALTER TABLE documenti ADD COLUMN dati BLOB;
"#,
];

/// How a family of documents is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numerazione {
    /// The registry allocates the next number of the series and year.
    Progressiva,
    /// The number comes with the data (decrees' repertory numbers).
    DaiDati,
}

/// How a series is numbered: decrees bring their repertory number, the
/// registry numbers the others. Which series a document belongs to, if
/// any, the plan says ([`Documento::serie`]).
fn numerazione(serie: Serie) -> Numerazione {
    match serie {
        Serie::Decreti | Serie::DecretiDipartimento => Numerazione::DaiDati,
        Serie::Certificati | Serie::Pergamene => Numerazione::Progressiva,
    }
}

/// "Registro dei certificati" for a series name as stored; a
/// department's repertory is stored with the department's name after the
/// series ("decreti-dipartimento:Dipartimento di …") and named by it.
pub fn nome_serie(serie: &str) -> &str {
    match serie.split_once(':') {
        Some((s, dipartimento)) if Serie::da_nome(s) == Some(Serie::DecretiDipartimento) => {
            dipartimento
        }
        _ => Serie::da_nome(serie).map_or(serie, |s| s.titolo()),
    }
}

/// The repertory a document is numbered in, as the registry stores it:
/// the series' name, and for a department's decrees the department too,
/// since each department numbers its own decrees (Art. 11.3). Numbers are
/// unique within a repertory and year, not across the Rector's and the
/// departments' repertories.
fn repertorio(doc: &Sintesi, serie: Serie) -> String {
    match (serie, &doc.emittente) {
        (Serie::DecretiDipartimento, Some(emittente)) => {
            format!("{}:{}", serie.nome(), emittente.trim())
        }
        _ => serie.nome().to_string(),
    }
}

/// Wall-clock time of issue or revocation: registry metadata, never part of
/// a document's content.
fn adesso() -> String {
    ora_utc("%Y-%m-%dT%H:%M:%SZ")
}

/// The wall-clock time now, UTC, to the second, in a chrono format. Only
/// bookkeeping reads the clock (registry rows, lock files): documents take
/// every date from the data.
pub(crate) fn ora_utc(formato: &str) -> String {
    let secondi = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secondi, 0)
        .unwrap_or_default()
        .format(formato)
        .to_string()
}

/// An open registry.
pub struct Registro {
    conn: Connection,
    percorso: PathBuf,
}

impl Registro {
    /// Opens the registry, creating it (and its directory) when absent, and
    /// brings its schema up to date.
    pub fn apri(percorso: &Path) -> anyhow::Result<Registro> {
        if let Some(d) = percorso.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(d).with_context(|| d.display().to_string())?;
        }
        Self::connetti(percorso)
    }

    /// Opens a registry that must exist already (lookups, revocations).
    pub fn apri_esistente(percorso: &Path) -> anyhow::Result<Registro> {
        if !percorso.is_file() {
            bail!(
                "{}: registro inesistente (viene creato da lauream build accanto al dataset; indicare --dataset, --out o --registry)",
                percorso.display()
            );
        }
        Self::connetti(percorso)
    }

    /// Opens the database file (SQLite creates it when absent) and migrates it.
    fn connetti(percorso: &Path) -> anyhow::Result<Registro> {
        let contesto = || format!("registro {}", percorso.display());
        let mut conn = Connection::open(percorso).with_context(contesto)?;
        // A second build on the same registry waits a little, then gives up
        // with a clear message rather than interleaving numbers.
        conn.busy_timeout(std::time::Duration::from_secs(2))
            .with_context(contesto)?;
        conn.pragma_update(None, "foreign_keys", true)
            .with_context(contesto)?;
        // Write-ahead logging: a build's transaction, which grows with the
        // year, spills to the log instead of staying in memory, and readers
        // (`lookup`, `registry list`, the site) keep reading the last
        // committed state meanwhile instead of waiting for the build. The
        // mode is recorded in the file; SQLite needs the registry on a
        // local disk for it, as it does for its locks.
        let modo: String = conn
            .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
            .with_context(contesto)?;
        if !modo.eq_ignore_ascii_case("wal") {
            anyhow::bail!(
                "{}: il registro non può usare il journal WAL (modo {modo})",
                contesto()
            );
        }
        migra(&mut conn).with_context(contesto)?;
        Ok(Registro {
            conn,
            percorso: percorso.to_path_buf(),
        })
    }

    /// Where the registry's database file is, as given when opened: what
    /// messages name it by.
    pub fn percorso(&self) -> &Path {
        &self.percorso
    }

    /// A summary that changes whenever what the registry says of documents
    /// changes: a row added (an issue, a reissue, a superseding) or a status
    /// changed (a revocation). Unlike the file's bytes it holds no
    /// wall-clock time, so two identical builds give the same summary.
    pub fn sommario(&self) -> anyhow::Result<String> {
        let (righe, valide, ultima): (i64, i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(stato = 'valido'), 0), coalesce(max(id), 0) FROM documenti",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(format!("{righe}/{valide}/{ultima}"))
    }

    /// The schema version (migrations applied).
    pub fn versione_schema(&self) -> anyhow::Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Starts a build's transaction, taking the registry's write lock for
    /// the whole build, and reads every row the allocation needs in one
    /// query each.
    pub fn emissione(&mut self, ateneo: &crate::model::Ateneo) -> anyhow::Result<Emissione<'_>> {
        let percorso = self.percorso.display().to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy) => anyhow::anyhow!(
                    "{percorso}: il registro è in uso da un'altra build; riprovare quando è terminata"
                ),
                _ => anyhow::Error::new(e).context(percorso.clone()),
            })?;
        let mut ultime: HashMap<String, Riga> = HashMap::new();
        let mut codici = HashSet::new();
        let mut massimi: HashMap<(String, i64), i64> = HashMap::new();
        let mut numeri: HashMap<(String, i64, String), String> = HashMap::new();
        {
            let mut st = tx.prepare(
                "SELECT id, identificativo, emissione, stato, serie, anno, numero, progressivo,
                        codice, sha256, oggetto, versione, dati IS NOT NULL
                 FROM documenti ORDER BY id",
            )?;
            let mut righe = st.query([])?;
            while let Some(r) = righe.next()? {
                let riga = Riga {
                    id: r.get(0)?,
                    identificativo: r.get(1)?,
                    emissione: r.get(2)?,
                    stato: r.get(3)?,
                    serie: r.get(4)?,
                    anno: r.get(5)?,
                    numero: r.get(6)?,
                    progressivo: r.get(7)?,
                    codice: r.get(8)?,
                    sha256: r.get(9)?,
                    oggetto: r.get(10)?,
                    versione: r.get(11)?,
                    ha_dati: r.get(12)?,
                };
                codici.insert(riga.codice.clone());
                if let (Some(s), Some(a)) = (&riga.serie, riga.anno) {
                    if let Some(p) = riga.progressivo {
                        let m = massimi.entry((s.clone(), a)).or_insert(0);
                        *m = (*m).max(p);
                    }
                    if let Some(n) = &riga.numero {
                        numeri.insert((s.clone(), a, n.clone()), riga.identificativo.clone());
                    }
                }
                // Ordered by id: the last row of an identifier is its latest issue.
                ultime.insert(riga.identificativo.clone(), riga);
            }
        }
        Ok(Emissione {
            tx,
            ateneo: ateneo.sigla.clone().unwrap_or_else(|| ateneo.nome.clone()),
            url: ateneo.url_verifica.clone(),
            quando: adesso(),
            ultime,
            codici,
            massimi,
            numeri,
        })
    }

    /// The document issued under a code (as read from paper; see
    /// [`codice::normalizza`]).
    pub fn per_codice(&self, codice: &str) -> anyhow::Result<Option<Scheda>> {
        Ok(self
            .conn
            .query_row(
                &format!("{SELECT_SCHEDA} WHERE d.codice = ?1"),
                [codice],
                Scheda::da_riga,
            )
            .optional()?)
    }

    /// Every document issued to a person (by tax code), in order of issue,
    /// whatever its status.
    pub fn per_persona(&self, codice_fiscale: &str) -> anyhow::Result<Vec<Scheda>> {
        let mut st = self.conn.prepare(&format!(
            "{SELECT_SCHEDA} WHERE d.persona = ?1 ORDER BY d.id"
        ))?;
        let v = st
            .query_map([codice_fiscale], Scheda::da_riga)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// The documents whose file had this SHA-256 when issued.
    pub fn per_impronta(&self, sha256: &str) -> anyhow::Result<Vec<Scheda>> {
        let mut st = self.conn.prepare(&format!(
            "{SELECT_SCHEDA} WHERE d.sha256 = ?1 ORDER BY d.id"
        ))?;
        let v = st
            .query_map([sha256], Scheda::da_riga)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(v)
    }

    /// Marks a document revoked, with the reason and the time. The row and
    /// the archived file stay; a later build that plans the same document
    /// issues it again under a new number and code.
    pub fn revoca(&mut self, codice: &str, motivo: &str) -> anyhow::Result<Scheda> {
        let motivo = motivo.trim();
        if motivo.is_empty() {
            bail!("indicare il motivo della revoca (--reason)");
        }
        let tx = self.conn.transaction()?;
        let scheda = tx
            .query_row(
                &format!("{SELECT_SCHEDA} WHERE d.codice = ?1"),
                [codice],
                Scheda::da_riga,
            )
            .optional()?
            .ok_or_else(|| anyhow::anyhow!("{codice}: codice non presente nel registro"))?;
        match scheda.stato.as_str() {
            "valido" => {}
            "revocato" => bail!(
                "{codice}: documento già revocato il {}",
                scheda.revocato_il.as_deref().unwrap_or("?")
            ),
            _ => bail!(
                "{codice}: documento già sostituito{}; revocare il documento vigente",
                scheda
                    .sostituito_da
                    .as_ref()
                    .map(|s| format!(" da {s}"))
                    .unwrap_or_default()
            ),
        }
        tx.execute(
            "UPDATE documenti SET stato = 'revocato', motivo = ?1, revocato_il = ?2 WHERE id = ?3",
            params![motivo, adesso(), scheda.id],
        )?;
        let scheda = tx.query_row(
            &format!("{SELECT_SCHEDA} WHERE d.id = ?1"),
            [scheda.id],
            Scheda::da_riga,
        )?;
        tx.commit()?;
        Ok(scheda)
    }

    /// Every row, in order of issue (for tests and audits).
    pub fn tutte(&self) -> anyhow::Result<Vec<Scheda>> {
        let mut st = self
            .conn
            .prepare(&format!("{SELECT_SCHEDA} ORDER BY d.id"))?;
        let v = st
            .query_map([], Scheda::da_riga)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(v)
    }
}

/// Applies the [`MIGRAZIONI`] steps not yet applied, each in its own
/// transaction; refuses a schema newer than this program knows.
fn migra(conn: &mut Connection) -> anyhow::Result<()> {
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if v as usize > MIGRAZIONI.len() {
        bail!(
            "versione dello schema {v} più recente di quella che questo programma conosce ({}): aggiornare lauream",
            MIGRAZIONI.len()
        );
    }
    for (i, sql) in MIGRAZIONI.iter().enumerate().skip(v as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// What allocation needs to know of an existing row.
#[derive(Debug, Clone)]
struct Riga {
    id: i64,
    identificativo: String,
    emissione: i64,
    stato: String,
    serie: Option<String>,
    anno: Option<i64>,
    numero: Option<String>,
    progressivo: Option<i64>,
    codice: String,
    sha256: Option<String>,
    oggetto: Option<String>,
    versione: Option<String>,
    /// Whether the data it was rendered from is recorded.
    ha_dati: bool,
}

/// The issue a new one replaces (a revoked or superseded document): its
/// number and code, as `build` reports "n. 6/2026 → n. 10/2026".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Precedente {
    /// The registry row of the replaced issue.
    pub id: i64,
    /// Its number as printed; none for calls and dossiers.
    pub numero: Option<String>,
    /// Its verification code.
    pub codice: String,
}

/// A planned document's place in the registry.
#[derive(Debug, Clone)]
pub struct Assegnazione {
    /// The registry row the document is recorded in (the `documenti.id`
    /// primary key): this issue of the document, not the document across
    /// reissues.
    pub id: i64,
    /// The number as printed: "12/2026" for allocated series, the decree's
    /// own number for decrees; none for calls and dossiers.
    pub numero: Option<String>,
    /// The verification code printed on the document, in its printed form
    /// (`K7QM-3XPD-9T`, see [`codice`]); every document has one, even those
    /// that do not print it.
    pub codice: String,
    /// Issued by this build (rather than reused from an earlier one).
    pub nuova: bool,
    /// Issued in place of a revoked document: a file at the same path is
    /// expected to change.
    pub riemissione: bool,
    /// The issue this one replaces (revoked, or superseded with
    /// `--overwrite`); none for a first issue and for a reused one.
    pub precedente: Option<Precedente>,
    sha256: Option<String>,
    oggetto: Option<String>,
    versione: Option<String>,
    ha_dati: bool,
}

/// One build's transaction on the registry. Dropped without
/// [`Emissione::conferma`], it leaves the registry as it was.
pub struct Emissione<'a> {
    tx: rusqlite::Transaction<'a>,
    ateneo: String,
    url: Option<String>,
    quando: String,
    ultime: HashMap<String, Riga>,
    codici: HashSet<String>,
    massimi: HashMap<(String, i64), i64>,
    numeri: HashMap<(String, i64, String), String>,
}

/// The order in which a build allocates new numbers: by the document's
/// date, then course, then the person's surname and given name, then the
/// document's identifier (which makes the order total, so a rerun of the
/// same plan allocates the same numbers). A register read in number order
/// then reads in date order, as a paper register does: n. 1 is not dated
/// after n. 21. Numbers issued by an earlier build are kept as they are,
/// so a document added later with an earlier date takes the next free
/// number rather than renumbering what was issued.
pub fn ordine_di_numerazione(documenti: &[Sintesi]) -> Vec<usize> {
    let mut ordine: Vec<usize> = (0..documenti.len()).collect();
    ordine.sort_by_cached_key(|&i| {
        let d = &documenti[i];
        let persona = d.nominativo.as_ref();
        (
            d.data,
            d.corso.clone(),
            persona.map(|(cognome, _)| crate::plan::italiano::slug(cognome)),
            persona.map(|(_, nome)| crate::plan::italiano::slug(nome)),
            d.identificativo.clone(),
        )
    });
    ordine
}

/// The year of a document's date.
fn anno_di(doc: &Sintesi) -> Option<i64> {
    doc.data.map(|d| i64::from(d.year()))
}

impl Emissione<'_> {
    /// Gives every planned document its number and code: an earlier build's
    /// when the document was issued already and is valid, a new one
    /// otherwise. New numbers are allocated in [`ordine_di_numerazione`]
    /// (by date, then course, then surname), so that within a series and
    /// year a register's numbers follow its documents' dates; the result is
    /// in plan order. Only the documents' [`Sintesi`] are needed: a build
    /// numbers the whole year before it plans any course's data, which
    /// then takes what [`Emissione::registrazione`] gives. Every problem
    /// (decree numbers in use by other decrees, revoked decrees planned
    /// again under the same number) is reported at once.
    pub fn assegna(&mut self, documenti: &[Sintesi]) -> anyhow::Result<Vec<Assegnazione>> {
        let mut esiti: Vec<Option<Assegnazione>> = vec![None; documenti.len()];
        let mut problemi = Vec::new();
        for i in ordine_di_numerazione(documenti) {
            let doc = &documenti[i];
            let esistente = self.ultime.get(&doc.identificativo).cloned();
            let a = match esistente {
                Some(r) if r.stato == "valido" => Assegnazione {
                    id: r.id,
                    numero: stampato(&r),
                    codice: r.codice.clone(),
                    nuova: false,
                    riemissione: false,
                    precedente: None,
                    sha256: r.sha256,
                    oggetto: r.oggetto,
                    versione: r.versione,
                    ha_dati: r.ha_dati,
                },
                precedente => match self.nuova(doc, precedente.as_ref()) {
                    Ok(a) => a,
                    Err(e) => {
                        problemi.push(format!("{}: {e}", doc.percorso));
                        continue;
                    }
                },
            };
            esiti[i] = Some(a);
        }
        if !problemi.is_empty() {
            problemi.sort();
            bail!(
                "registro: {}; nulla è stato scritto:\n{}",
                crate::messaggi::conta(
                    problemi.len(),
                    "documento non si può registrare",
                    "documenti non si possono registrare"
                ),
                problemi.join("\n")
            );
        }
        Ok(esiti.into_iter().flatten().collect())
    }

    /// [`Emissione::assegna`] and [`Emissione::registrazione`] at once, for
    /// documents planned with their data.
    pub fn assegna_documenti(
        &mut self,
        documenti: &mut [Documento],
    ) -> anyhow::Result<Vec<Assegnazione>> {
        let sintesi: Vec<Sintesi> = documenti.iter().map(Documento::sintesi).collect();
        let assegnazioni = self.assegna(&sintesi)?;
        for ((doc, s), a) in documenti.iter_mut().zip(&sintesi).zip(&assegnazioni) {
            if let Some(r) = self.registrazione(s.tipo, s.serie, a) {
                doc.registra(r);
            }
        }
        Ok(assegnazioni)
    }

    /// Issues a document anew in place of `a` (a document whose content
    /// changed, replaced with `--overwrite`): the old row is marked
    /// superseded by the new one, which gets a new number and code.
    pub fn sostituisci(&mut self, doc: &Sintesi, a: &Assegnazione) -> anyhow::Result<Assegnazione> {
        let vecchia = self
            .ultime
            .get(&doc.identificativo)
            .filter(|r| r.id == a.id)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("{}: riga del registro non trovata", doc.percorso))?;
        // The old number stays with the old row; a decree keeps its own
        // number, which the data gives.
        self.tx.execute(
            "UPDATE documenti SET stato = 'sostituito' WHERE id = ?1",
            [vecchia.id],
        )?;
        let mut vecchia = vecchia;
        vecchia.stato = "sostituito".into();
        if let (Some(s), Some(an), Some(n)) = (&vecchia.serie, vecchia.anno, &vecchia.numero) {
            self.numeri.remove(&(s.clone(), an, n.clone()));
        }
        self.nuova(doc, Some(&vecchia))
    }

    fn nuova(&mut self, doc: &Sintesi, precedente: Option<&Riga>) -> anyhow::Result<Assegnazione> {
        let serie = doc.serie;
        let anno = anno_di(doc);
        let (numero, progressivo) = match serie {
            None => (None, None),
            Some(s) => {
                let nome = repertorio(doc, s);
                let anno = anno.ok_or_else(|| {
                    anyhow::anyhow!("documento senza data: impossibile numerarlo")
                })?;
                match numerazione(s) {
                    Numerazione::Progressiva => {
                        let m = self.massimi.entry((nome.clone(), anno)).or_insert(0);
                        *m += 1;
                        (Some(m.to_string()), Some(*m))
                    }
                    Numerazione::DaiDati => {
                        let n = doc
                            .numero
                            .as_deref()
                            .map(str::trim)
                            .filter(|n| !n.is_empty())
                            .ok_or_else(|| anyhow::anyhow!("decreto senza numero di repertorio"))?
                            .to_string();
                        let chiave = (nome.clone(), anno, n.clone());
                        if let Some(altro) = self.numeri.get(&chiave) {
                            if *altro == doc.identificativo {
                                bail!(
                                    "il decreto n. {n}/{anno} è stato revocato: la nuova emissione richiede un nuovo numero di repertorio"
                                );
                            }
                            bail!(
                                "il numero di repertorio {n}/{anno} è già stato usato per un altro decreto ({altro})"
                            );
                        }
                        self.numeri.insert(chiave, doc.identificativo.clone());
                        (Some(n), None)
                    }
                }
            }
        };
        let emissione = precedente.map(|p| p.emissione + 1).unwrap_or(1);
        let mut tentativo = 0;
        let codice = loop {
            let c = codice::deriva(
                &self.ateneo,
                &doc.identificativo,
                emissione as u32,
                tentativo,
            );
            if self.codici.insert(c.clone()) {
                break c;
            }
            tentativo += 1;
        };
        let data = doc.data.map(|d| d.format("%Y-%m-%d").to_string());
        let tipo = serde_json::to_value(doc.tipo)?;
        let mut st = self.tx.prepare_cached(
            "INSERT INTO documenti (identificativo, emissione, tipo, corso, persona, titolo,
                 percorso, serie, anno, numero, progressivo, codice, data, sostituisce, emesso_il)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        st.execute(params![
            doc.identificativo,
            emissione,
            tipo.as_str(),
            doc.corso,
            doc.persona,
            doc.titolo,
            doc.percorso,
            serie.map(|s| repertorio(doc, s)),
            serie.and(anno),
            numero,
            progressivo,
            codice,
            data,
            precedente.map(|p| p.id),
            self.quando,
        ])?;
        let id = self.tx.last_insert_rowid();
        if let Some(p) = precedente {
            self.tx.execute(
                "UPDATE documenti SET sostituito_da = ?1 WHERE id = ?2",
                [id, p.id],
            )?;
        }
        let a = Assegnazione {
            id,
            numero: numero_stampato(progressivo, serie.and(anno), numero.as_deref()),
            codice,
            nuova: true,
            riemissione: precedente.is_some_and(|p| p.stato == "revocato"),
            precedente: precedente.map(|p| Precedente {
                id: p.id,
                numero: stampato(p),
                codice: p.codice.clone(),
            }),
            sha256: None,
            oggetto: None,
            versione: None,
            ha_dati: false,
        };
        // The new row is not added to `ultime`: a plan names each document
        // once, and only rows issued by earlier builds are looked up again
        // (by `sostituisci`), so a large year's new rows are not held twice.
        Ok(a)
    }

    /// Number, code, verification URL and QR path for the data of a
    /// document that prints them (certificates and parchments), so that
    /// they are part of what the incremental build keys on; `None` for the
    /// others.
    ///
    /// The document is named by its kind and series, what a summary and a
    /// document planned with its data both have.
    pub fn registrazione(
        &self,
        tipo: TipoDocumento,
        serie: Option<Serie>,
        a: &Assegnazione,
    ) -> Option<Registrazione> {
        let (TipoDocumento::Attestato | TipoDocumento::Pergamena, Some(serie)) = (tipo, serie)
        else {
            return None;
        };
        Some(Registrazione {
            serie,
            numero: a.numero.clone(),
            codice: a.codice.clone(),
            url: self
                .url
                .as_ref()
                .map(|u| indirizzo::indirizzo(u, &a.codice)),
            sito: self.url.clone(),
            qr: PERCORSO_QR.into(),
        })
    }

    /// Documents whose file differs from the one this registry recorded for
    /// them, without a revocation: an issued document would change. `file`
    /// gives, in plan order, what this build produced for each document.
    pub fn cambiati(&self, assegnazioni: &[Assegnazione], file: &[FileEmesso]) -> Vec<usize> {
        assegnazioni
            .iter()
            .zip(file)
            .enumerate()
            .filter(|(_, (a, f))| !a.nuova && a.sha256.as_ref().is_some_and(|h| h != f.sha256))
            .map(|(i, _)| i)
            .collect()
    }

    /// Records the data each document was rendered from, when its file is
    /// new (or the data not yet recorded): what `--overwrite` and
    /// `registry show` compare a later issue with. A build calls it course
    /// by course, as soon as a course's documents are rendered and checked,
    /// so that it never holds the whole year's data; the transaction
    /// spills to the journal, not to memory.
    pub fn registra_dati(&mut self, righe: &[DatiEmessi]) -> anyhow::Result<()> {
        use rayon::prelude::*;
        // Compressing is the costly part, and independent per document.
        let compressi: Vec<(i64, Vec<u8>)> = righe
            .par_iter()
            .filter(|r| {
                r.assegnazione.sha256.as_deref() != Some(r.sha256) || !r.assegnazione.ha_dati
            })
            .map(|r| (r.assegnazione.id, dati::comprimi(&r.dati.json())))
            .collect();
        let mut st = self
            .tx
            .prepare_cached("UPDATE documenti SET dati = ?1 WHERE id = ?2")?;
        for (id, c) in compressi {
            st.execute(params![c, id])?;
        }
        Ok(())
    }

    /// Records each document's hash and archive place, writing only what
    /// changed (an unchanged rebuild writes nothing).
    pub fn registra(
        &mut self,
        assegnazioni: &[Assegnazione],
        file: &[FileEmesso],
    ) -> anyhow::Result<()> {
        let mut st = self.tx.prepare_cached(
            "UPDATE documenti SET sha256 = ?1, oggetto = ?2, versione = ?3 WHERE id = ?4",
        )?;
        for (a, f) in assegnazioni.iter().zip(file) {
            if a.sha256.as_deref() != Some(f.sha256)
                || a.oggetto.as_deref() != f.oggetto
                || a.versione.as_deref() != f.versione
            {
                st.execute(params![f.sha256, f.oggetto, f.versione, a.id])?;
            }
        }
        Ok(())
    }

    /// The data an issued document (a registry row, by id) was rendered
    /// from, as recorded; `None` when the registry has none for it (issued
    /// by an older version).
    pub fn dati_emessi(&self, id: i64) -> anyhow::Result<Option<Value>> {
        let blob: Option<Vec<u8>> = self
            .tx
            .query_row("SELECT dati FROM documenti WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        Ok(blob.and_then(|b| dati::decomprimi(&b)))
    }

    /// Commits the build: only now do its numbers exist.
    pub fn conferma(self) -> anyhow::Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

/// The number as printed: "12/2026" for allocated series, the decree's own.
fn stampato(r: &Riga) -> Option<String> {
    numero_stampato(r.progressivo, r.anno, r.numero.as_deref())
}

/// The number as printed, from a row's progressive, year and own number.
fn numero_stampato(
    progressivo: Option<i64>,
    anno: Option<i64>,
    numero: Option<&str>,
) -> Option<String> {
    match (progressivo, anno, numero) {
        (Some(p), Some(a), _) => Some(format!("{p}/{a}")),
        (_, _, Some(n)) => Some(n.to_string()),
        _ => None,
    }
}

const SELECT_SCHEDA: &str = "SELECT d.id, d.identificativo, d.tipo, d.corso, d.persona, d.titolo,
        d.percorso, d.serie, d.anno, d.numero, d.progressivo, d.codice, d.data, d.sha256,
        d.oggetto, d.versione, d.stato, d.motivo, d.revocato_il, d.emesso_il,
        p.codice, s.codice, s.numero, s.progressivo, s.anno
    FROM documenti d
    LEFT JOIN documenti p ON p.id = d.sostituisce
    LEFT JOIN documenti s ON s.id = d.sostituito_da";

/// What a build produced for one planned document: the file's SHA-256 and,
/// once archived, the archive object and version that hold it. The registry
/// records these; it does not need to know how the archive indexes them.
#[derive(Debug, Clone, Copy)]
pub struct FileEmesso<'a> {
    /// Hex SHA-256 of the published file.
    pub sha256: &'a str,
    /// The archive object (OCFL) holding it, when archived.
    pub oggetto: Option<&'a str>,
    /// The object's version holding it, when archived.
    pub versione: Option<&'a str>,
}

/// A rendered document's data, for [`Emissione::registra_dati`] (a file
/// filed as it is has none to record).
pub struct DatiEmessi<'a> {
    /// The document's place in the registry.
    pub assegnazione: &'a Assegnazione,
    /// Hex SHA-256 of the file this build produced for it.
    pub sha256: &'a str,
    /// The data it was rendered from.
    pub dati: &'a crate::plan::Dati,
}

/// A registry row as `lookup` and `verify-doc` show it, with the codes of
/// the rows it replaces or is replaced by.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Scheda {
    /// The row's id: one issue of a document.
    pub id: i64,
    /// The document's identifier, stable across builds and reissues (e.g.
    /// `2025/2026/<course>/pergamena/<tax code>`).
    pub identificativo: String,
    /// Kind of document, as in `index.json`: `bando`, `decreto`,
    /// `pergamena`, `attestato`, `dossier`.
    pub tipo: String,
    /// The course id; none for documents of the whole year's offer.
    pub corso: Option<String>,
    /// Tax code of the person; none for course-level documents.
    pub persona: Option<String>,
    /// The document's title as the index gives it.
    pub titolo: String,
    /// Path of the file relative to the output directory, with `/`.
    pub percorso: String,
    /// The series the document is numbered in (`decreti`, `certificati`,
    /// `pergamene`; see [`nome_serie`]); none for calls and dossiers.
    pub serie: Option<String>,
    /// The year the number belongs to, from the document's date; none when
    /// the document has no series.
    pub anno: Option<i64>,
    /// As printed ("12/2026", or a decree's number).
    pub numero: Option<String>,
    /// The verification code, in its printed form.
    pub codice: String,
    /// Document date (YYYY-MM-DD), from the data.
    pub data: Option<String>,
    /// Hex SHA-256 of the file as issued; none while the document has its
    /// number but no file yet (its rendering failed).
    pub sha256: Option<String>,
    /// The archive (OCFL) object holding the file; none until archived.
    pub oggetto: Option<String>,
    /// The object's version holding the file; none until archived.
    pub versione: Option<String>,
    /// "valido", "revocato" or "sostituito".
    pub stato: String,
    /// Why the document was revoked, as given to `revoke`; none unless
    /// revoked.
    pub motivo: Option<String>,
    /// When it was revoked (UTC, `YYYY-MM-DDTHH:MM:SSZ`, wall clock); none
    /// unless revoked.
    pub revocato_il: Option<String>,
    /// When the build that issued it ran (UTC, `YYYY-MM-DDTHH:MM:SSZ`, wall
    /// clock): registry metadata, never printed on the document.
    pub emesso_il: String,
    /// Code of the document this one replaces.
    pub sostituisce: Option<String>,
    /// Code (and number) of the document issued in place of this one.
    pub sostituito_da: Option<String>,
}

impl Scheda {
    fn da_riga(r: &Row) -> rusqlite::Result<Scheda> {
        let numero = |n: Option<String>, p: Option<i64>, a: Option<i64>| match (p, a) {
            (Some(p), Some(a)) => Some(format!("{p}/{a}")),
            _ => n,
        };
        let sostituito_da: Option<String> = r.get(21)?;
        let numero_nuovo = numero(r.get(22)?, r.get(23)?, r.get(24)?);
        Ok(Scheda {
            id: r.get(0)?,
            identificativo: r.get(1)?,
            tipo: r.get(2)?,
            corso: r.get(3)?,
            persona: r.get(4)?,
            titolo: r.get(5)?,
            percorso: r.get(6)?,
            serie: r.get(7)?,
            anno: r.get(8)?,
            numero: numero(r.get(9)?, r.get(10)?, r.get(8)?),
            codice: r.get(11)?,
            data: r.get(12)?,
            sha256: r.get(13)?,
            oggetto: r.get(14)?,
            versione: r.get(15)?,
            stato: r.get(16)?,
            motivo: r.get(17)?,
            revocato_il: r.get(18)?,
            emesso_il: r.get(19)?,
            sostituisce: r.get(20)?,
            sostituito_da: sostituito_da.map(|c| match numero_nuovo {
                Some(n) => format!("{c} (n. {n})"),
                None => c,
            }),
        })
    }

    /// Whether the document is in force: neither revoked nor superseded.
    pub fn valida(&self) -> bool {
        self.stato == "valido"
    }

    /// The status in words: "valido", "REVOCATO il … : motivo", "SOSTITUITO da …".
    pub fn stato_esteso(&self) -> String {
        match self.stato.as_str() {
            "valido" => "valido".into(),
            "revocato" => format!(
                "REVOCATO il {}: {}{}",
                self.revocato_il.as_deref().unwrap_or("?"),
                self.motivo.as_deref().unwrap_or(""),
                self.sostituito_da
                    .as_ref()
                    .map(|s| format!("; riemesso con codice {s}"))
                    .unwrap_or_default()
            ),
            _ => format!(
                "SOSTITUITO da {}",
                self.sostituito_da.as_deref().unwrap_or("?")
            ),
        }
    }

    /// The card printed by `lookup` and `verify-doc`.
    pub fn descrizione(&self) -> String {
        let mut r = vec![self.titolo.clone()];
        let mut riga = |k: &str, v: Option<&str>| {
            if let Some(v) = v {
                r.push(format!("  {k:<20}{v}"));
            }
        };
        riga("tipo:", Some(self.tipo.as_str()));
        let numero = match (&self.serie, &self.numero) {
            (Some(s), Some(n)) => Some(format!("{} n. {n}", nome_serie(s))),
            _ => None,
        };
        riga("numero:", numero.as_deref());
        riga("codice di verifica:", Some(self.codice.as_str()));
        riga("persona:", self.persona.as_deref());
        riga("corso:", self.corso.as_deref());
        riga("data:", self.data.as_deref());
        riga("file:", Some(self.percorso.as_str()));
        riga("SHA-256:", self.sha256.as_deref());
        let archivio = self
            .oggetto
            .as_ref()
            .map(|o| format!("{o} {}", self.versione.as_deref().unwrap_or("")));
        riga("archivio:", archivio.as_deref());
        riga("registrato il:", Some(self.emesso_il.as_str()));
        riga("sostituisce:", self.sostituisce.as_deref());
        let stato = self.stato_esteso();
        riga("stato:", Some(stato.as_str()));
        r.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_migrazioni_portano_alla_versione_corrente_e_non_si_ripetono() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sotto/registro.sqlite");
        let r = Registro::apri(&p).unwrap();
        assert_eq!(r.versione_schema().unwrap(), MIGRAZIONI.len() as i64);
        drop(r);
        // Reopening applies nothing again (a repeated CREATE TABLE would fail).
        let r = Registro::apri(&p).unwrap();
        assert_eq!(r.versione_schema().unwrap(), MIGRAZIONI.len() as i64);
        let tabelle: i64 = r
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'documenti'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tabelle, 1);
    }

    #[test]
    fn uno_schema_piu_recente_e_rifiutato() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.sqlite");
        let c = Connection::open(&p).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        let e = Registro::apri(&p).err().unwrap();
        assert!(format!("{e:#}").contains("più recente"), "{e:#}");
    }

    #[test]
    fn le_righe_non_si_cancellano() {
        let d = tempfile::tempdir().unwrap();
        let r = Registro::apri(&d.path().join("r.sqlite")).unwrap();
        r.conn
            .execute(
                "INSERT INTO documenti (identificativo, emissione, tipo, titolo, percorso, codice, emesso_il)
                 VALUES ('x', 1, 'bando', 't', 'p', 'C', 'ora')",
                [],
            )
            .unwrap();
        let e = r.conn.execute("DELETE FROM documenti", []).unwrap_err();
        assert!(e.to_string().contains("non si cancellano"), "{e}");
    }

    /// A build's transaction grows with the year; it must spill to disk,
    /// not stay in memory, and readers must meanwhile go on reading the
    /// last committed state. In the rollback journal a spill takes the
    /// file's exclusive lock and a reader waits, then fails.
    #[test]
    fn una_transazione_grande_non_ferma_chi_legge() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.sqlite");
        let mut r = Registro::apri(&p).unwrap();
        r.conn
            .execute(
                "INSERT INTO documenti (identificativo, emissione, tipo, titolo, percorso, codice, emesso_il)
                 VALUES ('x', 1, 'bando', 't', 'p', 'K7QM-3XPD-9T', 'ora')",
                [],
            )
            .unwrap();
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/ateneo.json");
        let ateneo: crate::model::Ateneo =
            serde_json::from_slice(&std::fs::read(demo).unwrap()).unwrap();
        let e = r.emissione(&ateneo).unwrap();
        // Far more than SQLite's page cache (2 MB), in blobs that do not compress.
        e.tx.execute("CREATE TABLE zavorra (b BLOB)", []).unwrap();
        for i in 0..160u32 {
            let mut b = vec![0u8; 64 * 1024];
            let mut x = i.wrapping_mul(2_654_435_761).wrapping_add(1);
            for v in b.iter_mut() {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                *v = x as u8;
            }
            e.tx.execute("INSERT INTO zavorra (b) VALUES (?1)", [b])
                .unwrap();
        }
        let inizio = std::time::Instant::now();
        let lettore = Registro::apri_esistente(&p).unwrap();
        let righe = lettore.tutte().unwrap();
        assert_eq!(righe.len(), 1, "il lettore vede lo stato confermato");
        assert!(
            inizio.elapsed() < std::time::Duration::from_secs(1),
            "il lettore ha atteso la build"
        );
        let modo: String = lettore
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(modo, "wal");
        drop(lettore);
        drop(e);
    }

    #[test]
    fn un_registro_assente_non_e_creato_dalle_consultazioni() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.sqlite");
        assert!(Registro::apri_esistente(&p).is_err());
        assert!(!p.exists());
    }
}
