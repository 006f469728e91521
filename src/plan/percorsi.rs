//! Where every document is written and what identifies it: the one place
//! that builds output paths and document identifiers.
//!
//! A path is relative to the output directory, with `/`, made of
//! [`slug`]s so that it survives any file system: the academic year's
//! folder (`2025-2026`), the course's (`master-dati-pa`), the family's
//! (`attestati`, `decreti`, `dossier`…), and a file name that carries what
//! makes the document unique (the person's tax code, the decree's number).
//! Distinct data may share a slug; the plan checks the paths for collisions.
//!
//! An identifier names the same document across builds, for the registry
//! and the archive: the data as written (`2025/2026/master-dati-pa/
//! certificato-cfu/<tax code>`), never slugged, so that it changes only when
//! the document is another one.

use super::dati::TipoAtto;
use super::dossier::SezioneDossier;
use super::italiano::slug;
use crate::model::{Corso, Decreto, Persona};

/// Where a planned document is written, and what names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collocazione {
    /// Relative to the output directory, with `/`.
    pub percorso: String,
    /// Stable across builds.
    pub identificativo: String,
}

/// The academic year as a folder: "2025/2026" → "2025-2026".
fn cartella_anno(anno_accademico: &str) -> String {
    anno_accademico.replace('/', "-")
}

/// The course's folder: "2025-2026/master-dati-pa".
fn cartella_corso(c: &Corso) -> String {
    format!("{}/{}", cartella_anno(&c.anno_accademico), slug(&c.id))
}

/// The kind of document as paths and identifiers name it:
/// "certificato-cfu", "graduatoria", "pergamena".
fn nome(atto: TipoAtto) -> &'static str {
    match atto {
        TipoAtto::Bando => "bando",
        TipoAtto::DecretoOfferta => "offerta-formativa",
        TipoAtto::DecretoAttivazione => "attivazione",
        TipoAtto::DecretoProroga => "proroga",
        TipoAtto::DecretoGraduatoria => "graduatoria",
        TipoAtto::DecretoCommissione => "commissione",
        TipoAtto::Pergamena => "pergamena",
        TipoAtto::CertificatoPartecipazione => "certificato-partecipazione",
        TipoAtto::AttestatoFrequenza => "attestato-frequenza",
        TipoAtto::CertificatoCfu => "certificato-cfu",
        TipoAtto::AttestatoUditore => "attestato-uditore",
        TipoAtto::CertificatoTitolo => "certificato-titolo",
        TipoAtto::IndiceDossier => "indice",
    }
}

/// The course's call: `2025-2026/master-dati-pa/bando/bando-master-dati-pa.pdf`.
pub fn bando(c: &Corso) -> Collocazione {
    let id = slug(&c.id);
    Collocazione {
        percorso: format!(
            "{}/{id}/bando/bando-{id}.pdf",
            cartella_anno(&c.anno_accademico)
        ),
        identificativo: format!("{}/{}/bando", c.anno_accademico, c.id),
    }
}

/// A decree about a course, by its kind and repertory number:
/// `…/master-dati-pa/decreti/dr-643-graduatoria.pdf`.
pub fn decreto(c: &Corso, atto: TipoAtto, dr: &Decreto) -> Collocazione {
    let genere = nome(atto);
    Collocazione {
        percorso: format!(
            "{}/decreti/dr-{}-{genere}.pdf",
            cartella_corso(c),
            slug(&dr.numero)
        ),
        identificativo: format!(
            "{}/{}/decreto-{genere}/{}",
            c.anno_accademico,
            c.id,
            dr.numero.trim()
        ),
    }
}

/// A department Director's decree about a course, in the course's
/// decrees folder but named apart from the Rector's ("dd-", its own
/// repertory): `…/decreti/dd-27-commissione.pdf`.
pub fn decreto_dipartimento(c: &Corso, atto: TipoAtto, dr: &Decreto) -> Collocazione {
    let genere = nome(atto);
    Collocazione {
        percorso: format!(
            "{}/decreti/dd-{}-{genere}.pdf",
            cartella_corso(c),
            slug(&dr.numero)
        ),
        identificativo: format!(
            "{}/{}/decreto-dipartimento-{genere}/{}",
            c.anno_accademico,
            c.id,
            dr.numero.trim()
        ),
    }
}

/// The decree activating the year's whole offer:
/// `2025-2026/decreti/dr-598-offerta-formativa.pdf`.
pub fn decreto_offerta(anno_accademico: &str, dr: &Decreto) -> Collocazione {
    Collocazione {
        percorso: format!(
            "{}/decreti/dr-{}-{}.pdf",
            cartella_anno(anno_accademico),
            slug(&dr.numero),
            nome(TipoAtto::DecretoOfferta)
        ),
        identificativo: format!(
            "{anno_accademico}/offerta-formativa/decreto/{}",
            dr.numero.trim()
        ),
    }
}

/// A person's parchment or certificate, named by kind, name and tax code:
/// `…/attestati/certificato-cfu-rossi-mario-rssmra80a01h501u.pdf`.
pub fn di_persona(c: &Corso, p: &Persona, atto: TipoAtto) -> Collocazione {
    let cartella = match atto {
        TipoAtto::Pergamena => "pergamene",
        _ => "attestati",
    };
    let genere = nome(atto);
    Collocazione {
        percorso: format!(
            "{}/{cartella}/{genere}-{}-{}-{}.pdf",
            cartella_corso(c),
            slug(&p.cognome),
            slug(&p.nome),
            slug(&p.codice_fiscale),
        ),
        identificativo: format!(
            "{}/{}/{genere}/{}",
            c.anno_accademico, c.id, p.codice_fiscale
        ),
    }
}

/// The course's dossier folder: `2025-2026/aggiornamento-pelletteria/dossier`.
pub fn cartella_dossier(c: &Corso) -> String {
    format!("{}/dossier", cartella_corso(c))
}

/// The dossier's index, first in its folder: `…/dossier/00-indice-dossier.pdf`.
pub fn indice_dossier(c: &Corso) -> Collocazione {
    Collocazione {
        percorso: format!("{}/00-indice-dossier.pdf", cartella_dossier(c)),
        identificativo: format!("{}/{}/dossier/indice", c.anno_accademico, c.id),
    }
}

/// A file supplied to the dossier, in its section's folder under the name
/// [`nome_allegato`] gave it: `…/dossier/05-lettere-incarico/lettera-gori.pdf`.
pub fn allegato_dossier(c: &Corso, sezione: SezioneDossier, nome_file: &str) -> Collocazione {
    Collocazione {
        percorso: format!("{}/{}/{nome_file}", cartella_dossier(c), sezione.cartella()),
        identificativo: format!(
            "{}/{}/dossier/{:02}/{nome_file}",
            c.anno_accademico,
            c.id,
            sezione.numero()
        ),
    }
}

/// The name a supplied file takes in its section: its subfolders inside
/// the section and its own name (`stem`), as one slug (bounded however
/// deep the subfolders go), with its extension slugged; `n` > 1 tells apart
/// files that would share it (`lettera-gori-2.pdf`).
pub fn nome_allegato(
    sottocartelle: &[String],
    stem: &str,
    estensione: Option<&str>,
    n: usize,
) -> String {
    let mut frammenti: Vec<String> = sottocartelle.iter().map(|s| slug(s)).collect();
    frammenti.push(slug(stem));
    let base = slug(&frammenti.join("-"));
    let estensione = estensione
        .map(slug)
        .filter(|e| !stem.is_empty() && !e.is_empty());
    let suffisso = if n == 1 {
        String::new()
    } else {
        format!("-{n}")
    };
    match estensione {
        Some(e) => format!("{base}{suffisso}.{e}"),
        None => format!("{base}{suffisso}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nomi_degli_allegati() {
        assert_eq!(
            nome_allegato(&[], "Lettera d'incarico - Gori", Some("pdf"), 1),
            "lettera-d-incarico-gori.pdf"
        );
        assert_eq!(
            nome_allegato(
                &["Docenti".into(), "Esterni".into()],
                "gori",
                Some("pdf"),
                2
            ),
            "docenti-esterni-gori-2.pdf"
        );
        assert_eq!(nome_allegato(&[], "LEGGIMI", None, 1), "leggimi");
        assert_eq!(nome_allegato(&[], "verbale", Some("PDF"), 1), "verbale.pdf");
        let profondo: Vec<String> = (0..50).map(|i| format!("cartella{i}")).collect();
        assert!(nome_allegato(&profondo, "x", Some("pdf"), 1).len() <= 60 + 4);
    }

    #[test]
    fn nomi_dei_tipi_unici() {
        let tutti = [
            TipoAtto::Bando,
            TipoAtto::DecretoOfferta,
            TipoAtto::DecretoAttivazione,
            TipoAtto::DecretoProroga,
            TipoAtto::DecretoGraduatoria,
            TipoAtto::DecretoCommissione,
            TipoAtto::Pergamena,
            TipoAtto::CertificatoPartecipazione,
            TipoAtto::AttestatoFrequenza,
            TipoAtto::CertificatoCfu,
            TipoAtto::AttestatoUditore,
            TipoAtto::IndiceDossier,
        ];
        let nomi: std::collections::HashSet<&str> = tutti.into_iter().map(nome).collect();
        assert_eq!(nomi.len(), tutti.len());
        assert!(nomi.iter().all(|n| slug(n) == *n));
    }
}
