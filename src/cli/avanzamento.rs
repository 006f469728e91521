//! The progress of a long build: a bar with counts, rate and time left on a
//! terminal, plain lines in a log (night runs); then the phases after
//! rendering (archiving, registry), which on a large year take long enough
//! to look like a hang if nothing is said.
//!
//! The rate and the time left are measured on rendering alone, from the
//! moment rendering starts: documents kept from an earlier build are counted
//! at once, and the first documents pay for loading fonts and templates, so
//! a rate taken from the start would promise minutes that turn into hours.
//! Until enough documents are rendered the estimate says so instead.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::build::avanzamento::{Fase, Osservatore};
use crate::messaggi::{conta, decimale, durata};

/// Below this many documents a build prints no plain lines: it ends before
/// anyone waits.
const PICCOLA: usize = 100;

/// Where rendering started, to measure its rate.
struct Generazione {
    inizio: Instant,
    /// Documents found ready without rendering (kept or filed), which the
    /// rate leaves out.
    base: usize,
    da_generare: usize,
}

/// A build's progress as the command line shows it.
pub(super) struct Avanzamento {
    barra: Option<indicatif::ProgressBar>,
    /// The last tenth reported as a plain line; rendering threads race to
    /// report, and only the first to reach a tenth prints it.
    ultimo_decimo: AtomicUsize,
    totale: AtomicUsize,
    generazione: Mutex<Option<Generazione>>,
}

impl Avanzamento {
    /// A bar when standard error is a terminal, plain lines otherwise.
    pub(super) fn new() -> Self {
        let barra = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(0);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {bar:40} {pos}/{len} documenti  {msg}",
                )
                .expect("modello di avanzamento valido"),
            );
            b
        });
        Avanzamento {
            barra,
            ultimo_decimo: AtomicUsize::new(0),
            totale: AtomicUsize::new(0),
            generazione: Mutex::new(None),
        }
    }

    /// "12,5 documenti/s, mancano circa 40 s", or that the estimate is not
    /// ready yet; nothing before rendering starts.
    fn stima(&self, fatti: usize) -> Option<String> {
        let g = self.generazione.lock().ok()?;
        let g = g.as_ref()?;
        let generati = fatti.saturating_sub(g.base);
        let secondi = g.inizio.elapsed().as_secs_f64();
        // Enough documents, and time, to be past the first ones' warm-up.
        if generati < (g.da_generare / 50).max(3) || secondi < 0.5 {
            return Some("stima del tempo in corso…".into());
        }
        let ritmo = generati as f64 / secondi;
        let restanti = g.da_generare.saturating_sub(generati);
        Some(format!(
            "{} documenti/s, mancano circa {}",
            decimale(ritmo, if ritmo < 10.0 { 1 } else { 0 }),
            durata(restanti as f64 / ritmo)
        ))
    }

    /// Says a phase, in the bar's place on a terminal, as a line in a log of
    /// a large build.
    fn annuncia(&self, testo: &str) {
        match &self.barra {
            Some(b) => {
                b.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {msg}")
                        .expect("modello di avanzamento valido"),
                );
                b.set_message(testo.to_string());
                b.enable_steady_tick(Duration::from_millis(120));
            }
            None if self.totale.load(Ordering::Relaxed) >= PICCOLA => eprintln!("{testo}"),
            None => {}
        }
    }

    /// Clears the bar, so the summary starts on a clean line.
    pub(super) fn chiudi(&self) {
        if let Some(b) = &self.barra {
            b.finish_and_clear();
        }
    }
}

impl Osservatore for Avanzamento {
    fn documenti(&self, fatti: usize, totale: usize) {
        self.totale.store(totale, Ordering::Relaxed);
        match &self.barra {
            Some(b) => {
                b.set_length(totale as u64);
                b.set_position(fatti as u64);
                if let Some(s) = self.stima(fatti) {
                    b.set_message(s);
                }
            }
            None => {
                let decimo = fatti * 10 / totale.max(1);
                if totale >= PICCOLA
                    && self.ultimo_decimo.fetch_max(decimo, Ordering::Relaxed) < decimo
                {
                    let stima = self
                        .stima(fatti)
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default();
                    eprintln!("documenti: {fatti}/{totale}{stima}");
                }
            }
        }
    }

    fn pronti(&self, n: usize) {
        // Found ready, not rendered: out of the rate and of what is left.
        if let Ok(mut g) = self.generazione.lock() {
            if let Some(g) = g.as_mut() {
                g.base += n;
                g.da_generare = g.da_generare.saturating_sub(n);
            }
        }
    }

    fn fase(&self, fase: Fase) {
        match fase {
            Fase::Generazione { documenti } => {
                if let Ok(mut g) = self.generazione.lock() {
                    *g = Some(Generazione {
                        inizio: Instant::now(),
                        base: 0,
                        da_generare: documenti,
                    });
                }
                self.totale.store(documenti, Ordering::Relaxed);
                if self.barra.is_none() && documenti >= PICCOLA {
                    eprintln!(
                        "generazione: {}, corso per corso",
                        conta(documenti, "documento", "documenti")
                    );
                }
            }
            Fase::Archiviazione => {
                self.annuncia("archiviazione: pubblicazione dei documenti, bag e versioni OCFL…")
            }
            Fase::Registrazione => {
                self.annuncia("registro: impronte dei documenti e conferma dei numeri…")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log-mode progress whose rendering started `secondi` ago, with
    /// `pronti` documents kept and `da_generare` to render.
    fn avviata(secondi: u64, pronti: usize, da_generare: usize) -> Avanzamento {
        let a = Avanzamento {
            barra: None,
            ultimo_decimo: AtomicUsize::new(0),
            totale: AtomicUsize::new(0),
            generazione: Mutex::new(None),
        };
        *a.generazione.lock().unwrap() = Some(Generazione {
            inizio: Instant::now() - Duration::from_secs(secondi),
            base: pronti,
            da_generare,
        });
        a
    }

    #[test]
    fn la_stima_conta_solo_i_documenti_generati() {
        // 900 kept at once, then 50 of 100 rendered in 10 s: 5 per second,
        // 50 left, 10 s; not 950 in 10 s.
        let a = avviata(10, 900, 100);
        assert_eq!(a.stima(950).unwrap(), "5,0 documenti/s, mancano circa 10 s");
        let a = avviata(60, 0, 10_000);
        assert_eq!(
            a.stima(3_000).unwrap(),
            "50 documenti/s, mancano circa 2 min 20 s"
        );
    }

    #[test]
    fn all_inizio_la_stima_non_promette_nulla() {
        let a = avviata(0, 0, 10_000);
        assert_eq!(a.stima(150).unwrap(), "stima del tempo in corso…");
        let a = avviata(30, 0, 10_000);
        assert_eq!(a.stima(2).unwrap(), "stima del tempo in corso…");
        let nessuna = Avanzamento::new();
        assert!(nessuna.stima(10).is_none());
    }
}
