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
//! Help is Italian, like every message of the program: clap shows the doc
//! comment of a [`Comando`] variant as the command's summary and the doc
//! comment of a field as the option's help, so those doc comments are
//! written in Italian, for the person at the terminal. The doc comments of
//! the structs and of the code around them are for the reader of this code.
//! Headings, usage lines and argument errors are made Italian by
//! [`super::italiano`]; numbers are read by its parsers, which accept a
//! decimal comma.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::plan::{Filtro, TipoDocumento};

/// The commands, in the order `lauream --help` lists them.
#[derive(Debug, Subcommand)]
pub enum Comando {
    /// Controlla il dataset secondo il regolamento, senza scrivere nulla; dice
    /// anche chi non riceverà documenti e perché.
    Check(ArgCheck),
    /// Controlla il dataset, poi produce i documenti, index.json e l'archivio.
    Build(ArgBuild),
    /// Dice se un PDF è un documento emesso (dalla sua impronta SHA-256):
    /// numero, persona, data e stato. Esce con 0 solo se è valido.
    VerifyDoc(ArgVerifyDoc),
    /// Cerca un documento dal codice di verifica stampato (maiuscole o
    /// minuscole, con o senza trattini), o tutti i documenti di una persona dal
    /// codice fiscale. Esce con 0 solo se il documento è valido.
    Lookup(ArgLookup),
    /// Revoca un documento emesso: resta nel registro e nell'archivio, segnato
    /// come revocato; la build successiva lo riemette con un nuovo numero.
    Revoke(ArgRevoke),
    /// Consulta il registro dei documenti emessi (`registry list`).
    Registry(ArgRegistry),
    /// Mostra i documenti che una build produrrebbe, con i dati di ciascuno, e
    /// chi non ne riceve e perché.
    Plan(ArgPlan),
    /// Controlla l'integrità di una bag (zip o cartella), di una cartella di
    /// bag esportate, di una radice OCFL o di un'intera cartella di uscita:
    /// ogni impronta ricalcolata, nulla di mancante o di estraneo.
    Verify(ArgVerify),
    /// Consegna la bag corrente (zip) di un corso, o di tutti, per l'archivio;
    /// con --pdf, uno zip semplice dei PDF in vigore, da spedire.
    Export(ArgExport),
    /// Scrive un dataset sintetico grande e valido: nomi italiani realistici,
    /// codici fiscali validi, ogni ruolo e tipo di corso (prove e benchmark).
    Synth(ArgSynth),
    /// Stampa lo schema JSON di una parte del dataset.
    Schema(ArgSchema),
}

/// Which registry of issued documents `verify-doc`, `lookup` and `revoke`
/// consult: see [`crate::registry::posto::da_consultare`].
#[derive(Debug, Args)]
pub struct ArgRegistro {
    /// Cartella di uscita di una build: il suo index.json dice quale registro
    /// ha usato (senza opzioni: output/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Il dataset di cui consultare il registro.
    #[arg(long, value_name = "DATASET")]
    pub dataset: Option<PathBuf>,
    /// Il file del registro dei documenti emessi.
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
        crate::registry::Registro::apri_esistente(&self.percorso(file)?)
    }

    /// Where the registry is, by the options, else beside a published file,
    /// else from the output folder's index or the dataset.
    pub fn percorso(&self, file: Option<&std::path::Path>) -> anyhow::Result<std::path::PathBuf> {
        use crate::registry::posto;
        posto::da_consultare(posto::Indicazioni {
            registro: self.registro.as_deref(),
            dataset: self.dataset.as_deref(),
            out: self.out.as_deref(),
            file,
        })
    }
}

/// Which documents a command considers: one course, one kind, or both
/// (`build` and `plan`); no flag means all of them.
#[derive(Debug, Args)]
pub struct ArgFiltro {
    /// Solo questo corso (il suo id, come in corsi/<id>.json).
    #[arg(long = "course", value_name = "ID")]
    pub corso: Option<String>,
    /// Solo questo tipo di documento.
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

/// What the help of `build`, `check` and `plan` says of their dataset.
const AIUTO_DATASET: &str = "Il formato del dataset: README, sezione «The dataset»; \
gli schemi JSON di ogni parte con `lauream schema ateneo|corso|iscrizione|presenza` \
(e in docs/schema/); un esempio completo in fixtures/demo/.";

/// `lauream check DATASET [--json] [--dettagli]`.
#[derive(Debug, Args)]
#[command(after_help = AIUTO_DATASET)]
pub struct ArgCheck {
    /// La cartella dei dati dell'anno: ateneo.json, corsi/*.json,
    /// iscrizioni/*.csv|xlsx, presenze/ (facoltativa), dossier/ (facoltativa).
    #[arg(value_name = "DATASET")]
    pub dataset: PathBuf,
    /// Stampa i problemi in JSON, per altri programmi.
    #[arg(long)]
    pub json: bool,
    /// Chi non riceverà documenti: una riga per persona, con il motivo
    /// (senza, i totali per corso).
    #[arg(long = "dettagli", alias = "details")]
    pub dettagli: bool,
}

/// `lauream build DATASET [options]`: the fields of
/// [`OpzioniBuild`](crate::OpzioniBuild), as typed.
#[derive(Debug, Args)]
#[command(after_help = AIUTO_DATASET)]
pub struct ArgBuild {
    /// La cartella dei dati dell'anno: ateneo.json, corsi/*.json,
    /// iscrizioni/*.csv|xlsx, presenze/ (facoltativa), dossier/ (facoltativa).
    #[arg(value_name = "DATASET")]
    pub dataset: PathBuf,
    /// Cartella di uscita: documenti pubblicati, index.json, bag, archivio OCFL.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Il registro dei documenti emessi, se non è quello del dataset
    /// (registro.sqlite accanto ad ateneo.json, o dove dice ateneo.json).
    #[arg(long = "registry", value_name = "FILE")]
    pub registro: Option<PathBuf>,
    /// Which courses and kinds of document.
    #[command(flatten)]
    pub filtro: ArgFiltro,
    /// Cartella di template da usare al posto di quelli incorporati.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Thread di generazione (0: uno per core).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N",
          value_parser = super::italiano::numero_naturale)]
    pub jobs: usize,
    /// Sostituisce i documenti già emessi il cui contenuto è cambiato: ognuno
    /// riceve un nuovo numero e un nuovo codice, e la copia già consegnata
    /// risulterà sostituita.
    #[arg(long = "overwrite")]
    pub sovrascrivi: bool,
    /// Un dossier incompleto di un corso accreditato dalla Regione è un errore.
    #[arg(long = "strict")]
    pub rigoroso: bool,
    /// Non tenere in bags/ gli zip delle bag (e toglie quelli che ci sono):
    /// ogni documento resta pubblicato e nell'archivio OCFL, integro;
    /// lauream export rifà lo zip quando serve.
    #[arg(long = "no-zip")]
    pub senza_zip: bool,
    /// Tempo massimo di generazione di un documento, in secondi; oltre, il
    /// documento risulta non generato e gli altri proseguono.
    #[arg(long = "doc-timeout", default_value = "60", value_name = "SECONDI",
          value_parser = super::italiano::numero_decimale)]
    pub limite_documento: f64,
    /// The electronic seal, if the documents are to be sealed.
    #[command(flatten)]
    pub sigillo: ArgSigillo,
    /// Se un'altra build o una revoca sta scrivendo nella stessa cartella o
    /// nello stesso registro, attende che finisca invece di fermarsi subito.
    #[arg(long = "wait")]
    pub attendi: bool,
}

/// The electronic seal of `build`: the PKCS#12 file, where its password is
/// (never on the command line: the environment or a file), and the
/// timestamp authority.
#[derive(Debug, Args)]
pub struct ArgSigillo {
    /// Sigilla ogni PDF generato (PAdES) con la chiave e il certificato di
    /// questo file PKCS#12; la password viene da LAUREAM_SEAL_PASSWORD o da
    /// --seal-password-file, mai dalla riga di comando.
    #[arg(long = "seal", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// File la cui prima riga è la password del PKCS#12.
    #[arg(long = "seal-password-file", value_name = "FILE", requires = "file")]
    pub file_password: Option<PathBuf>,
    /// Aggiunge a ogni sigillo una marca temporale RFC 3161 di questa
    /// autorità (PAdES B-T; i PDF non sono più riproducibili byte per byte).
    #[arg(long = "tsa", value_name = "URL", requires = "file")]
    pub tsa: Option<String>,
}

/// `lauream plan DATASET [--course ID] [--kind TIPO]`.
#[derive(Debug, Args)]
#[command(after_help = AIUTO_DATASET)]
pub struct ArgPlan {
    /// La cartella dei dati dell'anno: ateneo.json, corsi/*.json,
    /// iscrizioni/*.csv|xlsx, presenze/ (facoltativa), dossier/ (facoltativa).
    #[arg(value_name = "DATASET")]
    pub dataset: PathBuf,
    /// Which courses and kinds of document.
    #[command(flatten)]
    pub filtro: ArgFiltro,
    /// Il piano come testo da leggere (per corso: documenti, poi chi non ne
    /// riceve e perché) invece che in JSON.
    #[arg(long = "testo", alias = "text")]
    pub testo: bool,
}

/// `lauream verify-doc FILE [--trust CA.pem]`.
#[derive(Debug, Args)]
pub struct ArgVerifyDoc {
    /// Il PDF da controllare.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Certificati radice fidati (PEM) a cui deve risalire il certificato del sigillo.
    #[arg(long = "trust", value_name = "FILE")]
    pub fiducia: Option<PathBuf>,
    /// Which registry of issued documents (and output directory).
    #[command(flatten)]
    pub registro: ArgRegistro,
}

/// `lauream lookup CODICE`.
#[derive(Debug, Args)]
pub struct ArgLookup {
    /// Il codice di verifica, come stampato o digitato.
    #[arg(value_name = "CODICE")]
    pub codice: String,
    /// Which registry of issued documents (and output directory).
    #[command(flatten)]
    pub registro: ArgRegistro,
}

/// `lauream revoke CODICE --reason MOTIVO`.
#[derive(Debug, Args)]
pub struct ArgRevoke {
    /// Il codice di verifica del documento da revocare.
    #[arg(value_name = "CODICE")]
    pub codice: String,
    /// Perché il documento è revocato (registrato e mostrato da lookup).
    #[arg(long = "reason", value_name = "MOTIVO")]
    pub motivo: String,
    /// Which registry of issued documents (and output directory).
    #[command(flatten)]
    pub registro: ArgRegistro,
    /// Se una build o un'altra revoca sta scrivendo nel registro, attende che
    /// finisca invece di fermarsi subito.
    #[arg(long = "wait")]
    pub attendi: bool,
}

/// `lauream registry SUBCOMMAND`.
#[derive(Debug, Args)]
pub struct ArgRegistry {
    /// What to do with the registry.
    #[command(subcommand)]
    pub comando: ComandoRegistro,
}

/// The subcommands of `lauream registry`.
#[derive(Debug, Subcommand)]
pub enum ComandoRegistro {
    /// Elenca i documenti emessi, revocati e sostituiti: numero, data,
    /// intestatario, corso, codice, stato e chi sostituisce chi; tabella o JSON.
    List(ArgList),
}

/// `lauream registry list [filters] [--json]`: the fields of
/// [`FiltroElenco`](crate::registry::elenco::FiltroElenco), as typed.
#[derive(Debug, Args)]
pub struct ArgList {
    /// Solo questo corso (il suo id).
    #[arg(long = "course", value_name = "ID")]
    pub corso: Option<String>,
    /// Solo questo tipo di documento.
    #[arg(long = "kind", value_enum, value_name = "TIPO")]
    pub tipo: Option<TipoDocumento>,
    /// Solo i documenti di questa persona (codice fiscale, maiuscole o minuscole).
    #[arg(long = "person", value_name = "CODICE_FISCALE")]
    pub persona: Option<String>,
    /// Solo i documenti datati in quest'anno (l'anno del loro numero).
    #[arg(long = "year", value_name = "ANNO")]
    pub anno: Option<i32>,
    /// Solo i documenti in questo stato.
    #[arg(long = "status", value_enum, value_name = "STATO")]
    pub stato: Option<crate::registry::elenco::Stato>,
    /// Stampa l'elenco in JSON, per altri programmi.
    #[arg(long)]
    pub json: bool,
    /// Which registry of issued documents (and output directory).
    #[command(flatten)]
    pub registro: ArgRegistro,
}

/// `lauream verify PERCORSO`.
#[derive(Debug, Args)]
pub struct ArgVerify {
    /// Uno zip di bag, una bag estratta, una cartella di bag esportate, una
    /// radice OCFL o una cartella di uscita.
    #[arg(value_name = "PERCORSO")]
    pub percorso: PathBuf,
}

/// `lauream export (--course ID | --all) [--pdf [--kind TIPO]] DEST`.
#[derive(Debug, Args)]
pub struct ArgExport {
    /// Cartella di destinazione degli zip delle bag; con --pdf, il file .zip
    /// da scrivere.
    #[arg(value_name = "DEST")]
    pub dest: PathBuf,
    /// Il corso (il suo id).
    #[arg(
        long = "course",
        value_name = "ID",
        conflicts_with = "tutti",
        required_unless_present = "tutti"
    )]
    pub corso: Option<String>,
    /// Tutti i corsi della cartella di uscita.
    #[arg(long = "all")]
    pub tutti: bool,
    /// Invece delle bag, uno zip semplice dei PDF in vigore (non revocati)
    /// del corso, da spedire: DEST è il file .zip.
    #[arg(long = "pdf")]
    pub pdf: bool,
    /// Con --pdf, solo questo tipo di documento.
    #[arg(long = "kind", value_enum, value_name = "TIPO", requires = "pdf")]
    pub tipo: Option<TipoDocumento>,
    /// Cartella di uscita delle build.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
}

/// `lauream synth [--people N] [--courses N] [--seed N] DEST`.
#[derive(Debug, Args)]
pub struct ArgSynth {
    /// Cartella di destinazione (non deve esistere, o dev'essere vuota).
    #[arg(value_name = "DIR")]
    pub dest: PathBuf,
    /// Numero di iscrizioni.
    #[arg(long = "people", default_value_t = 1000, value_name = "N",
          value_parser = super::italiano::numero_naturale)]
    pub persone: usize,
    /// Numero di corsi.
    #[arg(long = "courses", default_value_t = 7, value_name = "N",
          value_parser = super::italiano::numero_naturale)]
    pub corsi: usize,
    /// Seme: lo stesso seme dà lo stesso dataset.
    #[arg(long = "seed", default_value_t = 1, value_name = "N",
          value_parser = super::italiano::seme)]
    pub seme: u64,
}

/// `lauream schema [PARTE]`.
#[derive(Debug, Args)]
pub struct ArgSchema {
    /// La parte del dataset: ateneo, corso, iscrizione o presenza.
    #[arg(default_value = "corso", value_name = "PARTE")]
    pub parte: String,
}
