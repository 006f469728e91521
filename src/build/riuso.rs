//! Incremental builds: what lets a rebuild skip work without ever
//! publishing a stale document.
//!
//! Two levels. The whole-input fingerprint ([`impronta_ingressi`], completed
//! with the registry's summary by [`impronta_completa`]) is recorded in the
//! index only after a build has fully committed; when a rebuild finds the
//! same fingerprint and every file in place, [`invariato`] answers at once.
//! Otherwise each document's *render key* ([`Riuso::chiave`]: program,
//! templates, template path, identifier, data and seal) decides whether the file
//! already published can be kept ([`Riuso::trova`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{registro_di, EsitoBuild, OpzioniBuild};
use crate::archive::{self, Indice, VoceIndice};
use crate::diag::Problemi;
use crate::plan::{self, Piano};
use crate::registry;
use crate::render;
use crate::sigillo::Sigillo;

/// Fingerprint of what a build reads besides the registry: the program and
/// its templates (with the logo), the options that shape the output, and
/// every file of the dataset.
pub(super) fn impronta_ingressi(
    opts: &OpzioniBuild,
    motore: &render::Motore,
) -> anyhow::Result<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let registro = registro_di(opts);
    parte(&mut h, motore.impronta().as_bytes());
    parte(
        &mut h,
        format!(
            "{:?} {:?} {} {} {}",
            opts.filtro.corso, opts.filtro.tipo, opts.rigoroso, opts.sovrascrivi, opts.zip_bag
        )
        .as_bytes(),
    );
    // Sealing (and with which certificate) changes every document; no seal
    // adds nothing, so unsealed builds keep their fingerprint.
    if let Some(s) = &opts.sigillo {
        parte(&mut h, s.impronta().as_bytes());
    }
    let mut file: Vec<PathBuf> = walkdir::WalkDir::new(&opts.dataset)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        // The registry beside the dataset changes with every build: it is
        // summarised on its own (`impronta_completa`), not read as data.
        .filter(|f| !registry::posto::e_del_registro(f, &registro))
        // The lock beside the registry records who writes and since when:
        // bookkeeping, not data.
        .filter(|f| {
            !(f.file_name()
                .is_some_and(|n| n == archive::disco::FILE_LUCCHETTO)
                && f.parent() == registro.parent())
        })
        .collect();
    file.sort();
    for f in file {
        let rel = f.strip_prefix(&opts.dataset).unwrap_or(&f);
        parte(&mut h, rel.to_string_lossy().as_bytes());
        aggiungi_file(&mut h, &f).map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))?;
    }
    Ok(hex::encode(h.finalize()))
}

/// Adds a part to the fingerprint: its length, then its bytes, so that no
/// two different sequences of parts hash the same.
fn parte(h: &mut sha2::Sha256, b: &[u8]) {
    use sha2::Digest;
    h.update((b.len() as u64).to_le_bytes());
    h.update(b);
}

/// Adds a file to the fingerprint as [`parte`] would add its bytes, read as a
/// stream: a dataset may hold large files (spreadsheets, a dossier's
/// scanned documents), which are never held whole in memory. A file whose
/// length changes while it is read is an error.
fn aggiungi_file(h: &mut sha2::Sha256, f: &Path) -> std::io::Result<()> {
    use sha2::Digest;
    let mut file = std::fs::File::open(f)?;
    let lunghezza = file.metadata()?.len();
    h.update(lunghezza.to_le_bytes());
    let letti = crate::archive::disco::copia_a_blocchi(&mut file, h)?;
    if letti != lunghezza {
        return Err(std::io::Error::other(
            "il file è cambiato mentre veniva letto; riprovare",
        ));
    }
    Ok(())
}

/// The inputs' fingerprint with the registry as it is now: a revocation, or
/// a build by someone else, changes it.
pub(super) fn impronta_completa(ingressi: &str, registro: &Path) -> String {
    let sommario = if registro.is_file() {
        registry::Registro::apri_esistente(registro)
            .and_then(|r| r.sommario())
            .unwrap_or_else(|e| format!("illeggibile: {e}"))
    } else {
        "assente".to_string()
    };
    archive::sha256_hex(format!("{ingressi}\n{sommario}").as_bytes())
}

/// The outcome of a build that has nothing to do: the last complete build
/// read exactly these inputs, and every document and bag it left is still
/// there with its size. `None` when anything differs; the full build then
/// decides document by document.
pub(super) fn invariato(
    opts: &OpzioniBuild,
    precedente: &Indice,
    ingressi: &str,
    problemi: &Problemi,
) -> Option<EsitoBuild> {
    use rayon::prelude::*;
    let attesa = precedente.inputs.as_deref()?;
    if impronta_completa(ingressi, &registro_di(opts)) != attesa {
        return None;
    }
    // A build with other inputs may have been killed since. What it left
    // (staging folders, temporary files, an OCFL version beyond the head)
    // sends this build down the full path, whose clean-up runs under the
    // registry's lock; and the archive must be exactly what the index says.
    let radice = opts.out.join(archive::CARTELLA_OCFL);
    let resti = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|r| {
            r.filter_map(Result::ok)
                .any(|e| archive::resto_di_build(&e.file_name().to_string_lossy()))
        })
    };
    if [
        opts.out.clone(),
        opts.out.join(archive::CARTELLA_BAG),
        radice.clone(),
    ]
    .iter()
    .any(|d| resti(d))
    {
        return None;
    }
    let intatti = precedente.documents.par_iter().all(|v| {
        v.size
            .is_some_and(|n| std::fs::metadata(opts.out.join(&v.path)).is_ok_and(|m| m.len() == n))
    }) && precedente.archived.par_iter().all(|(id, o)| {
        let oggetto = radice.join(id);
        let successiva = o
            .version
            .trim_start_matches('v')
            .parse::<u32>()
            .map(|n| format!("v{}", n + 1))
            .unwrap_or_default();
        archive::ocfl::head(&radice, id).as_deref() == Some(o.version.as_str())
            && !resti(&oggetto)
            && !oggetto.join(successiva).exists()
            && (!opts.zip_bag || opts.out.join(archive::bag_zip(id, &o.version)).is_file())
    });
    if !intatti {
        return None;
    }
    let documenti: Vec<VoceIndice> = precedente
        .documents
        .iter()
        .filter(|v| opts.filtro.ammette(v.course.as_deref(), v.kind))
        .cloned()
        .collect();
    // A build that produces nothing goes the full way, which says why.
    if documenti.is_empty() {
        return None;
    }
    let oggetti: std::collections::BTreeSet<&str> = documenti
        .iter()
        .filter_map(|v| v.object.as_deref())
        .collect();
    let bags = oggetti
        .into_iter()
        .filter_map(|id| {
            let o = precedente.archived.get(id)?;
            Some(archive::BagArchiviata {
                oggetto: id.to_string(),
                versione: o.version.clone(),
                zip: archive::bag_zip(id, &o.version),
                nuova: false,
            })
        })
        .collect();
    Some(EsitoBuild {
        documenti,
        generati: 0,
        bags,
        piano: Piano::default(),
        problemi: problemi.clone(),
        falliti: Vec::new(),
        invariato: true,
        sito: None,
        nessun_documento: Vec::new(),
        rifiutati: Vec::new(),
        sostituiti: Vec::new(),
    })
}

/// What an earlier build left in the output directory, to keep documents
/// whose inputs did not change instead of rendering them again.
pub(super) struct Riuso<'a> {
    pub(super) out: &'a Path,
    /// Fingerprint of the program and templates ([`render::Motore::impronta`]).
    pub(super) impronta: String,
    pub(super) gia_fatti: HashMap<&'a str, &'a VoceIndice>,
    /// The seal documents receive: part of their key, since another seal
    /// (or none) makes another file.
    pub(super) sigillo: Option<Arc<Sigillo>>,
}

impl Riuso<'_> {
    /// The key of a document: program, templates, template path, identifier,
    /// data and, when documents are sealed, the seal; for a filed
    /// attachment, its bytes.
    pub(super) fn chiave(&self, doc: &plan::Documento, dati: &[u8]) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let sigillo = self.sigillo.as_ref().map(|s| s.impronta().as_bytes());
        for parte in [
            self.impronta.as_bytes(),
            doc.template.as_bytes(),
            doc.identificativo.as_bytes(),
            dati,
        ]
        .into_iter()
        .chain(sigillo)
        {
            h.update((parte.len() as u64).to_le_bytes());
            h.update(parte);
        }
        hex::encode(h.finalize())
    }

    /// The data a document's template receives (see [`dati_del_template`]).
    pub(super) fn dati(&self, doc: &plan::Documento) -> Vec<u8> {
        dati_del_template(doc, self.sigillo.is_some())
    }

    /// The hash and size of the file already in place for this key.
    ///
    /// The file must be there with the size recorded; its bytes are not read
    /// again (at ten thousand documents that would be most of an unchanged
    /// rebuild). Whether each file still matches its recorded hash is what
    /// `lauream verify` checks. An index from before sizes were recorded
    /// falls back to hashing the file.
    pub(super) fn trova(&self, percorso: &str, chiave: &str) -> Option<(String, u64)> {
        let v = self.gia_fatti.get(percorso)?;
        if v.render_key.as_deref() != Some(chiave) {
            return None;
        }
        let file = self.out.join(percorso);
        let dimensione = std::fs::metadata(&file).ok()?.len();
        match v.size {
            Some(n) => (n == dimensione).then(|| (v.sha256.clone(), n)),
            None => {
                let h = archive::sha256_file(&file).ok()?;
                (h == v.sha256).then_some((h, dimensione))
            }
        }
    }
}

/// The data a document's template receives: the plan's, with the seal's
/// note when documents are sealed.
pub(super) fn dati_del_template(doc: &plan::Documento, sigillato: bool) -> Vec<u8> {
    let json = doc.dati.json();
    if sigillato {
        crate::sigillo::con_nota(&json)
    } else {
        json
    }
}
