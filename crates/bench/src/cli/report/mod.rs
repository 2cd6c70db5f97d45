//! The CLI benchmark's figures as a terminal table and as `docs/benchmarks.md`.

mod audit;
mod ecosystem;
mod history;
mod method;
mod reading;
mod results;
mod rows;
mod scale;
mod sync;
mod terminal;
mod verify;

use crate::machine::Machine;
use crate::targets;

use super::results::Results;

pub use terminal::table;

/// Whether each target is met in this run.
struct Verdicts {
    cold: bool,
    incremental: bool,
    status: bool,
    signoff_abs: bool,
    signoff_vs_git: bool,
    proposals_list: bool,
    show_proposal: bool,
    /// Audit reports, every format: one model, and every model (judged at full size only).
    report_model: bool,
    report_all: Option<bool>,
    /// Sync beside git (judged at full size only).
    sync: Option<bool>,
    /// Status with estimates; BOM and estimate of every model and import beside git (judged
    /// at full size only).
    status_estimates: bool,
    bom_estimate_all: Option<bool>,
    import: Option<bool>,
    /// Every figure grew with the history as it should (when the scale step ran).
    scale: Option<bool>,
}

impl Verdicts {
    fn of(r: &Results) -> Verdicts {
        let (report_model, report_all) = audit::verdicts(r);
        let (status_estimates, bom_estimate_all, import) = ecosystem::verdicts(r);
        Verdicts {
            cold: targets::COLD_BUILD_VS_GIT_LOG.met(r.figures.rebuild.median() / r.figures.git_log.median()),
            incremental: targets::INCREMENTAL_UPDATE.met(r.figures.incremental.median()),
            status: targets::STATUS.met(r.figures.status.median()),
            signoff_abs: targets::SIGNOFF.met(r.figures.signoff_process.median()),
            signoff_vs_git: targets::SIGNOFF_VS_GIT
                .met(r.figures.signoff_process.median() / r.figures.with_git.commit.median()),
            proposals_list: targets::PROPOSALS_LIST.met(r.proposals.list.median()),
            show_proposal: targets::SHOW_PROPOSAL.met(r.proposals.show.median()),
            report_model,
            report_all,
            sync: sync::verdict_of(r),
            status_estimates,
            bom_estimate_all,
            import,
            scale: scale::verdict_of(r),
        }
    }

    /// The verdicts counted in the reading's "n of the m targets" (the audit reports on the
    /// synthetic history only at full size).
    fn headline(&self) -> Vec<bool> {
        let mut v = vec![
            self.cold,
            self.incremental,
            self.status,
            self.signoff_abs && self.signoff_vs_git,
            self.proposals_list,
            self.show_proposal,
            self.report_model,
        ];
        v.extend(self.report_all);
        v.extend(self.sync);
        v.push(self.status_estimates);
        v.extend(self.bom_estimate_all);
        v.extend(self.import);
        v.extend(self.scale);
        v
    }
}

/// `docs/benchmarks.md`.
pub fn markdown(r: &Results, m: &Machine) -> String {
    let v = Verdicts::of(r);
    let mut s = String::new();
    history::intro(&mut s, r, m);
    history::how_to_run(&mut s, r);
    history::machine(&mut s, r, m);
    history::history(&mut s, r);
    method::what_is_measured(&mut s, r);
    results::results(&mut s, r, &v);
    verify::verify(&mut s, r);
    audit::section(&mut s, r);
    sync::section(&mut s, r);
    ecosystem::section(&mut s, r);
    scale::section(&mut s, r);
    results::for_information(&mut s, r);
    reading::reading(&mut s, r, &v);
    s
}
