//! Rendering a batch of documents on worker threads, with a time limit per
//! document.
//!
//! Why plain threads and not rayon: typst and its PDF writer use rayon
//! inside, and driving compiles from an outer rayon pool overflowed the
//! stack in testing (a worker waiting inside typst steals another document
//! onto the same stack). Plain workers pull documents from a shared counter
//! instead, and share one [`Motore`] (fonts, standard library, parsed
//! templates), so each document pays only for what differs: its data.
//!
//! Why the workers own what they touch (`Arc`, `'static`): typst has no way
//! to cancel a compile, so a template that loops forever can only be
//! abandoned. The coordinator (the calling thread) watches how long each
//! worker has been on its document; past the limit it reports the document
//! as failed, leaves the stuck worker behind and starts a fresh one, so the
//! rest of the batch completes. An abandoned worker touches nothing but its
//! own memory, and its late result is dropped; it ends with the process.
//! Workers never write files: they hand PDF bytes to the coordinator, which
//! calls back the caller on its own thread.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{ErroreTemplate, Motore};

/// Stack of a rendering worker: typst recurses deeply on nested content, and
/// a spawned thread's default (2 MiB) is smaller than the main thread's.
const STACK_WORKER: usize = 16 << 20;

/// How often the coordinator looks at the clocks when no result arrives.
const CONTROLLO: Duration = Duration::from_millis(50);

/// One document to render: template path, JSON data, stable PDF identifier,
/// and what to do with the PDF before handing it back (the seal), done on
/// the worker so that it runs in parallel and counts in the time limit.
pub struct Lavoro {
    /// The template's path under the templates directory, e.g.
    /// `attestato/main.typ`.
    pub template: String,
    /// The document's data as JSON bytes, served to the template at
    /// [`super::PERCORSO_DATI`].
    pub dati: Vec<u8>,
    /// What the document's QR code encodes, when it has one.
    pub qr: Option<String>,
    /// Stable identifier of the document across builds, from which the PDF
    /// file ID derives (see [`super::pdf`]).
    pub ident: String,
    /// What the worker does to the rendered PDF before handing it back (the
    /// electronic seal), inside the time limit.
    pub finitura: Option<Finitura>,
}

/// A step applied by the worker to a rendered PDF (sealing it).
pub type Finitura = Arc<dyn Fn(Vec<u8>) -> Result<Vec<u8>, ErroreTemplate> + Send + Sync>;

/// How a batch runs.
#[derive(Debug, Clone, Copy)]
pub struct OpzioniLotto {
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Longest a single document may take before it is abandoned.
    pub limite: Duration,
}

impl Default for OpzioniLotto {
    fn default() -> Self {
        OpzioniLotto {
            jobs: 0,
            limite: Duration::from_secs(60),
        }
    }
}

/// What a worker is doing: the document it started and when.
type InCorso = Mutex<Option<(usize, Instant)>>;

/// The coordinator's handle on one worker thread.
struct Worker {
    /// What it is rendering, and since when: the coordinator's clock.
    in_corso: Arc<InCorso>,
    /// Set when the worker is abandoned: it must not take more work.
    abbandonato: Arc<AtomicBool>,
}

/// Renders `n` documents, the `i`-th described by `prepara(i)`, and calls
/// `consegna(i, pdf)` on the calling thread as each one is ready, failed or
/// timed out. Every index is delivered exactly once, in completion order.
///
/// `prepara` runs on the workers, so building a document's data (e.g.
/// serialising it) is spread across cores and no batch-wide copy of all data
/// is ever held in memory.
pub fn rendi_lotto<P>(
    motore: Arc<Motore>,
    n: usize,
    prepara: P,
    opzioni: OpzioniLotto,
    mut consegna: impl FnMut(usize, Result<Vec<u8>, ErroreTemplate>),
) where
    P: Fn(usize) -> Result<Lavoro, ErroreTemplate> + Send + Sync + 'static,
{
    if n == 0 {
        return;
    }
    let jobs = match opzioni.jobs {
        0 => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        j => j,
    }
    .min(n);
    let prepara = Arc::new(prepara);
    let prossimo = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel::<(usize, Result<Vec<u8>, ErroreTemplate>)>();

    let avvia = |indice_worker: usize| -> Worker {
        let in_corso: Arc<InCorso> = Arc::new(Mutex::new(None));
        let abbandonato = Arc::new(AtomicBool::new(false));
        let (motore, prepara, prossimo, tx) = (
            Arc::clone(&motore),
            Arc::clone(&prepara),
            Arc::clone(&prossimo),
            tx.clone(),
        );
        let (mio, fermo) = (Arc::clone(&in_corso), Arc::clone(&abbandonato));
        std::thread::Builder::new()
            .name(format!("lauream-render-{indice_worker}"))
            .stack_size(STACK_WORKER)
            .spawn(move || loop {
                if fermo.load(Ordering::Acquire) {
                    break;
                }
                let i = prossimo.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                *mio.lock().expect("stato del worker") = Some((i, Instant::now()));
                let esito = prepara(i).and_then(|l| {
                    let pdf =
                        super::rendi(&motore, &l.template, &l.dati, l.qr.as_deref(), &l.ident)?;
                    match &l.finitura {
                        Some(f) => f(pdf),
                        None => Ok(pdf),
                    }
                });
                *mio.lock().expect("stato del worker") = None;
                if fermo.load(Ordering::Acquire) || tx.send((i, esito)).is_err() {
                    break;
                }
            })
            .expect("avvio di un worker di rendering");
        Worker {
            in_corso,
            abbandonato,
        }
    };

    let mut workers: Vec<Worker> = (0..jobs).map(avvia).collect();
    let mut avviati = jobs;
    let mut consegnati = vec![false; n];
    let mut mancanti = n;
    while mancanti > 0 {
        match rx.recv_timeout(CONTROLLO) {
            Ok((i, esito)) => {
                if !std::mem::replace(&mut consegnati[i], true) {
                    mancanti -= 1;
                    consegna(i, esito);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            // Every worker gone with documents undelivered: cannot happen
            // while a worker lives, but never wait forever.
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        for w in workers.iter_mut() {
            let scaduto = match *w.in_corso.lock().expect("stato del worker") {
                Some((i, inizio)) if inizio.elapsed() > opzioni.limite => Some(i),
                _ => None,
            };
            let Some(i) = scaduto else { continue };
            w.abbandonato.store(true, Ordering::Release);
            if !std::mem::replace(&mut consegnati[i], true) {
                mancanti -= 1;
                consegna(
                    i,
                    Err(ErroreTemplate(vec![format!(
                        "tempo limite superato: il documento non è stato completato in {} s \
                         (un ciclo senza fine nel template?); il resto del lotto prosegue",
                        opzioni.limite.as_secs_f64()
                    )])),
                );
            }
            *w = avvia(avviati);
            avviati += 1;
        }
    }
    // Anything still undelivered (all workers vanished) is an error, not a hang.
    for (i, fatto) in consegnati.iter().enumerate() {
        if !fatto {
            consegna(
                i,
                Err(ErroreTemplate(vec![
                    "il rendering si è interrotto prima di questo documento".into(),
                ])),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn motore_con(template: &str) -> (tempfile::TempDir, Arc<Motore>) {
        let dir = tempfile::tempdir().unwrap();
        // PDF/A wants a document date; it comes from the data, as in the real templates.
        let template =
            format!("#set document(date: datetime(year: 2026, month: 1, day: 1))\n{template}");
        std::fs::write(dir.path().join("main.typ"), template).unwrap();
        let m = Motore::new(dir.path()).unwrap();
        (dir, Arc::new(m))
    }

    /// Document `i` of a test batch: its data is just its number.
    fn numerato(i: usize) -> Result<Lavoro, ErroreTemplate> {
        Ok(Lavoro {
            template: "main.typ".into(),
            dati: format!("{{\"n\": {i}}}").into_bytes(),
            qr: None,
            ident: format!("doc-{i}"),
            finitura: None,
        })
    }

    #[test]
    fn ogni_documento_consegnato_una_volta() {
        let (_d, m) = motore_con("#let d = json(sys.inputs.data)\n#d.n");
        let mut visti = Vec::new();
        rendi_lotto(
            m,
            25,
            numerato,
            OpzioniLotto {
                jobs: 3,
                limite: Duration::from_secs(60),
            },
            |i, esito| {
                assert!(esito.unwrap().starts_with(b"%PDF"));
                visti.push(i);
            },
        );
        visti.sort();
        assert_eq!(visti, (0..25).collect::<Vec<_>>());
    }

    #[test]
    fn un_ciclo_senza_fine_non_ferma_il_lotto() {
        // Document 1 runs for seconds, far past the limit (not forever, so
        // the abandoned worker does not spin through the rest of the suite);
        // the others must still be delivered.
        let (_d, m) = motore_con(
            "#let d = json(sys.inputs.data)\n\
             #if d.n == 1 { for i in range(6000) { for j in range(6000) { } } }\n#d.n",
        );
        let mut esiti = vec![None; 4];
        let inizio = Instant::now();
        rendi_lotto(
            m,
            4,
            numerato,
            OpzioniLotto {
                jobs: 1,
                limite: Duration::from_millis(500),
            },
            |i, esito| esiti[i] = Some(esito.map_err(|e| e.to_string())),
        );
        assert!(inizio.elapsed() < Duration::from_secs(30));
        let errore = esiti[1].clone().unwrap().unwrap_err();
        assert!(errore.contains("tempo limite superato"), "{errore}");
        for i in [0, 2, 3] {
            assert!(esiti[i].clone().unwrap().is_ok(), "documento {i}");
        }
    }
}
