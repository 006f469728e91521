//! Builds the rector's decrees of `fixtures/demo` with the real binary and
//! checks them through the text `pdftotext` extracts, against expectations
//! computed straight from the fixture's JSON.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

/// The demo's decrees, built once for every test in this file.
fn demo() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = lauream_build(&fixture("demo"), dir.path(), &["--kind", "decreto"]);
        assert!(
            out.status.success(),
            "build fallita:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

fn indice() -> Vec<Value> {
    let v: Value =
        serde_json::from_slice(&std::fs::read(demo().join("index.json")).unwrap()).unwrap();
    v["documents"].as_array().unwrap().clone()
}

fn json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn ateneo() -> Value {
    json(&fixture("demo/ateneo.json"))
}

fn corsi() -> Vec<Value> {
    let mut v: Vec<Value> = std::fs::read_dir(fixture("demo/corsi"))
        .unwrap()
        .map(|e| json(&e.unwrap().path()))
        .collect();
    v.sort_by_key(|c| c["id"].as_str().unwrap().to_string());
    v
}

/// "del 15 luglio 2025", "dell'8 luglio 2025"; same for "al".
fn con(prep: &str, iso: &str) -> String {
    let d = data_it(iso);
    if d.starts_with("8 ") || d.starts_with("11 ") {
        format!("{prep}l'{d}")
    } else {
        format!("{prep} {d}")
    }
}

/// A decree's number as the university's format writes it.
fn estremi(dr: &Value) -> String {
    let a = ateneo();
    let f = a["regolamento"]["formato_decreto"].as_str().unwrap();
    let data = dr["data"].as_str().unwrap();
    f.replace("del {data}", &con("del", data))
        .replace("{data}", &data_it(data))
        .replace("{anno}", &data[..4])
        .replace("{numero}", dr["numero"].as_str().unwrap())
}

/// Every decree the demo should have: (path, decree, course).
fn attesi() -> Vec<(String, Value, Option<Value>)> {
    let mut v = Vec::new();
    if let Some(dr) = ateneo().get("decreto_offerta") {
        v.push((
            format!(
                "2025-2026/decreti/dr-{}-offerta-formativa.pdf",
                dr["numero"].as_str().unwrap()
            ),
            dr.clone(),
            None,
        ));
    }
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let mut add = |dr: &Value, genere: &str| {
            v.push((
                format!(
                    "2025-2026/{id}/decreti/dr-{}-{genere}.pdf",
                    dr["numero"].as_str().unwrap()
                ),
                dr.clone(),
                Some(c.clone()),
            ))
        };
        if let Some(dr) = c.get("attivazione").filter(|x| !x.is_null()) {
            add(dr, "attivazione");
        }
        for p in c["date"]["proroghe"].as_array().into_iter().flatten() {
            if let Some(dr) = p.get("decreto").filter(|x| !x.is_null()) {
                add(dr, "proroga");
            }
        }
        if let Some(g) = c.get("graduatoria").filter(|x| !x.is_null()) {
            add(&g["decreto"], "graduatoria");
        }
        if let Some(k) = c.get("commissione").filter(|x| !x.is_null()) {
            add(&k["decreto"], "commissione");
        }
    }
    v
}

/// The department Directors' decrees the demo should have: (path,
/// committee, course). The final-exam committee of a Master is appointed by
/// the department, not by the Rector (Art. 11.3).
fn attesi_dipartimento() -> Vec<(String, Value, Value)> {
    let mut v = Vec::new();
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        if let Some(k) = c.get("commissione_finale").filter(|x| !x.is_null()) {
            let n = k["decreto"]["numero"].as_str().unwrap();
            v.push((
                format!("2025-2026/{id}/decreti/dd-{n}-commissione.pdf"),
                k.clone(),
                c.clone(),
            ));
        }
    }
    v
}

fn testo_di(percorso: &str) -> String {
    testo_pdf(&demo().join(percorso))
}

#[test]
fn ogni_decreto_previsto_dai_dati_esiste() {
    let attesi = attesi();
    // The demo has every kind: year's offer, activation, extension, ranking, committee.
    for genere in [
        "offerta-formativa",
        "attivazione",
        "proroga",
        "graduatoria",
        "commissione",
    ] {
        assert!(
            attesi
                .iter()
                .any(|(p, _, _)| p.ends_with(&format!("-{genere}.pdf"))),
            "la demo non ha decreti di tipo {genere}"
        );
    }
    let mut percorsi: Vec<String> = attesi.iter().map(|(p, _, _)| p.clone()).collect();
    percorsi.extend(attesi_dipartimento().into_iter().map(|(p, _, _)| p));
    percorsi.sort();
    let docs = indice();
    let mut trovati: Vec<String> = docs
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect();
    trovati.sort();
    assert_eq!(trovati, percorsi);
    for d in &docs {
        assert_eq!(d["kind"], "decreto");
        assert!(d["person"].is_null(), "{d}");
        let anno = d["path"].as_str().unwrap().contains("offerta-formativa");
        assert_eq!(d["course"].is_null(), anno, "{d}");
    }
}

#[test]
fn struttura_di_ogni_decreto() {
    let a = ateneo();
    let rettore = &a["rettore"];
    let firma = format!(
        "{} {} {}",
        rettore["titolo"].as_str().unwrap(),
        rettore["nome"].as_str().unwrap(),
        rettore["cognome"].as_str().unwrap()
    );
    // The office agrees with who holds it.
    let organo = if rettore["genere"] == "F" {
        "LA RETTRICE"
    } else {
        "IL RETTORE"
    };
    for (percorso, dr, _) in attesi() {
        let t = testo_di(&percorso);
        let num = estremi(&dr);
        assert!(t.contains(&num), "{percorso}: manca «{num}» in: {t}");
        if let Some(p) = dr["protocollo"].as_str() {
            let p = p.trim_start_matches("prot.").trim_start_matches("Prot.");
            assert!(t.contains(p), "{percorso}: manca il protocollo «{p}»");
        }
        let rettore_i = t.find(organo).expect(organo);
        let decreta = t.find("DECRETA").expect("DECRETA");
        assert!(rettore_i < decreta);
        assert!(t.contains("VISTO ") && t.contains("VISTA "), "{percorso}");
        // The university's standard references, each recited before DECRETA.
        for r in a["riferimenti_normativi"].as_array().unwrap() {
            let r = normalizza(r.as_str().unwrap());
            let i = t
                .find(&r)
                .unwrap_or_else(|| panic!("{percorso}: manca «{r}»"));
            assert!(i < decreta);
            let parola = if r.starts_with("la ") {
                "VISTA"
            } else {
                "VISTO"
            };
            assert!(
                t.contains(&format!("{parola} {r}")),
                "{percorso}: «{r}» va preceduto da {parola}"
            );
        }
        for v in dr["visti"].as_array().into_iter().flatten() {
            assert!(t.contains(&normalizza(v.as_str().unwrap())), "{percorso}");
        }
        for c in dr["considerato"].as_array().into_iter().flatten() {
            let c = normalizza(c.as_str().unwrap());
            assert!(t.contains(&format!("CONSIDERATO {c}")), "{percorso}: «{c}»");
        }

        // Articles numbered from 1 without gaps, all after DECRETA.
        let dopo = &t[decreta..];
        let mut numeri = Vec::new();
        let mut resto = dopo;
        while let Some(i) = resto.find("Art. ") {
            let cifre: String = resto[i + 5..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if !cifre.is_empty() && resto[i + 5 + cifre.len()..].starts_with(" – ") {
                numeri.push(cifre.parse::<usize>().unwrap());
            }
            resto = &resto[i + 5..];
        }
        assert!(numeri.len() >= 2, "{percorso}: articoli {numeri:?}");
        assert_eq!(
            numeri,
            (1..=numeri.len()).collect::<Vec<_>>(),
            "{percorso}: articoli non consecutivi"
        );
        assert!(!t[..decreta].contains("Art. 1 –"));

        // Place, date and the Rector's signature, at the end.
        let chiusura = format!(
            "{}, {}",
            a["citta"].as_str().unwrap(),
            data_it(dr["data"].as_str().unwrap())
        );
        let c = t
            .rfind(&chiusura)
            .unwrap_or_else(|| panic!("{percorso}: manca «{chiusura}»"));
        let coda = &t[c..];
        assert!(coda.contains(organo), "{percorso}: {coda}");
        assert!(coda.contains(&firma), "{percorso}: {coda}");
        assert!(
            coda.contains("firmato digitalmente ai sensi del D.Lgs. 82/2005"),
            "{percorso}: {coda}"
        );
    }
}

#[test]
fn delibere_del_corso_recitate_con_la_data() {
    for (percorso, dr, corso) in attesi() {
        let Some(c) = corso else { continue };
        let t = testo_di(&percorso);
        for d in c["delibere"].as_array().into_iter().flatten() {
            let data = d["data"].as_str().unwrap();
            // Only resolutions adopted by the decree's date can be recited.
            if data > dr["data"].as_str().unwrap() {
                continue;
            }
            let atteso = format!(
                "VISTA la delibera del {} {}",
                normalizza(d["organo"].as_str().unwrap()),
                con("del", data)
            );
            assert!(t.contains(&atteso), "{percorso}: manca «{atteso}» in {t}");
        }
    }
}

/// Hundredths from "78,50" or 78.5.
fn centesimi(v: &Value) -> i64 {
    let s = match v {
        Value::String(s) => s.replace(',', "."),
        v => v.to_string(),
    };
    let (i, f) = s.split_once('.').unwrap_or((&s, "0"));
    let f = format!("{f:0<2}");
    i.parse::<i64>().unwrap() * 100 + f[..2].parse::<i64>().unwrap()
}

#[test]
fn graduatoria_in_ordine_di_punteggio() {
    let mut controllate = 0;
    for c in corsi() {
        let Some(g) = c.get("graduatoria").filter(|g| !g.is_null()) else {
            continue;
        };
        let mut k: Vec<&Value> = g["candidati"].as_array().unwrap().iter().collect();
        // Score descending; on a tie the younger (later birth date) first.
        k.sort_by(|a, b| {
            centesimi(&b["punteggio"])
                .cmp(&centesimi(&a["punteggio"]))
                .then_with(|| {
                    b["data_nascita"]
                        .as_str()
                        .unwrap_or("")
                        .cmp(a["data_nascita"].as_str().unwrap_or(""))
                })
        });
        let percorso = format!(
            "2025-2026/{}/decreti/dr-{}-graduatoria.pdf",
            c["id"].as_str().unwrap(),
            g["decreto"]["numero"].as_str().unwrap()
        );
        let t = testo_di(&percorso);
        assert!(t.contains("È approvata la seguente graduatoria di merito"));
        assert!(t.contains("Albo ufficiale"), "{t}");
        let mut ultimo = 0;
        for cand in &k {
            let nome = format!(
                "{} {}",
                cand["cognome"].as_str().unwrap(),
                cand["nome"].as_str().unwrap()
            );
            let i = t[ultimo..]
                .find(&nome)
                .unwrap_or_else(|| panic!("{percorso}: «{nome}» assente o fuori ordine in {t}"))
                + ultimo;
            ultimo = i + nome.len();
            let p = centesimi(&cand["punteggio"]);
            let punteggio = format!("{},{:02}", p / 100, p % 100);
            assert!(t.contains(&punteggio), "{percorso}: manca {punteggio}");
        }
        let posti = c["posti"]["massimo"].as_u64().unwrap();
        assert!(
            t.contains(&format!("nel limite dei posti disponibili ({posti})"))
                || !k.iter().any(|c| c["esito"] == "ammesso"),
            "{percorso}"
        );
        if k.iter().any(|c| c["esito"] == "idoneo") {
            assert!(t.contains("qualora si rendano disponibili posti"), "{t}");
        }
        // Outcomes agree with the candidate's gender.
        for cand in &k {
            if cand["esito"] == "ammesso" && cand["genere"] == "F" {
                assert!(t.contains("ammessa"));
            }
            if cand["esito"] == "non_ammesso" {
                assert!(t.contains("non ammess"));
            }
        }
        controllate += 1;
    }
    assert!(controllate >= 2, "la demo ha almeno due graduatorie");
}

#[test]
fn proroga_nomina_la_nuova_scadenza() {
    let mut controllate = 0;
    for c in corsi() {
        let mut scadenza = c["date"]["scadenza"].as_str().unwrap().to_string();
        for p in c["date"]["proroghe"].as_array().into_iter().flatten() {
            let nuova = p["nuova_scadenza"].as_str().unwrap();
            if let Some(dr) = p.get("decreto").filter(|x| !x.is_null()) {
                let percorso = format!(
                    "2025-2026/{}/decreti/dr-{}-proroga.pdf",
                    c["id"].as_str().unwrap(),
                    dr["numero"].as_str().unwrap()
                );
                let t = testo_di(&percorso);
                let frase = format!("è prorogato {}", con("al", nuova));
                assert!(t.contains(&frase), "{percorso}: manca «{frase}» in {t}");
                let fissato = format!("fissato {}", con("al", &scadenza));
                assert!(t.contains(&fissato), "{percorso}: manca «{fissato}»");
                assert!(t.contains("Il termine di scadenza per la presentazione delle domande"));
                if let Some(del) = p["delibera"].as_str() {
                    assert!(
                        t.contains(&normalizza(del)),
                        "{percorso}: manca la delibera"
                    );
                }
                assert!(t.contains("numero minimo"), "{percorso}");
                controllate += 1;
            }
            scadenza = nuova.to_string();
        }
    }
    assert!(controllate >= 1);
}

#[test]
fn commissione_con_componenti_e_ruoli() {
    let mut controllate = 0;
    for c in corsi() {
        let Some(k) = c.get("commissione").filter(|g| !g.is_null()) else {
            continue;
        };
        let percorso = format!(
            "2025-2026/{}/decreti/dr-{}-commissione.pdf",
            c["id"].as_str().unwrap(),
            k["decreto"]["numero"].as_str().unwrap()
        );
        let t = testo_di(&percorso);
        assert!(t.contains("È nominata la Commissione giudicatrice"), "{t}");
        if let Some(o) = k["oggetto"].as_str() {
            assert!(t.contains(o), "{percorso}: manca l'oggetto «{o}»");
        }
        for m in k["componenti"].as_array().unwrap() {
            let nome = format!(
                "{} {} {}",
                m["titolo"].as_str().unwrap_or(""),
                m["nome"].as_str().unwrap(),
                m["cognome"].as_str().unwrap()
            );
            let nome = nome.trim();
            assert!(t.contains(nome), "{percorso}: manca «{nome}»");
            if let Some(r) = m["ruolo"].as_str() {
                assert!(t.contains(r), "{percorso}: manca il ruolo «{r}»");
            }
        }
        controllate += 1;
    }
    assert!(controllate >= 1);
}

#[test]
fn attivazione_con_direttore_posti_e_contributo() {
    for c in corsi() {
        let Some(dr) = c.get("attivazione").filter(|x| !x.is_null()) else {
            continue;
        };
        let percorso = format!(
            "2025-2026/{}/decreti/dr-{}-attivazione.pdf",
            c["id"].as_str().unwrap(),
            dr["numero"].as_str().unwrap()
        );
        let t = testo_di(&percorso);
        let titolo = normalizza(c["titolo"].as_str().unwrap());
        assert!(t.contains(&format!("«{titolo}»")), "{percorso}");
        assert!(t.contains(&normalizza(c["dipartimento"]["nome"].as_str().unwrap())));
        let d = &c["direttore"];
        let direttore = format!(
            "{} {} {}",
            d["titolo"].as_str().unwrap(),
            d["nome"].as_str().unwrap(),
            d["cognome"].as_str().unwrap()
        );
        let prep = if d["genere"] == "F" { "alla" } else { "al" };
        assert!(
            t.contains(&format!("affidata {prep} {direttore}")),
            "{percorso}: direttore"
        );
        let (min, max) = (&c["posti"]["minimo"], &c["posti"]["massimo"]);
        assert!(t.contains(&format!("massimo di iscritti è fissato in {max}")));
        assert!(t.contains(&format!("fissato in {min}.")));
        let quota = centesimi(&c["quote"]["iscrizione"]);
        if quota == 0 {
            assert!(t.contains("gratuita"), "{percorso}");
        } else {
            assert!(
                t.contains("Il contributo di iscrizione è fissato in €"),
                "{percorso}"
            );
        }
    }
}

#[test]
fn decreto_dell_offerta_elenca_i_corsi_approvati_prima() {
    let dr = ateneo()["decreto_offerta"].clone();
    let percorso = format!(
        "2025-2026/decreti/dr-{}-offerta-formativa.pdf",
        dr["numero"].as_str().unwrap()
    );
    let t = testo_di(&percorso);
    let art1 = t.find("Art. 1 –").unwrap();
    let data = dr["data"].as_str().unwrap();
    let mut fuori = 0;
    for c in corsi() {
        let titolo = normalizza(c["titolo"].as_str().unwrap());
        // A course approved after the offer decree (a later window,
        // Guidelines §1) is not in it: its own decree activates it.
        let dopo = c["delibere"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["data"].as_str().unwrap() > data);
        if dopo {
            fuori += 1;
            assert!(
                !t.contains(&titolo),
                "«{titolo}» approvato dopo il decreto: {t}"
            );
            let att = &c["attivazione"];
            assert!(att["data"].as_str().unwrap() > data);
            let propria = testo_di(&format!(
                "2025-2026/{}/decreti/dr-{}-attivazione.pdf",
                c["id"].as_str().unwrap(),
                att["numero"].as_str().unwrap()
            ));
            assert!(propria.contains(&titolo), "{propria}");
            continue;
        }
        assert!(t[art1..].contains(&titolo), "manca «{titolo}» in {t}");
        let posti = format!("{}–{}", c["posti"]["minimo"], c["posti"]["massimo"]);
        assert!(t.contains(&posti), "mancano i posti {posti} di «{titolo}»");
    }
    assert_eq!(
        fuori, 1,
        "la demo ha un corso approvato dopo il decreto dell'offerta"
    );
    assert!(t.contains("anno accademico 2025/2026"));
}

#[test]
fn solo_il_filtro_per_corso_esclude_il_decreto_dell_anno() {
    let out = lauream(&[
        "plan",
        fixture("demo").to_str().unwrap(),
        "--course",
        "master-diritto-energia",
    ]);
    assert!(out.status.success());
    let piano: Value = serde_json::from_slice(&out.stdout).unwrap();
    let decreti: Vec<&str> = piano["documenti"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["tipo"] == "decreto")
        .map(|d| d["percorso"].as_str().unwrap())
        .collect();
    // Activation, extension, selection committee, ranking, and the
    // department's final-exam committee.
    assert_eq!(decreti.len(), 5, "{decreti:?}");
    assert!(decreti
        .iter()
        .all(|p| p.contains("/master-diritto-energia/")));
}

#[test]
fn commissione_finale_nominata_dal_direttore_del_dipartimento() {
    let attesi = attesi_dipartimento();
    assert!(
        !attesi.is_empty(),
        "la demo ha commissioni per la prova finale"
    );
    let a = ateneo();
    let rettore = a["rettore"]["cognome"].as_str().unwrap();
    for (percorso, k, c) in attesi {
        let t = testo_di(&percorso);
        let dr = &k["decreto"];
        // Numbered in the department's repertory, not in the Rector's format.
        let estremi = format!(
            "D.D. n. {} {}",
            dr["numero"].as_str().unwrap(),
            con("del", dr["data"].as_str().unwrap())
        );
        assert!(t.contains(&estremi), "{percorso}: manca «{estremi}» in {t}");
        let dip = &c["dipartimento"];
        let direttore = &dip["direttore"];
        let organo = if direttore["genere"] == "F" {
            "LA DIRETTRICE DEL DIPARTIMENTO"
        } else {
            "IL DIRETTORE DEL DIPARTIMENTO"
        };
        assert!(
            t.matches(organo).count() >= 2,
            "{percorso}: intestazione e firma: {t}"
        );
        assert!(
            t.contains(&normalizza(dip["nome"].as_str().unwrap())),
            "{percorso}"
        );
        let firma = format!(
            "{} {}",
            direttore["nome"].as_str().unwrap(),
            direttore["cognome"].as_str().unwrap()
        );
        assert!(t.contains(&firma), "{percorso}: firma {firma}");
        // Not a rector's decree.
        assert!(
            !t.contains("IL RETTORE") && !t.contains("LA RETTRICE"),
            "{percorso}"
        );
        assert!(!t.contains(rettore), "{percorso}: firma del Rettore");
        // It recites the course director's proposal with its date (Art. 11.3).
        let proposta = format!(
            "la proposta {}",
            con("del", k["proposta"].as_str().unwrap())
        );
        assert!(
            t.contains(&proposta),
            "{percorso}: manca «{proposta}» in {t}"
        );
        let dc = &c["direttore"];
        assert!(t.contains(&format!(
            "{} {}",
            dc["nome"].as_str().unwrap(),
            dc["cognome"].as_str().unwrap()
        )));
        assert!(t.contains("art. 11, comma 3"), "{percorso}");
        for m in k["componenti"].as_array().unwrap() {
            assert!(
                t.contains(m["cognome"].as_str().unwrap()),
                "{percorso}: {m}"
            );
        }
    }
}

/// A copy of the demo with one course file changed by `f`.
fn demo_con(dir: &Path, corso: &str, f: impl FnOnce(&mut Value)) -> std::path::PathBuf {
    let ds = dir.join("ds");
    copia(&fixture("demo"), &ds);
    let p = ds.join("corsi").join(format!("{corso}.json"));
    let mut v = json(&p);
    f(&mut v);
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    ds
}

#[test]
fn numeri_di_repertorio_distinti_per_chi_emana() {
    // The department's decree may have the number a rector's decree of the
    // same year has: two repertories, two sequences.
    let d = tempfile::tempdir().unwrap();
    let ds = demo_con(d.path(), "master-dati-pa", |c| {
        c["commissione_finale"]["decreto"]["numero"] = "47".into();
    });
    let out = d.path().join("out");
    build_riuscita(&ds, &out, &["--kind", "decreto"]);
    assert!(out
        .join("2025-2026/master-dati-pa/decreti/dd-47-commissione.pdf")
        .exists());
    assert!(out
        .join("2025-2026/summer-school-paesaggi/decreti/dr-47-attivazione.pdf")
        .exists());

    // Within one department's repertory a number is used once a year.
    let d = tempfile::tempdir().unwrap();
    let ds = demo_con(d.path(), "master-dati-pa", |c| {
        c["commissione"]["emanante"] = "dipartimento".into();
        c["commissione"]["decreto"]["data"] = "2026-11-20".into();
        c["commissione"]["decreto"]["numero"] = "27".into();
    });
    let o = lauream(&["check", ds.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("corsi/master-dati-pa.json, $.commissione_finale.decreto.numero")
            || err.contains("corsi/master-dati-pa.json, $.commissione.decreto.numero"),
        "{err}"
    );
}

#[test]
fn decreto_rettorale_per_la_prova_finale_di_un_master_rifiutato() {
    let d = tempfile::tempdir().unwrap();
    let ds = demo_con(d.path(), "master-diritto-energia", |c| {
        c["commissione_finale"]["emanante"] = "rettore".into();
    });
    let o = lauream(&["check", ds.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("corsi/master-diritto-energia.json, $.commissione_finale.emanante")
            && err.contains("Art. 11.3"),
        "{err}"
    );
}

/// The legal basis each kind of course rests on, as the recitals name the
/// act (art. 3 c. 9 D.M. 270/2004; artt. 16–17 D.P.R. 162/1982; art. 6 c. 2
/// L. 341/1990, letter b for aggiornamento, c for the others).
fn basi_attese(tipo: &str) -> Vec<&'static str> {
    const DM270: &str =
        "il Decreto Ministeriale 22 ottobre 2004, n. 270, e in particolare l'art. 3, comma 9";
    const DPR162: &str =
        "il Decreto del Presidente della Repubblica 10 marzo 1982, n. 162, e in particolare gli artt. 16 e 17";
    const L341B: &str =
        "la Legge 19 novembre 1990, n. 341, e in particolare l'art. 6, comma 2, lettera b)";
    const L341C: &str =
        "la Legge 19 novembre 1990, n. 341, e in particolare l'art. 6, comma 2, lettera c)";
    match tipo {
        "master_i" | "master_ii" => vec![DM270],
        "perfezionamento" => vec![DPR162, L341C],
        "aggiornamento" => vec![L341B, L341C],
        _ => vec![L341C],
    }
}

#[test]
fn ogni_decreto_recita_la_base_normativa_del_suo_tipo_di_corso() {
    let tutte: Vec<&str> = ["master_i", "perfezionamento", "aggiornamento", "formazione"]
        .into_iter()
        .flat_map(basi_attese)
        .collect();
    let mut tipi_visti = std::collections::BTreeSet::new();
    for (percorso, _, corso) in attesi() {
        let t = testo_di(&percorso);
        let decreta = t.find("DECRETA").expect("DECRETA");
        let attese: Vec<&str> = match &corso {
            Some(c) => {
                tipi_visti.insert(c["tipo"].as_str().unwrap().to_string());
                basi_attese(c["tipo"].as_str().unwrap())
            }
            // The offer decree: every kind of the year.
            None => corsi()
                .iter()
                .flat_map(|c| basi_attese(c["tipo"].as_str().unwrap()))
                .collect(),
        };
        for b in &attese {
            let parola = if b.starts_with("la ") {
                "VISTA"
            } else {
                "VISTO"
            };
            let recital = format!("{parola} {b}");
            let i = t
                .find(&recital)
                .unwrap_or_else(|| panic!("{percorso}: manca «{recital}» in {t}"));
            assert!(i < decreta, "{percorso}: «{b}» dopo DECRETA");
            // Each norm once, even when several courses rest on it.
            assert_eq!(t.matches(b).count(), 1, "{percorso}: «{b}» ripetuta");
        }
        // And no other kind's basis.
        for b in tutte.iter().filter(|b| !attese.contains(b)) {
            assert!(!t.contains(b), "{percorso}: base di un altro tipo «{b}»");
        }
        if let Some(c) = &corso {
            // The Master's act is never cited in a course of another kind, not even briefly.
            let master = c["tipo"].as_str().unwrap().starts_with("master");
            assert_eq!(t.contains("n. 270"), master, "{percorso}");
        }
    }
    // The demo has every family of kinds: Master, perfezionamento, formazione, aggiornamento, school.
    assert!(tipi_visti.len() >= 5, "{tipi_visti:?}");
}

#[test]
fn regola_di_parita_identica_nel_bando_e_nella_graduatoria() {
    const NORMA: &str = "art. 3, comma 7, della Legge 15 maggio 1997, n. 127, come modificato dall'art. 2, comma 9, della Legge 16 giugno 1998, n. 191";
    // The sentence as a candidate reads it, from "A parità" to the closing bracket.
    fn regola(t: &str) -> &str {
        let i = t.find("A parità di punteggio").expect("regola di parità");
        let fine = i + t[i..].find("191).").expect("fine della regola") + "191).".len();
        &t[i..fine]
    }
    let bandi = tempfile::tempdir().unwrap();
    build_riuscita(&fixture("demo"), bandi.path(), &["--kind", "bando"]);
    let mut confrontati = 0;
    for c in corsi() {
        let Some(g) = c.get("graduatoria").filter(|g| !g.is_null()) else {
            continue;
        };
        let id = c["id"].as_str().unwrap();
        let decreto = testo_di(&format!(
            "2025-2026/{id}/decreti/dr-{}-graduatoria.pdf",
            g["decreto"]["numero"].as_str().unwrap()
        ));
        let bando = testo_pdf(
            &bandi
                .path()
                .join(format!("2025-2026/{id}/bando/bando-{id}.pdf")),
        );
        assert_eq!(regola(&bando), regola(&decreto), "{id}");
        assert!(regola(&bando).contains(NORMA), "{}", regola(&bando));
        // The recital cites the same norm, in the same words.
        assert!(decreto.contains(&format!("VISTO l'{NORMA}")), "{decreto}");
        confrontati += 1;
    }
    assert!(confrontati >= 2, "graduatorie nel demo: {confrontati}");
}
