//! Aids around the main work: `synth` writes a synthetic dataset for trials
//! and benchmarks, `schema` prints the JSON Schema data authors validate
//! their files against.

use std::process::ExitCode;

use anyhow::bail;

use super::args::{ArgSchema, ArgSynth};
use crate::schema;

/// `lauream synth`: a valid dataset of the asked size in a new folder, and a
/// line saying what it holds.
pub fn synth(a: ArgSynth) -> anyhow::Result<ExitCode> {
    let r = crate::synth::genera(a.persone, a.corsi, a.seme, &a.dest)?;
    eprintln!(
        "{}: {}, {}",
        a.dest.display(),
        crate::messaggi::conta(r.corsi, "corso", "corsi"),
        crate::messaggi::conta(r.iscrizioni, "iscrizione", "iscrizioni")
    );
    Ok(ExitCode::SUCCESS)
}

/// `lauream schema`: the JSON Schema of one part of a dataset, on standard
/// output; an unknown part is an error that lists the known ones.
pub fn schema(a: ArgSchema) -> anyhow::Result<ExitCode> {
    let Some(testo) = schema::testo(&a.parte) else {
        let parti: Vec<_> = schema::PARTI.iter().map(|p| p.0).collect();
        bail!(
            "parte «{}» sconosciuta: usare una tra {}",
            a.parte,
            parti.join(", ")
        );
    };
    print!("{testo}");
    Ok(ExitCode::SUCCESS)
}
