//! The HTML report: one self-contained file (inline CSS and SVG, a print stylesheet), no
//! script and no request to anything outside the file.
//!
//! Everything the report holds came from the repository and is untrusted: every string goes
//! through [`text`], which escapes it and makes invisible control characters visible, and none
//! is ever put in an attribute other than as escaped text. No Markdown is rendered here (the
//! report holds no card body). The page carries a strict Content-Security-Policy as a second
//! line of defence, links only to its own fragments, and names fonts only from the system.
//! Every state is written in words, so the page reads the same printed without colour.

use std::fmt::Write as _;

use super::{
    chart, ConsortiumReport, CrosswalkRow, DeploymentReport, EvidenceRef, FileRef, FindingReport, GateReport,
    ItemReport, ModelReport, ModelStanding, PolicyInForce, ProposalReport, Report, ScopeKind, SignatureCheck,
    SignatureState, SignoffReport, Standing,
};
use crate::proposal::{ProposalState, VoteKind};
use crate::render::escape_html;
use crate::rules::GateState;
use crate::signoff::{Decision, ItemState};

/// The page's policy: nothing may load or run; only the inline stylesheet applies.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// `write!` into a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Untrusted text as HTML (or XML) text. Besides escaping markup, characters that would change
/// what a reader sees without being seen are shown by their code point: C0 and C1 controls
/// (other than tab and line ends), which XML forbids and HTML reports as errors, and the bidi
/// controls that can make text read in another order than it is stored ("trojan source").
pub fn text(s: &str) -> String {
    let escaped = escape_html(s);
    if !escaped.chars().any(hidden) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for c in escaped.chars() {
        if hidden(c) {
            w!(out, "[U+{:04X}]", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// The HTML report of `report`: a complete document.
pub fn render(report: &Report) -> String {
    let mut o = String::with_capacity(64 * 1024);
    head(&mut o, report);
    o.push_str("<body>\n");
    header(&mut o, report);
    contents(&mut o, report);
    o.push_str("<main>\n");
    if let Some(m) = &report.model {
        model(&mut o, m);
    }
    if let Some(c) = &report.consortium_report {
        consortium(&mut o, c);
    }
    if let Some(p) = &report.proposal {
        proposal(&mut o, p);
    }
    findings(&mut o, report);
    policies(&mut o, &report.policies);
    crosswalk(&mut o, report);
    o.push_str("</main>\n");
    footer(&mut o, report);
    o.push_str("</body>\n</html>\n");
    o
}

// ---- document frame ---------------------------------------------------------------------

fn head(o: &mut String, r: &Report) {
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    w!(o, "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n");
    o.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    w!(o, "<meta name=\"generator\" content=\"{} {}\">\n", text(&r.generator.name), text(&r.generator.version));
    w!(o, "<title>{} — audit report at {}</title>\n", text(&r.scope.title), text(short(&r.commit.id)));
    w!(o, "<style>\n{STYLE}</style>\n</head>\n");
}

fn header(o: &mut String, r: &Report) {
    let kind = match r.scope.kind {
        ScopeKind::Model => "Model audit report",
        ScopeKind::Consortium => "Consortium standing report",
        ScopeKind::Proposal => "Proposal decision record",
    };
    o.push_str("<header class=\"doc-head\">\n");
    w!(o, "<p class=\"kicker\">{kind} · {}</p>\n", text(&r.consortium));
    w!(o, "<h1>{}</h1>\n", text(&r.scope.title));
    o.push_str("<dl class=\"facts cols\">\n");
    fact(o, "Scope", &format!("{} <code>{}</code>", r.scope.kind.as_str(), text(&r.scope.id)));
    fact(o, "Consortium", &text(&r.consortium));
    fact(o, "Commit", &format!("<code class=\"id\">{}</code>", text(&r.commit.id)));
    fact(o, "Date of the commit", &time(&r.commit.date));
    fact(o, "Tree", &format!("<code class=\"id\">{}</code>", text(&r.commit.tree)));
    fact(o, "Committed by", &text(&r.commit.author));
    fact(o, "Commit summary", &text(&r.commit.summary));
    fact(o, "Commit signature", &signature(&r.commit.signature));
    fact(
        o,
        "Generator",
        &format!(
            "{} {} <span class=\"sub-inline\">· format <code>{}</code></span>",
            text(&r.generator.name),
            text(&r.generator.version),
            text(&r.format)
        ),
    );
    o.push_str("</dl>\n</header>\n");
}

fn contents(o: &mut String, r: &Report) {
    o.push_str("<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
    if let Some(m) = &r.model {
        o.push_str(
            "<li><a href=\"#model\">Model</a></li>\n<li><a href=\"#deployment\">Deployment estimate</a></li>\n\
             <li><a href=\"#gates\">Gates at a glance</a>\n<ol>\n",
        );
        for (i, g) in m.gates.iter().enumerate() {
            w!(
                o,
                "<li><a href=\"#gate-{}\">{}</a> {}</li>\n",
                i + 1,
                text(&g.title),
                badge(gate_class(g.state), gate_label(g.state))
            );
        }
        o.push_str("</ol></li>\n");
    }
    if let Some(c) = &r.consortium_report {
        o.push_str("<li><a href=\"#chart\">Models by gate</a></li>\n");
        if !c.compared.metrics.is_empty() {
            o.push_str("<li><a href=\"#results\">Results compared</a></li>\n");
        }
        o.push_str(
            "<li><a href=\"#deployment\">Deployment estimates</a></li>\n<li><a href=\"#standing\">Every model's standing</a></li>\n",
        );
    }
    if r.proposal.is_some() {
        o.push_str(
            "<li><a href=\"#proposal\">Proposal</a></li>\n<li><a href=\"#rationale\">Rationale</a></li>\n\
             <li><a href=\"#changes\">Changed files</a></li>\n<li><a href=\"#votes\">Votes</a></li>\n\
             <li><a href=\"#deliberation\">Deliberation</a></li>\n<li><a href=\"#outcome\">Outcome</a></li>\n",
        );
    }
    o.push_str(
        "<li><a href=\"#findings\">Verification findings</a></li>\n<li><a href=\"#policies\">Policies in force</a></li>\n\
         <li><a href=\"#crosswalk\">Crosswalk to external controls</a></li>\n</ol>\n</nav>\n",
    );
}

fn footer(o: &mut String, r: &Report) {
    w!(
        o,
        "<footer class=\"doc-foot\">\n<p>This report describes commit <code class=\"id\">{}</code> of the \
         repository of {}, dated {}. Every id in it is a git object id and every SHA-256 is of a file's \
         bytes at that commit, so each statement can be checked against the repository without trusting \
         whoever sent the report. Signature statuses and findings are as <code>gatehouse verify</code> \
         judges them over {} commits.</p>\n<p>Written by {} {} (format <code>{}</code>).</p>\n</footer>\n",
        text(&r.commit.id),
        text(&r.consortium),
        time(&r.commit.date),
        r.commits_verified,
        text(&r.generator.name),
        text(&r.generator.version),
        text(&r.format),
    );
}

// ---- the model ----------------------------------------------------------------------------

fn model(o: &mut String, m: &ModelReport) {
    o.push_str("<section id=\"model\" class=\"block\">\n<h2>Model</h2>\n");
    o.push_str("<div class=\"summary\">\n<dl class=\"facts cols\">\n");
    fact(o, "Title", &text(&m.title));
    fact(o, "Model id", &format!("<code>{}</code>", text(&m.id)));
    fact(o, "Organisation", &m.org.as_deref().map(text).unwrap_or_else(|| none("none given")));
    fact(o, "Owners", &list(&m.owners, "none listed"));
    fact(o, "Parameters", &params(m.parameters));
    fact(o, "Active parameters", &params(m.active_parameters));
    fact(o, "Architecture", &m.architecture.as_deref().map(text).unwrap_or_else(|| none("not given")));
    fact(o, "Licenses", &list(&m.licenses, "none listed"));
    fact(o, "Datasets", &list(&m.datasets, "none listed"));
    fact(o, "Base model", &list(&m.base_model, "none"));
    fact(o, "Card", &m.card.as_ref().map(file_ref).unwrap_or_else(|| missing("no readable card")));
    fact(o, "Subject (tree of the model's folder)", &format!("<code class=\"id\">{}</code>", text(&m.subject)));
    fact(o, "Standing", &standing(&m.standing));
    o.push_str("</dl>\n</div>\n");
    if !m.problems.is_empty() {
        o.push_str("<div class=\"callout warn\">\n<h3>Files of the model that cannot be read</h3>\n<ul>\n");
        for p in &m.problems {
            w!(o, "<li>{}</li>\n", text(p));
        }
        o.push_str("</ul>\n</div>\n");
    }
    o.push_str("</section>\n");
    deployment(o, &m.deployment);

    o.push_str("<section id=\"gates\" class=\"block\">\n<h2>Gates at a glance</h2>\n");
    table(
        o,
        "",
        &[
            ("#", 4, true),
            ("Gate", 22, false),
            ("State", 19, false),
            ("Approvals", 11, true),
            ("Stale", 7, true),
            ("Signing role", 17, false),
            ("Waiting for", 20, false),
        ],
    );
    o.push_str("<tbody>\n");
    for (i, g) in m.gates.iter().enumerate() {
        w!(
            o,
            "<tr><td class=\"n\">{}</td><td><a href=\"#gate-{}\">{}</a></td><td>{}</td><td class=\"n\">{} of {}</td>\
             <td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
            i + 1,
            i + 1,
            text(&g.title),
            badge(gate_class(g.state), gate_label(g.state)),
            g.approvals,
            g.quorum,
            g.stale,
            text(&g.role),
            g.waiting_for.as_deref().map(text).unwrap_or_else(|| none("—")),
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");

    for (i, g) in m.gates.iter().enumerate() {
        gate(o, i + 1, g);
    }
}

fn standing(s: &Standing) -> String {
    let at = match &s.at_gate {
        Some(g) => format!("; waits at <code>{}</code>", text(g)),
        None => "; every gate passed".to_string(),
    };
    format!("{} of {} gates passed{at}", s.passed, s.gates)
}

fn gate(o: &mut String, n: usize, g: &GateReport) {
    w!(o, "<section id=\"gate-{n}\" class=\"block gate\">\n");
    w!(
        o,
        "<h2><span class=\"gate-no\">Gate {n}</span> {} {}</h2>\n",
        text(&g.title),
        badge(gate_class(g.state), gate_label(g.state))
    );
    o.push_str("<dl class=\"facts cols\">\n");
    fact(o, "Gate id", &format!("<code>{}</code> <span class=\"sub-inline\">· order {}</span>", text(&g.id), g.order));
    fact(o, "State", &badge(gate_class(g.state), gate_label(g.state)));
    fact(o, "Signed by role", &format!("<code>{}</code>", text(&g.role)));
    let orgs =
        if g.distinct_orgs == 1 { "1 organisation".to_string() } else { format!("{} organisations", g.distinct_orgs) };
    let independent = if g.independent { ", none from the model's organisation" } else { "" };
    let approvals = if g.quorum == 1 { "1 approval".to_string() } else { format!("{} approvals", g.quorum) };
    fact(o, "Needs", &format!("{approvals} from at least {orgs}{independent}"));
    fact(o, "Current approvals", &format!("{} of {}", g.approvals, g.quorum));
    fact(o, "Stale sign-offs", &g.stale.to_string());
    if let Some(wf) = &g.waiting_for {
        fact(o, "Waiting for", &text(wf));
    }
    fact(o, "Checklist", &format!("{} {}", file_ref(&g.checklist), badge("s-passed", "in force")));
    fact(
        o,
        "Policy",
        &g.policy.as_deref().map(|p| format!("<code>{}</code>", text(p))).unwrap_or_else(|| none("none named")),
    );
    o.push_str("</dl>\n");

    w!(o, "<h3>Checklist items ({})</h3>\n", g.items.len());
    if g.items.is_empty() {
        o.push_str("<p class=\"empty\">The checklist has no items.</p>\n");
    } else {
        table(o, "items", &[("Item", 33, false), ("State", 14, false), ("Evidence", 33, false), ("Notes", 20, false)]);
        o.push_str("<tbody>\n");
        for item in &g.items {
            item_row(o, item);
        }
        o.push_str("</tbody>\n</table>\n");
    }

    w!(o, "<h3>Sign-offs ({})</h3>\n", g.signoffs.len());
    if g.signoffs.is_empty() {
        o.push_str("<p class=\"empty\">Nobody has signed this gate.</p>\n");
    } else {
        table(
            o,
            "signoffs",
            &[
                ("Member", 17, false),
                ("Decision", 13, false),
                ("Signed at", 12, false),
                ("Commit", 20, false),
                ("Signature", 22, false),
                ("Standing", 16, false),
            ],
        );
        for s in &g.signoffs {
            signoff(o, s);
        }
        o.push_str("</table>\n");
    }
    o.push_str("</section>\n");
}

fn item_row(o: &mut String, item: &ItemReport) {
    o.push_str("<tr>");
    w!(
        o,
        "<td><code class=\"item-id\">{}</code><div class=\"item-text\">{}</div>",
        text(&item.id),
        para_text(&item.text)
    );
    if !item.controls.is_empty() {
        o.push_str("<div class=\"controls\">");
        for c in &item.controls {
            w!(o, "<span class=\"control\">{} <b>{}</b></span> ", text(&c.catalog), text(&c.control));
        }
        o.push_str("</div>");
    }
    o.push_str("</td>");
    w!(o, "<td>{}", badge(item_class(item.state), item_label(item.state)));
    if item.state == ItemState::NotApplicable {
        match &item.reason {
            Some(r) => w!(o, "<div class=\"reason\"><span class=\"k\">Reason:</span> {}</div>", para_text(r)),
            None => w!(o, "<div class=\"reason\">{}</div>", missing("reason missing")),
        }
    }
    o.push_str("</td><td>");
    if item.evidence.is_empty() {
        o.push_str(&none("none cited"));
    }
    for e in &item.evidence {
        evidence(o, e);
    }
    o.push_str("</td><td>");
    if item.notes.is_empty() {
        o.push_str(&none("—"));
    }
    for n in &item.notes {
        w!(o, "<div class=\"note\"><code>{}</code>: {}</div>", text(&n.member), para_text(&n.note));
    }
    o.push_str("</td></tr>\n");
}

fn evidence(o: &mut String, e: &EvidenceRef) {
    w!(o, "<div class=\"evidence\"><div class=\"path\">{}</div>", text(&e.path));
    match (&e.blob, &e.sha256) {
        (Some(blob), Some(sha)) => {
            w!(o, "<div class=\"hash\"><span class=\"k\">blob</span> {}</div>", text(blob));
            w!(o, "<div class=\"hash\"><span class=\"k\">sha256</span> {}</div>", text(sha));
            if let Some(size) = e.size {
                w!(o, "<div class=\"hash\"><span class=\"k\">size</span> {} bytes</div>", thousands(size));
            }
        }
        (blob, sha) => {
            o.push_str(&missing("not in the tree at this commit"));
            if let Some(b) = blob {
                w!(o, "<div class=\"hash\"><span class=\"k\">blob</span> {}</div>", text(b));
            }
            if let Some(s) = sha {
                w!(o, "<div class=\"hash\"><span class=\"k\">sha256</span> {}</div>", text(s));
            }
        }
    }
    o.push_str("</div>");
}

fn signoff(o: &mut String, s: &SignoffReport) {
    o.push_str("<tbody class=\"signoff\">\n<tr>");
    w!(
        o,
        "<td><div class=\"who\">{}</div><code>{}</code> · {}</td>",
        text(&s.member_name),
        text(&s.member),
        text(&s.org)
    );
    w!(o, "<td>{}</td>", badge(decision_class(s.decision), decision_label(s.decision)));
    w!(o, "<td>{}</td>", time(&s.at));
    w!(
        o,
        "<td>{}</td>",
        s.commit
            .as_deref()
            .map(|c| format!("<code class=\"id\">{}</code>", text(c)))
            .unwrap_or_else(|| missing("no commit adds it"))
    );
    w!(o, "<td>{}</td>", signature(&s.signature));
    let current = if s.current { badge("s-passed", "current") } else { badge("s-stale", "stale") };
    let checklist = if s.checklist_in_force {
        badge("s-passed", "checklist in force")
    } else {
        badge("s-stale", "older checklist")
    };
    w!(o, "<td>{current}<br>{checklist}</td></tr>\n");

    o.push_str("<tr class=\"detail\"><td colspan=\"6\">");
    if s.comment.trim().is_empty() {
        o.push_str("<div class=\"comment empty\">No comment.</div>");
    } else {
        w!(o, "<div class=\"comment\">{}</div>", paragraphs(&s.comment));
    }
    w!(
        o,
        "<div class=\"fileref\"><span class=\"k\">File</span> {} · <span class=\"k\">checklist seen</span> <code class=\"id\">{}</code></div>",
        file_ref(&FileRef { path: s.path.clone(), blob: s.blob.clone() }),
        text(&s.checklist)
    );
    if !s.items.is_empty() {
        o.push_str("<ul class=\"recorded\">");
        for i in &s.items {
            w!(o, "<li><code>{}</code> {}", text(&i.id), badge(item_class(i.state), item_label(i.state)));
            for e in &i.evidence {
                w!(o, " <span class=\"k\">evidence</span> <span class=\"path\">{}</span>", text(e));
            }
            if !i.note.is_empty() {
                w!(o, " <span class=\"k\">note</span> {}", text(&i.note));
            }
            o.push_str("</li>");
        }
        o.push_str("</ul>");
    }
    o.push_str("</td></tr>\n</tbody>\n");
}

// ---- the consortium ---------------------------------------------------------------------

fn consortium(o: &mut String, c: &ConsortiumReport) {
    let total: u64 = c.by_gate.iter().map(|g| u64::from(g.models)).sum();
    o.push_str("<section id=\"chart\" class=\"block\">\n<h2>Models by gate</h2>\n");
    w!(
        o,
        "<p class=\"lede\">Where each of the {total} models waits: the first gate in order it has not passed, \
         or released when it has passed every gate.</p>\n"
    );
    // Inline SVG takes its namespace from the HTML parser; the attribute only names it, but
    // without it the page holds no URL at all.
    let svg = chart::models_by_gate(&c.by_gate).replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    w!(o, "<figure class=\"chart\">\n{svg}\n<figcaption>Models by gate at this commit.</figcaption>\n</figure>\n");
    o.push_str("</section>\n");
    if !c.compared.metrics.is_empty() {
        // Every string in it comes from a card and is escaped by `compare`.
        let svg = c.compared.svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
        o.push_str("<section id=\"results\" class=\"block\">\n<h2>Results compared</h2>\n");
        w!(o, "<figure class=\"chart\">\n{svg}\n<figcaption>Model-index results compared across models.</figcaption>\n</figure>\n");
        o.push_str("</section>\n");
    }

    deployment_table(o, c);

    o.push_str("<section id=\"standing\" class=\"block\">\n<h2>Every model's standing</h2>\n");
    o.push_str("<p class=\"legend\">");
    for s in [
        GateState::Passed,
        GateState::InReview,
        GateState::Open,
        GateState::ChangesRequested,
        GateState::Rejected,
        GateState::Locked,
    ] {
        w!(o, "{} ", badge(gate_class(s), gate_label(s)));
    }
    o.push_str("</p>\n");
    // The gates share what the model's columns leave.
    o.push_str("<table class=\"grid standing\">\n<colgroup><col class=\"w16\"><col class=\"w10\"><col class=\"w9\">");
    for _ in &c.gates {
        o.push_str("<col>");
    }
    o.push_str(
        "<col class=\"w8\"></colgroup>\n<thead><tr><th>Model</th><th class=\"n\">Parameters</th><th>Passed</th>",
    );
    for g in &c.gates {
        w!(o, "<th class=\"g\">{}</th>", text(&g.title));
    }
    o.push_str("<th class=\"n\">Problems</th></tr></thead>\n<tbody>\n");
    for m in &c.models {
        standing_row(o, m);
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn standing_row(o: &mut String, m: &ModelStanding) {
    w!(
        o,
        "<tr><td class=\"model\"><div class=\"who\">{}</div><code>{}</code>{}</td><td class=\"n\">{}{}</td><td class=\"nw\">{} of {}{}</td>",
        text(&m.title),
        text(&m.id),
        m.org.as_deref().map(|org| format!(" <span class=\"sub-inline\">· {}</span>", text(org))).unwrap_or_default(),
        m.parameters.map(human_count).unwrap_or_else(|| none("—")),
        m.active_parameters.map(|a| format!("<div class=\"sub\">{} active</div>", human_count(a))).unwrap_or_default(),
        m.standing.passed,
        m.standing.gates,
        m.standing
            .at_gate
            .as_deref()
            .map(|g| format!("<div class=\"sub\">at <code>{}</code></div>", text(g)))
            .unwrap_or_else(|| "<div class=\"sub\">released</div>".into()),
    );
    for s in &m.gates {
        w!(o, "<td class=\"cell c{}\">{}</td>", &gate_class(*s)[1..], gate_label(*s));
    }
    if m.problems > 0 {
        w!(o, "<td class=\"n\">{}</td></tr>\n", missing(&m.problems.to_string()));
    } else {
        o.push_str("<td class=\"n\">0</td></tr>\n");
    }
}

// ---- the deployment estimate ---------------------------------------------------------------

/// A model's deployment estimate: its figures, a row per accelerator, every formula with its
/// numbers and every assumption; or, in words, why there is none.
fn deployment(o: &mut String, d: &DeploymentReport) {
    o.push_str("<section id=\"deployment\" class=\"block\">\n<h2>Deployment estimate</h2>\n");
    let Some(e) = &d.estimate else {
        w!(
            o,
            "<p class=\"empty\">{}</p>\n</section>\n",
            text(d.unavailable.as_deref().unwrap_or("no deployment estimate"))
        );
        return;
    };
    w!(
        o,
        "<p class=\"lede\">What serving the model takes at a context of {} tokens and a batch of {}, from \
         its card at this commit and the consortium's accelerator table. Every figure is an estimate under \
         the assumptions below.</p>\n",
        e.context,
        e.batch
    );
    o.push_str("<dl class=\"facts cols\">\n");
    if let Some(p) = &e.parameters {
        fact(o, "Parameters", &params(Some(p.total)));
        let active = match p.active_from.as_str() {
            "dense" => "all (dense)".to_string(),
            from => format!(
                "{} <span class=\"sub-inline\">(from the {})</span>",
                human_count(p.active.round() as u64),
                text(from)
            ),
        };
        fact(o, "Active per token", &active);
        if let Some(x) = &p.experts {
            fact(
                o,
                "Experts",
                &format!(
                    "{} of {} per token; shared {}{}",
                    x.per_token,
                    x.experts,
                    human_count(x.shared),
                    if x.shared_given { "" } else { " (derived)" }
                ),
            );
        }
    }
    if let Some(wg) = e.weights_gb {
        fact(o, "Weights", &format!("{wg:.1} GB <span class=\"sub-inline\">({})</span>", e.dtype.as_str()));
    }
    if let Some(k) = &e.kv_cache {
        fact(o, "KV cache", &format!("{:.1} GB <span class=\"sub-inline\">({})</span>", k.gb, k.dtype.as_str()));
    }
    if let Some(r) = e.step_read_gb {
        fact(o, "Read per decode step", &format!("{r:.1} GB"));
    }
    o.push_str("</dl>\n");
    if !e.fits.is_empty() {
        table(
            o,
            "",
            &[
                ("Accelerator", 40, false),
                ("Memory", 12, true),
                ("Count", 12, true),
                ("Tokens/s", 16, true),
                ("USD / 1M tokens", 20, true),
            ],
        );
        o.push_str("<tbody>\n");
        for f in &e.fits {
            let a = &f.accelerator;
            w!(
                o,
                "<tr><td><div class=\"who\">{}</div><code>{}</code><div class=\"sub\">{} GB/s, {} USD an hour · {} ({})</div></td>\
                 <td class=\"n\">{} GB</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.2}</td></tr>\n",
                text(&a.name),
                text(&a.id),
                a.bandwidth_gb_s,
                a.usd_per_hour,
                text(&a.source),
                text(&a.as_of),
                a.memory_gb,
                f.count,
                f.tokens_per_second,
                f.usd_per_million_tokens
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("<h3>Formulas</h3>\n<ul class=\"plain\">\n");
    for f in &e.formulas {
        w!(o, "<li><code>{}</code><div class=\"sub\">{}</div></li>\n", text(&f.general), text(&f.here));
    }
    o.push_str("</ul>\n<h3>Assumptions</h3>\n<ul>\n");
    for a in &e.assumptions {
        w!(o, "<li>{}</li>\n", text(a));
    }
    w!(o, "<li>Accelerators from {}.</li>\n</ul>\n", text(&e.table_source));
    for m in &e.missing {
        w!(o, "<p>{}</p>\n", missing(&format!("the card does not give {m}")));
    }
    o.push_str("</section>\n");
}

/// One row per model, with the accelerator that decodes a million tokens cheapest; then the
/// formulas and assumptions the estimates state.
fn deployment_table(o: &mut String, c: &ConsortiumReport) {
    o.push_str("<section id=\"deployment\" class=\"block\">\n<h2>Deployment estimates</h2>\n");
    o.push_str(
        "<p class=\"lede\">Each model at its card's context and a batch of 1. The accelerator column gives \
         the kind of the consortium's table that decodes a million tokens cheapest, and how many of it hold \
         the model's weights and KV cache.</p>\n",
    );
    table(
        o,
        "",
        &[
            ("Model", 22, false),
            ("Parameters", 12, true),
            ("Weights", 12, true),
            ("KV cache", 14, true),
            ("Accelerators", 20, false),
            ("Tokens/s", 9, true),
            ("USD / 1M tokens", 11, true),
        ],
    );
    o.push_str("<tbody>\n");
    for m in &c.models {
        w!(o, "<tr><td><div class=\"who\">{}</div><code>{}</code></td>", text(&m.title), text(&m.id));
        let Some(e) = &m.deployment.estimate else {
            w!(
                o,
                "<td colspan=\"6\">{}</td></tr>\n",
                none(m.deployment.unavailable.as_deref().unwrap_or("no deployment estimate"))
            );
            continue;
        };
        match &e.parameters {
            Some(p) => w!(
                o,
                "<td class=\"n\">{}<div class=\"sub\">{} active</div></td>",
                human_count(p.total),
                human_count(p.active.round() as u64)
            ),
            None => w!(o, "<td class=\"n\">{}</td>", missing("not given")),
        }
        match e.weights_gb {
            Some(wg) => w!(o, "<td class=\"n\">{wg:.1} GB<div class=\"sub\">{}</div></td>", e.dtype.as_str()),
            None => w!(o, "<td class=\"n\">{}</td>", none("—")),
        }
        match &e.kv_cache {
            Some(k) => {
                w!(o, "<td class=\"n\">{:.1} GB<div class=\"sub\">{} tokens × {}</div></td>", k.gb, e.context, e.batch)
            }
            None => w!(o, "<td class=\"n\">{}</td>", missing("not given")),
        }
        match m.deployment.cheapest() {
            Some(f) => w!(
                o,
                "<td>{} × {}<div class=\"sub\"><code>{}</code></div></td><td class=\"n\">{:.1}</td><td class=\"n\">{:.2}</td></tr>\n",
                f.count,
                text(&f.accelerator.name),
                text(&f.accelerator.id),
                f.tokens_per_second,
                f.usd_per_million_tokens
            ),
            None => w!(o, "<td colspan=\"3\">{}</td></tr>\n", none("no accelerator count without the parameters")),
        }
    }
    o.push_str("</tbody>\n</table>\n");
    let (formulas, assumptions) = c.deployment_terms();
    if !formulas.is_empty() {
        o.push_str("<h3>Formulas</h3>\n<ul class=\"plain\">\n");
        for f in &formulas {
            w!(o, "<li><code>{}</code></li>\n", text(f));
        }
        o.push_str("</ul>\n<h3>Assumptions</h3>\n<ul>\n");
        for a in &assumptions {
            w!(o, "<li>{}</li>\n", text(a));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");
}

// ---- a proposal -------------------------------------------------------------------------

fn proposal(o: &mut String, p: &ProposalReport) {
    o.push_str("<section id=\"proposal\" class=\"block\">\n<h2>Proposal</h2>\n<dl class=\"facts cols\">\n");
    fact(o, "Title", &text(&p.title));
    fact(o, "Proposal id", &format!("<code>{}</code>", text(&p.id)));
    fact(o, "State", &badge(proposal_class(p.state), p.state.as_str()));
    fact(o, "Author", &format!("<code>{}</code>", text(&p.author)));
    fact(o, "Branch", &format!("<code>{}</code>", text(&p.branch)));
    fact(o, "Subject (the commit voted on)", &format!("<code class=\"id\">{}</code>", text(&p.subject)));
    fact(
        o,
        "Accepted by merge",
        &p.merged_by
            .as_deref()
            .map(|c| format!("<code class=\"id\">{}</code>", text(c)))
            .unwrap_or_else(|| none("not merged")),
    );
    o.push_str("</dl>\n</section>\n");

    o.push_str("<section id=\"rationale\" class=\"block\">\n<h2>Rationale</h2>\n");
    if p.rationale.trim().is_empty() {
        o.push_str("<p class=\"empty\">The proposal gives no rationale.</p>\n");
    } else {
        w!(o, "<div class=\"prose\">{}</div>\n", paragraphs(&p.rationale));
    }
    o.push_str("</section>\n");

    w!(o, "<section id=\"changes\" class=\"block\">\n<h2>Changed files ({})</h2>\n", p.files.len());
    if p.files.is_empty() {
        o.push_str("<p class=\"empty\">The proposal changes no file.</p>\n");
    } else {
        table(
            o,
            "",
            &[
                ("Path", 30, false),
                ("Blob before", 25, false),
                ("Blob after", 25, false),
                ("Added", 10, true),
                ("Removed", 10, true),
            ],
        );
        o.push_str("<tbody>\n");
        for f in &p.files {
            let blob = |b: &Option<String>, absent: &str| {
                b.as_deref().map(|b| format!("<code class=\"id\">{}</code>", text(b))).unwrap_or_else(|| none(absent))
            };
            w!(
                o,
                "<tr><td class=\"path\">{}</td><td>{}</td><td>{}</td><td class=\"n\">+{}</td><td class=\"n\">−{}</td></tr>\n",
                text(&f.path),
                blob(&f.old_blob, "new file"),
                blob(&f.new_blob, "removed"),
                f.added_lines,
                f.removed_lines
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");

    w!(o, "<section id=\"votes\" class=\"block\">\n<h2>Votes ({})</h2>\n", p.votes.len());
    if p.votes.is_empty() {
        o.push_str("<p class=\"empty\">Nobody has voted.</p>\n");
    } else {
        table(
            o,
            "signoffs",
            &[
                ("Member", 17, false),
                ("Vote", 10, false),
                ("Cast at", 12, false),
                ("Commit", 20, false),
                ("Signature", 20, false),
                ("Subject", 21, false),
            ],
        );
        for v in &p.votes {
            o.push_str("<tbody class=\"signoff\">\n<tr>");
            w!(
                o,
                "<td><div class=\"who\">{}</div><code>{}</code> · {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                text(&v.member_name),
                text(&v.member),
                text(&v.org),
                badge(vote_class(v.vote), v.vote.as_str()),
                time(&v.at),
                v.commit
                    .as_deref()
                    .map(|c| format!("<code class=\"id\">{}</code>", text(c)))
                    .unwrap_or_else(|| missing("no commit writes it")),
                signature(&v.signature),
            );
            let outdated = if v.outdated { badge("s-stale", "outdated") } else { badge("s-passed", "current subject") };
            w!(o, "<td>{outdated}<div class=\"hash\">{}</div></td></tr>\n", text(&v.subject));
            if !v.comment.trim().is_empty() {
                w!(
                    o,
                    "<tr class=\"detail\"><td colspan=\"6\"><div class=\"comment\">{}</div></td></tr>\n",
                    paragraphs(&v.comment)
                );
            }
            o.push_str("</tbody>\n");
        }
        o.push_str("</table>\n");
    }
    o.push_str("</section>\n");

    let d = &p.deliberation;
    o.push_str("<section id=\"deliberation\" class=\"block\">\n<h2>Deliberation</h2>\n<dl class=\"facts cols\">\n");
    fact(o, "Votes counted on subject", &format!("<code class=\"id\">{}</code>", text(&d.subject)));
    fact(
        o,
        "Quorum",
        &format!("{} of {} voting members ({} approvals needed)", text(&d.quorum), d.voters.len(), d.needed),
    );
    fact(o, "Approvals", &format!("{} of {} needed: {}", d.approvals.len(), d.needed, list(&d.approvals, "none")));
    fact(o, "Abstentions", &list(&d.abstentions, "none"));
    fact(o, "Outdated votes", &list(&d.outdated, "none"));
    fact(o, "Waiting for", &list(&d.waiting, "nobody"));
    fact(o, "Votes that do not count (not voting members)", &list(&d.ignored, "none"));
    fact(o, "Voting members", &list(&d.voters, "none"));
    let period = match (&d.period_started, &d.period_ends) {
        (Some(s), Some(e)) => format!("{} days, from {} to {}", d.final_comment_days, time(s), time(e)),
        (Some(s), None) => format!("{} days, from {}", d.final_comment_days, time(s)),
        _ => format!("{} days; not running", d.final_comment_days),
    };
    fact(o, "Final comment period", &period);
    o.push_str("</dl>\n");
    w!(o, "<h3>Standing objections ({})</h3>\n", d.objections.len());
    if d.objections.is_empty() {
        o.push_str("<p class=\"empty\">No standing objection.</p>\n");
    } else {
        o.push_str("<ul class=\"objections\">\n");
        for ob in &d.objections {
            w!(
                o,
                "<li><code>{}</code> at {}<div class=\"comment\">{}</div></li>\n",
                text(&ob.member),
                time(&ob.at),
                paragraphs(&ob.comment)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</section>\n");

    o.push_str("<section id=\"outcome\" class=\"block\">\n<h2>Outcome</h2>\n");
    match &p.outcome {
        None => o.push_str("<p class=\"empty\">The proposal is still open: nobody has closed it.</p>\n"),
        Some(out) => {
            o.push_str("<dl class=\"facts cols\">\n");
            fact(o, "Outcome", &badge(proposal_class(out.outcome), out.outcome.as_str()));
            fact(o, "Closed by", &format!("<code>{}</code>", text(&out.member)));
            fact(o, "At", &time(&out.at));
            let comment = if out.comment.trim().is_empty() { none("no comment") } else { paragraphs(&out.comment) };
            fact(o, "Comment", &comment);
            o.push_str("</dl>\n");
        }
    }
    o.push_str("</section>\n");
}

// ---- every scope ------------------------------------------------------------------------

fn findings(o: &mut String, r: &Report) {
    let what = match r.scope.kind {
        ScopeKind::Consortium => "in the history",
        ScopeKind::Model => "that touches this model",
        ScopeKind::Proposal => "that touches this proposal",
    };
    w!(o, "<section id=\"findings\" class=\"block\">\n<h2>Verification findings ({})</h2>\n", r.findings.len());
    w!(
        o,
        "<p class=\"lede\"><code>gatehouse verify</code> checked {} commits up to this one; this is everything it \
         finds {what}.</p>\n",
        r.commits_verified
    );
    if r.findings.is_empty() {
        o.push_str("<p class=\"ok-line\">No findings.</p>\n");
    } else {
        table(
            o,
            "",
            &[
                ("Kind", 14, false),
                ("Commit", 22, false),
                ("Path", 24, false),
                ("Member", 12, false),
                ("What verify found", 28, false),
            ],
        );
        o.push_str("<tbody>\n");
        for f in &r.findings {
            finding(o, f);
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");
}

fn finding(o: &mut String, f: &FindingReport) {
    w!(
        o,
        "<tr><td>{}</td><td><code class=\"id\">{}</code></td><td class=\"path\">{}</td><td>{}</td><td>{}</td></tr>\n",
        badge("s-rejected", &f.kind),
        text(&f.commit),
        f.path.as_deref().map(text).unwrap_or_else(|| none("—")),
        f.member.as_deref().map(|m| format!("<code>{}</code>", text(m))).unwrap_or_else(|| none("—")),
        para_text(&f.message)
    );
}

fn policies(o: &mut String, ps: &[PolicyInForce]) {
    w!(o, "<section id=\"policies\" class=\"block\">\n<h2>Policies in force ({})</h2>\n", ps.len());
    if ps.is_empty() {
        o.push_str("<p class=\"empty\">No policy is in force at this commit.</p>\n</section>\n");
        return;
    }
    table(
        o,
        "",
        &[
            ("Policy", 18, false),
            ("Version", 8, false),
            ("File", 24, false),
            ("Last changed", 20, false),
            ("Changed by accepted proposals", 30, false),
        ],
    );
    o.push_str("<tbody>\n");
    for p in ps {
        w!(
            o,
            "<tr><td><div class=\"who\">{}</div><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>",
            text(&p.title),
            text(&p.id),
            p.version.as_deref().map(text).unwrap_or_else(|| none("none given")),
            file_ref(&p.file),
            match (&p.changed_in, &p.changed_at) {
                (Some(c), Some(at)) =>
                    format!("<code class=\"id\">{}</code><div class=\"sub\">{}</div>", text(c), time(at)),
                (Some(c), None) => format!("<code class=\"id\">{}</code>", text(c)),
                _ => none("unknown"),
            }
        );
        if p.proposals.is_empty() {
            o.push_str(&none("none"));
        } else {
            o.push_str("<ul class=\"plain\">");
            for pr in &p.proposals {
                w!(
                    o,
                    "<li><code>{}</code> {}<div class=\"sub\">merged in <code class=\"id\">{}</code> at {}</div></li>",
                    text(&pr.id),
                    text(&pr.title),
                    text(&pr.commit),
                    time(&pr.at)
                );
            }
            o.push_str("</ul>");
        }
        o.push_str("</td></tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn crosswalk(o: &mut String, r: &Report) {
    w!(
        o,
        "<section id=\"crosswalk\" class=\"block\">\n<h2>Crosswalk to external controls ({})</h2>\n",
        r.crosswalk.len()
    );
    if r.crosswalk.is_empty() {
        o.push_str("<p class=\"empty\">No checklist item in scope names an external control.</p>\n</section>\n");
        return;
    }
    let with_state = r.crosswalk.iter().any(|c| c.state.is_some());
    let mut cols =
        vec![("Catalog", 18, false), ("Control", 22, false), ("Gate", 20, false), ("Checklist item", 24, false)];
    if with_state {
        cols.push(("State", 16, false));
    }
    table(o, "", &cols);
    o.push_str("<tbody>\n");
    for c in &r.crosswalk {
        crosswalk_row(o, c, with_state);
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn crosswalk_row(o: &mut String, c: &CrosswalkRow, with_state: bool) {
    w!(
        o,
        "<tr><td><code>{}</code></td><td><b>{}</b></td><td><code>{}</code></td><td><code>{}</code></td>",
        text(&c.catalog),
        text(&c.control),
        text(&c.gate),
        text(&c.item)
    );
    if with_state {
        match c.state {
            Some(s) => w!(o, "<td>{}</td>", badge(item_class(s), item_label(s))),
            None => o.push_str("<td></td>"),
        }
    }
    o.push_str("</tr>\n");
}

// ---- small pieces -----------------------------------------------------------------------

/// Opens a table and writes its head. Each column has a fixed share of the width (in percent),
/// so a long unbroken string from the repository wraps in its cell instead of widening the page.
fn table(o: &mut String, class: &str, cols: &[(&str, u32, bool)]) {
    w!(o, "<table class=\"grid {class}\">\n<colgroup>");
    for (_, width, _) in cols {
        w!(o, "<col class=\"w{width}\">");
    }
    o.push_str("</colgroup>\n<thead><tr>");
    for (title, _, numeric) in cols {
        if *numeric {
            w!(o, "<th class=\"n\">{title}</th>");
        } else {
            w!(o, "<th>{title}</th>");
        }
    }
    o.push_str("</tr></thead>\n");
}

fn fact(o: &mut String, term: &str, html: &str) {
    w!(o, "<div><dt>{term}</dt><dd>{html}</dd></div>\n");
}

fn badge(class: &str, label: &str) -> String {
    format!("<span class=\"badge {class}\">{}</span>", text(label))
}

fn none(what: &str) -> String {
    format!("<span class=\"none\">{}</span>", text(what))
}

/// Something an auditor must not overlook: shown in words, with a marker that survives print.
fn missing(what: &str) -> String {
    format!("<span class=\"missing\">⚠ {}</span>", text(what))
}

fn list(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        return none(empty);
    }
    items.iter().map(|i| text(i)).collect::<Vec<_>>().join(", ")
}

fn file_ref(f: &FileRef) -> String {
    format!(
        "<span class=\"path\">{}</span> <span class=\"k\">blob</span> <code class=\"id\">{}</code>",
        text(&f.path),
        text(&f.blob)
    )
}

/// A moment as a reader reads it, `2026-11-29 17:00:00 UTC`, in a `<time>` element that keeps
/// it machine-readable; a string that is not RFC 3339 is shown as it is.
fn time(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let t = t.with_timezone(&chrono::Utc);
            format!(
                "<time datetime=\"{}\"><span class=\"nw\">{}</span> <span class=\"nw\">{} UTC</span></time>",
                t.format("%Y-%m-%dT%H:%M:%SZ"),
                t.format("%Y-%m-%d"),
                t.format("%H:%M:%S")
            )
        }
        Err(_) => format!("<time>{}</time>", text(at)),
    }
}

/// The short form of an id, for the window title only: the page shows ids in full.
fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

fn signature(s: &SignatureCheck) -> String {
    let class = match s.status {
        SignatureState::Good => "s-passed",
        SignatureState::Unsigned => "s-changes",
        SignatureState::Bad => "s-rejected",
        SignatureState::KeyNotListed => "s-changes",
    };
    let mut out = badge(class, s.status.as_str());
    if let Some(fp) = &s.fingerprint {
        w!(out, "<div class=\"hash\"><span class=\"k\">key</span> {}</div>", text(fp));
    }
    if let Some(reason) = &s.reason {
        w!(out, "<div class=\"sub\">{}</div>", text(reason));
    }
    out
}

/// Plain text with its line breaks kept: a short field (an item's text, a note).
fn para_text(s: &str) -> String {
    text(s.trim()).replace('\n', "<br>")
}

/// Plain text in paragraphs: blank lines part paragraphs, single newlines break lines. Never
/// Markdown or HTML: whatever markup it holds is shown as the characters it is.
fn paragraphs(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    let mut out = String::with_capacity(s.len() + 32);
    for p in s.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        w!(out, "<p>{}</p>", text(p).replace('\n', "<br>"));
    }
    out
}

/// Parameter counts as people say them, then exactly: `1.6T (1,600,000,000,000)`.
fn params(n: Option<u64>) -> String {
    match n {
        None => none("not given"),
        Some(n) if n < 1_000_000 => thousands(n),
        Some(n) => format!("<b>{}</b> <span class=\"sub-inline\">({})</span>", human_count(n), thousands(n)),
    }
}

/// `1.6T`, `200B`, `1.4B`, as the command line writes them.
fn human_count(n: u64) -> String {
    let (value, unit) = match n {
        n if n >= 1_000_000_000_000 => (n as f64 / 1e12, "T"),
        n if n >= 1_000_000_000 => (n as f64 / 1e9, "B"),
        n if n >= 1_000_000 => (n as f64 / 1e6, "M"),
        n => return thousands(n),
    };
    let s = format!("{value:.1}");
    format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s))
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn gate_class(s: GateState) -> &'static str {
    match s {
        GateState::Locked => "s-locked",
        GateState::Open => "s-open",
        GateState::InReview => "s-review",
        GateState::Passed => "s-passed",
        GateState::ChangesRequested => "s-changes",
        GateState::Rejected => "s-rejected",
    }
}

fn gate_label(s: GateState) -> &'static str {
    match s {
        GateState::Locked => "locked",
        GateState::Open => "open",
        GateState::InReview => "in review",
        GateState::Passed => "passed",
        GateState::ChangesRequested => "changes requested",
        GateState::Rejected => "rejected",
    }
}

fn item_class(s: ItemState) -> &'static str {
    match s {
        ItemState::Done => "s-passed",
        ItemState::NotApplicable => "s-review",
        ItemState::Open => "s-open",
    }
}

fn item_label(s: ItemState) -> &'static str {
    match s {
        ItemState::Done => "done",
        ItemState::NotApplicable => "not applicable",
        ItemState::Open => "open",
    }
}

fn decision_class(d: Decision) -> &'static str {
    match d {
        Decision::Approve => "s-passed",
        Decision::ChangesRequested => "s-changes",
        Decision::Reject => "s-rejected",
        Decision::Withdraw => "s-withdrawn",
    }
}

fn decision_label(d: Decision) -> &'static str {
    match d {
        Decision::Approve => "approve",
        Decision::ChangesRequested => "changes requested",
        Decision::Reject => "reject",
        Decision::Withdraw => "withdrawn",
    }
}

fn vote_class(v: VoteKind) -> &'static str {
    match v {
        VoteKind::Approve => "s-passed",
        VoteKind::Object => "s-rejected",
        VoteKind::Abstain => "s-open",
    }
}

fn proposal_class(s: ProposalState) -> &'static str {
    match s {
        ProposalState::Open => "s-review",
        ProposalState::Accepted => "s-passed",
        ProposalState::Withdrawn => "s-locked",
        ProposalState::Rejected => "s-rejected",
    }
}

/// The stylesheet: the app's light palette, system fonts only, and a print layout in which
/// each gate starts a page and states read without colour (every badge has words and a border).
const STYLE: &str = r#":root {
  --ink: #1a1e26; --ink-2: #454d5c; --ink-3: #626a79;
  --line: #e1e4ea; --line-2: #c9ced8; --paper: #ffffff; --wash: #f5f6f8; --wash-2: #eef0f4;
  --accent: #3a4bbf;
  --passed: #1c7240; --passed-bg: #e3f3e9;
  --review: #1d5cb8; --review-bg: #e5eefc;
  --open: #4b596e; --open-bg: #edf0f4;
  --changes: #8f5200; --changes-bg: #fcefd8;
  --rejected: #b0202b; --rejected-bg: #fce6e7;
  --stale: #8339b0; --stale-bg: #f3e8fa;
  --locked: #656c78; --locked-bg: #eef0f2;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { background: var(--wash); }
body { margin: 0 auto; max-width: 1180px; padding: 32px 40px 48px; background: var(--paper); color: var(--ink);
  font: 14px/1.5 var(--sans); -webkit-text-size-adjust: 100%; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h1 { font-size: 28px; font-weight: 700; letter-spacing: -0.01em; margin: 4px 0 20px; overflow-wrap: anywhere; }
h2 { font-size: 20px; font-weight: 650; margin-bottom: 14px; overflow-wrap: anywhere; }
h3 { font-size: 15px; font-weight: 650; margin: 22px 0 10px; color: var(--ink-2); }
p { margin: 0 0 8px; }
code, .path, .hash { font-family: var(--mono); font-size: 12.5px; }
code.id, .hash { overflow-wrap: anywhere; word-break: break-all; }
.path { overflow-wrap: anywhere; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.kicker { margin: 0; color: var(--accent); font-weight: 600; font-size: 13px; letter-spacing: 0.04em; text-transform: uppercase; }
.doc-head { border-bottom: 3px solid var(--accent); padding-bottom: 20px; margin-bottom: 24px; }
.facts { margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 10px 28px; }
.facts > div { min-width: 0; border-top: 1px solid var(--line); padding-top: 6px; }
.facts dt { font-size: 11.5px; font-weight: 600; color: var(--ink-3); text-transform: uppercase; letter-spacing: 0.05em; }
.facts dd { margin: 2px 0 0; overflow-wrap: anywhere; }
.toc { background: var(--wash); border: 1px solid var(--line); border-radius: 10px; padding: 14px 22px; margin-bottom: 28px; }
.toc h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--ink-3); margin-bottom: 6px; }
.toc ol { margin: 0; padding-left: 20px; columns: 2; column-gap: 40px; }
.toc ol ol { columns: 1; list-style: decimal; }
.toc li { margin: 2px 0; break-inside: avoid; }
.block { margin: 0 0 36px; }
.gate { border-top: 1px solid var(--line-2); padding-top: 26px; }
.gate-no { color: var(--ink-3); font-weight: 500; margin-right: 4px; }
.gate h2 .badge { vertical-align: 3px; margin-left: 6px; }
.summary { background: var(--wash); border-radius: 10px; padding: 16px 20px; }
.summary .facts > div { border-top-color: var(--line-2); }
.lede { color: var(--ink-2); }
.empty, .none { color: var(--ink-3); font-style: italic; }
.ok-line { color: var(--passed); font-weight: 600; }
.missing { color: var(--rejected); font-weight: 700; background: var(--rejected-bg); border: 1px solid var(--rejected);
  border-radius: 4px; padding: 0 5px; white-space: nowrap; }
.k { color: var(--ink-3); font-family: var(--sans); font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; margin-right: 3px; }
.sub { color: var(--ink-3); font-size: 12px; }
.sub-inline { color: var(--ink-3); }
.who { font-weight: 600; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 999px; padding: 0 9px; font-size: 12px;
  font-weight: 600; line-height: 20px; white-space: nowrap; }
.s-passed { color: var(--passed); background: var(--passed-bg); }
.s-review { color: var(--review); background: var(--review-bg); }
.s-open { color: var(--open); background: var(--open-bg); }
.s-changes { color: var(--changes); background: var(--changes-bg); }
.s-rejected { color: var(--rejected); background: var(--rejected-bg); }
.s-stale { color: var(--stale); background: var(--stale-bg); }
.s-locked { color: var(--locked); background: var(--locked-bg); }
.badge.s-locked { border-style: dashed; }
.nw { white-space: nowrap; }
.callout { border-radius: 8px; padding: 12px 16px; margin-top: 14px; }
.callout.warn { background: var(--changes-bg); border: 1px solid var(--changes); }
.callout h3 { margin: 0 0 6px; color: var(--changes); }
.callout ul { margin: 0; padding-left: 20px; }
table.grid { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
.grid th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--ink-3);
  font-weight: 600; border-bottom: 2px solid var(--line-2); padding: 6px 8px; vertical-align: bottom; }
.grid td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: top; overflow-wrap: break-word; }
.grid tbody tr:nth-child(even) > td { background: #fafbfc; }
.grid .n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.w4 { width: 4%; } .w11 { width: 11%; } .w7 { width: 7%; } .w8 { width: 8%; } .w9 { width: 9%; } .w10 { width: 10%; } .w12 { width: 12%; }
.w13 { width: 13%; } .w14 { width: 14%; } .w16 { width: 16%; } .w17 { width: 17%; } .w18 { width: 18%; }
.w19 { width: 19%; } .w20 { width: 20%; } .w21 { width: 21%; } .w22 { width: 22%; } .w23 { width: 23%; }
.w24 { width: 24%; } .w25 { width: 25%; } .w28 { width: 28%; } .w30 { width: 30%; } .w33 { width: 33%; }
.w40 { width: 40%; }
.item-id { font-weight: 600; color: var(--ink); }
.item-text { margin-top: 2px; }
.controls { margin-top: 6px; }
.control { display: inline-block; font-size: 11.5px; color: var(--review); border: 1px solid var(--review-bg);
  background: var(--review-bg); border-radius: 4px; padding: 0 5px; margin: 0 4px 3px 0; }
.reason { margin-top: 6px; font-size: 12.5px; }
.evidence + .evidence { margin-top: 8px; padding-top: 8px; border-top: 1px dashed var(--line); }
.evidence .path { font-weight: 600; color: var(--ink); }
.evidence .hash, .signoffs .hash { color: var(--ink-2); font-size: 11.5px; }
.note + .note { margin-top: 6px; }
.signoffs tbody.signoff > tr > td { background: var(--paper); }
.signoffs tbody.signoff > tr:first-child > td { border-bottom: none; padding-bottom: 2px; }
.signoffs tbody.signoff > tr:only-child > td { border-bottom: 1px solid var(--line-2); padding-bottom: 7px; }
.signoffs tbody.signoff > tr.detail > td { border-bottom: 1px solid var(--line-2); padding-top: 2px; color: var(--ink-2); }
.signoffs .badge + br + .badge { margin-top: 3px; }
.comment { font-size: 13px; color: var(--ink); border-left: 3px solid var(--line-2); padding: 2px 0 2px 10px; margin: 4px 0 6px; }
.comment p:last-child { margin-bottom: 0; }
.comment.empty { color: var(--ink-3); border-left-color: var(--line); }
.fileref { font-size: 12px; }
.recorded { list-style: none; margin: 6px 0 2px; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
.recorded .badge { font-size: 11px; line-height: 16px; padding: 0 6px; }
.prose { max-width: 760px; font-size: 14.5px; }
.prose p { margin-bottom: 10px; white-space: normal; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li + li { margin-top: 6px; }
.objections li { margin-bottom: 10px; }
.chart { margin: 8px 0 16px; overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; }
.chart figcaption { color: var(--ink-3); font-size: 12px; margin-top: 4px; }
.legend .badge { margin-right: 4px; }
.standing { font-size: 12.5px; }
.standing th.g { font-size: 10.5px; text-transform: none; letter-spacing: 0; text-align: center; padding: 6px 3px;
  overflow-wrap: anywhere; }
.standing td { padding: 6px 6px; }
.standing td.model { min-width: 180px; overflow-wrap: break-word; }
.standing td.cell { font-size: 11px; font-weight: 600; text-align: center; vertical-align: middle; padding: 4px 3px;
  border-left: 2px solid var(--paper); line-height: 1.2; }
.standing tbody tr > td.c-passed { color: var(--passed); background: var(--passed-bg); }
.standing tbody tr > td.c-review { color: var(--review); background: var(--review-bg); }
.standing tbody tr > td.c-open { color: var(--open); background: var(--open-bg); }
.standing tbody tr > td.c-changes { color: var(--changes); background: var(--changes-bg); }
.standing tbody tr > td.c-rejected { color: var(--rejected); background: var(--rejected-bg); }
.standing tbody tr > td.c-locked { color: var(--locked); background: #f7f8f9; font-weight: 400; }
.doc-foot { margin-top: 40px; border-top: 1px solid var(--line-2); padding-top: 14px; color: var(--ink-3); font-size: 12px; }
@media print {
  @page { size: A4; margin: 16mm 14mm 18mm; }
  html, body { background: #fff; }
  body { max-width: none; padding: 0; font-size: 10pt; color: #000; }
  .gate { break-before: page; border-top: none; padding-top: 0; }
  #findings, #standing { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, .facts > div, tbody.signoff, .evidence { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; }
  .badge, .missing { color: #000 !important; background: none !important; border: 1px solid #000; white-space: normal;
    border-radius: 4px; }
  table.grid { font-size: 8.5pt; }
  .nw { white-space: normal; }
  .grid th { font-size: 7.5pt; letter-spacing: 0.02em; }
  .s-locked { border-style: dashed; }
  .standing td.cell { color: #000 !important; background: none !important; border: 1px solid #bbb; }
  .summary, .toc { background: none; border: 1px solid #999; }
  .grid tbody tr:nth-child(even) > td { background: none; }
  .chart { overflow: visible; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_shows_hidden_characters() {
        assert_eq!(text("<b a=\"x\">&'"), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
        assert_eq!(text("a\u{202e}b\u{0}c\u{7f}"), "a[U+202E]b[U+0000]c[U+007F]");
        assert_eq!(text("line\nnext\ttab"), "line\nnext\ttab");
    }

    #[test]
    fn counts_read_as_people_say_them_and_exactly() {
        assert_eq!(human_count(1_600_000_000_000), "1.6T");
        assert_eq!(human_count(200_000_000_000), "200B");
        assert_eq!(thousands(1_600_000_000_000), "1,600,000,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn paragraphs_keep_breaks_and_never_markup() {
        assert_eq!(paragraphs("a\nb\r\n\r\n<i>c</i>"), "<p>a<br>b</p><p>&lt;i&gt;c&lt;/i&gt;</p>");
    }
}
