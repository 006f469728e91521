//! JSON Schemas of the dataset format, published under `docs/schema/` and
//! printed by `lauream schema`.

use serde_json::{json, Map, Value};

use crate::input::roster::{Colonna, COLONNE_ISCRIZIONI, COLONNE_PRESENZE};
use crate::model::{Ateneo, Corso};

/// The parts of a dataset that have a schema, with their file names.
pub const PARTI: &[(&str, &str)] = &[
    ("ateneo", "ateneo.schema.json"),
    ("corso", "corso.schema.json"),
    ("iscrizione", "iscrizione.schema.json"),
    ("presenza", "presenza.schema.json"),
];

/// The schema of one part: `ateneo`, `corso`, `iscrizione` (a roster row) or
/// `presenza` (an attendance-register row).
pub fn schema(parte: &str) -> Option<Value> {
    let mut v = match parte {
        "ateneo" => serde_json::to_value(schemars::schema_for!(Ateneo)).ok()?,
        "corso" => serde_json::to_value(schemars::schema_for!(Corso)).ok()?,
        "iscrizione" => riga(
            "Iscrizione",
            "One row of a roster (iscrizioni/*.csv or *.xlsx): a person enrolled in a course. Column names are case-insensitive; spaces count as underscores.",
            COLONNE_ISCRIZIONI,
        ),
        "presenza" => riga(
            "Presenza",
            "One row of an attendance register (presenze/*.csv or *.xlsx): hours one person attended one module.",
            COLONNE_PRESENZE,
        ),
        _ => return None,
    };
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "$id".into(),
            json!(format!(
                "https://lauream.invalid/schema/{parte}.schema.json"
            )),
        );
    }
    Some(v)
}

fn riga(titolo: &str, descrizione: &str, colonne: &[Colonna]) -> Value {
    let mut props = Map::new();
    for (nome, _, desc) in colonne {
        props.insert(
            (*nome).into(),
            json!({ "type": "string", "description": desc }),
        );
    }
    let required: Vec<&str> = colonne.iter().filter(|c| c.1).map(|c| c.0).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": titolo,
        "description": descrizione,
        "type": "object",
        "properties": props,
        "required": required,
    })
}

/// Pretty JSON with a trailing newline, as committed under `docs/schema/`.
pub fn testo(parte: &str) -> Option<String> {
    schema(parte).map(|v| serde_json::to_string_pretty(&v).expect("JSON") + "\n")
}
