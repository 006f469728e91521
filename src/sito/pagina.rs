//! The site's page and shard files as text: the page is a template filled
//! with the university's name and the site's public parameters; the script
//! and style sheet are built into the program as they are.

use std::path::Path;

use serde_json::Value;

const INDICE: &str = include_str!("pagina/index.html");

/// The files published as they are, by name inside the site folder.
pub const RISORSE: [(&str, &str); 2] = [
    ("verifica.js", include_str!("pagina/verifica.js")),
    ("verifica.css", include_str!("pagina/verifica.css")),
];

/// Where the page carries its parameters: a JSON data block, which no
/// browser runs as a script.
const INIZIO_CONFIGURAZIONE: &str = r#"<script id="configurazione" type="application/json">"#;

/// `index.html`: the university's name (escaped) and the parameters the
/// script reads (salt, iterations, shard digits).
pub fn indice(ateneo: &str, configurazione: &Value) -> String {
    // In a <script> block only "</" could end it early; JSON allows "<"
    // to be written as \u003c inside strings, where alone it can occur.
    let json = configurazione.to_string().replace('<', "\\u003c");
    INDICE
        .replace("{{ATENEO}}", &html(ateneo))
        .replace("{{CONFIGURAZIONE}}", &json)
}

/// The parameters of a published page, read back.
pub fn configurazione(indice: &str) -> Option<Value> {
    let inizio = indice.find(INIZIO_CONFIGURAZIONE)? + INIZIO_CONFIGURAZIONE.len();
    let fine = inizio + indice[inizio..].find("</script>")?;
    serde_json::from_str(&indice[inizio..fine]).ok()
}

/// The salt of a site already published in `sito`, to keep its ids when the
/// generator's private state was lost.
pub fn sale_pubblicato(sito: &Path) -> Option<Vec<u8>> {
    let testo = std::fs::read_to_string(sito.join("index.html")).ok()?;
    let conf = configurazione(&testo)?;
    hex::decode(conf.get("sale")?.as_str()?)
        .ok()
        .filter(|s| !s.is_empty())
}

/// Prefix and suffix of a shard file around its JSON object.
const INIZIO_BLOCCO: &str = "verificaBlocco(";

/// A shard: a script that hands its records (id → encrypted record, all
/// hex) to the page. A script rather than a JSON file, so that the page also
/// works opened from a folder (`file://`), where a browser refuses `fetch`.
pub fn blocco(nome: &str, record: &Value) -> String {
    format!("{INIZIO_BLOCCO}\"{nome}\",{record});\n")
}

/// The records of a shard file, read back.
pub fn record_del_blocco(testo: &str) -> Option<serde_json::Map<String, Value>> {
    let dentro = testo
        .trim()
        .strip_prefix(INIZIO_BLOCCO)?
        .strip_suffix(");")?;
    let (_, json) = dentro.split_once(',')?;
    match serde_json::from_str(json).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// Text for HTML content and attribute values.
fn html(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn la_pagina_porta_i_parametri_e_li_restituisce() {
        let conf = json!({ "sale": "00ff", "nota": "</script><b>" });
        let p = indice("Ateneo <di> \"prova\"", &conf);
        assert!(p.contains("Ateneo &lt;di&gt; &quot;prova&quot;"));
        assert!(!p.contains("</script><b>"));
        assert_eq!(configurazione(&p), Some(conf));
        let b = blocco("0a", &json!({ "0a12": "ff" }));
        assert_eq!(
            record_del_blocco(&b).unwrap().get("0a12"),
            Some(&json!("ff"))
        );
    }
}
