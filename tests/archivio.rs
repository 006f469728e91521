//! The archive checked by independent tools: the reference BagIt validator
//! (`python3 -m bagit`, from PyPI) and the OCFL validator (`ocfl-validate.py`,
//! from the PyPI package ocfl-py), plus reproducibility and versioning.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Runs a build and returns its messages.
fn build(dataset: &Path, out: &Path, extra: &[&str]) -> String {
    let r = lauream_build(dataset, out, extra);
    let err = String::from_utf8_lossy(&r.stderr).into_owned();
    assert!(r.status.success(), "build: {err}");
    err
}

fn zips(out: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(out.join("bags"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// `python3 -m bagit --validate` on an unpacked bag: true when valid.
fn bagit_valida(dir: &Path) -> bool {
    let r = strumenti()
        .python()
        .args(["-m", "bagit", "--validate", "--quiet"])
        .arg(dir)
        .output()
        .expect("python -m bagit");
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(!err.contains("No module named"), "{err}");
    r.status.success()
}

/// `ocfl-validate.py` on every object of a storage root: true when all valid.
fn ocfl_valida(radice: &Path) -> bool {
    let mut oggetti: Vec<PathBuf> = std::fs::read_dir(radice)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("0=ocfl_object_1.1").exists())
        .collect();
    oggetti.sort();
    assert!(!oggetti.is_empty());
    let mut tutti = vec![radice.to_path_buf()];
    tutti.extend(oggetti);
    tutti.iter().all(|p| {
        let r = strumenti()
            .script("ocfl-validate.py")
            .arg(p)
            .output()
            .expect("ocfl-validate.py");
        let out =
            String::from_utf8_lossy(&r.stdout).into_owned() + &String::from_utf8_lossy(&r.stderr);
        r.status.success() && !out.contains("INVALID")
    })
}

fn estrai(zip: &Path, dest: &Path) -> PathBuf {
    lauream::archive::bagit::estrai(zip, dest).unwrap();
    dest.join(zip.file_stem().unwrap())
}

#[test]
fn bag_e_radice_ocfl_valide_per_gli_strumenti_di_riferimento() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("demo"), &out, &[]);
    let zips = zips(&out);
    assert!(zips.len() >= 6, "una bag per corso: {zips:?}");
    for z in &zips {
        let dest = tmp.path().join("x").join(z.file_stem().unwrap());
        let bag = estrai(z, &dest);
        assert!(bagit_valida(&bag), "{} non valida per bagit", z.display());
        let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
        for campo in [
            "Source-Organization:",
            "Bagging-Date:",
            "External-Identifier:",
            "Payload-Oxum:",
            "Bag-Size:",
        ] {
            assert!(info.contains(campo), "{campo} in {info}");
        }
        for f in [
            "bagit.txt",
            "manifest-sha256.txt",
            "manifest-sha512.txt",
            "tagmanifest-sha256.txt",
        ] {
            assert!(bag.join(f).exists(), "{f}");
        }
        // One metadata file per document, with its fingerprint.
        let pdf: Vec<_> = walkdir::WalkDir::new(bag.join("data"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            .collect();
        for p in pdf {
            let meta = PathBuf::from(format!("{}.metadata.json", p.path().display()));
            let m: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&meta).unwrap()).unwrap();
            let h = lauream::archive::sha256_file(p.path()).unwrap();
            assert_eq!(m["IdDoc"]["ImprontaCrittografica"]["Impronta"], h.as_str());
        }
        assert!(lauream(&["verify", z.to_str().unwrap()]).status.success());
        assert!(lauream(&["verify", bag.to_str().unwrap()]).status.success());
    }
    // The Regione-accredited course's bag is laid out by dossier section.
    let pelletteria = tmp
        .path()
        .join("x/univaldarno-2025-2026-aggiornamento-pelletteria-v1");
    let bag = pelletteria.join("univaldarno-2025-2026-aggiornamento-pelletteria-v1/data");
    assert!(bag
        .join("01-comunicazioni-inizio-corso/bando-aggiornamento-pelletteria.pdf")
        .exists());
    assert!(bag.join("00-indice-dossier.pdf").exists());
    let attestati = std::fs::read_dir(bag.join("10-attestati")).unwrap().count();
    assert!(attestati >= 2, "gli attestati nella sezione 10");
    assert!(ocfl_valida(&out.join("ocfl")), "radice OCFL non valida");
    let v = lauream(&["verify", out.to_str().unwrap()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

#[test]
fn copie_manomesse_rifiutate_da_tutti() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(
        &fixture("demo"),
        &out,
        &["--course", "formazione-enoturismo"],
    );
    let z = zips(&out)
        .into_iter()
        .find(|z| z.to_string_lossy().contains("formazione-enoturismo"))
        .unwrap();

    type Manomissione = fn(&Path);
    let casi: [(&str, Manomissione); 3] = [
        ("un byte cambiato", |bag| {
            let p = primo_pdf(bag);
            let mut b = std::fs::read(&p).unwrap();
            let i = b.len() / 2;
            b[i] ^= 0x01;
            std::fs::write(&p, b).unwrap();
        }),
        ("un file tolto", |bag| {
            std::fs::remove_file(primo_pdf(bag)).unwrap()
        }),
        ("un file aggiunto", |bag| {
            std::fs::write(bag.join("data/intruso.pdf"), b"%PDF-1.7 intruso").unwrap()
        }),
    ];
    for (nome, guasta) in casi {
        let dest = tmp.path().join(nome);
        let bag = estrai(&z, &dest);
        assert!(bagit_valida(&bag), "{nome}: la copia intatta è valida");
        guasta(&bag);
        assert!(!bagit_valida(&bag), "{nome}: bagit dovrebbe rifiutarla");
        let v = lauream(&["verify", bag.to_str().unwrap()]);
        assert!(
            !v.status.success(),
            "{nome}: lauream verify dovrebbe rifiutarla"
        );
        assert!(
            String::from_utf8_lossy(&v.stderr).contains("data/"),
            "{nome}: il problema nomina il file"
        );
    }

    // The same damage inside the storage root.
    let radice = tmp.path().join("ocfl");
    copia(&out.join("ocfl"), &radice);
    assert!(ocfl_valida(&radice));
    let pdf = walkdir::WalkDir::new(&radice)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .unwrap()
        .into_path();
    let mut b = std::fs::read(&pdf).unwrap();
    b[10] ^= 0x01;
    std::fs::write(&pdf, b).unwrap();
    assert!(
        !ocfl_valida(&radice),
        "ocfl-validate dovrebbe rifiutare il contenuto modificato"
    );
    assert!(!lauream(&["verify", radice.to_str().unwrap()])
        .status
        .success());
}

fn primo_pdf(bag: &Path) -> PathBuf {
    walkdir::WalkDir::new(bag.join("data"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .unwrap()
        .into_path()
}

#[test]
fn due_build_identiche_byte_per_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&fixture("demo"), &a, &[]);
    build(&fixture("demo"), &b, &[]);
    let (fa, fb) = (file_sotto(&a), file_sotto(&b));
    assert_eq!(fa, fb);
    // The registry records the wall-clock time of issue: metadata, not
    // content. What it says of the documents is compared instead.
    let registro = |o: &Path| {
        lauream::registry::Registro::apri_esistente(&o.join("registro.sqlite"))
            .unwrap()
            .tutte()
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r.identificativo,
                    r.numero,
                    r.codice,
                    r.sha256,
                    r.oggetto,
                    r.versione,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(registro(&a), registro(&b));
    // The verification site and the keys kept for it depend on the salt
    // each output directory draws at random; given the same salt they are
    // the same bytes too (tests/sito.rs).
    let del_sito = |f: &str| f.starts_with("verifica/") || f == "verifica-riservato.txt";
    for f in fa
        .iter()
        .filter(|f| *f != "registro.sqlite" && !del_sito(f))
    {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differisce tra le due build"
        );
    }
}

#[test]
fn nuove_versioni_solo_per_i_corsi_cambiati() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    copia(&fixture("demo"), &ds);
    let out = tmp.path().join("out");
    build(&ds, &out, &[]);
    let prima = file_sotto(&out);
    let v1: Vec<u8> = std::fs::read(
        out.join("ocfl/univaldarno-2025-2026-formazione-enoturismo/v1/inventory.json"),
    )
    .unwrap();

    // Unchanged rebuild: nothing rendered, nothing new at all.
    let msg = build(&ds, &out, &[]);
    assert!(msg.contains("(0 generati,"), "{msg}");
    assert_eq!(
        file_sotto(&out),
        prima,
        "una ricostruzione senza modifiche non aggiunge nulla"
    );

    // A lost bag zip is written again from the archive, identical.
    let zip = out.join("bags/univaldarno-2025-2026-master-dati-pa-v1.zip");
    let byte = std::fs::read(&zip).unwrap();
    std::fs::remove_file(&zip).unwrap();
    build(&ds, &out, &[]);
    assert_eq!(std::fs::read(&zip).unwrap(), byte);

    // One person's hours change: only that course gets a v2.
    let roster = ds.join("iscrizioni/formazione-enoturismo.csv");
    let testo = std::fs::read_to_string(&roster).unwrap();
    let mut righe: Vec<String> = testo.lines().map(str::to_string).collect();
    let intestazione: Vec<&str> = righe[0].split(',').collect();
    let col = intestazione
        .iter()
        .position(|h| *h == "ore_frequentate")
        .unwrap();
    let mut campi: Vec<String> = righe[1].split(',').map(str::to_string).collect();
    let ore: u32 = campi[col].parse().unwrap();
    campi[col] = (ore - 1).to_string();
    righe[1] = campi.join(",");
    std::fs::write(&roster, righe.join("\n") + "\n").unwrap();
    let msg = build(&ds, &out, &["--overwrite"]);
    assert!(
        msg.contains("(1 generato,"),
        "solo l'attestato della persona cambiata: {msg}"
    );

    let ocfl = out.join("ocfl");
    assert!(ocfl
        .join("univaldarno-2025-2026-formazione-enoturismo/v2")
        .exists());
    assert_eq!(
        std::fs::read(ocfl.join("univaldarno-2025-2026-formazione-enoturismo/v1/inventory.json"))
            .unwrap(),
        v1,
        "v1 intatta"
    );
    assert!(
        !ocfl
            .join("univaldarno-2025-2026-master-dati-pa/v2")
            .exists(),
        "gli altri corsi restano a v1"
    );
    let indice: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    for d in indice["documents"].as_array().unwrap() {
        let atteso = if d["course"] == "formazione-enoturismo" {
            "v2"
        } else {
            "v1"
        };
        assert_eq!(d["version"], atteso, "{}", d["path"]);
    }
    assert!(
        out.join("bags/univaldarno-2025-2026-formazione-enoturismo-v1.zip")
            .exists(),
        "la bag v1 resta"
    );
    assert!(out
        .join("bags/univaldarno-2025-2026-formazione-enoturismo-v2.zip")
        .exists());
    assert!(ocfl_valida(&ocfl));
    assert!(lauream(&["verify", out.to_str().unwrap()]).status.success());
}

#[test]
fn esportazione_per_l_archivista() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("demo"), &out, &[]);
    let dest = tmp.path().join("consegna");
    let r = lauream(&[
        "export",
        "--course",
        "summer-school-paesaggi",
        "--out",
        out.to_str().unwrap(),
        dest.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let z = dest.join("univaldarno-2025-2026-summer-school-paesaggi-v1.zip");
    assert_eq!(
        std::fs::read(&z).unwrap(),
        std::fs::read(out.join("bags").join(z.file_name().unwrap())).unwrap()
    );
    let tutti = tmp.path().join("tutti");
    assert!(lauream(&[
        "export",
        "--all",
        "--out",
        out.to_str().unwrap(),
        tutti.to_str().unwrap()
    ])
    .status
    .success());
    assert_eq!(std::fs::read_dir(&tutti).unwrap().count(), zips(&out).len());
}

#[test]
fn pdf_a_identificati_con_font_incorporati() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("demo"), &out, &[]);
    let indice: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    let mut visti = std::collections::BTreeSet::new();
    for d in indice["documents"].as_array().unwrap() {
        // One document of each kind is enough to check each template.
        if !d["path"].as_str().unwrap().ends_with(".pdf")
            || !visti.insert(d["kind"].as_str().unwrap().to_string())
        {
            continue;
        }
        let pdf = out.join(d["path"].as_str().unwrap());
        let meta = poppler("pdfinfo")
            .arg("-meta")
            .arg(&pdf)
            .output()
            .expect("pdfinfo (poppler-utils)");
        let xmp = String::from_utf8_lossy(&meta.stdout);
        assert!(
            xmp.contains("<pdfaid:part>2</pdfaid:part>") || xmp.contains("pdfaid:part=\"2\""),
            "{}: PDF/A-2 non dichiarato",
            pdf.display()
        );
        assert!(
            xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>")
                || xmp.contains("pdfaid:conformance=\"B\""),
            "{}",
            pdf.display()
        );
        let info = String::from_utf8_lossy(&poppler("pdfinfo").arg(&pdf).output().unwrap().stdout)
            .into_owned();
        assert!(
            info.contains("Author:") && info.contains("Università degli Studi di Valdarno"),
            "{info}"
        );
        assert!(info.contains("Title:"), "{info}");
        let fonts =
            String::from_utf8_lossy(&poppler("pdffonts").arg(&pdf).output().unwrap().stdout)
                .into_owned();
        for riga in fonts.lines().skip(2) {
            let campi: Vec<&str> = riga.split_whitespace().collect();
            // Columns: name type [encoding] emb sub uni object ID; "emb" is the 5th from the end.
            assert_eq!(
                campi[campi.len() - 5],
                "yes",
                "{}: font non incorporato: {riga}",
                pdf.display()
            );
        }
        // qpdf's structural check, through pikepdf (which bundles qpdf).
        let qpdf = strumenti()
            .python()
            .arg(radice().join("tests/strumenti/controlla_pdf.py"))
            .arg(&pdf)
            .output()
            .expect("controlla_pdf.py");
        assert!(
            qpdf.status.success(),
            "controllo qpdf di {}: {}{}",
            pdf.display(),
            String::from_utf8_lossy(&qpdf.stdout),
            String::from_utf8_lossy(&qpdf.stderr)
        );
    }
    assert!(visti.len() >= 2);
}
