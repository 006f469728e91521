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

/// `lauream revoke`: marks the document revoked, with the reason, prints
/// its new description and what the next build will do with it. The row
/// and the archived file stay; the output folder's index, when the command
/// knows it, shows the document as revoked.
pub fn revoke(a: ArgRevoke) -> anyhow::Result<ExitCode> {
    let codice = leggi_codice(&a.codice)?;
    let scheda = a.registro.apri()?.revoca(&codice, &a.motivo)?;
    eprintln!("{codice}: documento revocato");
    println!("{}", scheda.descrizione());
    eprintln!("{}", prossima_build(&scheda));
    let out = a
        .registro
        .out
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("output"));
    segna_revocato_nell_indice(&out, &scheda.codice)?;
    Ok(ExitCode::SUCCESS)
}

/// What the next build will do with a document just revoked.
fn prossima_build(scheda: &Scheda) -> String {
    if scheda.tipo == "decreto" {
        return "La prossima build non lo riemetterà con lo stesso numero di repertorio: un decreto \
                revocato si riemette solo con un nuovo numero nei dati (corsi/*.json o ateneo.json)."
            .to_string();
    }
    "La prossima build che comprende questo documento lo riemetterà con un nuovo numero e un \
     nuovo codice di verifica, con i dati di quel momento (e dirà «riemesso dopo la revoca»): se \
     la revoca è per un errore nei dati, correggerli prima della build; se non va riemesso, \
     toglierlo dai dati (la riga della persona, o il suo esito). La copia revocata risulta \
     REVOCATA a ogni verifica (lookup, verify-doc, QR)."
        .to_string()
}

/// Marks the document revoked in an output folder's index, when the folder
/// has one that lists it; the registry is what answers, the index follows.
fn segna_revocato_nell_indice(out: &std::path::Path, codice: &str) -> anyhow::Result<()> {
    if !out.join(crate::archive::INDICE).is_file() {
        return Ok(());
    }
    let mut indice = crate::archive::Indice::leggi(out)?;
    let mut cambiato = false;
    for v in indice
        .documents
        .iter_mut()
        .filter(|v| v.code.as_deref() == Some(codice))
    {
        v.status = Some("revocato".into());
        cambiato = true;
    }
    if cambiato {
        indice.scrivi(out)?;
    }
    Ok(())
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
