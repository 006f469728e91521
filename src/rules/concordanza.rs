//! Every office holder a document names agrees with the words around them:
//! "la Rettrice", "il Direttore del corso", "la Segretaria verbalizzante".
//! Italian has no wording of an office without gender, so a signatory or a
//! committee member whose gender is neither given nor told by the title
//! ("Prof.ssa") is refused here, rather than printed with a slash form.

use crate::diag::{Posizione, Problemi};
use crate::model::{Dataset, Firmatario, Genere};

/// Checks that the gender of every signatory and committee member is known.
pub fn valida(ds: &Dataset, p: &mut Problemi) {
    let a = &ds.ateneo;
    let mut firmatari: Vec<(String, String, &Firmatario)> = vec![
        ("ateneo.json".into(), "$.rettore".into(), &a.rettore),
        (
            "ateneo.json".into(),
            "$.direttore_generale".into(),
            &a.direttore_generale,
        ),
    ];
    if let Some(f) = &a.ufficio_post_lauream.responsabile {
        firmatari.push((
            "ateneo.json".into(),
            "$.ufficio_post_lauream.responsabile".into(),
            f,
        ));
    }
    for (file, c) in &ds.corsi {
        firmatari.push((file.clone(), "$.direttore".into(), &c.direttore));
        firmatari.push((
            file.clone(),
            "$.dipartimento.direttore".into(),
            &c.dipartimento.direttore,
        ));
        if let Some(f) = &c.dipartimento.segreteria_didattica.responsabile {
            firmatari.push((
                file.clone(),
                "$.dipartimento.segreteria_didattica.responsabile".into(),
                f,
            ));
        }
        if let Some(f) = &c.responsabile_procedimento {
            firmatari.push((file.clone(), "$.responsabile_procedimento".into(), f));
        }
        if let Some(d) = &c.dossier {
            firmatari.push((
                file.clone(),
                "$.dossier.responsabile".into(),
                &d.responsabile,
            ));
        }
        for (i, m) in c.comitato.iter().enumerate() {
            if m.genere_carica().is_none() {
                segnala(
                    p,
                    file,
                    &format!("$.comitato[{i}]"),
                    m.titolo.as_deref(),
                    m.genere,
                );
            }
        }
        if let Some(k) = &c.commissione {
            for (i, m) in k.componenti.iter().enumerate() {
                if m.genere_carica().is_none() {
                    segnala(
                        p,
                        file,
                        &format!("$.commissione.componenti[{i}]"),
                        m.titolo.as_deref(),
                        m.genere,
                    );
                }
            }
        }
    }
    for (file, percorso, f) in firmatari {
        if f.genere_carica().is_none() {
            segnala(p, &file, &percorso, f.titolo.as_deref(), f.genere);
        }
    }
}

fn segnala(p: &mut Problemi, file: &str, percorso: &str, titolo: Option<&str>, g: Option<Genere>) {
    let perche = match (g, titolo.map(str::trim).filter(|t| !t.is_empty())) {
        (Some(Genere::NonIndicato), _) => "è «X» (non indicato), ma la carica si scrive concordata con chi la ricopre (il Direttore / la Direttrice)".to_string(),
        (_, Some(t)) => format!("manca, e il titolo «{t}» non lo indica"),
        (_, None) => "manca, e non c'è un titolo che lo indichi".to_string(),
    };
    p.errore(
        Posizione::json(file, format!("{percorso}.genere")),
        format!(
            "genere {perche}: aggiungere \"genere\": \"F\" oppure \"genere\": \"M\", perché i documenti concordino la carica (la Rettrice, il Direttore, la Presidente)"
        ),
    );
}
