//! Admission calls: builds the demo's calls with the real binary and checks
//! them through the text `pdftotext` extracts, against expectations computed
//! here from the fixture JSON (not from the program's own formatting).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

/// The demo's calls, built once for every test in this file.
fn demo() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| costruisci(&fixture("demo"), &[])).path()
}

fn costruisci(dataset: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["--kind", "bando"];
    args.extend_from_slice(extra);
    let out = lauream_build(dataset, dir.path(), &args);
    assert!(
        out.status.success(),
        "build fallita:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn indice(out: &Path) -> Vec<Value> {
    indice_di(out)
}

fn leggi_json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// The demo's courses, read straight from the fixture files.
fn corsi() -> Vec<Value> {
    let mut v: Vec<Value> = std::fs::read_dir(fixture("demo/corsi"))
        .unwrap()
        .map(|e| leggi_json(&e.unwrap().path()))
        .collect();
    v.sort_by_key(|c| c["id"].as_str().unwrap().to_string());
    assert_eq!(v.len(), 6, "il demo ha sei corsi");
    v
}

fn ateneo() -> Value {
    leggi_json(&fixture("demo/ateneo.json"))
}

/// Typographic apostrophes as plain ones, so that data and prose compare.
fn piano(s: &str) -> String {
    normalizza(&s.replace('\u{2019}', "'"))
}

fn pdf_del_corso(out: &Path, id: &str) -> PathBuf {
    let docs: Vec<Value> = indice(out)
        .into_iter()
        .filter(|d| d["kind"] == "bando" && d["course"] == id)
        .collect();
    assert_eq!(docs.len(), 1, "{id}: un solo bando");
    out.join(docs[0]["path"].as_str().unwrap())
}

/// The body text of a call, without the running footer (an A4 page is 842
/// points high; the footer sits in the bottom margin), so that sentences
/// running across a page break stay whole.
fn corpo(pdf: &Path) -> String {
    let out = poppler("pdftotext")
        .args([
            "-enc", "UTF-8", "-x", "0", "-y", "0", "-W", "595", "-H", "765",
        ])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext non trovato: installare poppler-utils");
    assert!(out.status.success());
    piano(&String::from_utf8(out.stdout).unwrap())
}

fn testo(out: &Path, id: &str) -> String {
    corpo(&pdf_del_corso(out, id))
}

/// The text with the page layout kept (table rows on one line), whitespace
/// collapsed within each line.
fn righe_layout(pdf: &Path) -> Vec<String> {
    testo_pdf_layout(pdf)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Cents from a JSON amount: a whole number of euros or a decimal string.
fn centesimi(v: &Value) -> u64 {
    if let Some(n) = v.as_u64() {
        return n * 100;
    }
    let s = v.as_str().unwrap().trim();
    let (int, dec) = if s.contains(',') {
        let (i, d) = s.split_once(',').unwrap();
        (i.replace('.', ""), d.to_string())
    } else if let Some((i, d)) = s.split_once('.') {
        (i.to_string(), d.to_string())
    } else {
        (s.to_string(), String::new())
    };
    let dec = format!("{dec:0<2}");
    int.parse::<u64>().unwrap() * 100 + dec.parse::<u64>().unwrap()
}

/// "€ 2.500,00".
fn euro(v: &Value) -> String {
    let c = centesimi(v);
    let int = (c / 100).to_string();
    let mut g = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            g.push('.');
        }
        g.push(ch);
    }
    format!("€ {g},{:02}", c % 100)
}

/// Minutes from a JSON number of hours: 36, "36,5", "36:30".
fn minuti(v: &Value) -> u64 {
    if let Some(n) = v.as_u64() {
        return n * 60;
    }
    let s = v.as_str().unwrap();
    if let Some((h, m)) = s.split_once(':') {
        return h.parse::<u64>().unwrap() * 60 + m.parse::<u64>().unwrap();
    }
    let f: f64 = s.replace(',', ".").parse().unwrap();
    (f * 60.0).round() as u64
}

#[test]
fn ogni_corso_ha_esattamente_un_bando() {
    let out = demo();
    let docs = indice(out);
    let corsi = corsi();
    assert_eq!(
        docs.iter().filter(|d| d["kind"] == "bando").count(),
        corsi.len()
    );
    for c in &corsi {
        let id = c["id"].as_str().unwrap();
        let suoi: Vec<&Value> = docs
            .iter()
            .filter(|d| d["kind"] == "bando" && d["course"] == id)
            .collect();
        assert_eq!(suoi.len(), 1, "{id}: {suoi:?}");
        let d = suoi[0];
        assert!(d["person"].is_null(), "il bando non è di una persona");
        assert_eq!(
            d["path"],
            format!("2025-2026/{id}/bando/bando-{id}.pdf").as_str()
        );
        assert_eq!(d["id"], format!("2025/2026/{id}/bando").as_str());
        assert!(out.join(d["path"].as_str().unwrap()).exists());
    }
}

#[test]
fn intestazione_decreto_e_firma() {
    let out = demo();
    let a = ateneo();
    let rettore = format!(
        "{} {} {}",
        a["rettore"]["titolo"].as_str().unwrap(),
        a["rettore"]["nome"].as_str().unwrap(),
        a["rettore"]["cognome"].as_str().unwrap()
    );
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        assert!(t.contains(a["nome"].as_str().unwrap()), "{id}");
        let denominazione = match c["tipo"].as_str().unwrap() {
            "master_i" => "al Master universitario di I livello in",
            "master_ii" => "al Master universitario di II livello in",
            "perfezionamento" => "al Corso di perfezionamento in",
            "formazione" => "al Corso di formazione in",
            "aggiornamento" => "al Corso di aggiornamento professionale in",
            "summer_school" => "alla Summer School",
            "winter_school" => "alla Winter School",
            k => panic!("tipo {k}"),
        };
        let titolo = format!(
            "Bando di ammissione {denominazione} «{}» – anno accademico {}",
            piano(c["titolo"].as_str().unwrap()),
            c["anno_accademico"].as_str().unwrap()
        );
        assert!(t.contains(&titolo), "{id}: manca «{titolo}» in: {t}");
        // The decree, in the university's format "D.R. n. {numero} del {data}".
        let dr = &c["attivazione"];
        let decreto = format!(
            "D.R. n. {} del {}",
            dr["numero"].as_str().unwrap(),
            data_it(dr["data"].as_str().unwrap())
        );
        assert!(t.contains(&decreto), "{id}: manca «{decreto}»");
        // Place, the call's date, the Rector's signature.
        let luogo_data = format!(
            "{}, {}",
            a["citta"].as_str().unwrap(),
            data_it(c["date"]["bando"].as_str().unwrap())
        );
        assert!(t.contains(&luogo_data), "{id}: manca «{luogo_data}»");
        // The office agrees with who holds it.
        let organo = if a["rettore"]["genere"] == "F" {
            "LA RETTRICE"
        } else {
            "IL RETTORE"
        };
        assert!(t.contains(organo), "{id}");
        assert!(
            t.contains(&format!("{organo} {rettore}")),
            "{id}: firma di {rettore}"
        );
        // The post-lauream office issues it and the person responsible is named (L. 241/1990).
        assert!(t.contains(a["ufficio_post_lauream"]["nome"].as_str().unwrap()));
        let rp = &c["responsabile_procedimento"];
        assert!(t.contains("Legge 7 agosto 1990, n. 241"), "{id}");
        assert!(
            t.contains(&format!(
                "{} {}",
                rp["nome"].as_str().unwrap(),
                rp["cognome"].as_str().unwrap()
            )),
            "{id}: manca il responsabile del procedimento"
        );
        assert!(t.contains(a["ufficio_post_lauream"]["email"].as_str().unwrap()));
        assert!(
            t.contains(&piano(a["protezione_dati"].as_str().unwrap())),
            "{id}: informativa sui dati"
        );
    }
}

#[test]
fn articoli_numerati_in_ordine() {
    let out = demo();
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        let numeri: Vec<u32> = t
            .match_indices("Art. ")
            .filter_map(|(i, _)| {
                let resto = &t[i + 5..];
                let (n, dopo) = resto.split_once(' ')?;
                dopo.starts_with('–').then(|| n.parse().ok()).flatten()
            })
            .collect();
        assert!(numeri.len() >= 12, "{id}: solo {} articoli", numeri.len());
        let attesi: Vec<u32> = (1..=numeri.len() as u32).collect();
        assert_eq!(numeri, attesi, "{id}: articoli numerati di seguito");
    }
}

#[test]
fn piu_pagine_con_numerazione() {
    let out = demo();
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo_pdf(&pdf_del_corso(out, id));
        assert!(t.contains("pag. 1 di "), "{id}");
        assert!(
            !testo(out, id).contains("pag. 1 di "),
            "il piè di pagina è fuori dal corpo"
        );
        let n: u32 = t
            .split("pag. 1 di ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(n >= 2, "{id}: un bando occupa più pagine");
        assert!(t.contains(&format!("pag. {n} di {n}")), "{id}");
    }
}

#[test]
fn uditori_solo_dove_ammessi() {
    let out = demo();
    let mut visti = [0, 0];
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        let basso = t.to_lowercase();
        if c["ammette_uditori"].as_bool().unwrap_or(false) {
            visti[0] += 1;
            assert!(basso.contains("uditori"), "{id}");
            assert!(t.contains("carta libera"), "{id}");
            assert!(
                t.contains("non acquisiscono crediti formativi universitari"),
                "{id}"
            );
            assert!(
                t.contains("diploma di scuola secondaria di secondo grado"),
                "{id}: agli uditori basta il diploma (Art. 13.1)"
            );
            if let Some(n) = c["posti"]["uditori"].as_u64() {
                assert!(t.contains(&format!("nel numero massimo di {n}")), "{id}");
            }
            if !c["quote"]["uditore"].is_null() {
                let q = euro(&c["quote"]["uditore"]);
                assert!(
                    t.contains(&format!("per gli uditori è di {q}")),
                    "{id}: {q}"
                );
            }
        } else {
            visti[1] += 1;
            assert!(!basso.contains("uditor"), "{id}: non ammette uditori: {t}");
        }
    }
    assert!(visti[0] > 0 && visti[1] > 0, "{visti:?}");
}

#[test]
fn corsi_singoli_solo_dove_ammessi() {
    let out = demo();
    let mut visti = [0, 0];
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let basso = testo(out, id).to_lowercase();
        if c["ammette_corsi_singoli"].as_bool().unwrap_or(false) {
            visti[0] += 1;
            assert!(basso.contains("corsi singoli"), "{id}");
            let q = euro(&c["quote"]["corso_singolo_per_cfu"]);
            assert!(basso.contains(&format!("{q} per ciascun cfu")), "{id}: {q}");
            if let Some(n) = c["posti"]["corsi_singoli"].as_u64() {
                assert!(
                    basso.contains(&format!("nel numero massimo di {n}")),
                    "{id}"
                );
            }
            assert!(
                basso.contains("certificato che attesta i cfu acquisiti"),
                "{id}"
            );
        } else {
            visti[1] += 1;
            assert!(
                !basso.contains("corsi singoli") && !basso.contains("corso singolo"),
                "{id}: non ammette corsi singoli"
            );
        }
    }
    assert!(visti[0] > 0 && visti[1] > 0, "{visti:?}");
}

#[test]
fn piano_didattico_con_ssd_e_totali() {
    let out = demo();
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let pdf = pdf_del_corso(out, id);
        let righe = righe_layout(&pdf);
        let moduli = c["moduli"].as_array().unwrap();
        for m in moduli {
            let codice = m["codice"].as_str().unwrap();
            let riga = righe
                .iter()
                .find(|r| r.starts_with(&format!("{codice} ")))
                .unwrap_or_else(|| panic!("{id}: manca la riga del modulo {codice}"));
            let ssd = m["ssd"].as_str().unwrap_or("–");
            assert!(riga.contains(ssd), "{id}: {codice} senza SSD {ssd}: {riga}");
        }
        let cfu: u64 = moduli.iter().map(|m| m["cfu"].as_u64().unwrap()).sum();
        let min: u64 = moduli.iter().map(|m| minuti(&m["ore"])).sum();
        assert_eq!(min % 60, 0, "il demo ha ore intere");
        let totale = format!("Totale {cfu} {}", min / 60);
        assert!(
            righe.iter().any(|r| r == &totale),
            "{id}: manca «{totale}» in {righe:#?}"
        );
        // 1 CFU = 25 hours of total effort (Art. 36); a course without a
        // final test awards none (Guidelines §5) and says nothing of them.
        if cfu > 0 {
            assert!(testo(out, id).contains(&format!("{cfu} crediti formativi universitari (CFU)")));
        } else {
            assert!(!testo(out, id).contains("crediti formativi universitari (CFU)"));
        }
    }
}

#[test]
fn quote_in_euro() {
    let out = demo();
    let a = ateneo();
    let bollo = euro(&a["bollo"]["importo"]);
    assert_eq!(bollo, "€ 16,00");
    let regionale = euro(&a["regolamento"]["prelievi"]["tassa_regionale"]);
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        let q = &c["quote"];
        if centesimi(&q["iscrizione"]) == 0 {
            assert!(t.contains("è gratuita"), "{id}");
        } else {
            let quota = euro(&q["iscrizione"]);
            assert!(t.contains(&format!("è di {quota}")), "{id}: manca {quota}");
            assert!(
                t.contains("Rimborsi"),
                "{id}: un corso a pagamento dice dei rimborsi"
            );
            assert!(
                t.contains("a eccezione dell'imposta di bollo"),
                "{id}: bollo mai rimborsato (Art. 8.2)"
            );
        }
        for r in q["rate"].as_array().into_iter().flatten() {
            let rata = format!(
                "{}, entro il {}",
                euro(&r["importo"]),
                data_it(r["scadenza"].as_str().unwrap())
            );
            assert!(t.contains(&rata), "{id}: manca la rata «{rata}»");
        }
        if !q["ammissione"].is_null() {
            let s = euro(&q["ammissione"]);
            assert!(
                t.contains(&format!("contributo di {s}")),
                "{id}: contributo per la selezione {s}"
            );
            assert!(t.contains(
                "e del contributo di partecipazione alla selezione, che non sono restituiti"
            ));
        }
        assert!(t.contains(&format!("imposta di bollo di {bollo}")), "{id}");
        let master = c["tipo"].as_str().unwrap().starts_with("master");
        assert_eq!(
            t.contains(&format!(
                "tassa regionale per il diritto allo studio universitario di {regionale}"
            )),
            master,
            "{id}: la tassa regionale è dei soli Master"
        );
        for ag in q["agevolazioni"].as_array().into_iter().flatten() {
            let ag = piano(ag.as_str().unwrap());
            assert!(t.contains(&ag), "{id}: manca l'agevolazione «{ag}»");
        }
    }
}

#[test]
fn titoli_di_accesso_per_tipo() {
    let out = demo();
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        let tipo = c["tipo"].as_str().unwrap();
        match tipo {
            "master_ii" => {
                assert!(t.contains("laurea magistrale"), "{id}");
                assert!(t.contains("laurea specialistica"), "{id}");
                assert!(t.contains("vecchio ordinamento"), "{id}");
            }
            "master_i" => {
                assert!(
                    t.contains("laurea conseguita ai sensi del D.M. 509/1999 o del D.M. 270/2004")
                );
                assert!(
                    !t.contains("laurea magistrale"),
                    "{id}: basta la laurea triennale"
                );
            }
            "perfezionamento" => {
                assert!(t.contains("diploma universitario"), "{id}");
                assert!(t.contains("laurea magistrale"), "{id}");
            }
            "formazione" | "aggiornamento" => {
                assert!(
                    t.contains("diploma di scuola secondaria di secondo grado di durata almeno quadriennale"),
                    "{id}"
                );
                assert!(!t.contains("laurea magistrale"), "{id}");
            }
            _ => {}
        }
        if tipo.starts_with("master") {
            assert!(
                t.contains("È inoltre richiesto il diploma di scuola secondaria di secondo grado"),
                "{id}: Art. 6.3"
            );
        }
        if !tipo.ends_with("school") {
            // Foreign titles (Art. 38).
            assert!(t.contains("dichiarazione di valore in loco"), "{id}");
            assert!(t.contains("traduzione ufficiale"), "{id}");
            assert!(t.contains("legalizzata"), "{id}");
            assert!(
                t.contains("permesso di soggiorno e del visto di ingresso"),
                "{id}"
            );
        }
    }
}

#[test]
fn scadenza_selezione_frequenza_e_prova_finale() {
    let out = demo();
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        let scadenza = data_it(c["date"]["scadenza"].as_str().unwrap());
        assert!(
            t.contains(&format!("scade il {scadenza}"))
                || t.contains(&format!("scade l'{scadenza}")),
            "{id}: manca la scadenza «{scadenza}»"
        );
        if let Some(dom) = c["domanda"].as_str() {
            assert!(t.contains(&piano(dom)), "{id}: modalità della domanda");
        }
        // Places: maximum, minimum and revocation below it.
        assert!(t.contains(&format!(
            "Il numero massimo di posti disponibili è {}",
            c["posti"]["massimo"]
        )));
        assert!(t.contains(&format!(
            "numero minimo di {} iscritti",
            c["posti"]["minimo"]
        )));
        assert!(t.contains("revocat"), "{id}: revoca sotto il minimo");
        // Selection in Italian.
        let sel: Vec<&str> = c["selezione"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        for s in &sel {
            let parola = match *s {
                "titoli" => "valutazione dei titoli",
                "curriculum" => "curriculum vitae",
                "prova_scritta" => "prova scritta",
                "prova_orale" => "prova orale",
                "colloquio" => "colloquio",
                "ordine_cronologico" => "in ordine cronologico di presentazione delle domande",
                x => panic!("{x}"),
            };
            assert!(t.contains(parola), "{id}: manca «{parola}»");
            if s.contains('_') {
                assert!(!t.contains(s), "{id}: «{s}» non tradotto");
            }
        }
        if !sel.contains(&"ordine_cronologico") {
            assert!(t.contains("graduatoria"), "{id}");
        }
        // Attendance, from the course's minimum.
        let f = c["frequenza_minima"].as_u64().unwrap_or(75);
        let art = if f.to_string().starts_with('8') {
            "l'"
        } else {
            "il "
        };
        assert!(
            t.contains(&format!("almeno {art}{f}% delle ore previste")),
            "{id}: frequenza minima {f}%"
        );
        // Final exam: /100 once only by 31 March for Masters (Art. 11), /30 with one retry otherwise.
        let tipo = c["tipo"].as_str().unwrap();
        if tipo.starts_with("master") {
            let primo: u32 = c["anno_accademico"].as_str().unwrap()[..4].parse().unwrap();
            assert!(
                t.contains(&format!("entro il 31 marzo {}", primo + 2)),
                "{id}"
            );
            assert!(t.contains("non può essere ripetuta"), "{id}");
            assert!(t.contains("centesimi"), "{id}");
            assert!(t.contains("pergamena"), "{id}");
        } else if !c["prova_finale"].is_null() {
            assert!(t.contains("trentesimi"), "{id}");
            assert!(t.contains("ripetuta una sola volta"), "{id}");
        }
        if let Some(e) = c["date"]["esame_finale"].as_str() {
            assert!(t.contains(&data_it(e)), "{id}: data della prova finale");
        }
    }
}

#[test]
fn contenuti_del_corso() {
    let out = demo();
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        for campo in ["obiettivi", "sbocchi"] {
            if let Some(s) = c[campo].as_str() {
                assert!(t.contains(&piano(s)), "{id}: manca {campo}");
            }
        }
        for p in c["partner"].as_array().into_iter().flatten() {
            assert!(t.contains(&piano(p.as_str().unwrap())), "{id}: partner {p}");
        }
        assert_eq!(
            t.contains("Collaborazioni"),
            c["partner"].as_array().is_some_and(|p| !p.is_empty()),
            "{id}: l'articolo sui partner c'è solo se ce ne sono"
        );
        for m in c["comitato"].as_array().into_iter().flatten() {
            let nome = format!(
                "{} {}",
                m["nome"].as_str().unwrap(),
                m["cognome"].as_str().unwrap()
            );
            assert!(t.contains(&nome), "{id}: comitato {nome}");
        }
        assert!(t.contains(&piano(c["dipartimento"]["nome"].as_str().unwrap())));
        assert!(
            t.contains(&piano(c["sede"].as_str().unwrap())),
            "{id}: sede"
        );
        let periodo = data_it(c["date"]["inizio"].as_str().unwrap());
        assert!(t.contains(&periodo), "{id}: inizio {periodo}");
    }
}

/// Sections without data are left out, not filled with placeholders, and
/// the articles close up.
#[test]
fn dati_assenti_omessi() {
    let out = costruisci(&fixture("minimal"), &[]);
    let docs = indice(out.path());
    assert_eq!(docs.len(), 2);
    for d in docs {
        let t = corpo(&out.path().join(d["path"].as_str().unwrap()));
        for assente in [
            "Obiettivi formativi",
            "Collaborazioni",
            "Trattamento dei dati personali",
            "D.R. n.",
            "del procedimento è",
            "seguenti delibere",
            "Comitato",
        ] {
            assert!(!t.contains(assente), "{}: «{assente}» in: {t}", d["path"]);
        }
        assert!(t.contains("Art. 1 – Attivazione"));
        assert!(
            t.contains("LA RETTRICE"),
            "la rettrice del dataset minimo firma come tale"
        );
    }
}

/// A course's own access titles are printed; a summer school, which has no
/// title by kind, lists only its own.
#[test]
fn titoli_di_accesso_specifici() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("demo"), &ds);
    let specifici = [
        (
            "summer-school-paesaggi",
            "iscrizione a un corso di laurea o di laurea magistrale in discipline storiche, archeologiche o geografiche",
        ),
        (
            "master-diritto-energia",
            "laurea magistrale in Giurisprudenza (classe LMG/01) o in Economia",
        ),
    ];
    for (id, titolo) in specifici {
        let p = ds.join("corsi").join(format!("{id}.json"));
        let mut c = leggi_json(&p);
        c["titoli_accesso"] = serde_json::json!([titolo]);
        std::fs::write(&p, serde_json::to_vec_pretty(&c).unwrap()).unwrap();
    }
    let out = costruisci(&ds, &[]);
    for (id, titolo) in specifici {
        let t = testo(out.path(), id);
        assert!(t.contains(titolo), "{id}: manca «{titolo}» in: {t}");
        assert!(t.contains("Requisiti di ammissione"), "{id}");
    }
    let ss = testo(out.path(), "summer-school-paesaggi");
    assert!(ss.contains("alla Summer School coloro che sono in possesso dei seguenti requisiti"));
    assert!(ss.contains("dichiarazione di valore in loco"));
    let m2 = testo(out.path(), "master-diritto-energia");
    assert!(m2.contains("Sono inoltre richiesti i seguenti requisiti specifici"));
}

/// "il 20 marzo 2026", "l'8 marzo 2026": a date after "entro" or "per".
fn il_data(iso: &str) -> String {
    let d = data_it(iso);
    if d.starts_with("8 ") || d.starts_with("11 ") {
        format!("l'{d}")
    } else {
        format!("il {d}")
    }
}

/// A score as the fixture writes it (a whole number of points in the demo).
fn punti(v: &Value) -> String {
    v.as_u64()
        .map(|n| n.to_string())
        .unwrap_or_else(|| v.as_str().unwrap().to_string())
}

#[test]
fn il_bando_dice_cio_che_serve_ai_candidati() {
    let out = demo();
    let mut borse_viste = 0;
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        let info = &c["informazioni_bando"];
        let master = c["tipo"].as_str().unwrap().starts_with("master");
        let cronologico = c["selezione"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m == "ordine_cronologico");

        // Scoring criteria, maximum score, pass mark (Art. 7.3).
        let criteri = info["criteri_selezione"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if !cronologico {
            if criteri.is_empty() {
                assert!(
                    t.contains("i criteri di valutazione e la ripartizione del punteggio"),
                    "{id}"
                );
            } else {
                let massimo: u64 = criteri.iter().map(|k| k["punti"].as_u64().unwrap()).sum();
                assert!(
                    t.contains(&format!("La Commissione dispone di {massimo} punti")),
                    "{id}: {t}"
                );
                for k in &criteri {
                    let voce = format!(
                        "{}: fino a {} punti",
                        k["descrizione"].as_str().unwrap(),
                        punti(&k["punti"])
                    );
                    assert!(t.contains(&voce), "{id}: manca «{voce}»");
                }
                match info.get("punteggio_minimo") {
                    Some(m) => {
                        let soglia = format!("almeno {} punti su {massimo}", punti(m));
                        assert!(t.contains(&soglia), "{id}: manca «{soglia}»");
                    }
                    None => assert!(
                        t.contains(
                            "Il punteggio minimo per l'idoneità è stabilito dalla Commissione"
                        ),
                        "{id}"
                    ),
                }
            }
        }

        // Tests at the end of modules where planned (Art. 10.2; 23.4, 31.4).
        match info["verifiche_moduli"].as_str() {
            Some(v) => assert!(t.contains(&piano(v)), "{id}: manca «{v}»"),
            None if master => assert!(
                t.contains("Per ciascuna attività formativa del piano didattico è prevista una verifica delle competenze acquisite")
                    && t.contains("(art. 10, comma 2, del Regolamento)"),
                "{id}"
            ),
            None => assert!(!t.contains("prove di verifica delle competenze"), "{id}"),
        }

        // The application for the final exam and its fee (Art. 11.2).
        if master {
            assert!(
                t.contains("presentare la domanda di conseguimento del titolo"),
                "{id}"
            );
            let contributo = match info.get("contributo_prova_finale") {
                Some(f) => format!("versare il contributo di {}", euro(f)),
                None => "Regolamento di Ateneo in materia di contribuzione studentesca".to_string(),
            };
            assert!(t.contains(&contributo), "{id}: manca «{contributo}»");
            assert!(t.contains("(art. 11, comma 2, del Regolamento)"), "{id}");
        }

        // Enrolment deadline and procedure after the ranking (Art. 7.4, 8.1).
        assert!(t.contains("Immatricolazione"), "{id}");
        match info["immatricolazione_entro"].as_str() {
            Some(d) => {
                let entro = format!("si immatricola entro {}", il_data(d));
                assert!(t.contains(&entro), "{id}: manca «{entro}»");
            }
            None => assert!(
                t.contains("entro il termine indicato nella pubblicazione"),
                "{id}"
            ),
        }
        assert!(t.contains("mediante la procedura online"), "{id}");
        if let Some(m) = info["immatricolazione"].as_str() {
            assert!(t.contains(&piano(m)), "{id}: manca «{m}»");
        }

        // Scholarships, awarded through the ranking (Art. 9.1, 9.3).
        let borse = info["borse"].as_array().cloned().unwrap_or_default();
        if borse.is_empty() {
            assert!(t.contains("Non sono previste borse di studio."), "{id}");
        }
        for b in &borse {
            let n = b["numero"].as_u64().unwrap();
            let voce = if n == 1 {
                format!("1 borsa di {}", euro(&b["importo"]))
            } else {
                format!("{n} borse di {} ciascuna", euro(&b["importo"]))
            };
            assert!(t.contains(&voce), "{id}: manca «{voce}»");
            if let Some(k) = b["criteri"].as_str() {
                assert!(t.contains(&piano(k)), "{id}: mancano i criteri «{k}»");
            }
            let ordine = if cronologico {
                "secondo l'ordine di ammissione"
            } else {
                "secondo l'ordine della graduatoria di ammissione"
            };
            assert!(t.contains(ordine), "{id}: le borse vanno per graduatoria");
            assert!(t.contains("l'elenco dei beneficiari è pubblicato"), "{id}");
            borse_viste += 1;
        }

        // Access titles held by the deadline (Masters) or by the selection (Art. 19.1, 27.1).
        if t.contains("Requisiti di ammissione") {
            let entro = if master {
                "devono essere posseduti alla data di scadenza per la presentazione delle domande"
                    .to_string()
            } else if cronologico {
                "devono essere posseduti alla data di presentazione della domanda".to_string()
            } else {
                match info["data_selezione"].as_str() {
                    Some(d) => format!("devono essere posseduti alla data della selezione, fissata per {}", il_data(d)),
                    None => "devono essere posseduti alla data della selezione stabilita dal presente bando".to_string(),
                }
            };
            assert!(t.contains(&entro), "{id}: manca «{entro}»");
        }
    }
    assert!(borse_viste >= 2, "il demo ha borse di studio");
}

#[test]
fn il_bando_cita_la_base_normativa_del_suo_tipo() {
    let out = demo();
    for c in corsi() {
        let id = c["id"].as_str().unwrap();
        let t = testo(out, id);
        let attesa = match c["tipo"].as_str().unwrap() {
            "master_i" | "master_ii" => "ai sensi dell'art. 3, comma 9, del D.M. 22 ottobre 2004, n. 270,",
            "perfezionamento" => "ai sensi degli artt. 16 e 17 del D.P.R. 10 marzo 1982, n. 162 e dell'art. 6, comma 2, lettera c), della Legge 19 novembre 1990, n. 341,",
            "aggiornamento" => "ai sensi dell'art. 6, comma 2, lettere b) e c), della Legge 19 novembre 1990, n. 341,",
            _ => "ai sensi dell'art. 6, comma 2, lettera c), della Legge 19 novembre 1990, n. 341,",
        };
        assert!(t.contains(attesa), "{id}: manca «{attesa}»");
        // The Master's basis only in a Master's call.
        assert_eq!(
            t.contains("22 ottobre 2004, n. 270"),
            c["tipo"].as_str().unwrap().starts_with("master"),
            "{id}"
        );
    }
}
