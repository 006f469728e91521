//! BagIt 1.0 bags (RFC 8493): composing them, serializing them as
//! reproducible zips, unpacking zips safely, and checking a bag's integrity.
//!
//! A bag is described as a list of files (path inside the bag, content).
//! The same list always gives the same zip: entries sorted, fixed
//! timestamps and permissions, so that a bag built twice is byte-identical.
//! A document's content is its file on disk ([`Contenuto::File`]), read as
//! a stream when the zip is written: neither a document nor a zip is ever
//! whole in memory, whatever the size of the course.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256, Sha512};

use super::disco::{self, Misura, Scrittura, BLOCCO};

/// One file of a bag: its path inside the bag (with `/`) and its content.
pub type FileBag = (String, Contenuto);

/// Where the bytes of a bag's file are.
#[derive(Debug, Clone)]
pub enum Contenuto {
    /// In memory: tag files and metadata, a few kilobytes each.
    Byte(Vec<u8>),
    /// A file on disk (a document), read as a stream each time its bytes
    /// are needed.
    File(FileSuDisco),
}

/// A file on disk that is part of a bag, with what is known of its bytes:
/// the digests are checked again while the file is copied into a zip or an
/// archive, so that a file changed in the meantime is never packed under
/// the digests of another.
#[derive(Debug, Clone)]
pub struct FileSuDisco {
    /// Where the file is.
    pub percorso: PathBuf,
    /// Its size in bytes.
    pub ottetti: u64,
    /// Its hex SHA-256, when known.
    pub sha256: Option<String>,
    /// Its hex SHA-512, when known.
    pub sha512: Option<String>,
}

impl FileSuDisco {
    /// A file measured by [`disco::misura_file`]: both digests known.
    pub fn misurato(percorso: PathBuf, m: Misura) -> Self {
        FileSuDisco {
            percorso,
            ottetti: m.ottetti,
            sha256: Some(m.sha256),
            sha512: Some(m.sha512),
        }
    }
}

impl From<Vec<u8>> for Contenuto {
    fn from(b: Vec<u8>) -> Self {
        Contenuto::Byte(b)
    }
}

impl Contenuto {
    /// The size in bytes.
    pub fn ottetti(&self) -> u64 {
        match self {
            Contenuto::Byte(b) => b.len() as u64,
            Contenuto::File(f) => f.ottetti,
        }
    }

    /// The hex SHA-256 of the bytes (a file whose digest is not known is
    /// read for it, as a stream).
    pub fn sha256(&self) -> std::io::Result<String> {
        match self {
            Contenuto::Byte(b) => Ok(hex256(b)),
            Contenuto::File(FileSuDisco {
                sha256: Some(h), ..
            }) => Ok(h.clone()),
            Contenuto::File(f) => disco::sha256_file(&f.percorso),
        }
    }

    /// The hex SHA-512 of the bytes, like [`Contenuto::sha256`].
    pub fn sha512(&self) -> std::io::Result<String> {
        match self {
            Contenuto::Byte(b) => Ok(hex512(b)),
            Contenuto::File(FileSuDisco {
                sha512: Some(h), ..
            }) => Ok(h.clone()),
            Contenuto::File(f) => sha512_file(&f.percorso),
        }
    }
}

/// The hex SHA-512 of a file, read as a stream.
pub fn sha512_file(path: &Path) -> std::io::Result<String> {
    let mut h = Sha512::new();
    disco::copia_a_blocchi(std::fs::File::open(path)?, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// The values of the `bag-info.txt` fields lauream writes (RFC 8493 §2.2.2);
/// the payload's size fields (`Payload-Oxum`, `Bag-Size`) are computed.
/// Line breaks in the values are written as spaces, since a field is one line.
pub struct InfoBag {
    /// `Source-Organization`: the university's name.
    pub organizzazione: String,
    /// `Bagging-Date`: `YYYY-MM-DD`, from the data (the latest document
    /// date), never the clock, so that the same data gives the same bag.
    pub data: String,
    /// `External-Identifier`: what the bag holds, as an archivist reads it
    /// (university, academic year, course).
    pub identificativo_esterno: String,
    /// `External-Description`: one sentence on the bag's content.
    pub descrizione: String,
}

/// Hex SHA-256: the digests in `manifest-sha256.txt` and `tagmanifest-sha256.txt`.
fn hex256(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// Hex SHA-512, the digest of `manifest-sha512.txt`.
fn hex512(b: &[u8]) -> String {
    hex::encode(Sha512::digest(b))
}

/// "1.2 MB", as bag-info's Bag-Size suggests.
fn dimensione(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / (1u64 << 10) as f64),
        n => format!("{n} bytes"),
    }
}

/// Paths in manifests: `%`, CR and LF percent-encoded (RFC 8493 §2.1.3).
fn codifica(p: &str) -> String {
    p.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The inverse of [`codifica`], accepting either case of the hex digits.
fn decodifica(p: &str) -> String {
    p.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%0d", "\r")
        .replace("%0a", "\n")
        .replace("%25", "%")
}

/// Every file of a bag whose payload is `payload` (paths relative to
/// `data/`). The payload's files on disk are not read when their digests
/// are known.
pub fn componi(info: &InfoBag, payload: Vec<FileBag>) -> std::io::Result<Vec<FileBag>> {
    let mut payload: Vec<FileBag> = payload
        .into_iter()
        .map(|(p, b)| (format!("data/{p}"), b))
        .collect();
    payload.sort_by(|a, b| a.0.cmp(&b.0));
    let ottetti: u64 = payload.iter().map(|(_, b)| b.ottetti()).sum();
    let (mut m256, mut m512) = (String::new(), String::new());
    for (p, b) in &payload {
        m256.push_str(&format!("{}  {}\n", b.sha256()?, codifica(p)));
        m512.push_str(&format!("{}  {}\n", b.sha512()?, codifica(p)));
    }
    let bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_string();
    let bag_info = format!(
        "Source-Organization: {}\nBagging-Date: {}\nExternal-Identifier: {}\nExternal-Description: {}\nPayload-Oxum: {ottetti}.{}\nBag-Size: {}\nBag-Software-Agent: lauream {}\n",
        una_riga(&info.organizzazione),
        info.data,
        una_riga(&info.identificativo_esterno),
        una_riga(&info.descrizione),
        payload.len(),
        dimensione(ottetti),
        env!("CARGO_PKG_VERSION"),
    );
    let tag: Vec<(String, Vec<u8>)> = vec![
        ("bag-info.txt".into(), bag_info.into_bytes()),
        ("bagit.txt".into(), bagit.into_bytes()),
        ("manifest-sha256.txt".into(), m256.into_bytes()),
        ("manifest-sha512.txt".into(), m512.into_bytes()),
    ];
    let tagmanifest: String = tag
        .iter()
        .map(|(p, b)| format!("{}  {p}\n", hex256(b)))
        .collect();
    let mut tutti: Vec<FileBag> = tag
        .into_iter()
        .map(|(p, b)| (p, Contenuto::Byte(b)))
        .collect();
    tutti.push((
        "tagmanifest-sha256.txt".into(),
        Contenuto::Byte(tagmanifest.into_bytes()),
    ));
    tutti.extend(payload);
    tutti.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(tutti)
}

/// A bag-info value on one line: a line break would start a new field.
fn una_riga(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// Whether bytes beginning so are compressed inside already (a PDF, a zip):
/// deflating them again costs CPU on every document and saves almost nothing.
fn gia_compresso(inizio: &[u8]) -> bool {
    inizio.starts_with(b"%PDF") || inizio.starts_with(b"PK\x03\x04")
}

/// Entries smaller than this are stored, not deflated. Deflating a
/// document's metadata (a kilobyte of JSON) saves a few hundred bytes in a
/// bag of megabytes, and costs a compressor's state each time (a few
/// hundred KiB, allocated and cleared per entry): over a course's
/// documents that churn fragmented the heap. At N = 25,000 the zips took
/// a year's build from a peak of 151 MiB (without zips) to 176 MiB;
/// storing the small entries brought it to 164 MiB.
/// The manifests and larger files are still deflated.
pub const PICCOLO: u64 = 16 * 1024;

/// Whether an entry of this size, beginning so, is stored as it is.
fn da_non_comprimere(ottetti: u64, inizio: &[u8]) -> bool {
    ottetti < PICCOLO || gia_compresso(inizio)
}

/// Writes a reproducible zip into `w`: one top-level folder, entries
/// sorted, fixed timestamp (1980-01-01) and permissions. Each file on disk
/// is copied in blocks and checked against its digest (and size) as it is
/// copied; one that no longer matches is an error.
pub fn zip_in<W: Write + Seek>(cartella: &str, files: &[FileBag], w: W) -> std::io::Result<W> {
    let mut z = zip::ZipWriter::new(w);
    let opzioni = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let gia_compressi = opzioni.compression_method(zip::CompressionMethod::Stored);
    let mut ordinati: Vec<&FileBag> = files.iter().collect();
    ordinati.sort_by(|a, b| a.0.cmp(&b.0));
    for (p, c) in ordinati {
        let nome = format!("{cartella}/{p}");
        match c {
            Contenuto::Byte(b) => {
                let o = if da_non_comprimere(b.len() as u64, b) {
                    gia_compressi
                } else {
                    opzioni
                };
                z.start_file(nome, o).map_err(std::io::Error::other)?;
                z.write_all(b)?;
            }
            Contenuto::File(f) => {
                let mut file =
                    std::fs::File::open(&f.percorso).map_err(|e| errore_file(&f.percorso, e))?;
                let mut inizio = Vec::with_capacity(4);
                (&mut file).take(4).read_to_end(&mut inizio)?;
                file.rewind()?;
                let o = if da_non_comprimere(f.ottetti, &inizio) {
                    gia_compressi
                } else {
                    opzioni
                };
                z.start_file(nome, o).map_err(std::io::Error::other)?;
                copia_verificando(file, f, &mut z)?;
            }
        }
    }
    z.finish().map_err(std::io::Error::other)
}

/// An I/O error naming the file it happened on.
fn errore_file(p: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", p.display()))
}

/// Copies a file on disk into `w` in blocks (through the thread's block,
/// [`disco::copia_a_blocchi`]), hashing what passes: the bytes copied must be the
/// ones `f` records (its SHA-256 when known, else its SHA-512, and its size).
pub fn copia_verificando(
    file: impl std::io::Read,
    f: &FileSuDisco,
    w: &mut impl Write,
) -> std::io::Result<()> {
    let mut scrittore = Impronta {
        dentro: w,
        h: match (&f.sha256, &f.sha512) {
            (Some(_), _) => Hasher::S256(Sha256::new()),
            (None, Some(_)) => Hasher::S512(Box::new(Sha512::new())),
            (None, None) => Hasher::Nessuno,
        },
        ottetti: 0,
    };
    disco::copia_a_blocchi(file, &mut scrittore)?;
    let uguale = scrittore.ottetti == f.ottetti
        && match scrittore.h {
            Hasher::S256(h) => Some(hex::encode(h.finalize())) == f.sha256,
            Hasher::S512(h) => Some(hex::encode(h.finalize())) == f.sha512,
            Hasher::Nessuno => true,
        };
    if uguale {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{}: il file è cambiato mentre veniva archiviato (impronta o dimensione diverse da quelle lette prima)",
                f.percorso.display()
            ),
        ))
    }
}

/// The digest a copy is checked with.
enum Hasher {
    S256(Sha256),
    S512(Box<Sha512>),
    Nessuno,
}

/// A writer that hashes and counts what it passes on.
struct Impronta<'a, W: Write> {
    dentro: &'a mut W,
    h: Hasher,
    ottetti: u64,
}

impl<W: Write> Write for Impronta<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.dentro.write(buf)?;
        match &mut self.h {
            Hasher::S256(h) => h.update(&buf[..n]),
            Hasher::S512(h) => h.update(&buf[..n]),
            Hasher::Nessuno => {}
        }
        self.ottetti += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.dentro.flush()
    }
}

/// Writes a bag (or any list of files) as the reproducible zip of
/// [`zip_in`] at `dest`, streamed into a temporary file beside it and
/// renamed into place (see [`disco::scrivi_nuovo_da`]): an existing `dest`
/// with the same bytes is kept, one with other bytes is left alone and
/// reported as [`Scrittura::Diverso`].
pub fn scrivi_zip(dest: &Path, cartella: &str, files: &[FileBag]) -> std::io::Result<Scrittura> {
    disco::scrivi_nuovo_da(dest, |f| {
        let w = std::io::BufWriter::with_capacity(BLOCCO, f);
        let mut w = zip_in(cartella, files, w)?;
        w.flush()
    })
}

/// Unpacks a zip into `dest`, refusing any entry that would land outside it
/// (zip slip: `..`, absolute paths) and symbolic links. Returns the paths written.
pub fn estrai(zip_path: &Path, dest: &Path) -> Result<Vec<PathBuf>, String> {
    let f = std::fs::File::open(zip_path).map_err(|e| format!("{}: {e}", zip_path.display()))?;
    let mut z = zip::ZipArchive::new(f)
        .map_err(|e| format!("{}: zip non leggibile: {e}", zip_path.display()))?;
    let mut scritti = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).map_err(|e| format!("voce {i}: {e}"))?;
        let nome = e.name().to_string();
        let Some(rel) = e.enclosed_name() else {
            return Err(format!("voce «{nome}»: percorso fuori dalla cartella di destinazione (zip slip), rifiutata"));
        };
        if e.is_symlink() {
            return Err(format!("voce «{nome}»: collegamento simbolico, rifiutato"));
        }
        let p = dest.join(rel);
        if e.is_dir() {
            std::fs::create_dir_all(&p).map_err(|x| x.to_string())?;
            continue;
        }
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).map_err(|x| x.to_string())?;
        }
        // Entry by entry, in blocks: a large document is never whole in memory.
        let file = std::fs::File::create(&p).map_err(|x| x.to_string())?;
        let mut file = std::io::BufWriter::with_capacity(BLOCCO, file);
        std::io::copy(&mut e, &mut file)
            .and_then(|_| file.flush())
            .map_err(|x| format!("voce «{nome}»: {x}"))?;
        scritti.push(p);
    }
    Ok(scritti)
}

/// Reads `manifest-ALG.txt`-style lines: digest → path.
fn leggi_manifest(testo: &str) -> Result<Vec<(String, String)>, String> {
    testo
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (d, p) = l
                .split_once(char::is_whitespace)
                .ok_or_else(|| format!("riga di manifest non valida: «{l}»"))?;
            Ok((d.to_lowercase(), decodifica(p.trim_start())))
        })
        .collect()
}

/// The digest of a file with a manifest's algorithm (as named in its file
/// name), read as a stream; `None` for an algorithm this program does not
/// compute. An error when the file cannot be read.
fn digest(alg: &str, p: &Path) -> std::io::Result<Option<String>> {
    let mut f = std::io::BufReader::with_capacity(BLOCCO, std::fs::File::open(p)?);
    Ok(match alg {
        "sha256" => {
            let mut h = Sha256::new();
            std::io::copy(&mut f, &mut h)?;
            Some(hex::encode(h.finalize()))
        }
        "sha512" => {
            let mut h = Sha512::new();
            std::io::copy(&mut f, &mut h)?;
            Some(hex::encode(h.finalize()))
        }
        _ => None,
    })
}

/// The integrity check of an unpacked bag: declaration, every manifest's digests,
/// completeness of the payload, tag manifests, Payload-Oxum. Returns every
/// problem found (empty when the bag is intact).
pub fn integrita_cartella(bag: &Path) -> Vec<String> {
    let mut problemi = Vec::new();
    let leggi = |n: &str| std::fs::read(bag.join(n));
    match leggi("bagit.txt") {
        Ok(b) => {
            let t = String::from_utf8_lossy(&b);
            if !t.contains("BagIt-Version:") {
                problemi.push("bagit.txt: manca BagIt-Version".into());
            }
        }
        Err(_) => {
            problemi.push(format!("{}: manca bagit.txt: non è una bag", bag.display()));
            return problemi;
        }
    }
    let mut file_payload: BTreeSet<String> = BTreeSet::new();
    for e in walkdir::WalkDir::new(bag.join("data"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(bag).unwrap_or(e.path());
            file_payload.insert(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    let mut manifests = 0;
    let mut nomi: Vec<String> = std::fs::read_dir(bag)
        .map(|r| {
            r.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    nomi.sort();
    for nome in &nomi {
        let (tag, alg) = if let Some(a) = nome
            .strip_prefix("manifest-")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            (false, a)
        } else if let Some(a) = nome
            .strip_prefix("tagmanifest-")
            .and_then(|n| n.strip_suffix(".txt"))
        {
            (true, a)
        } else {
            continue;
        };
        let testo = match leggi(nome) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                problemi.push(format!("{nome}: {e}"));
                continue;
            }
        };
        let righe = match leggi_manifest(&testo) {
            Ok(r) => r,
            Err(e) => {
                problemi.push(format!("{nome}: {e}"));
                continue;
            }
        };
        let mut elencati = BTreeSet::new();
        for (atteso, p) in righe {
            if p.contains("..") || p.starts_with('/') {
                problemi.push(format!("{nome}: percorso non ammesso «{p}»"));
                continue;
            }
            elencati.insert(p.clone());
            match digest(alg, &bag.join(&p)) {
                Ok(Some(d)) if d == atteso => {}
                Ok(Some(_)) => problemi.push(format!(
                    "{p}: contenuto modificato (il digest {alg} non corrisponde a {nome})"
                )),
                Ok(None) => problemi.push(format!("{nome}: algoritmo {alg} non supportato")),
                Err(_) => problemi.push(format!("{p}: file mancante (elencato in {nome})")),
            }
        }
        if !tag {
            manifests += 1;
            for p in file_payload.difference(&elencati) {
                problemi.push(format!("{p}: file in più, non elencato in {nome}"));
            }
        }
    }
    if manifests == 0 {
        problemi.push("nessun manifest del payload (manifest-*.txt)".into());
    }
    // Payload-Oxum: octets and file count of the payload.
    if let Ok(b) = leggi("bag-info.txt") {
        let info: BTreeMap<String, String> = String::from_utf8_lossy(&b)
            .lines()
            .filter_map(|l| {
                l.split_once(':')
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            })
            .collect();
        if let Some(oxum) = info.get("Payload-Oxum") {
            let ottetti: u64 = file_payload
                .iter()
                .filter_map(|p| std::fs::metadata(bag.join(p)).ok())
                .map(|m| m.len())
                .sum();
            let reale = format!("{ottetti}.{}", file_payload.len());
            if *oxum != reale {
                problemi.push(format!(
                    "bag-info.txt: Payload-Oxum {oxum}, ma il payload è {reale}"
                ));
            }
        }
    }
    problemi
}

/// The integrity check of a bag serialized as a zip: one top-level folder
/// named like the zip, unpacked safely into a temporary directory, then
/// checked as [`integrita_cartella`] does; every problem is prefixed with
/// the zip's path.
pub fn integrita_zip(zip_path: &Path) -> Vec<String> {
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => return vec![e.to_string()],
    };
    if let Err(e) = estrai(zip_path, tmp.path()) {
        return vec![format!("{}: {e}", zip_path.display())];
    }
    let atteso = zip_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cartelle: Vec<String> = std::fs::read_dir(tmp.path())
        .map(|r| {
            r.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    if cartelle != [atteso.clone()] {
        return vec![format!(
            "{}: il zip deve contenere solo la cartella «{atteso}», contiene {cartelle:?}",
            zip_path.display()
        )];
    }
    integrita_cartella(&tmp.path().join(&atteso))
        .into_iter()
        .map(|p| format!("{}: {p}", zip_path.display()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> InfoBag {
        InfoBag {
            organizzazione: "Università di Prova".into(),
            data: "2026-07-10".into(),
            identificativo_esterno: "prova-2025-2026-corso".into(),
            descrizione: "Corso".into(),
        }
    }

    /// The bytes of a bag file, for the tests.
    fn byte(c: &Contenuto) -> Vec<u8> {
        match c {
            Contenuto::Byte(b) => b.clone(),
            Contenuto::File(f) => std::fs::read(&f.percorso).unwrap(),
        }
    }

    #[test]
    fn bag_valida_e_zip_riproducibile() {
        let files = componi(
            &info(),
            vec![
                ("a/x.pdf".into(), b"%PDF-1".to_vec().into()),
                ("b.json".into(), b"{}".to_vec().into()),
            ],
        )
        .unwrap();
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("bag.zip");
        assert_eq!(scrivi_zip(&p, "bag", &files).unwrap(), Scrittura::Scritto);
        let z1 = std::fs::read(&p).unwrap();
        assert_eq!(scrivi_zip(&p, "bag", &files).unwrap(), Scrittura::GiaUguale);
        assert_eq!(std::fs::read(&p).unwrap(), z1);
        assert_eq!(integrita_zip(&p), Vec::<String>::new());
        let info_txt = String::from_utf8(byte(
            &files.iter().find(|f| f.0 == "bag-info.txt").unwrap().1,
        ))
        .unwrap();
        assert!(info_txt.contains("Payload-Oxum: 8.2"), "{info_txt}");
        // Other bytes under the same name are never replaced.
        let altri = componi(&info(), vec![("c.pdf".into(), b"%PDF-2".to_vec().into())]).unwrap();
        assert_eq!(scrivi_zip(&p, "bag", &altri).unwrap(), Scrittura::Diverso);
        assert_eq!(std::fs::read(&p).unwrap(), z1);
        let resti: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
        assert_eq!(resti.len(), 1, "nessun file temporaneo rimasto");
    }

    /// The zip as it was built before it was streamed, whole in memory:
    /// the reference the streamed zip must equal byte for byte.
    fn zip_in_memoria(cartella: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let opzioni = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        let gia_compressi = opzioni.compression_method(zip::CompressionMethod::Stored);
        let mut ordinati: Vec<&(String, Vec<u8>)> = files.iter().collect();
        ordinati.sort_by(|a, b| a.0.cmp(&b.0));
        for (p, b) in ordinati {
            let compresso = b.starts_with(b"%PDF")
                || b.starts_with(b"PK\x03\x04")
                || (b.len() as u64) < PICCOLO;
            z.start_file(
                format!("{cartella}/{p}"),
                if compresso { gia_compressi } else { opzioni },
            )
            .unwrap();
            z.write_all(b).unwrap();
        }
        z.finish().unwrap();
        buf.into_inner()
    }

    /// Bytes that do not repeat (a counter through SHA-256), so that the
    /// deflated entries are as long as the data and span many blocks.
    fn rumore(inizio: &[u8], n: usize) -> Vec<u8> {
        let mut v = inizio.to_vec();
        let mut i = 0u64;
        while v.len() < n {
            v.extend_from_slice(&Sha256::digest(i.to_le_bytes()));
            i += 1;
        }
        v.truncate(n);
        v
    }

    /// Documents on disk larger than a block (a PDF, stored; a text file,
    /// deflated; a zip, stored) and metadata in memory: the streamed zip is
    /// byte for byte the zip built whole in memory from the same bytes, and
    /// its manifests are those of the in-memory bag.
    #[test]
    fn zip_in_streaming_uguale_allo_zip_in_memoria() {
        let d = tempfile::tempdir().unwrap();
        let documenti: Vec<(&str, Vec<u8>)> = vec![
            ("attestati/a.pdf", rumore(b"%PDF-1.7\n", 3 * BLOCCO + 17)),
            (
                "dossier/registro.csv",
                rumore(b"nome;ore\n", 2 * BLOCCO + 5),
            ),
            ("dossier/allegati.zip", rumore(b"PK\x03\x04", BLOCCO - 1)),
            ("vuoto.txt", Vec::new()),
        ];
        let mut su_disco = vec![("a.pdf.metadata.json".to_string(), b"{}".to_vec().into())];
        let mut in_memoria = vec![("a.pdf.metadata.json".to_string(), b"{}".to_vec().into())];
        for (i, (p, b)) in documenti.iter().enumerate() {
            let f = d.path().join(format!("doc{i}"));
            std::fs::write(&f, b).unwrap();
            let m = disco::misura_file(&f).unwrap();
            assert_eq!(m.sha256, hex256(b));
            su_disco.push((p.to_string(), Contenuto::File(FileSuDisco::misurato(f, m))));
            in_memoria.push((p.to_string(), Contenuto::Byte(b.clone())));
        }
        let streamed = componi(&info(), su_disco).unwrap();
        let riferimento: Vec<(String, Vec<u8>)> = componi(&info(), in_memoria)
            .unwrap()
            .iter()
            .map(|(p, c)| (p.clone(), byte(c)))
            .collect();
        let z = d.path().join("bag-v1.zip");
        scrivi_zip(&z, "bag-v1", &streamed).unwrap();
        let atteso = zip_in_memoria("bag-v1", &riferimento);
        assert!(
            std::fs::read(&z).unwrap() == atteso,
            "zip diverso dal riferimento"
        );
        assert_eq!(integrita_zip(&z), Vec::<String>::new());
    }

    /// What is deflated and what is stored, read back from the zip: small
    /// entries (a document's metadata, short tag files) and what is
    /// compressed already (a PDF, a zip) are stored; a manifest or text
    /// file from [`PICCOLO`] up is deflated. Every entry reads back whole.
    #[test]
    fn piccoli_e_gia_compressi_non_deflati() {
        let d = tempfile::tempdir().unwrap();
        let testo = |n: usize| "riga di testo ripetuta\n".repeat(n).into_bytes();
        let voci: Vec<(&str, Vec<u8>)> = vec![
            ("a.pdf", rumore(b"%PDF-1.7\n", 2 * PICCOLO as usize)),
            ("a.pdf.metadata.json", testo(40)),
            (
                "dossier/allegati.zip",
                rumore(b"PK\x03\x04", 2 * PICCOLO as usize),
            ),
            ("dossier/registro.csv", testo(2000)),
            (
                "dossier/appena-sotto.txt",
                testo(1000)[..PICCOLO as usize - 1].to_vec(),
            ),
            (
                "dossier/appena-sopra.txt",
                testo(1000)[..PICCOLO as usize].to_vec(),
            ),
        ];
        let files: Vec<FileBag> = voci
            .iter()
            .enumerate()
            .map(|(i, (p, b))| {
                // Half on disk, half in memory: both paths choose alike.
                let c = if i % 2 == 0 {
                    let f = d.path().join(format!("f{i}"));
                    std::fs::write(&f, b).unwrap();
                    let m = disco::misura_file(&f).unwrap();
                    Contenuto::File(FileSuDisco::misurato(f, m))
                } else {
                    Contenuto::Byte(b.clone())
                };
                (p.to_string(), c)
            })
            .collect();
        let z = d.path().join("b.zip");
        scrivi_zip(&z, "b", &files).unwrap();
        let mut a = zip::ZipArchive::new(std::fs::File::open(&z).unwrap()).unwrap();
        let deflati: Vec<String> = (0..a.len())
            .filter_map(|i| {
                let e = a.by_index(i).unwrap();
                (e.compression() == zip::CompressionMethod::Deflated).then(|| e.name().to_string())
            })
            .collect();
        assert_eq!(
            deflati,
            ["b/dossier/appena-sopra.txt", "b/dossier/registro.csv"]
        );
        for (p, b) in &voci {
            let mut letto = Vec::new();
            a.by_name(&format!("b/{p}"))
                .unwrap()
                .read_to_end(&mut letto)
                .unwrap();
            assert!(&letto == b, "{p} non si rilegge uguale");
        }
    }

    /// A document changed after it was measured is not packed under the
    /// digests of the other bytes: the zip is not written.
    #[test]
    fn file_cambiato_dopo_la_misura_rifiutato() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a.pdf");
        std::fs::write(&f, b"%PDF-1.7 emesso").unwrap();
        let m = disco::misura_file(&f).unwrap();
        let files = componi(
            &info(),
            vec![(
                "a.pdf".into(),
                Contenuto::File(FileSuDisco::misurato(f.clone(), m)),
            )],
        )
        .unwrap();
        std::fs::write(&f, b"%PDF-1.7 alterato").unwrap();
        let z = d.path().join("out/bag.zip");
        let e = scrivi_zip(&z, "bag", &files).unwrap_err();
        assert!(e.to_string().contains("è cambiato"), "{e}");
        assert!(!z.exists());
        assert_eq!(std::fs::read_dir(d.path().join("out")).unwrap().count(), 0);
    }

    #[test]
    fn manomissioni_rilevate() {
        let files = componi(
            &info(),
            vec![
                ("x.pdf".into(), b"uno".to_vec().into()),
                ("y.pdf".into(), b"due".to_vec().into()),
            ],
        )
        .unwrap();
        let d = tempfile::tempdir().unwrap();
        for (p, b) in &files {
            let f = d.path().join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, byte(b)).unwrap();
        }
        assert!(integrita_cartella(d.path()).is_empty());
        std::fs::write(d.path().join("data/x.pdf"), b"uNo").unwrap();
        std::fs::remove_file(d.path().join("data/y.pdf")).unwrap();
        std::fs::write(d.path().join("data/z.pdf"), b"tre").unwrap();
        let p = integrita_cartella(d.path()).join("\n");
        assert!(p.contains("data/x.pdf: contenuto modificato"), "{p}");
        assert!(p.contains("data/y.pdf: file mancante"), "{p}");
        assert!(p.contains("data/z.pdf: file in più"), "{p}");
    }

    #[test]
    fn zip_slip_rifiutato() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("cattivo.zip");
        {
            let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
            z.start_file("../fuori.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b"x").unwrap();
            z.finish().unwrap();
        }
        let dest = d.path().join("dest");
        std::fs::create_dir(&dest).unwrap();
        let e = estrai(&p, &dest).unwrap_err();
        assert!(e.contains("zip slip"), "{e}");
        assert!(!d.path().join("fuori.txt").exists());
    }
}
