//! `lauream registry list`: what an office issued, revoked and superseded,
//! as a table for a person or as JSON for other tools.

use std::process::ExitCode;

use serde_json::json;

use super::args::ArgList;
use crate::registry::elenco::{FiltroElenco, Rimando, VoceElenco};

/// `lauream registry list`: the rows that pass the filters, in order of
/// issue, on standard output; a count by status on standard error. An
/// empty list is an answer, not a failure.
pub fn list(a: ArgList) -> anyhow::Result<ExitCode> {
    let filtro = FiltroElenco {
        corso: a.corso,
        tipo: a.tipo,
        persona: a.persona,
        anno: a.anno,
        stato: a.stato,
    };
    let voci = a.registro.apri()?.elenco(&filtro)?;
    if a.json {
        let registro = a.registro.percorso(None)?;
        let documento = json!({ "registry": registro, "documents": voci });
        println!("{}", serde_json::to_string_pretty(&documento)?);
        return Ok(ExitCode::SUCCESS);
    }
    if voci.is_empty() {
        eprintln!("nessun documento del registro corrisponde ai criteri");
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", tabella(&voci));
    let conta = |s: &str| voci.iter().filter(|v| v.stato == s).count();
    eprintln!(
        "{} documenti: {} validi, {} revocati, {} sostituiti",
        voci.len(),
        conta("valido"),
        conta("revocato"),
        conta("sostituito")
    );
    Ok(ExitCode::SUCCESS)
}

/// "n. 13/2026 (K7QM-3XPD-9T)", or the code alone for unnumbered documents.
fn rimando(r: &Rimando) -> String {
    match &r.numero {
        Some(n) => format!("n. {n} ({})", r.codice),
        None => r.codice.clone(),
    }
}

/// The status with what replaces what: "valido, sostituisce n. 12/2026 (…)",
/// "revocato il 2026-05-04: motivo; riemesso come n. 14/2026 (…)",
/// "sostituito da n. 13/2026 (…)".
fn stato(v: &VoceElenco) -> String {
    let mut s = match v.stato.as_str() {
        "revocato" => format!(
            "revocato il {}: {}",
            v.revocato_il
                .as_deref()
                .map_or("?", |t| t.get(..10).unwrap_or(t)),
            v.motivo.as_deref().unwrap_or("")
        ),
        "sostituito" => format!(
            "sostituito da {}",
            v.sostituito_da.as_ref().map_or_else(|| "?".into(), rimando)
        ),
        s => s.to_string(),
    };
    if v.stato == "revocato" {
        if let Some(r) = &v.sostituito_da {
            s.push_str(&format!("; riemesso come {}", rimando(r)));
        }
    }
    if let Some(r) = &v.sostituisce {
        s.push_str(&format!(", sostituisce {}", rimando(r)));
    }
    s
}

/// The rows as aligned columns under a header; the last column (the
/// status, the longest) is not padded.
fn tabella(voci: &[VoceElenco]) -> String {
    const INTESTAZIONE: [&str; 8] = [
        "NUMERO",
        "DATA",
        "TIPO",
        "INTESTATARIO",
        "CODICE FISCALE",
        "CORSO",
        "CODICE",
        "STATO",
    ];
    let trattino = || "—".to_string();
    let righe: Vec<[String; 8]> = voci
        .iter()
        .map(|v| {
            [
                v.numero.clone().unwrap_or_else(trattino),
                v.data.clone().unwrap_or_else(trattino),
                v.tipo.clone(),
                v.intestatario.clone().unwrap_or_else(trattino),
                v.persona.clone().unwrap_or_else(trattino),
                v.corso.clone().unwrap_or_else(trattino),
                v.codice.clone(),
                stato(v),
            ]
        })
        .collect();
    let mut larghezze = INTESTAZIONE.map(|h| h.chars().count());
    for r in &righe {
        for (l, c) in larghezze.iter_mut().zip(r) {
            *l = (*l).max(c.chars().count());
        }
    }
    let mut testo = String::new();
    let intestazione = INTESTAZIONE.map(str::to_string);
    for r in std::iter::once(&intestazione).chain(&righe) {
        let mut riga = String::new();
        for (i, (c, l)) in r.iter().zip(larghezze).enumerate() {
            if i + 1 == r.len() {
                riga.push_str(c);
            } else {
                riga.push_str(c);
                riga.push_str(&" ".repeat(l - c.chars().count() + 2));
            }
        }
        testo.push_str(riga.trim_end());
        testo.push('\n');
    }
    testo
}
