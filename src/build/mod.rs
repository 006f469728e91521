//! The orchestrator: a build is the pipeline's stages run in order, each a
//! named step below, with the registry transaction held from numbering to
//! the index.
//!
//! ```text
//! load and validate → (unchanged? site check, stop) → plan → register → render
//!   → refuse or supersede changed documents → publish → archive → commit
//!   → verification site
//! ```
//!
//! Nothing is written when the dataset or the plan has errors. A document
//! that fails to render is reported in [`EsitoBuild::falliti`] and the
//! others are published and archived all the same.

mod ambito;
pub mod avanzamento;
pub mod cambiamenti;
mod flusso;
pub mod lucchetto;
mod produzione;
mod riuso;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::{self, Indice, Staging, VoceIndice};
use crate::diag::Problemi;
use crate::input;
use crate::model::Dataset;
use crate::plan::{self, Filtro, Piano, Sommario};
use crate::registry::{self, Assegnazione, Emissione, Registro};
use crate::render;
use crate::rules;
use crate::sito;

use riuso::Riuso;

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
    /// The dataset directory (`ateneo.json`, `corsi/`, `iscrizioni/`…).
    pub dataset: PathBuf,
    /// The output directory: published documents, index, bags, OCFL root.
    pub out: PathBuf,
    /// Templates directory; `None` uses the templates built into the program.
    pub templates: Option<PathBuf>,
    /// Which courses and kinds of document to produce.
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
    /// The registry of issued documents; `None` is the dataset's, the one
    /// every build of the dataset shares (see [`registry::posto`]).
    pub registro: Option<PathBuf>,
    /// The electronic seal every rendered PDF receives (`--seal`); `None`
    /// leaves documents unsealed, byte for byte as before.
    pub sigillo: Option<Arc<crate::sigillo::Sigillo>>,
    /// Keep a zip of each bag version under `bags/` (the default). Without
    /// them each document is on disk twice, published and in the OCFL
    /// storage root, whose versions `lauream export` zips on demand.
    pub zip_bag: bool,
}

/// Where a build's registry is: the given path, else the one `ateneo.json`
/// names (`registro`), else `registro.sqlite` beside the dataset. Never the
/// output directory's: one office, one registry, whatever `--out` is.
pub fn percorso_registro(
    dataset: &Path,
    ateneo: &crate::model::Ateneo,
    registro: Option<&Path>,
) -> PathBuf {
    registro
        .map(Path::to_path_buf)
        .unwrap_or_else(|| registry::posto::del_dataset(dataset, ateneo.registro.as_deref()))
}

/// The registry file a build uses, once [`costruisci`] has resolved it.
fn registro_di(opts: &OpzioniBuild) -> PathBuf {
    opts.registro
        .clone()
        .unwrap_or_else(|| registry::posto::del_dataset(&opts.dataset, None))
}

/// What a build did.
#[derive(Debug)]
pub struct EsitoBuild {
    /// The index entries of every document this build covers, produced or kept.
    pub documenti: Vec<VoceIndice>,
    /// How many documents were rendered (or filed) anew; the others were
    /// kept from an earlier build with the same inputs.
    pub generati: usize,
    /// The course bags as archived by this build (new or unchanged).
    pub bags: Vec<archive::BagArchiviata>,
    /// The plan that was executed (empty when nothing had changed).
    pub piano: Piano,
    /// Warnings of the dataset and of the plan (errors stop a build before this).
    pub problemi: Problemi,
    /// Documents that could not be produced (template error, time limit),
    /// with why. The others were published and archived all the same; the
    /// command line exits with an error when any failed.
    pub falliti: Vec<(String, render::ErroreTemplate)>,
    /// Nothing the build reads had changed since the last complete build:
    /// it planned and rendered nothing (and `piano` is empty).
    pub invariato: bool,
    /// What the build did to the verification site (`OUT/verifica/`).
    pub sito: Option<sito::EsitoSito>,
    /// When the plan had no document at all: why, course by course (see
    /// [`plan::esclusi::perche_nessun_documento`]); empty otherwise.
    pub nessun_documento: Vec<String>,
    /// Issued documents that would have changed, without `--overwrite`:
    /// left as they were, each with what changed; the others were published
    /// and archived, and the command line exits with an error.
    pub rifiutati: Vec<cambiamenti::Cambiamento>,
    /// Documents issued anew in place of an earlier issue: superseded with
    /// `--overwrite`, or reissued after a revocation ("n. 6/2026 → n. 10/2026").
    pub sostituiti: Vec<cambiamenti::Sostituzione>,
}

/// Why a build wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ErroreBuild {
    /// The dataset (or the plan drawn from it) has errors.
    #[error("il dataset contiene errori:\n{0}")]
    Dataset(Problemi),
    /// Documents already issued would change, `--overwrite` was not given,
    /// and one of them is gone from the output directory, so the archive
    /// could not be kept consistent: nothing was written. (Otherwise the
    /// others are published and the changed ones reported in
    /// [`EsitoBuild::rifiutati`].)
    #[error("{}", cambiamenti::spiega_rifiuto(.0, false))]
    Conflitto(Vec<cambiamenti::Cambiamento>),
    /// `--strict` and a Regione-accredited course's dossier lacks sections.
    #[error(
        "dossier incompleti (--strict); nulla è stato scritto:\n{}",
        .0.iter().map(|(c, s)| format!("{c}: mancano {}", s.join("; "))).collect::<Vec<_>>().join("\n")
    )]
    DossierIncompleto(Vec<(String, Vec<String>)>),
    /// Anything else (file system, registry, templates), with its causes.
    #[error(transparent)]
    Altro(#[from] anyhow::Error),
}

impl From<std::io::Error> for ErroreBuild {
    fn from(e: std::io::Error) -> Self {
        ErroreBuild::Altro(e.into())
    }
}

/// Loads, validates, plans, registers, renders, publishes and archives,
/// then brings the verification site in step with the registry.
/// Writes nothing when the dataset has errors; a document that fails to
/// render is reported in [`EsitoBuild::falliti`] and the others are published.
///
/// One build at a time may write an output directory and its registry: the
/// caller holds their lock ([`lucchetto::Lucchetto`]), as the command line does.
pub fn costruisci(
    opts: &OpzioniBuild,
    progresso: &dyn avanzamento::Osservatore,
) -> Result<EsitoBuild, ErroreBuild> {
    let (mut ds, problemi) = carica(opts)?;
    // From here on the registry is the resolved one: every step that names
    // it (the unchanged-rebuild fingerprint, the transaction, the index)
    // names the same file.
    let opts = &OpzioniBuild {
        registro: Some(percorso_registro(
            &opts.dataset,
            &ds.ateneo,
            opts.registro.as_deref(),
        )),
        ..opts.clone()
    };
    let (motore, logo) = prepara_motore(opts, &ds)?;

    // Nothing read has changed since the last complete build and every file
    // is in place: there is nothing to plan, render or archive.
    let precedente = Indice::leggi(&opts.out)?;
    let ingressi = riuso::impronta_ingressi(opts, &motore)?;
    if let Some(mut esito) = riuso::invariato(opts, &precedente, &ingressi, &problemi) {
        let inputs = precedente.inputs.as_deref();
        esito.sito = Some(sito::aggiorna_se_serve(
            &opts.out,
            &registro_di(opts),
            &ds,
            inputs,
        )?);
        return Ok(esito);
    }

    let pianificatore = plan::Pianificatore::new(&ds, &opts.filtro, logo.as_deref());
    let sommario = pianifica(opts, &ds, &pianificatore, &problemi)?;
    let nessun_documento = if sommario.documenti.is_empty() {
        let senza_tipo = plan::Filtro {
            corso: opts.filtro.corso.clone(),
            tipo: None,
        };
        let altri = plan::pianifica(&ds, &senza_tipo, logo.as_deref()).documenti;
        plan::esclusi::perche_nessun_documento(&ds, &opts.filtro, &altri, &sommario.piano.esclusi)
    } else {
        Vec::new()
    };
    // One registry transaction for the whole build: numbers allocated here
    // exist only once the documents and the index are in place (see
    // `registry`). The whole year is numbered before any course's data is
    // planned, so numbers follow the documents' dates across courses.
    let mut registro = Registro::apri(&registro_di(opts))?;
    let mut emissione = registro.emissione(&ds.ateneo)?;
    let assegnazioni = emissione.assegna(&sommario.documenti)?;
    let Sommario {
        documenti: sintesi,
        gruppi,
        piano,
    } = sommario;
    let numerati = flusso::Numerati::new(gruppi, sintesi, assegnazioni);
    // Planning the summary made and dropped every course's data, and the
    // summaries are dropped once numbered: give that memory back before
    // rendering allocates its own.
    produzione::restituisci_memoria();

    // Whatever a killed build left behind is cleared here, while this build
    // holds the registry's write lock: no other build is using it.
    let staging = Staging::new(&opts.out)?;
    let riuso = Riuso {
        out: &opts.out,
        impronta: motore.impronta(),
        gia_fatti: precedente
            .documents
            .iter()
            .map(|v| (v.path.as_str(), v))
            .collect(),
        sigillo: opts.sigillo.clone(),
    };
    let produzione = Produzione {
        motore: Arc::new(motore),
        staging: &staging,
        riuso: &riuso,
        opzioni: render::lotto::OpzioniLotto {
            jobs: opts.jobs,
            limite: opts.limite_documento,
        },
    };
    let conteggio = produzione::Conteggio::new(numerati.documenti(), progresso);
    let mut prodotti = flusso::produci_per_corso(
        &produzione,
        &conteggio,
        &pianificatore,
        &mut emissione,
        numerati,
    )?;
    drop(pianificatore);
    riprendi_le_voci(&mut ds, &mut prodotti)?;
    let rifiutati = flusso::risolvi_cambiati(
        opts,
        &produzione,
        &conteggio,
        &mut emissione,
        &mut prodotti,
        &precedente,
    )?;
    let flusso::Prodotti {
        voci,
        assegnazioni,
        falliti,
        sostituiti,
        ..
    } = prodotti;

    let sostituiti: Vec<_> = sostituiti.into_iter().map(|(_, s)| s).collect();
    let generati = voci.iter().filter(|v| staging.contiene(&v.path)).count();
    progresso.fase(avanzamento::Fase::Archiviazione);
    let (bags, mut indice, ordine) = pubblica_e_archivia(opts, &ds, &precedente, staging, voci)?;
    progresso.fase(avanzamento::Fase::Registrazione);
    let impronta = registra(
        opts,
        emissione,
        (&assegnazioni, &ordine),
        &mut indice,
        &ingressi,
        falliti.is_empty() && rifiutati.is_empty(),
    )?;
    drop(assegnazioni);
    let voci = di_questa_build(indice, &ordine);
    // Step 9: the site is derived from the registry as committed.
    let sito = sito::pubblica(&opts.out, &registro_di(opts), &ds, impronta.as_deref())?;
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
        sito: Some(sito),
        nessun_documento,
        rifiutati,
        sostituiti,
    })
}

/// Step 1: load and validate the dataset, and check that the course asked
/// for exists. A build of one course is not stopped by another course's
/// errors, which become warnings naming their course (see [`ambito`]).
fn carica(opts: &OpzioniBuild) -> Result<(Dataset, Problemi), ErroreBuild> {
    let (ds, problemi) = match &opts.filtro.corso {
        Some(c) => ambito::controlla_corso(&opts.dataset, c),
        None => controlla(&opts.dataset),
    };
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
    Ok((ds, problemi))
}

/// Step 2: the Typst engine (built-in or given templates) with the
/// university's logo; returns the logo's virtual path for the plan.
fn prepara_motore(
    opts: &OpzioniBuild,
    ds: &Dataset,
) -> Result<(render::Motore, Option<String>), ErroreBuild> {
    let mut motore = match &opts.templates {
        // The engine's own message names the folder already.
        Some(dir) if !dir.is_dir() => render::Motore::new(dir).map_err(anyhow::Error::new)?,
        Some(dir) => render::Motore::new(dir).map_err(|e| {
            anyhow::anyhow!("{}: {}", dir.display(), crate::messaggi::errore_io(&e))
        })?,
        None => render::Motore::incorporato(),
    };
    let logo = match &ds.ateneo.logo {
        Some(rel) => {
            let p = ds.radice.join(rel);
            let bytes = std::fs::read(&p).map_err(|e| {
                anyhow::anyhow!(
                    "ateneo.json, $.logo: {}: {}",
                    p.display(),
                    crate::messaggi::errore_io(&e)
                )
            })?;
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("png");
            Some(motore.con_logo(ext, bytes))
        }
        None => None,
    };
    Ok((motore, logo))
}

/// Step 3: the plan of the whole year, without the documents' data (see
/// [`plan::Sommario`]). Problems found while planning (a misfiled dossier
/// document) stop the build like dataset errors, and so does an incomplete
/// dossier under `--strict`: nothing is written.
fn pianifica(
    opts: &OpzioniBuild,
    ds: &Dataset,
    pianificatore: &plan::Pianificatore,
    problemi: &Problemi,
) -> Result<Sommario, ErroreBuild> {
    let mut sommario = pianificatore.sommario();
    let piano = &mut sommario.piano;
    if let Some(c) = &opts.filtro.corso {
        // A misfiled dossier document of another course does not stop
        // this course's build.
        piano.avvisi = ambito::separa(std::mem::take(&mut piano.avvisi), ds, c).0;
    }
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
    Ok(sommario)
}

/// Once the year is rendered: the enrolments and attendance rows are not
/// read again (the archive, the registry and the site need the university
/// and the courses), so they are given back, and the index entries, kept on
/// disk while the year rendered ([`flusso::Riserva`]), come back in their
/// place. A large year's build peaks lower than if both were held at once.
fn riprendi_le_voci(ds: &mut Dataset, prodotti: &mut flusso::Prodotti) -> std::io::Result<()> {
    ds.iscrizioni = Vec::new();
    ds.presenze = Vec::new();
    produzione::restituisci_memoria();
    if let Some(riserva) = prodotti.riserva.take() {
        prodotti.voci = riserva.rileggi()?;
    }
    Ok(())
}

/// What producing documents needs, shared by the first pass and by the
/// re-render of superseded documents.
struct Produzione<'a> {
    motore: Arc<render::Motore>,
    staging: &'a Staging,
    riuso: &'a Riuso<'a>,
    opzioni: render::lotto::OpzioniLotto,
}

impl Produzione<'_> {
    /// Step 5: planned documents into the staging area (see
    /// [`produzione::rendi_tutti`]), counted in `conteggio`.
    fn produci(
        &self,
        piano: &mut Piano,
        conteggio: &produzione::Conteggio,
    ) -> (
        Vec<Option<VoceIndice>>,
        Vec<(String, render::ErroreTemplate)>,
    ) {
        produzione::rendi_tutti(
            &self.motore,
            piano,
            self.staging,
            self.riuso,
            self.opzioni,
            conteggio,
        )
    }
}

/// Step 7: the staged documents move into place, the index takes them, and
/// the changed courses get a new bag and OCFL version. Returns the bags, the
/// index as written (not yet marked complete), and where each of this
/// build's documents stands in plan order (by path).
fn pubblica_e_archivia(
    opts: &OpzioniBuild,
    ds: &Dataset,
    precedente: &Indice,
    staging: Staging,
    voci: Vec<VoceIndice>,
) -> Result<(Vec<archive::BagArchiviata>, Indice, Ordine), ErroreBuild> {
    let mut indice = precedente.clone();
    staging.pubblica(&voci)?;
    // The entries move into the index, so that a large year's entries are
    // not held twice; this build's are found again by their path.
    let ordine: Ordine = voci
        .iter()
        .enumerate()
        .map(|(i, v)| (v.path.clone(), i))
        .collect();
    indice.aggiorna(voci);
    indice.registry = Some(registry::posto::per_indice(&opts.out, &registro_di(opts)));
    let bags = archive::archivia(&opts.out, &ds.ateneo, &mut indice, opts.zip_bag)?;
    // Until the registry has committed, the index must not claim that this
    // build is complete: a kill in between leaves a build to redo.
    indice.inputs = None;
    indice.scrivi(&opts.out)?;
    Ok((bags, indice, ordine))
}

/// Where each of a build's documents stands in plan order, by its path.
type Ordine = HashMap<String, usize>;

/// This build's entries of the index, as archived, in plan order: the
/// index, written and no longer needed, keeps only them and is sorted in
/// place, so that a large year's entries are not held twice.
fn di_questa_build(indice: Indice, ordine: &Ordine) -> Vec<VoceIndice> {
    let mut voci = indice.documents;
    voci.retain(|v| ordine.contains_key(&v.path));
    voci.sort_by_cached_key(|v| ordine[&v.path]);
    voci
}

/// Step 8: the registry records each document's hash and archive place and
/// commits: only now do the build's numbers exist. A build with no failed
/// document then records its inputs' fingerprint, so that an unchanged
/// rebuild can stop after loading, and returns it.
fn registra(
    opts: &OpzioniBuild,
    mut emissione: Emissione,
    (assegnazioni, ordine): (&[Assegnazione], &Ordine),
    indice: &mut Indice,
    ingressi: &str,
    completa: bool,
) -> Result<Option<String>, ErroreBuild> {
    let mut file: Vec<(usize, registry::FileEmesso)> = indice
        .documents
        .iter()
        .filter_map(|v| {
            let i = *ordine.get(&v.path)?;
            Some((i, file_emesso(v)))
        })
        .collect();
    file.sort_unstable_by_key(|(i, _)| *i);
    let file: Vec<registry::FileEmesso> = file.into_iter().map(|(_, f)| f).collect();
    emissione.registra(assegnazioni, &file)?;
    emissione.conferma()?;
    if completa {
        indice.inputs = Some(riuso::impronta_completa(ingressi, &registro_di(opts)));
        indice.scrivi(&opts.out)?;
    }
    Ok(indice.inputs.clone())
}

/// Where a produced document's file is, as the registry records it.
fn file_emesso(v: &VoceIndice) -> registry::FileEmesso<'_> {
    registry::FileEmesso {
        sha256: &v.sha256,
        oggetto: v.object.as_deref(),
        versione: v.version.as_deref(),
    }
}

/// A document's data as a JSON tree, to compare field by field with what
/// the registry kept of its earlier issue.
fn valore(dati: &plan::Dati) -> serde_json::Value {
    serde_json::from_slice(&dati.json()).expect("i dati di un documento sono JSON valido")
}
