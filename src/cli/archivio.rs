//! The commands on the archive the builds leave: `verify` recomputes every
//! digest, `export` hands the current bags to an archivist.

use std::process::ExitCode;

use std::io::Write;

use anyhow::bail;

use super::args::{ArgExport, ArgVerify};

/// `lauream verify`: every problem of a bag, a folder of bags, an OCFL root
/// or an output directory, one per line, then a verdict that says what was
/// checked ("7 bag, 79 documenti, OCFL: integro (7 oggetti)"). The problems
/// are the answer, not an error: the command prints them all and fails.
pub fn verify(a: ArgVerify) -> anyhow::Result<ExitCode> {
    let mut r = crate::archive::resoconto::controlla(&a.percorso);
    // The temporary files of a build running there now are no leftovers.
    r.problemi = super::lucchetto::senza_file_di_chi_scrive(&a.percorso, r.problemi);
    if r.problemi.is_empty() {
        eprintln!("{}: integro: {r}", a.percorso.display());
        return Ok(ExitCode::SUCCESS);
    }
    for p in &r.problemi {
        eprintln!("errore: {}", crate::messaggi::in_italiano(p));
    }
    eprintln!(
        "{}: {} (controllati: {r})",
        a.percorso.display(),
        crate::messaggi::conta(r.problemi.len(), "problema", "problemi")
    );
    Ok(ExitCode::FAILURE)
}

/// `lauream export`: copies the current bag (zip) of one course, or of every
/// course, into the destination and prints each zip's path on standard
/// output, for a script to pick up. With `--pdf`, writes instead one plain
/// zip of the PDFs in force, to send.
pub fn export(a: ArgExport) -> anyhow::Result<ExitCode> {
    if a.pdf {
        let n = crate::archive::pdf::esporta_pdf(&a.out, a.corso.as_deref(), a.tipo, &a.dest)?;
        eprintln!(
            "{}: {}",
            a.dest.display(),
            crate::messaggi::conta(n, "documento", "documenti")
        );
        println!("{}", a.dest.display());
        return Ok(ExitCode::SUCCESS);
    }
    let indice = crate::archive::Indice::leggi(&a.out)?;
    // The index names, for each document, the archive object holding it;
    // many documents share one object, which is exported once.
    let mut oggetti: Vec<String> = indice
        .documents
        .iter()
        .filter(|v| a.tutti || v.course == a.corso)
        .filter_map(|v| v.object.clone())
        .collect();
    oggetti.sort();
    oggetti.dedup();
    if oggetti.is_empty() {
        bail!(
            "{}: nessun documento archiviato{}: eseguire prima lauream build",
            a.out.display(),
            a.corso
                .as_deref()
                .map(|c| format!(" per il corso «{c}»"))
                .unwrap_or_default()
        );
    }
    let mut stdout = std::io::stdout().lock();
    for zip in crate::archive::esporta(&a.out, &oggetti, &a.dest)? {
        // A closed pipe (`lauream export … | head`) ends the listing, not
        // the command: the zips are written all the same.
        if let Err(e) = writeln!(stdout, "{}", zip.display()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            return Err(e.into());
        }
    }
    Ok(ExitCode::SUCCESS)
}
