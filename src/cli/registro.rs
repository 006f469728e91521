//! The commands on the registry of issued documents: `verify-doc` and
//! `lookup` answer whether a document is genuine and valid (`lookup` also
//! lists a person's documents by tax code), `revoke` withdraws one.
//!
//! A verdict is not an error: a file the registry never saw, or a code it
//! does not know, is printed as the answer and ends with an exit code that
//! says which answer it is, so that a script can act on it:
//!
//! | code | answer |
//! |---|---|
//! | 0 | valid (for a tax code: the person has documents) |
//! | 2 | mistyped: not a well-formed code or tax code (check character) |
//! | 3 | revoked |
//! | 4 | superseded by a newer issue |
//! | 5 | unknown: never issued (a file altered, a code never given) |
//!
//! Errors are what stops the question from being asked (an unreadable file,
//! a missing registry): exit code 1.

use std::process::ExitCode;

use anyhow::Context;

use super::args::{ArgLookup, ArgRevoke, ArgVerifyDoc};
use crate::messaggi::conta;
use crate::registry::codice;
use crate::registry::Scheda;

/// Exit code of a mistyped code or tax code.
pub const ERRATO: u8 = 2;
/// Exit code of a revoked document.
pub const REVOCATO: u8 = 3;
/// Exit code of a superseded document.
pub const SOSTITUITO: u8 = 4;
/// Exit code of a document never issued.
pub const IGNOTO: u8 = 5;

/// `lauream verify-doc`: checks the electronic seal, if the PDF has one,
/// then looks the PDF up by its SHA-256, so a single changed byte makes it
/// unknown. Succeeds only for a valid document whose seal, if any, is intact
/// (and trusted, when `--trust` is given).
pub fn verify_doc(a: ArgVerifyDoc) -> anyhow::Result<ExitCode> {
    let byte = std::fs::read(&a.file).with_context(|| a.file.display().to_string())?;
    let sigillo_valido = verifica_sigillo(&a, &byte)?;
    let sha = crate::archive::sha256_hex(&byte);
    let schede = a.registro.apri_per(Some(&a.file))?.per_impronta(&sha)?;
    // Rows come oldest first: when the same bytes were issued more than
    // once, the latest row says what holds now.
    let Some(scheda) = schede.last() else {
        eprintln!(
            "{}: NON risulta emesso: nessun documento registrato ha questa impronta (SHA-256 {sha}); il file può essere stato alterato",
            a.file.display()
        );
        return Ok(ExitCode::from(IGNOTO));
    };
    eprintln!("{}: documento emesso e registrato", a.file.display());
    match mostra(scheda) {
        c if sigillo_valido => Ok(c),
        _ => Ok(ExitCode::FAILURE),
    }
}

/// Prints what the checks of the file's seals found (nothing for a file
/// without seal); whether every seal is valid.
fn verifica_sigillo(a: &ArgVerifyDoc, byte: &[u8]) -> anyhow::Result<bool> {
    let ancore = match &a.fiducia {
        Some(f) => Some(crate::sigillo::verifica::leggi_ancore(f)?),
        None => None,
    };
    let esiti = match crate::sigillo::verifica_pdf(byte, ancore.as_deref()) {
        Ok(e) => e,
        // Not a PDF this program wrote: the registry still answers for it.
        Err(e) => {
            eprintln!("{}: sigillo non leggibile: {e}", a.file.display());
            return Ok(true);
        }
    };
    if esiti.is_empty() {
        eprintln!("{}: senza sigillo elettronico", a.file.display());
    }
    for e in &esiti {
        println!("{}", e.descrizione());
    }
    Ok(esiti.iter().all(|e| e.valido()))
}

/// `lauream lookup`: what the registry says of the document printed with
/// this code, or of every document issued to a person when a tax code is
/// given. Succeeds only for a valid document (or a person with documents).
pub fn lookup(a: ArgLookup) -> anyhow::Result<ExitCode> {
    let compatto: String = a
        .codice
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    if compatto.chars().count() == 16 {
        return per_persona(&a, &compatto);
    }
    let codice = match codice::normalizza(&a.codice) {
        Ok(c) => c,
        Err(e) => return Ok(errato(&a.codice, &e.to_string())),
    };
    match a.registro.apri()?.per_codice(&codice)? {
        Some(scheda) => Ok(mostra(&scheda)),
        None => {
            eprintln!(
                "{codice}: codice ben formato ma NON presente nel registro: nessun documento è stato emesso con questo codice"
            );
            Ok(ExitCode::from(IGNOTO))
        }
    }
}

/// `lookup` by tax code: every document issued to the person, whatever its
/// status, with a count by status at the end.
fn per_persona(a: &ArgLookup, cf: &str) -> anyhow::Result<ExitCode> {
    if let Err(m) = crate::rules::codice_fiscale::verifica(cf) {
        return Ok(errato(
            &a.codice,
            &format!("{m}: controllare la trascrizione"),
        ));
    }
    let schede = a.registro.apri()?.per_persona(cf)?;
    if schede.is_empty() {
        eprintln!("{cf}: nessun documento emesso per questo codice fiscale");
        return Ok(ExitCode::from(IGNOTO));
    }
    let testi: Vec<String> = schede.iter().map(Scheda::descrizione).collect();
    println!("{}", testi.join("\n\n"));
    let validi = schede.iter().filter(|s| s.valida()).count();
    eprintln!(
        "{cf}: {} ({} in vigore, {} revocati o sostituiti)",
        conta(schede.len(), "documento emesso", "documenti emessi"),
        validi,
        schede.len() - validi
    );
    Ok(ExitCode::SUCCESS)
}

/// A code or tax code that cannot be one: said, with the exit code of a
/// mistyped answer.
fn errato(testo: &str, perche: &str) -> ExitCode {
    eprintln!("errore: {testo}: {perche}");
    ExitCode::from(ERRATO)
}

/// `lauream revoke`: marks the document revoked, with the reason, prints
/// its new description and what the next build will do with it. The row
/// and the archived file stay; the output folder's index, when the command
/// knows it, shows the document as revoked.
pub fn revoke(a: ArgRevoke) -> anyhow::Result<ExitCode> {
    let codice = match codice::normalizza(&a.codice) {
        Ok(c) => c,
        Err(e) => return Ok(errato(&a.codice, &e.to_string())),
    };
    // One writer at a time: a build or another revocation holding the
    // registry is waited for (--wait) or named.
    let registro = a.registro.percorso(None)?;
    let file = [crate::build::lucchetto::file_per_registro(&registro)];
    let _lucchetto = super::lucchetto::prendi(&file, "revoke", a.attendi)?;
    let scheda =
        crate::registry::Registro::apri_esistente(&registro)?.revoca(&codice, &a.motivo)?;
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

/// Prints what the registry says of a document; the exit code says its
/// status: 0 valid, 3 revoked, 4 superseded.
fn mostra(scheda: &Scheda) -> ExitCode {
    println!("{}", scheda.descrizione());
    match scheda.stato.as_str() {
        "valido" => ExitCode::SUCCESS,
        "revocato" => ExitCode::from(REVOCATO),
        _ => ExitCode::from(SOSTITUITO),
    }
}
