//! A plain zip of a course's current PDFs, to send to someone (a course
//! director, a colleague): `lauream export --pdf`. Not an archival package
//! (that is the bag): just the documents in force, as published, in a
//! folder named like the zip.

use std::path::Path;

use anyhow::{bail, Context};

use super::disco::{scrivi_atomico_da, BLOCCO};
use super::{bagit, sha256_file, Indice};
use crate::plan::TipoDocumento;

/// Writes into `dest` (a `.zip` path) the PDFs the output directory's index
/// lists for a course (or every course) and a kind (or every kind), in
/// force (not revoked), each checked against its recorded SHA-256. Inside
/// the zip, a course's documents keep their folders below the course
/// (`attestati/…`, `bando/…`). Returns how many documents it holds.
pub fn esporta_pdf(
    out: &Path,
    corso: Option<&str>,
    tipo: Option<TipoDocumento>,
    dest: &Path,
) -> anyhow::Result<usize> {
    let indice = Indice::leggi(out)?;
    let voci: Vec<_> = indice
        .documents
        .iter()
        .filter(|v| corso.is_none() || v.course.as_deref() == corso)
        .filter(|v| tipo.is_none_or(|t| v.kind == t))
        .filter(|v| v.path.ends_with(".pdf"))
        .filter(|v| v.status.as_deref().is_none_or(|s| s == "valido"))
        .collect();
    if voci.is_empty() {
        bail!(
            "{}: nessun documento in vigore{}: eseguire prima lauream build",
            out.display(),
            corso
                .map(|c| format!(" per il corso «{c}»"))
                .unwrap_or_default()
        );
    }
    let mut file = Vec::with_capacity(voci.len());
    for v in voci {
        let p = out.join(&v.path);
        let ottetti = std::fs::metadata(&p)
            .with_context(|| p.display().to_string())?
            .len();
        if sha256_file(&p).with_context(|| p.display().to_string())? != v.sha256 {
            bail!(
                "{}: il file non corrisponde a quello emesso (impronta diversa da index.json): non viene spedito",
                v.path
            );
        }
        // "2025-2026/<course>/attestati/x.pdf" → "attestati/x.pdf" for one course.
        let dentro = match corso {
            Some(c) => v
                .path
                .split_once(&format!("/{c}/"))
                .map_or(v.path.as_str(), |(_, r)| r)
                .to_string(),
            None => v.path.clone(),
        };
        // Read again, as a stream, when the zip is written, and checked
        // against the same digest as it is copied.
        let documento = bagit::FileSuDisco {
            percorso: p,
            ottetti,
            sha256: Some(v.sha256.clone()),
            sha512: None,
        };
        file.push((dentro, bagit::Contenuto::File(documento)));
    }
    let cartella = dest
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "documenti".into());
    if let Some(d) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(d).with_context(|| d.display().to_string())?;
    }
    scrivi_atomico_da(dest, |f| {
        let w = std::io::BufWriter::with_capacity(BLOCCO, f);
        let mut w = bagit::zip_in(&cartella, &file, w)?;
        std::io::Write::flush(&mut w)
    })
    .with_context(|| dest.display().to_string())?;
    Ok(file.len())
}
