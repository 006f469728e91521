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
use std::sync::Arc;

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
    /// Longest a single document may take to render; past it the document
    /// is reported as failed and the rest of the batch goes on.
    pub limite_documento: std::time::Duration,
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
    /// Documents that could not be produced (template error, time limit),
    /// with why. The others were published and archived all the same; the
    /// command line exits with an error when any failed.
    pub falliti: Vec<(String, render::ErroreTemplate)>,
    /// Nothing the build reads had changed since the last complete build:
    /// it planned and rendered nothing (and `piano` is empty).
    pub invariato: bool,
}

/// Why a build wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ErroreBuild {
    #[error("il dataset contiene errori:\n{0}")]
    Dataset(Problemi),
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

/// Loads, validates, plans, renders and writes. Writes nothing when the
/// dataset has errors; a document that fails to render is reported in
/// [`EsitoBuild::falliti`] and the others are published.
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

    // Nothing read has changed since the last complete build and every file
    // is in place: there is nothing to plan, render or archive.
    let precedente = Indice::leggi(&opts.out)?;
    let ingressi = impronta_ingressi(opts, &motore)?;
    if let Some(esito) = invariato(opts, &precedente, &ingressi, &problemi) {
        return Ok(esito);
    }

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
    let assegnazioni = emissione.assegna(&mut piano.documenti)?;

    // Whatever a killed build left behind is cleared here, while this build
    // holds the registry's write lock: no other build is using it.
    let staging = Staging::new(&opts.out)?;
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
    let motore = Arc::new(motore);
    let opzioni_lotto = render::lotto::OpzioniLotto {
        jobs: opts.jobs,
        limite: opts.limite_documento,
    };
    let (prodotti, falliti) = rendi_tutti(
        &motore,
        &mut piano,
        &staging,
        &riuso,
        opzioni_lotto,
        progresso,
    );
    // From here on only the documents produced go on, with their registry
    // assignments. A failed one keeps the number it was given (recorded with
    // no file yet), so the rerun that produces it uses that number: nothing
    // skipped, nothing reused.
    let mut voci = Vec::with_capacity(prodotti.len());
    let mut tenute = Vec::with_capacity(prodotti.len());
    let mut documenti = Vec::with_capacity(prodotti.len());
    for ((voce, a), doc) in prodotti
        .into_iter()
        .zip(assegnazioni)
        .zip(std::mem::take(&mut piano.documenti))
    {
        if let Some(v) = voce {
            voci.push(v);
            tenute.push(a);
            documenti.push(doc);
        }
    }
    let mut assegnazioni = tenute;
    piano.documenti = documenti;

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
            let (rifatte, non_rifatte) = rendi_tutti(
                &motore,
                &mut da_rifare,
                &staging,
                &riuso,
                opzioni_lotto,
                progresso,
            );
            if !non_rifatte.is_empty() {
                // The superseded document is already renumbered in this
                // transaction: without its new file the build cannot go on.
                return Err(anyhow::anyhow!(
                    "documenti da riemettere non generati:\n{}",
                    non_rifatte
                        .iter()
                        .map(|(p, e)| format!("{p}:\n{e}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
                .into());
            }
            for (i, v) in posti.into_iter().zip(rifatte) {
                voci[i] = v.expect("ogni documento riemesso è stato generato");
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
    // Until the registry has committed, the index must not claim that this
    // build is complete: a kill in between leaves a build to redo.
    indice.inputs = None;
    indice.scrivi(&opts.out)?;
    emissione.conferma()?;
    if falliti.is_empty() {
        indice.inputs = Some(impronta_completa(&ingressi, &registro_di(opts)));
        indice.scrivi(&opts.out)?;
    }
    let mut problemi = problemi;
    problemi.extend(piano.avvisi.clone());
    Ok(EsitoBuild {
        documenti: voci,
        generati,
        piano,
        problemi,
        bags,
        falliti,
        invariato: false,
    })
}

/// The registry file a build uses.
fn registro_di(opts: &OpzioniBuild) -> PathBuf {
    percorso_registro(&opts.out, opts.registro.as_deref())
}

/// Fingerprint of what a build reads besides the registry: the program and
/// its templates (with the logo), the options that shape the output, and
/// every file of the dataset.
fn impronta_ingressi(opts: &OpzioniBuild, motore: &render::Motore) -> anyhow::Result<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut parte = |b: &[u8]| {
        h.update((b.len() as u64).to_le_bytes());
        h.update(b);
    };
    parte(motore.impronta().as_bytes());
    parte(
        format!(
            "{:?} {:?} {} {}",
            opts.filtro.corso, opts.filtro.tipo, opts.rigoroso, opts.sovrascrivi
        )
        .as_bytes(),
    );
    let mut file: Vec<PathBuf> = walkdir::WalkDir::new(&opts.dataset)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    file.sort();
    for f in file {
        let rel = f.strip_prefix(&opts.dataset).unwrap_or(&f);
        parte(rel.to_string_lossy().as_bytes());
        parte(&std::fs::read(&f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?);
    }
    Ok(hex::encode(h.finalize()))
}

/// The inputs' fingerprint with the registry as it is now: a revocation, or
/// a build by someone else, changes it.
fn impronta_completa(ingressi: &str, registro: &Path) -> String {
    let sommario = if registro.is_file() {
        archive::registro::Registro::apri_esistente(registro)
            .and_then(|r| r.sommario())
            .unwrap_or_else(|e| format!("illeggibile: {e}"))
    } else {
        "assente".to_string()
    };
    archive::sha256_hex(format!("{ingressi}\n{sommario}").as_bytes())
}

/// The outcome of a build that has nothing to do: the last complete build
/// read exactly these inputs, and every document and bag it left is still
/// there with its size. `None` when anything differs; the full build then
/// decides document by document.
fn invariato(
    opts: &OpzioniBuild,
    precedente: &Indice,
    ingressi: &str,
    problemi: &Problemi,
) -> Option<EsitoBuild> {
    use rayon::prelude::*;
    let attesa = precedente.inputs.as_deref()?;
    if impronta_completa(ingressi, &registro_di(opts)) != attesa {
        return None;
    }
    // A build with other inputs may have been killed since. What it left
    // (staging folders, temporary files, an OCFL version beyond the head)
    // sends this build down the full path, whose clean-up runs under the
    // registry's lock; and the archive must be exactly what the index says.
    let radice = opts.out.join(archive::CARTELLA_OCFL);
    let resti = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|r| {
            r.filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().starts_with(".lauream-"))
        })
    };
    if [
        opts.out.clone(),
        opts.out.join(archive::CARTELLA_BAG),
        radice.clone(),
    ]
    .iter()
    .any(|d| resti(d))
    {
        return None;
    }
    let intatti = precedente.documents.par_iter().all(|v| {
        v.size
            .is_some_and(|n| std::fs::metadata(opts.out.join(&v.path)).is_ok_and(|m| m.len() == n))
    }) && precedente.archived.par_iter().all(|(id, o)| {
        let oggetto = radice.join(id);
        let successiva = o
            .version
            .trim_start_matches('v')
            .parse::<u32>()
            .map(|n| format!("v{}", n + 1))
            .unwrap_or_default();
        archive::ocfl::head(&radice, id).as_deref() == Some(o.version.as_str())
            && !resti(&oggetto)
            && !oggetto.join(successiva).exists()
            && opts
                .out
                .join(format!("{}/{id}-{}.zip", archive::CARTELLA_BAG, o.version))
                .is_file()
    });
    if !intatti {
        return None;
    }
    let documenti: Vec<VoceIndice> = precedente
        .documents
        .iter()
        .filter(|v| opts.filtro.ammette(v.course.as_deref(), v.kind))
        .cloned()
        .collect();
    let oggetti: std::collections::BTreeSet<&str> = documenti
        .iter()
        .filter_map(|v| v.object.as_deref())
        .collect();
    let bags = oggetti
        .into_iter()
        .filter_map(|id| {
            let o = precedente.archived.get(id)?;
            Some(archive::BagArchiviata {
                oggetto: id.to_string(),
                versione: o.version.clone(),
                zip: format!("{}/{id}-{}.zip", archive::CARTELLA_BAG, o.version),
                nuova: false,
            })
        })
        .collect();
    Some(EsitoBuild {
        documenti,
        generati: 0,
        bags,
        piano: Piano::default(),
        problemi: problemi.clone(),
        falliti: Vec::new(),
        invariato: true,
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

    /// The hash and size of the file already in place for this key.
    ///
    /// The file must be there with the size recorded; its bytes are not read
    /// again (at ten thousand documents that would be most of an unchanged
    /// rebuild). Whether each file still matches its recorded hash is what
    /// `lauream verify` checks. An index from before sizes were recorded
    /// falls back to hashing the file.
    fn trova(&self, percorso: &str, chiave: &str) -> Option<(String, u64)> {
        let v = self.gia_fatti.get(percorso)?;
        if v.render_key.as_deref() != Some(chiave) {
            return None;
        }
        let file = self.out.join(percorso);
        let dimensione = std::fs::metadata(&file).ok()?.len();
        match v.size {
            Some(n) => (n == dimensione).then(|| (v.sha256.clone(), n)),
            None => {
                let h = archive::sha256_file(&file).ok()?;
                (h == v.sha256).then_some((h, dimensione))
            }
        }
    }
}

/// What the first pass decided for a document.
enum Stato {
    /// Kept from an earlier build, or filed as it is: hash, render key, size.
    Pronto(String, String, u64),
    /// To render; the render key.
    DaRendere(String),
    Fallito(render::ErroreTemplate),
}

/// Produces every planned document into the staging area, keeping those an
/// earlier build already produced from the same inputs. Returns, in plan
/// order, each document's index entry (`None` where it failed), and the
/// failures with why (a template error, the time limit): one failure does
/// not stop the batch.
///
/// Two passes: a flat one (rayon) computes each document's render key and
/// keeps or files what it can; then only what changed goes to the
/// rendering workers ([`render::lotto`]).
fn rendi_tutti(
    motore: &Arc<render::Motore>,
    piano: &mut Piano,
    staging: &Staging,
    riuso: &Riuso,
    opzioni: render::lotto::OpzioniLotto,
    progresso: &(dyn Fn(usize, usize) + Sync),
) -> (
    Vec<Option<VoceIndice>>,
    Vec<(String, render::ErroreTemplate)>,
) {
    use rayon::prelude::*;
    let n = piano.documenti.len();
    let fatti = AtomicUsize::new(0);
    let segna = || progresso(fatti.fetch_add(1, Ordering::Relaxed) + 1, n);
    let errore = |e: String| render::ErroreTemplate(vec![e]);
    let mut stati: Vec<Stato> = piano
        .documenti
        .par_iter()
        .map(|doc| {
            let stato = match &doc.allegato {
                // A file filed as it is: its key is its own hash.
                Some(file) => match std::fs::read(file) {
                    Err(e) => Stato::Fallito(errore(format!("{}: {e}", file.display()))),
                    Ok(b) => {
                        let chiave = archive::sha256_hex(&b);
                        match riuso.trova(&doc.percorso, &chiave) {
                            Some((h, n)) => Stato::Pronto(h, chiave, n),
                            None => match staging.scrivi(&doc.percorso, &b) {
                                Ok(h) => Stato::Pronto(h, chiave, b.len() as u64),
                                Err(e) => Stato::Fallito(errore(e.to_string())),
                            },
                        }
                    }
                },
                None => {
                    let chiave = riuso.chiave(doc, &doc.dati.json());
                    match riuso.trova(&doc.percorso, &chiave) {
                        Some((h, n)) => Stato::Pronto(h, chiave, n),
                        None => Stato::DaRendere(chiave),
                    }
                }
            };
            if !matches!(stato, Stato::DaRendere(_)) {
                segna();
            }
            stato
        })
        .collect();

    let da_rendere: Vec<usize> = (0..n)
        .filter(|&i| matches!(stati[i], Stato::DaRendere(_)))
        .collect();
    if !da_rendere.is_empty() {
        // The workers own what they read, so that a stuck one can be left
        // behind (see render::lotto); the plan gets its documents back after.
        let documenti = Arc::new(std::mem::take(&mut piano.documenti));
        let coda = Arc::new(da_rendere);
        let prepara = {
            let (documenti, coda) = (Arc::clone(&documenti), Arc::clone(&coda));
            move |k: usize| {
                let doc = &documenti[coda[k]];
                Ok(render::lotto::Lavoro {
                    template: doc.template.clone(),
                    dati: doc.dati.json(),
                    ident: doc.identificativo.clone(),
                })
            }
        };
        render::lotto::rendi_lotto(
            Arc::clone(motore),
            coda.len(),
            prepara,
            opzioni,
            |k, esito| {
                let i = coda[k];
                let Stato::DaRendere(chiave) =
                    std::mem::replace(&mut stati[i], Stato::DaRendere(String::new()))
                else {
                    unreachable!("solo i documenti da rendere vanno ai worker")
                };
                stati[i] = match esito.and_then(|pdf| {
                    staging
                        .scrivi(&documenti[i].percorso, &pdf)
                        .map(|h| (h, pdf.len() as u64))
                        .map_err(|e| errore(e.to_string()))
                }) {
                    Ok((h, n)) => Stato::Pronto(h, chiave, n),
                    Err(e) => Stato::Fallito(e),
                };
                segna();
            },
        );
        piano.documenti = Arc::try_unwrap(documenti).unwrap_or_else(|a| (*a).clone());
    }

    let mut voci = Vec::with_capacity(n);
    let mut falliti = Vec::new();
    for (doc, stato) in piano.documenti.iter().zip(stati) {
        voci.push(match stato {
            Stato::Pronto(sha256, chiave, size) => Some(VoceIndice {
                kind: doc.tipo,
                course: doc.corso.clone(),
                person: doc.persona.clone(),
                path: doc.percorso.clone(),
                sha256,
                title: doc.titolo.clone(),
                id: doc.identificativo.clone(),
                date: doc.dati.data_iso(),
                number: doc.dati.numero().map(str::to_string),
                object: None,
                version: None,
                render_key: Some(chiave),
                size: Some(size),
                section: doc.sezione_dossier.map(|s| s.cartella()),
            }),
            Stato::Fallito(e) => {
                falliti.push((doc.percorso.clone(), e));
                None
            }
            Stato::DaRendere(_) => {
                falliti.push((
                    doc.percorso.clone(),
                    errore("documento non elaborato".into()),
                ));
                None
            }
        });
    }
    (voci, falliti)
}
