//! OSCAL 1.1 assessment results (oscal-version 1.1.2): one finding per checklist item, one
//! observation per sign-off, UUIDs derived from git object ids.
//!
//! The mapping, as docs/format.md ("Audit reports") describes it:
//!
//! - `metadata`: the report's title; `published` and `last-modified` are the commit's date and
//!   `version` its id, so the document changes only when the commit does. Parties: the
//!   consortium, the organisations of the members who signed (or voted), and those members;
//!   roles: `prepared-for` (the consortium) and each review role a signer signed in.
//! - `import-ap`: OSCAL wants the assessment plan; Gatehouse's plan is the framework in the
//!   repository at the commit, so `href` is a fragment (`#<uuid>`) naming a back-matter resource
//!   that lists the checklists in force (path and blob id) and the policies.
//! - one `result` for the commit. `reviewed-controls` holds one control selection per external
//!   control of the crosswalk: its `control-id` is the control as an OSCAL token (`MEASURE 2.7`
//!   becomes `measure-2.7`) and its props keep the catalog and the original label. A report
//!   whose checklists map no control has one empty selection saying so (OSCAL requires one).
//! - model report: an `observation` per sign-off (method `EXAMINE`, `collected` the sign-off's
//!   date, relevant evidence per evidence file with its git blob id and SHA-256) and a `finding`
//!   per checklist item, targeting the item as an objective: done is `satisfied` (reason
//!   `pass`), not applicable is `satisfied` with reason `other` and the reason given (or its
//!   absence) in the status remarks, open is `not-satisfied`. Each finding relates the
//!   sign-offs that recorded the item.
//! - consortium-wide report: no observations (it carries no sign-offs), a finding per model and
//!   gate (`satisfied` when the gate passed).
//! - proposal report: an observation per vote and one finding, the decision (`satisfied` when
//!   the proposal was accepted).
//!
//! Gatehouse's own props carry the namespace [`NS`]. UUIDs are version 5 over [`NAMESPACE`]:
//! a sign-off's observation is named by the file's path and blob id, so it keeps its UUID in
//! every report that contains it; the document, the result and the findings are named by the
//! commit and the ids of what they describe. The same report always renders the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use uuid::Uuid;

use super::{
    ConsortiumReport, EvidenceRef, GateReport, ItemReport, ModelReport, ProposalReport, Report, ScopeKind,
    SignatureCheck, SignoffReport, VoteReport,
};
use crate::proposal::ProposalState;
use crate::rules::GateState;
use crate::signoff::{format_at, parse_at, ItemState};

/// The OSCAL version the document is written against (NIST's release v1.1.2).
pub const OSCAL_VERSION: &str = "1.1.2";

/// The namespace of Gatehouse's own props. `.invalid` is reserved (RFC 2606): the URI names,
/// it does not locate.
pub const NS: &str = "https://gatehouse.invalid/ns/oscal";

/// The namespace of every UUID the export makes: the version 5 UUID of [`NS`] in the URL
/// namespace of RFC 9562, fixed here so that it never changes.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x5617dde1_f640_51b4_a27b_94b3b959350a);

/// The UUID the export gives the thing `name` names.
pub fn uuid_for(name: &str) -> String {
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// A label as an OSCAL token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`): ASCII lowercase, runs of
/// other characters as one `-`, and a leading `_` when it would not start with a letter.
pub fn token(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        trimmed.to_string()
    } else {
        format!("_{trimmed}")
    }
}

/// The whole document, pretty-printed, ending with a newline.
pub fn render(report: &Report) -> String {
    let doc = Document { assessment_results: assessment_results(report) };
    let mut out = serde_json::to_string_pretty(&doc).expect("an OSCAL document serializes");
    out.push('\n');
    out
}

// The document's types, in OSCAL's order of properties. Empty lists are left out: OSCAL wants
// at least one item in every list it has.

#[derive(Serialize)]
struct Document {
    #[serde(rename = "assessment-results")]
    assessment_results: AssessmentResults,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct AssessmentResults {
    uuid: String,
    metadata: Metadata,
    import_ap: ImportAp,
    results: Vec<ResultEntry>,
    back_matter: BackMatter,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    published: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    roles: Vec<Role>,
    parties: Vec<Party>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    responsible_parties: Vec<ResponsibleParty>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Prop {
    name: &'static str,
    ns: &'static str,
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Role {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Party {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    member_of_organizations: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResponsibleParty {
    role_id: String,
    party_uuids: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ImportAp {
    href: String,
    remarks: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResultEntry {
    uuid: String,
    title: String,
    description: String,
    start: String,
    end: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ReviewedControls {
    control_selections: Vec<ControlSelection>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlSelection {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    include_controls: Vec<SelectControl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SelectControl {
    control_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Observation {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    methods: Vec<&'static str>,
    types: Vec<&'static str>,
    origins: Vec<Origin>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relevant_evidence: Vec<Evidence>,
    collected: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
struct Origin {
    actors: Vec<Actor>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Actor {
    #[serde(rename = "type")]
    kind: &'static str,
    actor_uuid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Evidence {
    href: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Finding {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    target: Target,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<RelatedObservation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Target {
    #[serde(rename = "type")]
    kind: &'static str,
    target_id: String,
    title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    status: Status,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Status {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedObservation {
    observation_uuid: String,
}

#[derive(Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Resource {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rlinks: Vec<RLink>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RLink {
    href: String,
}

/// Gatehouse props, in the order they are added; a value with nothing printable is left out
/// (OSCAL's strings have no leading or trailing space and no line break).
#[derive(Default)]
struct Props(Vec<Prop>);

impl Props {
    fn add(&mut self, name: &'static str, value: impl AsRef<str>) -> &mut Self {
        self.add_with(name, value, None, None)
    }

    fn add_with(
        &mut self,
        name: &'static str,
        value: impl AsRef<str>,
        class: Option<String>,
        group: Option<String>,
    ) -> &mut Self {
        let value = one_line(value.as_ref());
        if !value.is_empty() {
            self.0.push(Prop { name, ns: NS, value, class, group });
        }
        self
    }

    fn opt(&mut self, name: &'static str, value: Option<impl AsRef<str>>) -> &mut Self {
        if let Some(v) = value {
            self.add(name, v);
        }
        self
    }

    fn signature(&mut self, sig: &SignatureCheck) -> &mut Self {
        self.add("signature", spelled(&sig.status))
            .opt("key-fingerprint", sig.fingerprint.as_deref())
            .opt("signature-reason", sig.reason.as_deref())
    }
}

/// OSCAL's StringDatatype (`^\S(.*\S)?$`): whitespace and line breaks as single spaces,
/// trimmed. U+FEFF counts as space for the validators' regular expressions, not for Rust.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{feff}').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A value as the JSON report spells it (`key-not-listed`, `changes-requested`).
fn spelled<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// A date OSCAL accepts (RFC 3339 with a time zone, years 1900 to 2999), in UTC; `None` when
/// the text is no such date.
fn oscal_date(s: &str) -> Option<String> {
    let at = parse_at(s)?;
    let year = chrono::Datelike::year(&at);
    (1900..=2999).contains(&year).then(|| format_at(at))
}

/// A repository path as a relative URI reference: unreserved characters and `/` as they are,
/// every other byte percent-encoded.
fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// What every part of the document refers to: the commit's date, the parties by id.
struct Context<'a> {
    report: &'a Report,
    date: String,
    consortium_uuid: String,
}

impl<'a> Context<'a> {
    fn new(report: &'a Report) -> Self {
        // A commit date is always a date; the fallback only keeps the document valid.
        let date = oscal_date(&report.commit.date).unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        Context { report, date, consortium_uuid: uuid_for(&format!("party/consortium/{}", report.consortium)) }
    }

    fn scope_name(&self) -> String {
        format!("{}/{}/{}", self.report.commit.id, self.report.scope.kind.as_str(), self.report.scope.id)
    }

    /// A date from the record, or the commit's date when the record's is unreadable.
    fn date_or_commit(&self, s: &str) -> String {
        oscal_date(s).unwrap_or_else(|| self.date.clone())
    }
}

fn member_uuid(member: &str) -> String {
    uuid_for(&format!("party/member/{member}"))
}

fn org_uuid(org: &str) -> String {
    uuid_for(&format!("party/organisation/{org}"))
}

fn signoff_uuid(s: &SignoffReport) -> String {
    uuid_for(&format!("signoff/{}/{}", s.path, s.blob))
}

fn vote_uuid(proposal: &str, v: &VoteReport) -> String {
    uuid_for(&format!("vote/{proposal}/{}/{}/{}", v.member, v.commit.as_deref().unwrap_or(""), v.at))
}

fn assessment_results(report: &Report) -> AssessmentResults {
    let cx = Context::new(report);
    let plan = plan_resource(&cx);
    let mut resources = vec![plan.0];
    resources.extend(policy_resources(&cx));
    AssessmentResults {
        uuid: uuid_for(&format!("assessment-results/{}", cx.scope_name())),
        metadata: metadata(&cx),
        import_ap: ImportAp {
            href: format!("#{}", plan.1),
            remarks: "The assessment plan is the consortium's gate framework as the repository holds it at the \
                      commit: the back-matter resource this fragment names lists its checklists and policies."
                .to_string(),
        },
        results: vec![result(&cx)],
        back_matter: BackMatter { resources },
    }
}

/// Who signed or voted: each member once, by id, with their name and organisation; and the
/// members who signed (or voted) in each role.
#[derive(Default)]
struct Signers {
    members: BTreeMap<String, (String, String)>,
    roles: BTreeMap<String, BTreeSet<String>>,
}

impl Signers {
    fn add(&mut self, role: &str, member: &str, name: &str, org: &str) {
        self.members.entry(member.to_string()).or_insert_with(|| (name.to_string(), org.to_string()));
        self.roles.entry(role.to_string()).or_default().insert(member.to_string());
    }

    fn of(report: &Report) -> Signers {
        let mut out = Signers::default();
        for g in report.model.iter().flat_map(|m| m.gates.iter()) {
            for s in &g.signoffs {
                out.add(&g.role, &s.member, &s.member_name, &s.org);
            }
        }
        for v in report.proposal.iter().flat_map(|p| p.votes.iter()) {
            out.add(crate::proposal::VOTING_ROLE, &v.member, &v.member_name, &v.org);
        }
        out
    }
}

fn metadata(cx: &Context) -> Metadata {
    let report = cx.report;
    let Signers { members, roles: signed_roles } = Signers::of(report);
    let consortium_name = one_line(&report.consortium);
    let mut parties = vec![Party {
        uuid: cx.consortium_uuid.clone(),
        kind: "organization",
        name: if consortium_name.is_empty() { "consortium".to_string() } else { consortium_name },
        short_name: None,
        member_of_organizations: vec![],
    }];
    let orgs: BTreeSet<&str> =
        members.values().map(|(_, org)| org.as_str()).filter(|o| !one_line(o).is_empty()).collect();
    for org in &orgs {
        parties.push(Party {
            uuid: org_uuid(org),
            kind: "organization",
            name: one_line(org),
            short_name: None,
            member_of_organizations: vec![cx.consortium_uuid.clone()],
        });
    }
    for (id, (name, org)) in &members {
        let name = one_line(name);
        parties.push(Party {
            uuid: member_uuid(id),
            kind: "person",
            name: if name.is_empty() { one_line(id) } else { name },
            short_name: Some(one_line(id)).filter(|s| !s.is_empty()),
            member_of_organizations: if orgs.contains(org.as_str()) { vec![org_uuid(org)] } else { vec![] },
        });
    }
    let mut roles = vec![Role {
        id: "prepared-for".to_string(),
        title: "Prepared for".to_string(),
        description: Some("The consortium whose governance record the report describes.".to_string()),
    }];
    let mut responsible =
        vec![ResponsibleParty { role_id: "prepared-for".to_string(), party_uuids: vec![cx.consortium_uuid.clone()] }];
    for (role, who) in &signed_roles {
        roles.push(Role {
            id: token(role),
            title: one_line(role),
            description: Some(format!("The consortium role `{role}`, in which members signed or voted.")),
        });
        responsible
            .push(ResponsibleParty { role_id: token(role), party_uuids: who.iter().map(|m| member_uuid(m)).collect() });
    }
    let mut props = Props::default();
    props
        .add("generator", format!("{} {}", report.generator.name, report.generator.version))
        .add("report-format", &report.format)
        .add("scope", report.scope.kind.as_str())
        .add("scope-id", &report.scope.id);
    let title = one_line(&report.scope.title);
    Metadata {
        title: if title.is_empty() {
            format!("Gatehouse report at commit {}", short(&report.commit.id))
        } else {
            title
        },
        published: cx.date.clone(),
        last_modified: cx.date.clone(),
        version: one_line(&report.commit.id),
        oscal_version: OSCAL_VERSION,
        props: props.0,
        roles,
        parties,
        responsible_parties: responsible,
    }
}

/// The back-matter resource `import-ap` names: the framework at the commit. Returns it and
/// its UUID.
fn plan_resource(cx: &Context) -> (Resource, String) {
    let uuid = uuid_for(&format!("assessment-plan/{}", cx.report.commit.id));
    let mut props = Props::default();
    props.add("commit", &cx.report.commit.id).add("tree", &cx.report.commit.tree);
    let mut rlinks = vec![RLink { href: "consortium.toml".to_string() }];
    if let Some(m) = &cx.report.model {
        for g in &m.gates {
            let group = Some(token(&g.id));
            props.add_with("checklist", &g.checklist.path, None, group.clone()).add_with(
                "checklist-blob",
                &g.checklist.blob,
                None,
                group,
            );
            rlinks.push(RLink { href: href(&g.checklist.path) });
        }
    }
    let resource = Resource {
        uuid: uuid.clone(),
        title: "The gate framework at the report's commit".to_string(),
        description: format!(
            "Gatehouse assesses against the consortium's framework as the repository holds it at commit {}: \
             consortium.toml (members, roles, gates) and the checklist of each gate.",
            cx.report.commit.id
        ),
        props: props.0,
        rlinks,
    };
    (resource, uuid)
}

fn policy_resources(cx: &Context) -> Vec<Resource> {
    cx.report
        .policies
        .iter()
        .map(|p| {
            let mut props = Props::default();
            props
                .add("policy", &p.id)
                .opt("policy-version", p.version.as_deref())
                .add("path", &p.file.path)
                .add("blob", &p.file.blob)
                .opt("changed-in", p.changed_in.as_deref())
                .opt("changed-at", p.changed_at.as_deref());
            for pr in &p.proposals {
                let group = Some(token(&format!("proposal-{}", pr.id)));
                props
                    .add_with("proposal", &pr.id, None, group.clone())
                    .add_with("proposal-commit", &pr.commit, None, group.clone())
                    .add_with("proposal-at", &pr.at, None, group);
            }
            Resource {
                uuid: uuid_for(&format!("policy/{}/{}", p.file.path, p.file.blob)),
                title: format!("Policy {}", one_line(&p.title)),
                description: format!(
                    "The policy `{}` in force at the report's commit, version {}.",
                    p.id,
                    p.version.as_deref().unwrap_or("not given")
                ),
                props: props.0,
                rlinks: vec![RLink { href: href(&p.file.path) }],
            }
        })
        .collect()
}

fn result(cx: &Context) -> ResultEntry {
    let report = cx.report;
    let mut props = Props::default();
    props
        .add("scope", report.scope.kind.as_str())
        .add("scope-id", &report.scope.id)
        .add("commit", &report.commit.id)
        .add("tree", &report.commit.tree)
        .signature(&report.commit.signature)
        .add("commits-verified", report.commits_verified.to_string())
        .add("verify-findings", report.findings.len().to_string());
    let (observations, findings, description) = match report.scope.kind {
        ScopeKind::Model => match &report.model {
            Some(m) => {
                model_props(&mut props, m);
                (model_observations(cx, m), model_findings(cx, m), model_description(report, m))
            }
            None => (vec![], vec![], "The report holds no model.".to_string()),
        },
        ScopeKind::Consortium => match &report.consortium_report {
            Some(c) => (vec![], consortium_findings(cx, c), consortium_description(c)),
            None => (vec![], vec![], "The report holds no standing.".to_string()),
        },
        ScopeKind::Proposal => match &report.proposal {
            Some(p) => {
                props.add("proposal-state", spelled(&p.state));
                (proposal_observations(cx, p), vec![proposal_finding(cx, p)], proposal_description(p))
            }
            None => (vec![], vec![], "The report holds no proposal.".to_string()),
        },
    };
    // Evidence collection starts with the earliest record the result rests on.
    let start = observations.iter().map(|o| o.collected.clone()).chain([cx.date.clone()]).min().unwrap_or_default();
    ResultEntry {
        uuid: uuid_for(&format!("result/{}", cx.scope_name())),
        title: {
            let t = one_line(&report.scope.title);
            if t.is_empty() {
                format!("Gatehouse review at commit {}", short(&report.commit.id))
            } else {
                t
            }
        },
        description,
        start,
        end: cx.date.clone(),
        props: props.0,
        reviewed_controls: reviewed_controls(report),
        observations,
        findings,
        remarks: Some(result_remarks(report)),
    }
}

fn model_props(props: &mut Props, m: &ModelReport) {
    props
        .add("model", &m.id)
        .add("model-subject", &m.subject)
        .add("gates-passed", m.standing.passed.to_string())
        .add("gates", m.standing.gates.to_string())
        .opt("at-gate", m.standing.at_gate.as_deref());
    if let Some(card) = &m.card {
        props.add("card", &card.path).add("card-blob", &card.blob);
    }
}

fn model_description(report: &Report, m: &ModelReport) -> String {
    let waits = match &m.standing.at_gate {
        Some(g) => format!("; it waits at the gate `{g}`"),
        None => "; it has passed every gate".to_string(),
    };
    format!(
        "What the model {} ({}) went through, as the governance record holds it at commit {} ({}): it has passed \
         {} of {} gates{}. Each finding is one checklist item of a gate; each observation is one sign-off.",
        m.title, m.id, report.commit.id, report.commit.date, m.standing.passed, m.standing.gates, waits
    )
}

fn consortium_description(c: &ConsortiumReport) -> String {
    format!(
        "The standing of every model of the consortium: {} model(s) across {} gate(s). Each finding is one gate of \
         one model, satisfied when the gate has passed.",
        c.models.len(),
        c.gates.len()
    )
}

fn proposal_description(p: &ProposalReport) -> String {
    format!(
        "The decision record of proposal {} ({}), by {}: {}. Each observation is one member's vote; the finding \
         is the decision.",
        p.id,
        p.title,
        p.author,
        spelled(&p.state)
    )
}

/// Verify's findings and the files that cannot be read, in words: OSCAL has no place for
/// them that an auditor would not misread as a checklist result.
fn result_remarks(report: &Report) -> String {
    let mut out = String::new();
    if report.findings.is_empty() {
        out.push_str(&format!(
            "verify checked {} commit(s) and found nothing that touches this scope.",
            report.commits_verified
        ));
    } else {
        out.push_str(&format!(
            "verify checked {} commit(s) and found {} problem(s) that touch this scope:\n",
            report.commits_verified,
            report.findings.len()
        ));
        for f in &report.findings {
            let path = f.path.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
            out.push_str(&format!("\n- {} in commit {}{}: {}", f.kind, f.commit, path, f.message));
        }
    }
    if let Some(m) = &report.model {
        if !m.problems.is_empty() {
            out.push_str("\n\nFiles of the model that cannot be read:\n");
            for p in &m.problems {
                out.push_str(&format!("\n- {p}"));
            }
        }
    }
    out
}

/// One control selection per external control (catalog and control) the checklists in scope
/// name, with the items that serve it; one empty selection when they name none.
fn reviewed_controls(report: &Report) -> ReviewedControls {
    let mut controls: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for row in &report.crosswalk {
        controls
            .entry((row.catalog.clone(), row.control.clone()))
            .or_default()
            .insert(format!("{}/{}", row.gate, row.item));
    }
    if let Some(m) = &report.model {
        for g in &m.gates {
            for i in &g.items {
                for c in &i.controls {
                    controls
                        .entry((c.catalog.clone(), c.control.clone()))
                        .or_default()
                        .insert(format!("{}/{}", g.id, i.id));
                }
            }
        }
    }
    if controls.is_empty() {
        return ReviewedControls {
            control_selections: vec![ControlSelection {
                props: vec![],
                include_controls: vec![],
                remarks: Some("The checklists in scope map no external controls.".to_string()),
            }],
        };
    }
    let control_selections = controls
        .into_iter()
        .map(|((catalog, control), items)| {
            let mut props = Props::default();
            props.add("catalog", &catalog).add("control", &control);
            for item in &items {
                props.add("item", item);
            }
            ControlSelection {
                props: props.0,
                include_controls: vec![SelectControl { control_id: token(&control) }],
                remarks: None,
            }
        })
        .collect();
    ReviewedControls { control_selections }
}

fn model_observations(cx: &Context, m: &ModelReport) -> Vec<Observation> {
    m.gates.iter().flat_map(|g| g.signoffs.iter().map(move |s| signoff_observation(cx, m, g, s))).collect()
}

fn signoff_observation(cx: &Context, m: &ModelReport, g: &GateReport, s: &SignoffReport) -> Observation {
    let mut props = Props::default();
    props
        .add("gate", &g.id)
        .add("member", &s.member)
        .add("organisation", &s.org)
        .add("decision", spelled(&s.decision))
        .add("signed-at", &s.at)
        .opt("commit", s.commit.as_deref())
        .signature(&s.signature)
        .add("currency", if s.current { "current" } else { "stale" })
        .add("checklist-blob", &s.checklist)
        .add("checklist-in-force", yes_no(s.checklist_in_force))
        .add("path", &s.path)
        .add("blob", &s.blob);
    let signature = match (&s.signature.fingerprint, &s.signature.reason) {
        (Some(fp), _) => format!("{} (key {fp})", s.signature.status.as_str()),
        (None, Some(why)) => format!("{} ({why})", s.signature.status.as_str()),
        (None, None) => s.signature.status.as_str().to_string(),
    };
    let currency = if s.current {
        "It is current: it speaks about the model as it is at the report's commit."
    } else {
        "It is stale: it speaks about an earlier version of the model and no longer counts."
    };
    let description = format!(
        "{} ({}, {}) recorded `{}` on the gate {} at {}, in commit {}. Signature: {}. {}",
        one_line(&s.member_name),
        s.member,
        one_line(&s.org),
        spelled(&s.decision),
        g.title,
        s.at,
        s.commit.as_deref().unwrap_or("(none found)"),
        signature,
        currency
    );
    let mut remarks = String::new();
    if !s.comment.trim().is_empty() {
        remarks.push_str(&format!("Comment: {}\n\n", s.comment.trim()));
    }
    remarks.push_str("Items as the sign-off records them:\n");
    for item in &s.items {
        remarks.push_str(&format!("\n- {}: {}", item.id, spelled(&item.state)));
        if !item.evidence.is_empty() {
            remarks.push_str(&format!("; evidence {}", item.evidence.join(", ")));
        }
        if !item.note.trim().is_empty() {
            remarks.push_str(&format!("; note: {}", one_line(&item.note)));
        }
    }
    Observation {
        uuid: signoff_uuid(s),
        title: format!("{}: {} by {}", g.title, spelled(&s.decision), s.member),
        description,
        props: props.0,
        methods: vec!["EXAMINE"],
        types: vec![if s.current { "control-objective" } else { "historic" }],
        origins: vec![Origin {
            actors: vec![Actor { kind: "party", actor_uuid: member_uuid(&s.member), role_id: Some(token(&g.role)) }],
        }],
        relevant_evidence: signoff_evidence(m, g, s),
        collected: cx.date_or_commit(&s.at),
        remarks: Some(remarks),
    }
}

/// Each evidence file the sign-off names, once, with the hashes the report found for it.
fn signoff_evidence(m: &ModelReport, g: &GateReport, s: &SignoffReport) -> Vec<Evidence> {
    let mut cited: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for item in &s.items {
        for path in &item.evidence {
            cited.entry(path.as_str()).or_default().push(item.id.as_str());
        }
    }
    let found: BTreeMap<&str, &EvidenceRef> =
        g.items.iter().flat_map(|i| i.evidence.iter()).map(|e| (e.path.as_str(), e)).collect();
    cited
        .into_iter()
        .map(|(path, items)| {
            let repo_path = format!("models/{}/{}", m.id, path);
            let mut props = Props::default();
            props.add("path", &repo_path);
            let remarks = match found.get(path) {
                Some(e) => {
                    props
                        .opt("blob", e.blob.as_deref())
                        .opt("sha256", e.sha256.as_deref())
                        .opt("size", e.size.map(|n| n.to_string()));
                    e.blob.is_none().then(|| "The file is not in the tree at the report's commit.".to_string())
                }
                None => Some("No current sign-off cites this file, so the report records no hash for it.".to_string()),
            };
            Evidence {
                href: href(&repo_path),
                description: format!("Evidence file {repo_path}, cited for {}.", items.join(", ")),
                props: props.0,
                remarks,
            }
        })
        .collect()
}

fn model_findings(cx: &Context, m: &ModelReport) -> Vec<Finding> {
    m.gates.iter().flat_map(|g| g.items.iter().map(move |i| item_finding(cx, m, g, i))).collect()
}

fn item_finding(cx: &Context, m: &ModelReport, g: &GateReport, i: &ItemReport) -> Finding {
    let mut props = Props::default();
    props
        .add("gate", &g.id)
        .add("gate-state", spelled(&g.state))
        .add("item", &i.id)
        .add("item-state", spelled(&i.state))
        .add("checklist", &g.checklist.path)
        .add("checklist-blob", &g.checklist.blob);
    for c in &i.controls {
        props.add_with("control", &c.control, Some(token(&c.catalog)), None);
    }
    for e in &i.evidence {
        props.add("evidence", format!("models/{}/{}", m.id, e.path));
    }
    let (state, reason, status_remarks) = match i.state {
        ItemState::Done => ("satisfied", Some("pass"), None),
        ItemState::NotApplicable => (
            "satisfied",
            Some("other"),
            Some(match &i.reason {
                Some(r) if !r.trim().is_empty() => format!("Not applicable: {}", r.trim()),
                _ => "Not applicable; the sign-off gives no reason (missing).".to_string(),
            }),
        ),
        ItemState::Open => {
            ("not-satisfied", None, Some("No current sign-off records the item as done or not applicable.".to_string()))
        }
    };
    let mut target_props = Props::default();
    target_props.add("item-state", spelled(&i.state));
    if i.state == ItemState::NotApplicable {
        target_props.add("reason-given", yes_no(i.reason.as_deref().is_some_and(|r| !r.trim().is_empty())));
    }
    let related_observations = g
        .signoffs
        .iter()
        .filter(|s| s.items.iter().any(|si| si.id == i.id))
        .map(|s| RelatedObservation { observation_uuid: signoff_uuid(s) })
        .collect();
    let remarks = (!i.notes.is_empty()).then(|| {
        let mut out = "Notes by the current sign-offs:\n".to_string();
        for n in &i.notes {
            out.push_str(&format!("\n- {}: {}", n.member, n.note.trim()));
        }
        out
    });
    let text = i.text.trim();
    Finding {
        uuid: uuid_for(&format!("finding/{}/{}/{}/{}", cx.report.commit.id, m.id, g.id, i.id)),
        title: format!("{}: {}", g.title, i.id),
        description: if text.is_empty() { i.id.clone() } else { text.to_string() },
        props: props.0,
        target: Target {
            kind: "objective-id",
            target_id: token(&format!("{}.{}", g.id, i.id)),
            title: format!("Checklist item {} of the gate {}", i.id, g.id),
            props: target_props.0,
            status: Status { state, reason, remarks: status_remarks },
        },
        related_observations,
        remarks,
    }
}

fn consortium_findings(cx: &Context, c: &ConsortiumReport) -> Vec<Finding> {
    let mut out = Vec::new();
    for m in &c.models {
        for (gate, state) in c.gates.iter().zip(&m.gates) {
            let passed = *state == GateState::Passed;
            let mut props = Props::default();
            props
                .add("model", &m.id)
                .opt("organisation", m.org.as_deref())
                .add("gate", &gate.id)
                .add("gate-state", spelled(state));
            out.push(Finding {
                uuid: uuid_for(&format!("finding/{}/consortium/{}/{}", cx.report.commit.id, m.id, gate.id)),
                title: format!("{} ({}): {}", m.title, m.id, gate.title),
                description: format!("The gate {} of the model {}: {}.", gate.id, m.id, spelled(state)),
                props: props.0,
                target: Target {
                    kind: "objective-id",
                    target_id: token(&gate.id),
                    title: format!("The gate {}", gate.id),
                    props: vec![],
                    status: Status {
                        state: if passed { "satisfied" } else { "not-satisfied" },
                        reason: passed.then_some("pass"),
                        remarks: (!passed).then(|| format!("The gate is {}.", spelled(state))),
                    },
                },
                related_observations: vec![],
                remarks: None,
            });
        }
    }
    out
}

fn proposal_observations(cx: &Context, p: &ProposalReport) -> Vec<Observation> {
    p.votes
        .iter()
        .map(|v| {
            let mut props = Props::default();
            props
                .add("proposal", &p.id)
                .add("member", &v.member)
                .add("organisation", &v.org)
                .add("vote", spelled(&v.vote))
                .add("cast-at", &v.at)
                .add("subject", &v.subject)
                .add("outdated", yes_no(v.outdated))
                .opt("commit", v.commit.as_deref())
                .signature(&v.signature);
            let comment = v.comment.trim();
            Observation {
                uuid: vote_uuid(&p.id, v),
                title: format!("Proposal {}: {} by {}", p.id, spelled(&v.vote), v.member),
                description: format!(
                    "{} ({}, {}) voted `{}` on the subject {} at {}{}. Signature: {}.",
                    one_line(&v.member_name),
                    v.member,
                    one_line(&v.org),
                    spelled(&v.vote),
                    v.subject,
                    v.at,
                    if v.outdated { " (an older subject: the vote no longer counts)" } else { "" },
                    v.signature.status.as_str()
                ),
                props: props.0,
                methods: vec!["EXAMINE"],
                types: vec![if v.outdated { "historic" } else { "control-objective" }],
                origins: vec![Origin {
                    actors: vec![Actor {
                        kind: "party",
                        actor_uuid: member_uuid(&v.member),
                        role_id: Some(token(crate::proposal::VOTING_ROLE)),
                    }],
                }],
                relevant_evidence: vec![],
                collected: cx.date_or_commit(&v.at),
                remarks: (!comment.is_empty()).then(|| format!("Comment: {comment}")),
            }
        })
        .collect()
}

fn proposal_finding(cx: &Context, p: &ProposalReport) -> Finding {
    let accepted = p.state == ProposalState::Accepted;
    let mut props = Props::default();
    props
        .add("proposal", &p.id)
        .add("proposal-state", spelled(&p.state))
        .add("author", &p.author)
        .add("branch", &p.branch)
        .add("subject", &p.subject)
        .opt("merged-by", p.merged_by.as_deref());
    for f in &p.files {
        props.add("changed-file", &f.path);
    }
    let mut remarks = format!(
        "Approvals {} of {} needed (quorum {}); objections standing: {}.",
        p.deliberation.approvals.len(),
        p.deliberation.needed,
        p.deliberation.quorum,
        p.deliberation.objections.len()
    );
    if let Some(o) = &p.outcome {
        remarks.push_str(&format!("\n\nClosed as {} by {} at {}. {}", spelled(&o.outcome), o.member, o.at, o.comment));
    }
    let rationale = p.rationale.trim();
    Finding {
        uuid: uuid_for(&format!("finding/{}/proposal/{}", cx.report.commit.id, p.id)),
        title: format!("Proposal {}: {}", p.id, p.title),
        description: if rationale.is_empty() { p.title.clone() } else { rationale.to_string() },
        props: props.0,
        target: Target {
            kind: "objective-id",
            target_id: token(&format!("proposal.{}", p.id)),
            title: format!("The decision on proposal {}", p.id),
            props: vec![],
            status: Status {
                state: if accepted { "satisfied" } else { "not-satisfied" },
                reason: Some(if accepted { "pass" } else { "other" }),
                remarks: Some(format!("The proposal is {}.", spelled(&p.state))),
            },
        },
        related_observations: p
            .votes
            .iter()
            .map(|v| RelatedObservation { observation_uuid: vote_uuid(&p.id, v) })
            .collect(),
        remarks: Some(remarks),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_namespace_is_the_url_uuid_of_ns() {
        // Why: the constant must stay what its comment says, or every exported UUID changes.
        assert_eq!(NAMESPACE, Uuid::new_v5(&Uuid::NAMESPACE_URL, NS.as_bytes()));
    }

    #[test]
    fn tokens_are_oscal_tokens() {
        assert_eq!(token("MEASURE 2.7"), "measure-2.7");
        assert_eq!(token("Annex IV 2(b)"), "annex-iv-2-b");
        assert_eq!(token("2(b)"), "_2-b");
        assert_eq!(token(""), "_");
        assert_eq!(token("  GOVERN  1.1 "), "govern-1.1");
    }

    #[test]
    fn strings_have_no_outer_space_or_line_break() {
        assert_eq!(one_line("  a\n b\u{2028}c\u{feff} "), "a b c");
    }

    #[test]
    fn dates_outside_oscal_fall_back() {
        assert_eq!(oscal_date("2026-11-29T17:00:00+01:00").as_deref(), Some("2026-11-29T16:00:00Z"));
        assert_eq!(oscal_date("1800-01-01T00:00:00Z"), None);
        assert_eq!(oscal_date("yesterday"), None);
    }

    #[test]
    fn hrefs_are_percent_encoded() {
        assert_eq!(href("models/m/evidence/a b#c.md"), "models/m/evidence/a%20b%23c.md");
    }
}
