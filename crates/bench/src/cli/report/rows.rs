//! The rows of the results table and of the figures for information, shared by the
//! terminal table and the Markdown report.

use crate::stats::{ms, Sample};
use crate::targets;

use super::super::results::Results;
use super::Verdicts;

/// One line of the results table.
pub struct Row<'a> {
    pub what: &'a str,
    pub how: &'a str,
    pub sample: &'a Sample,
    pub target: String,
    pub met: Option<bool>,
}

/// A row's verdict in the terminal table.
pub fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(met) => crate::format::verdict(met),
        None => "-",
    }
}

pub fn rows<'a>(r: &'a Results, v: &Verdicts) -> Vec<Row<'a>> {
    let cold = targets::COLD_BUILD_VS_GIT_LOG;
    vec![
        Row {
            what: "git log with trailers (reference)",
            how: "process: `git log --format='%H%x00%(trailers:only,unfold)' main > /dev/null`",
            sample: &r.figures.git_log,
            target: "-".into(),
            met: None,
        },
        Row {
            what: "cold index build",
            how: "process: `gatehouse index --rebuild`",
            sample: &r.figures.rebuild,
            target: format!(
                "{} git log ({} {})",
                cold.bound(),
                cold.relation(),
                ms(cold.limit() * r.figures.git_log.median())
            ),
            met: Some(v.cold),
        },
        Row {
            what: "incremental update after one sign-off",
            how: "in process: `Index::refresh`",
            sample: &r.figures.incremental,
            target: targets::INCREMENTAL_UPDATE.bound(),
            met: Some(v.incremental),
        },
        Row {
            what: "status, all models, from the index",
            how: "in process: `Index::status(None)`",
            sample: &r.figures.status,
            target: targets::STATUS.bound(),
            met: Some(v.status),
        },
        Row {
            what: "status, all models (whole command)",
            how: "process: `gatehouse status --json > /dev/null`",
            sample: &r.figures.status_process,
            target: "- (information)".into(),
            met: None,
        },
        Row {
            what: "one sign-off end to end",
            how: "process: `gatehouse signoff ... --item all=done`",
            sample: &r.figures.signoff_process,
            target: format!("{} and {} git", targets::SIGNOFF.bound(), targets::SIGNOFF_VS_GIT.bound()),
            met: Some(v.signoff_abs && v.signoff_vs_git),
        },
        Row {
            what: "the same change with git (reference)",
            how: "processes: `git add` + `git commit -S -q -F msg` (SSH-signed)",
            sample: &r.figures.with_git.commit,
            target: "-".into(),
            met: None,
        },
        Row {
            what: "proposals, from a warm index",
            how: "process: `gatehouse proposals > /dev/null`",
            sample: &r.proposals.list,
            target: targets::PROPOSALS_LIST.bound(),
            met: Some(v.proposals_list),
        },
        Row {
            what: "one proposal's page, from a warm index",
            how: "process: `gatehouse show proposal P > /dev/null`",
            sample: &r.proposals.show,
            target: targets::SHOW_PROPOSAL.bound(),
            met: Some(v.show_proposal),
        },
        Row {
            what: "one accept end to end",
            how: "process: `gatehouse accept P`",
            sample: &r.proposals.accept,
            target: "- (beside git merge)".into(),
            met: None,
        },
        Row {
            what: "the same merge with git (reference)",
            how: "process: `git merge --no-ff -S -q -F msg proposals/P` (SSH-signed)",
            sample: &r.proposals.merge,
            target: "-".into(),
            met: None,
        },
    ]
}

pub fn info_rows(r: &Results) -> Vec<(&'static str, &Sample)> {
    vec![
        ("cold index build in process (`Index::open_refreshed`, index deleted)", &r.cold.rebuild),
        ("`gatehouse signoff` in a bare clone (no work tree, no git index)", &r.figures.signoff_process_bare),
        ("status of one model, from the index (`Index::status(Some(m))`, in process)", &r.figures.status_one),
        ("one sign-off in process (`actions::signoff::signoff`, no index refresh)", &r.figures.signoff_in_process),
        ("`git add` alone (part of the git reference)", &r.figures.with_git.add),
        (
            "`gatehouse index` catching up with one sign-off committed with git (fresh process)",
            &r.figures.with_git.index_catch_up,
        ),
        ("diagnostic: libgit2 tree diff, tip vs parent, fresh repository handle", &r.diff_cold),
        ("diagnostic: libgit2 tree diff, tip vs parent, warm object cache", &r.diff_warm),
        ("process start: `gatehouse --version`", &r.gatehouse_start),
        ("process start: `git --version`", &r.git_start),
    ]
}
