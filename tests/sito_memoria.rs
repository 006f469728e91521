//! The verification site is made a group of shards at a time, so that a
//! year of any size fits in a bounded working set: whatever the size of the
//! groups (one shard each, a few records, the whole year at once) the site
//! is the same bytes, every shard holds exactly the records whose ids it is
//! named by, and every code and issued file opens its record, read back as
//! the page reads it, with keys derived here on their own.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use lauream::registry::elenco::{FiltroElenco, VoceElenco};
use lauream::registry::{Registro, FILE_REGISTRO};
use lauream::sito::cripto::{self, Dominio};
use lauream::sito::lettura::Sito;
use lauream::sito::{self as sito_mod, CARTELLA, CARTELLA_DATI};
use serde_json::Value;

/// The records of a shard file, in the order the file lists them.
fn record_del_file(b: &[u8]) -> Vec<(String, String)> {
    let testo = std::str::from_utf8(b).unwrap();
    let json = &testo[testo.find('{').unwrap()..testo.rfind('}').unwrap() + 1];
    let m: serde_json::Map<String, Value> = serde_json::from_str(json).unwrap();
    m.into_iter()
        .map(|(k, v)| (k, v.as_str().unwrap().to_string()))
        .collect()
}

/// The demo built, one of its certificates revoked (so that a record says
/// so), and the site made again from the registry with records grouped
/// `gruppo` at a time.
fn rigenera(out: &Path, gruppo: usize) -> sito_mod::EsitoSito {
    let ds = lauream::input::carica(&fixture("demo"))
        .0
        .expect("la demo si carica");
    std::fs::remove_dir_all(out.join(CARTELLA)).unwrap();
    sito_mod::pubblica_a_gruppi(out, &out.join(FILE_REGISTRO), &ds, None, gruppo).unwrap()
}

#[test]
fn a_gruppi_di_ogni_misura_lo_stesso_sito_e_ogni_record_si_apre() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_riuscita(&fixture("demo"), &out, &[]);
    let voci: Vec<VoceElenco> = Registro::apri_esistente(&out.join(FILE_REGISTRO))
        .unwrap()
        .elenco(&FiltroElenco::default())
        .unwrap();
    let revocare = voci.iter().find(|v| v.tipo == "attestato").unwrap();
    let r = lauream(&[
        "revoke",
        &revocare.codice,
        "--reason",
        "ore trascritte in modo errato",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let voci: Vec<VoceElenco> = Registro::apri_esistente(&out.join(FILE_REGISTRO))
        .unwrap()
        .elenco(&FiltroElenco::default())
        .unwrap();

    // The whole year in one group, as the site was made before groups.
    let intero = rigenera(&out, usize::MAX);
    assert_eq!(intero.chiavi_nuove, 0, "le chiavi restano nello stato");
    let sito = bytes_del_sito(&out);
    for gruppo in [1, 3, 40] {
        let e = rigenera(&out, gruppo);
        assert_eq!(
            (e.record, e.blocchi, e.scritti),
            (intero.record, intero.blocchi, intero.scritti)
        );
        let altro = bytes_del_sito(&out);
        assert_eq!(
            altro.keys().collect::<Vec<_>>(),
            sito.keys().collect::<Vec<_>>()
        );
        for (f, b) in &sito {
            assert!(altro[f] == *b, "{f}: byte diversi a gruppi di {gruppo}");
        }
    }

    // What the registry says must be there, with keys derived here.
    let pagina = Sito::apri(&out.join(CARTELLA)).unwrap();
    let mut attesi: BTreeMap<String, (cripto::Chiavi, &VoceElenco)> = BTreeMap::new();
    let mut per_impronta: BTreeMap<[u8; 32], &VoceElenco> = BTreeMap::new();
    for v in &voci {
        let Some(h) = &v.sha256 else { continue };
        per_impronta.insert(hex::decode(h).unwrap().try_into().unwrap(), v);
        if matches!(v.tipo.as_str(), "attestato" | "pergamena") {
            let k = cripto::chiavi_codice(&v.codice, &pagina.sale);
            attesi.insert(k.id.clone(), (k, v));
        }
    }
    for (h, v) in per_impronta {
        let k = cripto::espandi(&h, &pagina.sale, Dominio::Pdf);
        attesi.insert(k.id.clone(), (k, v));
    }
    assert_eq!(intero.record, attesi.len());
    assert!(
        attesi.len() > 60,
        "la demo pubblica {} record",
        attesi.len()
    );

    // Every shard, empty ones too; each lists its own ids, in order.
    let nomi: BTreeSet<String> = (0..1usize << (4 * pagina.cifre))
        .map(|i| format!("{CARTELLA_DATI}/{i:0w$x}.js", w = pagina.cifre))
        .collect();
    let blocchi: BTreeSet<String> = sito
        .keys()
        .filter(|f| f.starts_with(CARTELLA_DATI))
        .cloned()
        .collect();
    assert_eq!(blocchi, nomi);
    let mut visti = BTreeSet::new();
    for f in &blocchi {
        let record = record_del_file(&sito[f]);
        let id: Vec<&String> = record.iter().map(|(id, _)| id).collect();
        assert!(id.windows(2).all(|w| w[0] < w[1]), "{f}: id non in ordine");
        for (id, cifrato) in &record {
            assert_eq!(pagina.blocco_di(id), out.join(CARTELLA).join(f));
            let (k, v) = attesi
                .get(id)
                .unwrap_or_else(|| panic!("{f}: record {id} che il registro non dà"));
            let chiaro: Value =
                serde_json::from_str(&cripto::decifra(k, cifrato).expect("si apre")).unwrap();
            assert_eq!(chiaro["stato"], v.stato.as_str(), "{}", v.codice);
            assert_eq!(chiaro["tipo"], v.tipo.as_str());
            assert_eq!(chiaro["numero"].as_str(), v.numero.as_deref());
            assert_eq!(chiaro["intestatario"].as_str(), v.intestatario.as_deref());
            visti.insert(id.clone());
        }
    }
    assert_eq!(visti.len(), attesi.len(), "record mancanti nel sito");

    // As the page looks them up: by code as typed, and by file.
    let r = pagina
        .per_codice(&revocare.codice.to_lowercase())
        .unwrap()
        .expect("il codice revocato ha il suo record");
    assert_eq!(r["stato"], "revocato");
    assert_eq!(r["motivo"], "ore trascritte in modo errato");
    let pdf = voci
        .iter()
        .find(|v| v.tipo == "pergamena" && v.stato == "valido")
        .unwrap();
    let r = pagina
        .per_pdf(&std::fs::read(out.join(&pdf.percorso)).unwrap())
        .unwrap()
        .expect("il file emesso ha il suo record");
    assert_eq!(r["numero"].as_str(), pdf.numero.as_deref());
}
