//! Rector's decrees: activation of a course or of the year's offer, deadline
//! extension, approval of a ranking, appointment of a committee.

use serde_json::Value;

use super::Piano;
use crate::model::{Corso, Dataset};

/// The decree activating the whole year's offer, when the university issues one.
pub(super) fn pianifica_anno(ds: &Dataset, ateneo: &Value, piano: &mut Piano) {
    let _ = (ds, ateneo, piano);
}

pub(super) fn pianifica_corso(ds: &Dataset, corso: &Corso, ateneo: &Value, piano: &mut Piano) {
    let _ = (ds, corso, ateneo, piano);
}
