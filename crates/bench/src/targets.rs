//! The targets the benchmarks judge against, each in one place with its unit: the verdicts
//! and every figure of a target in the reports come from here, so the two cannot disagree.

use gatehouse::report::Format;

/// The history size the targets are set for; smaller runs show rates, not verdicts.
pub const FULL_MODELS: usize = 1000;

/// `gatehouse index --rebuild` against `git log` with trailers, as a ratio of medians.
pub const COLD_BUILD_VS_GIT_LOG: Target = Target::at_most(1.5, Unit::Times);
/// `Index::refresh` after one sign-off, in process.
pub const INCREMENTAL_UPDATE: Target = Target::under(20.0, Unit::Millis);
/// `Index::status(None)`, every model at every gate, in process.
pub const STATUS: Target = Target::under(10.0, Unit::Millis);
/// `views::status::with_estimates`, every model's gates and deployment estimate from the
/// index, in process (issue 15).
pub const STATUS_ESTIMATES: Target = Target::under(50.0, Unit::Millis);
/// Every model's license BOM (with its warnings) and deployment estimate, in process (judged
/// only at `FULL_MODELS`).
pub const BOM_ESTIMATE_ALL: Target = Target::under(500.0, Unit::Millis);
/// One `gatehouse model import` process against `git add` + a signed `git commit` of the same
/// card, as a ratio of medians (judged only at `FULL_MODELS`).
pub const IMPORT_VS_GIT: Target = Target::at_most(2.0, Unit::Times);
/// One `gatehouse signoff` process, end to end.
pub const SIGNOFF: Target = Target::under(30.0, Unit::Millis);
/// `gatehouse signoff` against `git add` + a signed `git commit`, as a ratio of medians.
pub const SIGNOFF_VS_GIT: Target = Target::under(1.0, Unit::Times);
/// `gatehouse proposals`, every proposal, from a warm index (the whole process).
pub const PROPOSALS_LIST: Target = Target::under(20.0, Unit::Millis);
/// `gatehouse show proposal P`, from a warm index (the whole process).
pub const SHOW_PROPOSAL: Target = Target::under(20.0, Unit::Millis);
/// `gatehouse report --model M` for a model with 50 sign-offs, in Markdown, HTML, JSON or
/// OSCAL (the whole process, verify on).
pub const REPORT_MODEL: Target = Target::under(50.0, Unit::Millis);
/// The same as PDF.
pub const REPORT_MODEL_PDF: Target = Target::under(1.0, Unit::Seconds);
/// `gatehouse report --all` over the whole history in Markdown, HTML, JSON or OSCAL (the
/// whole process, verify on; judged only at `FULL_MODELS`).
pub const REPORT_ALL: Target = Target::under(5.0, Unit::Seconds);
/// The same as PDF.
pub const REPORT_ALL_PDF: Target = Target::under(30.0, Unit::Seconds);
/// `gatehouse sync` taking in 1,000 sign-offs over git daemon, against git fetch + merge +
/// push of the same commits, as a ratio of medians (judged only at `FULL_MODELS`).
pub const SYNC_VS_GIT: Target = Target::at_most(2.0, Unit::Times);
/// `gatehouse verify` on the whole history (judged only at `FULL_MODELS`).
pub const VERIFY: Target = Target::under(10.0, Unit::Seconds);
/// The desktop app's cold start to an interactive board, with the sample.
pub const APP_START: Target = Target::under(1.0, Unit::Seconds);
/// The same with the synthetic history of `FULL_MODELS` models, the index built (the typical
/// start; judged only at that size).
pub const APP_START_FULL: Target = Target::under(2.0, Unit::Seconds);
/// The desktop app's settled PSS over its process tree with the sample, less WebKitGTK's own
/// floor (its MiniBrowser on `about:blank`, with the same compositing as the app, measured
/// the same way in the same run): what the app adds to the engine it cannot do without.
pub const APP_PSS_OVER_FLOOR: Target = Target::under(40.0, Unit::Megabytes);

/// The history size of the scale step in a full run (`scripts/bench --scale-models`).
pub const SCALE_MODELS: usize = 5000;
/// Scale: a figure "grows at most linearly" when its growth from the small history to the
/// large one is at most the history's growth times this. The slack is for what a linear
/// cost still shows on this machine: medians of the same figure move by 10 to 20% between
/// runs on a shared 2-core machine, and a working set 5 times larger falls out of the CPU's
/// caches and the page cache more often. A cost growing faster than linearly (n log n with a
/// large constant, or n^2) shows as 1.6x the history's growth or more at 5x.
pub const LINEAR_TOLERANCE: f64 = 1.25;
/// Scale: a figure that should not grow with the history "stays flat" when it grows at most
/// this much, whatever the history's growth. 1.5x leaves room for noise and for lookups
/// whose cost is logarithmic in the history (SQLite's B-trees, a pack index's binary
/// search: log2 of 120,000 over log2 of 24,000 is 1.16), and catches any cost proportional
/// to the history (5x at 5,000 models) or to its square root (2.2x).
pub const FLAT_GROWTH: f64 = 1.5;

/// The target of an audit report in `format`: one model's (`consortium` false) or every
/// model's.
pub fn report(format: Format, consortium: bool) -> Target {
    match (format, consortium) {
        (Format::Pdf, false) => REPORT_MODEL_PDF,
        (_, false) => REPORT_MODEL,
        (Format::Pdf, true) => REPORT_ALL_PDF,
        (_, true) => REPORT_ALL,
    }
}

/// The unit a target is stated in. Measurements are taken in milliseconds, megabytes
/// (10^6 bytes) or plain ratios; a target in seconds is compared in milliseconds.
#[derive(Clone, Copy)]
pub enum Unit {
    Millis,
    Seconds,
    Megabytes,
    Times,
}

/// An upper bound on a measurement.
#[derive(Clone, Copy)]
pub struct Target {
    limit: f64,
    unit: Unit,
    /// Whether the limit itself meets the target (`<=`) or not (`<`).
    inclusive: bool,
}

impl Target {
    const fn under(limit: f64, unit: Unit) -> Target {
        Target { limit, unit, inclusive: false }
    }

    const fn at_most(limit: f64, unit: Unit) -> Target {
        Target { limit, unit, inclusive: true }
    }

    /// The limit in the unit the measurement is taken in (milliseconds for times).
    pub fn limit(&self) -> f64 {
        match self.unit {
            Unit::Seconds => self.limit * 1e3,
            _ => self.limit,
        }
    }

    pub fn met(&self, measured: f64) -> bool {
        if self.inclusive {
            measured <= self.limit()
        } else {
            measured < self.limit()
        }
    }

    /// The limit with its unit: "20 ms", "1.5x", "10 s", "150 MB".
    pub fn amount(&self) -> String {
        match self.unit {
            Unit::Millis => format!("{} ms", self.limit),
            Unit::Seconds => format!("{} s", self.limit),
            Unit::Megabytes => format!("{} MB", self.limit),
            Unit::Times => format!("{}x", self.limit),
        }
    }

    /// "<" or "<=".
    pub fn relation(&self) -> &'static str {
        if self.inclusive {
            "<="
        } else {
            "<"
        }
    }

    /// For tables: "< 20 ms", "<= 1.5x".
    pub fn bound(&self) -> String {
        format!("{} {}", self.relation(), self.amount())
    }

    /// For prose: "under 20 ms", "at most 1.5x".
    pub fn phrase(&self) -> String {
        format!("{} {}", if self.inclusive { "at most" } else { "under" }, self.amount())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judged_and_printed_from_the_same_numbers() {
        assert_eq!(COLD_BUILD_VS_GIT_LOG.bound(), "<= 1.5x");
        assert!(COLD_BUILD_VS_GIT_LOG.met(1.5));
        assert!(!INCREMENTAL_UPDATE.met(20.0));
        assert_eq!(INCREMENTAL_UPDATE.phrase(), "under 20 ms");
        assert_eq!(VERIFY.amount(), "10 s");
        assert!(VERIFY.met(9_999.0) && !VERIFY.met(10_000.0));
        assert_eq!(APP_PSS_OVER_FLOOR.bound(), "< 40 MB");
        assert!(APP_START_FULL.met(1_999.0) && !APP_START_FULL.met(2_000.0));
        assert_eq!(report(Format::Md, false).amount(), "50 ms");
        assert_eq!(report(Format::Pdf, false).amount(), "1 s");
        assert!(report(Format::Oscal, true).met(4_999.0) && !report(Format::Json, true).met(5_000.0));
        assert_eq!(report(Format::Pdf, true).phrase(), "under 30 s");
    }
}
