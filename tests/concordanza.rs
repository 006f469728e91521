//! Every office and every person agrees with who holds it or who it is, in
//! every document: the demo is rewritten so that every holder (rector,
//! director general, heads of office, directors, committee members,
//! candidates, participants, teachers' titles) is a woman, then a man; every
//! document is rendered and its text searched for the forms of the other
//! gender.

mod common;

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use common::*;
use serde_json::Value;

/// "F" or "M": the gender every holder gets.
#[derive(Clone, Copy, PartialEq)]
enum Tutti {
    Donne,
    Uomini,
}

impl Tutti {
    fn codice(self) -> &'static str {
        match self {
            Tutti::Donne => "F",
            Tutti::Uomini => "M",
        }
    }

    /// A title agreeing with the gender: "Prof." ↔ "Prof.ssa".
    fn titolo(self, t: &str) -> String {
        let base = t.trim().trim_end_matches("ssa").trim_end_matches('.');
        match (self, base) {
            (Tutti::Donne, "Prof" | "Dott" | "Dr") => format!("{base}.ssa"),
            (Tutti::Uomini, "Prof" | "Dott" | "Dr") => format!("{base}."),
            _ => t.to_string(),
        }
    }
}

/// Every object naming a person (`nome` and `cognome`): its title agreed
/// and, where it has a gender, the gender set.
fn riscrivi_json(v: &mut Value, chi: Tutti) {
    match v {
        Value::Object(o) => {
            if o.contains_key("nome") && o.contains_key("cognome") {
                if let Some(Value::String(t)) = o.get("titolo") {
                    let t = chi.titolo(t);
                    o.insert("titolo".into(), Value::String(t));
                }
                if o.contains_key("genere") {
                    o.insert("genere".into(), Value::String(chi.codice().into()));
                }
            }
            for (_, x) in o.iter_mut() {
                riscrivi_json(x, chi);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| riscrivi_json(x, chi)),
        _ => {}
    }
}

/// A cell of a workbook as a roster in CSV writes it.
fn cella_csv(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string().replace('.', ","),
        Data::Bool(b) => if *b { "sì" } else { "no" }.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|d| d.date().format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        altro => altro.to_string(),
    }
}

/// The rows of a roster (CSV or Excel), header first.
fn righe_roster(file: &Path) -> Vec<Vec<String>> {
    if file.extension().is_some_and(|e| e == "csv") {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(file)
            .unwrap();
        r.records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    } else {
        let mut wb = open_workbook_auto(file).unwrap();
        let foglio = wb.worksheet_range_at(0).unwrap().unwrap();
        foglio
            .rows()
            .map(|r| r.iter().map(cella_csv).collect())
            .collect()
    }
}

/// A copy of the demo where every holder is `chi`.
fn demo_di(chi: Tutti, dest: &Path) {
    copia(&fixture("demo"), dest);
    let mut json = vec![dest.join("ateneo.json")];
    for e in std::fs::read_dir(dest.join("corsi")).unwrap() {
        json.push(e.unwrap().path());
    }
    for f in json {
        let mut v: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
        riscrivi_json(&mut v, chi);
        // Recitals the office writes by hand name the director too; the
        // office would write them for the new director.
        let testo = serde_json::to_string_pretty(&v).unwrap();
        let testo = match chi {
            Tutti::Donne => testo.replace("dal Direttore del corso", "dalla Direttrice del corso"),
            Tutti::Uomini => testo.replace("dalla Direttrice del corso", "dal Direttore del corso"),
        };
        std::fs::write(&f, testo).unwrap();
    }
    // The documents the secretariat files by hand in the dossier are
    // printed letters whose words no rewrite of the data changes.
    std::fs::remove_dir_all(dest.join("dossier")).unwrap();
    // Rosters: the gender column of every row; a workbook becomes a CSV
    // with the same cells.
    for e in std::fs::read_dir(dest.join("iscrizioni")).unwrap() {
        let f = e.unwrap().path();
        let mut righe = righe_roster(&f);
        let g = righe[0].iter().position(|c| c == "genere").unwrap();
        for r in righe.iter_mut().skip(1) {
            r[g] = chi.codice().into();
        }
        std::fs::remove_file(&f).unwrap();
        let mut w = csv::Writer::from_path(f.with_extension("csv")).unwrap();
        for r in righe {
            w.write_record(&r).unwrap();
        }
        w.flush().unwrap();
    }
}

/// Builds the demo where every holder is `chi`; the text of every document
/// by path.
fn testi(chi: Tutti) -> Vec<(String, String)> {
    let dati = tempfile::tempdir().unwrap();
    demo_di(chi, dati.path());
    let out = tempfile::tempdir().unwrap();
    build_riuscita(dati.path(), out.path(), &[]);
    let documenti = indice_di(out.path());
    // Every document of the demo but the dossier's supplied letters.
    assert_eq!(
        documenti.iter().filter(|d| d["kind"] != "dossier").count(),
        92,
        "il demo riscritto dà tutti i documenti"
    );
    documenti
        .iter()
        .map(|d| {
            let p = d["path"].as_str().unwrap().to_string();
            let t = testo_pdf(&out.path().join(&p));
            (p, t)
        })
        .collect()
}

/// Fails on every `sbagliate` form found in a document whose path
/// contains one of `dove` (all documents when empty).
fn nessuna(testi: &[(String, String)], sbagliate: &[(&str, &[&str])]) -> Vec<String> {
    let mut errori = Vec::new();
    for (p, t) in testi {
        for (forma, dove) in sbagliate {
            if (dove.is_empty() || dove.iter().any(|d| p.contains(d))) && t.contains(forma) {
                let i = t.find(forma).unwrap();
                let mut da = i.saturating_sub(60);
                while !t.is_char_boundary(da) {
                    da -= 1;
                }
                let mut a = (i + forma.len() + 60).min(t.len());
                while !t.is_char_boundary(a) {
                    a += 1;
                }
                errori.push(format!("{p}: «{forma}» in «…{}…»", &t[da..a]));
            }
        }
    }
    errori
}

/// Fails unless every `giuste` form appears in some document whose path
/// contains `dove`.
fn tutte(testi: &[(String, String)], giuste: &[(&str, &str)]) -> Vec<String> {
    giuste
        .iter()
        .filter(|(forma, dove)| {
            !testi
                .iter()
                .any(|(p, t)| p.contains(dove) && t.contains(forma))
        })
        .map(|(forma, dove)| format!("«{forma}» non compare in nessun documento «{dove}»"))
        .collect()
}

/// Everywhere.
const OVUNQUE: &[&str] = &[];
/// Documents about a person or a ranking, where generic wording about
/// applicants ("chi ha conseguito il titolo può essere ammesso") does not
/// appear.
const PERSONE: &[&str] = &["/attestati/", "/pergamene/", "/decreti/"];

#[test]
fn tutte_donne() {
    let t = testi(Tutti::Donne);
    let sbagliate: &[(&str, &[&str])] = &[
        ("Rettore", OVUNQUE),
        ("RETTORE", OVUNQUE),
        ("Direttore", OVUNQUE),
        ("DIRETTORE", OVUNQUE),
        ("Vicedirettore", OVUNQUE),
        ("Coordinatore", OVUNQUE),
        ("Segretario", OVUNQUE),
        ("il Presidente", OVUNQUE),
        ("Il Presidente", OVUNQUE),
        ("il Responsabile", OVUNQUE),
        // "Il Responsabile della protezione dei dati" is the course's own
        // text about another office.
        (
            "Il Responsabile",
            &["/attestati/", "/decreti/", "/pergamene/"],
        ),
        ("il responsabile", OVUNQUE),
        ("dal responsabile", OVUNQUE),
        ("responsabile amministrativo", OVUNQUE),
        ("Componente esterno", OVUNQUE),
        ("al Prof.", OVUNQUE),
        ("il Prof.", OVUNQUE),
        ("Prof. ", OVUNQUE),
        ("Dott. ", OVUNQUE),
        ("il dott.", OVUNQUE),
        (" nato a ", OVUNQUE),
        ("nominato", OVUNQUE),
        ("delegato", OVUNQUE),
        ("designato", OVUNQUE),
        ("sottoscritto", PERSONE),
        ("iscritto in qualità", PERSONE),
        ("iscritto al corso singolo", PERSONE),
        ("allievo", PERSONE),
        ("in qualità di uditore", PERSONE),
        ("dell'interessato", OVUNQUE),
        ("il candidato", PERSONE),
        ("Il candidato", PERSONE),
        ("i candidati", PERSONE),
        ("I candidati", PERSONE),
        ("candidati ammessi", PERSONE),
        ("idoneo", PERSONE),
        ("esito «ammesso»", PERSONE),
        ("È ammesso al", PERSONE),
        ("potrà essere ammesso", PERSONE),
        ("collocato", PERSONE),
        ("collocati", PERSONE),
    ];
    let giuste: &[(&str, &str)] = &[
        ("LA RETTRICE", "/decreti/"),
        ("LA RETTRICE", "/pergamene/"),
        ("LA RETTRICE", "/bando/"),
        ("dalla Rettrice", "/decreti/"),
        ("dalla Rettrice", "/bando/"),
        ("La Direttrice Generale", "/pergamene/"),
        ("La Direttrice del Dipartimento", "/pergamene/"),
        ("su richiesta della Direttrice del corso", "/decreti/"),
        (
            "La direzione del corso è affidata alla Prof.ssa",
            "/decreti/",
        ),
        ("La Direttrice del Master è la Prof.ssa", "/bando/"),
        ("Direttrice del corso", "/dossier/"),
        ("La Responsabile", "/attestati/"),
        ("la responsabile del procedimento è la Dott.ssa", "/bando/"),
        ("Presidente", "/decreti/"),
        ("Segretaria verbalizzante", "/decreti/"),
        ("Vicedirettrice", "/decreti/"),
        ("Coordinatrice", "/bando/"),
        ("Componente esterna", "/decreti/"),
        (" nata a ", "/attestati/"),
        (" nata a ", "/pergamene/"),
        ("la dott.ssa", "/attestati/"),
        ("iscritta in qualità di allieva", "/attestati/"),
        ("ammessa in qualità di uditrice", "/attestati/"),
        ("dell'interessata", "/attestati/"),
        ("le candidate ammesse", "/decreti/"),
        ("Le candidate ammesse perfezionano", "/decreti/"),
        ("ammessa", "/decreti/"),
        ("idonea", "/decreti/"),
    ];
    let mut errori = nessuna(&t, sbagliate);
    errori.extend(tutte(&t, giuste));
    assert!(errori.is_empty(), "{}", errori.join("\n"));
}

#[test]
fn tutti_uomini() {
    let t = testi(Tutti::Uomini);
    let sbagliate: &[(&str, &[&str])] = &[
        ("Rettrice", OVUNQUE),
        ("RETTRICE", OVUNQUE),
        ("Direttrice", OVUNQUE),
        ("DIRETTRICE", OVUNQUE),
        ("Vicedirettrice", OVUNQUE),
        ("Coordinatrice", OVUNQUE),
        ("Segretaria", OVUNQUE),
        ("la Presidente", OVUNQUE),
        ("La Presidente", OVUNQUE),
        ("la Responsabile", OVUNQUE),
        ("La Responsabile", OVUNQUE),
        ("la responsabile", OVUNQUE),
        ("dalla responsabile", OVUNQUE),
        ("responsabile amministrativa", OVUNQUE),
        ("Componente esterna", OVUNQUE),
        ("alla Prof.", OVUNQUE),
        ("la Prof.", OVUNQUE),
        ("Prof.ssa", OVUNQUE),
        ("Dott.ssa", OVUNQUE),
        ("dott.ssa", OVUNQUE),
        (" nata a ", OVUNQUE),
        ("nominata dal", OVUNQUE),
        ("delegata", OVUNQUE),
        ("designata", OVUNQUE),
        ("sottoscritta", PERSONE),
        ("iscritta in qualità", PERSONE),
        ("iscritta al corso singolo", PERSONE),
        ("allieva", PERSONE),
        ("in qualità di uditrice", PERSONE),
        ("dell'interessata", OVUNQUE),
        ("la candidata", PERSONE),
        ("La candidata", PERSONE),
        ("le candidate", PERSONE),
        ("Le candidate", PERSONE),
        ("ammessa", PERSONE),
        ("esito «ammessa»", PERSONE),
        ("È ammessa al", PERSONE),
        ("idonea", PERSONE),
        ("idonee", PERSONE),
        ("collocata", PERSONE),
        ("collocate", PERSONE),
    ];
    let giuste: &[(&str, &str)] = &[
        ("IL RETTORE", "/decreti/"),
        ("IL RETTORE", "/pergamene/"),
        ("IL RETTORE", "/bando/"),
        ("dal Rettore", "/decreti/"),
        ("dal Rettore", "/bando/"),
        ("Il Direttore Generale", "/pergamene/"),
        ("Il Direttore del Dipartimento", "/pergamene/"),
        ("su richiesta del Direttore del corso", "/decreti/"),
        ("La direzione del corso è affidata al Prof.", "/decreti/"),
        ("Il Direttore del Master è il Prof.", "/bando/"),
        ("Direttore del corso", "/dossier/"),
        ("Il Responsabile", "/attestati/"),
        ("il responsabile del procedimento è il Dott.", "/bando/"),
        ("Presidente", "/decreti/"),
        ("Segretario verbalizzante", "/decreti/"),
        ("Vicedirettore", "/decreti/"),
        ("Coordinatore", "/bando/"),
        ("Componente esterno", "/decreti/"),
        (" nato a ", "/attestati/"),
        (" nato a ", "/pergamene/"),
        ("il dott.", "/attestati/"),
        ("iscritto in qualità di allievo", "/attestati/"),
        ("ammesso in qualità di uditore", "/attestati/"),
        ("dell'interessato", "/attestati/"),
        ("i candidati ammessi", "/decreti/"),
        ("ammesso", "/decreti/"),
        ("idoneo", "/decreti/"),
    ];
    let mut errori = nessuna(&t, sbagliate);
    errori.extend(tutte(&t, giuste));
    assert!(errori.is_empty(), "{}", errori.join("\n"));
}

/// A signatory whose gender neither the data nor the title tells is
/// refused, naming the file and the field and saying what to add; a
/// feminine title is enough.
#[test]
fn genere_di_chi_firma_richiesto() {
    let dati = tempfile::tempdir().unwrap();
    copia(&fixture("minimal"), dati.path());
    let f = dati.path().join("ateneo.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
    v["rettore"].as_object_mut().unwrap().remove("genere");
    v["rettore"]["titolo"] = "Prof.".into();
    v["direttore_generale"]
        .as_object_mut()
        .unwrap()
        .remove("genere");
    v["direttore_generale"]["titolo"] = "Dott.ssa".into();
    std::fs::write(&f, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    // A committee member with a title that tells nothing, and one whose
    // title does.
    let fc = dati.path().join("corsi/formazione-comunicazione.json");
    let mut c: Value = serde_json::from_slice(&std::fs::read(&fc).unwrap()).unwrap();
    c["comitato"] = serde_json::json!([
        { "nome": "Ada", "cognome": "Neri", "titolo": "Prof.", "ruolo": "Componente" },
        { "nome": "Eva", "cognome": "Bini", "titolo": "Prof.ssa", "ruolo": "Segretario" }
    ]);
    std::fs::write(&fc, serde_json::to_vec_pretty(&c).unwrap()).unwrap();
    let r = lauream(&["check", dati.path().to_str().unwrap()]);
    let err = String::from_utf8_lossy(&r.stderr).into_owned() + &String::from_utf8_lossy(&r.stdout);
    assert!(!r.status.success(), "{err}");
    assert!(err.contains("ateneo.json"), "{err}");
    assert!(err.contains("$.rettore.genere"), "{err}");
    assert!(err.contains("\"genere\": \"F\""), "{err}");
    assert!(err.contains("«Prof.»"), "{err}");
    // "Dott.ssa" tells the gender: no error for the director general.
    assert!(!err.contains("$.direttore_generale"), "{err}");
    assert!(
        err.contains("corsi/formazione-comunicazione.json, $.comitato[0].genere"),
        "{err}"
    );
    assert!(!err.contains("$.comitato[1]"), "{err}");

    // With the gender given, the same dataset builds, and the director
    // general (told by her title) signs as a woman.
    v["rettore"]["genere"] = "M".into();
    std::fs::write(&f, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    c["comitato"][0]["genere"] = "F".into();
    std::fs::write(&fc, serde_json::to_vec_pretty(&c).unwrap()).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_riuscita(dati.path(), out.path(), &[]);
    let bando = out
        .path()
        .join("2025-2026/formazione-comunicazione/bando/bando-formazione-comunicazione.pdf");
    let t = testo_pdf(&bando);
    assert!(t.contains("IL RETTORE"), "{t}");
    // The member's role agrees with her title: "Segretaria".
    assert!(t.contains("Prof.ssa Eva Bini (Segretaria)"), "{t}");
}

/// The signature block wraps only between words: a long office and a long
/// name come out whole, with no word split or hyphenated.
#[test]
fn firma_a_capo_solo_tra_parole() {
    let dati = tempfile::tempdir().unwrap();
    copia(&fixture("minimal"), dati.path());
    let f = dati.path().join("ateneo.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
    // A compound surname longer than half a line: a signature that wraps
    // inside words would break it at a hyphen.
    let nome = "Maria Giovanna";
    let cognome = "Bonaccorsi-Pignatelli-Montefeltro-Dellacasa";
    v["ufficio_post_lauream"]["nome"] =
        "Ufficio Interdipartimentale Postlauream Internazionalizzazione Specializzazioni Perfezionamenti".into();
    v["ufficio_post_lauream"]["responsabile"] = serde_json::json!({
        "nome": nome, "cognome": cognome, "titolo": "Dott.ssa", "genere": "F"
    });
    v["rettore"]["nome"] = nome.into();
    v["rettore"]["cognome"] = cognome.into();
    std::fs::write(&f, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    let out = tempfile::tempdir().unwrap();
    build_riuscita(dati.path(), out.path(), &[]);
    let mut visti = 0;
    for d in indice_di(out.path()) {
        // Signed by the rector (calls, decrees) or by the office's head
        // (certificates but the auditors', which the department issues).
        let percorso = d["path"].as_str().unwrap();
        if !(d["kind"] == "bando" || d["kind"] == "decreto" || d["kind"] == "attestato")
            || percorso.contains("uditore")
        {
            continue;
        }
        let p = out.path().join(percorso);
        let grezzo = testo_pdf_layout(&p);
        // Every word of the name and of the office is whole on some line.
        let parole: Vec<&str> = grezzo.split_whitespace().collect();
        for w in format!("{nome} {cognome}").split(' ') {
            assert!(
                parole.contains(&w),
                "{}: «{w}» spezzata:\n{grezzo}",
                p.display()
            );
        }
        for riga in grezzo.lines() {
            let r = riga.trim_end();
            assert!(
                (!r.ends_with('-') || r.ends_with(" -")) && !r.contains('\u{ad}'),
                "{}: parola spezzata con un trattino: «{r}»",
                p.display()
            );
        }
        visti += 1;
    }
    assert!(visti > 0);
}

/// A roster row that leaves the gender empty takes it from the tax code
/// (day of birth + 40 for women): "nata a …", never "nato/a".
#[test]
fn genere_vuoto_preso_dal_codice_fiscale() {
    let dati = tempfile::tempdir().unwrap();
    copia(&fixture("minimal"), dati.path());
    let mut attesi = std::collections::HashMap::new();
    for e in std::fs::read_dir(dati.path().join("iscrizioni")).unwrap() {
        let f = e.unwrap().path();
        let mut righe = righe_roster(&f);
        let g = righe[0].iter().position(|c| c == "genere").unwrap();
        let cf = righe[0].iter().position(|c| c == "codice_fiscale").unwrap();
        for r in righe.iter_mut().skip(1) {
            r[g] = String::new();
            // Omocodia letters stand for digits (L=0 … V=9).
            let giorno: String = r[cf][9..11]
                .chars()
                .map(|c| match "LMNPQRSTUV".find(c) {
                    Some(i) => char::from_digit(i as u32, 10).unwrap(),
                    None => c,
                })
                .collect();
            let donna = giorno.parse::<u32>().unwrap() > 40;
            attesi.insert(r[cf].clone(), if donna { " nata a " } else { " nato a " });
        }
        let mut w = csv::Writer::from_path(&f).unwrap();
        for r in righe {
            w.write_record(&r).unwrap();
        }
        w.flush().unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    build_riuscita(dati.path(), out.path(), &[]);
    let mut visti = std::collections::HashSet::new();
    for d in indice_di(out.path()) {
        let Some(cf) = d["person"].as_str() else {
            continue;
        };
        let t = testo_pdf(&out.path().join(d["path"].as_str().unwrap()));
        let atteso = attesi[cf];
        assert!(t.contains(atteso), "{cf}: manca «{atteso}»: {t}");
        assert!(
            !t.contains("nato/a") && !t.contains("data e luogo di nascita"),
            "{t}"
        );
        visti.insert(atteso);
    }
    assert_eq!(visti.len(), 2, "il dataset minimo ha donne e uomini");
}
