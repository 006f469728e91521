//! Steps 5 and 6 of a build, course by course: whole courses at a time,
//! a few hundred documents (see [`TRATTO`]), are planned again with their
//! data, rendered, checked against what the registry issued, and their data
//! recorded in the registry's transaction; then the data is dropped, and
//! what goes on is small: the registry places in memory, the index entries
//! on disk until the year is rendered ([`Riserva`]). So a build holds a few
//! courses' data at a time, not the year's.
//!
//! Only the documents whose issued file would change keep their data past
//! their course: they are refused, or superseded with `--overwrite`, all
//! together at the end ([`risolvi_cambiati`]), so that superseding numbers
//! follow the documents' dates across courses as first numbers do.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::produzione::Conteggio;
use super::{cambiamenti, valore, ErroreBuild, OpzioniBuild, Produzione};
use crate::archive::{Indice, VoceIndice};
use crate::plan::{self, Documento, Gruppo, Piano, Sintesi, TipoDocumento};
use crate::registry::{self, Assegnazione, DatiEmessi, Emissione, FileEmesso};
use crate::render;

/// The whole year numbered, group by group (each group's documents are
/// contiguous in plan order): each document's place in the registry, and a
/// digest of its identifier and path, enough to check that the group
/// planned again with its data is the one numbered. The summaries
/// themselves (paths, titles, names: most of a document's size before its
/// data) are dropped as soon as the year is numbered, so that they are not
/// held while the year renders. Each group's vectors are dropped as the
/// group is produced.
pub(super) struct Numerati(Vec<(Gruppo, Vec<u64>, Vec<Assegnazione>)>);

impl Numerati {
    /// Splits the plan-order vectors (`gruppi[i]` is the group of
    /// `sintesi[i]` and of `assegnazioni[i]`) into groups, each vector
    /// allocated at its group's size.
    pub(super) fn new(
        gruppi: Vec<Gruppo>,
        sintesi: Vec<Sintesi>,
        assegnazioni: Vec<Assegnazione>,
    ) -> Self {
        let mut v: Vec<(Gruppo, Vec<u64>, Vec<Assegnazione>)> = Vec::new();
        let mut inizio = 0;
        let mut assegnazioni = assegnazioni.into_iter();
        while inizio < gruppi.len() {
            let g = gruppi[inizio];
            let n = gruppi[inizio..].iter().take_while(|h| **h == g).count();
            let chiavi = sintesi[inizio..inizio + n]
                .iter()
                .map(|s| chiave(&s.identificativo, &s.percorso))
                .collect();
            v.push((g, chiavi, assegnazioni.by_ref().take(n).collect()));
            inizio += n;
        }
        Numerati(v)
    }

    /// The documents of the year.
    pub(super) fn documenti(&self) -> usize {
        self.0.iter().map(|(_, s, _)| s.len()).sum()
    }
}

/// The digest [`Numerati`] keeps of a document: its identifier and path.
fn chiave(identificativo: &str, percorso: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (identificativo, percorso).hash(&mut h);
    h.finish()
}

/// What the course-by-course production leaves to the rest of the build:
/// parallel vectors in plan order over the documents produced (a failed
/// document keeps the number it was given, recorded with no file yet, so
/// the rerun that produces it uses that number).
#[derive(Default)]
pub(super) struct Prodotti {
    /// Index entries: empty while the year renders (they are kept in
    /// `riserva`), all of them once [`Riserva::rileggi`] gave them back.
    pub voci: Vec<VoceIndice>,
    /// The entries of the documents produced so far, on disk.
    pub riserva: Option<Riserva>,
    /// Registry places.
    pub assegnazioni: Vec<Assegnazione>,
    /// Documents whose issued file would change, by position, with their
    /// data: for [`risolvi_cambiati`].
    pub cambiati: BTreeMap<usize, Documento>,
    /// Documents issued in place of an earlier issue, each with its
    /// position, in plan order once [`risolvi_cambiati`] is done.
    pub sostituiti: Vec<(usize, cambiamenti::Sostituzione)>,
    /// Documents that could not be produced, with why.
    pub falliti: Vec<(String, render::ErroreTemplate)>,
}

/// Produces the year group by group (the year's documents, then each
/// course): plans the group's data, puts each document's number and code
/// into it, renders into the staging area, finds the documents whose issued
/// file would change, and records the others' data in the registry.
pub(super) fn produci_per_corso(
    produzione: &Produzione,
    conteggio: &Conteggio,
    pianificatore: &plan::Pianificatore,
    emissione: &mut Emissione,
    numerati: Numerati,
) -> Result<Prodotti, ErroreBuild> {
    let totale = numerati.documenti();
    let mut prodotti = Prodotti {
        riserva: Some(Riserva::nuova(produzione.staging.file_temporaneo()?)),
        assegnazioni: Vec::with_capacity(totale),
        ..Prodotti::default()
    };
    let mut tratto: (Vec<Documento>, Vec<Assegnazione>) = Default::default();
    let mut gruppi = numerati.0.into_iter().peekable();
    while let Some((g, chiavi, assegnazioni)) = gruppi.next() {
        let documenti = con_i_dati(pianificatore, emissione, g, &chiavi, &assegnazioni)?;
        tratto.0.extend(documenti);
        tratto.1.extend(assegnazioni);
        if tratto.0.len() >= TRATTO || gruppi.peek().is_none() {
            let t = std::mem::take(&mut tratto);
            produci_tratto(produzione, conteggio, emissione, &mut prodotti, t)?;
        }
    }
    Ok(prodotti)
}

/// Documents rendered together: whole courses, until there are at least
/// this many. Enough that the rendering threads rarely wait for each other
/// at the end of a stretch (a course ends with its longest documents), few
/// enough that their data takes a few megabytes whatever the year's size.
const TRATTO: usize = 512;

/// A group's documents planned again, now with their data, and with the
/// registry's fields in the data of those that print them. The plan is a
/// pure function of the dataset, so these are the documents the summary
/// numbered, in the same order; anything else is a bug, stopped here.
fn con_i_dati(
    pianificatore: &plan::Pianificatore,
    emissione: &Emissione,
    g: Gruppo,
    chiavi: &[u64],
    assegnazioni: &[Assegnazione],
) -> Result<Vec<Documento>, ErroreBuild> {
    let mut documenti = pianificatore.documenti(g);
    let stessi = documenti.len() == chiavi.len()
        && documenti
            .iter()
            .zip(chiavi)
            .all(|(d, &k)| chiave(&d.identificativo, &d.percorso) == k);
    if !stessi {
        return Err(anyhow::anyhow!(
            "errore interno: il piano di {g:?} è cambiato tra il sommario e la generazione"
        )
        .into());
    }
    for (d, a) in documenti.iter_mut().zip(assegnazioni) {
        if let Some(r) = emissione.registrazione(d.tipo, d.serie, a) {
            d.registra(r);
        }
    }
    Ok(documenti)
}

/// One stretch of whole groups: rendered, checked, its unchanged
/// documents' data recorded, and appended to `prodotti`.
fn produci_tratto(
    produzione: &Produzione,
    conteggio: &Conteggio,
    emissione: &mut Emissione,
    prodotti: &mut Prodotti,
    (documenti, assegnazioni): (Vec<Documento>, Vec<Assegnazione>),
) -> Result<(), ErroreBuild> {
    let mut piano = Piano {
        documenti,
        ..Piano::default()
    };
    let (voci, falliti) = produzione.produci(&mut piano, conteggio);
    prodotti.falliti.extend(falliti);
    // The documents produced, as three parallel vectors.
    let (mut voci_fatte, mut documenti, mut fatte) = (Vec::new(), Vec::new(), Vec::new());
    for ((voce, doc), a) in voci.into_iter().zip(piano.documenti).zip(assegnazioni) {
        if let Some(v) = voce {
            voci_fatte.push(v);
            documenti.push(doc);
            fatte.push(a);
        }
    }
    let cambiati = cambiati(produzione, emissione, &voci_fatte, &fatte);
    let da_registrare: Vec<DatiEmessi> = (0..voci_fatte.len())
        .filter(|k| !cambiati.contains(k) && documenti[*k].allegato.is_none())
        .map(|k| DatiEmessi {
            assegnazione: &fatte[k],
            sha256: &voci_fatte[k].sha256,
            dati: &documenti[k].dati,
        })
        .collect();
    emissione.registra_dati(&da_registrare)?;
    for (k, ((v, doc), a)) in voci_fatte.into_iter().zip(documenti).zip(fatte).enumerate() {
        // A position among the documents produced: the entries are on
        // disk, and the registry places go in step with them.
        let posto = prodotti.assegnazioni.len();
        if cambiati.contains(&k) {
            prodotti.cambiati.insert(posto, doc);
        } else if a.precedente.is_some() {
            let sostituzione = sostituzione(emissione, &v, &doc, &a)?;
            prodotti.sostituiti.push((posto, sostituzione));
        }
        prodotti
            .riserva
            .as_mut()
            .expect("la riserva c'è finché si genera")
            .aggiungi(&v)?;
        prodotti.assegnazioni.push(a);
    }
    Ok(())
}

/// The index entries of the documents produced so far, written out as
/// they are produced (JSON, one a line, in an anonymous file of the staging
/// area) and read back once the year is rendered. An entry is about a
/// kilobyte in memory, and there is one per document: held through
/// rendering, they were most of what a large year's build grew by. Read
/// back after the course data is given back, they take its place.
pub(super) struct Riserva {
    file: std::io::BufWriter<std::fs::File>,
    voci: usize,
}

impl Riserva {
    fn nuova(file: std::fs::File) -> Self {
        Riserva {
            file: std::io::BufWriter::new(file),
            voci: 0,
        }
    }

    fn aggiungi(&mut self, v: &VoceIndice) -> std::io::Result<()> {
        use std::io::Write;
        serde_json::to_writer(&mut self.file, v)?;
        self.file.write_all(b"\n")?;
        self.voci += 1;
        Ok(())
    }

    /// Every entry written, in the order written.
    pub(super) fn rileggi(self) -> std::io::Result<Vec<VoceIndice>> {
        use std::io::{BufRead, Seek};
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.seek(std::io::SeekFrom::Start(0))?;
        let mut voci = Vec::with_capacity(self.voci);
        for riga in std::io::BufReader::new(file).lines() {
            voci.push(serde_json::from_str(&riga?)?);
        }
        if voci.len() != self.voci {
            return Err(std::io::Error::other(format!(
                "errore interno: {} voci dell'indice rilette su {} scritte",
                voci.len(),
                self.voci
            )));
        }
        Ok(voci)
    }
}

/// Positions of the documents whose issued file would change: the registry
/// recorded other bytes for them, or the file in place differs from the
/// one staged. A reissue after a revocation is expected to change.
fn cambiati(
    produzione: &Produzione,
    emissione: &Emissione,
    voci: &[VoceIndice],
    assegnazioni: &[Assegnazione],
) -> BTreeSet<usize> {
    let file: Vec<FileEmesso> = voci.iter().map(super::file_emesso).collect();
    let mut cambiati: BTreeSet<usize> = emissione
        .cambiati(assegnazioni, &file)
        .into_iter()
        .collect();
    let per_percorso: HashMap<&str, usize> = voci
        .iter()
        .enumerate()
        .map(|(i, v)| (v.path.as_str(), i))
        .collect();
    cambiati.extend(
        produzione
            .staging
            .conflitti(voci)
            .iter()
            .filter_map(|v| per_percorso.get(v.path.as_str()).copied()),
    );
    cambiati.retain(|&i| !assegnazioni[i].riemissione);
    cambiati
}

/// A document issued in place of an earlier issue, with what changed in
/// its data.
fn sostituzione(
    emissione: &Emissione,
    voce: &VoceIndice,
    doc: &Documento,
    a: &Assegnazione,
) -> Result<cambiamenti::Sostituzione, ErroreBuild> {
    let p = a
        .precedente
        .as_ref()
        .expect("solo i documenti che ne sostituiscono un altro");
    Ok(cambiamenti::Sostituzione {
        percorso: voce.path.clone(),
        titolo: voce.title.clone(),
        numero_prima: p.numero.clone(),
        codice_prima: p.codice.clone(),
        numero: a.numero.clone(),
        codice: a.codice.clone(),
        dopo_revoca: a.riemissione,
        differenze: cambiamenti::cosa_cambia(
            emissione.dati_emessi(p.id)?.as_ref(),
            &valore(&doc.dati),
        ),
    })
}

/// Step 6: an issued document must not change: neither the file in place
/// nor, if that is gone, what the registry recorded (a reissue after
/// revocation is expected to). Each changed document is described (number,
/// code, fields old → new). Without `--overwrite` the changed documents are
/// left out of this build and returned, and the others go on; with it they
/// are superseded, issued anew under a new number and code, and the old
/// rows record what replaced them. Then every document takes its number,
/// code and status in the index.
pub(super) fn risolvi_cambiati(
    opts: &OpzioniBuild,
    produzione: &Produzione,
    conteggio: &Conteggio,
    emissione: &mut Emissione,
    prodotti: &mut Prodotti,
    precedente: &Indice,
) -> Result<Vec<cambiamenti::Cambiamento>, ErroreBuild> {
    let cambiati = std::mem::take(&mut prodotti.cambiati);
    let mut rifiutati = Vec::new();
    if !cambiati.is_empty() {
        if !opts.sovrascrivi {
            for (&i, doc) in &cambiati {
                let a = &prodotti.assegnazioni[i];
                let v = &prodotti.voci[i];
                rifiutati.push(cambiamenti::Cambiamento {
                    percorso: v.path.clone(),
                    titolo: v.title.clone(),
                    numero: a.numero.clone(),
                    codice: a.codice.clone(),
                    differenze: cambiamenti::cosa_cambia(
                        emissione.dati_emessi(a.id)?.as_ref(),
                        &valore(&doc.dati),
                    ),
                });
            }
            // A refused document whose published file is gone would leave
            // its course's bag without it: nothing can be written.
            let scomparso = cambiati.keys().any(|&i| {
                let v = &prodotti.voci[i];
                precedente.documents.iter().any(|w| w.path == v.path)
                    && !opts.out.join(&v.path).is_file()
            });
            if scomparso {
                return Err(ErroreBuild::Conflitto(rifiutati));
            }
            lascia_fuori(&cambiati.keys().copied().collect(), prodotti);
        } else {
            sostituisci(produzione, conteggio, emissione, prodotti, cambiati)?;
        }
    }
    for (v, a) in prodotti.voci.iter_mut().zip(&prodotti.assegnazioni) {
        if v.number.is_none() {
            v.number = a.numero.clone();
        }
        v.code = Some(a.codice.clone());
        v.status = Some("valido".into());
    }
    // Reissues (found stretch by stretch) and superseded documents (at
    // the end), in plan order.
    prodotti.sostituiti.sort_by_key(|(posto, _)| *posto);
    Ok(rifiutati)
}

/// Leaves the given documents (positions) out of the rest of the build:
/// their staged files are dropped with the staging area, and their
/// registry rows, issued earlier, stay as they were.
fn lascia_fuori(via: &BTreeSet<usize>, prodotti: &mut Prodotti) {
    fn togli<T>(v: &mut Vec<T>, via: &BTreeSet<usize>) {
        let mut i = 0;
        v.retain(|_| {
            i += 1;
            !via.contains(&(i - 1))
        });
    }
    togli(&mut prodotti.voci, via);
    togli(&mut prodotti.assegnazioni, via);
    // The positions of reissues only order them, and they are already in
    // order: a build that leaves documents out supersedes none.
}

/// `--overwrite`: supersedes each changed document in the registry, in
/// date order, renders anew those that print their number and code, and
/// records the data of each new issue.
fn sostituisci(
    produzione: &Produzione,
    conteggio: &Conteggio,
    emissione: &mut Emissione,
    prodotti: &mut Prodotti,
    mut cambiati: BTreeMap<usize, Documento>,
) -> Result<(), ErroreBuild> {
    let posti: Vec<usize> = cambiati.keys().copied().collect();
    let sintesi: Vec<Sintesi> = cambiati.values().map(Documento::sintesi).collect();
    // New numbers go in date order, as the first allocation's do.
    for k in registry::ordine_di_numerazione(&sintesi) {
        let i = posti[k];
        let a = emissione.sostituisci(&sintesi[k], &prodotti.assegnazioni[i])?;
        let doc = cambiati
            .get_mut(&i)
            .expect("ogni posto ha il suo documento");
        if let Some(r) = emissione.registrazione(sintesi[k].tipo, sintesi[k].serie, &a) {
            doc.registra(r);
        }
        prodotti.assegnazioni[i] = a;
    }
    let da_rifare: Vec<usize> = posti
        .iter()
        .copied()
        .filter(|i| {
            matches!(
                cambiati[i].tipo,
                TipoDocumento::Attestato | TipoDocumento::Pergamena
            )
        })
        .collect();
    if !da_rifare.is_empty() {
        let mut piano = Piano {
            documenti: da_rifare.iter().map(|i| cambiati[i].clone()).collect(),
            ..Piano::default()
        };
        let (rifatte, non_rifatte) = produzione.produci(&mut piano, conteggio);
        if !non_rifatte.is_empty() {
            // The superseded document is already renumbered in this
            // transaction: without its new file the build cannot go on.
            return Err(anyhow::anyhow!(
                "documenti da riemettere non generati:\n{}",
                non_rifatte
                    .iter()
                    .map(|(p, e)| format!("{p}:\n{e}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
            .into());
        }
        for (i, v) in da_rifare.into_iter().zip(rifatte) {
            prodotti.voci[i] = v.expect("ogni documento riemesso è stato generato");
        }
    }
    let da_registrare: Vec<DatiEmessi> = cambiati
        .iter()
        .filter(|(_, doc)| doc.allegato.is_none())
        .map(|(&i, doc)| DatiEmessi {
            assegnazione: &prodotti.assegnazioni[i],
            sha256: &prodotti.voci[i].sha256,
            dati: &doc.dati,
        })
        .collect();
    emissione.registra_dati(&da_registrare)?;
    for (&i, doc) in &cambiati {
        let s = sostituzione(emissione, &prodotti.voci[i], doc, &prodotti.assegnazioni[i])?;
        prodotti.sostituiti.push((i, s));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries come back from disk as they went, every field, in order,
    /// names that are not plain ASCII included.
    #[test]
    fn la_riserva_rende_le_voci_come_le_ha_avute() {
        let d = tempfile::tempdir().unwrap();
        let voci = vec![
            VoceIndice {
                kind: TipoDocumento::Pergamena,
                course: Some("master-x".into()),
                person: Some("RSSMRA80A01H501U".into()),
                path: "2025-2026/master-x/pergamene/d'annunzio-çà.pdf".into(),
                sha256: "ab".repeat(32),
                title: "Pergamena – Maria «Rossi»\n#panic(\"x\")".into(),
                id: "2025/2026/master-x/pergamena/RSSMRA80A01H501U".into(),
                date: Some("2026-06-30".into()),
                number: Some("12/2026".into()),
                code: Some("K7QM-3XPD-9T".into()),
                status: Some("valido".into()),
                object: Some("ateneo-2025-2026-master-x".into()),
                version: Some("v2".into()),
                section: Some("03-esiti-selezione".into()),
                render_key: Some("cd".repeat(32)),
                size: Some(36415),
            },
            // Every optional field absent.
            serde_json::from_str(
                r#"{"kind": "bando", "course": null, "person": null,
                    "path": "2025-2026/bando.pdf", "sha256": "ef", "title": "Bando",
                    "id": "2025/2026/bando"}"#,
            )
            .unwrap(),
        ];
        let mut r = Riserva::nuova(tempfile::tempfile_in(d.path()).unwrap());
        for v in &voci {
            r.aggiungi(v).unwrap();
        }
        assert_eq!(r.rileggi().unwrap(), voci);
        // An anonymous file: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
    }
}
