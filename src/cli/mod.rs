//! The command line: it reads the arguments, runs one command and turns its
//! outcome into an exit code. The work itself is in the library's stages;
//! a command only chooses what to print and whether it succeeded.
//!
//! What lives where:
//!
//! - [`args`]: the clap definitions, one struct per command and the option
//!   groups they share ([`args::ArgRegistro`], [`args::ArgFiltro`]);
//! - `check`: `check` and `plan`, which read a dataset and write nothing;
//! - `build`: `build` and its closing summary; `avanzamento` its progress
//!   (bar or log lines, phases, time left);
//! - `registro`: `verify-doc`, `lookup` and `revoke`, which consult or
//!   change the registry of issued documents;
//! - `elenco`: `registry list`, the registry as a table or JSON;
//! - `lucchetto`: the one-writer-at-a-time lock `build` and `revoke` take;
//! - `archivio`: `verify` and `export`, which read the archive;
//! - `varie`: `synth` and `schema`, aids for trials and for data authors;
//! - this file: the dispatch and the one place where an error is printed.
//!
//! Every command returns `anyhow::Result<ExitCode>`. `Ok` carries the
//! command's own verdict: a check that found problems, a code not in the
//! registry or a document that failed to render end in `Ok(FAILURE)` after
//! the command has said why. `Err` is anything that stopped the command
//! (an unreadable file, a registry too new, a malformed code); [`main`]
//! prints it with all its causes and exits with failure. Exit codes: 0 on
//! success, 1 on failure, 2 for arguments the program cannot take (and, for
//! `lookup` and `verify-doc`, a mistyped code); `lookup` and `verify-doc`
//! answer 3 for a revoked document, 4 for a superseded one, 5 for one never
//! issued (see `registro`).

mod archivio;
pub mod args;
mod avanzamento;
mod build;
mod check;
mod elenco;
pub mod italiano;
mod lucchetto;
mod registro;
mod varie;

use std::process::ExitCode;

use clap::Parser;

use args::Comando;

/// I documenti ufficiali di un ufficio post lauream (bandi, decreti
/// rettorali, pergamene, attestati, dossier) dai dati dell'anno, con il
/// registro dei documenti emessi e l'archivio per la conservazione.
#[derive(Debug, Parser)]
#[command(name = "lauream", version)]
pub struct Cli {
    #[command(subcommand)]
    comando: Comando,
}

/// Runs the command line: reads the arguments (help, version and argument
/// errors are printed in Italian by [`italiano`], the latter with exit code
/// 2), runs the command, prints the error that stopped it, if any, and
/// returns the exit code.
pub fn main() -> ExitCode {
    let comando = match italiano::analizza(std::env::args_os()) {
        Ok(c) => c,
        Err(codice) => return codice,
    };
    match esegui(comando) {
        Ok(codice) => codice,
        Err(e) => {
            eprintln!("{}", descrivi_errore(&e));
            ExitCode::FAILURE
        }
    }
}

/// One command, to its function.
fn esegui(comando: Comando) -> anyhow::Result<ExitCode> {
    match comando {
        Comando::Check(a) => check::check(a),
        Comando::Build(a) => build::build(a),
        Comando::VerifyDoc(a) => registro::verify_doc(a),
        Comando::Lookup(a) => registro::lookup(a),
        Comando::Revoke(a) => registro::revoke(a),
        Comando::Registry(a) => match a.comando {
            args::ComandoRegistro::List(a) => elenco::list(a),
        },
        Comando::Plan(a) => check::plan(a),
        Comando::Verify(a) => archivio::verify(a),
        Comando::Export(a) => archivio::export(a),
        Comando::Synth(a) => varie::synth(a),
        Comando::Schema(a) => varie::schema(a),
    }
}

/// An error as the user reads it: `errore: ` then the error and each of its
/// causes, outermost first, joined by `: `, the way the library writes its
/// contexts ("registro anno/registro.sqlite: versione dello schema …").
///
/// A cause whose text the message before it already contains is left out:
/// some errors repeat their source in their own message and also return it
/// as their source, and the reader should see it once.
fn descrivi_errore(e: &anyhow::Error) -> String {
    let mut testo = String::from("errore: ");
    let mut precedente: Option<String> = None;
    for causa in e.chain() {
        // The OS and libraries speak English: their texts become Italian.
        let messaggio = match causa.downcast_ref::<std::io::Error>() {
            Some(io) => crate::messaggi::errore_io(io),
            None => crate::messaggi::in_italiano(&causa.to_string()),
        };
        match &precedente {
            Some(p) if p.contains(&messaggio) => continue,
            Some(_) => testo.push_str(": "),
            None => {}
        }
        testo.push_str(&messaggio);
        precedente = Some(messaggio);
    }
    testo
}

#[cfg(test)]
mod tests {
    use super::descrivi_errore;
    use anyhow::Context;

    #[test]
    fn ogni_causa_compare_una_volta() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "file assente");
        let e = Err::<(), _>(io)
            .context("registro r.sqlite")
            .context("build")
            .unwrap_err();
        assert_eq!(
            descrivi_errore(&e),
            "errore: build: registro r.sqlite: file assente"
        );
    }

    /// An error that prints its source and also returns it.
    #[derive(Debug)]
    struct Ripete(std::io::Error);

    impl std::fmt::Display for Ripete {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "lettura non riuscita: {}", self.0)
        }
    }

    impl std::error::Error for Ripete {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn una_causa_gia_nel_messaggio_non_si_ripete() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "file assente");
        let e = anyhow::Error::new(Ripete(io)).context("a.pdf");
        assert_eq!(
            descrivi_errore(&e),
            "errore: a.pdf: lettura non riuscita: file assente"
        );
    }

    #[test]
    fn le_cause_di_un_errore_di_build_non_si_perdono() {
        let e: anyhow::Error = crate::ErroreBuild::from(
            anyhow::anyhow!("versione dello schema 99 più recente").context("registro r.sqlite"),
        )
        .into();
        assert_eq!(
            descrivi_errore(&e),
            "errore: registro r.sqlite: versione dello schema 99 più recente"
        );
    }
}
