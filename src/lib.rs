//! lauream: the official documents of a university's post-lauream office
//! (admission calls, rector's decrees, parchments, certificates, dossiers),
//! rendered with embedded Typst and archived so they stay verifiable.
//!
//! # The pipeline
//!
//! One direction, one module per stage, each with a narrow interface:
//!
//! ```text
//! input → rules → plan → registry → render → sigillo → archive
//! ```
//!
//! | module | its one job |
//! |---|---|
//! | [`model`] | the domain types: university, course, enrolment, attendance |
//! | [`input`] | reads a dataset directory (JSON, CSV, Excel) into the model, with precise errors |
//! | [`rules`] | validation and eligibility, each rule citing its article |
//! | [`plan`] | which documents, with the data each template receives; pure |
//! | [`registry`] | the registry of issued documents: numbers, verification codes, revocation |
//! | [`render`] | the Typst world: templates, fonts, virtual files, PDF/A; a leaf |
//! | [`archive`] | hashes, atomic writes, the index, BagIt bags, OCFL, integrity checks |
//! | [`sigillo`] | the electronic seal: PAdES signatures on the rendered PDFs, and their checks |
//! | [`sito`] | the public verification site, derived from the registry |
//! | [`build`] | the orchestrator: the stages above as named steps |
//! | [`cli`] | the command line: parsing, progress, messages |
//!
//! [`caratteri`] are the fonts built into the program; [`diag`] carries
//! problems with their place (file, row, field); [`messaggi`] words counts,
//! numbers and the errors of the OS and of libraries in Italian; [`schema`]
//! prints the dataset's JSON Schemas; [`synth`] writes synthetic datasets.
//!
//! # Vocabulary
//!
//! Italian for the domain, as an office says it; English for external
//! formats and standards (BagIt, OCFL, PDF/A, JSON). One name per concept:
//!
//! | term | means | not to be confused with |
//! |---|---|---|
//! | *bando* | the admission call of a course | |
//! | *decreto* | a rector's decree (activation, extension, ranking, committee) | |
//! | *pergamena* | the Master's parchment | |
//! | *attestato* | any end-of-course certificate (partecipazione, frequenza, crediti, uditore, titolo di Master) | |
//! | *dossier* | the file of a Regione-accredited course | |
//! | *bollo* | stamp duty (imposta di bollo) and how it was paid | |
//! | *registro* | the registry of issued documents ([`registry`]) | attendance, which is *presenze* |
//! | *presenze* | attendance registers: hours per person and module | |
//! | *documento* | a planned document ([`plan::Documento`]) | |
//! | *codice di verifica* | the code printed on a certificate or parchment | |
//! | *verifica* | a document's verification: its code, the address that checks it, its status in the registry (`lookup`, `verify-doc`) | the archive's fixity, which is *integrità* |
//! | *integrità* | the archive's fixity: every file against its recorded digest ([`archive::integrita`], `lauream verify`) | a document's *verifica* |
//! | *voce* | one document's entry in `index.json` ([`archive::VoceIndice`]) | |
//! | *impronta* | a fingerprint (SHA-256) | |
//! | *sigillo* | the university's electronic seal on a PDF (PAdES) ([`sigillo`]) | a handwritten signature, which is *firma* on paper |
//! | *corso*, *tipo* | course id, kind of document (`--course`, `--kind`) | `TipoCorso`, the kind of course |
//! | *sito di verifica* | the public page that checks a code or a PDF ([`sito`], `OUT/verifica/`) | the archive's fixity check |
//! | *lucchetto* | the lock one writer holds on an output directory ([`build::lucchetto`]) | |
//! | *elenco* | the registry as a list ([`registry::elenco`], `registry list`) | |

// Every public item says what it is for; no function grows past 120 lines
// (clippy.toml), so that each reads as one step.
#![deny(missing_docs)]
#![warn(clippy::too_many_lines)]

pub mod archive;
pub mod build;
pub mod caratteri;
pub mod cli;
pub mod diag;
pub mod input;
pub mod messaggi;
pub mod model;
pub mod plan;
pub mod registry;
pub mod render;
pub mod rules;
pub mod schema;
pub mod sigillo;
pub mod sito;
pub mod synth;

pub use build::{controlla, costruisci, percorso_registro, ErroreBuild, EsitoBuild, OpzioniBuild};
