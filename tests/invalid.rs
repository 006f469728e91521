//! Every dataset under `fixtures/invalid/` is refused with the file, row (or
//! JSON path) and field its `EXPECTED` file lists, and nothing is written.

mod common;

use common::*;

#[test]
fn ogni_dataset_invalido_e_rifiutato_con_la_posizione() {
    let casi: Vec<_> = std::fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert!(
        casi.len() >= 8,
        "attesi almeno 8 casi, trovati {}",
        casi.len()
    );
    for caso in casi {
        let nome = caso.file_name().unwrap().to_string_lossy().into_owned();
        let attesi = std::fs::read_to_string(caso.join("EXPECTED"))
            .unwrap_or_else(|_| panic!("{nome}: manca EXPECTED"));
        let attesi: Vec<&str> = attesi
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert!(!attesi.is_empty(), "{nome}: EXPECTED vuoto");

        let check = lauream(&["check", caso.to_str().unwrap()]);
        assert!(!check.status.success(), "{nome}: check dovrebbe fallire");
        let err = String::from_utf8_lossy(&check.stderr);
        for a in &attesi {
            assert!(err.contains(a), "{nome}: manca «{a}» nel messaggio:\n{err}");
        }

        let out = tempfile::tempdir().unwrap();
        let dest = out.path().join("uscita");
        let build = lauream(&[
            "build",
            caso.to_str().unwrap(),
            "--out",
            dest.to_str().unwrap(),
        ]);
        assert!(!build.status.success(), "{nome}: build dovrebbe fallire");
        let err = String::from_utf8_lossy(&build.stderr);
        for a in &attesi {
            assert!(
                err.contains(a),
                "{nome}: build: manca «{a}» nel messaggio:\n{err}"
            );
        }
        assert!(
            !dest.exists(),
            "{nome}: la build fallita ha scritto {:?}",
            file_sotto(&dest)
        );
    }
}

#[test]
fn tutti_i_problemi_in_una_volta() {
    let check = lauream(&["check", fixture("invalid/molti-errori").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&check.stderr);
    let errori = err.lines().filter(|l| l.starts_with("errore:")).count();
    assert!(errori >= 3, "attesi almeno 3 errori insieme:\n{err}");
}

#[test]
fn check_json_per_gli_strumenti() {
    let out = lauream(&[
        "check",
        "--json",
        fixture("invalid/cf-errato").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["gravita"] == "errore")
        .expect("un errore");
    assert_eq!(p["posizione"]["campo"], "codice_fiscale");
    assert!(p["posizione"]["riga"].as_u64().unwrap() >= 2);
}

#[test]
fn dataset_valido_passa_il_check() {
    for ds in ["demo", "minimal"] {
        let out = lauream(&["check", fixture(ds).to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{ds}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// One defect injected into a copy of the demo: the file it is in, what is
/// changed, and what the refusal must say (file and field, the rule).
struct Difetto {
    nome: &'static str,
    file: &'static str,
    cambia: fn(&mut serde_json::Value),
    attesi: &'static [&'static str],
}

/// The acts against their premises, and the promises of the regulation
/// that the data broke: each defect alone in an otherwise valid demo is
/// refused with its file and field.
#[test]
fn atti_e_regole_violati_nella_demo() {
    let casi = [
        // A resolution dated after the activation decree that recites it.
        Difetto {
            nome: "delibera-dopo-il-decreto",
            file: "corsi/master-dati-pa.json",
            cambia: |c| c["delibere"][2]["data"] = "2025-07-20".into(),
            attesi: &[
                "corsi/master-dati-pa.json, $.delibere[2].data",
                "Consiglio di Amministrazione del 20/07/2025",
                "n. 613 del 15/07/2025",
                "$.attivazione",
            ],
        },
        // Approved after the offer decree, and no activation decree of its own.
        Difetto {
            nome: "fuori-offerta-senza-attivazione",
            file: "corsi/summer-school-paesaggi.json",
            cambia: |c| {
                let o = c.as_object_mut().unwrap();
                o.remove("attivazione");
                o.remove("bando_allegato_al_decreto");
            },
            attesi: &[
                "corsi/summer-school-paesaggi.json, $.attivazione",
                "decreto dell'offerta formativa n. 612",
                "Linee guida §1",
            ],
        },
        // A Master's final exam committee in a rector's decree (old wording).
        Difetto {
            nome: "prova-finale-con-decreto-rettorale",
            file: "corsi/master-dati-pa.json",
            cambia: |c| {
                c["commissione"]["oggetto"] =
                    "la selezione per l'ammissione e la prova finale".into()
            },
            attesi: &[
                "corsi/master-dati-pa.json, $.commissione.oggetto",
                "Art. 11.3",
            ],
        },
        // A final-exam committee of one member and its secretary.
        Difetto {
            nome: "commissione-finale-di-un-membro",
            file: "corsi/master-diritto-energia.json",
            cambia: |c| {
                let m = c["commissione_finale"]["componenti"]
                    .as_array_mut()
                    .unwrap();
                m.truncate(1);
            },
            attesi: &[
                "corsi/master-diritto-energia.json, $.commissione_finale.componenti",
                "almeno due",
            ],
        },
        // Without the course director's proposal it is appointed on.
        Difetto {
            nome: "commissione-finale-senza-proposta",
            file: "corsi/master-diritto-energia.json",
            cambia: |c| {
                c["commissione_finale"]
                    .as_object_mut()
                    .unwrap()
                    .remove("proposta");
            },
            attesi: &[
                "corsi/master-diritto-energia.json, $.commissione_finale.proposta",
                "Art. 11.3",
            ],
        },
        // Instalments, which the regulation does not provide for.
        Difetto {
            nome: "rate",
            file: "corsi/formazione-enoturismo.json",
            cambia: |c| {
                let q = c["quote"]["iscrizione"].as_i64().unwrap();
                c["quote"]["rate"] = serde_json::json!([
                    {"importo": q / 2, "scadenza": "2026-03-20"},
                    {"importo": q - q / 2, "scadenza": "2026-05-15"}
                ]);
            },
            attesi: &[
                "corsi/formazione-enoturismo.json, $.quote.rate:",
                "rateizzazione",
                "Art. 28.5",
                "corsi/formazione-enoturismo.json, $.quote.rate[1].scadenza",
            ],
        },
        // A ranking approved before the extended deadline.
        Difetto {
            nome: "graduatoria-prima-della-proroga",
            file: "corsi/master-diritto-energia.json",
            cambia: |c| c["graduatoria"]["decreto"]["data"] = "2026-02-03".into(),
            attesi: &[
                "corsi/master-diritto-energia.json, $.graduatoria.decreto.data",
                "2026-02-05 (prorogata)",
            ],
        },
        // Suitable candidates left out while places remain.
        Difetto {
            nome: "idoneo-escluso",
            file: "corsi/perfezionamento-inclusione.json",
            cambia: |c| {
                let k = c["graduatoria"]["candidati"].as_array_mut().unwrap();
                k.last_mut().unwrap()["esito"] = "idoneo".into();
            },
            attesi: &[
                "corsi/perfezionamento-inclusione.json, $.graduatoria.candidati[",
                "].esito",
                "posti liberi su 40",
            ],
        },
        // Below the minimum of enrolments, without the Rector's authorisation.
        Difetto {
            nome: "sotto-il-minimo",
            file: "corsi/summer-school-paesaggi.json",
            cambia: |c| {
                c.as_object_mut().unwrap().remove("deroga_minimo");
            },
            attesi: &[
                "corsi/summer-school-paesaggi.json, $.posti.minimo",
                "7 allievi iscritti, meno del numero minimo di 10",
                "deroga_minimo",
            ],
        },
        // Credits without a final test.
        Difetto {
            nome: "crediti-senza-prova",
            file: "corsi/summer-school-paesaggi.json",
            cambia: |c| {
                for m in c["moduli"].as_array_mut().unwrap() {
                    m["cfu"] = 1.into();
                }
                c["cfu"] = 4.into();
            },
            attesi: &[
                "corsi/summer-school-paesaggi.json, $.prova_finale",
                "4 CFU senza una prova finale",
                "Linee guida §5",
            ],
        },
        // A protocol number lower than an earlier act's.
        Difetto {
            nome: "protocollo-all-indietro",
            file: "corsi/aggiornamento-pelletteria.json",
            cambia: |c| c["attivazione"]["protocollo"] = "prot. n. 51003".into(),
            attesi: &[
                "corsi/aggiornamento-pelletteria.json, $.attivazione.protocollo",
                "n. 51003 del 15/12/2025 è inferiore al n. 51151",
            ],
        },
        // The call under the activation decree's number, not said annexed to it.
        Difetto {
            nome: "bando-con-il-numero-del-decreto",
            file: "corsi/formazione-enoturismo.json",
            cambia: |c| c["bando_allegato_al_decreto"] = false.into(),
            attesi: &[
                "corsi/formazione-enoturismo.json, $.bando_allegato_al_decreto",
                "n. 41 del 12/01/2026",
            ],
        },
        // A call with its own act sharing the activation decree's protocol.
        Difetto {
            nome: "bando-con-il-protocollo-del-decreto",
            file: "corsi/formazione-enoturismo.json",
            cambia: |c| {
                c["bando_allegato_al_decreto"] = false.into();
                c["decreto_bando"] = serde_json::json!({
                    "numero": "40", "data": "2026-01-12", "protocollo": "prot. n. 51040"
                });
            },
            attesi: &[
                "corsi/formazione-enoturismo.json, $.decreto_bando.protocollo",
                "prot. n. 51040",
            ],
        },
    ];
    for caso in casi {
        let dir = tempfile::tempdir().unwrap();
        let ds = dir.path().join("ds");
        copia(&fixture("demo"), &ds);
        let p = ds.join(caso.file);
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        (caso.cambia)(&mut v);
        std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        let check = lauream(&["check", ds.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&check.stderr);
        assert!(
            !check.status.success(),
            "{}: check dovrebbe fallire",
            caso.nome
        );
        for a in caso.attesi {
            assert!(
                err.lines()
                    .any(|l| l.starts_with("errore:") && l.contains(a)),
                "{}: manca «{a}» in un errore:\n{err}",
                caso.nome
            );
        }
    }
}

/// Instalments the university allows are still due before the course
/// starts; allowed and on time, they pass.
#[test]
fn rate_ammesse_dal_regolamento_ma_prima_dell_avvio() {
    let dir = tempfile::tempdir().unwrap();
    let ds = dir.path().join("ds");
    copia(&fixture("demo"), &ds);
    let ateneo = ds.join("ateneo.json");
    let mut a: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&ateneo).unwrap()).unwrap();
    a["regolamento"]["rateizzazione"] = true.into();
    std::fs::write(&ateneo, serde_json::to_string_pretty(&a).unwrap()).unwrap();
    let corso = ds.join("corsi/master-dati-pa.json");
    let scrivi = |rate: serde_json::Value| {
        let mut c: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&corso).unwrap()).unwrap();
        c["quote"]["rate"] = rate;
        std::fs::write(&corso, serde_json::to_string_pretty(&c).unwrap()).unwrap();
        lauream(&["check", ds.to_str().unwrap()])
    };
    // The course starts on 21 November 2025.
    let ok = scrivi(serde_json::json!([
        {"importo": 1800, "scadenza": "2025-10-31"},
        {"importo": 1200, "scadenza": "2025-11-20"}
    ]));
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let tardi = scrivi(serde_json::json!([
        {"importo": 1800, "scadenza": "2025-10-31"},
        {"importo": 1200, "scadenza": "2026-03-31"}
    ]));
    let err = String::from_utf8_lossy(&tardi.stderr);
    assert!(!tardi.status.success());
    assert!(
        err.contains("corsi/master-dati-pa.json, $.quote.rate[1].scadenza")
            && err.contains("Art. 8.5"),
        "{err}"
    );
    assert!(
        !err.contains("$.quote.rate: "),
        "le rate sono ammesse: {err}"
    );
}
