//! The commands on the registry of issued documents: `verify-doc` and
//! `lookup` answer whether a document is genuine and valid, `revoke`
//! withdraws one.
//!
//! A verdict is not an error: a file the registry never saw, or a code it
//! does not know, is printed as the answer and ends in failure, so that a
//! script can test the exit code. Errors are what stops the question from
//! being asked: an unreadable file, a missing registry, a malformed code.

use std::process::ExitCode;

use anyhow::Context;

use super::args::{ArgLookup, ArgRevoke, ArgVerifyDoc};
use crate::registry::codice;
use crate::registry::Scheda;

/// `lauream verify-doc`: looks the PDF up by its SHA-256, so a single
/// changed byte makes it unknown. Succeeds only for a valid document.
pub fn verify_doc(a: ArgVerifyDoc) -> anyhow::Result<ExitCode> {
    let sha = crate::archive::sha256_file(&a.file).with_context(|| a.file.display().to_string())?;
    let schede = a.registro.apri_per(Some(&a.file))?.per_impronta(&sha)?;
    // Rows come oldest first: when the same bytes were issued more than
    // once, the latest row says what holds now.
    let Some(scheda) = schede.last() else {
        eprintln!(
            "{}: NON risulta emesso: nessun documento registrato ha questa impronta (SHA-256 {sha}); il file può essere stato alterato",
            a.file.display()
        );
        return Ok(ExitCode::FAILURE);
    };
    eprintln!("{}: documento emesso e registrato", a.file.display());
    Ok(mostra(scheda))
}

/// `lauream lookup`: what the registry says of the document printed with
/// this code. Succeeds only for a valid document.
pub fn lookup(a: ArgLookup) -> anyhow::Result<ExitCode> {
    let codice = leggi_codice(&a.codice)?;
    match a.registro.apri()?.per_codice(&codice)? {
        Some(scheda) => Ok(mostra(&scheda)),
        None => {
            eprintln!(
                "{codice}: codice ben formato ma NON presente nel registro: nessun documento è stato emesso con questo codice"
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `lauream revoke`: marks the document revoked, with the reason, and
/// prints its new description. The row and the archived file stay.
pub fn revoke(a: ArgRevoke) -> anyhow::Result<ExitCode> {
    let codice = leggi_codice(&a.codice)?;
    let scheda = a.registro.apri()?.revoca(&codice, &a.motivo)?;
    eprintln!("{codice}: documento revocato");
    println!("{}", scheda.descrizione());
    Ok(ExitCode::SUCCESS)
}

/// A code as typed, in its printed form; when it cannot be a code, the
/// error names it as typed and says why.
fn leggi_codice(testo: &str) -> anyhow::Result<String> {
    codice::normalizza(testo).with_context(|| testo.to_string())
}

/// Prints what the registry says of a document; success only if it is valid.
fn mostra(scheda: &Scheda) -> ExitCode {
    println!("{}", scheda.descrizione());
    if scheda.valida() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
