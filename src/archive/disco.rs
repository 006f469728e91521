//! The output directory on disk: its layout (the index, the bags, the OCFL
//! storage root, the prefixes a build gives its temporary names) and the
//! primitives that write it safely. Every other module asks here where
//! things are, so a layout change is made in one place.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

/// Name of the index file in the output directory.
pub const INDICE: &str = "index.json";
/// Prefix of staging directories; a leftover one is from an interrupted build.
pub const PREFISSO_STAGING: &str = ".lauream-staging-";
/// Prefix of temporary files and folders of atomic writes.
pub const PREFISSO_TEMPORANEO: &str = ".lauream-tmp-";

/// The hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hex SHA-256 of a file, read as a stream.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// A file's size and digests, measured in one pass over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misura {
    /// Its size in bytes.
    pub ottetti: u64,
    /// Hex SHA-256 (the index's, BagIt's first manifest).
    pub sha256: String,
    /// Hex SHA-512 (OCFL's, BagIt's second manifest).
    pub sha512: String,
}

/// Size, SHA-256 and SHA-512 of a file, read once as a stream.
pub fn misura_file(path: &Path) -> std::io::Result<Misura> {
    let f = std::fs::File::open(path)?;
    let mut h = DueImpronte(Sha256::new(), sha2::Sha512::new());
    let ottetti = copia_a_blocchi(f, &mut h)?;
    let DueImpronte(h256, h512) = h;
    Ok(Misura {
        ottetti,
        sha256: hex::encode(h256.finalize()),
        sha512: hex::encode(h512.finalize()),
    })
}

/// A sink that feeds both digests of [`misura_file`].
struct DueImpronte(Sha256, sha2::Sha512);

impl Write for DueImpronte {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        self.1.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Flushes to disk the files written so far: on Linux one `syncfs` of the
/// file system holding `dir`, elsewhere an fsync of each file. One call for a
/// whole batch instead of an fsync per document, which on ordinary disks
/// costs more than rendering the document.
pub fn sincronizza<P: AsRef<Path>>(
    dir: &Path,
    file: impl IntoIterator<Item = P>,
) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let _ = file;
        let d = std::fs::File::open(dir)?;
        // SAFETY: the descriptor is open for the whole call.
        if unsafe { libc::syncfs(d.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        for f in file {
            std::fs::File::open(f.as_ref())?.sync_all()?;
        }
        Ok(())
    }
}

/// Writes a file atomically: a temporary file in the same directory, flushed
/// to disk, then renamed over the target.
pub fn scrivi_atomico(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    scrivi_atomico_da(path, |f| f.write_all(bytes))
}

/// [`scrivi_atomico`] for content written as a stream: `scrivi` writes the
/// file's bytes into the temporary file (which it may also seek in), so the
/// content never needs to be whole in memory.
pub fn scrivi_atomico_da(
    path: &Path,
    scrivi: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = temporaneo_accanto(path)?;
    scrivi(tmp.as_file_mut())?;
    pubblica_temporaneo(tmp, path)
}

/// What [`scrivi_nuovo_da`] found at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scrittura {
    /// The file was absent (or unreadable) and has been written.
    Scritto,
    /// The file already held exactly these bytes and was left alone.
    GiaUguale,
    /// The file holds other bytes: it was left alone and nothing written.
    Diverso,
}

/// Writes a file that must not change once written (a bag zip): the
/// content goes as a stream into a temporary file beside the target; an
/// existing target with the same bytes is kept (and the temporary file
/// dropped), one with other bytes is never replaced, and an absent one
/// receives the temporary file by an atomic rename, flushed to disk first.
pub fn scrivi_nuovo_da(
    path: &Path,
    scrivi: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<Scrittura> {
    let mut tmp = temporaneo_accanto(path)?;
    scrivi(tmp.as_file_mut())?;
    let esistente = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(_) => {
            pubblica_temporaneo(tmp, path)?;
            return Ok(Scrittura::Scritto);
        }
    };
    let scritto = tmp.reopen()?;
    Ok(if stessi_byte(esistente, scritto)? {
        Scrittura::GiaUguale
    } else {
        Scrittura::Diverso
    })
}

/// Whether two readers yield the same bytes, compared a block at a time.
pub fn stessi_byte(a: impl std::io::Read, b: impl std::io::Read) -> std::io::Result<bool> {
    use std::io::BufRead;
    let mut a = std::io::BufReader::with_capacity(BLOCCO, a);
    let mut b = std::io::BufReader::with_capacity(BLOCCO, b);
    loop {
        let (da, db) = (a.fill_buf()?, b.fill_buf()?);
        if da.is_empty() || db.is_empty() {
            return Ok(da.is_empty() && db.is_empty());
        }
        let n = da.len().min(db.len());
        if da[..n] != db[..n] {
            return Ok(false);
        }
        a.consume(n);
        b.consume(n);
    }
}

/// A writer that compares what is written to it with the bytes of a
/// reader (a file in place), keeping neither: content about to be written
/// can be found equal to the existing file without being built in memory.
/// A write that departs from the file fails, which stops the writer early.
pub struct Confronto<R: std::io::Read> {
    r: std::io::BufReader<R>,
    diverso: bool,
}

impl<R: std::io::Read> Confronto<R> {
    /// Compares with what `r` reads.
    pub fn new(r: R) -> Self {
        Confronto {
            r: std::io::BufReader::with_capacity(BLOCCO, r),
            diverso: false,
        }
    }

    /// Whether everything written equals the reader's bytes, to the end.
    pub fn uguale(mut self) -> std::io::Result<bool> {
        use std::io::BufRead;
        Ok(!self.diverso && self.r.fill_buf()?.is_empty())
    }
}

impl<R: std::io::Read> Write for Confronto<R> {
    fn write(&mut self, mut buf: &[u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        let n = buf.len();
        while !buf.is_empty() && !self.diverso {
            let letti = self.r.fill_buf()?;
            let k = letti.len().min(buf.len());
            if k == 0 || letti[..k] != buf[..k] {
                self.diverso = true;
                break;
            }
            self.r.consume(k);
            buf = &buf[k..];
        }
        if self.diverso {
            return Err(std::io::Error::other(
                "contenuto diverso dal file esistente",
            ));
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of the blocks files are read and written in when streamed:
/// large enough for few system calls, small enough that a build holds a
/// handful of them at once whatever the size of the files.
pub const BLOCCO: usize = 256 * 1024;

thread_local! {
    /// Each thread's block for reading files, allocated once (see
    /// [`con_blocco`]).
    static BLOCCO_DEL_THREAD: std::cell::RefCell<Box<[u8]>> =
        std::cell::RefCell::new(vec![0u8; BLOCCO].into_boxed_slice());
}

/// Runs `f` with this thread's block of [`BLOCCO`] bytes for reading a file.
///
/// Why not a new buffer per file: archiving reads each document three
/// times (its digests, the OCFL copy, the zip), and a fresh zeroed block
/// each time is 768 KiB allocated and cleared per document, in between
/// the small pieces of the bag that live until the bag is done.
///
/// `f` must not call `con_blocco` again (the block is already lent).
pub fn con_blocco<T>(f: impl FnOnce(&mut [u8]) -> T) -> T {
    BLOCCO_DEL_THREAD.with(|b| f(&mut b.borrow_mut()))
}

/// Reads `r` to its end a block at a time into `w`, through this thread's
/// block ([`con_blocco`]). Returns the bytes copied.
pub fn copia_a_blocchi(mut r: impl std::io::Read, w: &mut impl Write) -> std::io::Result<u64> {
    con_blocco(|blocco| {
        let mut ottetti = 0u64;
        loop {
            let n = match r.read(blocco) {
                Ok(0) => return Ok(ottetti),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            w.write_all(&blocco[..n])?;
            ottetti += n as u64;
        }
    })
}

/// A temporary file beside `path` (same directory, so the final move is a
/// rename), named with [`PREFISSO_TEMPORANEO`] so that an interrupted build
/// leaves a name the next one removes.
fn temporaneo_accanto(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    tempfile::Builder::new()
        .prefix(PREFISSO_TEMPORANEO)
        .tempfile_in(dir)
}

/// Makes a written temporary file the target: readable like any output,
/// flushed to disk, renamed over `path`.
fn pubblica_temporaneo(tmp: tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
    // Temporary files are private; what we publish is readable like any other output.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The OCFL storage root inside the output directory.
pub const CARTELLA_OCFL: &str = "ocfl";
/// Where the bags' zips are kept inside the output directory.
pub const CARTELLA_BAG: &str = "bags";

/// The lock file a writer (build, revoke) holds in the output directory and
/// beside the registry: one writer at a time.
pub const FILE_LUCCHETTO: &str = "lauream.lock";
/// The public verification site a build writes, `OUT/verifica/`.
pub const CARTELLA_SITO: &str = "verifica";
/// The site's salt and derived keys, kept beside it and never published.
pub const FILE_RISERVATO_SITO: &str = "verifica-riservato.txt";

/// Prefix shared by every temporary name a build creates (staging folders,
/// temporary files, unfinished OCFL versions): whatever starts with it and
/// is still there when no build runs was left by an interrupted one.
pub const PREFISSO_RESTI: &str = ".lauream-";

/// Whether a file or folder name is one a build leaves only when it is
/// interrupted.
pub fn resto_di_build(nome: &str) -> bool {
    nome.starts_with(PREFISSO_RESTI)
}

/// The bag zip of an archive object's version, relative to the output
/// directory: `bags/<object>-<version>.zip`.
pub fn bag_zip(oggetto: &str, versione: &str) -> String {
    format!("{CARTELLA_BAG}/{oggetto}-{versione}.zip")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_noto() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn scrittura_atomica_sostituisce() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a/b.txt");
        scrivi_atomico(&p, b"uno").unwrap();
        scrivi_atomico(&p, b"due").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"due");
        let resti: Vec<_> = std::fs::read_dir(d.path().join("a")).unwrap().collect();
        assert_eq!(resti.len(), 1, "nessun file temporaneo rimasto");
    }

    /// The clean-up after an interrupted build finds every temporary name
    /// by the common prefix.
    #[test]
    fn ogni_nome_temporaneo_e_un_resto() {
        for p in [PREFISSO_STAGING, PREFISSO_TEMPORANEO] {
            assert!(resto_di_build(&format!("{p}x")), "{p}");
        }
        assert!(!resto_di_build("index.json"));
        assert_eq!(bag_zip("a-2025", "v2"), "bags/a-2025-v2.zip");
    }
}
