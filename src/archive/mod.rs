//! The output directory and its long-term archive. [`disco`] knows the
//! layout (index, bags, OCFL storage root, temporary names) and writes
//! safely (hashes, atomic writes, flushes); this module keeps the index
//! (`index.json`, [`Indice`]), the staging area a build publishes from
//! ([`Staging`]), and archives each course-year as a BagIt bag ([`bagit`])
//! stored as a version of an OCFL object ([`ocfl`]) and zipped under
//! `bags/`. [`integrita`] checks the fixity of any of these. The registry
//! of issued documents is not here: see [`crate::registry`].
//!
//! Documents are first written under a staging directory inside the output
//! directory (same file system, so the final move is a rename), and only when
//! every document of the batch exists are they moved into place and the index
//! rewritten. A document already issued with different bytes is never
//! replaced unless the caller asks for it explicitly.

pub mod bagit;
pub mod copie;
pub mod disco;
pub mod ocfl;
pub mod pdf;
pub mod resoconto;

pub use disco::{
    bag_zip, misura_file, resto_di_build, scrivi_atomico, sha256_file, sha256_hex, sincronizza,
    Scrittura, CARTELLA_BAG, CARTELLA_OCFL, INDICE, PREFISSO_STAGING, PREFISSO_TEMPORANEO,
};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use std::io::Write as _;

use crate::plan::TipoDocumento;

/// Removes what an interrupted build left in an output directory: staging
/// folders, `.lauream-tmp-*` files and folders (atomic writes and OCFL
/// versions never renamed into place), and brings every OCFL object's root
/// inventory in line with its latest complete version.
///
/// Only names this program creates are touched; nothing else in the output
/// directory is removed.
pub fn pulisci_interrotti(out: &Path) -> std::io::Result<()> {
    let mut resti = Vec::new();
    let mut it = walkdir::WalkDir::new(out).min_depth(1).into_iter();
    while let Some(e) = it.next() {
        let e = match e {
            Ok(e) => e,
            // Vanished meanwhile or unreadable: nothing of ours to clean there.
            Err(_) => continue,
        };
        let nome = e.file_name().to_string_lossy();
        if nome.starts_with(PREFISSO_STAGING) || nome.starts_with(PREFISSO_TEMPORANEO) {
            resti.push((e.path().to_path_buf(), e.file_type().is_dir()));
            if e.file_type().is_dir() {
                it.skip_current_dir();
            }
        }
    }
    for (p, cartella) in resti {
        let esito = if cartella {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        match esito {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    let radice = out.join(CARTELLA_OCFL);
    if radice.is_dir() {
        for id in ocfl::oggetti(&radice) {
            ocfl::ripara_oggetto(&radice, &id)?;
        }
    }
    Ok(())
}

/// One document in `index.json`: an element of its `documents` array.
///
/// The field names are the file's keys. `course` and `person` are always
/// written (null when they do not apply); the other optional keys are left
/// out when they have no value, and an index written by an older version
/// without them still reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoceIndice {
    /// Kind of document, in snake case: `bando`, `decreto`, `pergamena`,
    /// `attestato`, `dossier`.
    pub kind: TipoDocumento,
    /// The course id; null for documents of the whole year's offer.
    pub course: Option<String>,
    /// Tax code of the person; null for course-level documents.
    pub person: Option<String>,
    /// Path relative to the output directory, with `/`; it begins with the
    /// academic year (`2025-2026/...`). Unique in the index, which is sorted
    /// by it.
    pub path: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The document's title as a person reads it, e.g. "Pergamena di Master
    /// – Maria Rossi – …"; it becomes the subject in the archive's metadata.
    pub title: String,
    /// The document's identifier, stable across builds (e.g.
    /// `2025/2026/<course>/pergamena/<tax code>`): the key the registry
    /// numbers the document under.
    pub id: String,
    /// Document date (YYYY-MM-DD), from the data; absent when the data has
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The document's number: the registry's for certificates and
    /// parchments ("12/2026"), the repertory number the data gives for
    /// decrees; absent for calls and dossiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The verification code the registry gave this issue of the document
    /// (printed on certificates and parchments, `lauream lookup` reads it);
    /// absent in an index of an older version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The document's status in the registry when the index was last
    /// written: `valido`, or `revocato` after `lauream revoke` (a build
    /// reissues a revoked document and lists the new issue instead). The
    /// registry is what `lookup` and `verify-doc` answer from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Id of the OCFL object (one per course-year) holding the document;
    /// absent until the document is archived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The version of `object` (`v1`, `v2`, …) whose state holds this very
    /// file; absent until the document is archived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// For a Regione-accredited course, the dossier section folder the
    /// document is filed in (e.g. `03-esiti-selezione`): its place inside
    /// the course's bag. Absent for
    /// other courses and for the dossier's own files, which already sit in
    /// their section folders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Fingerprint of what produced the file (program, templates, data): a
    /// rebuild with the same key keeps the file instead of rendering it again.
    /// Always written; absent only in an index from an older version, whose
    /// documents are then rendered again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_key: Option<String>,
    /// Size of the file in bytes: with the render key, what a rebuild checks
    /// before keeping the file, instead of reading and hashing it again.
    /// Absent together with `render_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// `index.json`: every document in the output directory, with what a
/// rebuild needs to tell what changed. Written pretty-printed, with a final
/// newline, by [`Indice::scrivi`]; an absent file reads as an empty index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Indice {
    /// The program that last wrote the index: `lauream <version>`.
    pub generator: String,
    /// One entry per document ([`VoceIndice`]), sorted by `path`.
    pub documents: Vec<VoceIndice>,
    /// For each archived course-year, the fingerprint of the index entries
    /// its head version was composed from, so that an unchanged rebuild does
    /// not read and hash every document again.
    /// Keyed by OCFL object id; absent when nothing is archived yet.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub archived: BTreeMap<String, OggettoArchiviato>,
    /// Fingerprint of everything the last complete build read (program,
    /// templates, dataset files, options, registry): a build that finds the
    /// same one, with every file still in place, has nothing to do. Absent
    /// until a build completes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<String>,
    /// Where the registry of issued documents these documents are numbered
    /// in is: relative to the output directory when it can be, absolute
    /// otherwise. `lookup`, `verify-doc` and `revoke` find it from here.
    /// Absent in an index of an older version, whose registry was
    /// `registro.sqlite` in the output directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
}

/// What the index remembers of an archived course-year: a value of
/// `index.json`'s `archived` map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OggettoArchiviato {
    /// The object's head version (`v1`, `v2`, …) when the index was written.
    pub version: String,
    /// Hex SHA-256 of the index entries (program version and university
    /// included) that version was composed from; an equal fingerprint means
    /// the bag would come out the same.
    pub fingerprint: String,
}

impl Indice {
    /// Reads the index of an output directory; an absent one is empty.
    pub fn leggi(out: &Path) -> anyhow::Result<Indice> {
        let p = out.join(INDICE);
        match std::fs::read(&p) {
            Ok(b) => serde_json::from_slice(&b)
                .map_err(|e| anyhow::anyhow!("{}: indice non leggibile: {e}", p.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Indice::default()),
            Err(e) => Err(anyhow::anyhow!("{}: {e}", p.display())),
        }
    }

    /// Adds or replaces entries by path, keeping the list sorted by path so
    /// the index itself is reproducible; of a path given twice, the entry
    /// added last is kept.
    ///
    /// The entries are moved, never copied, and sorted in place: a large
    /// year's entries are never held twice, not even in a sort's scratch
    /// space (the first build of a year moves its entries in whole).
    pub fn aggiorna(&mut self, voci: impl IntoIterator<Item = VoceIndice>) {
        let mut nuove: Vec<VoceIndice> = voci.into_iter().collect();
        // Of each path, its last entry among the new ones.
        let tieni: Vec<bool> = {
            let mut ultima: HashMap<&str, usize> = HashMap::with_capacity(nuove.len());
            for (i, v) in nuove.iter().enumerate() {
                ultima.insert(v.path.as_str(), i);
            }
            (0..nuove.len())
                .map(|i| ultima[nuove[i].path.as_str()] == i)
                .collect()
        };
        let mut i = 0;
        nuove.retain(|_| {
            i += 1;
            tieni[i - 1]
        });
        // The earlier entries of those paths go; then every path is unique
        // and an unstable (in place) sort is enough.
        if !self.documents.is_empty() {
            let sostituite: HashSet<&str> = nuove.iter().map(|v| v.path.as_str()).collect();
            self.documents
                .retain(|v| !sostituite.contains(v.path.as_str()));
        }
        if self.documents.is_empty() {
            self.documents = nuove;
        } else {
            self.documents.extend(nuove);
        }
        self.documents.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        self.generator = format!("lauream {}", env!("CARGO_PKG_VERSION"));
    }

    /// Writes the index atomically; an index already holding these bytes is
    /// left alone, so an unchanged rebuild writes (and syncs) nothing.
    ///
    /// The JSON is never whole in memory: it is first compared, as it is
    /// serialized, with the file in place, and only when they differ
    /// serialized again into a temporary file that replaces it.
    pub fn scrivi(&self, out: &Path) -> std::io::Result<()> {
        let p = out.join(INDICE);
        if let Ok(f) = std::fs::File::open(&p) {
            let mut confronto = disco::Confronto::new(f);
            let scritto = serde_json::to_writer_pretty(&mut confronto, self)
                .map_err(std::io::Error::other)
                .and_then(|()| confronto.write_all(b"\n"));
            if scritto.is_ok() && confronto.uguale()? {
                return Ok(());
            }
        }
        disco::scrivi_atomico_da(&p, |f| {
            let mut w = std::io::BufWriter::with_capacity(disco::BLOCCO, f);
            serde_json::to_writer_pretty(&mut w, self).map_err(std::io::Error::other)?;
            w.write_all(b"\n")?;
            w.flush()
        })
    }
}

/// A staging area for one build: files land here first, then move into the
/// output directory all together.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    /// Claims the output directory for a new build. Whatever an interrupted
    /// build left behind (staging folders, temporary files, a half-written
    /// OCFL version) is removed or completed first, so that a build killed at
    /// any moment and then rerun ends with a clean, consistent output.
    pub fn new(out: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(out)?;
        pulisci_interrotti(out)?;
        let dir = tempfile::Builder::new()
            .prefix(PREFISSO_STAGING)
            .tempdir_in(out)?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    /// Writes one document's bytes to the staging area; returns its hash.
    pub fn scrivi(&self, relativo: &str, bytes: &[u8]) -> std::io::Result<String> {
        let p = self.dir.path().join(relativo);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(&p, bytes)?;
        Ok(sha256_hex(bytes))
    }

    /// An anonymous temporary file beside the staged documents: gone when
    /// closed, whatever happens to the build.
    pub fn file_temporaneo(&self) -> std::io::Result<std::fs::File> {
        tempfile::tempfile_in(self.dir.path())
    }

    /// Whether this build produced (rather than kept) the document.
    pub fn contiene(&self, relativo: &str) -> bool {
        self.dir.path().join(relativo).exists()
    }

    /// Paths whose existing file differs from the staged one.
    pub fn conflitti<'a>(&self, voci: &'a [VoceIndice]) -> Vec<&'a VoceIndice> {
        voci.iter()
            .filter(|v| self.dir.path().join(&v.path).exists())
            .filter(|v| {
                let esistente = self.out.join(&v.path);
                esistente.exists()
                    && sha256_file(&esistente)
                        .map(|h| h != v.sha256)
                        .unwrap_or(true)
            })
            .collect()
    }

    /// Moves every staged document into place (each move is a rename) and
    /// removes the staging area. Documents kept from an earlier build were
    /// not staged and stay where they are. The staged bytes reach the disk
    /// before any rename, so a published name never points at lost data.
    pub fn pubblica(self, voci: &[VoceIndice]) -> std::io::Result<()> {
        // Paths are made as they are needed, not collected: a large year's
        // list of them would be tens of megabytes held for a moment.
        let da = |v: &VoceIndice| self.dir.path().join(&v.path);
        let staged = || voci.iter().filter(|v| da(v).exists());
        if staged().next().is_none() {
            return Ok(());
        }
        sincronizza(self.dir.path(), staged().map(da))?;
        for v in voci {
            let (da, a) = (da(v), self.out.join(&v.path));
            match std::fs::symlink_metadata(&da) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
            if let Some(d) = a.parent() {
                std::fs::create_dir_all(d)?;
            }
            std::fs::rename(&da, &a)?;
        }
        Ok(())
    }
}

/// A course-year's bag as a build left it in the archive.
#[derive(Debug, Clone)]
pub struct BagArchiviata {
    /// The OCFL object id, which is also the bag's name ([`id_oggetto`]).
    pub oggetto: String,
    /// The object's version holding the bag (`v1`, `v2`, …).
    pub versione: String,
    /// Path of the zip relative to the output directory ([`bag_zip`]); not
    /// written when the build keeps no zips (`--no-zip`).
    pub zip: String,
    /// Whether this build stored a new version; false when the bag was
    /// unchanged and the existing head kept.
    pub nuova: bool,
}

/// The academic year of an index entry: paths begin with it ("2025-2026/...").
fn anno(v: &VoceIndice) -> &str {
    v.path.split('/').next().unwrap_or("")
}

/// The OCFL object id and bag name of a course-year: "univaldarno-2025-2026-master-dati-pa";
/// documents of the whole year go to "<org>-<year>-offerta-formativa".
pub fn id_oggetto(organizzazione: &str, anno: &str, corso: Option<&str>) -> String {
    use crate::plan::italiano::slug;
    format!(
        "{}-{}-{}",
        slug(organizzazione),
        slug(anno),
        corso
            .map(slug)
            .unwrap_or_else(|| "offerta-formativa".into())
    )
}

/// Metadata of one document, after the Italian preservation guidelines'
/// metadata set for administrative documents (AgID, Linee guida sulla
/// formazione, gestione e conservazione dei documenti informatici, all. 5),
/// as far as the data allows.
pub fn metadati(v: &VoceIndice, ateneo: &str, nome_file: &str) -> serde_json::Value {
    use serde_json::json;
    let tipologia = match v.kind {
        TipoDocumento::Bando => "Bando di ammissione",
        TipoDocumento::Decreto => "Decreto rettorale",
        TipoDocumento::Pergamena => "Pergamena di Master universitario",
        TipoDocumento::Attestato => "Attestato / certificato",
        TipoDocumento::Dossier => "Dossier del corso",
    };
    let mut soggetti =
        vec![json!({ "Ruolo": "Autore", "TipoSoggetto": "PAI", "Denominazione": ateneo })];
    if let Some(cf) = &v.person {
        soggetti
            .push(json!({ "Ruolo": "Destinatario", "TipoSoggetto": "PF", "CodiceFiscale": cf }));
    }
    let generato =
        v.path.ends_with(".pdf") && v.kind != TipoDocumento::Dossier || v.id.contains('/');
    json!({
        "IdDoc": {
            "Identificativo": v.id,
            "ImprontaCrittografica": { "Algoritmo": "SHA-256", "Impronta": v.sha256 },
        },
        "ModalitaDiFormazione": if generato {
            "d) generazione o raggruppamento anche in via automatica di un insieme di dati o registrazioni"
        } else {
            "b) acquisizione di un documento informatico"
        },
        "TipologiaDocumentale": tipologia,
        "DatiDiRegistrazione": {
            "TipologiaFlusso": "U",
            "TipoRegistro": if v.number.is_some() { "Repertorio" } else { "Nessuno" },
            "DataRegistrazione": v.date,
            "NumeroDocumento": v.number,
        },
        "Soggetti": soggetti,
        "ChiaveDescrittiva": {
            "Oggetto": v.title,
            "ParoleChiave": [serde_json::to_value(v.kind).unwrap_or_default(), v.course, anno(v)],
        },
        "Riservato": v.person.is_some(),
        "IdentificativoDelFormato": {
            "Formato": if nome_file.ends_with(".pdf") { "application/pdf (PDF/A-2b)" } else { "application/octet-stream" },
            "ProdottoSoftware": { "Nome": "lauream", "Versione": env!("CARGO_PKG_VERSION") },
        },
        "NomeDelDocumento": nome_file,
        "VersioneDelDocumento": "1",
    })
}

/// Archives every course-year of the index: composes its bag, stores it as
/// a new OCFL version when it changed, and writes the bag's zip (unless
/// `zip_bag` is false: then the zips under `bags/` are removed, the OCFL
/// versions they copy stay; see [`copie`]). Sets each entry's object and
/// version. Documents of a Regione-accredited course are laid out in the
/// bag by dossier section.
pub fn archivia(
    out: &Path,
    ateneo: &crate::model::Ateneo,
    indice: &mut Indice,
    zip_bag: bool,
) -> anyhow::Result<Vec<BagArchiviata>> {
    use rayon::prelude::*;
    let mut gruppi: BTreeMap<(String, Option<String>), Vec<usize>> = BTreeMap::new();
    for (i, v) in indice.documents.iter().enumerate() {
        gruppi
            .entry((anno(v).to_string(), v.course.clone()))
            .or_default()
            .push(i);
    }
    let radice = out.join(CARTELLA_OCFL);
    let sigla = ateneo.sigla.as_deref().unwrap_or(&ateneo.nome);
    let nome_ateneo = ateneo.nome.as_str();
    // First the course-years whose bag is unchanged and intact, which only
    // need their place recorded; the others are composed afterwards.
    let mut bags: Vec<Option<BagArchiviata>> = Vec::with_capacity(gruppi.len());
    let mut da_comporre = Vec::new();
    for ((aa, corso), indici) in gruppi {
        let id = id_oggetto(sigla, &aa, corso.as_deref());
        let impronta = impronta_gruppo(nome_ateneo, &indice.documents, &indici)?;
        if let Some(prec) = indice
            .archived
            .get(&id)
            .filter(|p| p.fingerprint == impronta)
        {
            let versione = prec.version.clone();
            let zip = bag_zip(&id, &versione);
            let intatti = ocfl::head(&radice, &id).as_deref() == Some(versione.as_str())
                && (!zip_bag || out.join(&zip).exists())
                && indici.iter().all(|&i| {
                    let v = &indice.documents[i];
                    std::fs::metadata(out.join(&v.path)).is_ok()
                });
            if intatti {
                for &i in &indici {
                    indice.documents[i].object = Some(id.clone());
                    indice.documents[i].version = Some(versione.clone());
                }
                bags.push(Some(BagArchiviata {
                    oggetto: id,
                    zip,
                    versione,
                    nuova: false,
                }));
                continue;
            }
        }
        da_comporre.push((
            bags.len(),
            BagDaComporre {
                id,
                aa,
                corso,
                indici,
                impronta,
            },
        ));
        bags.push(None);
    }

    // Each changed course-year is its own OCFL object and its own zip, so
    // they are composed side by side (reading, hashing, writing: flat work).
    if !da_comporre.is_empty() {
        ocfl::prepara_radice(&radice)?;
    }
    let documenti = &indice.documents;
    let composte: Vec<anyhow::Result<BagArchiviata>> = da_comporre
        .par_iter()
        .map(|(_, b)| componi_bag(out, &radice, nome_ateneo, b, documenti, zip_bag))
        .collect();
    for ((posto, b), esito) in da_comporre.into_iter().zip(composte) {
        let bag = esito?;
        for &i in &b.indici {
            indice.documents[i].object = Some(b.id.clone());
            indice.documents[i].version = Some(bag.versione.clone());
        }
        indice.archived.insert(
            b.id,
            OggettoArchiviato {
                version: bag.versione.clone(),
                fingerprint: b.impronta,
            },
        );
        bags[posto] = Some(bag);
    }
    if !zip_bag {
        rimuovi_zip(out, &radice)?;
    }
    Ok(bags.into_iter().flatten().collect())
}

/// The fingerprint of a course-year's bag: the SHA-256 of everything it is
/// composed from, as recorded in the index (program version, university,
/// the group's entries as JSON). The JSON goes straight into the hash, one
/// entry at a time, never whole in memory.
fn impronta_gruppo(
    nome_ateneo: &str,
    documenti: &[VoceIndice],
    indici: &[usize],
) -> anyhow::Result<String> {
    /// The group's entries as a JSON array, each without what is not an
    /// input of the bag.
    struct Voci<'a>(&'a [VoceIndice], &'a [usize]);
    impl Serialize for Voci<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.1.iter().map(|&i| VoceIndice {
                // Where a document is archived is the outcome, not an input.
                object: None,
                version: None,
                // A revocation changes what the registry says, not the
                // bag: the archive keeps what was issued.
                status: None,
                ..self.0[i].clone()
            }))
        }
    }
    let mut h = sha2::Sha256::new();
    serde_json::to_writer(
        &mut h,
        &(
            env!("CARGO_PKG_VERSION"),
            nome_ateneo,
            Voci(documenti, indici),
        ),
    )?;
    Ok(hex::encode(sha2::Digest::finalize(h)))
}

/// Removes the bag zips under `bags/` whose version the OCFL storage root
/// holds (the zips are copies of those versions, which `export` writes
/// again); any other file there is left alone.
fn rimuovi_zip(out: &Path, radice: &Path) -> std::io::Result<()> {
    let cartella = out.join(CARTELLA_BAG);
    let Ok(voci) = std::fs::read_dir(&cartella) else {
        return Ok(());
    };
    let oggetti = ocfl::oggetti(radice);
    for v in voci.filter_map(Result::ok) {
        let nome = v.file_name().to_string_lossy().into_owned();
        let Some(base) = nome.strip_suffix(".zip") else {
            continue;
        };
        let Some((id, versione)) = base.rsplit_once("-v") else {
            continue;
        };
        let numero: Option<u32> = versione.parse().ok();
        let testa: Option<u32> =
            ocfl::head(radice, id).and_then(|h| h.trim_start_matches('v').parse().ok());
        if oggetti.iter().any(|o| o == id) && numero.zip(testa).is_some_and(|(n, t)| n <= t) {
            std::fs::remove_file(v.path())?;
        }
    }
    // An empty bags/ says nothing; a folder with other files stays.
    let _ = std::fs::remove_dir(&cartella);
    Ok(())
}

/// A course-year whose bag must be composed (anew, or again).
struct BagDaComporre {
    id: String,
    aa: String,
    corso: Option<String>,
    /// Its documents, as positions in the index.
    indici: Vec<usize>,
    /// What the bag is composed from ([`archivia`]).
    impronta: String,
}

/// Composes one course-year's bag from the documents in place: checks each
/// file against the index, stores the bag as the OCFL object's next version
/// when it changed (each new PDF a clone of the published one where the
/// file system can, see [`copie`]), and writes its zip when `zip_bag`.
fn componi_bag(
    out: &Path,
    radice: &Path,
    ateneo: &str,
    b: &BagDaComporre,
    documenti: &[VoceIndice],
    zip_bag: bool,
) -> anyhow::Result<BagArchiviata> {
    let prefisso = match &b.corso {
        Some(c) => format!("{}/{c}/", b.aa),
        None => format!("{}/", b.aa),
    };
    let mut payload = Vec::with_capacity(2 * b.indici.len());
    let mut data = None;
    for &i in &b.indici {
        let v = &documenti[i];
        // One pass over the file: its size and both digests, the bytes not
        // kept; the zip and the OCFL copy read it again as streams and check
        // it against these.
        let percorso = out.join(&v.path);
        let misura = misura_file(&percorso).map_err(|e| anyhow::anyhow!("{}: {e}", v.path))?;
        if misura.sha256 != v.sha256 {
            anyhow::bail!(
                "{}: il file non corrisponde all'impronta registrata nell'indice",
                v.path
            );
        }
        let nome_file = v.path.rsplit('/').next().unwrap_or(&v.path).to_string();
        let relativo = v.path.strip_prefix(&prefisso).unwrap_or(&v.path);
        let dentro = match &v.section {
            Some(s) => format!("{s}/{nome_file}"),
            // The dossier's own files already sit in their section folders.
            None => relativo
                .strip_prefix("dossier/")
                .unwrap_or(relativo)
                .to_string(),
        };
        let meta = serde_json::to_vec_pretty(&metadati(v, ateneo, &nome_file))?;
        payload.push((format!("{dentro}.metadata.json"), meta.into()));
        payload.push((
            dentro,
            bagit::Contenuto::File(bagit::FileSuDisco::misurato(percorso, misura)),
        ));
        data = data.max(v.date.as_deref());
    }
    let data = data.unwrap_or("1970-01-01").to_string();
    let info = bagit::InfoBag {
        organizzazione: ateneo.to_string(),
        data: data.clone(),
        identificativo_esterno: format!(
            "{ateneo} – a.a. {} – {}",
            b.aa.replace('-', "/"),
            b.corso.as_deref().unwrap_or("offerta formativa")
        ),
        descrizione: format!(
            "Documenti emessi da lauream per {}",
            b.corso.as_deref().unwrap_or("l'offerta formativa")
        ),
    };
    let files = bagit::componi(&info, payload)?;
    let esito = ocfl::salva(
        radice,
        &b.id,
        &files,
        &format!("{data}T00:00:00Z"),
        "documenti emessi da lauream",
    )?;
    let nome = format!("{}-{}", b.id, esito.versione);
    let rel = format!("{CARTELLA_BAG}/{nome}.zip");
    if zip_bag && bagit::scrivi_zip(&out.join(&rel), &nome, &files)? == Scrittura::Diverso {
        anyhow::bail!("{rel}: esiste già con un contenuto diverso e non viene sovrascritto")
    }
    Ok(BagArchiviata {
        oggetto: b.id.clone(),
        versione: esito.versione,
        zip: rel,
        nuova: esito.nuova,
    })
}

/// The archive's integrity (fixity) check, behind `lauream verify`: checks
/// whatever `path` is, a bag zip, an unpacked bag, a folder of exported
/// bags, an OCFL storage root, or a whole output directory (every file
/// against the index's SHA-256, the storage root, every bag, no leftovers of
/// an interrupted build, no file the index does not account for). Returns
/// every problem; empty means intact. What was checked, with the counts, is
/// [`resoconto::controlla`]. Whether a single document is valid is the
/// registry's question, not this one.
pub fn integrita(path: &Path) -> Vec<String> {
    resoconto::controlla(path).problemi
}

/// Writes the current bag of each requested course-year into `dest`,
/// building it from the archive's head version.
pub fn esporta(out: &Path, ids: &[String], dest: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let radice = out.join(CARTELLA_OCFL);
    let mut scritti = Vec::new();
    for id in ids {
        let (v, files) = ocfl::leggi_head(&radice, id)?
            .ok_or_else(|| anyhow::anyhow!("{id}: nessun oggetto nell'archivio"))?;
        let nome = format!("{id}-{v}");
        let p = dest.join(format!("{nome}.zip"));
        if bagit::scrivi_zip(&p, &nome, &files)? == Scrittura::Diverso {
            anyhow::bail!(
                "{}: esiste già con un contenuto diverso e non viene sovrascritto",
                p.display()
            );
        }
        scritti.push(p);
    }
    Ok(scritti)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voce(path: &str, sha256: &str) -> VoceIndice {
        VoceIndice {
            kind: TipoDocumento::Attestato,
            course: Some("c".into()),
            person: None,
            path: path.into(),
            sha256: sha256.into(),
            title: "t".into(),
            id: path.into(),
            date: None,
            number: None,
            code: None,
            status: None,
            object: None,
            version: None,
            section: None,
            render_key: None,
            size: None,
        }
    }

    /// Entries replace those with the same path (the last one given wins)
    /// and the list stays sorted by path.
    #[test]
    fn aggiorna_sostituisce_per_percorso_e_ordina() {
        let mut i = Indice::default();
        i.aggiorna([voce("b", "1"), voce("a", "1"), voce("c", "1")]);
        i.aggiorna([voce("b", "2"), voce("0", "2"), voce("b", "3")]);
        let visti: Vec<(&str, &str)> = i
            .documents
            .iter()
            .map(|v| (v.path.as_str(), v.sha256.as_str()))
            .collect();
        assert_eq!(visti, [("0", "2"), ("a", "1"), ("b", "3"), ("c", "1")]);
    }

    /// The index written as a stream is the pretty JSON with a final
    /// newline; an unchanged index is not written again, a changed one is.
    #[test]
    fn indice_scritto_in_streaming() {
        let d = tempfile::tempdir().unwrap();
        let mut i = Indice::default();
        i.aggiorna([voce("a/x.pdf", "1"), voce("a/y.pdf", "2")]);
        i.scrivi(d.path()).unwrap();
        let p = d.path().join(INDICE);
        let mut atteso = serde_json::to_vec_pretty(&i).unwrap();
        atteso.push(b'\n');
        assert!(std::fs::read(&p).unwrap() == atteso);
        let prima = std::fs::metadata(&p).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        i.scrivi(d.path()).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().modified().unwrap(), prima);
        // A longer, a shorter, and a same-length different index.
        for sha in ["11", "", "3"] {
            i.aggiorna([voce("a/y.pdf", sha)]);
            i.scrivi(d.path()).unwrap();
            let mut atteso = serde_json::to_vec_pretty(&i).unwrap();
            atteso.push(b'\n');
            assert!(std::fs::read(&p).unwrap() == atteso, "{sha}");
        }
        assert_eq!(Indice::leggi(d.path()).unwrap().documents, i.documents);
    }
}
