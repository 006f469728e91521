//! The command line as clap reads it: one struct of arguments per command,
//! and the option groups several commands share.
//!
//! Flags are the program's external interface and stay English (`--course`,
//! `--kind`, `--out`…); the fields behind them carry the library's Italian
//! name for the same concept (`corso`, `tipo`, `out`, `registro`,
//! `sovrascrivi`…), so a field reads the same here and in
//! [`OpzioniBuild`](crate::OpzioniBuild). One concept shows one value name in
//! every help page: `DATASET`, `DIR` (a directory the program reads or
//! writes), `ID` (a course), `CODICE` (a verification code), `FILE`, `N`.
//!
//! A command's summary in `lauream --help` is the doc comment of its
//! [`Comando`] variant; the doc comment of its struct is for the reader of
//! this code.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::plan::{Filtro, TipoDocumento};

/// The commands, in the order `lauream --help` lists them.
#[derive(Debug, Subcommand)]
pub enum Comando {
    /// Validate a dataset against the regulation; write nothing.
    Check(ArgCheck),
    /// Validate, then produce the documents and index.json.
    Build(ArgBuild),
    /// Tell whether a PDF is a document the registry issued (by its SHA-256):
    /// number, person, date and status. Exits non-zero unless it is valid.
    VerifyDoc(ArgVerifyDoc),
    /// Look up the verification code printed on a document (any case, with
    /// or without dashes). Exits non-zero unless the document is valid.
    Lookup(ArgLookup),
    /// Revoke an issued document: it stays in the registry and the archive,
    /// marked revoked; a later build issues it again under a new number.
    Revoke(ArgRevoke),
    /// Print, as JSON, the documents a build would produce and the data each
    /// template receives, and who gets nothing and why.
    Plan(ArgPlan),
    /// Check a bag zip, an unpacked bag, an OCFL storage root or a whole
    /// output directory: every digest recomputed, nothing missing or extra.
    Verify(ArgVerify),
    /// Hand an archivist the current bag (zip) of a course, or of every course.
    Export(ArgExport),
    /// Write a large, valid synthetic dataset: realistic Italian names, valid
    /// tax codes, every role and course kind (for trials and benchmarks).
    Synth(ArgSynth),
    /// Print the JSON Schema of a dataset part.
    Schema(ArgSchema),
}

/// Which registry of issued documents `verify-doc`, `lookup` and `revoke`
/// consult: see [`crate::registry::posto::da_consultare`].
#[derive(Debug, Args)]
pub struct ArgRegistro {
    /// Output directory of a build: its index.json says which registry it used.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The dataset whose registry to consult.
    #[arg(long, value_name = "DATASET")]
    pub dataset: Option<PathBuf>,
    /// The registry of issued documents itself.
    #[arg(long = "registry", value_name = "FILE")]
    pub registro: Option<PathBuf>,
}

impl ArgRegistro {
    /// Opens the registry, which must exist: the commands that only consult
    /// or revoke never create an empty one by mistake.
    pub fn apri(&self) -> anyhow::Result<crate::registry::Registro> {
        self.apri_per(None)
    }

    /// Opens the registry, looking also beside a published file (its output
    /// folder's index) when no option says where it is.
    pub fn apri_per(
        &self,
        file: Option<&std::path::Path>,
    ) -> anyhow::Result<crate::registry::Registro> {
        use crate::registry::posto;
        let percorso = posto::da_consultare(posto::Indicazioni {
            registro: self.registro.as_deref(),
            dataset: self.dataset.as_deref(),
            out: self.out.as_deref(),
            file,
        })?;
        crate::registry::Registro::apri_esistente(&percorso)
    }
}

/// Which documents a command considers: one course, one kind, or both
/// (`build` and `plan`); no flag means all of them.
#[derive(Debug, Args)]
pub struct ArgFiltro {
    /// Only this course (its id).
    #[arg(long = "course", value_name = "ID")]
    pub corso: Option<String>,
    /// Only this kind of document.
    #[arg(long = "kind", value_enum, value_name = "TIPO")]
    pub tipo: Option<TipoDocumento>,
}

impl From<ArgFiltro> for Filtro {
    fn from(a: ArgFiltro) -> Filtro {
        Filtro {
            corso: a.corso,
            tipo: a.tipo,
        }
    }
}

/// `lauream check DATASET [--json]`.
#[derive(Debug, Args)]
pub struct ArgCheck {
    /// The dataset directory (ateneo.json, corsi/, iscrizioni/, presenze/).
    #[arg(value_name = "DATASET")]
    pub dataset: PathBuf,
    /// Print the problems as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `lauream build DATASET [options]`: the fields of
/// [`OpzioniBuild`](crate::OpzioniBuild), as typed.
#[derive(Debug, Args)]
pub struct ArgBuild {
    /// The dataset directory (ateneo.json, corsi/, iscrizioni/, presenze/).
    #[arg(value_name = "DATASET")]
    pub dataset: PathBuf,
    /// Output directory: published documents, index.json, bags, OCFL root.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// The registry of issued documents, when it is not the dataset's.
    #[arg(long = "registry", value_name = "FILE")]
    pub registro: Option<PathBuf>,
    #[command(flatten)]
    pub filtro: ArgFiltro,
    /// Templates directory to use instead of the built-in templates.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Rendering threads (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N")]
    pub jobs: usize,
    /// Replace documents already issued whose content changed.
    #[arg(long = "overwrite")]
    pub sovrascrivi: bool,
    /// Treat an incomplete dossier of a Regione-accredited course as an error.
    #[arg(long = "strict")]
    pub rigoroso: bool,
    /// Longest a single document may take to render, in seconds; past it
    /// the document is reported as failed and the rest goes on.
    #[arg(long = "doc-timeout", default_value_t = 60.0, value_name = "SECONDI")]
    pub limite_documento: f64,
}

/// `lauream plan DATASET [--course ID] [--kind TIPO]`.
#[derive(Debug, Args)]
pub struct ArgPlan {
    /// The dataset directory (ateneo.json, corsi/, iscrizioni/, presenze/).
    #[arg(value_name = "DATASET")]
    pub dataset: PathBuf,
    #[command(flatten)]
    pub filtro: ArgFiltro,
}

/// `lauream verify-doc FILE`.
#[derive(Debug, Args)]
pub struct ArgVerifyDoc {
    /// The PDF to check.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub registro: ArgRegistro,
}

/// `lauream lookup CODICE`.
#[derive(Debug, Args)]
pub struct ArgLookup {
    /// The verification code, as printed or typed.
    #[arg(value_name = "CODICE")]
    pub codice: String,
    #[command(flatten)]
    pub registro: ArgRegistro,
}

/// `lauream revoke CODICE --reason MOTIVO`.
#[derive(Debug, Args)]
pub struct ArgRevoke {
    /// The verification code of the document to revoke.
    #[arg(value_name = "CODICE")]
    pub codice: String,
    /// Why the document is revoked (recorded and shown by lookup).
    #[arg(long = "reason", value_name = "MOTIVO")]
    pub motivo: String,
    #[command(flatten)]
    pub registro: ArgRegistro,
}

/// `lauream verify PERCORSO`.
#[derive(Debug, Args)]
pub struct ArgVerify {
    /// A bag zip, an unpacked bag, an OCFL storage root or an output directory.
    #[arg(value_name = "PERCORSO")]
    pub percorso: PathBuf,
}

/// `lauream export (--course ID | --all) DEST`.
#[derive(Debug, Args)]
pub struct ArgExport {
    /// Course id.
    #[arg(
        long = "course",
        value_name = "ID",
        conflicts_with = "tutti",
        required_unless_present = "tutti"
    )]
    pub corso: Option<String>,
    /// Every course of the output directory.
    #[arg(long = "all")]
    pub tutti: bool,
    /// Output directory of the builds.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Destination folder of the zips.
    #[arg(value_name = "DIR")]
    pub dest: PathBuf,
}

/// `lauream synth [--people N] [--courses N] [--seed N] DEST`.
#[derive(Debug, Args)]
pub struct ArgSynth {
    /// Number of enrolments.
    #[arg(long = "people", default_value_t = 1000, value_name = "N")]
    pub persone: usize,
    /// Number of courses.
    #[arg(long = "courses", default_value_t = 7, value_name = "N")]
    pub corsi: usize,
    /// Seed: the same seed gives the same dataset.
    #[arg(long = "seed", default_value_t = 1, value_name = "N")]
    pub seme: u64,
    /// Destination folder (must not exist or be empty).
    #[arg(value_name = "DIR")]
    pub dest: PathBuf,
}

/// `lauream schema [PARTE]`.
#[derive(Debug, Args)]
pub struct ArgSchema {
    /// ateneo | corso | iscrizione | presenza
    #[arg(default_value = "corso", value_name = "PARTE")]
    pub parte: String,
}
