//! One writer at a time: `build` and `revoke` hold an exclusive advisory
//! lock on the output directory and on the registry's directory, so that two
//! people running a build at once cannot interleave numbers, documents and
//! archive versions. Readers (`verify`, `verify-doc`, `lookup`, `registry
//! list`) take no lock and keep working while a build runs.
//!
//! The lock is the operating system's (`flock` on Unix, `LockFileEx` on
//! Windows, through [`std::fs::File::try_lock`]) on a file `lauream.lock`:
//! the system releases it when the process ends, however it ends, so a
//! killed build never leaves a stale lock. While held, the file says who
//! holds it (process id, command, since when), for the message of whoever
//! finds it taken; it is emptied on release.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// Name of the lock file in the output directory and in the registry's.
pub const FILE_LUCCHETTO: &str = crate::archive::disco::FILE_LUCCHETTO;

/// Called once, with the lock file and who holds it, before waiting for it.
pub type Attesa<'a> = &'a dyn Fn(&Path, Option<&Occupante>);

/// Who holds a lock, as its file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupante {
    /// The holder's process id.
    pub pid: u32,
    /// The command holding it (`build`, `revoke`).
    pub comando: String,
    /// Since when, UTC (`2026-05-04 10:22:03 UTC`).
    pub dal: String,
}

impl std::fmt::Display for Occupante {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "lauream {} (pid {}, dal {})",
            self.comando, self.pid, self.dal
        )
    }
}

/// Another writer holds the lock, and the caller did not ask to wait.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: è in corso un'altra scrittura: {}; riprovare quando è terminata, o usare --wait per attenderla",
    .file.display(),
    .occupante.as_ref().map_or_else(|| "chi la esegue non è ancora noto".to_string(), |o| o.to_string())
)]
pub struct Occupato {
    /// The lock file.
    pub file: PathBuf,
    /// Who holds it, when its file says so.
    pub occupante: Option<Occupante>,
}

/// The lock files a build takes: the output directory's and the registry
/// directory's (the same file when the registry is in the output directory).
pub fn file_per_build(out: &Path, registro: &Path) -> Vec<PathBuf> {
    vec![out.join(FILE_LUCCHETTO), file_per_registro(registro)]
}

/// The lock file of a registry: in its directory.
pub fn file_per_registro(registro: &Path) -> PathBuf {
    registro
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(FILE_LUCCHETTO)
}

/// Exclusive locks, held until dropped.
#[derive(Debug)]
pub struct Lucchetto {
    presi: Vec<Preso>,
}

/// One lock held: its open file, where it is, and the directories taking it
/// created (deepest first), to be removed again if nothing else was put
/// there: a build that writes nothing leaves nothing, not even the lock.
#[derive(Debug)]
struct Preso {
    file: File,
    percorso: PathBuf,
    creati: Vec<PathBuf>,
}

impl Lucchetto {
    /// Takes every lock in `file` for `comando`. Taken by another process:
    /// without `attesa`, fails at once with [`Occupato`] (who holds it and
    /// since when); with it, calls `attesa` with who holds it and waits.
    /// Files are taken in a fixed order, so two writers that need the same
    /// two locks cannot wait for each other.
    pub fn prendi(
        file: &[PathBuf],
        comando: &str,
        attesa: Option<Attesa>,
    ) -> anyhow::Result<Lucchetto> {
        // (canonical path, path as given, directories created): the same
        // file named two ways is one lock, since locking it twice from one
        // process would wait for itself; messages name it as the user did.
        let mut percorsi: Vec<(PathBuf, &Path, Vec<PathBuf>)> = Vec::new();
        for f in file {
            let dir = f.parent().unwrap_or(Path::new("."));
            let creati = crea_cartelle(dir)?;
            let dir = dir
                .canonicalize()
                .with_context(|| dir.display().to_string())?;
            percorsi.push((dir.join(f.file_name().unwrap_or_default()), f, creati));
        }
        // A stable sort keeps first the name that created the directories.
        percorsi.sort_by(|a, b| a.0.cmp(&b.0));
        percorsi.dedup_by(|a, b| a.0 == b.0);
        let mut lucchetto = Lucchetto { presi: Vec::new() };
        for (p, come_dato, creati) in percorsi.iter_mut() {
            let file = prendi_uno(p, come_dato, attesa, creati)?;
            lucchetto.presi.push(Preso {
                file,
                percorso: p.clone(),
                creati: std::mem::take(creati),
            });
        }
        let io = Occupante {
            pid: std::process::id(),
            comando: comando.to_string(),
            dal: adesso(),
        };
        let riga = serde_json::to_string(&io)? + "\n";
        for (preso, (_, p, _)) in lucchetto.presi.iter_mut().zip(&percorsi) {
            scrivi_occupante(&mut preso.file, &riga).with_context(|| p.display().to_string())?;
        }
        Ok(lucchetto)
    }
}

impl Drop for Lucchetto {
    fn drop(&mut self) {
        for preso in self.presi.iter().rev() {
            // Emptied before the system releases it: a lock file that names
            // a process is always one held now (or by a process that was
            // killed), and two builds leave the same bytes behind.
            let _ = preso.file.set_len(0);
            // Alone in its directory, the command wrote nothing there: the
            // file goes, while still locked (a writer waiting on it then
            // finds it gone and takes a new one), and so do the directories
            // taking it created.
            let dir = preso.percorso.parent().unwrap_or(Path::new("."));
            let solo = std::fs::read_dir(dir).is_ok_and(|r| r.count() == 1);
            if solo && std::fs::remove_file(&preso.percorso).is_ok() {
                for d in &preso.creati {
                    if std::fs::remove_dir(d).is_err() {
                        break;
                    }
                }
            }
        }
    }
}

/// Creates a directory and its missing parents; returns those it created,
/// deepest first.
fn crea_cartelle(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mancanti: Vec<&Path> = dir.ancestors().take_while(|d| !d.exists()).collect();
    std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
    Ok(mancanti
        .iter()
        .filter_map(|d| d.canonicalize().ok())
        .collect())
}

/// Opens and locks one file (`p` canonical, `nome` as given, for
/// messages). A file its last holder removed while we waited on it is no
/// lock any more: then the file now at that path is taken instead, in
/// directories made again if they went with it (added to `creati`).
fn prendi_uno(
    p: &Path,
    nome: &Path,
    attesa: Option<Attesa>,
    creati: &mut Vec<PathBuf>,
) -> anyhow::Result<File> {
    loop {
        if let Some(dir) = p.parent().filter(|d| !d.exists()) {
            let nuovi = crea_cartelle(dir)?;
            creati.retain(|c| !nuovi.contains(c));
            creati.splice(0..0, nuovi);
        }
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(p)
            .with_context(|| nome.display().to_string())?;
        match f.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let occupante = leggi_occupante(p);
                let Some(avvisa) = attesa else {
                    return Err(Occupato {
                        file: nome.to_path_buf(),
                        occupante,
                    }
                    .into());
                };
                avvisa(nome, occupante.as_ref());
                f.lock().with_context(|| nome.display().to_string())?;
            }
            Err(TryLockError::Error(e)) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("{}: blocco esclusivo non riuscito", nome.display())))
            }
        }
        if stesso_file(&f, p) {
            return Ok(f);
        }
    }
}

/// Whether the open file is still the one at `p`.
#[cfg(unix)]
fn stesso_file(f: &File, p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), std::fs::metadata(p)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere an open file cannot be removed: it is always the one there.
#[cfg(not(unix))]
fn stesso_file(_: &File, _: &Path) -> bool {
    true
}

/// Who holds a lock file, as it says; `None` when it is empty (its holder
/// has not written yet) or unreadable.
pub fn leggi_occupante(p: &Path) -> Option<Occupante> {
    let mut testo = String::new();
    File::open(p).ok()?.read_to_string(&mut testo).ok()?;
    serde_json::from_str(testo.trim()).ok()
}

/// Who is writing the directory now, if anyone: its lock file names a
/// holder and the lock is taken. For readers that want to say so (`verify`
/// does not count a running build's temporary files as left over); they
/// never wait for it.
pub fn scrittore_attivo(dir: &Path) -> Option<Occupante> {
    let p = dir.join(FILE_LUCCHETTO);
    // Only a file naming a holder is probed: an idle directory is never
    // locked, even for an instant, by a reader.
    let occupante = leggi_occupante(&p)?;
    let f = File::open(&p).ok()?;
    match f.try_lock_shared() {
        Err(TryLockError::WouldBlock) => Some(occupante),
        _ => None,
    }
}

fn scrivi_occupante(f: &mut File, riga: &str) -> std::io::Result<()> {
    f.set_len(0)?;
    f.rewind()?;
    f.write_all(riga.as_bytes())?;
    f.flush()
}

/// The time now, UTC, to the second, as the lock's message shows it.
fn adesso() -> String {
    crate::registry::ora_utc("%Y-%m-%d %H:%M:%S UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_secondo_scrittore_sa_chi_tiene_il_lucchetto() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let file = file_per_build(&out, &out.join("registro.sqlite"));
        let primo = Lucchetto::prendi(&file, "build", None).unwrap();
        let occupante = leggi_occupante(&out.join(FILE_LUCCHETTO)).unwrap();
        assert_eq!(occupante.pid, std::process::id());
        assert_eq!(occupante.comando, "build");
        // A second lock from this process on the same file is refused too
        // (flock locks belong to the open file, not to the process).
        let e = Lucchetto::prendi(&file, "revoke", None).unwrap_err();
        let testo = format!("{e:#}");
        assert!(
            testo.contains(&format!("pid {}", std::process::id())),
            "{testo}"
        );
        assert!(testo.contains("--wait"), "{testo}");
        assert_eq!(
            scrittore_attivo(&out).map(|o| o.pid),
            Some(std::process::id())
        );
        drop(primo);
        assert_eq!(scrittore_attivo(&out), None);
        // Nothing else was written: the lock and the directory it created go.
        assert!(!out.exists());
        // Released and emptied where something else was written.
        let l = Lucchetto::prendi(&file, "revoke", None).unwrap();
        std::fs::write(out.join("index.json"), "{}").unwrap();
        drop(l);
        assert_eq!(std::fs::read(out.join(FILE_LUCCHETTO)).unwrap(), b"");
        drop(Lucchetto::prendi(&file, "build", None).unwrap());
        assert!(out.join(FILE_LUCCHETTO).exists());
    }

    #[test]
    fn chi_attende_un_lucchetto_rimosso_prende_quello_nuovo() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("a/b");
        let file = vec![out.join(FILE_LUCCHETTO)];
        let primo = Lucchetto::prendi(&file, "build", None).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let f2 = file.clone();
        let secondo = std::thread::spawn(move || {
            let avvisa = |_: &Path, _: Option<&Occupante>| tx.send(()).unwrap();
            Lucchetto::prendi(&f2, "build", Some(&avvisa)).unwrap()
        });
        rx.recv().unwrap();
        // The first writes nothing: its release removes the file and the
        // directories; the waiter must lock a file that exists.
        drop(primo);
        let secondo = secondo.join().unwrap();
        assert!(out.join(FILE_LUCCHETTO).is_file());
        assert_eq!(
            leggi_occupante(&out.join(FILE_LUCCHETTO)).map(|o| o.pid),
            Some(std::process::id())
        );
        // A third writer now finds it taken.
        assert!(Lucchetto::prendi(&file, "build", None).is_err());
        drop(secondo);
    }

    #[test]
    fn registro_altrove_due_lucchetti() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let condiviso = d.path().join("condiviso/reg.sqlite");
        let l = Lucchetto::prendi(&file_per_build(&out, &condiviso), "build", None).unwrap();
        // A revocation on the shared registry waits for the build.
        assert!(Lucchetto::prendi(&[file_per_registro(&condiviso)], "revoke", None).is_err());
        drop(l);
        assert!(Lucchetto::prendi(&[file_per_registro(&condiviso)], "revoke", None).is_ok());
    }
}
