//! What a build reports while it runs, for the command line's progress:
//! documents ready out of the total, and the phase it is in, so that the
//! minutes after rendering (moving documents into place, composing bags,
//! writing OCFL versions, committing the registry) do not look like a hang,
//! and an estimate of the time left can be based on rendering alone.

/// A phase of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fase {
    /// Rendering starts: the build's documents are produced course by
    /// course, each either rendered or found ready ([`Osservatore::pronti`]).
    Generazione {
        /// Documents of the build.
        documenti: usize,
    },
    /// Publishing the documents and archiving the changed courses (bags and
    /// OCFL versions).
    Archiviazione,
    /// Recording hashes and archive places in the registry, and committing.
    Registrazione,
}

/// Whoever follows a build.
pub trait Osservatore: Sync {
    /// `fatti` of `totale` documents are ready (kept, filed or rendered).
    fn documenti(&self, fatti: usize, totale: usize);
    /// A phase begins.
    fn fase(&self, _fase: Fase) {}
    /// `n` documents were found ready without rendering (kept from an
    /// earlier build with the same inputs, or filed as they are); they are
    /// counted as done too, so that an estimate of the time left counts
    /// only the rendered ones.
    fn pronti(&self, _n: usize) {}
}

/// A function of (done, total) follows the documents and ignores phases.
impl<F: Fn(usize, usize) + Sync> Osservatore for F {
    fn documenti(&self, fatti: usize, totale: usize) {
        self(fatti, totale)
    }
}
