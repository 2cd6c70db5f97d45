//! `gatehouse show proposal P`: the proposal page of the app, as text.

use gatehouse::proposal::{ProposalState, VoteKind};
use gatehouse::render::{self, strip_controls};
use gatehouse::views::proposals::ProposalDetail;

use crate::output::Output;
use crate::proposals::time_left;

pub fn print(out: &Output, d: &ProposalDetail) {
    println!("{}  {}", out.bold(&strip_controls(&d.title)), out.dim(&d.id));
    let field = |k: &str, v: String| println!("  {:<18} {}", out.dim(k), strip_controls(&v));
    field("state", d.state.to_string());
    field("author", d.author.clone());
    field("branch", d.branch.clone());
    field("subject", d.subject.clone());
    if let Some(o) = &d.outcome {
        let why = if o.comment.is_empty() { String::new() } else { format!(": {}", o.comment) };
        field(o.outcome.as_str(), format!("by {} at {}{why}", o.member, o.at));
    }
    if !d.rationale.trim().is_empty() {
        println!("\n{}", render::to_text(&d.rationale).trim_end());
    }

    println!("\n{}", out.bold("Changes"));
    if d.files.is_empty() {
        println!("  (the subject is not in this repository: fetch {})", d.branch);
    }
    for f in &d.files {
        println!("  {} {}  {}", f.status, f.path, out.dim(&format!("+{} -{}", f.added_lines, f.removed_lines)));
    }
    for f in &d.files {
        println!();
        for line in f.patch.lines() {
            let line = strip_controls(line);
            if line.starts_with('+') && !line.starts_with("+++") {
                println!("{}", out.green(&line));
            } else if line.starts_with('-') && !line.starts_with("---") {
                println!("{}", out.red(&line));
            } else {
                println!("{line}");
            }
        }
    }

    let delib = &d.deliberation;
    println!("\n{}", out.bold("Votes"));
    if d.votes.is_empty() {
        println!("  none yet");
    }
    for v in &d.votes {
        let mark = match (v.outdated, v.counts) {
            (true, _) => out.dim(" (outdated: cast on an older subject)"),
            (false, false) => out.dim(" (does not count: not a voting member)"),
            _ => String::new(),
        };
        let vote = match v.vote {
            VoteKind::Approve => out.green("approve"),
            VoteKind::Object => out.red("object"),
            VoteKind::Abstain => "abstain".to_string(),
        };
        let comment = if v.comment.is_empty() { String::new() } else { format!(" — {}", strip_controls(&v.comment)) };
        println!("  {:<12} {vote} at {}{mark}{comment}", v.member, v.at);
    }
    if !delib.objections.is_empty() {
        println!("\n{}", out.bold("Open objections"));
        for o in &delib.objections {
            println!("  {}: {}", o.member, strip_controls(&o.comment));
        }
    }
    println!(
        "\n{:<20} {}/{} approvals ({} of {} voting members)",
        out.bold("Quorum"),
        delib.approvals.len(),
        delib.needed,
        delib.quorum,
        delib.voters.len()
    );
    if d.state == ProposalState::Open && !delib.waiting.is_empty() {
        println!("{:<20} {}", out.bold("Not voted yet"), delib.waiting.join(", "));
    }
    let period = match (&delib.period_ends, d.seconds_left) {
        (Some(end), Some(0)) => format!("ended {end}"),
        (Some(end), Some(s)) => format!("ends {end} ({} left)", time_left(s)),
        _ if !delib.objections.is_empty() => "stopped by an objection".to_string(),
        _ => format!("starts when the quorum is reached ({} days)", delib.final_comment_days),
    };
    if d.state == ProposalState::Open {
        println!("{:<20} {period}", out.bold("Comment period"));
    }
    let accept = if d.accept.allowed {
        out.green(&format!("allowed: would merge {} into main", d.accept.changes.join(", ")))
    } else {
        format!("not yet: {}", d.accept.reason.clone().unwrap_or_default())
    };
    if d.state == ProposalState::Open {
        println!("{:<20} {accept}", out.bold("Accept"));
    }
    for p in &d.problems {
        eprintln!("warning: {}:{} {}", p.path, p.line.map(|l| l.to_string()).unwrap_or_default(), p.message);
    }
}
