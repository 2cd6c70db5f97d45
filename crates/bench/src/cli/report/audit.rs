//! "Audit reports": `gatehouse report` in every format for one model with 50 sign-offs and for
//! every model, beside git listing the same record, with peak memory; in the report, in the
//! terminal table and in the reading.

use std::fmt::Write as _;

use crate::format::{met, met_bold, size, size_mb, thousands, verdict};
use crate::stats::{ms, ratio};
use crate::targets;

use super::super::audit::{Scenario, HISTORY_REPS, MODEL_SIGNOFFS};
use super::super::results::Results;

/// The scenarios with their titles and whether this run judges them (the ones on the synthetic
/// history only at full size).
fn scenarios(r: &Results) -> [(String, &Scenario, bool); 3] {
    let a = &r.reports;
    [
        (format!("One model with {MODEL_SIGNOFFS} sign-offs, in a repository of its own"), &a.alone, true),
        // For information: the target is for the model itself; here the history around it
        // costs what it costs git to list the model's record (the reference beside it).
        (
            format!("One model with {MODEL_SIGNOFFS} sign-offs, in the {}-model history", thousands(r.models)),
            &a.in_history,
            false,
        ),
        (format!("Every model (`--all`), the {}-model history", thousands(r.models)), &a.consortium, r.full_size()),
    ]
}

/// The verdicts: (one model alone, every model); `None` where this run gives no verdict (a
/// reduced history). The model in the history is for information.
pub fn verdicts(r: &Results) -> (bool, Option<bool>) {
    let [(_, alone, _), _, (_, all, judged_a)] = scenarios(r);
    (alone.all_met(), judged_a.then(|| all.all_met()))
}

pub fn method(w: &mut String, r: &Results) {
    let _ = writeln!(
        w,
        "- **audit reports**: the `gatehouse report SCOPE --format F -o FILE` process for each \
         format (verify on, as the reports are judged), with `-o` into the temporary folder, and \
         Markdown again with `--no-verify` for information (what verify costs), each round \
         alternating with a git reference that lists the same record, so all see the same machine \
         load. Memory is each process's peak resident set size (`ru_maxrss` from `wait4`), and \
         its CPU time comes from the same `rusage`. Three scopes:\n  \
         - one model with {n} sign-offs **in a repository of its own**: the synthetic consortium \
         with one model, its {g} gates x 3 approvals from the generator and the rest signed in \
         process as the library signs (`actions::signoff::signoff`), the gates in turn, checked \
         by `gatehouse verify` and `status`; {reps} runs after a warm-up. Reference: \
         `git log --format=%H%x00%B -- models/M signoffs/B/M` (B the model's bucket; every commit that touched the \
         model's card or sign-offs, with its message: what an auditor would run by hand). \
         Targets: {md} for Markdown, HTML, JSON and OSCAL, {pdf} for PDF;\n  \
         - the same **in the synthetic history**: after every other measurement, the middle model \
         of the history is brought to {n} sign-offs the same way, then reported on; {hr} runs \
         after a warm-up. For information, with no target of its own: listing the model's \
         record means walking the whole history, and the reference (git doing just that) is \
         what to compare with;\n  \
         - **every model** (`--all`) over the synthetic history, {hr} runs after a warm-up. \
         Reference: `git log --format='%H%x00%(trailers:only,unfold)' main`, the cold build's. \
         Targets: {all} ({all_pdf} for PDF), judged at full size only.\n  \
         Each report verifies the history it describes, reusing what an earlier verify of this \
         clone found (`.git/gatehouse/verified/`): the warm-up checks the commits since the \
         history was last verified (all of them for the repository of its own, the new sign-offs \
         in the history), and the measured runs find the tip verified. What a whole check costs \
         is the verify figure above.\n  \
         A format whose command fails (not in this build yet) is shown as not available, with \
         what the command said, and counts as a target not met.\n",
        n = MODEL_SIGNOFFS,
        g = r.gates,
        reps = r.reports.alone.runs(),
        hr = HISTORY_REPS,
        md = targets::REPORT_MODEL.phrase(),
        pdf = targets::REPORT_MODEL_PDF.phrase(),
        all = targets::REPORT_ALL.phrase(),
        all_pdf = targets::REPORT_ALL_PDF.phrase(),
    );
}

/// The report's "Audit reports" section: one table per scope.
pub fn section(w: &mut String, r: &Results) {
    let _ = writeln!(w, "\n### Audit reports\n");
    let _ = writeln!(
        w,
        "Wall-clock medians with min and max, mean CPU time, the largest peak resident set size \
         over the runs (MB = 10^6 bytes), the size of the file written, and the time and memory \
         as ratios to the git reference measured in the same rounds.\n"
    );
    for (title, s, judged) in scenarios(r) {
        let _ = writeln!(
            w,
            "#### {title}\n\n`gatehouse report {}`, {} commits, medians of {} runs.\n",
            s.scope,
            thousands(s.commits),
            s.runs()
        );
        let _ = writeln!(
            w,
            "| measurement | median | min | max | mean CPU | peak memory | file | time / git | memory / git | target | result |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
        );
        let g = &s.reference;
        let _ = writeln!(
            w,
            "| `{}` (reference) | {} | {} | {} | {} | {} | - | 1.00x | 1.00x | - | - |",
            s.reference_how,
            ms(g.sample.median()),
            ms(g.sample.min()),
            ms(g.sample.max()),
            ms(g.sample.cpu()),
            size_mb(g.peak())
        );
        for f in &s.formats {
            let target = targets::report(f.format, s.consortium);
            let result = if judged { met_bold(s.met(f)) } else { "- (the target is for the full history)" };
            let what = format!("`--format {}`", f.format.as_str());
            match &f.result {
                Ok(m) => {
                    let _ = writeln!(
                        w,
                        "| {what} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {result} |",
                        ms(m.sample.median()),
                        ms(m.sample.min()),
                        ms(m.sample.max()),
                        ms(m.sample.cpu()),
                        size_mb(m.peak()),
                        size(m.bytes),
                        ratio(m.sample.median(), g.sample.median()),
                        ratio(m.peak() as f64, g.peak() as f64),
                        target.bound()
                    );
                }
                Err(why) => {
                    let _ = writeln!(
                        w,
                        "| {what} | not available: {} | - | - | - | - | - | - | - | {} | {result} |",
                        why.replace('|', "\\|"),
                        target.bound()
                    );
                }
            }
        }
        match &s.no_verify {
            Ok(m) => {
                let _ = writeln!(
                    w,
                    "| `--format md --no-verify` (information) | {} | {} | {} | {} | {} | {} | {} | {} | - | - |",
                    ms(m.sample.median()),
                    ms(m.sample.min()),
                    ms(m.sample.max()),
                    ms(m.sample.cpu()),
                    size_mb(m.peak()),
                    size(m.bytes),
                    ratio(m.sample.median(), g.sample.median()),
                    ratio(m.peak() as f64, g.peak() as f64)
                );
            }
            Err(why) => {
                let _ = writeln!(
                    w,
                    "| `--format md --no-verify` (information) | not available: {} | - | - | - | - | - | - | - | - | - |",
                    why.replace('|', "\\|")
                );
            }
        }
        let _ = writeln!(w);
    }
}

/// The terminal table's lines.
pub fn terminal(s: &mut String, r: &Results) {
    let _ = writeln!(s, "audit reports (gatehouse report, verify on; peak RSS; ratios to the git reference):");
    for (title, sc, judged) in scenarios(r) {
        let g = &sc.reference;
        let _ = writeln!(s, "  {title} ({} commits, {} runs)", thousands(sc.commits), sc.runs());
        let _ = writeln!(
            s,
            "    {:<16} {:>11}  peak {:>9}  {}",
            "git (reference)",
            ms(g.sample.median()),
            size_mb(g.peak()),
            sc.reference_how
        );
        for f in &sc.formats {
            let target = targets::report(f.format, sc.consortium);
            let result = if judged { verdict(sc.met(f)) } else { "-" };
            match &f.result {
                Ok(m) => {
                    let _ = writeln!(
                        s,
                        "    {:<16} {:>11}  peak {:>9}  time {} git, memory {} git, file {}; target {}: {result}",
                        f.format.as_str(),
                        ms(m.sample.median()),
                        size_mb(m.peak()),
                        ratio(m.sample.median(), g.sample.median()),
                        ratio(m.peak() as f64, g.peak() as f64),
                        size(m.bytes),
                        target.bound()
                    );
                }
                Err(why) => {
                    let _ = writeln!(
                        s,
                        "    {:<16} not available ({why}); target {}: {result}",
                        f.format.as_str(),
                        target.bound()
                    );
                }
            }
        }
        if let Ok(m) = &sc.no_verify {
            let _ = writeln!(
                s,
                "    {:<16} {:>11}  peak {:>9}  (information)",
                "md --no-verify",
                ms(m.sample.median()),
                size_mb(m.peak())
            );
        }
    }
}

/// The reading's paragraph.
pub fn reading(w: &mut String, r: &Results) {
    let (alone, all) = verdicts(r);
    let a = &r.reports;
    let verdict_of = |v: Option<bool>| v.map(met).unwrap_or("no verdict (the target is for the full history)");
    let _ = writeln!(
        w,
        "- **Audit reports: one model {}; every model {}.** One model \
         with {n} sign-offs in a repository of its own: {} (git log of the model's record: {}). \
         The same model in the {} commits of the synthetic history, for information: {} (git \
         log: {}). {}\
         Every model: {} (git log with trailers: {}). {}{}",
        met(alone),
        verdict_of(all),
        formats(&a.alone),
        ms(a.alone.reference.sample.median()),
        thousands(a.in_history.commits),
        formats(&a.in_history),
        ms(a.in_history.reference.sample.median()),
        verify_share(&a.in_history),
        formats(&a.consortium),
        ms(a.consortium.reference.sample.median()),
        verify_share(&a.consortium),
        memory(a),
        n = MODEL_SIGNOFFS,
    );
}

/// "md 21.3 ms (10.2x git, 12.1 MB), ..., pdf not available".
fn formats(s: &Scenario) -> String {
    let g = &s.reference;
    s.formats
        .iter()
        .map(|f| match &f.result {
            Ok(m) => format!(
                "{} {} ({} git, {} at peak)",
                f.format.as_str(),
                ms(m.sample.median()),
                ratio(m.sample.median(), g.sample.median()),
                size_mb(m.peak())
            ),
            Err(_) => format!("{} not available", f.format.as_str()),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What verify costs in a report on a long history, from the `--no-verify` run beside it.
fn verify_share(s: &Scenario) -> String {
    let md = s.formats.iter().find(|f| f.format == gatehouse::report::Format::Md).and_then(|f| f.result.as_ref().ok());
    match (md, &s.no_verify) {
        (Some(with), Ok(without)) => format!(
            "In Markdown it takes {} with verify (the history's tip verified by the warm-up, so \
             reused) and {} with `--no-verify`. ",
            ms(with.sample.median()),
            ms(without.sample.median())
        ),
        _ => String::new(),
    }
}

/// The range of peak memory over the formats, beside git's.
fn memory(a: &super::super::audit::AuditTimes) -> String {
    let range = |s: &Scenario| {
        let peaks: Vec<u64> = s.formats.iter().filter_map(|f| f.result.as_ref().ok()).map(|m| m.peak()).collect();
        match (peaks.iter().min(), peaks.iter().max()) {
            (Some(lo), Some(hi)) => {
                format!("{} to {} (git {})", size_mb(*lo), size_mb(*hi), size_mb(s.reference.peak()))
            }
            _ => "-".into(),
        }
    };
    format!(
        "Peak memory per process: one model alone {}, in the history {}, every model {}.",
        range(&a.alone),
        range(&a.in_history),
        range(&a.consortium)
    )
}
