//! Progress of long work, reported to whichever front end is watching (a terminal bar, the
//! app's status line). The library never draws anything itself.

pub trait Progress {
    /// A stage of `total` steps begins.
    fn begin(&mut self, what: &str, total: u64);
    fn advance(&mut self, steps: u64);
    fn end(&mut self);
}

/// For callers that do not show progress.
pub struct Silent;

impl Progress for Silent {
    fn begin(&mut self, _: &str, _: u64) {}
    fn advance(&mut self, _: u64) {}
    fn end(&mut self) {}
}
