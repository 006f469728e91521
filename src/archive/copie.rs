//! Keeping fewer copies of each document on disk, never at the expense of
//! the archive's fixity.
//!
//! A build keeps each PDF three times: published in the output folder (what
//! the office opens and sends), inside the course's bag zip under `bags/`
//! (the package an archivist takes away, ready to hand over), and in the
//! OCFL storage root (the archive, whose versions are never rewritten).
//! Two ways to spend less:
//!
//! - **Copy-on-write clones.** Where the file system supports them (Btrfs,
//!   XFS, APFS-like reflinks on Linux via `FICLONE`), the OCFL copy of a
//!   document is a clone of the published file: two independent files that
//!   share their blocks until one is changed, so changing the published
//!   file never changes the archive. The clone is read back and checked
//!   against the digest the archive records; a file system without clones
//!   gets a copy made in blocks, checked the same way as it is made.
//!   Automatic.
//! - **No bag zips** (`build --no-zip`): the zips under `bags/` are copies
//!   derived from the OCFL versions, which `lauream export` writes again on
//!   demand; without them the output folder holds each document twice. The
//!   storage root, with its digests, is complete either way.

use std::io::Seek;
use std::path::Path;

use super::bagit::{copia_verificando, FileSuDisco};

/// Writes at `dest` (a new file) the content of the file on disk `f`: a
/// copy-on-write clone of it when the file system can, otherwise a copy
/// made in blocks. Either way the bytes at `dest` are checked against the
/// digest and size `f` records, as they are copied or by reading the clone
/// back; a source changed since it was measured is an error, and leaves no
/// file at `dest`. Returns whether it cloned.
///
/// `dest` is created once, whatever happens: a file system without clones
/// refuses the clone on the open file, and the bytes are then copied into
/// that same file. (Creating a file is the costly part of a copy this small:
/// on ext4 each new inode is searched for, and a failed clone that removed
/// its file and created another paid that twice per document.)
pub fn copia_o_clona(dest: &Path, f: &FileSuDisco) -> std::io::Result<bool> {
    let mut d = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(dest)?;
    let esito = std::fs::File::open(&f.percorso).and_then(|sorgente| {
        if clona(&sorgente, &d).is_ok() {
            // The published file may have changed since it was measured:
            // the archive must hold the bytes it records, so the clone is
            // read back and checked.
            if copia_verificando(&d, f, &mut std::io::sink()).is_ok() {
                return Ok(true);
            }
            d.set_len(0)?;
            d.seek(std::io::SeekFrom::Start(0))?;
        }
        copia_verificando(&sorgente, f, &mut d).map(|()| false)
    });
    if esito.is_err() {
        drop(d);
        let _ = std::fs::remove_file(dest);
    }
    esito
}

/// A copy-on-write clone of the open file `da` into the open, empty file
/// `a`; on failure `a` is left as it was.
#[cfg(target_os = "linux")]
pub fn clona(da: &std::fs::File, a: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: both descriptors are open files borrowed for the whole call;
    // FICLONE reads the first and writes the second.
    let esito = unsafe { libc::ioctl(a.as_raw_fd(), libc::FICLONE, da.as_raw_fd()) };
    if esito == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Copy-on-write clones are used on Linux only; elsewhere the bytes are
/// written.
#[cfg(not(target_os = "linux"))]
pub fn clona(_da: &std::fs::File, _a: &std::fs::File) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clone_o_copia_danno_gli_stessi_byte() {
        let d = tempfile::tempdir().unwrap();
        let sorgente = d.path().join("pubblicato.pdf");
        std::fs::write(&sorgente, b"%PDF-1.7 documento").unwrap();
        let misura = super::super::disco::misura_file(&sorgente).unwrap();
        let f = FileSuDisco::misurato(sorgente.clone(), misura);
        let dest = d.path().join("archivio.pdf");
        // Cloned where the file system can, copied otherwise: the same bytes.
        copia_o_clona(&dest, &f).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"%PDF-1.7 documento");
        // Changing the published file never changes the archive's copy.
        std::fs::write(&sorgente, b"%PDF-1.7 modificato").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"%PDF-1.7 documento");
        // A source that changed since it was measured is not trusted, and
        // leaves nothing behind.
        let altro = d.path().join("archivio2.pdf");
        let e = copia_o_clona(&altro, &f).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        assert!(!altro.exists());
    }
}
