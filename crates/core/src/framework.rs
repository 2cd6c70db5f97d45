//! The default governance framework (the repository's `policies/` folder, embedded in the
//! binary) that `gatehouse init` writes, and the roles it relies on.

use include_dir::{include_dir, Dir, DirEntry};

use crate::consortium::{Consortium, Member, Rules, SignedCommits};

static POLICIES: Dir = include_dir!("$CARGO_MANIFEST_DIR/../../policies");

/// The roles the default checklists ask for, with what each one does.
pub const ROLES: &[(&str, &str)] = &[
    ("voting-member", "Votes on policy proposals"),
    ("registry-steward", "Signs off intake: registration, owners and intended use"),
    ("license-reviewer", "Signs off licensing: the license bill of materials and its compatibility"),
    ("data-reviewer", "Signs off data provenance: sources, cleaning and datasheets"),
    ("reproducibility-reviewer", "Signs off reproducibility: seeds, artifacts, environment"),
    ("evaluation-reviewer", "Signs off evaluation: benchmarks, seeds and reported results"),
    ("safety-reviewer", "Signs off safety and alignment: red-teaming, bias, misuse"),
    ("infra-reviewer", "Signs off deployment readiness: sharding, hardware, energy, latency"),
    ("release-manager", "Signs off release: published card, datasheets and disclosures"),
];

/// Every file of the framework as (path in the repository, content), sorted by path.
pub fn files() -> Vec<(String, &'static [u8])> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for entry in dir.entries() {
            match entry {
                DirEntry::Dir(d) => walk(d, out),
                DirEntry::File(f) => {
                    let path = f.path().to_string_lossy().replace('\\', "/");
                    out.push((format!("policies/{path}"), f.contents()));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&POLICIES, &mut out);
    // Checklists and policies, and the accelerator table of the deployment estimate.
    out.retain(|(p, _)| p.ends_with(".md") || p == crate::estimate::accelerators::PATH);
    out.sort();
    out
}

/// A consortium with the framework's roles and rules.
pub fn consortium(name: &str, members: Vec<Member>, signed_commits: SignedCommits) -> Consortium {
    Consortium {
        name: name.to_string(),
        format: crate::consortium::FORMAT,
        rules: Rules { signed_commits, ..Rules::default() },
        cards: Some(crate::consortium::CardRules::recommended()),
        roles: ROLES.iter().map(|(r, d)| (r.to_string(), d.to_string())).collect(),
        members,
    }
}

/// Every role of the framework, for a founding member.
pub fn all_roles() -> Vec<String> {
    ROLES.iter().map(|(r, _)| r.to_string()).collect()
}
