//! Admission calls (bando / avviso pubblico di selezione): one per course.

use serde_json::Value;

use super::Piano;
use crate::model::{Corso, Dataset};

pub(super) fn pianifica_corso(ds: &Dataset, corso: &Corso, ateneo: &Value, piano: &mut Piano) {
    let _ = ds;
    let _ = corso;
    let _ = ateneo;
    let _ = piano;
}
