//! lauream: the official documents of a university's post-lauream office
//! (admission calls, rector's decrees, parchments, certificates, dossiers),
//! rendered with embedded Typst and archived so they stay verifiable.
//!
//! One pipeline, one direction:
//!
//! ```text
//! input::carica → rules::valida → plan::pianifica → render → archive
//! ```
//!
//! Each stage is a module with a narrow interface; [`controlla`] and
//! [`costruisci`] chain them for the command line.

pub mod archive;
pub mod cli;
pub mod diag;
pub mod input;
pub mod model;
pub mod plan;
pub mod render;
pub mod rules;
pub mod schema;
pub mod synth;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use archive::{Indice, Staging, VoceIndice};
use diag::Problemi;
use model::Dataset;
use plan::{Filtro, Piano};

/// Loads and validates a dataset: the dataset when it has no errors, and
/// every problem (errors and warnings) either way.
pub fn controlla(dataset: &Path) -> (Option<Dataset>, Problemi) {
    let (ds, mut problemi) = input::carica(dataset);
    let Some(ds) = ds else {
        return (None, problemi.ordinati());
    };
    problemi.extend(rules::valida(&ds));
    let problemi = problemi.ordinati();
    if problemi.ha_errori() {
        (None, problemi)
    } else {
        (Some(ds), problemi)
    }
}

/// Options of a build.
#[derive(Debug, Clone)]
pub struct OpzioniBuild {
    pub dataset: PathBuf,
    pub out: PathBuf,
    /// Templates directory; `None` uses the templates built into the program.
    pub templates: Option<PathBuf>,
    pub filtro: Filtro,
    /// Rendering threads; 0 means one per core.
    pub jobs: usize,
    /// Replace documents already in the output whose bytes changed.
    pub sovrascrivi: bool,
    /// Refuse to build when a Regione-accredited course's dossier lacks sections.
    pub rigoroso: bool,
    /// The registry of issued documents; `None` is `registro.sqlite` in the
    /// output directory.
    pub registro: Option<PathBuf>,
}

/// Where a build's registry is: the given path, or the output directory's.
pub fn percorso_registro(out: &Path, registro: Option<&Path>) -> PathBuf {
    registro
        .map(Path::to_path_buf)
        .unwrap_or_else(|| out.join(archive::registro::FILE_REGISTRO))
}

/// What a build did.
#[derive(Debug)]
pub struct EsitoBuild {
    pub documenti: Vec<VoceIndice>,
    /// How many documents were rendered (or filed) anew; the others were
    /// kept from an earlier build with the same inputs.
    pub generati: usize,
    /// The course bags as archived by this build (new or unchanged).
    pub bags: Vec<archive::BagArchiviata>,
    pub piano: Piano,
    pub problemi: Problemi,
}

/// Why a build wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ErroreBuild {
    #[error("il dataset contiene errori:\n{0}")]
    Dataset(Problemi),
    #[error("{} documenti non generati:\n{}", .0.len(), .0.iter().map(|(d, e)| format!("{d}:\n{e}")).collect::<Vec<_>>().join("\n"))]
    Template(Vec<(String, render::ErroreTemplate)>),
    #[error(
        "{} documenti già emessi cambierebbero contenuto; nulla è stato scritto (usare --overwrite per sostituirli):\n{}",
        .0.len(),
        .0.join("\n")
    )]
    Conflitto(Vec<String>),
    #[error(
        "dossier incompleti (--strict); nulla è stato scritto:\n{}",
        .0.iter().map(|(c, s)| format!("{c}: mancano {}", s.join("; "))).collect::<Vec<_>>().join("\n")
    )]
    DossierIncompleto(Vec<(String, Vec<String>)>),
    #[error(transparent)]
    Altro(#[from] anyhow::Error),
}

impl From<std::io::Error> for ErroreBuild {
    fn from(e: std::io::Error) -> Self {
        ErroreBuild::Altro(e.into())
    }
}

/// Loads, validates, plans, renders and writes. Writes nothing unless every
/// planned document rendered.
pub fn costruisci(
    opts: &OpzioniBuild,
    progresso: &(dyn Fn(usize, usize) + Sync),
) -> Result<EsitoBuild, ErroreBuild> {
    let (ds, problemi) = controlla(&opts.dataset);
    let ds = ds.ok_or_else(|| ErroreBuild::Dataset(problemi.clone()))?;
    if let Some(c) = &opts.filtro.corso {
        if ds.corso(c).is_none() {
            let noti: Vec<_> = ds.corsi.iter().map(|(_, c)| c.id.as_str()).collect();
            return Err(anyhow::anyhow!(
                "il corso «{c}» non esiste; corsi del dataset: {}",
                noti.join(", ")
            )
            .into());
        }
    }

    let mut motore = match &opts.templates {
        Some(dir) => {
            render::Motore::new(dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?
        }
        None => render::Motore::incorporato(),
    };
    let logo = match &ds.ateneo.logo {
        Some(rel) => {
            let p = ds.radice.join(rel);
            let bytes = std::fs::read(&p)
                .map_err(|e| anyhow::anyhow!("ateneo.json, $.logo: {}: {e}", p.display()))?;
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("png");
            Some(motore.con_logo(ext, bytes))
        }
        None => None,
    };

    let mut piano = plan::pianifica(&ds, &opts.filtro, logo.as_deref());
    // Problems found while planning (a misfiled dossier document) stop the
    // build like dataset errors: nothing is written.
    if piano.avvisi.ha_errori() {
        let mut tutti = problemi.clone();
        tutti.extend(piano.avvisi.clone());
        return Err(ErroreBuild::Dataset(tutti.ordinati()));
    }
    if opts.rigoroso && !piano.dossier_incompleti.is_empty() {
        return Err(ErroreBuild::DossierIncompleto(
            piano.dossier_incompleti.clone(),
        ));
    }
    // One registry transaction for the whole build: numbers allocated here
    // exist only once the documents and the index are in place (see
    // `archive::registro`).
    let mut registro =
        archive::registro::Registro::apri(&percorso_registro(&opts.out, opts.registro.as_deref()))?;
    let mut emissione = registro.emissione(&ds.ateneo)?;
    archive::rimuovi_staging_interrotti(&opts.out)?;
    let mut assegnazioni = emissione.assegna(&mut piano.documenti)?;

    let staging = Staging::new(&opts.out)?;
    let precedente = Indice::leggi(&opts.out)?;
    let gia_fatti: HashMap<&str, &VoceIndice> = precedente
        .documents
        .iter()
        .map(|v| (v.path.as_str(), v))
        .collect();
    let riuso = Riuso {
        out: &opts.out,
        impronta: motore.impronta(),
        gia_fatti,
    };
    let mut voci = rendi_tutti(&motore, &piano, &ds, &staging, &riuso, opts.jobs, progresso)?;

    // An issued document must not change: neither the file in place nor, if
    // that is gone, what the registry recorded. A reissue after revocation
    // is expected to.
    let mut cambiati: std::collections::BTreeSet<usize> = emissione
        .cambiati(&assegnazioni, &voci)
        .into_iter()
        .collect();
    let per_percorso: HashMap<&str, usize> = voci
        .iter()
        .enumerate()
        .map(|(i, v)| (v.path.as_str(), i))
        .collect();
    cambiati.extend(
        staging
            .conflitti(&voci)
            .iter()
            .filter_map(|v| per_percorso.get(v.path.as_str()).copied()),
    );
    cambiati.retain(|&i| !assegnazioni[i].riemissione);
    if !cambiati.is_empty() {
        if !opts.sovrascrivi {
            return Err(ErroreBuild::Conflitto(
                cambiati.iter().map(|&i| voci[i].path.clone()).collect(),
            ));
        }
        // --overwrite supersedes: the changed document is issued anew under
        // a new number and code, and the old row records what replaced it.
        let mut da_rifare = Piano::default();
        let mut posti = Vec::new();
        for &i in &cambiati {
            assegnazioni[i] = emissione.sostituisci(&mut piano.documenti[i], &assegnazioni[i])?;
            if matches!(
                piano.documenti[i].tipo,
                plan::TipoDocumento::Attestato | plan::TipoDocumento::Pergamena
            ) {
                da_rifare.documenti.push(piano.documenti[i].clone());
                posti.push(i);
            }
        }
        if !posti.is_empty() {
            let rifatte = rendi_tutti(
                &motore, &da_rifare, &ds, &staging, &riuso, opts.jobs, progresso,
            )?;
            for (i, v) in posti.into_iter().zip(rifatte) {
                voci[i] = v;
            }
        }
    }
    for (v, a) in voci.iter_mut().zip(&assegnazioni) {
        if v.number.is_none() {
            v.number = a.numero.clone();
        }
    }

    let generati = voci.iter().filter(|v| staging.contiene(&v.path)).count();
    let mut indice = precedente.clone();
    staging.pubblica(&voci)?;
    indice.aggiorna(voci.iter().cloned());
    let bags = archive::archivia(&opts.out, &ds.ateneo, &mut indice)?;
    let archiviate: HashMap<&str, &VoceIndice> = indice
        .documents
        .iter()
        .map(|v| (v.path.as_str(), v))
        .collect();
    let voci: Vec<VoceIndice> = voci
        .iter()
        .map(|v| archiviate.get(v.path.as_str()).map_or(v, |w| *w).clone())
        .collect();
    emissione.registra(&assegnazioni, &voci)?;
    indice.scrivi(&opts.out)?;
    emissione.conferma()?;
    let mut problemi = problemi;
    problemi.extend(piano.avvisi.clone());
    Ok(EsitoBuild {
        documenti: voci,
        generati,
        piano,
        problemi,
        bags,
    })
}

/// What an earlier build left in the output directory, to keep documents
/// whose inputs did not change instead of rendering them again.
struct Riuso<'a> {
    out: &'a Path,
    /// Fingerprint of the program and templates ([`render::Motore::impronta`]).
    impronta: String,
    gia_fatti: HashMap<&'a str, &'a VoceIndice>,
}

impl Riuso<'_> {
    /// The key of a document: program, templates, template path, identifier
    /// and data; for a filed attachment, its bytes.
    fn chiave(&self, doc: &plan::Documento, dati: &[u8]) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for parte in [
            self.impronta.as_bytes(),
            doc.template.as_bytes(),
            doc.identificativo.as_bytes(),
            dati,
        ] {
            h.update((parte.len() as u64).to_le_bytes());
            h.update(parte);
        }
        hex::encode(h.finalize())
    }

    /// The hash of the file already in place for this key, if it is intact.
    fn trova(&self, percorso: &str, chiave: &str) -> Option<String> {
        let v = self.gia_fatti.get(percorso)?;
        if v.render_key.as_deref() != Some(chiave) {
            return None;
        }
        let h = archive::sha256_file(&self.out.join(percorso)).ok()?;
        (h == v.sha256).then_some(h)
    }
}

/// Renders every planned document on worker threads into the staging area,
/// keeping those an earlier build already produced from the same inputs.
///
/// Plain threads, not rayon: typst uses rayon inside, and nesting its
/// compiles in an outer rayon pool overflowed the stack in testing.
fn rendi_tutti(
    motore: &render::Motore,
    piano: &Piano,
    ds: &Dataset,
    staging: &Staging,
    riuso: &Riuso,
    jobs: usize,
    progresso: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<VoceIndice>, ErroreBuild> {
    let n = piano.documenti.len();
    let jobs = if jobs == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        jobs
    }
    .min(n.max(1));
    let prossimo = AtomicUsize::new(0);
    let fatti = AtomicUsize::new(0);
    type Risultato = Result<(String, String), render::ErroreTemplate>;
    let risultati: Mutex<Vec<Option<Risultato>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = prossimo.fetch_add(1, Ordering::Relaxed);
                let Some(doc) = piano.documenti.get(i) else {
                    break;
                };
                let errore = |e: String| render::ErroreTemplate(vec![e]);
                let esito = match &doc.allegato {
                    Some(file) => std::fs::read(file)
                        .map_err(|e| errore(format!("{}: {e}", file.display())))
                        .map(|b| (archive::sha256_hex(&b), b)),
                    None => serde_json::to_vec(&doc.dati)
                        .map_err(|e| errore(e.to_string()))
                        .map(|d| (riuso.chiave(doc, &d), d)),
                }
                .and_then(|(chiave, ingresso)| {
                    match riuso.trova(&doc.percorso, &chiave) {
                        Some(sha256) => Ok((sha256, chiave)),
                        None => {
                            let pdf = match &doc.allegato {
                                Some(_) => Ok(ingresso),
                                None => render::rendi(
                                    motore,
                                    &doc.template,
                                    &ingresso,
                                    &doc.identificativo,
                                ),
                            }?;
                            let sha256 = staging
                                .scrivi(&doc.percorso, &pdf)
                                .map_err(|e| errore(e.to_string()))?;
                            Ok((sha256, chiave))
                        }
                    }
                });
                risultati.lock().expect("risultati")[i] = Some(esito);
                progresso(fatti.fetch_add(1, Ordering::Relaxed) + 1, n);
            });
        }
    });
    let mut voci = Vec::with_capacity(n);
    let mut errori = Vec::new();
    for (doc, r) in piano
        .documenti
        .iter()
        .zip(risultati.into_inner().expect("risultati"))
    {
        match r.expect("ogni documento è stato elaborato") {
            Ok((sha256, chiave)) => voci.push(VoceIndice {
                kind: doc.tipo,
                course: doc.corso.clone(),
                person: doc.persona.clone(),
                path: doc.percorso.clone(),
                sha256,
                title: doc.titolo.clone(),
                id: doc.identificativo.clone(),
                date: doc.dati["documento"]["data_iso"]
                    .as_str()
                    .map(str::to_string),
                number: doc.dati["documento"]["numero"].as_str().map(str::to_string),
                object: None,
                version: None,
                render_key: Some(chiave),
                section: plan::dossier::cartella_di(ds, doc),
            }),
            Err(e) => errori.push((doc.percorso.clone(), e)),
        }
    }
    if errori.is_empty() {
        Ok(voci)
    } else {
        Err(ErroreBuild::Template(errori))
    }
}
