//! Each template's `sample.json` is exactly what the program gives that
//! template: it reads into the family's data type, which refuses unknown
//! keys, and writes back to the same keys and values. A template and its
//! sample, and the program's types, cannot drift apart unnoticed.

use lauream::plan::attestato::DatiAttestato;
use lauream::plan::bando::DatiBando;
use lauream::plan::decreto::DatiDecreto;
use lauream::plan::dossier::DatiIndiceDossier;
use lauream::plan::pergamena::DatiPergamena;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Reads `templates/<famiglia>/sample.json` as `T`, naming the path of the
/// first key or value the type does not accept, and checks that writing it
/// back gives the same JSON (no key dropped, none added, no value changed).
fn campione_fedele<T: DeserializeOwned + Serialize>(famiglia: &str) {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(famiglia)
        .join("sample.json");
    let testo = std::fs::read_to_string(file).unwrap();
    let mut de = serde_json::Deserializer::from_str(&testo);
    let dati: T = serde_path_to_error::deserialize(&mut de).unwrap_or_else(|e| {
        panic!(
            "{famiglia}/sample.json, {}: {} (il campione e il tipo dei dati divergono)",
            e.path(),
            e.inner()
        )
    });
    let riscritto = serde_json::to_value(&dati).unwrap();
    let originale: Value = serde_json::from_str(&testo).unwrap();
    if riscritto != originale {
        panic!(
            "{famiglia}/sample.json: riscritto dal tipo dei dati non è più lo stesso:\n{}",
            differenze(&originale, &riscritto, "$").join("\n")
        );
    }
}

/// Where two JSON values differ, by path.
fn differenze(a: &Value, b: &Value, dove: &str) -> Vec<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut out = Vec::new();
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => out.extend(differenze(v, w, &format!("{dove}.{k}"))),
                    None => out.push(format!("{dove}.{k}: manca riscrivendo")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{dove}.{k}: in più riscrivendo"));
            }
            out
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .flat_map(|(i, (v, w))| differenze(v, w, &format!("{dove}[{i}]")))
            .collect(),
        _ if a == b => Vec::new(),
        _ => vec![format!("{dove}: {a} ≠ {b}")],
    }
}

#[test]
fn campione_del_bando() {
    campione_fedele::<DatiBando>("bando");
}

#[test]
fn campione_del_decreto() {
    campione_fedele::<DatiDecreto>("decreto");
}

#[test]
fn campione_della_pergamena() {
    campione_fedele::<DatiPergamena>("pergamena");
}

#[test]
fn campione_dell_attestato() {
    campione_fedele::<DatiAttestato>("attestato");
}

#[test]
fn campione_del_dossier() {
    campione_fedele::<DatiIndiceDossier>("dossier");
}

/// A sample as a JSON tree.
fn campione(famiglia: &str) -> Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates")
        .join(famiglia)
        .join("sample.json");
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

/// `T` refuses the sample with a key nobody writes added at each of
/// `dove` (JSON pointers to objects).
fn rifiuta_chiavi_inventate<T: DeserializeOwned>(famiglia: &str, dove: &[&str]) {
    let v = campione(famiglia);
    for d in dove {
        let mut w = v.clone();
        w.pointer_mut(d)
            .unwrap_or_else(|| panic!("{famiglia}: {d} non c'è"))
            .as_object_mut()
            .unwrap()
            .insert("inventata".into(), Value::Bool(true));
        // Refused; by name, except where a part may be one of two shapes
        // (a decree's course or the year's offer), which serde cannot tell.
        assert!(
            serde_json::from_value::<T>(w).is_err(),
            "{famiglia}{d}: chiave inventata accettata"
        );
    }
}

/// The types refuse what they do not know, at any depth, in the parts
/// written into their parent's object (`documento` with the registry's
/// fields, a course with what a family adds, the call's two halves) too.
#[test]
fn una_chiave_sconosciuta_e_rifiutata() {
    rifiuta_chiavi_inventate::<DatiAttestato>(
        "attestato",
        &[
            "",
            "/documento",
            "/corso",
            "/corso/direttore",
            "/partecipazione",
        ],
    );
    rifiuta_chiavi_inventate::<DatiPergamena>("pergamena", &["/documento", "/corso", "/titolo"]);
    rifiuta_chiavi_inventate::<DatiBando>(
        "bando",
        &["/corso", "/corso/breve", "/bando", "/bando/rinvii"],
    );
    rifiuta_chiavi_inventate::<DatiDecreto>(
        "decreto",
        &["/corso", "/decreto", "/decreto/articoli/0"],
    );
    rifiuta_chiavi_inventate::<DatiIndiceDossier>("dossier", &["/corso", "/dossier", "/sezioni/0"]);
}

/// A key the program always writes cannot go missing from a sample.
#[test]
fn una_chiave_mancante_e_rifiutata() {
    let mut v = campione("attestato");
    v["corso"].as_object_mut().unwrap().remove("periodo");
    assert!(serde_json::from_value::<DatiAttestato>(v).is_err());
    let mut v = campione("bando");
    v["bando"].as_object_mut().unwrap().remove("rinvii");
    assert!(serde_json::from_value::<DatiBando>(v).is_err());
}
