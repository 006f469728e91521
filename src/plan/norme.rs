//! National norms the documents cite, written once: the legal basis of each
//! kind of course, which decrees recite (VISTO …), and the tie rule of
//! admission rankings, which the call and the ranking decree state in the
//! same words.
//!
//! The bases follow the regulation's own list of the courses it governs
//! (Art. 1.2): Masters under art. 3 c. 9 D.M. 270/2004; corsi di
//! perfezionamento under artt. 16–17 D.P.R. 162/1982 and art. 6 c. 2
//! lett. c) L. 341/1990; corsi di aggiornamento under art. 6 c. 2 lett. b)
//! and c) L. 341/1990; corsi di formazione under art. 6 c. 2 lett. c)
//! L. 341/1990. Summer and winter schools are short courses of "alta
//! formazione permanente e ricorrente" outside the Master chapter (Art.
//! 1.2.e, Linee guida §6), so they rest on art. 6 c. 2 lett. c) L. 341/1990
//! as the corsi di formazione do. These are national laws, the same for
//! every university; the university's own references (its Statute, its
//! regulations) stay in `ateneo.riferimenti_normativi`.

use crate::model::TipoCorso;

/// One norm, as a decree recites it after "VISTO"/"VISTA".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Norma {
    /// Art. 3 c. 9 D.M. 270/2004: the university Masters.
    Dm270Master,
    /// Artt. 16–17 D.P.R. 162/1982: the corsi di perfezionamento.
    Dpr162Perfezionamento,
    /// Art. 6 c. 2 lett. b) L. 341/1990: cultural updating and continuing education.
    L341LetteraB,
    /// Art. 6 c. 2 lett. c) L. 341/1990: perfezionamento, alta formazione
    /// permanente e ricorrente.
    L341LetteraC,
}

impl Norma {
    /// The recital's text, after "VISTO"/"VISTA".
    pub fn testo(self) -> &'static str {
        match self {
            Norma::Dm270Master => "il Decreto Ministeriale 22 ottobre 2004, n. 270, e in particolare l'art. 3, comma 9, relativo ai corsi di master universitario di primo e di secondo livello",
            Norma::Dpr162Perfezionamento => "il Decreto del Presidente della Repubblica 10 marzo 1982, n. 162, e in particolare gli artt. 16 e 17, relativi ai corsi di perfezionamento",
            Norma::L341LetteraB => "la Legge 19 novembre 1990, n. 341, e in particolare l'art. 6, comma 2, lettera b), relativo ai corsi di aggiornamento culturale e di formazione permanente e ricorrente",
            Norma::L341LetteraC => "la Legge 19 novembre 1990, n. 341, e in particolare l'art. 6, comma 2, lettera c), relativo ai corsi di perfezionamento e di alta formazione permanente e ricorrente",
        }
    }
}

impl Norma {
    /// The norm after "ai sensi", as a call cites it: "dell'art. 3, comma
    /// 9, del D.M. 22 ottobre 2004, n. 270".
    pub fn citazione(self) -> &'static str {
        match self {
            Norma::Dm270Master => "dell'art. 3, comma 9, del D.M. 22 ottobre 2004, n. 270",
            Norma::Dpr162Perfezionamento => "degli artt. 16 e 17 del D.P.R. 10 marzo 1982, n. 162",
            Norma::L341LetteraB => {
                "dell'art. 6, comma 2, lettera b), della Legge 19 novembre 1990, n. 341"
            }
            Norma::L341LetteraC => {
                "dell'art. 6, comma 2, lettera c), della Legge 19 novembre 1990, n. 341"
            }
        }
    }
}

/// The legal basis of a kind of course: the one table the decrees and the
/// calls read.
pub fn basi(tipo: TipoCorso) -> &'static [Norma] {
    match tipo {
        TipoCorso::MasterI | TipoCorso::MasterII => &[Norma::Dm270Master],
        TipoCorso::Perfezionamento => &[Norma::Dpr162Perfezionamento, Norma::L341LetteraC],
        TipoCorso::Aggiornamento => &[Norma::L341LetteraB, Norma::L341LetteraC],
        TipoCorso::Formazione | TipoCorso::SummerSchool | TipoCorso::WinterSchool => {
            &[Norma::L341LetteraC]
        }
    }
}

/// A kind's basis as a call cites it after "ai sensi": the norms of
/// [`basi`] joined, the two letters of the same article of L. 341/1990
/// (aggiornamento) cited together.
pub fn citazione_basi(tipo: TipoCorso) -> String {
    let b = basi(tipo);
    if b == [Norma::L341LetteraB, Norma::L341LetteraC] {
        return "dell'art. 6, comma 2, lettere b) e c), della Legge 19 novembre 1990, n. 341"
            .to_string();
    }
    b.iter()
        .map(|n| n.citazione())
        .collect::<Vec<_>>()
        .join(" e ")
}

/// The bases of several kinds, each norm once, in the table's order: what
/// a decree about the year's whole offer recites.
pub fn basi_di(tipi: impl IntoIterator<Item = TipoCorso>) -> Vec<Norma> {
    let mut v: Vec<Norma> = tipi
        .into_iter()
        .flat_map(|t| basi(t).iter().copied())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The tie rule of admission rankings, as cited: art. 3 c. 7 L. 127/1997 as
/// amended by art. 2 c. 9 L. 191/1998.
pub const NORMA_PARITA: &str = "art. 3, comma 7, della Legge 15 maggio 1997, n. 127, come modificato dall'art. 2, comma 9, della Legge 16 giugno 1998, n. 191";

/// The tie rule as the call and the ranking decree state it, word for word.
pub fn regola_parita() -> String {
    format!("A parità di punteggio precede chi è più giovane di età ({NORMA_PARITA}).")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ogni_tipo_ha_la_sua_base_e_l_offerta_la_cita_una_volta() {
        assert_eq!(basi(TipoCorso::MasterII), &[Norma::Dm270Master]);
        assert!(!basi(TipoCorso::Perfezionamento).contains(&Norma::Dm270Master));
        assert!(basi(TipoCorso::Perfezionamento).contains(&Norma::Dpr162Perfezionamento));
        let tutte = basi_di([
            TipoCorso::MasterI,
            TipoCorso::MasterII,
            TipoCorso::Perfezionamento,
            TipoCorso::Formazione,
            TipoCorso::SummerSchool,
        ]);
        assert_eq!(
            tutte,
            [
                Norma::Dm270Master,
                Norma::Dpr162Perfezionamento,
                Norma::L341LetteraC
            ]
        );
    }
}
