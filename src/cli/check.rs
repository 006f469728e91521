//! The commands that read a dataset and write nothing: `check` says whether
//! it is valid, `plan` what a build would make of it.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::args::{ArgCheck, ArgPlan};
use crate::controlla;
use crate::messaggi::conta;

/// `lauream check`: every problem of the dataset, on standard error (or as
/// JSON on standard output with `--json`), then a one-line verdict. Fails
/// when the dataset has errors; warnings alone do not fail it.
pub fn check(a: ArgCheck) -> anyhow::Result<ExitCode> {
    let (ds, problemi) = controlla(&a.dataset);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&problemi)?);
    } else {
        eprint!("{problemi}");
    }
    let Some(ds) = ds else {
        if !a.json {
            eprintln!(
                "{}: {}; nulla è stato scritto",
                a.dataset.display(),
                conta(problemi.errori().count(), "errore", "errori")
            );
        }
        return Ok(ExitCode::FAILURE);
    };
    if !a.json {
        eprintln!(
            "{}: {}, {}: nessun errore{}",
            a.dataset.display(),
            conta(ds.corsi.len(), "corso", "corsi"),
            conta(ds.iscrizioni.len(), "iscrizione", "iscrizioni"),
            match problemi.avvisi().count() {
                0 => String::new(),
                n => format!(" ({})", conta(n, "avviso", "avvisi")),
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `lauream plan`: the plan of a build as JSON on standard output: every
/// document with the data its template receives, and who gets nothing and
/// why. A dataset with errors prints its problems and fails, as `check`.
pub fn plan(a: ArgPlan) -> anyhow::Result<ExitCode> {
    let (ds, problemi) = controlla(&a.dataset);
    eprint!("{problemi}");
    let Some(ds) = ds else {
        return Ok(ExitCode::FAILURE);
    };
    // The plan names the logo as the renderer will see it, by extension.
    let logo = ds.ateneo.logo.as_ref().map(|l| {
        crate::render::percorso_logo(
            Path::new(l)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("png"),
        )
    });
    let piano = crate::plan::pianifica(&ds, &a.filtro.into(), logo.as_deref());
    // Streamed: a large year's plan is not held twice, as a value and as text.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let scritto = serde_json::to_writer_pretty(&mut stdout, &piano)
        .map_err(std::io::Error::from)
        .and_then(|_| {
            writeln!(stdout)?;
            stdout.flush()
        });
    match scritto {
        // A closed pipe (`lauream plan … | head`) is not an error worth a panic.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}
