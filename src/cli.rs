//! Command-line interface: argument parsing, progress and messages. The work
//! itself is in the library's stages.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::plan::{Filtro, TipoDocumento};
use crate::{controlla, costruisci, schema, OpzioniBuild};

/// Official documents of a post-lauream office: calls, decrees, parchments,
/// certificates and dossiers, from the year's data.
#[derive(Debug, Parser)]
#[command(name = "lauream", version, about)]
pub struct Cli {
    #[command(subcommand)]
    comando: Comando,
}

#[derive(Debug, Subcommand)]
enum Comando {
    /// Validate a dataset against the regulation; write nothing.
    Check {
        /// The dataset directory (ateneo.json, corsi/, iscrizioni/, presenze/).
        dataset: PathBuf,
        /// Print the problems as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Validate, then produce the documents and index.json.
    Build {
        dataset: PathBuf,
        /// Output directory.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Only this course (its id).
        #[arg(long = "course")]
        corso: Option<String>,
        /// Only this kind of document.
        #[arg(long = "kind", value_enum)]
        tipo: Option<TipoDocumento>,
        /// Templates directory to use instead of the built-in templates.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Rendering threads (default: one per core).
        #[arg(long, short = 'j', default_value_t = 0)]
        jobs: usize,
        /// Replace documents already issued whose content changed.
        #[arg(long)]
        overwrite: bool,
        /// Treat an incomplete dossier of a Regione-accredited course as an error.
        #[arg(long)]
        strict: bool,
        /// Longest a single document may take to render, in seconds; past it
        /// the document is reported as failed and the rest goes on.
        #[arg(long = "doc-timeout", default_value_t = 60.0, value_name = "SECONDI")]
        limite: f64,
        /// Registry of issued documents (default: registro.sqlite in the output directory).
        #[arg(long)]
        registry: Option<PathBuf>,
    },
    /// Tell whether a PDF is a document the registry issued (by its SHA-256):
    /// number, person, date and status. Exits non-zero unless it is valid.
    VerifyDoc {
        file: PathBuf,
        #[command(flatten)]
        registro: ArgRegistro,
    },
    /// Look up the verification code printed on a document (any case, with
    /// or without dashes). Exits non-zero unless the document is valid.
    Lookup {
        code: String,
        #[command(flatten)]
        registro: ArgRegistro,
    },
    /// Revoke an issued document: it stays in the registry and the archive,
    /// marked revoked; a later build issues it again under a new number.
    Revoke {
        code: String,
        /// Why the document is revoked (recorded and shown by lookup).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        registro: ArgRegistro,
    },
    /// Print, as JSON, the documents a build would produce and the data each
    /// template receives, and who gets nothing and why.
    Plan {
        dataset: PathBuf,
        #[arg(long = "course")]
        corso: Option<String>,
        #[arg(long = "kind", value_enum)]
        tipo: Option<TipoDocumento>,
    },
    /// Check a bag zip, an unpacked bag, an OCFL storage root or a whole
    /// output directory: every digest recomputed, nothing missing or extra.
    Verify { path: PathBuf },
    /// Hand an archivist the current bag (zip) of a course, or of every course.
    Export {
        /// Course id.
        #[arg(
            long = "course",
            conflicts_with = "all",
            required_unless_present = "all"
        )]
        corso: Option<String>,
        /// Every course of the output directory.
        #[arg(long)]
        all: bool,
        /// Output directory of the builds.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Destination folder of the zips.
        dest: PathBuf,
    },
    /// Write a large, valid synthetic dataset: realistic Italian names, valid
    /// tax codes, every role and course kind (for trials and benchmarks).
    Synth {
        /// Number of enrolments.
        #[arg(long = "people", default_value_t = 1000)]
        persone: usize,
        /// Number of courses.
        #[arg(long = "courses", default_value_t = 7)]
        corsi: usize,
        /// Seed: the same seed gives the same dataset.
        #[arg(long = "seed", default_value_t = 1)]
        seme: u64,
        /// Destination folder (must not exist or be empty).
        dest: PathBuf,
    },
    /// Print the JSON Schema of a dataset part.
    Schema {
        /// ateneo | corso | iscrizione | presenza
        #[arg(default_value = "corso")]
        parte: String,
    },
}

/// Which registry a command reads.
#[derive(Debug, clap::Args)]
struct ArgRegistro {
    /// Output directory of the builds (its registro.sqlite).
    #[arg(long, default_value = "output")]
    out: PathBuf,
    /// The registry file, when it is not in the output directory.
    #[arg(long)]
    registry: Option<PathBuf>,
}

impl ArgRegistro {
    fn apri(&self) -> anyhow::Result<crate::registry::Registro> {
        crate::registry::Registro::apri_esistente(&crate::percorso_registro(
            &self.out,
            self.registry.as_deref(),
        ))
    }
}

/// Prints what the registry says of a document; success only if it is valid.
fn mostra(scheda: &crate::registry::Scheda) -> ExitCode {
    println!("{}", scheda.descrizione());
    if scheda.valida() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn errore(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("{e}");
    ExitCode::FAILURE
}

/// Progress of a long build: a bar with counts and rate on a terminal, a
/// plain line every tenth of the work otherwise (logs of night runs).
struct Avanzamento {
    barra: Option<indicatif::ProgressBar>,
    ultimo_decimo: std::sync::atomic::AtomicUsize,
}

impl Avanzamento {
    fn new() -> Self {
        let barra = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(0);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {bar:40} {pos}/{len} documenti  {per_sec}  ETA {eta}",
                )
                .expect("modello di avanzamento valido"),
            );
            b
        });
        Avanzamento {
            barra,
            ultimo_decimo: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn segna(&self, fatti: usize, totale: usize) {
        match &self.barra {
            Some(b) => {
                b.set_length(totale as u64);
                b.set_position(fatti as u64);
            }
            None => {
                let decimo = fatti * 10 / totale.max(1);
                if totale >= 100
                    && self
                        .ultimo_decimo
                        .fetch_max(decimo, std::sync::atomic::Ordering::Relaxed)
                        < decimo
                {
                    eprintln!("documenti: {fatti}/{totale}");
                }
            }
        }
    }

    fn chiudi(&self) {
        if let Some(b) = &self.barra {
            b.finish_and_clear();
        }
    }
}

/// The document a newcomer should look at first: the call of the first
/// course (the act that opens a course's year), else the first document of
/// the family the build produced, in the order an office issues them.
fn da_aprire_per_primo(
    documenti: &[crate::archive::VoceIndice],
) -> Option<&crate::archive::VoceIndice> {
    use TipoDocumento::*;
    [Bando, Decreto, Attestato, Pergamena, Dossier]
        .iter()
        .find_map(|&t| {
            documenti
                .iter()
                .filter(|d| d.kind == t && d.path.ends_with(".pdf"))
                .min_by(|a, b| a.path.cmp(&b.path))
        })
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.comando {
        Comando::Check { dataset, json } => {
            let (ds, problemi) = controlla(&dataset);
            if json {
                println!("{}", serde_json::to_string_pretty(&problemi).expect("JSON"));
            } else {
                eprint!("{problemi}");
            }
            match ds {
                Some(ds) => {
                    if !json {
                        eprintln!(
                            "{}: {} corsi, {} iscrizioni: nessun errore{}",
                            dataset.display(),
                            ds.corsi.len(),
                            ds.iscrizioni.len(),
                            match problemi.avvisi().count() {
                                0 => String::new(),
                                n => format!(" ({n} avvisi)"),
                            }
                        );
                    }
                    ExitCode::SUCCESS
                }
                None => {
                    if !json {
                        eprintln!(
                            "{}: {} errori; nulla è stato scritto",
                            dataset.display(),
                            problemi.errori().count()
                        );
                    }
                    ExitCode::FAILURE
                }
            }
        }
        Comando::Build {
            dataset,
            out,
            corso,
            tipo,
            templates,
            jobs,
            overwrite,
            strict,
            limite,
            registry,
        } => {
            let Ok(limite_documento) = std::time::Duration::try_from_secs_f64(limite) else {
                eprintln!("--doc-timeout: indicare un numero di secondi positivo, non «{limite}»");
                return ExitCode::FAILURE;
            };
            let opts = OpzioniBuild {
                dataset,
                out,
                templates,
                filtro: Filtro { corso, tipo },
                jobs,
                sovrascrivi: overwrite,
                rigoroso: strict,
                limite_documento,
                registro: registry,
            };
            let inizio = std::time::Instant::now();
            let barra = Avanzamento::new();
            let progresso = |fatti: usize, totale: usize| barra.segna(fatti, totale);
            let esito = costruisci(&opts, &progresso);
            barra.chiudi();
            match esito {
                Ok(esito) => {
                    eprint!("{}", esito.problemi);
                    if esito.invariato {
                        eprintln!(
                            "dataset, template, opzioni e registro invariati dall'ultima build completa: \
                             nulla da rigenerare (chi non riceve documenti e perché: lauream plan)"
                        );
                    }
                    for e in &esito.piano.esclusi {
                        eprintln!(
                            "nessun documento: {} ({}), corso {}: {}",
                            e.nominativo, e.persona, e.corso, e.motivo
                        );
                    }
                    for b in &esito.bags {
                        if b.nuova {
                            eprintln!("archivio: {} {} → {}", b.oggetto, b.versione, b.zip);
                        }
                    }
                    let secondi = inizio.elapsed().as_secs_f64();
                    let mut per_tipo: std::collections::BTreeMap<String, usize> =
                        Default::default();
                    for d in &esito.documenti {
                        *per_tipo
                            .entry(format!("{:?}", d.kind).to_lowercase())
                            .or_default() += 1;
                    }
                    let tipi: Vec<String> =
                        per_tipo.iter().map(|(k, n)| format!("{k} {n}")).collect();
                    if !tipi.is_empty() {
                        eprintln!(
                            "per tipo: {}; {:.0} documenti/s generati",
                            tipi.join(", "),
                            esito.generati as f64 / secondi.max(1e-3)
                        );
                    }
                    eprintln!(
                        "{} documenti ({} generati, {} invariati) in {} ({secondi:.1} s); indice: {}",
                        esito.documenti.len(),
                        esito.generati,
                        esito.documenti.len() - esito.generati,
                        opts.out.display(),
                        opts.out.join(crate::archive::INDICE).display()
                    );
                    if let Some(primo) = da_aprire_per_primo(&esito.documenti) {
                        eprintln!(
                            "documenti in {}; da aprire per primo: {} ({})",
                            opts.out.display(),
                            opts.out.join(&primo.path).display(),
                            primo.title
                        );
                    }
                    let codice = if esito.falliti.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        for (percorso, errore) in &esito.falliti {
                            eprintln!("errore: {percorso} non generato:\n{errore}");
                        }
                        eprintln!(
                            "{} documenti non generati (gli altri sono stati pubblicati e archiviati)",
                            esito.falliti.len()
                        );
                        ExitCode::FAILURE
                    };
                    // Freeing a large year's plan, piece by piece, costs a
                    // fifth of an unchanged rebuild; the process ends here
                    // and the system takes the memory back at once.
                    std::mem::forget(esito);
                    codice
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Comando::Plan {
            dataset,
            corso,
            tipo,
        } => {
            let (ds, problemi) = controlla(&dataset);
            eprint!("{problemi}");
            let Some(ds) = ds else {
                return ExitCode::FAILURE;
            };
            let logo = ds.ateneo.logo.as_ref().map(|l| {
                crate::render::percorso_logo(
                    std::path::Path::new(l)
                        .extension()
                        .and_then(|e| e.to_str())
                        .unwrap_or("png"),
                )
            });
            let piano = crate::plan::pianifica(&ds, &Filtro { corso, tipo }, logo.as_deref());
            // Streamed: a large year's plan is not held twice, as a value and as text.
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let scritto = serde_json::to_writer_pretty(&mut stdout, &piano)
                .map_err(std::io::Error::from)
                .and_then(|_| {
                    use std::io::Write;
                    writeln!(stdout)?;
                    stdout.flush()
                });
            match scritto {
                Ok(()) => ExitCode::SUCCESS,
                // A closed pipe (`lauream plan … | head`) is not an error worth a panic.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("errore: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Comando::Verify { path } => {
            let problemi = crate::archive::verifica(&path);
            if problemi.is_empty() {
                eprintln!("{}: integro", path.display());
                ExitCode::SUCCESS
            } else {
                for p in &problemi {
                    eprintln!("errore: {p}");
                }
                eprintln!("{}: {} problemi", path.display(), problemi.len());
                ExitCode::FAILURE
            }
        }
        Comando::VerifyDoc { file, registro } => {
            let sha = match crate::archive::sha256_file(&file) {
                Ok(h) => h,
                Err(e) => return errore(format!("{}: {e}", file.display())),
            };
            let schede = match registro.apri().and_then(|r| r.per_impronta(&sha)) {
                Ok(s) => s,
                Err(e) => return errore(format!("{e:#}")),
            };
            match schede.last() {
                Some(s) => {
                    eprintln!("{}: documento emesso e registrato", file.display());
                    mostra(s)
                }
                None => errore(format!(
                    "{}: NON risulta emesso: nessun documento registrato ha questa impronta (SHA-256 {sha}); il file può essere stato alterato",
                    file.display()
                )),
            }
        }
        Comando::Lookup { code, registro } => {
            let codice = match crate::registry::codice::normalizza(&code) {
                Ok(c) => c,
                Err(e) => return errore(format!("{code}: {e}")),
            };
            match registro.apri().and_then(|r| r.per_codice(&codice)) {
                Ok(Some(s)) => mostra(&s),
                Ok(None) => errore(format!(
                    "{codice}: codice ben formato ma NON presente nel registro: nessun documento è stato emesso con questo codice"
                )),
                Err(e) => errore(format!("{e:#}")),
            }
        }
        Comando::Revoke {
            code,
            reason,
            registro,
        } => {
            let codice = match crate::registry::codice::normalizza(&code) {
                Ok(c) => c,
                Err(e) => return errore(format!("{code}: {e}")),
            };
            match registro.apri().and_then(|mut r| r.revoca(&codice, &reason)) {
                Ok(s) => {
                    eprintln!("{codice}: documento revocato");
                    println!("{}", s.descrizione());
                    ExitCode::SUCCESS
                }
                Err(e) => errore(format!("{e:#}")),
            }
        }
        Comando::Export {
            corso,
            all,
            out,
            dest,
        } => {
            let esito = crate::archive::Indice::leggi(&out).and_then(|indice| {
                let mut ids: Vec<String> = indice
                    .documents
                    .iter()
                    .filter(|v| all || v.course == corso)
                    .filter_map(|v| v.object.clone())
                    .collect();
                ids.sort();
                ids.dedup();
                if ids.is_empty() {
                    anyhow::bail!(
                        "{}: nessun documento archiviato{}: eseguire prima lauream build",
                        out.display(),
                        corso
                            .as_deref()
                            .map(|c| format!(" per il corso «{c}»"))
                            .unwrap_or_default()
                    );
                }
                crate::archive::esporta(&out, &ids, &dest)
            });
            match esito {
                Ok(zip) => {
                    for z in zip {
                        println!("{}", z.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Comando::Synth {
            persone,
            corsi,
            seme,
            dest,
        } => match crate::synth::genera(persone, corsi, seme, &dest) {
            Ok(r) => {
                eprintln!(
                    "{}: {} corsi, {} iscrizioni",
                    dest.display(),
                    r.corsi,
                    r.iscrizioni
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Comando::Schema { parte } => match schema::testo(&parte) {
            Some(t) => {
                print!("{t}");
                ExitCode::SUCCESS
            }
            None => {
                let parti: Vec<_> = schema::PARTI.iter().map(|p| p.0).collect();
                eprintln!(
                    "parte «{parte}» sconosciuta: usare una tra {}",
                    parti.join(", ")
                );
                ExitCode::FAILURE
            }
        },
    }
}
