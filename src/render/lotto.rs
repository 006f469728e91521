//! Rendering a batch of documents on worker threads, with a time limit per
//! document.
//!
//! Documents of one template can go to a worker as a group, laid out in one
//! compilation ([`super::gruppo`]) and exported one PDF each. A group that
//! fails, or runs past the time limit, is rendered again one document at a
//! time, so that each document fails or succeeds on its own, with its own
//! reason and its own time limit.
//!
//! Why each worker is a pool of its own and not a task of a shared rayon
//! pool: typst and its PDF writer use rayon inside, and driving compiles
//! from an outer rayon pool overflowed the stack in testing (a worker
//! waiting inside typst steals another document onto the same stack). Each
//! worker is instead the single thread of its own rayon pool, pulling
//! documents from a shared queue: typst's parallel steps run inline on it,
//! with nothing else to steal, and no hand-off to another thread to wait
//! for. The workers share one [`Motore`] (fonts, standard library, parsed
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

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{gruppo, ErroreTemplate, Motore};

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

/// What a worker is doing: the documents it started (one, or a group) and
/// when.
type InCorso = Mutex<Option<(Vec<usize>, Instant)>>;

/// The work left: each entry one document, or a group laid out together.
type Coda = Mutex<VecDeque<Vec<usize>>>;

/// A rendered document, or why not, by index.
type Esito = (usize, Result<Vec<u8>, ErroreTemplate>);

/// The coordinator's handle on one worker thread.
struct Worker {
    /// What it is rendering, and since when: the coordinator's clock.
    in_corso: Arc<InCorso>,
    /// Set when the worker is abandoned: it must not take more work.
    abbandonato: Arc<AtomicBool>,
}

/// What a worker needs to render its share and report it.
struct StatoWorker<'a> {
    motore: &'a Motore,
    in_corso: &'a InCorso,
    fermo: &'a AtomicBool,
    tx: &'a mpsc::Sender<Esito>,
}

impl StatoWorker<'_> {
    /// Renders one entry of the queue (a document, or a group) and sends
    /// each result; `false` when the worker must stop (abandoned, or nobody
    /// listens any more).
    fn esegui(
        &self,
        voce: &[usize],
        prepara: &(dyn Fn(usize) -> Result<Lavoro, ErroreTemplate> + Send + Sync),
    ) -> bool {
        self.segna(Some(voce));
        let mut lavori = Vec::with_capacity(voce.len());
        for &i in voce {
            match prepara(i) {
                Ok(l) => lavori.push((i, l)),
                Err(e) => {
                    if !self.invia(i, Err(e)) {
                        return false;
                    }
                }
            }
        }
        let raggruppati = lavori.len() > 1
            && lavori
                .iter()
                .all(|(_, l)| l.template == lavori[0].1.template)
            && self.motore.raggruppabile(&lavori[0].1.template);
        let da_soli = if raggruppati {
            match self.in_gruppo(&lavori) {
                Some(da_soli) => da_soli,
                None => return false,
            }
        } else {
            (0..lavori.len()).collect()
        };
        // One at a time, each with its own time limit: what the group could
        // not give (a failed group, a member longer than a page).
        for k in da_soli {
            let (i, l) = &lavori[k];
            self.segna(Some(&[*i]));
            let esito = super::rendi(self.motore, &l.template, &l.dati, l.qr.as_deref(), &l.ident)
                .and_then(|pdf| rifinisci(l, pdf));
            if !self.invia(*i, esito) {
                return false;
            }
        }
        self.segna(None);
        true
    }

    /// Lays the documents out in one compilation and sends each one that is
    /// final; returns the positions of those to render alone (all of them
    /// when the group fails), or `None` when the worker must stop.
    fn in_gruppo(&self, lavori: &[(usize, Lavoro)]) -> Option<Vec<usize>> {
        let membri: Vec<gruppo::Membro> = lavori
            .iter()
            .map(|(_, l)| gruppo::Membro {
                dati: &l.dati,
                qr: l.qr.as_deref(),
            })
            .collect();
        let Ok(impaginati) = gruppo::impagina(self.motore, &lavori[0].1.template, &membri) else {
            return Some((0..lavori.len()).collect());
        };
        let mut da_soli = Vec::new();
        for (k, ((i, l), doc)) in lavori.iter().zip(impaginati).enumerate() {
            match gruppo::dopo_impaginazione(&doc) {
                gruppo::Dopo::DaSolo(_) => da_soli.push(k),
                gruppo::Dopo::Definitivo => {
                    let esito = super::pdf(&doc, &l.ident).and_then(|pdf| rifinisci(l, pdf));
                    if !self.invia(*i, esito) {
                        return None;
                    }
                }
            }
        }
        Some(da_soli)
    }

    /// What the worker is on, for the coordinator's clock.
    fn segna(&self, voce: Option<&[usize]>) {
        *self.in_corso.lock().expect("stato del worker") =
            voce.map(|v| (v.to_vec(), Instant::now()));
    }

    /// Hands a result to the coordinator, unless the worker was abandoned.
    fn invia(&self, i: usize, esito: Result<Vec<u8>, ErroreTemplate>) -> bool {
        !self.fermo.load(Ordering::Acquire) && self.tx.send((i, esito)).is_ok()
    }
}

/// The step after rendering (the seal), if any.
fn rifinisci(l: &Lavoro, pdf: Vec<u8>) -> Result<Vec<u8>, ErroreTemplate> {
    match &l.finitura {
        Some(f) => f(pdf),
        None => Ok(pdf),
    }
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
    consegna: impl FnMut(usize, Result<Vec<u8>, ErroreTemplate>),
) where
    P: Fn(usize) -> Result<Lavoro, ErroreTemplate> + Send + Sync + 'static,
{
    rendi_a_gruppi(
        motore,
        (0..n).map(|i| vec![i]).collect(),
        prepara,
        opzioni,
        consegna,
    );
}

/// As [`rendi_lotto`], with the documents in `gruppi`: each group (of
/// documents of one template, at most [`gruppo::MASSIMO`]) is laid out in
/// one compilation when its template allows it ([`Motore::raggruppabile`]).
/// Every index from 0 to the number of documents must be in exactly one
/// group. A group that fails or runs past the time limit is rendered again
/// one document at a time.
pub fn rendi_a_gruppi<P>(
    motore: Arc<Motore>,
    gruppi: Vec<Vec<usize>>,
    prepara: P,
    opzioni: OpzioniLotto,
    mut consegna: impl FnMut(usize, Result<Vec<u8>, ErroreTemplate>),
) where
    P: Fn(usize) -> Result<Lavoro, ErroreTemplate> + Send + Sync + 'static,
{
    let n: usize = gruppi.iter().map(Vec::len).sum();
    if n == 0 {
        return;
    }
    let jobs = match opzioni.jobs {
        0 => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        j => j,
    }
    .min(gruppi.len());
    let prepara = Arc::new(prepara);
    let coda: Arc<Coda> = Arc::new(Mutex::new(gruppi.into()));
    let (tx, rx) = mpsc::channel::<Esito>();

    let avvia = |indice_worker: usize| -> Worker {
        let in_corso: Arc<InCorso> = Arc::new(Mutex::new(None));
        let abbandonato = Arc::new(AtomicBool::new(false));
        let (motore, prepara, coda, tx) = (
            Arc::clone(&motore),
            Arc::clone(&prepara),
            Arc::clone(&coda),
            tx.clone(),
        );
        let (mio, fermo) = (Arc::clone(&in_corso), Arc::clone(&abbandonato));
        // The worker is the one thread of its own rayon pool, so that the
        // parallel steps inside typst (laying out page runs, writing the
        // PDF) run inline on it instead of being handed to the global pool
        // and waited for: with one worker per core, every core is already
        // busy, and each hand-off only left the worker waiting.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(move |_| format!("lauream-render-{indice_worker}"))
            .stack_size(STACK_WORKER)
            // A panic inside typst ends this worker's loop (its sender
            // dropped), as it would end a plain thread; it must not abort
            // the process, which is rayon's default.
            .panic_handler(|_| ())
            .build()
            .expect("avvio di un worker di rendering");
        pool.spawn(move || {
            let stato = StatoWorker {
                motore: &motore,
                in_corso: &mio,
                fermo: &fermo,
                tx: &tx,
            };
            loop {
                if fermo.load(Ordering::Acquire) {
                    break;
                }
                let Some(voce) = coda.lock().expect("coda del lotto").pop_front() else {
                    break;
                };
                if !stato.esegui(&voce, &*prepara) {
                    break;
                }
            }
        });
        // Dropped, the pool's thread ends once its loop returns.
        drop(pool);
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
            let scaduti = match &*w.in_corso.lock().expect("stato del worker") {
                Some((voce, inizio)) if inizio.elapsed() > opzioni.limite => Some(voce.clone()),
                _ => None,
            };
            let Some(voce) = scaduti else { continue };
            w.abbandonato.store(true, Ordering::Release);
            if voce.len() > 1 {
                // A group past the limit: its documents not yet delivered
                // go back one at a time, each with its own limit, to the
                // worker started below (and to any still running).
                let mut c = coda.lock().expect("coda del lotto");
                for &i in voce.iter().filter(|&&i| !consegnati[i]) {
                    c.push_back(vec![i]);
                }
            } else if let Some(&i) = voce.first().filter(|&&i| !consegnati[i]) {
                consegnati[i] = true;
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

    #[test]
    fn un_panico_non_ferma_il_lotto() {
        // A panic on a worker ends that worker only (never the process, as
        // rayon would by default): its document fails at the time limit,
        // the others are delivered by the worker started in its place.
        let (_d, m) = motore_con("#let d = json(sys.inputs.data)\n#d.n");
        let mut esiti = vec![None; 4];
        rendi_lotto(
            m,
            4,
            |i| {
                assert_ne!(i, 1, "panico di prova");
                numerato(i)
            },
            OpzioniLotto {
                jobs: 1,
                limite: Duration::from_millis(300),
            },
            |i, esito| esiti[i] = Some(esito.map_err(|e| e.to_string())),
        );
        let errore = esiti[1].clone().unwrap().unwrap_err();
        assert!(errore.contains("tempo limite superato"), "{errore}");
        for i in [0, 2, 3] {
            assert!(esiti[i].clone().unwrap().is_ok(), "documento {i}");
        }
    }
}
