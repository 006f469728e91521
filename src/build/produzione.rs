//! Producing the planned documents into the staging area: kept from an
//! earlier build when their render key matches, filed as they are
//! (a dossier's supplied files), or rendered by the worker threads of
//! [`render::lotto`]. One failure does not stop the batch.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::riuso::Riuso;
use crate::archive::{self, Staging, VoceIndice};
use crate::plan::Piano;
use crate::render;

/// What the first pass decided for a document.
enum Stato {
    /// Kept from an earlier build, or filed as it is: hash, render key, size.
    Pronto(String, String, u64),
    /// To render; the render key.
    DaRendere(String),
    Fallito(render::ErroreTemplate),
}

/// Produces every planned document into the staging area, keeping those an
/// earlier build already produced from the same inputs. Returns, in plan
/// order, each document's index entry (`None` where it failed), and the
/// failures with why (a template error, the time limit): one failure does
/// not stop the batch.
///
/// Two passes: a flat one (rayon) computes each document's render key and
/// keeps or files what it can; then only what changed goes to the
/// rendering workers ([`render::lotto`]).
pub(super) fn rendi_tutti(
    motore: &Arc<render::Motore>,
    piano: &mut Piano,
    staging: &Staging,
    riuso: &Riuso,
    opzioni: render::lotto::OpzioniLotto,
    conteggio: &Conteggio,
) -> (
    Vec<Option<VoceIndice>>,
    Vec<(String, render::ErroreTemplate)>,
) {
    let segna = || conteggio.segna();
    let mut stati = prima_passata(piano, staging, riuso, &segna);
    let pronti = stati
        .iter()
        .filter(|s| !matches!(s, Stato::DaRendere(_)))
        .count();
    conteggio.progresso.pronti(pronti);
    rendi_cambiati(motore, piano, staging, riuso, opzioni, &mut stati, &segna);
    restituisci_memoria();
    in_voci(piano, stati)
}

/// Documents ready out of a build's total, across the calls of
/// [`rendi_tutti`] (one per course), for the progress report.
pub(super) struct Conteggio<'a> {
    fatti: AtomicUsize,
    totale: usize,
    progresso: &'a dyn super::avanzamento::Osservatore,
}

impl<'a> Conteggio<'a> {
    /// Counts `totale` documents for `progresso`, and says that rendering starts.
    pub(super) fn new(totale: usize, progresso: &'a dyn super::avanzamento::Osservatore) -> Self {
        progresso.fase(super::avanzamento::Fase::Generazione { documenti: totale });
        Conteggio {
            fatti: AtomicUsize::new(0),
            totale,
            progresso,
        }
    }

    /// One more document is ready.
    fn segna(&self) {
        let fatti = self.fatti.fetch_add(1, Ordering::Relaxed) + 1;
        self.progresso.documenti(fatti, self.totale.max(fatti));
    }
}

/// Gives back to the system what rendering freed: Typst's memoisation
/// cache, and the memory glibc keeps in its arenas after the workers'
/// pages and fonts are freed. Otherwise the archive, which comes next and
/// allocates on its own threads, adds to that instead of reusing it, and
/// the build's peak grows by the workers' share.
pub(super) fn restituisci_memoria() {
    typst::comemo::evict(0);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it is safe at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn errore(e: String) -> render::ErroreTemplate {
    render::ErroreTemplate(vec![e])
}

/// The flat pass: each document's render key; what an earlier build left
/// with the same key is kept, a supplied file is filed as it is.
fn prima_passata(
    piano: &Piano,
    staging: &Staging,
    riuso: &Riuso,
    segna: &(dyn Fn() + Sync),
) -> Vec<Stato> {
    use rayon::prelude::*;
    piano
        .documenti
        .par_iter()
        .map(|doc| {
            let stato = match &doc.allegato {
                // A file filed as it is: its key is its own hash.
                Some(file) => match std::fs::read(file) {
                    Err(e) => Stato::Fallito(errore(format!("{}: {e}", file.display()))),
                    Ok(b) => {
                        let chiave = archive::sha256_hex(&b);
                        match riuso.trova(&doc.percorso, &chiave) {
                            Some((h, n)) => Stato::Pronto(h, chiave, n),
                            None => match staging.scrivi(&doc.percorso, &b) {
                                Ok(h) => Stato::Pronto(h, chiave, b.len() as u64),
                                Err(e) => Stato::Fallito(errore(e.to_string())),
                            },
                        }
                    }
                },
                None => {
                    let chiave = riuso.chiave(doc, &riuso.dati(doc));
                    match riuso.trova(&doc.percorso, &chiave) {
                        Some((h, n)) => Stato::Pronto(h, chiave, n),
                        None => Stato::DaRendere(chiave),
                    }
                }
            };
            if !matches!(stato, Stato::DaRendere(_)) {
                segna();
            }
            stato
        })
        .collect()
}

/// The rendering pass: only the documents whose key changed go to the
/// workers, which also seal them when a seal is given (the staging file,
/// its hash and so the index and the registry are the sealed file's);
/// each result is written to staging as it arrives.
fn rendi_cambiati(
    motore: &Arc<render::Motore>,
    piano: &mut Piano,
    staging: &Staging,
    riuso: &Riuso,
    opzioni: render::lotto::OpzioniLotto,
    stati: &mut [Stato],
    segna: &(dyn Fn() + Sync),
) {
    let da_rendere: Vec<usize> = (0..stati.len())
        .filter(|&i| matches!(stati[i], Stato::DaRendere(_)))
        .collect();
    if da_rendere.is_empty() {
        return;
    }
    // The workers own what they read, so that a stuck one can be left
    // behind (see render::lotto); the plan gets its documents back after.
    let documenti = Arc::new(std::mem::take(&mut piano.documenti));
    let gruppi = gruppi(motore, &documenti, &da_rendere);
    let coda = Arc::new(da_rendere);
    let prepara = {
        let (documenti, coda) = (Arc::clone(&documenti), Arc::clone(&coda));
        let sigillo = riuso.sigillo.clone();
        move |k: usize| {
            let doc = &documenti[coda[k]];
            let finitura = match &sigillo {
                Some(s) => Some(sigilla(Arc::clone(s), doc)?),
                None => None,
            };
            Ok(render::lotto::Lavoro {
                template: doc.template.clone(),
                dati: super::riuso::dati_del_template(doc, sigillo.is_some()),
                // The QR encodes the verification address when the
                // university has a verification page, the bare code otherwise.
                qr: doc
                    .dati
                    .registrazione()
                    .map(|r| r.url.clone().unwrap_or_else(|| r.codice.clone())),
                ident: doc.identificativo.clone(),
                finitura,
            })
        }
    };
    render::lotto::rendi_a_gruppi(Arc::clone(motore), gruppi, prepara, opzioni, |k, esito| {
        let i = coda[k];
        let Stato::DaRendere(chiave) =
            std::mem::replace(&mut stati[i], Stato::DaRendere(String::new()))
        else {
            unreachable!("solo i documenti da rendere vanno ai worker")
        };
        stati[i] = match esito.and_then(|pdf| {
            staging
                .scrivi(&documenti[i].percorso, &pdf)
                .map(|h| (h, pdf.len() as u64))
                .map_err(|e| errore(e.to_string()))
        }) {
            Ok((h, n)) => Stato::Pronto(h, chiave, n),
            Err(e) => Stato::Fallito(e),
        };
        segna();
    });
    piano.documenti = Arc::try_unwrap(documenti).unwrap_or_else(|a| (*a).clone());
}

/// The documents to render (positions in `da_rendere`) in groups laid out
/// one compilation each: runs of documents of one course and one template
/// that allows it ([`render::Motore::raggruppabile`]), at most
/// [`render::gruppo::MASSIMO`] at a time; any other document alone.
fn gruppi(
    motore: &render::Motore,
    documenti: &[crate::plan::Documento],
    da_rendere: &[usize],
) -> Vec<Vec<usize>> {
    let mut raggruppabili: std::collections::HashMap<&str, bool> = Default::default();
    let mut gruppi: Vec<Vec<usize>> = Vec::new();
    let mut chiave_ultimo: Option<(&str, Option<&str>)> = None;
    for (k, &i) in da_rendere.iter().enumerate() {
        let doc = &documenti[i];
        let si = *raggruppabili
            .entry(doc.template.as_str())
            .or_insert_with(|| motore.raggruppabile(&doc.template));
        let chiave = (doc.template.as_str(), doc.corso.as_deref());
        match gruppi.last_mut() {
            Some(g) if si && chiave_ultimo == Some(chiave) && g.len() < render::gruppo::MASSIMO => {
                g.push(k)
            }
            _ => gruppi.push(vec![k]),
        }
        chiave_ultimo = si.then_some(chiave);
    }
    gruppi
}

/// What the worker does with a rendered PDF of `doc`: seals it, signed at
/// the document's date.
fn sigilla(
    sigillo: Arc<crate::sigillo::Sigillo>,
    doc: &crate::plan::Documento,
) -> Result<render::lotto::Finitura, render::ErroreTemplate> {
    let Some(data) = doc.dati.data_iso() else {
        return Err(errore(
            "il documento non ha una data (documento.data_iso): serve come ora del sigillo".into(),
        ));
    };
    Ok(Arc::new(move |pdf: Vec<u8>| {
        sigillo
            .sigilla(&pdf, &data)
            .map_err(|e| errore(format!("sigillo: {e}")))
    }))
}

/// Each document's index entry, in plan order (`None` where it failed), and
/// the failures with why.
fn in_voci(
    piano: &Piano,
    stati: Vec<Stato>,
) -> (
    Vec<Option<VoceIndice>>,
    Vec<(String, render::ErroreTemplate)>,
) {
    let mut voci = Vec::with_capacity(stati.len());
    let mut falliti = Vec::new();
    for (doc, stato) in piano.documenti.iter().zip(stati) {
        voci.push(match stato {
            Stato::Pronto(sha256, chiave, size) => Some(VoceIndice {
                kind: doc.tipo,
                course: doc.corso.clone(),
                person: doc.persona.clone(),
                path: doc.percorso.clone(),
                sha256,
                title: doc.titolo.clone(),
                id: doc.identificativo.clone(),
                date: doc.dati.data_iso(),
                number: doc.dati.numero().map(str::to_string),
                code: None,
                status: None,
                object: None,
                version: None,
                render_key: Some(chiave),
                size: Some(size),
                section: doc.sezione_dossier.map(|s| s.cartella()),
            }),
            Stato::Fallito(e) => {
                falliti.push((doc.percorso.clone(), e));
                None
            }
            Stato::DaRendere(_) => {
                falliti.push((
                    doc.percorso.clone(),
                    errore("documento non elaborato".into()),
                ));
                None
            }
        });
    }
    (voci, falliti)
}
