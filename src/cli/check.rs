//! The commands that read a dataset and write nothing: `check` says whether
//! it is valid and who will get no document, `plan` what a build would make
//! of it.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::args::{ArgCheck, ArgPlan};
use crate::controlla;
use crate::messaggi::conta;
use crate::model::Dataset;
use crate::plan::{self, Filtro, Piano};

/// The logo as the plan names it: the renderer's virtual path, by extension.
fn logo_del_piano(ds: &Dataset) -> Option<String> {
    ds.ateneo.logo.as_ref().map(|l| {
        crate::render::percorso_logo(
            Path::new(l)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("png"),
        )
    })
}

/// `lauream check`: every problem of the dataset and of the plan drawn from
/// it (a misfiled dossier document, two documents on one path), on standard
/// error (or as JSON on standard output with `--json`), then who will get no
/// document and why (per course; one line per person with `--dettagli`),
/// then a one-line verdict. Fails when there are errors; warnings alone do
/// not fail it.
pub fn check(a: ArgCheck) -> anyhow::Result<ExitCode> {
    let (ds, mut problemi) = controlla(&a.dataset);
    let piano = ds
        .as_ref()
        .map(|ds| plan::pianifica(ds, &Filtro::default(), logo_del_piano(ds).as_deref()));
    if let Some(p) = &piano {
        problemi.extend(p.avvisi.clone());
        problemi = problemi.ordinati();
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&problemi)?);
    } else {
        eprint!("{problemi}");
    }
    let (Some(ds), Some(piano)) = (ds, piano) else {
        if !a.json {
            eprintln!(
                "{}: {}; nulla è stato scritto",
                a.dataset.display(),
                conta(problemi.errori().count(), "errore", "errori")
            );
        }
        return Ok(ExitCode::FAILURE);
    };
    if a.json {
        return Ok(if problemi.ha_errori() {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    for riga in plan::esclusi::riepilogo(&piano.esclusi, a.dettagli) {
        eprintln!("{riga}");
    }
    if !piano.esclusi.is_empty() && !a.dettagli {
        eprintln!(
            "  una riga per persona: lauream check --dettagli {}",
            a.dataset.display()
        );
    }
    if problemi.ha_errori() {
        eprintln!(
            "{}: {}; nulla è stato scritto",
            a.dataset.display(),
            conta(problemi.errori().count(), "errore", "errori")
        );
        return Ok(ExitCode::FAILURE);
    }
    eprintln!(
        "{}: {}, {}, {}: nessun errore{}",
        a.dataset.display(),
        conta(ds.corsi.len(), "corso", "corsi"),
        conta(ds.iscrizioni.len(), "iscrizione", "iscrizioni"),
        conta(piano.documenti.len(), "documento", "documenti"),
        match problemi.avvisi().count() {
            0 => String::new(),
            n => format!(" ({})", conta(n, "avviso", "avvisi")),
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `lauream plan`: the plan of a build as JSON on standard output (or, with
/// `--testo`, as text a person reads): every document with the data its
/// template receives, and who gets nothing and why. A dataset with errors
/// prints its problems and fails, as `check`.
pub fn plan(a: ArgPlan) -> anyhow::Result<ExitCode> {
    let (ds, problemi) = controlla(&a.dataset);
    eprint!("{problemi}");
    let Some(ds) = ds else {
        return Ok(ExitCode::FAILURE);
    };
    let filtro: Filtro = a.filtro.into();
    let piano = plan::pianifica(&ds, &filtro, logo_del_piano(&ds).as_deref());
    // Streamed: a large year's plan is not held twice, as a value and as text.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let scritto = if a.testo {
        scrivi_testo(&mut stdout, &ds, &filtro, &piano)
    } else {
        serde_json::to_writer_pretty(&mut stdout, &piano)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(stdout))
    }
    .and_then(|_| stdout.flush());
    match scritto {
        // A closed pipe (`lauream plan … | head`) is not an error worth a panic.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// The plan as text: per course, each document (kind, title, path), then
/// who gets nothing and why; the year's documents; the totals; and, when
/// there is no document at all, why.
fn scrivi_testo(
    w: &mut impl Write,
    ds: &Dataset,
    filtro: &Filtro,
    piano: &Piano,
) -> std::io::Result<()> {
    let mut corsi: Vec<Option<&str>> = ds.corsi.iter().map(|(_, c)| Some(c.id.as_str())).collect();
    corsi.insert(0, None);
    for corso in corsi {
        let documenti: Vec<_> = piano
            .documenti
            .iter()
            .filter(|d| d.corso.as_deref() == corso)
            .collect();
        let esclusi: Vec<_> = piano
            .esclusi
            .iter()
            .filter(|e| Some(e.corso.as_str()) == corso)
            .collect();
        if documenti.is_empty() && esclusi.is_empty() {
            continue;
        }
        match corso {
            Some(c) => writeln!(
                w,
                "corso {c}: {}",
                conta(documenti.len(), "documento", "documenti")
            )?,
            None => writeln!(
                w,
                "offerta formativa: {}",
                conta(documenti.len(), "documento", "documenti")
            )?,
        }
        for d in &documenti {
            let tipo = serde_json::to_value(d.tipo).unwrap_or_default();
            writeln!(w, "  {:<10} {}", tipo.as_str().unwrap_or(""), d.titolo)?;
            writeln!(w, "  {:<10} {}", "", d.percorso)?;
        }
        if !esclusi.is_empty() {
            writeln!(
                w,
                "  nessun documento per {}:",
                conta(esclusi.len(), "persona", "persone")
            )?;
            for e in esclusi {
                writeln!(w, "    {} ({}): {}", e.nominativo, e.persona, e.motivo)?;
            }
        }
        writeln!(w)?;
    }
    writeln!(
        w,
        "totale: {}; {} senza documenti",
        conta(piano.documenti.len(), "documento", "documenti"),
        conta(piano.esclusi.len(), "persona", "persone")
    )?;
    if piano.documenti.is_empty() {
        let senza_tipo = Filtro {
            corso: filtro.corso.clone(),
            tipo: None,
        };
        let altri = plan::pianifica(ds, &senza_tipo, None).documenti;
        writeln!(w, "perché nessun documento:")?;
        for r in plan::esclusi::perche_nessun_documento(ds, filtro, &altri, &piano.esclusi) {
            writeln!(w, "  {r}")?;
        }
    }
    Ok(())
}
