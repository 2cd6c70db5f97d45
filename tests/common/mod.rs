//! Shared helpers for the integration tests: a hermetic sample repository in a temp dir, the
//! real `gatehouse` binary and the real `git` CLI run as outside clients, and snapshots of the
//! repository and of the SQLite index to prove that refused commands change nothing.
//!
//! Every child process gets a fixed, isolated environment: HOME in the temp dir, no system or
//! global git config, fixed author/committer identities and dates, no colour, and none of the
//! GATEHOUSE_* variables of the person running the tests.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

pub mod proposals;
pub mod servers;

/// The time every gatehouse command records unless a test says otherwise.
pub const AT: &str = "2026-11-29T17:00:00Z";
/// The stamp of `AT` as sign-off file names write it.
pub const STAMP: &str = "20261129T170000Z";
/// The date of commits made with plain git.
pub const GIT_DATE: &str = "2026-11-29 18:00:00 +0000";

/// The sample's members: (id, org, roles), as the sample promises.
pub const MEMBERS: &[(&str, &str, &[&str])] = &[
    (
        "rvance",
        "argonne",
        &["voting-member", "registry-steward", "license-reviewer", "safety-reviewer", "release-manager"],
    ),
    (
        "tokafor",
        "argonne",
        &["voting-member", "data-reviewer", "reproducibility-reviewer", "evaluation-reviewer", "infra-reviewer"],
    ),
    (
        "hsato",
        "riken",
        &["voting-member", "license-reviewer", "reproducibility-reviewer", "safety-reviewer", "release-manager"],
    ),
    (
        "mtanaka",
        "riken",
        &["voting-member", "registry-steward", "data-reviewer", "evaluation-reviewer", "infra-reviewer"],
    ),
    ("lgarcia", "bsc", &["voting-member", "license-reviewer", "data-reviewer", "safety-reviewer", "release-manager"]),
    ("jferrer", "bsc", &["voting-member", "reproducibility-reviewer", "evaluation-reviewer", "infra-reviewer"]),
    (
        "akeller",
        "cscs",
        &["voting-member", "registry-steward", "evaluation-reviewer", "safety-reviewer", "release-manager"],
    ),
    ("nbrunner", "cscs", &["voting-member", "license-reviewer", "data-reviewer", "reproducibility-reviewer"]),
];

/// One gate of the default framework, as the sample promises it.
pub struct GateSpec {
    pub id: &'static str,
    pub role: &'static str,
    pub quorum: u64,
    pub distinct_orgs: u64,
    pub independent: bool,
    pub requires: &'static [&'static str],
}

const fn gate(
    id: &'static str,
    role: &'static str,
    quorum: u64,
    distinct_orgs: u64,
    independent: bool,
    requires: &'static [&'static str],
) -> GateSpec {
    GateSpec { id, role, quorum, distinct_orgs, independent, requires }
}

/// The gates in order.
pub const GATES: &[GateSpec] = &[
    gate("intake", "registry-steward", 1, 1, false, &[]),
    gate("licensing", "license-reviewer", 2, 2, false, &["intake"]),
    gate("data-provenance", "data-reviewer", 2, 2, false, &["intake"]),
    gate("reproducibility", "reproducibility-reviewer", 2, 2, true, &["data-provenance"]),
    gate("evaluation", "evaluation-reviewer", 2, 2, true, &["reproducibility"]),
    gate("safety", "safety-reviewer", 2, 2, true, &["evaluation"]),
    gate("deployment", "infra-reviewer", 1, 1, false, &["safety"]),
    gate("release", "release-manager", 2, 2, true, &["licensing", "safety", "deployment"]),
];

/// The folder holding a model's sign-offs in a record Gatehouse makes (format 2):
/// `signoffs/<bucket>/<model>`, the bucket computed as docs/format.md tells a reader to, with
/// coreutils (`printf %s <model> | sha256sum | cut -c1-2`), not with Gatehouse's code.
pub fn signoffs_dir(model: &str) -> String {
    let mut child =
        Command::new("sha256sum").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("sha256sum runs");
    child.stdin.take().expect("a pipe").write_all(model.as_bytes()).expect("sha256sum reads");
    let out = child.wait_with_output().expect("sha256sum ends");
    assert!(out.status.success(), "sha256sum failed");
    format!("signoffs/{}/{model}", &String::from_utf8_lossy(&out.stdout)[..2])
}

pub const MODELS: &[&str] = &["aurora-sci-200b", "baseline-1.4b", "switch-c-1.6t", "tpc-science-34b"];

/// Variables of the caller's environment that must not leak into a child.
const SCRUB: &[&str] = &[
    "GATEHOUSE_REPO",
    "GATEHOUSE_SIGNING_KEY",
    "GATEHOUSE_NOW",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_PREFIX",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EDITOR",
    "GIT_PAGER",
    "GIT_TRACE",
    "GIT_SSH_COMMAND",
    "PAGER",
    "EDITOR",
    "VISUAL",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "COLUMNS",
    "LINES",
    "SSH_AUTH_SOCK",
    "SSH_AGENT_PID",
    "GATEHOUSE_KEY_PASSPHRASE",
    "XDG_CONFIG_HOME",
];

/// Gives `cmd` the hermetic environment of the tests, with `home` as HOME.
pub fn hermetic(cmd: &mut Command, home: &Path) {
    for var in SCRUB {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_AUTHOR_NAME", "Test Runner")
        .env("GIT_AUTHOR_EMAIL", "runner@tests.invalid")
        .env("GIT_COMMITTER_NAME", "Test Runner")
        .env("GIT_COMMITTER_EMAIL", "runner@tests.invalid")
        .env("GIT_AUTHOR_DATE", GIT_DATE)
        .env("GIT_COMMITTER_DATE", GIT_DATE)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .stdin(Stdio::null());
}

pub fn gatehouse_bin() -> &'static str {
    env!("CARGO_BIN_EXE_gatehouse")
}

/// What a finished child did.
#[derive(Debug, Clone)]
pub struct Run {
    pub what: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(what: String, out: std::process::Output) -> Run {
        Run {
            what,
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Panics, showing everything the child printed, unless it exited 0.
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "`{}` should succeed\n--- stdout\n{}\n--- stderr\n{}",
            self.what, self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("`{}` should print JSON ({e})\n--- stdout\n{}\n--- stderr\n{}", self.what, self.stdout, self.stderr)
        })
    }
}

/// Runs a prepared command to completion.
pub fn run(mut cmd: Command, what: String) -> Run {
    let out = cmd.output().unwrap_or_else(|e| panic!("could not start `{what}`: {e}"));
    Run::from(what, out)
}

/// The state a user would check to see that nothing happened: refs, main, work tree, loose
/// object count, and every row of the SQLite index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoState {
    pub refs: String,
    pub main: String,
    pub status: String,
    pub loose_objects: String,
    pub index: IndexDump,
}

/// Every row of every table of the index, table by table, rows sorted.
pub type IndexDump = BTreeMap<String, Vec<String>>;

/// A member as consortium.toml on main says.
#[derive(Debug, Clone)]
pub struct MemberInfo {
    pub id: String,
    pub name: String,
    pub email: String,
    pub org: String,
    pub roles: Vec<String>,
}

/// A temp dir with a HOME, and a governance repository in it (after `sample()`).
pub struct Fixture {
    tmp: TempDir,
    pub root: PathBuf,
    pub home: PathBuf,
    pub repo: PathBuf,
}

impl Fixture {
    /// A temp dir with an empty HOME; `repo` names a folder that does not exist yet.
    pub fn empty() -> Fixture {
        let tmp = tempfile::Builder::new().prefix("gatehouse-it-").tempdir().expect("a temp dir");
        let root = tmp.path().canonicalize().expect("temp dir path");
        let home = root.join("home");
        std::fs::create_dir_all(home.join(".config")).expect("create HOME");
        std::fs::write(home.join("gitconfig"), "").expect("write an empty global git config");
        let repo = root.join("gov");
        Fixture { tmp, root, home, repo }
    }

    /// The sample consortium, made by `gatehouse init DIR --sample`.
    pub fn sample() -> Fixture {
        let f = Fixture::empty();
        let dir = f.repo.display().to_string();
        f.gatehouse_raw(&["--at", AT, "--color", "never", "init", &dir, "--sample"]).ok();
        // A report verifies the history and records what it found, without the witness: every
        // later `verify()` then checks only the commits since, and is compared with a full run.
        // (`--at` names the commit reported on, so the report goes without it.)
        let warm = f.root.join("warm-up.json");
        f.gatehouse_raw(&["--repo", &dir, "report", "--all", "--format", "json", "-o", &warm.display().to_string()])
            .ok();
        std::fs::remove_file(warm).expect("remove the warm-up report");
        f
    }

    pub fn index_path(&self) -> PathBuf {
        self.repo.join(".git/gatehouse/index.sqlite")
    }

    // ---- gatehouse ------------------------------------------------------------------------

    /// A `gatehouse` command with the hermetic environment and nothing else.
    pub fn gatehouse_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(gatehouse_bin());
        hermetic(&mut cmd, &self.home);
        cmd.current_dir(&self.root).args(args);
        cmd
    }

    /// `gatehouse ARGS` with no --repo and no --at.
    pub fn gatehouse_raw(&self, args: &[&str]) -> Run {
        run(self.gatehouse_command(args), format!("gatehouse {}", args.join(" ")))
    }

    /// The global flags every repository command gets: the repo, the fixed time, no colour.
    fn global_args<'a>(&'a self, repo: &'a str, at: &'a str) -> Vec<&'a str> {
        vec!["--repo", repo, "--at", at, "--color", "never"]
    }

    /// A `gatehouse --repo REPO --at AT --color never ARGS` command, not yet run.
    pub fn gh_command_at(&self, at: &str, args: &[&str]) -> Command {
        let repo = self.repo.display().to_string();
        let mut all = self.global_args(&repo, at);
        all.extend_from_slice(args);
        self.gatehouse_command(&all)
    }

    /// `gatehouse --repo REPO --at AT --color never ARGS`.
    pub fn gh(&self, args: &[&str]) -> Run {
        self.gh_at(AT, args)
    }

    /// As `gh`, recording another time.
    pub fn gh_at(&self, at: &str, args: &[&str]) -> Run {
        run(self.gh_command_at(at, args), format!("gatehouse --at {at} {}", args.join(" ")))
    }

    /// `gatehouse --json status`, parsed.
    pub fn status_json(&self) -> Value {
        self.gh(&["--json", "status"]).ok().json()
    }

    /// (state, approvals, quorum, stale) of one gate of one model, from `status --json`.
    pub fn gate_state(&self, model: &str, gate: &str) -> (String, u64, u64, u64) {
        gate_of(&self.status_json(), model, gate)
    }

    /// Records a sign-off at `at` (approve: every item done).
    pub fn signoff_at(&self, at: &str, member: &str, model: &str, gate: &str, decision: &str) -> Run {
        let items: &[&str] = if decision == "approve" { &["--item", "all=done"] } else { &[] };
        self.gh_at(at, &signoff_args(member, model, gate, decision, items))
    }

    // ---- git --------------------------------------------------------------------------------

    /// A `git -C DIR ARGS` command with the hermetic environment.
    pub fn git_command_in(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        hermetic(&mut cmd, &self.home);
        cmd.arg("-C").arg(dir).args(args).current_dir(&self.root);
        cmd
    }

    pub fn git_in(&self, dir: &Path, args: &[&str]) -> Run {
        run(self.git_command_in(dir, args), format!("git -C {} {}", dir.display(), args.join(" ")))
    }

    /// `git ARGS` in the governance repository.
    pub fn git(&self, args: &[&str]) -> Run {
        self.git_in(&self.repo, args)
    }

    /// `git ARGS` in the repository, which must succeed; its stdout, trimmed.
    pub fn git_ok(&self, args: &[&str]) -> String {
        self.git(args).ok().stdout.trim().to_string()
    }

    /// `git ARGS` with `input` on stdin.
    pub fn git_with_input(&self, args: &[&str], input: &str) -> Run {
        let mut cmd = self.git_command_in(&self.repo, args);
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let what = format!("git {}", args.join(" "));
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("could not start `{what}`: {e}"));
        child.stdin.take().expect("piped stdin").write_all(input.as_bytes()).expect("write to git's stdin");
        let out = child.wait_with_output().expect("wait for git");
        Run::from(what, out)
    }

    pub fn main(&self) -> String {
        self.git_ok(&["rev-parse", "refs/heads/main"])
    }

    /// Commits on main after `since`, oldest first.
    pub fn commits_since(&self, since: &str) -> Vec<String> {
        let range = format!("{since}..refs/heads/main");
        self.git_ok(&["rev-list", "--reverse", &range]).lines().map(str::to_string).collect()
    }

    /// Every commit on main, oldest first.
    pub fn all_commits(&self) -> Vec<String> {
        self.git_ok(&["rev-list", "--reverse", "refs/heads/main"]).lines().map(str::to_string).collect()
    }

    /// Stages everything in the work tree and commits it with plain git as NAME <EMAIL>, the
    /// message taken from a file (`git commit -F`). Returns the new commit.
    pub fn commit_as(&self, name: &str, email: &str, message: &str) -> String {
        self.commit_with_git(name, email, message, None, None)
    }

    /// `commit_as`, signed by plain `git commit -S` with the SSH private key at `key`.
    pub fn commit_signed_as(&self, name: &str, email: &str, message: &str, key: &Path) -> String {
        self.commit_with_git(name, email, message, Some(key), None)
    }

    /// `commit_signed_as`, authored and committed at `date` (any date git reads) rather than
    /// at `GIT_DATE`.
    pub fn commit_signed_as_at(&self, name: &str, email: &str, message: &str, key: &Path, date: &str) -> String {
        self.commit_with_git(name, email, message, Some(key), Some(date))
    }

    fn commit_with_git(
        &self,
        name: &str,
        email: &str,
        message: &str,
        key: Option<&Path>,
        date: Option<&str>,
    ) -> String {
        self.git(&["add", "-A"]).ok();
        let msg = self.root.join("commit-message.txt");
        std::fs::write(&msg, message).expect("write the commit message file");
        let user_name = format!("user.name={name}");
        let user_email = format!("user.email={email}");
        let msg_path = msg.display().to_string();
        let signing_key = key.map(|k| format!("user.signingkey={}", k.display()));
        let mut args = vec!["-c", &user_name, "-c", &user_email];
        if let Some(k) = &signing_key {
            args.extend(["-c", "gpg.format=ssh", "-c", k]);
        }
        args.extend(["commit", "-q", "-F", &msg_path]);
        if key.is_some() {
            args.push("-S");
        }
        let mut cmd = self.git_command_in(&self.repo, &args);
        // The fixed identity of the environment would win over -c user.*; this commit is NAME's.
        cmd.env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_COMMITTER_NAME", name)
            .env("GIT_COMMITTER_EMAIL", email);
        if let Some(date) = date {
            cmd.env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date);
        }
        run(cmd, format!("git commit -F {msg_path} (as {email})")).ok();
        self.main()
    }

    /// Where the sample keeps `member`'s demo private key.
    pub fn demo_key(&self, member: &str) -> PathBuf {
        self.repo.join(".git/gatehouse/keys").join(member)
    }

    /// Writes `gatehouse allowed-signers` to a file and returns its path, for
    /// `git -c gpg.ssh.allowedSignersFile=...`.
    pub fn allowed_signers_file(&self) -> PathBuf {
        let out = self.gh(&["allowed-signers"]).ok().stdout;
        let path = self.root.join("allowed_signers");
        std::fs::write(&path, out).expect("write the allowed-signers file");
        path
    }

    /// The `Gatehouse-*` trailers of a commit's message as `git interpret-trailers --parse`
    /// reads them, in order.
    pub fn trailers(&self, commit: &str) -> Vec<(String, String)> {
        let message = self.git(&["log", "-1", "--format=%B", commit]).ok().stdout;
        let parsed = self.git_with_input(&["interpret-trailers", "--parse"], &message).ok();
        parsed
            .stdout
            .lines()
            .filter_map(|l| l.split_once(": "))
            .filter(|(k, _)| k.starts_with("Gatehouse-"))
            .map(|(k, v)| (k.to_string(), v.trim().to_string()))
            .collect()
    }

    /// Asserts that the commit's Gatehouse trailers are exactly `expected`, in that order.
    pub fn assert_trailers(&self, commit: &str, expected: &[(&str, &str)]) {
        let got = self.trailers(commit);
        let want: Vec<(String, String)> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(
            got, want,
            "git interpret-trailers --parse must read the action trailers docs/format.md gives for commit {commit}"
        );
    }

    /// Asserts the trailers and author of a sign-off commit made by the CLI.
    pub fn assert_signoff_commit(&self, commit: &str, member: &str, model: &str, gate: &str, decision: &str) {
        let subject = self.git_ok(&["rev-parse", &format!("{commit}^:models/{model}")]);
        self.assert_trailers(
            commit,
            &[
                ("Gatehouse-Action", "signoff"),
                ("Gatehouse-Member", member),
                ("Gatehouse-Model", model),
                ("Gatehouse-Gate", gate),
                ("Gatehouse-Decision", decision),
                ("Gatehouse-Subject", &subject),
            ],
        );
        self.assert_author_is(commit, member);
    }

    /// Asserts that git shows `member` (name and email from consortium.toml) as the author.
    pub fn assert_author_is(&self, commit: &str, member: &str) {
        let m = self.member(member);
        let author = self.git_ok(&["log", "-1", "--format=%an%n%ae", commit]);
        assert_eq!(
            author,
            format!("{}\n{}", m.name, m.email),
            "the author of {commit} must be the acting member {member}, as git log shows it"
        );
    }

    /// `git fsck --strict` exits 0 and prints no error or warning.
    pub fn assert_fsck_clean(&self) {
        let r = self.git(&["fsck", "--strict"]);
        assert_eq!(r.code, 0, "git fsck --strict must accept the repository\n{}\n{}", r.stdout, r.stderr);
        for line in r.stdout.lines().chain(r.stderr.lines()) {
            let l = line.to_lowercase();
            assert!(
                !l.contains("error") && !l.contains("warning"),
                "git fsck --strict must print no error or warning, got: {line}"
            );
        }
    }

    /// `git status --porcelain` is empty: the work tree and git's index follow main.
    pub fn assert_worktree_clean(&self) {
        let status = self.git_ok(&["status", "--porcelain", "--untracked-files=all"]);
        assert_eq!(status, "", "the work tree must follow main with nothing left over");
    }

    // ---- the record, read with outside tools ----------------------------------------------

    /// The members of consortium.toml on main (read with `git show`, parsed as TOML).
    pub fn members(&self) -> Vec<MemberInfo> {
        let text = self.git_ok(&["show", "refs/heads/main:consortium.toml"]);
        let value: toml::Value = toml::from_str(&text).expect("consortium.toml is TOML");
        value["members"]
            .as_array()
            .expect("consortium.toml has [[members]]")
            .iter()
            .map(|m| MemberInfo {
                id: m["id"].as_str().expect("member id").to_string(),
                name: m["name"].as_str().expect("member name").to_string(),
                email: m["email"].as_str().expect("member email").to_string(),
                org: m["org"].as_str().expect("member org").to_string(),
                roles: m["roles"]
                    .as_array()
                    .expect("member roles")
                    .iter()
                    .map(|r| r.as_str().expect("role").to_string())
                    .collect(),
            })
            .collect()
    }

    pub fn member(&self, id: &str) -> MemberInfo {
        self.members()
            .into_iter()
            .find(|m| m.id == id)
            .unwrap_or_else(|| panic!("{id} should be a member of the sample"))
    }

    /// The item ids of a gate's checklist, read from the work tree's Markdown.
    pub fn checklist_items(&self, gate: &str) -> Vec<String> {
        let text = std::fs::read_to_string(self.repo.join(format!("policies/checklists/{gate}.md")))
            .expect("the checklist file exists");
        text.lines()
            .filter_map(|l| l.strip_prefix("- [ ] `"))
            .filter_map(|l| l.split_once('`').map(|(id, _)| id.to_string()))
            .collect()
    }

    /// The path on `main` of `member`'s sign-off on `model` at `gate` (the first, by name).
    pub fn signoff_of(&self, model: &str, gate: &str, member: &str) -> String {
        let dir = format!("{}/{gate}", signoffs_dir(model));
        let files = self.git_ok(&["ls-tree", "-r", "--name-only", "refs/heads/main", &dir]);
        let name = format!("-{member}.toml");
        files.lines().find(|p| p.ends_with(&name)).unwrap_or_else(|| panic!("{member}'s sign-off in {dir}")).to_string()
    }

    /// The tree id of models/<model> at `commit`, as git sees it.
    pub fn model_tree(&self, commit: &str, model: &str) -> String {
        self.git_ok(&["rev-parse", &format!("{commit}:models/{model}")])
    }

    // ---- state snapshots ---------------------------------------------------------------------

    /// Every row of the SQLite index, table by table. `documents` is dumped without its
    /// rowid, which is an insertion counter and not content.
    pub fn index_dump(&self) -> IndexDump {
        let path = self.index_path();
        assert!(path.exists(), "the index should exist at {}", path.display());
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .expect("open the index with SQLite");
        conn.busy_timeout(std::time::Duration::from_secs(30)).expect("busy timeout");
        let tables = [
            ("commits", "SELECT * FROM commits"),
            ("models", "SELECT * FROM models"),
            ("signoffs", "SELECT * FROM signoffs"),
            ("gate_states", "SELECT * FROM gate_states"),
            // The gates that keep older checklist versions, each once.
            ("checklist_versions", "SELECT model, gate, versions FROM gate_states WHERE versions IS NOT NULL"),
            ("problems", "SELECT * FROM problems"),
            ("documents", "SELECT path, kind, ref, title, body FROM documents"),
            ("meta", "SELECT * FROM meta"),
            ("members", "SELECT * FROM members"),
            ("gates", "SELECT * FROM gates"),
            ("proposals", "SELECT * FROM proposals"),
        ];
        let mut dump = IndexDump::new();
        for (table, sql) in tables {
            let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("the index should have table {table}: {e}"));
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let mut cells = Vec::with_capacity(n);
                    for i in 0..n {
                        let v: rusqlite::types::Value = r.get(i)?;
                        cells.push(format!("{v:?}"));
                    }
                    Ok(cells.join(" | "))
                })
                .expect("query the index")
                .collect::<Result<_, _>>()
                .expect("read the index");
            rows.sort();
            dump.insert(table.to_string(), rows);
        }
        dump
    }

    /// Refs, main, work tree, loose objects and the index, to compare before and after.
    pub fn state(&self) -> RepoState {
        let loose = self.git_ok(&["count-objects", "-v"]);
        let count =
            loose.lines().find(|l| l.starts_with("count:")).expect("count-objects -v prints count:").to_string();
        RepoState {
            refs: self.git_ok(&["for-each-ref"]),
            main: self.main(),
            status: self.git_ok(&["status", "--porcelain", "--untracked-files=all"]),
            loose_objects: count,
            index: self.index_dump(),
        }
    }

    /// Runs `args` (with `gh`), expecting a refusal: exit `code`, `error:` on stderr naming
    /// every one of `needles`, nothing on stdout, and the repository and index exactly as
    /// before. Runs `status` first so that the index exists.
    pub fn assert_refused(&self, args: &[&str], code: i32, needles: &[&str]) -> Run {
        let what = format!("gatehouse {}", args.join(" "));
        self.assert_command_refused(self.gh_command_at(AT, args), &what, code, needles)
    }

    /// As `assert_refused`, for a command built by the caller (extra environment, say).
    pub fn assert_command_refused(&self, cmd: Command, what: &str, code: i32, needles: &[&str]) -> Run {
        self.gh(&["status"]).ok();
        let before = self.state();
        let r = run(cmd, what.to_string());
        let after = self.state();
        assert_eq!(
            r.code, code,
            "`{}` must exit {code} (1 = refused by the rules, 2 = bad input)\n--- stdout\n{}\n--- stderr\n{}",
            r.what, r.stdout, r.stderr
        );
        assert!(
            r.stderr.starts_with("error:"),
            "`{}`: the message must start with `error:`, got:\n{}",
            r.what,
            r.stderr
        );
        for needle in needles {
            assert!(r.stderr.contains(needle), "`{}`: the message must name {needle:?}, got:\n{}", r.what, r.stderr);
        }
        assert!(!r.stderr.contains("panicked"), "`{}` must fail with a message, not a panic:\n{}", r.what, r.stderr);
        assert_eq!(r.stdout.trim(), "", "`{}`: a refused command must not print a success message", r.what);
        assert_state_eq(&before, &after, &r.what);
        r
    }

    // ---- verify ------------------------------------------------------------------------------

    /// `gatehouse --json verify`: (exit code, report). It reuses what earlier runs found, so
    /// it is run again with `--full`, which must find exactly the same.
    pub fn verify(&self) -> (i32, Value) {
        let r = self.gh(&["--json", "verify"]);
        assert!(r.code == 0 || r.code == 1, "verify exits 0 (clean) or 1 (findings), got {}\n{}", r.code, r.stderr);
        let json = r.json();
        let full = self.gh(&["--json", "verify", "--full"]);
        assert_eq!(full.code, r.code, "verify --full agrees on the exit code:\n{}", full.stdout);
        let full_json = full.json();
        assert_eq!(
            (&full_json["findings"], &full_json["commits_checked"], &full_json["head"]),
            (&json["findings"], &json["commits_checked"], &json["head"]),
            "checking only the commits since the last run finds what checking the whole history finds"
        );
        assert_eq!(full_json["commits_reused"], 0, "--full reuses nothing");
        (r.code, json)
    }
}

/// (state, approvals, quorum, stale) of one gate of one model in a `status --json` document.
/// `--as MEMBER signoff --model MODEL --gate GATE --decision DECISION`, then `rest` (items,
/// evidence, comment): the command line of one sign-off.
pub fn signoff_args<'a>(
    member: &'a str,
    model: &'a str,
    gate: &'a str,
    decision: &'a str,
    rest: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec!["--as", member, "signoff", "--model", model, "--gate", gate, "--decision", decision];
    args.extend_from_slice(rest);
    // A request for changes or a rejection must say why; tests of that rule build their own
    // arguments.
    if decision != "approve" && !rest.contains(&"--comment") {
        args.extend_from_slice(&["--comment", "Not yet: see the checklist notes."]);
    }
    args
}

pub fn gate_of(status: &Value, model: &str, gate: &str) -> (String, u64, u64, u64) {
    let m = status["models"]
        .as_array()
        .expect("status --json has models")
        .iter()
        .find(|m| m["id"] == model)
        .unwrap_or_else(|| panic!("status --json should list model {model}"));
    let g = m["gates"]
        .as_array()
        .expect("a model has gates")
        .iter()
        .find(|g| g["gate"] == gate)
        .unwrap_or_else(|| panic!("status --json should list gate {gate} of {model}"));
    (
        g["state"].as_str().expect("state").to_string(),
        g["approvals"].as_u64().expect("approvals"),
        g["quorum"].as_u64().expect("quorum"),
        g["stale"].as_u64().expect("stale"),
    )
}

/// The set of finding kinds in a `verify --json` report.
pub fn finding_kinds(report: &Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .expect("verify --json has findings")
        .iter()
        .map(|f| f["kind"].as_str().expect("a finding has a kind").to_string())
        .collect()
}

/// Compares two states, naming the part that changed.
pub fn assert_state_eq(before: &RepoState, after: &RepoState, what: &str) {
    assert_eq!(before.main, after.main, "`{what}` must not move main");
    assert_eq!(before.refs, after.refs, "`{what}` must not change any ref");
    assert_eq!(before.status, after.status, "`{what}` must not touch the work tree");
    assert_eq!(before.loose_objects, after.loose_objects, "`{what}` must not write any object");
    assert_index_eq(&before.index, &after.index, what);
}

/// Compares two index dumps table by table.
pub fn assert_index_eq(a: &IndexDump, b: &IndexDump, what: &str) {
    for (table, rows) in a {
        let other = b.get(table).cloned().unwrap_or_default();
        if rows != &other {
            let missing: Vec<&String> = rows.iter().filter(|r| !other.contains(r)).collect();
            let extra: Vec<&String> = other.iter().filter(|r| !rows.contains(r)).collect();
            panic!(
                "{what}: index table {table} differs\n--- only before/expected:\n{missing:#?}\n--- only after/actual:\n{extra:#?}"
            );
        }
    }
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}: the index has the same tables");
}

/// The fields of a sign-off file written by hand.
pub struct SignoffSpec<'a> {
    pub model: &'a str,
    pub gate: &'a str,
    pub member: &'a str,
    pub decision: &'a str,
    pub at: &'a str,
    pub subject: &'a str,
    pub checklist: &'a str,
    /// Every item gets `state`.
    pub items: &'a [String],
    pub state: &'a str,
}

/// A sign-off file as docs/format.md ("Sign-offs") gives it.
pub fn signoff_toml(spec: &SignoffSpec) -> String {
    let SignoffSpec { model, gate, member, decision, at, subject, checklist, items, state } = *spec;
    let mut s = format!(
        "model = \"{model}\"\ngate = \"{gate}\"\nmember = \"{member}\"\ndecision = \"{decision}\"\nat = \"{at}\"\nsubject = \"{subject}\"\nchecklist = \"{checklist}\"\ncomment = \"\"\n"
    );
    for i in items {
        s.push_str(&format!("\n[items.{i}]\nstate = \"{state}\"\n"));
    }
    s
}
