//! Proposals driven through the `gatehouse` binary on the sample consortium: eight voting
//! members, a quorum of 2/3 (six approvals) and a final comment period of seven days.

use serde_json::Value;

use super::{Fixture, Run};

/// The sample's voting members.
pub const VOTERS: [&str; 8] = ["rvance", "tokafor", "hsato", "mtanaka", "lgarcia", "jferrer", "akeller", "nbrunner"];

pub const SAFETY: &str = "policies/checklists/safety.md";

/// A time in December 2026 (after the sample's own history): day `d` at `h` o'clock.
pub fn day(d: u32, h: u32) -> String {
    format!("2026-12-{d:02}T{h:02}:00:00Z")
}

impl Fixture {
    /// Writes `text` into a file outside the repository and returns its path.
    pub fn draft(&self, name: &str, text: &str) -> String {
        let path = self.root.join("drafts").join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir drafts");
        std::fs::write(&path, text).expect("write a draft");
        path.display().to_string()
    }

    /// A file's text on `main`.
    pub fn main_text(&self, path: &str) -> String {
        self.git(&["show", &format!("main:{path}")]).ok().stdout
    }

    /// The safety checklist with one more item, `new_id`, before the bias audit.
    pub fn safety_with_item(&self, new_id: &str, text: &str) -> String {
        let current = self.main_text(SAFETY);
        let anchor = "- [ ] `bias`";
        assert!(current.contains(anchor), "the sample's safety checklist has a bias item");
        let changed = current.replacen(anchor, &format!("- [ ] `{new_id}` {text}\n{anchor}"), 1);
        self.draft(&format!("safety-{new_id}.md"), &changed)
    }

    /// The safety checklist with one more item, `new_id`, at its end.
    pub fn safety_with_last_item(&self, new_id: &str, text: &str) -> String {
        let current = self.main_text(SAFETY);
        self.draft(&format!("safety-{new_id}.md"), &format!("{current}- [ ] `{new_id}` {text}\n"))
    }

    /// `propose ID` by `member` at `at`, changing `path` to the draft `file`.
    pub fn propose_file(&self, at: &str, member: &str, id: &str, path: &str, file: &str) -> Run {
        let change = format!("{path}={file}");
        self.gh_at(
            at,
            &[
                "--as",
                member,
                "propose",
                id,
                "--title",
                &format!("Proposal {id}"),
                "--change",
                &change,
                "--rationale",
                "Because.",
            ],
        )
    }

    pub fn vote_at(&self, at: &str, member: &str, id: &str, vote: &str, comment: &str) -> Run {
        self.gh_at(at, &["--as", member, "vote", id, "--vote", vote, "--comment", comment])
    }

    /// Approve votes by the first `n` of `voters`, one an hour from `d` 01:00.
    pub fn approve_by(&self, d: u32, id: &str, voters: &[&str]) {
        for (h, m) in voters.iter().enumerate() {
            self.vote_at(&day(d, h as u32 + 1), m, id, "approve", "").ok();
        }
    }

    /// `show proposal ID --json` at `at`.
    pub fn proposal_json(&self, at: &str, id: &str) -> Value {
        self.gh_at(at, &["--json", "show", "proposal", id]).ok().json()
    }

    /// `proposals --json` at `at`: the entry for `id`.
    pub fn proposal_summary(&self, at: &str, id: &str) -> Value {
        let list = self.gh_at(at, &["--json", "proposals"]).ok().json();
        list["proposals"]
            .as_array()
            .expect("proposals")
            .iter()
            .find(|p| p["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} is listed: {list:#}"))
    }

    /// An `accept` of `id` by `member` made with plain git at `at`, as a member without
    /// Gatehouse would make it (whether or not the rules allowed it then): a merge of exactly
    /// the record's subject that writes the outcome file, signed by the member. Returns it.
    pub fn accept_by_hand(&self, at: &str, member: &str, id: &str) -> String {
        let subject = self.git_ok(&["rev-parse", &format!("refs/heads/proposals/{id}")]);
        assert!(self.main_text(&format!("proposals/{id}/proposal.md")).contains(&subject), "the subject is voted on");
        self.git(&["checkout", "-q", "main"]).ok();
        self.git(&["merge", "-q", "--no-ff", "--no-commit", &format!("proposals/{id}")]).ok();
        let outcome =
            format!("outcome = \"accepted\"\nmember = \"{member}\"\nsubject = \"{subject}\"\nat = \"{at}\"\n");
        std::fs::write(self.repo.join(format!("proposals/{id}/outcome.toml")), outcome).expect("write the outcome");
        let m = self.member(member);
        let message = format!(
            "accept({id}): by hand\n\nGatehouse-Action: accept\nGatehouse-Member: {member}\nGatehouse-Proposal: {id}\nGatehouse-Subject: {subject}\n"
        );
        let merge = self.commit_signed_as_at(&m.name, &m.email, &message, &self.demo_key(member), at);
        assert_eq!(
            self.git_ok(&["rev-parse", &format!("{merge}^2")]),
            subject,
            "the accept merges exactly the subject"
        );
        merge
    }
}
