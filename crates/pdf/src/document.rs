//! The report as a typst source. The layout (page, fonts, helpers) is fixed ([`HELPERS`], [`PAGE`]);
//! every value from the report goes through [`Markup::s`] / [`Markup::ms`] as an escaped
//! string literal.
//!
//! Tables show ids shortened to 12 characters so they fit; the full ids (commit ids, blob ids,
//! SHA-256 sums, key fingerprints) are each printed whole on a line of their own nearby, so an
//! auditor can search the text for them.

use gatehouse::report::compare;
use gatehouse::report::{
    ChangedFile, ConsortiumReport, DeploymentReport, EvidenceRef, FindingReport, GateReport, ItemReport, ModelReport,
    PolicyInForce, ProposalReport, Report, SignatureCheck, SignoffReport, VoteReport,
};
use gatehouse::signoff::ItemState;

use crate::markup::Markup;

/// The fonts and the helpers every report uses. Trusted: written here.
const HELPERS: &str = r##"#set text(font: "Libertinus Serif", size: 9.5pt, lang: "en", hyphenate: false)
#set par(justify: false, leading: 0.55em, spacing: 0.9em)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 16pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11pt)
#set table(stroke: 0.4pt + luma(170), inset: (x: 3pt, y: 3pt))
#show table: set text(size: 8pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#let mono(s) = text(font: "DejaVu Sans Mono", size: 7pt, s)
#let missing(s) = text(fill: rgb("#b00020"), weight: "bold", s)
#let muted(s) = text(fill: luma(90), s)
#let lines(..xs) = xs.pos().filter(x => x != none).join(linebreak())
#let kv(..xs) = grid(
  columns: (10em, 1fr),
  column-gutter: 0.8em,
  row-gutter: 0.55em,
  ..xs.pos().enumerate().map(((i, x)) => if calc.even(i) { strong(x) } else { x }),
)
"##;

/// The page: A4, and "page X of Y" in every footer (after `footer-note` is defined).
const PAGE: &str = r##"#set page(
  paper: "a4",
  margin: (x: 1.8cm, top: 1.8cm, bottom: 2.2cm),
  footer: context {
    set text(size: 8pt, fill: luma(90))
    grid(columns: (1fr, auto), align(left, footer-note), align(right)[page #counter(page).display() of #counter(page).final().first()])
  },
)
"##;

/// The typst source of `report`. `chart` says whether `/chart.svg` exists, `compare` whether
/// `/compare.svg` (the comparison of card results) does.
pub fn source(report: &Report, chart: bool, compare: bool) -> String {
    let mut m = Markup::new();
    m.t("#set document(title: ").s(&report.scope.title).t(", author: ").s(&report.consortium).t(")\n");
    m.t(HELPERS);
    m.t("#let footer-note = [Gatehouse audit report, commit #mono(").id(short(&report.commit.id)).t(")]\n");
    m.t(PAGE);
    header(&mut m, report);
    if let Some(model) = &report.model {
        model_section(&mut m, model);
    }
    if let Some(consortium) = &report.consortium_report {
        consortium_section(&mut m, consortium, chart, compare);
    }
    if let Some(proposal) = &report.proposal {
        proposal_section(&mut m, proposal);
    }
    findings(&mut m, &report.findings, report.commits_verified);
    policies(&mut m, &report.policies);
    crosswalk(&mut m, report);
    m.finish()
}

fn header(m: &mut Markup, r: &Report) {
    m.t("#heading(level: 1, ").s(&r.scope.title).t(")\n");
    m.t("#kv(\n");
    m.t("  \"Scope\", ").s(&format!("{} {}", r.scope.kind.as_str(), r.scope.id)).t(",\n");
    m.t("  \"Consortium\", ").s(&r.consortium).t(",\n");
    m.t("  \"Commit\", mono(").id(&r.commit.id).t("),\n");
    m.t("  \"Commit date\", ").s(&r.commit.date).t(",\n");
    m.t("  \"Tree\", mono(").id(&r.commit.tree).t("),\n");
    m.t("  \"Author\", ").s(&r.commit.author).t(",\n");
    m.t("  \"Summary\", ").s(&r.commit.summary).t(",\n");
    m.t("  \"Commit signature\", ");
    signature(m, &r.commit.signature, true);
    m.t(",\n");
    m.t("  \"Generator\", ").s(&format!("{} {}", r.generator.name, r.generator.version)).t(",\n");
    m.t("  \"Report format\", ").s(&r.format).t(",\n");
    m.t(")\n\n");
    m.t("The JSON report this document was typeset from is attached to it as #mono(\"report.json\"). ");
    m.t("Every date is a commit's or a signer's; the same commit gives the same bytes.\n\n");
}

/// A signature check as a block of lines (code position); `with_key`: with the key's
/// fingerprint (left out where it has its own row).
fn signature(m: &mut Markup, s: &SignatureCheck, with_key: bool) {
    m.t("lines(").s(s.status.as_str());
    if let (true, Some(fp)) = (with_key, &s.fingerprint) {
        m.t(", mono(").id(fp).t(")");
    }
    if let Some(reason) = &s.reason {
        m.t(", muted(").s(reason).t(")");
    }
    m.t(")");
}

fn model_section(m: &mut Markup, model: &ModelReport) {
    m.t("#heading(level: 2, \"Model card\")\n#kv(\n");
    m.t("  \"Model\", ").s(&model.title).t(",\n");
    m.t("  \"Id\", mono(").s(&model.id).t("),\n");
    m.t("  \"Organisation\", ").s(model.org.as_deref().unwrap_or("not given")).t(",\n");
    m.t("  \"Owners\", ").s(&list(&model.owners)).t(",\n");
    m.t("  \"Parameters\", ").s(&count(model.parameters)).t(",\n");
    m.t("  \"Active parameters\", ").s(&count(model.active_parameters)).t(",\n");
    m.t("  \"Architecture\", ").s(model.architecture.as_deref().unwrap_or("not given")).t(",\n");
    m.t("  \"Licenses\", ").s(&list(&model.licenses)).t(",\n");
    m.t("  \"Datasets\", ").s(&list(&model.datasets)).t(",\n");
    m.t("  \"Base model\", ").s(&list(&model.base_model)).t(",\n");
    m.t("  \"Card\", ");
    match &model.card {
        Some(card) => {
            m.t("lines(").s(&card.path).t(", mono(").id(&card.blob).t("))");
        }
        None => {
            m.t("missing(\"no readable card\")");
        }
    }
    m.t(",\n  \"Subject (tree)\", mono(").id(&model.subject).t("),\n");
    let standing = &model.standing;
    let at = match &standing.at_gate {
        Some(g) => format!("{} of {} gates passed; waits at {}", standing.passed, standing.gates, g),
        None => format!("{} of {} gates passed; past every gate", standing.passed, standing.gates),
    };
    m.t("  \"Standing\", ").s(&at).t(",\n");
    if !model.problems.is_empty() {
        m.t("  \"Problems\", lines(");
        for p in &model.problems {
            m.t("missing(").s(p).t("), ");
        }
        m.t("),\n");
    }
    m.t(")\n\n");
    deployment_section(m, &model.deployment);
    for (i, gate) in model.gates.iter().enumerate() {
        gate_section(m, gate, i + 1, model.gates.len());
    }
}

/// The `n`th gate (from 1) of `of`, in order.
fn gate_section(m: &mut Markup, g: &GateReport, n: usize, of: usize) {
    m.t("#heading(level: 2, ").s(&format!("Gate {n} of {of}: {}", g.title)).t(")\n#kv(\n");
    m.t("  \"Gate\", mono(").s(&g.id).t("),\n");
    m.t("  \"State\", strong(").s(g.state.as_str()).t("),\n");
    let rule = format!(
        "needs {} approval(s) by {}, from at least {} organisation(s){}; has {} current approval(s), {} stale",
        g.quorum,
        g.role,
        g.distinct_orgs,
        if g.independent { ", independent of the model's organisation" } else { "" },
        g.approvals,
        g.stale
    );
    m.t("  \"Rule\", ").s(&rule).t(",\n");
    if let Some(w) = &g.waiting_for {
        m.t("  \"Waiting for\", ").s(w).t(",\n");
    }
    m.t("  \"Checklist\", lines(").s(&g.checklist.path).t(", mono(").id(&g.checklist.blob);
    m.t("), \"the version in force at this commit\"),\n");
    if let Some(p) = &g.policy {
        m.t("  \"Policy\", ").s(p).t(",\n");
    }
    m.t(")\n\n");

    m.t("#heading(level: 3, \"Checklist items\")\n");
    m.t("#table(columns: (33%, 12%, 21%, 20%, 14%),\n");
    m.t("  table.header(\"Item\", \"State\", \"Reason and notes\", \"Evidence (blob, SHA-256)\", \"Controls\"),\n");
    for item in &g.items {
        item_row(m, item);
    }
    m.t(")\n\n");

    let evidence: Vec<&EvidenceRef> = g.items.iter().flat_map(|i| i.evidence.iter()).collect();
    if !evidence.is_empty() {
        m.t("#heading(level: 3, \"Evidence, full ids\")\n");
        for e in evidence {
            m.t("#block(breakable: false, lines(").s(&e.path);
            match (&e.blob, &e.sha256) {
                (Some(blob), Some(sha)) => {
                    m.t(", mono(").id(&format!("blob   {blob}")).t("), mono(").id(&format!("sha256 {sha}")).t(")");
                    if let Some(size) = e.size {
                        m.t(", muted(").s(&format!("{size} bytes")).t(")");
                    }
                }
                _ => {
                    m.t(", missing(\"not in the tree at this commit\")");
                }
            }
            m.t("))\n");
        }
        m.t("\n");
    }

    m.t("#heading(level: 3, \"Sign-offs\")\n");
    if g.signoffs.is_empty() {
        m.t("No sign-offs.\n\n");
    }
    for s in &g.signoffs {
        signoff(m, s);
    }
}

fn item_row(m: &mut Markup, item: &ItemReport) {
    m.t("  lines(mono(").s(&item.id).t("), ").s(&item.text).t("),\n");
    m.t("  ").s(item.state.as_str()).t(",\n");
    m.t("  lines(");
    if item.state == ItemState::NotApplicable {
        match &item.reason {
            Some(reason) => {
                m.t("[_Reason:_ #").s(reason).t(";]");
            }
            None => {
                m.t("missing(\"reason missing\")");
            }
        }
        m.t(", ");
    }
    for n in &item.notes {
        m.t("[#strong(").s(&n.member).t("): #").s(&n.note).t(";], ");
    }
    m.t("),\n");
    m.t("  lines(");
    for e in &item.evidence {
        m.s(&e.path);
        match &e.sha256 {
            Some(sha) => {
                m.t(", mono(").id(&format!("sha256 {}", short(sha))).t(")");
            }
            None => {
                m.t(", missing(\"missing\")");
            }
        }
        if let Some(blob) = &e.blob {
            m.t(", mono(").id(&format!("blob {}", short(blob))).t(")");
        }
        m.t(", ");
    }
    m.t("),\n");
    let controls: Vec<String> = item.controls.iter().map(|c| format!("{} {}", c.catalog, c.control)).collect();
    m.t("  lines(");
    for c in &controls {
        m.s(c).t(", ");
    }
    m.t("),\n");
}

fn signoff(m: &mut Markup, s: &SignoffReport) {
    let title = format!("{} ({}, {}): {}, {}", s.member_name, s.member, s.org, s.decision.as_str(), s.at);
    m.t("#block(breakable: false, above: 1.4em)[#strong(").s(&title).t(");\n#kv(\n");
    m.t("  \"Signature\", ");
    signature(m, &s.signature, false);
    m.t(",\n  \"Key fingerprint\", ");
    match &s.signature.fingerprint {
        Some(fp) => m.t("mono(").id(fp).t(")"),
        None => m.t("muted(\"none: not signed with a readable key\")"),
    };
    m.t(",\n  \"Commit\", ");
    match &s.commit {
        Some(c) => m.t("mono(").id(c).t(")"),
        None => m.t("missing(\"no commit added it\")"),
    };
    m.t(",\n  \"Current\", ");
    if s.current {
        m.t("\"current: speaks about the model as it is at this commit\"");
    } else {
        m.t("missing(\"stale: the model changed since\")");
    }
    m.t(",\n  \"Checklist\", lines(mono(").id(&s.checklist).t("), ");
    if s.checklist_in_force {
        m.t("\"in force\"");
    } else {
        m.t("missing(\"not the version in force\")");
    }
    m.t("),\n  \"File\", lines(").s(&s.path).t(", mono(").id(&s.blob).t(")),\n");
    if !s.comment.is_empty() {
        m.t("  \"Comment\", ").s(&s.comment).t(",\n");
    }
    if !s.items.is_empty() {
        let items: Vec<String> = s
            .items
            .iter()
            .map(|i| {
                let mut line = format!("{}: {}", i.id, i.state.as_str());
                if !i.evidence.is_empty() {
                    line.push_str(&format!(" (evidence: {})", i.evidence.join(", ")));
                }
                if !i.note.is_empty() {
                    line.push_str(&format!(": {}", i.note));
                }
                line
            })
            .collect();
        m.t("  \"Items\", ").s(&items.join("; ")).t(",\n");
    }
    m.t(")]\n\n");
}

/// A model's deployment estimate: its figures, a row per accelerator, every formula with its
/// numbers and every assumption; or why there is none.
fn deployment_section(m: &mut Markup, d: &DeploymentReport) {
    m.t("#heading(level: 2, \"Deployment estimate\")\n");
    let Some(e) = &d.estimate else {
        m.ms(d.unavailable.as_deref().unwrap_or("no deployment estimate")).t("\n\n");
        return;
    };
    m.ms(&format!(
        "At a context of {} tokens and a batch of {}, from the card at this commit and the accelerator table. \
         Every figure is an estimate under the assumptions below.",
        e.context, e.batch
    ))
    .t("\n\n#kv(\n");
    if let Some(p) = &e.parameters {
        m.t("  \"Parameters\", ").s(&count(Some(p.total))).t(",\n");
        let active = match p.active_from.as_str() {
            "dense" => "all (dense)".to_string(),
            from => format!("{} (from the {from})", count(Some(p.active.round() as u64))),
        };
        m.t("  \"Active per token\", ").s(&active).t(",\n");
        if let Some(x) = &p.experts {
            let experts = format!(
                "{} of {} per token; shared {}{}",
                x.per_token,
                x.experts,
                count(Some(x.shared)),
                if x.shared_given { "" } else { " (derived)" }
            );
            m.t("  \"Experts\", ").s(&experts).t(",\n");
        }
    }
    if let Some(w) = e.weights_gb {
        m.t("  \"Weights\", ").s(&format!("{w:.1} GB ({})", e.dtype.as_str())).t(",\n");
    }
    if let Some(k) = &e.kv_cache {
        m.t("  \"KV cache\", ").s(&format!("{:.1} GB ({})", k.gb, k.dtype.as_str())).t(",\n");
    }
    if let Some(r) = e.step_read_gb {
        m.t("  \"Read per decode step\", ").s(&format!("{r:.1} GB")).t(",\n");
    }
    m.t(")\n\n");
    if !e.fits.is_empty() {
        m.t("#table(columns: (1fr, auto, auto, auto, auto),\n");
        m.t("  table.header(\"Accelerator\", \"Memory\", \"Count\", \"Tokens/s\", \"USD / 1M tokens\"),\n");
        for f in &e.fits {
            m.t("  lines(").s(&f.accelerator.name).t(", mono(").s(&f.accelerator.id).t(")), ");
            m.s(&format!("{} GB", f.accelerator.memory_gb)).t(", ").s(&f.count.to_string()).t(", ");
            m.s(&format!("{:.1}", f.tokens_per_second)).t(", ").s(&format!("{:.2}", f.usd_per_million_tokens));
            m.t(",\n");
        }
        m.t(")\n\n");
    }
    m.t("#heading(level: 3, \"Formulas\")\n");
    for f in &e.formulas {
        m.t("#block(breakable: false, lines(").s(&f.general).t(", muted(").s(&f.here).t(")))\n");
    }
    m.t("\n#heading(level: 3, \"Assumptions\")\n");
    for a in &e.assumptions {
        m.t("- ").ms(a).t("\n");
    }
    m.t("- ").ms(&format!("Accelerators from {}.", e.table_source)).t("\n\n");
    for missing in &e.missing {
        m.t("#missing(").s(&format!("missing: the card does not give {missing}")).t(")\n\n");
    }
}

/// One row per model with the accelerator that decodes a million tokens cheapest; then the
/// formulas and assumptions the estimates state.
fn deployment_table(m: &mut Markup, c: &ConsortiumReport) {
    m.t("#heading(level: 2, \"Deployment estimates\")\n");
    m.t("Each model at its card's context and a batch of 1. The accelerator column gives the kind of the ");
    m.t("consortium's table that decodes a million tokens cheapest, and how many of it hold the model.\n\n");
    m.t("#table(columns: (22%, 13%, 12%, 13%, 20%, 9%, 11%),\n");
    m.t("  table.header(\"Model\", \"Parameters (active)\", \"Weights\", \"KV cache\", \"Accelerators\", ");
    m.t("\"Tokens/s\", \"USD / 1M tokens\"),\n");
    for model in &c.models {
        m.t("  lines(mono(").s(&model.id).t("), ").s(&model.title).t("), ");
        let Some(e) = &model.deployment.estimate else {
            let why = model.deployment.unavailable.as_deref().unwrap_or("no deployment estimate");
            m.t("table.cell(colspan: 6, muted(").s(why).t(")),\n");
            continue;
        };
        let params = match &e.parameters {
            Some(p) => format!("{} ({})", human(p.total), human(p.active.round() as u64)),
            None => "not given".into(),
        };
        let weights = e.weights_gb.map(|w| format!("{w:.1} GB {}", e.dtype.as_str())).unwrap_or_default();
        let kv = match &e.kv_cache {
            Some(k) => format!("{:.1} GB at {} tokens × {}", k.gb, e.context, e.batch),
            None => "not given".into(),
        };
        m.s(&params).t(", ").s(&weights).t(", ").s(&kv).t(", ");
        match model.deployment.cheapest() {
            Some(f) => {
                m.t("lines(").s(&format!("{} × {}", f.count, f.accelerator.name)).t(", mono(").s(&f.accelerator.id);
                m.t(")), ").s(&format!("{:.1}", f.tokens_per_second)).t(", ");
                m.s(&format!("{:.2}", f.usd_per_million_tokens)).t(",\n");
            }
            None => {
                m.t("table.cell(colspan: 3, muted(\"no accelerator count without the parameters\")),\n");
            }
        }
    }
    m.t(")\n\n");
    let (formulas, assumptions) = c.deployment_terms();
    if !formulas.is_empty() {
        m.t("#heading(level: 3, \"Formulas\")\n");
        for f in &formulas {
            m.t("- ").ms(f).t("\n");
        }
        m.t("\n#heading(level: 3, \"Assumptions\")\n");
        for a in &assumptions {
            m.t("- ").ms(a).t("\n");
        }
        m.t("\n");
    }
}

/// The comparison of card results: its chart (when there is one) and the same values as a
/// table, whose text a reader can select and search.
fn compared_section(m: &mut Markup, c: &ConsortiumReport, chart: bool) {
    if c.compared.metrics.is_empty() {
        return;
    }
    m.t("#heading(level: 2, \"Results compared\")\n");
    if chart {
        m.t("#figure(image(\"/compare.svg\", width: 100%, alt: \"Model-index results compared across models\"))\n");
    }
    m.t("#table(columns: (2fr, 2fr, auto),\n  table.header(\"Result\", \"Model\", \"Value\"),\n");
    for (metric, values) in c.compared.metrics.iter().zip(&c.compared.values) {
        if values.is_empty() {
            m.t("  ").s(metric).t(", muted(\"no model reports it\"), [],\n");
        }
        for v in values {
            m.t("  ").s(metric).t(", mono(").s(&v.model).t("), ").s(&compare::shown(v.value)).t(",\n");
        }
    }
    m.t(")\n\n");
}

fn consortium_section(m: &mut Markup, c: &ConsortiumReport, chart: bool, compare_chart: bool) {
    m.t("#heading(level: 2, \"Models by gate\")\n");
    if chart {
        m.t("#figure(image(\"/chart.svg\", width: 100%, alt: \"Models by gate\"))\n");
    }
    m.t("#table(columns: (1fr, 2fr, auto),\n  table.header(\"Gate\", \"Title\", \"Models waiting\"),\n");
    for g in &c.by_gate {
        m.t("  mono(").s(&g.gate).t("), ").s(&g.title).t(", ").s(&g.models.to_string()).t(",\n");
    }
    m.t(")\n\n");
    compared_section(m, c, compare_chart);
    deployment_table(m, c);

    m.t("#heading(level: 2, \"Models\")\n");
    m.t("#table(columns: (30%, 14%, 16%, 28%, 12%),\n");
    m.t("  table.header(\"Model\", \"Organisation\", \"Parameters (active)\", \"Standing\", \"Problems\"),\n");
    for model in &c.models {
        let standing = match &model.standing.at_gate {
            Some(g) => format!("{} of {} passed; at {}", model.standing.passed, model.standing.gates, g),
            None => format!("{} of {} passed", model.standing.passed, model.standing.gates),
        };
        let params = format!("{} ({})", count(model.parameters), count(model.active_parameters));
        m.t("  lines(mono(").s(&model.id).t("), ").s(&model.title).t("), ");
        m.s(model.org.as_deref().unwrap_or("")).t(", ").s(&params).t(", ").s(&standing).t(", ");
        m.s(&model.problems.to_string()).t(",\n");
    }
    m.t(")\n\n");

    if !c.gates.is_empty() {
        m.t("#heading(level: 2, \"Gate states\")\n");
        for (i, g) in c.gates.iter().enumerate() {
            m.t("#strong(").s(&format!("G{}", i + 1)).t("): ").ms(&format!("{} ({})", g.title, g.id)).t(" \\\n");
        }
        m.t("\n#table(columns: (auto,) + (1fr,) * ").n(c.gates.len() as u64).t(",\n  table.header(\"Model\", ");
        for i in 0..c.gates.len() {
            m.s(&format!("G{}", i + 1)).t(", ");
        }
        m.t("),\n");
        for model in &c.models {
            m.t("  mono(").s(&model.id).t("), ");
            for state in &model.gates {
                m.s(state.as_str()).t(", ");
            }
            // A model with fewer states than gates still fills its row.
            for _ in model.gates.len()..c.gates.len() {
                m.t("[], ");
            }
            m.t("\n");
        }
        m.t(")\n\n");
    }
}

fn proposal_section(m: &mut Markup, p: &ProposalReport) {
    m.t("#heading(level: 2, \"Proposal\")\n#kv(\n");
    m.t("  \"Proposal\", ").s(&p.title).t(",\n");
    m.t("  \"Id\", mono(").s(&p.id).t("),\n");
    m.t("  \"Author\", ").s(&p.author).t(",\n");
    m.t("  \"Branch\", mono(").s(&p.branch).t("),\n");
    m.t("  \"Subject\", mono(").id(&p.subject).t("),\n");
    m.t("  \"State\", strong(").s(p.state.as_str()).t("),\n");
    if let Some(merge) = &p.merged_by {
        m.t("  \"Accepted by merge\", mono(").id(merge).t("),\n");
    }
    m.t(")\n\n#heading(level: 3, \"Rationale\")\n").ms(&p.rationale).t("\n\n");

    m.t("#heading(level: 3, \"Changed files\")\n");
    if p.files.is_empty() {
        m.t("No files changed.\n\n");
    } else {
        m.t("#table(columns: (46%, 20%, 20%, 14%),\n");
        m.t("  table.header(\"File\", \"Before (blob)\", \"After (blob)\", \"Lines\"),\n");
        for f in &p.files {
            changed_row(m, f);
        }
        m.t(")\n\n");
        for f in &p.files {
            m.t("#block(breakable: false, lines(").s(&f.path);
            m.t(", mono(").id(&format!("before {}", f.old_blob.as_deref().unwrap_or("(new file)"))).t(")");
            m.t(", mono(").id(&format!("after  {}", f.new_blob.as_deref().unwrap_or("(deleted)"))).t(")))\n");
        }
        m.t("\n");
    }

    m.t("#heading(level: 3, \"Votes\")\n");
    if p.votes.is_empty() {
        m.t("No votes.\n\n");
    }
    for v in &p.votes {
        vote(m, v);
    }

    let d = &p.deliberation;
    m.t("#heading(level: 3, \"Deliberation\")\n#kv(\n");
    m.t("  \"Subject\", mono(").id(&d.subject).t("),\n");
    m.t("  \"Quorum\", ")
        .s(&format!("{} ({} approvals needed of {} voters)", d.quorum, d.needed, d.voters.len()))
        .t(",\n");
    m.t("  \"Voters\", ").s(&list(&d.voters)).t(",\n");
    m.t("  \"Approvals\", ").s(&list(&d.approvals)).t(",\n");
    m.t("  \"Objections\", lines(");
    for o in &d.objections {
        m.s(&format!("{} ({}): {}", o.member, o.at, o.comment)).t(", ");
    }
    if d.objections.is_empty() {
        m.t("\"none\"");
    }
    m.t("),\n");
    m.t("  \"Abstentions\", ").s(&list(&d.abstentions)).t(",\n");
    m.t("  \"Outdated\", ").s(&list(&d.outdated)).t(",\n");
    m.t("  \"Waiting\", ").s(&list(&d.waiting)).t(",\n");
    m.t("  \"Ignored\", ").s(&list(&d.ignored)).t(",\n");
    m.t("  \"Final comment period\", ").s(&format!("{} days", d.final_comment_days)).t(",\n");
    if let Some(start) = &d.period_started {
        m.t("  \"Period started\", ").s(start).t(",\n");
    }
    if let Some(end) = &d.period_ends {
        m.t("  \"Period ends\", ").s(end).t(",\n");
    }
    m.t(")\n\n");

    m.t("#heading(level: 3, \"Outcome\")\n");
    match &p.outcome {
        Some(o) => {
            m.t("#kv(\n  \"Outcome\", strong(").s(o.outcome.as_str()).t("),\n");
            m.t("  \"By\", ").s(&o.member).t(",\n  \"At\", ").s(&o.at).t(",\n");
            if !o.comment.is_empty() {
                m.t("  \"Comment\", ").s(&o.comment).t(",\n");
            }
            m.t(")\n\n");
        }
        None => {
            m.t("No outcome yet: the proposal is open.\n\n");
        }
    }
}

fn changed_row(m: &mut Markup, f: &ChangedFile) {
    m.t("  ").s(&f.path).t(", mono(").id(f.old_blob.as_deref().map(short).unwrap_or("new"));
    m.t("), mono(").id(f.new_blob.as_deref().map(short).unwrap_or("deleted")).t("), ");
    m.s(&format!("+{} −{}", f.added_lines, f.removed_lines)).t(",\n");
}

fn vote(m: &mut Markup, v: &VoteReport) {
    let title = format!("{} ({}, {}): {}, {}", v.member_name, v.member, v.org, v.vote.as_str(), v.at);
    m.t("#block(breakable: false, above: 1.4em)[#strong(").s(&title).t(");\n#kv(\n");
    m.t("  \"Signature\", ");
    signature(m, &v.signature, true);
    m.t(",\n  \"Commit\", ");
    match &v.commit {
        Some(c) => m.t("mono(").id(c).t(")"),
        None => m.t("missing(\"no commit wrote it\")"),
    };
    m.t(",\n  \"Subject\", lines(mono(").id(&v.subject).t("), ");
    if v.outdated {
        m.t("missing(\"outdated: cast on an older subject\")");
    } else {
        m.t("\"the current subject\"");
    }
    m.t("),\n");
    if !v.comment.is_empty() {
        m.t("  \"Comment\", ").s(&v.comment).t(",\n");
    }
    m.t(")]\n\n");
}

fn findings(m: &mut Markup, findings: &[FindingReport], commits: u64) {
    m.t("#heading(level: 2, \"Findings\")\n");
    m.ms(&format!("verify checked {commits} commit(s) up to this one. "));
    if findings.is_empty() {
        m.t("It found nothing that touches this report's scope.\n\n");
        return;
    }
    m.ms(&format!("It found {}:", findings.len())).t("\n\n");
    for f in findings {
        m.t("#block(breakable: false, lines(strong(")
            .s(&f.kind)
            .t("), ")
            .s(&f.message)
            .t(", mono(")
            .id(&f.commit)
            .t(")");
        if let Some(p) = &f.path {
            m.t(", ").s(p);
        }
        if let Some(member) = &f.member {
            m.t(", ").s(&format!("member: {member}"));
        }
        m.t("))\n");
    }
    m.t("\n");
}

fn policies(m: &mut Markup, policies: &[PolicyInForce]) {
    m.t("#heading(level: 2, \"Policies in force\")\n");
    if policies.is_empty() {
        m.t("No policies.\n\n");
    }
    for p in policies {
        let title = match &p.version {
            Some(v) => format!("{} ({}), version {}", p.title, p.id, v),
            None => format!("{} ({}), no version given", p.title, p.id),
        };
        m.t("#block(breakable: false, above: 1.4em)[#strong(").s(&title).t(");\n#kv(\n");
        m.t("  \"File\", lines(").s(&p.file.path).t(", mono(").id(&p.file.blob).t(")),\n");
        if let Some(c) = &p.changed_in {
            m.t("  \"Last changed\", lines(mono(").id(c).t("), ").s(p.changed_at.as_deref().unwrap_or("")).t("),\n");
        }
        m.t("  \"Changed by proposals\", lines(");
        for prop in &p.proposals {
            m.s(&format!("{} ({}), accepted {}", prop.title, prop.id, prop.at)).t(", mono(").id(&prop.commit).t("), ");
        }
        if p.proposals.is_empty() {
            m.t("\"none\"");
        }
        m.t("),\n)]\n\n");
    }
}

fn crosswalk(m: &mut Markup, r: &Report) {
    m.t("#heading(level: 2, \"Crosswalk\")\n");
    if r.crosswalk.is_empty() {
        m.t("No checklist item in scope names an external control.\n\n");
        return;
    }
    m.t("#table(columns: (auto, auto, auto, 1fr, auto),\n");
    m.t("  table.header(\"Catalog\", \"Control\", \"Gate\", \"Item\", \"State\"),\n");
    for row in &r.crosswalk {
        m.t("  ").s(&row.catalog).t(", ").s(&row.control).t(", mono(").s(&row.gate).t("), mono(").s(&row.item);
        m.t("), ").s(row.state.map(|s| s.as_str()).unwrap_or("")).t(",\n");
    }
    m.t(")\n");
}

/// The first 12 characters of an id, for a table cell; the full id is printed elsewhere.
fn short(id: &str) -> &str {
    match id.char_indices().nth(12) {
        Some((i, _)) => &id[..i],
        None => id,
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// A parameter count as people say it (`1.6T`, `34B`), as the Markdown report writes it.
fn human(n: u64) -> String {
    gatehouse::report::markdown::parameters(n)
}

/// A count with thousands separators, or "not given".
fn count(n: Option<u64>) -> String {
    let Some(n) = n else { return "not given".to_string() };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(Some(34_000_000_000)), "34,000,000,000");
        assert_eq!(count(Some(999)), "999");
        assert_eq!(count(None), "not given");
    }

    #[test]
    fn short_ids_keep_twelve_characters() {
        assert_eq!(short("0123456789abcdef"), "0123456789ab");
        assert_eq!(short("abc"), "abc");
    }
}
