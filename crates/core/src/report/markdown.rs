//! The Markdown report: readable as plain text and as rendered Markdown. Every string from the
//! repository is escaped, so a card, comment or note cannot add a link, an image, raw HTML or
//! a table cell of its own.

use std::fmt::Write;

use super::*;

/// Escapes `s` as inline Markdown text on one line: the characters that start Markdown syntax
/// are backslash-escaped, `<`/`>`/`&` written as entities (no raw HTML survives), and line
/// breaks become spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// An id or hash as inline code (ids are checked; hashes are hex), escaped all the same.
fn code(s: &str) -> String {
    if s.contains('`') || s.contains('\n') {
        escape(s)
    } else {
        format!("`{s}`")
    }
}

fn or_dash(s: &Option<String>) -> String {
    s.as_deref().map(escape).unwrap_or_else(|| "—".into())
}

/// A parameter count as people say it: 1.6T, 34B, 1.4B.
pub fn parameters(n: u64) -> String {
    let (v, unit) = if n >= 1_000_000_000_000 {
        (n as f64 / 1e12, "T")
    } else if n >= 1_000_000_000 {
        (n as f64 / 1e9, "B")
    } else if n >= 1_000_000 {
        (n as f64 / 1e6, "M")
    } else {
        return n.to_string();
    };
    let s = format!("{v:.1}");
    format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s))
}

pub fn render(report: &Report) -> String {
    let mut o = String::new();
    let r = report;
    let _ = writeln!(o, "# {}\n", escape(&r.scope.title));
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| Consortium | {} |", escape(&r.consortium));
    let _ = writeln!(o, "| Scope | {} {} |", r.scope.kind.as_str(), code(&r.scope.id));
    let _ = writeln!(o, "| Commit | {} |", code(&r.commit.id));
    let _ = writeln!(o, "| Commit date | {} |", escape(&r.commit.date));
    let _ = writeln!(o, "| Commit author | {} |", escape(&r.commit.author));
    let _ = writeln!(o, "| Commit signature | {} |", signature(&r.commit.signature));
    let _ = writeln!(o, "| Generator | {} {} |", escape(&r.generator.name), escape(&r.generator.version));
    let _ = writeln!(o, "| Report format | {} |", code(&r.format));
    o.push('\n');
    if let Some(m) = &r.model {
        model(&mut o, m);
    }
    if let Some(c) = &r.consortium_report {
        consortium(&mut o, c);
    }
    if let Some(p) = &r.proposal {
        proposal(&mut o, p);
    }
    findings(&mut o, r);
    policies(&mut o, &r.policies);
    crosswalk(&mut o, &r.crosswalk);
    o
}

fn signature(s: &SignatureCheck) -> String {
    let mut out = s.status.as_str().to_string();
    if let Some(fp) = &s.fingerprint {
        let _ = write!(out, " ({})", code(fp));
    }
    if let Some(reason) = &s.reason {
        let _ = write!(out, ": {}", escape(reason));
    }
    out
}

fn model(o: &mut String, m: &ModelReport) {
    let _ = writeln!(o, "## Model card\n");
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| Model | {} ({}) |", escape(&m.title), code(&m.id));
    let _ = writeln!(o, "| Organisation | {} |", or_dash(&m.org));
    let _ = writeln!(o, "| Owners | {} |", list(&m.owners));
    let _ = writeln!(o, "| Parameters | {} |", m.parameters.map(parameters).unwrap_or_else(|| "—".into()));
    let _ =
        writeln!(o, "| Active parameters | {} |", m.active_parameters.map(parameters).unwrap_or_else(|| "—".into()));
    let _ = writeln!(o, "| Architecture | {} |", or_dash(&m.architecture));
    let _ = writeln!(o, "| Licenses | {} |", list(&m.licenses));
    let _ = writeln!(o, "| Datasets | {} |", list(&m.datasets));
    let _ = writeln!(o, "| Base model | {} |", list(&m.base_model));
    match &m.card {
        Some(c) => {
            let _ = writeln!(o, "| Card | {} (blob {}) |", code(&c.path), code(&c.blob));
        }
        None => {
            let _ = writeln!(o, "| Card | missing |");
        }
    }
    let _ = writeln!(o, "| Subject tree | {} |", code(&m.subject));
    let _ = writeln!(
        o,
        "| Standing | {} of {} gates passed{} |",
        m.standing.passed,
        m.standing.gates,
        m.standing.at_gate.as_deref().map(|g| format!("; waiting at {}", code(g))).unwrap_or_default()
    );
    o.push('\n');
    if !m.problems.is_empty() {
        let _ = writeln!(o, "Files that cannot be read:\n");
        for p in &m.problems {
            let _ = writeln!(o, "- {}", escape(p));
        }
        o.push('\n');
    }
    deployment(o, &m.deployment);
    let _ = writeln!(o, "## Gates\n");
    let _ = writeln!(o, "| # | Gate | State | Approvals | Stale |\n|---|---|---|---|---|");
    for (i, g) in m.gates.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} of {} | {} |",
            i + 1,
            escape(&g.title),
            g.state.as_str(),
            g.approvals,
            g.quorum,
            g.stale
        );
    }
    o.push('\n');
    for g in &m.gates {
        gate(o, g);
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "—".into()
    } else {
        items.iter().map(|s| escape(s)).collect::<Vec<_>>().join(", ")
    }
}

fn gate(o: &mut String, g: &GateReport) {
    let _ = writeln!(o, "### {} ({})\n", escape(&g.title), code(&g.id));
    let _ = writeln!(o, "- State: **{}**", g.state.as_str());
    if let Some(w) = &g.waiting_for {
        let _ = writeln!(o, "- Waiting for: {}", escape(w));
    }
    let _ = writeln!(
        o,
        "- Signers: {} approval(s) by {}{}{}",
        g.quorum,
        code(&g.role),
        if g.distinct_orgs > 1 { format!(", from {} organisations", g.distinct_orgs) } else { String::new() },
        if g.independent { ", independent of the model's organisation" } else { "" }
    );
    let _ = writeln!(o, "- Checklist in force: {} (blob {})", code(&g.checklist.path), code(&g.checklist.blob));
    if let Some(p) = &g.policy {
        let _ = writeln!(o, "- Policy: {}", code(p));
    }
    o.push('\n');
    let _ = writeln!(o, "| Item | State | Reason | Evidence | Notes | Controls |\n|---|---|---|---|---|---|");
    for i in &g.items {
        let reason = match (i.state, &i.reason) {
            (ItemState::NotApplicable, Some(r)) => escape(r),
            (ItemState::NotApplicable, None) => "**reason missing**".into(),
            _ => String::new(),
        };
        let evidence = i
            .evidence
            .iter()
            .map(|e| match (&e.blob, &e.sha256) {
                (Some(b), Some(h)) => format!("{} blob {} sha256 {}", code(&e.path), code(b), code(h)),
                _ => format!("{} **missing at this commit**", code(&e.path)),
            })
            .collect::<Vec<_>>()
            .join("<br>");
        let notes = i
            .notes
            .iter()
            .map(|n| format!("{}: {}", code(&n.member), escape(&n.note)))
            .collect::<Vec<_>>()
            .join("<br>");
        let controls = i
            .controls
            .iter()
            .map(|c| format!("{} {}", code(&c.catalog), escape(&c.control)))
            .collect::<Vec<_>>()
            .join("<br>");
        let _ = writeln!(
            o,
            "| {} {} | {} | {} | {} | {} | {} |",
            code(&i.id),
            escape(&i.text),
            i.state.as_str(),
            reason,
            evidence,
            notes,
            controls
        );
    }
    o.push('\n');
    if g.signoffs.is_empty() {
        let _ = writeln!(o, "No sign-offs.\n");
        return;
    }
    let _ = writeln!(o, "Sign-offs, oldest first:\n");
    for s in &g.signoffs {
        let _ = writeln!(
            o,
            "- **{}** by {} ({}, {}) at {}: {}; signature {}; commit {}; checklist {}{}",
            s.decision.as_str(),
            escape(&s.member_name),
            code(&s.member),
            escape(&s.org),
            escape(&s.at),
            if s.current { "current" } else { "stale (the model changed since)" },
            signature(&s.signature),
            s.commit.as_deref().map(code).unwrap_or_else(|| "not found in the history".into()),
            code(&s.checklist),
            if s.checklist_in_force { " (in force)" } else { " (an older version)" },
        );
        if !s.comment.trim().is_empty() {
            let _ = writeln!(o, "  - Comment: {}", escape(&s.comment));
        }
        let _ = writeln!(o, "  - File: {} (blob {})", code(&s.path), code(&s.blob));
    }
    o.push('\n');
}

fn consortium(o: &mut String, c: &ConsortiumReport) {
    let _ = writeln!(o, "## Models by gate\n");
    let _ = writeln!(o, "| Waiting at | Models |\n|---|---|");
    for g in &c.by_gate {
        let _ = writeln!(o, "| {} | {} |", escape(&g.title), g.models);
    }
    o.push('\n');
    if !c.compared.metrics.is_empty() {
        let _ = writeln!(o, "## Results compared\n");
        let _ = writeln!(o, "| Result | Model | Value |\n|---|---|---|");
        for (metric, values) in c.compared.metrics.iter().zip(&c.compared.values) {
            for v in values {
                let _ =
                    writeln!(o, "| {} | {} | {} |", escape(metric), escape(&v.model), super::compare::shown(v.value));
            }
        }
        o.push('\n');
    }
    deployment_table(o, c);
    let _ = writeln!(o, "## Every model\n");
    let mut head = "| Model | Organisation | Parameters | Passed |".to_string();
    let mut rule = "|---|---|---|---|".to_string();
    for g in &c.gates {
        let _ = write!(head, " {} |", escape(&g.title));
        rule.push_str("---|");
    }
    let _ = writeln!(o, "{head}\n{rule}");
    for m in &c.models {
        let mut row = format!(
            "| {} ({}) | {} | {} | {} of {} |",
            escape(&m.title),
            code(&m.id),
            or_dash(&m.org),
            m.parameters.map(parameters).unwrap_or_else(|| "—".into()),
            m.standing.passed,
            m.standing.gates
        );
        for s in &m.gates {
            let _ = write!(row, " {} |", s.as_str());
        }
        let _ = writeln!(o, "{row}");
    }
    o.push('\n');
}

/// A model's deployment estimate: its figures, a row per accelerator, every formula with its
/// numbers and every assumption; or why there is none.
fn deployment(o: &mut String, d: &DeploymentReport) {
    let _ = writeln!(o, "## Deployment estimate\n");
    let Some(e) = &d.estimate else {
        let _ = writeln!(o, "{}\n", escape(d.unavailable.as_deref().unwrap_or("no deployment estimate")));
        return;
    };
    let _ = writeln!(
        o,
        "At a context of {} tokens and a batch of {}, from the card at this commit and the accelerator table.\n",
        e.context, e.batch
    );
    let _ = writeln!(o, "| | |\n|---|---|");
    if let Some(p) = &e.parameters {
        let _ = writeln!(o, "| Parameters | {} ({}) |", parameters(p.total), p.total);
        let active = match p.active_from.as_str() {
            "dense" => "all (dense)".to_string(),
            from => format!("{} (from the {})", parameters(p.active.round() as u64), escape(from)),
        };
        let _ = writeln!(o, "| Active per token | {active} |");
        if let Some(x) = &p.experts {
            let _ = writeln!(
                o,
                "| Experts | {} of {} per token, shared {}{} |",
                x.per_token,
                x.experts,
                parameters(x.shared),
                if x.shared_given { "" } else { " (derived)" }
            );
        }
    }
    if let Some(w) = e.weights_gb {
        let _ = writeln!(o, "| Weights | {w:.1} GB ({}) |", e.dtype.as_str());
    }
    if let Some(k) = &e.kv_cache {
        let _ = writeln!(o, "| KV cache | {:.1} GB ({}) |", k.gb, k.dtype.as_str());
    }
    if let Some(r) = e.step_read_gb {
        let _ = writeln!(o, "| Read per decode step | {r:.1} GB |");
    }
    o.push('\n');
    if !e.fits.is_empty() {
        let _ = writeln!(o, "| Accelerator | Memory | Count | Tokens/s | USD / 1M tokens |\n|---|---|---|---|---|");
        for f in &e.fits {
            let _ = writeln!(
                o,
                "| {} ({}) | {} GB | {} | {:.1} | {:.2} |",
                escape(&f.accelerator.name),
                code(&f.accelerator.id),
                f.accelerator.memory_gb,
                f.count,
                f.tokens_per_second,
                f.usd_per_million_tokens
            );
        }
        o.push('\n');
    }
    let _ = writeln!(o, "Formulas:\n");
    for f in &e.formulas {
        let _ = writeln!(o, "- {}\n  - {}", escape(&f.general), escape(&f.here));
    }
    o.push('\n');
    let _ = writeln!(o, "Assumptions:\n");
    for a in &e.assumptions {
        let _ = writeln!(o, "- {}", escape(a));
    }
    let _ = writeln!(o, "- Accelerators from {}.", escape(&e.table_source));
    o.push('\n');
    for m in &e.missing {
        let _ = writeln!(o, "**Missing:** the card does not give {}.\n", escape(m));
    }
}

/// One row per model: its figures and the accelerator that decodes a million tokens cheapest;
/// then the formulas and assumptions the estimates state.
fn deployment_table(o: &mut String, c: &ConsortiumReport) {
    let _ = writeln!(o, "## Deployment estimates\n");
    let _ = writeln!(
        o,
        "Each model at its card's context and a batch of 1. The accelerator column gives the kind of \
         the table that decodes a million tokens cheapest, and how many of it hold the model.\n"
    );
    let _ = writeln!(
        o,
        "| Model | Parameters (active) | Weights | KV cache | Accelerators | Tokens/s | USD / 1M tokens |\n\
         |---|---|---|---|---|---|---|"
    );
    for m in &c.models {
        let model = format!("{} ({})", escape(&m.title), code(&m.id));
        let Some(e) = &m.deployment.estimate else {
            let why = escape(m.deployment.unavailable.as_deref().unwrap_or("no deployment estimate"));
            let _ = writeln!(o, "| {model} | {why} | — | — | — | — | — |");
            continue;
        };
        let params = match &e.parameters {
            Some(p) => format!("{} ({})", parameters(p.total), parameters(p.active.round() as u64)),
            None => "not given".into(),
        };
        let weights = e.weights_gb.map(|w| format!("{w:.1} GB {}", e.dtype.as_str())).unwrap_or_else(|| "—".into());
        let kv = e
            .kv_cache
            .as_ref()
            .map(|k| format!("{:.1} GB at {} tokens × {}", k.gb, e.context, e.batch))
            .unwrap_or_else(|| "not given".into());
        let fit = match m.deployment.cheapest() {
            Some(f) => format!(
                "{} × {} ({}) | {:.1} | {:.2}",
                f.count,
                escape(&f.accelerator.name),
                code(&f.accelerator.id),
                f.tokens_per_second,
                f.usd_per_million_tokens
            ),
            None => "— | — | —".into(),
        };
        let _ = writeln!(o, "| {model} | {params} | {weights} | {kv} | {fit} |");
    }
    o.push('\n');
    let (formulas, assumptions) = c.deployment_terms();
    if !formulas.is_empty() {
        let _ = writeln!(o, "Formulas:\n");
        for f in &formulas {
            let _ = writeln!(o, "- {}", escape(f));
        }
        o.push('\n');
        let _ = writeln!(o, "Assumptions:\n");
        for a in &assumptions {
            let _ = writeln!(o, "- {}", escape(a));
        }
        o.push('\n');
    }
}

fn proposal(o: &mut String, p: &ProposalReport) {
    let _ = writeln!(o, "## Proposal\n");
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| Proposal | {} ({}) |", escape(&p.title), code(&p.id));
    let _ = writeln!(o, "| Author | {} |", code(&p.author));
    let _ = writeln!(o, "| State | **{}** |", p.state);
    let _ = writeln!(o, "| Branch | {} |", code(&p.branch));
    let _ = writeln!(o, "| Subject | {} |", code(&p.subject));
    if let Some(m) = &p.merged_by {
        let _ = writeln!(o, "| Accepted by merge | {} |", code(m));
    }
    let d = &p.deliberation;
    let _ = writeln!(o, "| Quorum | {} of {} voting members ({}) |", d.needed, d.voters.len(), escape(&d.quorum));
    let _ = writeln!(o, "| Approvals | {} |", list(&d.approvals));
    let _ =
        writeln!(o, "| Objections | {} |", list(&d.objections.iter().map(|x| x.member.clone()).collect::<Vec<_>>()));
    let _ = writeln!(
        o,
        "| Comment period | {} days, from {} to {} |",
        d.final_comment_days,
        or_dash(&d.period_started),
        or_dash(&d.period_ends)
    );
    o.push('\n');
    let _ = writeln!(o, "### Rationale\n");
    for para in p.rationale.split("\n\n") {
        let _ = writeln!(o, "{}\n", escape(para.trim()));
    }
    let _ = writeln!(o, "### Changed files\n");
    let _ = writeln!(o, "| File | Before | After | Lines |\n|---|---|---|---|");
    for f in &p.files {
        let _ = writeln!(
            o,
            "| {} | {} | {} | +{} −{} |",
            code(&f.path),
            f.old_blob.as_deref().map(code).unwrap_or_else(|| "—".into()),
            f.new_blob.as_deref().map(code).unwrap_or_else(|| "—".into()),
            f.added_lines,
            f.removed_lines
        );
    }
    o.push('\n');
    let _ = writeln!(o, "### Votes\n");
    for v in &p.votes {
        let _ = writeln!(
            o,
            "- **{}** by {} ({}, {}) at {}{}; signature {}; commit {}",
            v.vote.as_str(),
            escape(&v.member_name),
            code(&v.member),
            escape(&v.org),
            escape(&v.at),
            if v.outdated { " (outdated: cast on an older subject)" } else { "" },
            signature(&v.signature),
            v.commit.as_deref().map(code).unwrap_or_else(|| "—".into())
        );
        if !v.comment.trim().is_empty() {
            let _ = writeln!(o, "  - Comment: {}", escape(&v.comment));
        }
    }
    o.push('\n');
    if let Some(out) = &p.outcome {
        let _ = writeln!(o, "### Outcome\n");
        let _ = writeln!(
            o,
            "**{}** by {} at {}{}\n",
            out.outcome,
            code(&out.member),
            escape(&out.at),
            if out.comment.is_empty() { String::new() } else { format!(": {}", escape(&out.comment)) }
        );
    }
}

fn findings(o: &mut String, r: &Report) {
    let _ = writeln!(o, "## What verify finds\n");
    if r.commits_verified == 0 && r.findings.is_empty() {
        let _ = writeln!(o, "Verify was not run for this report.\n");
        return;
    }
    if r.findings.is_empty() {
        let _ = writeln!(o, "Nothing: {} commits checked, no finding touches this scope.\n", r.commits_verified);
        return;
    }
    let _ = writeln!(o, "{} commits checked.\n", r.commits_verified);
    let _ = writeln!(o, "| Kind | Commit | File | Member | Finding |\n|---|---|---|---|---|");
    for f in &r.findings {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            code(&f.kind),
            code(&f.commit),
            f.path.as_deref().map(code).unwrap_or_default(),
            f.member.as_deref().map(code).unwrap_or_default(),
            escape(&f.message)
        );
    }
    o.push('\n');
}

fn policies(o: &mut String, policies: &[PolicyInForce]) {
    let _ = writeln!(o, "## Policies in force\n");
    let _ = writeln!(o, "| Document | Version | Blob | Last changed | Changed by proposals |\n|---|---|---|---|---|");
    for p in policies {
        let _ = writeln!(
            o,
            "| {} ({}) | {} | {} | {} | {} |",
            escape(&p.title),
            code(&p.file.path),
            or_dash(&p.version),
            code(&p.file.blob),
            match (&p.changed_in, &p.changed_at) {
                (Some(c), Some(at)) => format!("{} {}", escape(at), code(c)),
                _ => "—".into(),
            },
            if p.proposals.is_empty() {
                "—".into()
            } else {
                p.proposals
                    .iter()
                    .map(|x| format!("{} {} ({})", code(&x.id), escape(&x.title), escape(&x.at)))
                    .collect::<Vec<_>>()
                    .join("<br>")
            }
        );
    }
    o.push('\n');
}

fn crosswalk(o: &mut String, rows: &[CrosswalkRow]) {
    let _ = writeln!(o, "## Crosswalk\n");
    if rows.is_empty() {
        let _ = writeln!(o, "No checklist item in scope names an external control.\n");
        return;
    }
    let _ = writeln!(o, "| Catalog | Control | Gate | Item | State |\n|---|---|---|---|---|");
    for c in rows {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            code(&c.catalog),
            escape(&c.control),
            code(&c.gate),
            code(&c.item),
            c.state.map(|s| s.as_str()).unwrap_or("—")
        );
    }
    o.push('\n');
}
