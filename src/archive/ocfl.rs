//! An OCFL 1.1 storage root: one object per course and academic year, a new
//! version only when something changed, old versions never rewritten.
//!
//! A version is written under a temporary name inside the object and renamed
//! into place when complete; the object's root inventory is then replaced
//! atomically. A build killed in between leaves either the old head (and a
//! temporary folder that the next run removes) or a complete new version
//! whose inventory the next run copies to the root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};

use super::bagit::{sha512_file, Contenuto, FileBag, FileSuDisco};
use super::disco::{scrivi_atomico, sincronizza, PREFISSO_TEMPORANEO};

/// The NAMASTE file that declares a folder an OCFL 1.1 storage root (the
/// spec's Root Conformance Declaration); its presence is how a storage root
/// is recognised.
pub const NAMASTE_RADICE: &str = "0=ocfl_1.1";
/// The NAMASTE file at the root of every OCFL 1.1 object (OCFL §3.2, Object
/// Conformance Declaration); a folder of the storage root holding it is an
/// object.
pub const NAMASTE_OGGETTO: &str = "0=ocfl_object_1.1";
const TIPO_INVENTARIO: &str = "https://ocfl.io/1.1/spec/#inventory";
const TEMP: &str = PREFISSO_TEMPORANEO;

/// The `user` of a version block (OCFL §3.5.3.1): who made the version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Utente {
    /// `name`: always "lauream" for the versions this program writes.
    pub name: String,
    /// `address`: a URI identifying the user; absent (lauream writes none).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub address: Option<String>,
}

/// A version block of the inventory (OCFL §3.5.3.1): the object's state at
/// that version and who made it, when, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versione {
    /// `created`: RFC 3339 time, taken from the data (the bag's date at
    /// midnight UTC), never the clock.
    pub created: String,
    /// `message`: why the version was made.
    pub message: String,
    /// `state`: digest → logical paths (paths inside the bag) having that
    /// content in this version, each list sorted.
    pub state: BTreeMap<String, Vec<String>>,
    /// `user`: who made the version.
    pub user: Utente,
}

/// An object's inventory, `inventory.json` (OCFL §3.5): every version's
/// state and where each content is stored. The field names are the file's
/// keys (camel case).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventario {
    /// `id`: the object's id, also its folder name in the flat storage layout.
    pub id: String,
    /// `type`: the inventory type URI of OCFL 1.1.
    #[serde(rename = "type")]
    pub tipo: String,
    /// `digestAlgorithm`: always `sha512` in the inventories lauream writes.
    pub digest_algorithm: String,
    /// `head`: the latest version, `v1`, `v2`, … (no zero padding).
    pub head: String,
    /// `manifest`: digest → content paths relative to the object root. Each
    /// content is stored once, in the version that introduced it.
    pub manifest: BTreeMap<String, Vec<String>>,
    /// `versions`: version name → its block.
    pub versions: BTreeMap<String, Versione>,
}

impl Inventario {
    /// The head's version number (`v3` → 3); 0 for an empty inventory.
    fn numero_head(&self) -> usize {
        self.head.trim_start_matches('v').parse().unwrap_or(0)
    }

    /// Logical path → digest of the head version.
    pub fn stato_head(&self) -> BTreeMap<String, String> {
        self.versions
            .get(&self.head)
            .map(|v| {
                v.state
                    .iter()
                    .flat_map(|(d, ps)| ps.iter().map(move |p| (p.clone(), d.clone())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The content path holding a digest.
    pub fn contenuto(&self, digest: &str) -> Option<&str> {
        self.manifest
            .get(digest)
            .and_then(|v| v.first())
            .map(String::as_str)
    }
}

/// The hex SHA-512 of some bytes: OCFL's preferred digest, used for the
/// manifest, the version states and the inventory sidecars.
pub fn sha512_hex(b: &[u8]) -> String {
    hex::encode(Sha512::digest(b))
}

/// Creates the storage root if absent.
pub fn prepara_radice(radice: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(radice)?;
    let namaste = radice.join(NAMASTE_RADICE);
    if !namaste.exists() {
        scrivi_atomico(
            &radice.join("ocfl_layout.json"),
            b"{\n  \"description\": \"Extension 0002: Flat Direct Storage Layout\",\n  \"extension\": \"0002-flat-direct-storage-layout\"\n}\n",
        )?;
        scrivi_atomico(&namaste, b"ocfl_1.1\n")?;
    }
    Ok(())
}

/// Reads and parses an `inventory.json`; a malformed one is an
/// `InvalidData` error naming the file.
fn leggi_inventario(p: &Path) -> std::io::Result<Inventario> {
    let b = std::fs::read(p)?;
    serde_json::from_slice(&b).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: {e}", p.display()),
        )
    })
}

/// An inventory's bytes as written (pretty JSON, final newline): the same
/// inventory always gives the same bytes, hence the same sidecar digest.
fn serializza(inv: &Inventario) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(inv).expect("inventario serializzabile");
    b.push(b'\n');
    b
}

/// Brings an object back to a consistent state after an interrupted write:
/// removes temporary folders and makes the root inventory the latest
/// complete version's.
fn ripara(oggetto: &Path) -> std::io::Result<Option<Inventario>> {
    if !oggetto.exists() {
        return Ok(None);
    }
    for e in std::fs::read_dir(oggetto)? {
        let e = e?;
        if e.file_name().to_string_lossy().starts_with(TEMP) {
            std::fs::remove_dir_all(e.path())?;
        }
    }
    let mut ultima: Option<(usize, PathBuf)> = None;
    for e in std::fs::read_dir(oggetto)? {
        let e = e?;
        let nome = e.file_name().to_string_lossy().into_owned();
        if let Some(n) = nome.strip_prefix('v').and_then(|n| n.parse::<usize>().ok()) {
            if e.path().join("inventory.json").exists()
                && ultima.as_ref().is_none_or(|(m, _)| n > *m)
            {
                ultima = Some((n, e.path()));
            }
        }
    }
    let Some((_, dir)) = ultima else {
        return Ok(None);
    };
    let inv_versione = std::fs::read(dir.join("inventory.json"))?;
    let radice = std::fs::read(oggetto.join("inventory.json")).ok();
    if radice.as_deref() != Some(&inv_versione[..]) {
        scrivi_atomico(&oggetto.join("inventory.json"), &inv_versione)?;
        scrivi_atomico(
            &oggetto.join("inventory.json.sha512"),
            format!("{}  inventory.json\n", sha512_hex(&inv_versione)).as_bytes(),
        )?;
    }
    Ok(Some(leggi_inventario(&oggetto.join("inventory.json"))?))
}

/// Repairs one object of a storage root after an interrupted write (see
/// [`salva`]); a no-op on a consistent object.
pub fn ripara_oggetto(radice: &Path, id: &str) -> std::io::Result<()> {
    ripara(&radice.join(id)).map(|_| ())
}

/// The result of storing a state ([`salva`]).
pub struct Esito {
    /// The object's head version after storing: the new one, or the
    /// existing head when the state was unchanged.
    pub versione: String,
    /// Whether a new version was written.
    pub nuova: bool,
}

/// Stores `stato` (logical path → content) as the object's new head,
/// unless it equals the current head. `creato` is an RFC 3339 time taken
/// from the data. A content on disk (a published document) becomes its
/// content file as a copy-on-write clone where the file system can, a copy
/// made in blocks otherwise, checked either way (see [`super::copie`]).
pub fn salva(
    radice: &Path,
    id: &str,
    stato: &[FileBag],
    creato: &str,
    messaggio: &str,
) -> std::io::Result<Esito> {
    prepara_radice(radice)?;
    let oggetto = radice.join(id);
    let attuale = ripara(&oggetto)?;
    let digest: Vec<String> = stato
        .iter()
        .map(|(_, c)| c.sha512())
        .collect::<std::io::Result<_>>()?;
    if let Some(inv) = &attuale {
        if uguale_a_head(inv, stato, &digest) {
            return Ok(Esito {
                versione: inv.head.clone(),
                nuova: false,
            });
        }
    }
    let n = attuale.as_ref().map(|i| i.numero_head()).unwrap_or(0) + 1;
    let v = format!("v{n}");
    let esisteva = attuale.is_some();
    let mut inv = attuale.unwrap_or_else(|| Inventario {
        id: id.to_string(),
        tipo: TIPO_INVENTARIO.into(),
        digest_algorithm: "sha512".into(),
        head: String::new(),
        manifest: BTreeMap::new(),
        versions: BTreeMap::new(),
    });

    // The object folder itself appears atomically on the first version.
    let (base, nuovo_oggetto) = if !esisteva {
        if oggetto.exists() {
            std::fs::remove_dir_all(&oggetto)?;
        }
        let tmp = radice.join(format!("{TEMP}{id}"));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        std::fs::write(tmp.join(NAMASTE_OGGETTO), b"ocfl_object_1.1\n")?;
        (tmp, true)
    } else {
        (oggetto.clone(), false)
    };
    let tmp_versione = base.join(format!("{TEMP}{v}"));
    std::fs::create_dir_all(&tmp_versione)?;
    let mut state: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut scritti = Vec::new();
    for ((p, contenuto), d) in stato.iter().zip(&digest) {
        state.entry(d.clone()).or_default().push(p.clone());
        if !inv.manifest.contains_key(d) {
            let dest = tmp_versione.join("content").join(p);
            std::fs::create_dir_all(dest.parent().expect("percorso con cartella"))?;
            match contenuto {
                Contenuto::Byte(b) => std::fs::write(&dest, b)?,
                Contenuto::File(f) => {
                    super::copie::copia_o_clona(&dest, f)?;
                }
            }
            scritti.push(dest);
            inv.manifest
                .insert(d.clone(), vec![format!("{v}/content/{p}")]);
        }
    }
    // The content is on disk before the version folder gets its final name.
    sincronizza(&tmp_versione, scritti.iter().map(PathBuf::as_path))?;
    for ps in state.values_mut() {
        ps.sort();
    }
    inv.versions.insert(
        v.clone(),
        Versione {
            created: creato.into(),
            message: messaggio.into(),
            state,
            user: Utente {
                name: "lauream".into(),
                address: None,
            },
        },
    );
    inv.head = v.clone();
    let json = serializza(&inv);
    let sidecar = format!("{}  inventory.json\n", sha512_hex(&json));
    std::fs::write(tmp_versione.join("inventory.json"), &json)?;
    std::fs::write(tmp_versione.join("inventory.json.sha512"), &sidecar)?;
    std::fs::rename(&tmp_versione, base.join(&v))?;
    scrivi_atomico(&base.join("inventory.json"), &json)?;
    scrivi_atomico(&base.join("inventory.json.sha512"), sidecar.as_bytes())?;
    if nuovo_oggetto {
        std::fs::rename(&base, &oggetto)?;
    }
    Ok(Esito {
        versione: v,
        nuova: true,
    })
}

/// Whether a state (paths and their digests, in the same order) is the
/// head version's, compared without building a copy of either.
fn uguale_a_head(inv: &Inventario, stato: &[FileBag], digest: &[String]) -> bool {
    let Some(head) = inv.versions.get(&inv.head) else {
        return stato.is_empty();
    };
    let mut nuovo: Vec<(&str, &str)> = stato
        .iter()
        .zip(digest)
        .map(|((p, _), d)| (p.as_str(), d.as_str()))
        .collect();
    nuovo.sort_unstable();
    nuovo.dedup_by(|a, b| a.0 == b.0);
    let mut vecchio: Vec<(&str, &str)> = head
        .state
        .iter()
        .flat_map(|(d, ps)| ps.iter().map(move |p| (p.as_str(), d.as_str())))
        .collect();
    vecchio.sort_unstable();
    nuovo == vecchio
}

/// The head version of an object: its name and its files (logical path →
/// content file on disk, with its size and recorded SHA-512), to be read as
/// streams.
pub fn leggi_head(radice: &Path, id: &str) -> std::io::Result<Option<(String, Vec<FileBag>)>> {
    let oggetto = radice.join(id);
    let Some(inv) = ripara(&oggetto)? else {
        return Ok(None);
    };
    let mut files = Vec::new();
    for (p, d) in inv.stato_head() {
        let c = inv.contenuto(&d).ok_or_else(|| {
            std::io::Error::other(format!("{id}: {p} senza contenuto nel manifest"))
        })?;
        let percorso = oggetto.join(c);
        let ottetti = std::fs::metadata(&percorso)?.len();
        files.push((
            p,
            Contenuto::File(FileSuDisco {
                percorso,
                ottetti,
                sha256: None,
                sha512: Some(d),
            }),
        ));
    }
    Ok(Some((inv.head, files)))
}

/// The head version of an object, read from its root inventory.
pub fn head(radice: &Path, id: &str) -> Option<String> {
    leggi_inventario(&radice.join(id).join("inventory.json"))
        .ok()
        .map(|i| i.head)
}

/// Ids of the objects in a storage root (flat layout: one folder each).
pub fn oggetti(radice: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(radice)
        .map(|r| {
            r.filter_map(Result::ok)
                .filter(|e| e.path().join(NAMASTE_OGGETTO).exists())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The integrity check of a storage root: declarations, inventories and their sidecars,
/// every content file's digest, and no file outside the manifest.
pub fn integrita_radice(radice: &Path) -> Vec<String> {
    let mut problemi = Vec::new();
    if !radice.join(NAMASTE_RADICE).exists() {
        return vec![format!(
            "{}: manca {NAMASTE_RADICE}: non è una radice OCFL",
            radice.display()
        )];
    }
    for id in oggetti(radice) {
        problemi.extend(
            integrita_oggetto(&radice.join(&id))
                .into_iter()
                .map(|p| format!("{id}: {p}")),
        );
    }
    problemi
}

/// The integrity check of one object: the root inventory against its
/// sidecar, every content file against the manifest, no file outside it,
/// every version's inventory present, every state's digest in the manifest.
fn integrita_oggetto(oggetto: &Path) -> Vec<String> {
    let mut problemi = Vec::new();
    let json = match std::fs::read(oggetto.join("inventory.json")) {
        Ok(b) => b,
        Err(e) => return vec![format!("inventory.json: {e}")],
    };
    match std::fs::read_to_string(oggetto.join("inventory.json.sha512")) {
        Ok(s) if s.split_whitespace().next() == Some(&sha512_hex(&json)) => {}
        Ok(_) => problemi.push("inventory.json non corrisponde a inventory.json.sha512".into()),
        Err(e) => problemi.push(format!("inventory.json.sha512: {e}")),
    }
    let inv: Inventario = match serde_json::from_slice(&json) {
        Ok(i) => i,
        Err(e) => {
            problemi.push(format!("inventory.json non valido: {e}"));
            return problemi;
        }
    };
    let mut elencati = std::collections::BTreeSet::new();
    for (d, percorsi) in &inv.manifest {
        for p in percorsi {
            elencati.insert(p.clone());
            match sha512_file(&oggetto.join(p)) {
                Ok(h) if h == *d => {}
                Ok(_) => problemi.push(format!("{p}: contenuto modificato")),
                Err(_) => problemi.push(format!("{p}: file mancante")),
            }
        }
    }
    for v in inv.versions.keys() {
        let dir = oggetto.join(v);
        if !dir.join("inventory.json").exists() {
            problemi.push(format!("{v}: manca l'inventario della versione"));
        }
        for e in walkdir::WalkDir::new(dir.join("content"))
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(oggetto).unwrap_or(e.path());
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if !elencati.contains(&rel) {
                    problemi.push(format!("{rel}: file in più, non nel manifest"));
                }
            }
        }
    }
    for (v, ver) in &inv.versions {
        for d in ver.state.keys() {
            if !inv.manifest.contains_key(d) {
                problemi.push(format!("{v}: lo stato cita un digest assente dal manifest"));
            }
        }
    }
    problemi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioni_solo_quando_cambia() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        let s1 = vec![("data/a.pdf".to_string(), b"uno".to_vec().into())];
        assert_eq!(
            salva(r, "obj", &s1, "2026-01-01T00:00:00Z", "m")
                .unwrap()
                .versione,
            "v1"
        );
        let e = salva(r, "obj", &s1, "2026-01-01T00:00:00Z", "m").unwrap();
        assert!(!e.nuova);
        let v1 = std::fs::read(r.join("obj/v1/inventory.json")).unwrap();
        let s2 = vec![
            ("data/a.pdf".to_string(), b"uno".to_vec().into()),
            ("data/b.pdf".to_string(), b"due".to_vec().into()),
        ];
        assert_eq!(
            salva(r, "obj", &s2, "2026-02-01T00:00:00Z", "m")
                .unwrap()
                .versione,
            "v2"
        );
        assert_eq!(
            std::fs::read(r.join("obj/v1/inventory.json")).unwrap(),
            v1,
            "v1 non è mai riscritta"
        );
        assert!(
            !r.join("obj/v2/content/data/a.pdf").exists(),
            "contenuto già archiviato non duplicato"
        );
        assert_eq!(integrita_radice(r), Vec::<String>::new());
        let (head, files) = leggi_head(r, "obj").unwrap().unwrap();
        assert_eq!(head, "v2");
        assert_eq!(files.len(), 2);
        std::fs::write(r.join("obj/v2/content/data/b.pdf"), b"DUE").unwrap();
        assert!(integrita_radice(r)
            .join("\n")
            .contains("contenuto modificato"));
    }

    #[test]
    fn riparazione_dopo_interruzione() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        let s1 = vec![("data/a.pdf".to_string(), b"uno".to_vec().into())];
        salva(r, "obj", &s1, "2026-01-01T00:00:00Z", "m").unwrap();
        // A version written but not yet published at the root, and a half-written one.
        std::fs::create_dir_all(r.join("obj/.lauream-tmp-v3/content")).unwrap();
        // The next version's own folder, half written: its content files
        // are created anew (never opened as they were left).
        std::fs::create_dir_all(r.join("obj/.lauream-tmp-v2/content/data")).unwrap();
        std::fs::write(r.join("obj/.lauream-tmp-v2/content/data/a.pdf"), b"d").unwrap();
        let s2 = vec![("data/a.pdf".to_string(), b"due".to_vec().into())];
        salva(r, "obj", &s2, "2026-01-02T00:00:00Z", "m").unwrap();
        let inv_v2 = std::fs::read(r.join("obj/v2/inventory.json")).unwrap();
        let v1 = std::fs::read(r.join("obj/v1/inventory.json")).unwrap();
        std::fs::write(r.join("obj/inventory.json"), &v1).unwrap();
        assert!(!r.join("obj/.lauream-tmp-v3").exists());
        assert_eq!(
            std::fs::read(r.join("obj/v2/content/data/a.pdf")).unwrap(),
            b"due"
        );
        let (head, _) = leggi_head(r, "obj").unwrap().unwrap();
        assert_eq!(head, "v2");
        assert_eq!(std::fs::read(r.join("obj/inventory.json")).unwrap(), inv_v2);
    }
}
