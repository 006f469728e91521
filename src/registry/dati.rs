//! The data a document was rendered from, kept in the registry so that a
//! refusal can say what changed (field, old → new) when an issued document
//! would be issued with other data. Stored compressed: a year's
//! certificates carry a few kilobytes of JSON each.

use std::io::{Read, Write};

use serde_json::Value;

/// The JSON text of a document's data, compressed for the registry.
pub fn comprimi(json: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    e.write_all(json).expect("scrittura in memoria");
    e.finish().expect("scrittura in memoria")
}

/// The data as stored, back as JSON; `None` when it cannot be read (a
/// registry written by hand, or damaged), which a refusal then says.
pub fn decomprimi(blob: &[u8]) -> Option<Value> {
    let mut testo = Vec::new();
    flate2::read::ZlibDecoder::new(blob)
        .read_to_end(&mut testo)
        .ok()?;
    serde_json::from_slice(&testo).ok()
}

/// One field that differs between two versions of a document's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Differenza {
    /// The field's path in the data, dotted: `esito.voto`, `moduli[2].ore`.
    pub campo: String,
    /// Its value as issued; `None` when the field is new.
    pub prima: Option<String>,
    /// Its value now; `None` when the field is gone.
    pub dopo: Option<String>,
}

/// Every leaf of a JSON value, by dotted path, as text.
fn foglie(v: &Value, percorso: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let p = if percorso.is_empty() {
                    k.clone()
                } else {
                    format!("{percorso}.{k}")
                };
                foglie(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                foglie(x, format!("{percorso}[{i}]"), out);
            }
        }
        Value::String(s) => out.push((percorso, s.clone())),
        Value::Null => out.push((percorso, "null".into())),
        altro => out.push((percorso, altro.to_string())),
    }
}

/// The fields that differ between the data as issued and the data now, in
/// the order of the data.
pub fn differenze(prima: &Value, dopo: &Value) -> Vec<Differenza> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    foglie(prima, String::new(), &mut a);
    foglie(dopo, String::new(), &mut b);
    let vecchi: std::collections::HashMap<&str, &str> =
        a.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let nuovi: std::collections::HashSet<&str> = b.iter().map(|(k, _)| k.as_str()).collect();
    let mut diff: Vec<Differenza> = b
        .iter()
        .filter(|(k, v)| vecchi.get(k.as_str()) != Some(&v.as_str()))
        .map(|(k, v)| Differenza {
            campo: k.clone(),
            prima: vecchi.get(k.as_str()).map(|s| s.to_string()),
            dopo: Some(v.clone()),
        })
        .collect();
    diff.extend(
        a.iter()
            .filter(|(k, _)| !nuovi.contains(k.as_str()))
            .map(|(k, v)| Differenza {
                campo: k.clone(),
                prima: Some(v.clone()),
                dopo: None,
            }),
    );
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn i_dati_tornano_come_erano() {
        let v = json!({"persona": {"nome": "Elisa"}, "voto": "26/30"});
        let b = comprimi(v.to_string().as_bytes());
        assert_eq!(decomprimi(&b), Some(v));
        assert_eq!(decomprimi(b"non compresso"), None);
    }

    #[test]
    fn campo_vecchio_e_nuovo() {
        let a = json!({"esito": {"voto": "26/30", "lode": false}, "moduli": ["A", "B"]});
        let b = json!({"esito": {"voto": "27/30", "lode": false}, "moduli": ["A"], "nota": "x"});
        let d = differenze(&a, &b);
        assert_eq!(
            d,
            vec![
                Differenza {
                    campo: "esito.voto".into(),
                    prima: Some("26/30".into()),
                    dopo: Some("27/30".into())
                },
                Differenza {
                    campo: "nota".into(),
                    prima: None,
                    dopo: Some("x".into())
                },
                Differenza {
                    campo: "moduli[1]".into(),
                    prima: Some("B".into()),
                    dopo: None
                },
            ]
        );
        assert!(differenze(&a, &a).is_empty());
    }
}
