//! BagIt 1.0 bags (RFC 8493): composing them, serializing them as
//! reproducible zips, unpacking zips safely, and checking a bag's integrity.
//!
//! A bag is described as a list of files (path inside the bag, bytes). The
//! same list always gives the same zip: entries sorted, fixed timestamps and
//! permissions, so that a bag built twice is byte-identical.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256, Sha512};

/// One file of a bag: its path inside the bag (with `/`) and its bytes.
pub type FileBag = (String, Vec<u8>);

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

/// Every file of a bag whose payload is `payload` (paths relative to `data/`).
pub fn componi(info: &InfoBag, payload: Vec<FileBag>) -> Vec<FileBag> {
    let mut payload: Vec<FileBag> = payload
        .into_iter()
        .map(|(p, b)| (format!("data/{p}"), b))
        .collect();
    payload.sort_by(|a, b| a.0.cmp(&b.0));
    let ottetti: u64 = payload.iter().map(|(_, b)| b.len() as u64).sum();
    let m256: String = payload
        .iter()
        .map(|(p, b)| format!("{}  {}\n", hex256(b), codifica(p)))
        .collect();
    let m512: String = payload
        .iter()
        .map(|(p, b)| format!("{}  {}\n", hex512(b), codifica(p)))
        .collect();
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
    let tag: Vec<FileBag> = vec![
        ("bag-info.txt".into(), bag_info.into_bytes()),
        ("bagit.txt".into(), bagit.into_bytes()),
        ("manifest-sha256.txt".into(), m256.into_bytes()),
        ("manifest-sha512.txt".into(), m512.into_bytes()),
    ];
    let tagmanifest: String = tag
        .iter()
        .map(|(p, b)| format!("{}  {p}\n", hex256(b)))
        .collect();
    let mut tutti = tag;
    tutti.push(("tagmanifest-sha256.txt".into(), tagmanifest.into_bytes()));
    tutti.extend(payload);
    tutti.sort_by(|a, b| a.0.cmp(&b.0));
    tutti
}

/// A bag-info value on one line: a line break would start a new field.
fn una_riga(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// A reproducible zip: one top-level folder, entries sorted, fixed
/// timestamp (1980-01-01) and permissions.
pub fn zip(cartella: &str, files: &[FileBag]) -> std::io::Result<Vec<u8>> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opzioni = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        // PDFs (and zips) are compressed inside already: deflating them again
        // costs CPU on every document and saves almost nothing.
        let gia_compressi = opzioni.compression_method(zip::CompressionMethod::Stored);
        let mut ordinati: Vec<&FileBag> = files.iter().collect();
        ordinati.sort_by(|a, b| a.0.cmp(&b.0));
        for (p, b) in ordinati {
            let compresso = b.starts_with(b"%PDF") || b.starts_with(b"PK\x03\x04");
            z.start_file(
                format!("{cartella}/{p}"),
                if compresso { gia_compressi } else { opzioni },
            )
            .map_err(std::io::Error::other)?;
            z.write_all(b)?;
        }
        z.finish().map_err(std::io::Error::other)?;
    }
    Ok(buf.into_inner())
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
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes)
            .map_err(|x| format!("voce «{nome}»: {x}"))?;
        std::fs::write(&p, bytes).map_err(|x| x.to_string())?;
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

/// The digest of `b` with a manifest's algorithm (as named in its file
/// name); `None` for an algorithm this program does not compute.
fn digest(alg: &str, b: &[u8]) -> Option<String> {
    match alg {
        "sha256" => Some(hex256(b)),
        "sha512" => Some(hex512(b)),
        _ => None,
    }
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
            match std::fs::read(bag.join(&p)) {
                Ok(b) => match digest(alg, &b) {
                    Some(d) if d == atteso => {}
                    Some(_) => problemi.push(format!(
                        "{p}: contenuto modificato (il digest {alg} non corrisponde a {nome})"
                    )),
                    None => problemi.push(format!("{nome}: algoritmo {alg} non supportato")),
                },
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

    #[test]
    fn bag_valida_e_zip_riproducibile() {
        let files = componi(
            &info(),
            vec![
                ("a/x.pdf".into(), b"%PDF-1".to_vec()),
                ("b.json".into(), b"{}".to_vec()),
            ],
        );
        let z1 = zip("bag", &files).unwrap();
        assert_eq!(z1, zip("bag", &files).unwrap());
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("bag.zip");
        std::fs::write(&p, &z1).unwrap();
        assert_eq!(integrita_zip(&p), Vec::<String>::new());
        let info_txt = String::from_utf8(
            files
                .iter()
                .find(|f| f.0 == "bag-info.txt")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap();
        assert!(info_txt.contains("Payload-Oxum: 8.2"), "{info_txt}");
    }

    #[test]
    fn manomissioni_rilevate() {
        let files = componi(
            &info(),
            vec![
                ("x.pdf".into(), b"uno".to_vec()),
                ("y.pdf".into(), b"due".to_vec()),
            ],
        );
        let d = tempfile::tempdir().unwrap();
        for (p, b) in &files {
            let f = d.path().join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, b).unwrap();
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
