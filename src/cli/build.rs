//! `lauream build`: the options as the library wants them, a progress
//! report while documents render, and the summary a clerk reads at the end.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use zeroize::Zeroizing;

use super::args::{ArgBuild, ArgSigillo};
use super::avanzamento::Avanzamento;
use crate::archive::VoceIndice;
use crate::messaggi::{conta, decimale, durata};
use crate::plan::TipoDocumento;
use crate::sigillo::{self, Sigillo};
use crate::{costruisci, ErroreBuild, EsitoBuild, OpzioniBuild};

/// `lauream build`: validates, plans, renders, archives and registers, then
/// prints what was done. Fails when the build wrote nothing (its error
/// bubbles up) or when some documents could not be rendered (the others are
/// published all the same, and the summary says which failed).
pub fn build(a: ArgBuild) -> anyhow::Result<ExitCode> {
    let limite = a.limite_documento;
    let limite_documento = Duration::try_from_secs_f64(limite).map_err(|_| {
        anyhow!("--doc-timeout: indicare un numero di secondi positivo, non «{limite}»")
    })?;
    // Before anything is written: a wrong password or an expired
    // certificate stops here.
    let sigillo = carica_sigillo(&a.sigillo)?;
    let opts = OpzioniBuild {
        dataset: a.dataset,
        out: a.out,
        templates: a.templates,
        filtro: a.filtro.into(),
        jobs: a.jobs,
        sovrascrivi: a.sovrascrivi,
        rigoroso: a.rigoroso,
        limite_documento,
        registro: a.registro,
        sigillo,
        zip_bag: !a.senza_zip,
    };
    // The lock covers the output directory and the office's registry, found
    // as the build will find it (beside the dataset, or where ateneo.json
    // says); an unreadable ateneo.json is reported by the build itself.
    let registro = match &opts.registro {
        Some(r) => r.clone(),
        None => crate::registry::posto::del_dataset_su_disco(&opts.dataset)
            .unwrap_or_else(|_| crate::registry::posto::del_dataset(&opts.dataset, None)),
    };
    let file = crate::build::lucchetto::file_per_build(&opts.out, &registro);
    let _lucchetto = super::lucchetto::prendi(&file, "build", a.attendi)?;
    let inizio = Instant::now();
    let barra = Avanzamento::new();
    let esito = costruisci(&opts, &barra);
    barra.chiudi();
    let esito = esito.map_err(in_anyhow)?;
    riepiloga(&esito, &opts, inizio.elapsed().as_secs_f64());
    let codice = match (segnala_falliti(&esito), segnala_rifiutati(&esito)) {
        (ExitCode::SUCCESS, ExitCode::SUCCESS) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    };
    // Freeing a large year's plan, piece by piece, costs a fifth of an
    // unchanged rebuild; the process ends here and the system takes the
    // memory back at once.
    std::mem::forget(esito);
    Ok(codice)
}

/// The seal of `--seal`, with its password from the file or the
/// environment, and says whose it is; `None` without `--seal`.
fn carica_sigillo(a: &ArgSigillo) -> anyhow::Result<Option<Arc<Sigillo>>> {
    let Some(file) = &a.file else {
        return Ok(None);
    };
    let password = match &a.file_password {
        Some(p) => {
            let testo = Zeroizing::new(
                std::fs::read_to_string(p)
                    .map_err(|e| anyhow!("--seal-password-file {}: {e}", p.display()))?,
            );
            Zeroizing::new(testo.lines().next().unwrap_or("").to_string())
        }
        None => Zeroizing::new(std::env::var(sigillo::VARIABILE_PASSWORD).map_err(|_| {
            anyhow!(
                "--seal {}: manca la password del file PKCS#12: metterla nella variabile {} \
                 o nel file indicato da --seal-password-file (mai sulla riga di comando)",
                file.display(),
                sigillo::VARIABILE_PASSWORD
            )
        })?),
    };
    let tsa = a.tsa.as_deref().map(sigillo::Tsa::nuova);
    let s = Sigillo::da_pkcs12(file, &password, tsa)?;
    eprintln!(
        "sigillo elettronico: {}{}",
        s.titolare(),
        a.tsa
            .as_deref()
            .map(|u| format!(", con marca temporale da {u}"))
            .unwrap_or_default()
    );
    Ok(Some(Arc::new(s)))
}

/// A build's error as the error printer walks it. The variants that explain
/// themselves (dataset errors, conflicts, incomplete dossiers) stay whole;
/// `Altro` is unwrapped, so its contexts and causes come first hand.
fn in_anyhow(e: ErroreBuild) -> anyhow::Error {
    match e {
        ErroreBuild::Altro(e) => e,
        e => e.into(),
    }
}

/// What the build did, on standard error: problems, who gets nothing, new
/// archive versions, counts and rate, and the first document to open.
fn riepiloga(esito: &EsitoBuild, opts: &OpzioniBuild, secondi: f64) {
    eprint!("{}", esito.problemi);
    if esito.invariato {
        eprintln!(
            "dataset, template, opzioni e registro invariati dall'ultima build completa: \
             nulla da rigenerare (chi non riceve documenti e perché: lauream check --dettagli {})",
            opts.dataset.display()
        );
    }
    // Per course, not per person: a large year has hundreds of lines of
    // them, which `check --dettagli` gives to whoever wants them.
    let esclusi = crate::plan::esclusi::riepilogo(&esito.piano.esclusi, false);
    for riga in &esclusi {
        eprintln!("{riga}");
    }
    if !esclusi.is_empty() {
        eprintln!(
            "  una riga per persona: lauream check --dettagli {}",
            opts.dataset.display()
        );
    }
    if !esito.nessun_documento.is_empty() {
        eprintln!("nessun documento da produrre con queste opzioni:");
        for r in &esito.nessun_documento {
            eprintln!("  {r}");
        }
    }
    for s in &esito.sostituiti {
        eprint!("{s}");
    }
    for b in esito.bags.iter().filter(|b| b.nuova) {
        if opts.zip_bag {
            eprintln!("archivio: {} {} → {}", b.oggetto, b.versione, b.zip);
        } else {
            eprintln!(
                "archivio: {} {} (OCFL; zip non tenuto: --no-zip)",
                b.oggetto, b.versione
            );
        }
    }
    let mut per_tipo: std::collections::BTreeMap<String, usize> = Default::default();
    for d in &esito.documenti {
        *per_tipo
            .entry(format!("{:?}", d.kind).to_lowercase())
            .or_default() += 1;
    }
    let tipi: Vec<String> = per_tipo.iter().map(|(k, n)| format!("{k} {n}")).collect();
    if !tipi.is_empty() {
        let ritmo = esito.generati as f64 / secondi.max(1e-3);
        eprintln!(
            "per tipo: {}{}",
            tipi.join(", "),
            if esito.generati > 0 {
                format!(
                    "; {} documenti/s generati",
                    decimale(ritmo, if ritmo < 10.0 { 1 } else { 0 })
                )
            } else {
                String::new()
            }
        );
    }
    eprintln!(
        "{} ({}, {}) in {} ({}); indice: {}",
        conta(esito.documenti.len(), "documento", "documenti"),
        conta(esito.generati, "generato", "generati"),
        conta(
            esito.documenti.len() - esito.generati,
            "invariato",
            "invariati"
        ),
        opts.out.display(),
        durata(secondi),
        opts.out.join(crate::archive::INDICE).display()
    );
    if let Some(s) = esito.sito.as_ref().filter(|s| s.rigenerato) {
        eprintln!(
            "sito di verifica: {} ({} record in {}, {}, {}, {})",
            opts.out
                .join(crate::sito::CARTELLA)
                .join("index.html")
                .display(),
            s.record,
            conta(s.blocchi, "blocco", "blocchi"),
            conta(s.chiavi_nuove, "chiave nuova", "chiavi nuove"),
            conta(s.scritti, "file scritto", "file scritti"),
            durata(s.secondi)
        );
    }
    if let Some(primo) = da_aprire_per_primo(&esito.documenti) {
        eprintln!(
            "documenti in {}; da aprire per primo: {} ({})",
            opts.out.display(),
            opts.out.join(&primo.path).display(),
            primo.title
        );
    }
}

/// The issued documents left as they were because they would have
/// changed, each with what changed and what `--overwrite` would do;
/// failure when there is any.
fn segnala_rifiutati(esito: &EsitoBuild) -> ExitCode {
    if esito.rifiutati.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "errore: {}",
        crate::build::cambiamenti::spiega_rifiuto(&esito.rifiutati, true)
    );
    ExitCode::FAILURE
}

/// Each document that could not be rendered, with why, and their count;
/// failure when there is any.
fn segnala_falliti(esito: &EsitoBuild) -> ExitCode {
    if esito.falliti.is_empty() {
        return ExitCode::SUCCESS;
    }
    for (percorso, errore) in &esito.falliti {
        eprintln!("errore: {percorso} non generato:\n{errore}");
    }
    eprintln!(
        "{} (gli altri sono stati pubblicati e archiviati)",
        conta(
            esito.falliti.len(),
            "documento non generato",
            "documenti non generati"
        )
    );
    ExitCode::FAILURE
}

/// The document a newcomer should look at first: the call of the first
/// course (the act that opens a course's year), else the first document of
/// the family the build produced, in the order an office issues them.
fn da_aprire_per_primo(documenti: &[VoceIndice]) -> Option<&VoceIndice> {
    use TipoDocumento::*;
    [Bando, Decreto, Attestato, Pergamena, Dossier]
        .iter()
        .find_map(|&t| {
            documenti
                .iter()
                .filter(|d| d.kind == t && d.path.ends_with(".pdf"))
                .min_by(|a, b| a.path.cmp(&b.path))
        })
}
