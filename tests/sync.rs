//! `gatehouse sync` and `gatehouse remote` between clones of the sample, through real remotes
//! started and stopped here: a bare repository over `file://` and `git daemon` on 127.0.0.1.
//! Every clone signs with the sample's demo keys (copied, as a member would hold their own).
//! After each sync: the sign-offs are everywhere, verify is clean, `git fsck --strict` is clean
//! and no commit a clone held was rewritten. Each refusal leaves the clone exactly as it was.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Utc};
use common::servers::{self, bare_copy, free_port, Daemon};
use common::{assert_state_eq, signoff_args, signoffs_dir, Fixture};
use gatehouse::actions::signoff::{signoff, ItemInput, SignoffRequest};
use gatehouse::progress::Silent;
use gatehouse::signing::{signer_for, KeyRequest};
use gatehouse::signoff::{Decision, ItemState};
use gatehouse::sync::record::Refused;
use gatehouse::verify::FindingKind;
use gatehouse::views::verify::verify_view;
use gatehouse::write::CommitSigner;
use gatehouse::Governance;
use serde_json::Value;

const MODEL: &str = "tpc-science-34b";
const GATE: &str = "licensing";

/// A bare repository holding the sample, as a consortium's shared remote.
fn shared_remote(origin: &Fixture) -> PathBuf {
    let bare = origin.root.join("shared.git");
    bare_copy(origin, &bare);
    bare
}

/// A member's clone of `url`, with the sample's demo keys.
fn clone_of(origin: &Fixture, url: &str) -> Fixture {
    servers::clone_of(origin, url, &[])
}

fn url_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The sample, its shared remote (origin of the sample too), and `n` clones of it.
fn consortium(n: usize) -> (Fixture, PathBuf, Vec<Fixture>) {
    let origin = Fixture::sample();
    let bare = shared_remote(&origin);
    origin.gh(&["remote", "add", "origin", &url_of(&bare)]).ok();
    let clones = (0..n).map(|_| clone_of(&origin, &url_of(&bare))).collect();
    (origin, bare, clones)
}

fn sign(f: &Fixture, at: &str, member: &str, gate: &str) {
    f.gh_at(at, &signoff_args(member, MODEL, gate, "approve", &["--item", "all=done"])).ok();
}

/// `gatehouse --json --as MEMBER sync`, expecting success.
fn sync(f: &Fixture, at: &str, member: &str) -> Value {
    f.gh_at(at, &["--json", "--as", member, "sync"]).ok().json()
}

fn signoff_files(f: &Fixture) -> Vec<String> {
    let all = f.git_ok(&["ls-tree", "-r", "--name-only", "refs/heads/main", "signoffs"]);
    all.lines().map(str::to_string).collect()
}

/// Every commit `earlier` held is still in `f`'s main: nothing was rewritten.
fn assert_holds(f: &Fixture, earlier: &str) {
    let r = f.git(&["merge-base", "--is-ancestor", earlier, "refs/heads/main"]);
    assert_eq!(r.code, 0, "{earlier} is still in main's history: nothing was rewritten");
}

fn assert_clean(f: &Fixture) {
    let (code, report) = f.verify();
    assert_eq!(code, 0, "verify is clean after syncing: {report:#}");
    f.assert_fsck_clean();
}

#[test]
fn a_signoff_made_in_one_clone_reaches_another_by_fast_forward() {
    let (_origin, _bare, clones) = consortium(2);
    let (a, b) = (&clones[0], &clones[1]);
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    let signed = a.main();
    let pushed = sync(a, "2026-11-29T17:02:00Z", "hsato");
    assert_eq!(pushed["action"], "pushed", "a has one new commit and the remote none: {pushed:#}");
    assert_eq!(pushed["outgoing"], 1);
    assert_eq!(pushed["head"], signed.as_str(), "no merge commit is needed");

    let taken = sync(b, "2026-11-29T17:03:00Z", "lgarcia");
    assert_eq!(taken["action"], "fast-forward", "{taken:#}");
    assert_eq!(taken["incoming"], 1);
    assert_eq!(b.main(), signed, "b's main is a's commit, unchanged");
    assert_eq!(signoff_files(a), signoff_files(b), "the same sign-offs in both clones");
    assert_eq!(b.gate_state(MODEL, GATE).1, 1, "b's status counts hsato's approval");
    b.assert_worktree_clean();
    assert_clean(b);

    // And the standing as `remote list` gives it.
    let list = b.gh(&["--json", "remote", "list"]).ok().json();
    assert_eq!(list[0]["name"], "origin");
    assert_eq!((list[0]["ahead"].as_u64(), list[0]["behind"].as_u64()), (Some(0), Some(0)), "{list:#}");
    assert_eq!(list[0]["last_sync"], "2026-11-29T17:03:00Z");
}

#[test]
fn fetch_takes_the_remotes_commits_in_without_moving_main_and_says_how_far_behind() {
    let (_origin, _bare, clones) = consortium(2);
    let (a, b) = (&clones[0], &clones[1]);
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    sync(a, "2026-11-29T17:02:00Z", "hsato");
    sync(b, "2026-11-29T17:02:30Z", "lgarcia");
    sign(a, "2026-11-29T17:03:00Z", "hsato", GATE);
    sync(a, "2026-11-29T17:04:00Z", "hsato");
    let before = b.main();
    let fetched = b.gh_at("2026-11-29T17:05:00Z", &["--json", "fetch"]).ok().json();
    assert_eq!(fetched["incoming"], 1, "{fetched:#}");
    assert_eq!(fetched["tip"], a.main().as_str());
    assert_eq!(b.main(), before, "a fetch moves no main");
    b.assert_worktree_clean();
    assert_eq!(b.git_ok(&["rev-parse", "refs/remotes/origin/main"]), a.main(), "git's view of the remote follows");
    let list = b.gh(&["--json", "remote", "list"]).ok().json();
    assert_eq!((list[0]["ahead"].as_u64(), list[0]["behind"].as_u64()), (Some(0), Some(1)), "{list:#}");
    assert_eq!(list[0]["last_fetch"], "2026-11-29T17:05:00Z");
    assert_eq!(list[0]["last_sync"], "2026-11-29T17:02:30Z", "the last sync is still the last sync");
    let human = b.gh(&["remote", "list"]).ok();
    assert!(human.stdout.contains("0 ahead, 1 behind"), "{}", human.stdout);
    let taken = sync(b, "2026-11-29T17:06:00Z", "lgarcia");
    assert_eq!((taken["action"].as_str(), taken["incoming"].as_u64()), (Some("fast-forward"), Some(1)), "{taken:#}");
    assert_eq!(b.main(), a.main());
    assert_clean(b);
}

#[test]
fn two_clones_signing_at_once_both_end_up_on_the_record_through_a_signed_sync_merge() {
    let (origin, _bare, clones) = consortium(2);
    let (a, b) = (&clones[0], &clones[1]);
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    sign(b, "2026-11-29T17:01:30Z", "lgarcia", GATE);
    let (a_before, b_before) = (a.main(), b.main());
    assert_eq!(sync(a, "2026-11-29T17:02:00Z", "hsato")["action"], "pushed");
    let merged = sync(b, "2026-11-29T17:03:00Z", "lgarcia");
    assert_eq!(merged["action"], "merged", "both have new work: {merged:#}");
    let merge = merged["merge"].as_str().expect("the merge commit").to_string();
    assert_eq!(merged["head"], merge.as_str());
    b.assert_trailers(&merge, &[("Gatehouse-Action", "sync"), ("Gatehouse-Member", "lgarcia")]);
    let parents = b.git_ok(&["rev-list", "--parents", "-n", "1", &merge]);
    assert_eq!(
        parents.split_whitespace().skip(1).collect::<Vec<_>>(),
        vec![b_before.as_str(), a_before.as_str()],
        "first parent b's own tip, second the remote's"
    );
    // Signed like every action, and plain git agrees.
    let allowed = origin.allowed_signers_file();
    let setting = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
    assert_eq!(b.git(&["-c", &setting, "verify-commit", &merge]).code, 0, "git verify-commit accepts the merge");

    assert_eq!(sync(a, "2026-11-29T17:04:00Z", "hsato")["action"], "fast-forward");
    assert_eq!(a.main(), b.main(), "one record");
    assert_eq!(signoff_files(a), signoff_files(b));
    assert_eq!(a.gate_state(MODEL, GATE).1, 2, "both approvals count");
    for f in [a, b] {
        assert_holds(f, &a_before);
        assert_holds(f, &b_before);
        assert_clean(f);
    }
}

#[test]
fn three_clones_signing_the_same_and_different_gates_sync_in_any_order_and_agree() {
    let (_origin, _bare, clones) = consortium(3);
    let members = ["hsato", "lgarcia", "nbrunner"];
    // Each clone signs licensing (the same gate, different members); hsato signs twice in two
    // clones at different times: two files, both kept.
    sign(&clones[0], "2026-11-29T17:01:00Z", "hsato", GATE);
    sign(&clones[1], "2026-11-29T17:01:10Z", "lgarcia", GATE);
    sign(&clones[2], "2026-11-29T17:01:20Z", "nbrunner", GATE);
    sign(&clones[2], "2026-11-29T17:01:30Z", "hsato", GATE);
    let tips: Vec<String> = clones.iter().map(Fixture::main).collect();
    // Sync rounds in a fixed shuffled order (a seeded choice, so a failure can be replayed).
    let orders = [[2, 0, 1], [1, 2, 0], [0, 1, 2]];
    let mut minute = 2;
    for order in orders {
        for i in order {
            sync(&clones[i], &format!("2026-11-29T17:{minute:02}:00Z"), members[i]);
            minute += 1;
        }
    }
    let head = clones[0].main();
    for (i, f) in clones.iter().enumerate() {
        assert_eq!(f.main(), head, "clone {i} holds the same record");
        for tip in &tips {
            assert_holds(f, tip);
        }
        assert_eq!(signoff_files(f).len(), signoff_files(&clones[0]).len());
        assert_clean(f);
    }
    let files = signoff_files(&clones[0]);
    let new: Vec<&String> =
        files.iter().filter(|p| p.starts_with(&format!("{}/{GATE}/20261129T1701", signoffs_dir(MODEL)))).collect();
    assert_eq!(new.len(), 4, "all four sign-offs made in the clones are on the record: {new:#?}");
}

#[test]
fn a_remote_whose_history_was_rewritten_is_refused_and_nothing_is_taken_in() {
    let (_origin, bare, clones) = consortium(2);
    let (a, b) = (&clones[0], &clones[1]);
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    let dropped = a.main();
    sync(a, "2026-11-29T17:02:00Z", "hsato");
    // Someone with write access resets the remote's main behind a's commit.
    let parent = a.git_ok(&["rev-parse", "main~1"]);
    let out = Command::new("git")
        .args(["--git-dir"])
        .arg(&bare)
        .args(["update-ref", "refs/heads/main", &parent])
        .output()
        .expect("git update-ref");
    assert!(out.status.success());
    sign(b, "2026-11-29T17:03:00Z", "lgarcia", GATE);
    b.gh(&["--as", "lgarcia", "sync"]).ok();
    // a saw its commit on the remote at its last sync.
    let before = a.state();
    a.assert_refused(&["--as", "hsato", "sync"], 1, &["history was rewritten", &dropped]);
    let json = a.gh(&["--json", "--as", "hsato", "sync"]);
    assert_eq!(json.code, 1);
    assert_eq!(json.json()["error"]["code"], "remote-rewritten", "{}", json.stdout);
    assert_state_eq(&before, &a.state(), "a refused sync");
    // The Verify screen lists the refusal: the commit the remote dropped, as verify names a
    // rewritten history.
    let refused = refusals(a);
    assert_eq!(refused.len(), 1, "one remote refused: {refused:#?}");
    assert_eq!((refused[0].remote.as_str(), refused[0].code.as_str()), ("origin", "remote-rewritten"));
    assert_eq!(refused[0].tip, b.main(), "the remote's main that was refused");
    let found: Vec<(&str, FindingKind)> = refused[0].findings.iter().map(|f| (f.commit.as_str(), f.kind)).collect();
    assert_eq!(found, [(dropped.as_str(), FindingKind::HistoryRewritten)]);
    assert!(!refused[0].findings[0].summary.is_empty(), "the dropped commit is described");
    let listed = a.gh(&["remote", "list"]).ok().stdout;
    assert!(
        listed.contains(&format!("refused at {}", common::AT)),
        "remote list says the remote stands refused: {listed}"
    );
    // Once the remote holds a's commit again, the next sync takes it in and the refusal goes.
    let out = Command::new("git")
        .args(["--git-dir"])
        .arg(&bare)
        .args(["update-ref", "refs/heads/main", &dropped])
        .output()
        .expect("git update-ref");
    assert!(out.status.success());
    assert_eq!(sync(a, "2026-11-29T17:05:00Z", "hsato")["action"], "up-to-date");
    assert!(refusals(a).is_empty(), "a remote taken in no longer stands refused");
    let listed = a.gh(&["--json", "remote", "list"]).ok().json();
    assert_eq!(listed[0]["refused_at"], Value::Null, "{listed:#}");
}

/// The refusals the Verify screen lists, as the library gives them to it.
fn refusals(f: &Fixture) -> Vec<Refused> {
    let gov = Governance::open(&f.repo).expect("open");
    verify_view(&gov, &mut Silent).expect("verify view").refused
}

#[test]
fn new_commits_that_break_the_rules_are_refused_with_the_findings_and_nothing_is_taken_in() {
    let (_origin, bare, clones) = consortium(2);
    let (a, b) = (&clones[0], &clones[1]);
    // In b, an edit of a sign-off made with plain git, pushed with plain git.
    let path = b.signoff_of("aurora-sci-200b", "safety", "lgarcia");
    let full = b.repo.join(&path);
    let text = std::fs::read_to_string(&full).expect("read");
    std::fs::write(&full, text.replace("decision = \"changes-requested\"", "decision = \"approve\"")).expect("write");
    let m = b.member("rvance");
    let tamper = b.commit_signed_as(&m.name, &m.email, "Quietly approve\n", &b.demo_key("rvance"));
    let out = Command::new("git").arg("-C").arg(&b.repo).args(["push", "-q", "origin", "main"]).output().expect("push");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = bare;
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    let before = a.state();
    a.assert_refused(&["--as", "hsato", "sync"], 1, &["break the rules", "edited-signoff", &tamper[..12], &path]);
    assert_state_eq(&before, &a.state(), "a refused sync");
    assert!(
        !a.repo.join(".git/gatehouse/quarantine/origin").exists(),
        "what was fetched is deleted with its quarantine"
    );
    assert_eq!(a.verify().0, 0, "a's own record is still clean");
    // The findings stay readable on the Verify screen, though the commits were not kept.
    assert!(a.git(&["cat-file", "-e", &tamper]).code != 0, "the tampering commit is not in a");
    let refused = refusals(a);
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0].code, "incoming-breach");
    let f = &refused[0].findings;
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].kind, f[0].commit.as_str(), f[0].path.as_deref()),
        (FindingKind::EditedSignoff, tamper.as_str(), Some(path.as_str()))
    );
    assert_eq!(f[0].summary, "Quietly approve", "described from what was fetched");
}

/// Two clones whose owners each edit the model's card their own way: (the sample, which holds
/// the remote, [a, b], a's tip, b's tip, the card's path), b's edit already on the remote.
fn card_edited_two_ways() -> (Fixture, Vec<Fixture>, String, String, String) {
    let (origin, _bare, clones) = consortium(2);
    let card = |f: &Fixture, owner: &str, at: &str, line: &str| -> String {
        let path = f.repo.join(format!("models/{MODEL}/card.md"));
        let text = std::fs::read_to_string(&path).expect("the card");
        let new = f.root.join("card.md");
        std::fs::write(&new, format!("{text}\n{line}\n")).expect("write the new card");
        f.gh_at(at, &["--as", owner, "model", "update", MODEL, "--card", &new.display().to_string()]).ok();
        f.main()
    };
    let ours = card(&clones[0], "lgarcia", "2026-11-29T17:01:00Z", "Evaluated on the 2026 suite.");
    let theirs = card(&clones[1], "jferrer", "2026-11-29T17:01:30Z", "Evaluated on the 2025 suite.");
    sync(&clones[1], "2026-11-29T17:02:00Z", "jferrer");
    (origin, clones, ours, theirs, format!("models/{MODEL}/card.md"))
}

fn card_text(f: &Fixture) -> String {
    f.git_ok(&["show", &format!("refs/heads/main:models/{MODEL}/card.md")])
}

#[test]
fn a_card_changed_two_ways_stops_the_sync_naming_the_file_and_commits_and_leaves_both_sides() {
    let (_origin, clones, ours, theirs, path) = card_edited_two_ways();
    let (a, b) = (&clones[0], &clones[1]);
    let before = a.state();
    a.assert_refused(
        &["--as", "lgarcia", "sync"],
        1,
        &["changed the same file", &path, &ours[..12], &theirs[..12], "--keep mine|theirs"],
    );
    assert_state_eq(&before, &a.state(), "a conflicting sync");
    assert_eq!(a.main(), ours, "a keeps its own version");
    let json = a.gh(&["--json", "--as", "lgarcia", "sync"]);
    assert_eq!(json.json()["error"]["code"], "sync-conflict");

    // The member chooses: their own version stands, in a signed sync merge both sides take.
    let mine = card_text(a);
    let merged = a.gh_at("2026-11-29T17:03:00Z", &["--json", "--as", "lgarcia", "sync", "--keep", "mine"]).ok().json();
    assert_eq!(merged["action"], "merged", "{merged:#}");
    assert_eq!(card_text(a), mine, "a's card is a's version, whole");
    assert_eq!(sync(b, "2026-11-29T17:04:00Z", "jferrer")["action"], "fast-forward");
    assert_eq!(card_text(b), mine, "b now has the version a kept");
    for f in [a, b] {
        assert_holds(f, &ours);
        assert_holds(f, &theirs);
        assert_clean(f);
    }
}

#[test]
fn after_a_conflict_the_member_may_take_the_remotes_version_instead() {
    let (_origin, clones, ours, theirs, _) = card_edited_two_ways();
    let (a, b) = (&clones[0], &clones[1]);
    let remote_version = card_text(b);
    let merged =
        a.gh_at("2026-11-29T17:03:00Z", &["--json", "--as", "lgarcia", "sync", "--keep", "theirs"]).ok().json();
    assert_eq!(merged["action"], "merged", "{merged:#}");
    assert_eq!(card_text(a), remote_version, "a's card is the remote's version, whole");
    assert_holds(a, &ours);
    assert_holds(a, &theirs);
    assert_clean(a);
}

#[test]
fn remotes_that_are_not_this_consortiums_record_are_refused() {
    let (_origin, _bare, clones) = consortium(1);
    let a = &clones[0];
    // Another consortium: a sample of its own, with its own root commit.
    let other = Fixture::sample();
    a.gh(&["remote", "add", "other", &url_of(&other.repo)]).ok();
    let before = a.state();
    a.assert_refused(&["--as", "hsato", "sync", "--remote", "other"], 1, &["another consortium", "shares no commit"]);
    assert_state_eq(&before, &a.state(), "another consortium");

    // A repository without main, and one whose main holds no consortium.toml.
    let plain = a.root.join("plain.git");
    assert!(Command::new("git").args(["init", "-q", "--bare"]).arg(&plain).status().expect("git init").success());
    a.gh(&["remote", "add", "plain", &url_of(&plain)]).ok();
    a.assert_refused(
        &["--as", "hsato", "sync", "--remote", "plain"],
        2,
        &["not a governance repository", "no branch main"],
    );
    let readme = a.root.join("readme");
    let git = |dir: &Path, args: &[&str]| {
        let out = Command::new("git").arg("-C").arg(dir).args(args).output().expect("git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&a.root, &["init", "-q", "-b", "main", "readme"]);
    std::fs::write(readme.join("README.md"), "not a record\n").expect("write");
    git(&readme, &["add", "README.md"]);
    git(&readme, &["-c", "user.name=X", "-c", "user.email=x@example.org", "commit", "-q", "-m", "readme"]);
    a.gh(&["remote", "add", "readme", &url_of(&readme)]).ok();
    a.assert_refused(
        &["--as", "hsato", "sync", "--remote", "readme"],
        2,
        &["not a governance repository", "consortium.toml"],
    );
    assert_state_eq(&before, &a.state(), "remotes that are not governance repositories");
}

#[test]
fn an_unreachable_remote_or_a_wrong_url_says_so_and_changes_nothing() {
    let (_origin, _bare, clones) = consortium(1);
    let a = &clones[0];
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    a.gh(&["remote", "add", "gone", "file:///nonexistent/record.git"]).ok();
    // A port nobody listens on.
    let port = free_port();
    a.gh(&["remote", "add", "closed", &format!("git://127.0.0.1:{port}/record.git")]).ok();
    let before = a.state();
    for remote in ["gone", "closed"] {
        let r = a.gh(&["--json", "--as", "hsato", "sync", "--remote", remote]);
        assert_eq!(r.code, 2, "{remote}: a failure, not a refusal: {}", r.stdout);
        assert_eq!(r.json()["error"]["code"], "remote-unreachable", "{remote}: {}", r.stdout);
        assert_state_eq(&before, &a.state(), remote);
    }
    a.assert_refused(&["--as", "hsato", "sync", "--remote", "nowhere"], 2, &["--remote", "no remote named nowhere"]);
    a.assert_refused(&["remote", "add", "bad name", "file:///x"], 2, &["NAME", "not a remote name"]);
    a.assert_refused(&["remote", "add", "gone", "file:///x"], 2, &["NAME", "exists already"]);
}

#[test]
fn a_push_the_remote_rejects_leaves_the_local_record_as_it_was() {
    let (_origin, bare, clones) = consortium(2);
    let (a, b) = (&clones[0], &clones[1]);
    install_hook(&bare.join("hooks/pre-receive"), "echo 'the record is frozen for the audit' >&2\nexit 1\n");
    sign(b, "2026-11-29T17:00:30Z", "lgarcia", GATE);
    let _ = b;
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    let before = a.state();
    let r = a.gh(&["--json", "--as", "hsato", "sync"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let error = &r.json()["error"];
    assert_eq!(error["code"], "push-rejected");
    assert!(
        error["message"].as_str().unwrap_or("").contains("the record is frozen for the audit"),
        "the hook's words reach the user: {error}"
    );
    assert_state_eq(&before, &a.state(), "a rejected push");
}

#[test]
fn a_push_racing_another_push_fetches_again_merges_and_lands() {
    let (_origin, _bare, clones) = consortium(2);
    let (a, b) = (&clones[0], &clones[1]);
    sign(b, "2026-11-29T17:00:30Z", "lgarcia", GATE);
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    // b's push lands between a's fetch and a's push: a's pre-push hook makes it (once).
    let marker = a.root.join("raced");
    let push_b =
        format!("unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE\ngit -C '{}' push -q origin main\n", b.repo.display());
    before_the_first_push(a, &marker, &push_b);
    let b_tip = b.main();
    let done = sync(a, "2026-11-29T17:02:00Z", "hsato");
    assert!(marker.exists(), "the race happened");
    assert_eq!(done["action"], "merged", "{done:#}");
    assert_eq!(done["retries"], 1, "one more round after the remote moved");
    assert_holds(a, &b_tip);
    assert_eq!(a.gate_state(MODEL, GATE).1, 2, "both approvals");
    assert_clean(a);
}

#[test]
fn a_second_sync_in_the_same_clone_waits_for_the_first_and_finds_the_record_synced() {
    let (_origin, _bare, clones) = consortium(1);
    let a = &clones[0];
    sign(a, "2026-11-29T17:01:00Z", "hsato", GATE);
    // The first sync's push takes two seconds (its pre-push hook sleeps, once): the second
    // sync starts while the first holds the clone.
    let marker = a.root.join("pushing");
    before_the_first_push(a, &marker, "sleep 2\n");
    let args = ["--json", "--as", "hsato", "sync"];
    let in_background = |cmd: Command, what: &str| {
        let what = what.to_string();
        std::thread::spawn(move || common::run(cmd, what))
    };
    let first = in_background(a.gh_command_at("2026-11-29T17:02:00Z", &args), "the first sync");
    while !marker.exists() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = in_background(a.gh_command_at("2026-11-29T17:02:01Z", &args), "the second sync");
    let (first, second) = (first.join().expect("the first sync ran"), second.join().expect("the second sync ran"));
    assert_eq!(first.ok().json()["action"], "pushed", "the first sync sends the sign-off");
    assert_eq!(
        second.ok().json()["action"],
        "up-to-date",
        "the second waited for the first instead of fetching and pushing beside it"
    );
    assert_clean(a);
}

#[test]
fn sync_works_over_git_daemon_on_loopback() {
    let (origin, bare, _) = consortium(0);
    let daemon = Daemon::start(bare.parent().expect("the remote's folder"));
    let url = format!("git://127.0.0.1:{}/shared.git", daemon.port);
    let a = clone_of(&origin, &url);
    let b = clone_of(&origin, &url);
    sign(&a, "2026-11-29T17:01:00Z", "hsato", GATE);
    sign(&b, "2026-11-29T17:01:30Z", "lgarcia", GATE);
    assert_eq!(sync(&a, "2026-11-29T17:02:00Z", "hsato")["action"], "pushed");
    assert_eq!(sync(&b, "2026-11-29T17:03:00Z", "lgarcia")["action"], "merged");
    assert_eq!(sync(&a, "2026-11-29T17:04:00Z", "hsato")["action"], "fast-forward");
    assert_eq!(a.main(), b.main());
    assert_clean(&a);
    drop(daemon);
    // With the daemon stopped, the remote is unreachable and nothing changes.
    let before = a.state();
    let r = a.gh(&["--json", "--as", "hsato", "sync"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.json()["error"]["code"], "remote-unreachable");
    assert_state_eq(&before, &a.state(), "a stopped daemon");
}

/// `n` approvals of licensing made in process as the library makes them, hsato, lgarcia and
/// nbrunner in turn, a second apart from `start`: a member's busy week, quickly.
fn sign_many(repo: &Path, n: usize, start: &str) {
    let gov = Governance::open(repo).expect("open the clone");
    let start: DateTime<Utc> = start.parse().expect("a time");
    let members = ["hsato", "lgarcia", "nbrunner"];
    let keys = KeyRequest { explicit: None, agent: None, passphrase: None, home: None };
    let signers: Vec<_> =
        members.iter().map(|m| signer_for(&gov, m, &keys).expect("a key").expect("the demo key")).collect();
    let tree = gov.tree_of(gov.head().expect("main")).expect("tree");
    let fw = gatehouse::record::Framework::load(gov.repo(), &tree).expect("framework");
    let items: Vec<ItemInput> = fw
        .gate(GATE)
        .expect("the licensing gate")
        .items
        .iter()
        .map(|i| ItemInput { id: i.id.clone(), state: ItemState::Done, note: String::new() })
        .collect();
    for i in 0..n {
        let k = i % members.len();
        let req = SignoffRequest {
            model: MODEL.into(),
            gate: GATE.into(),
            member: members[k].into(),
            decision: Decision::Approve,
            items: items.clone(),
            evidence: Vec::new(),
            comment: String::new(),
            at: start + chrono::Duration::seconds(i as i64),
        };
        signoff(&gov, &req, Some(&signers[k] as &dyn CommitSigner)).expect("a sign-off");
    }
}

#[test]
fn a_member_offline_for_a_week_with_50_signoffs_syncs_into_a_remote_that_moved_by_500_commits() {
    let (_origin, _bare, clones) = consortium(2);
    let (offline, busy) = (&clones[0], &clones[1]);
    let before = offline.main();
    sign_many(&offline.repo, 50, "2026-11-30T09:00:00Z");
    sign_many(&busy.repo, 500, "2026-11-30T10:00:00Z");
    let sent = sync(busy, "2026-12-06T09:00:00Z", "nbrunner");
    assert_eq!((sent["action"].as_str(), sent["outgoing"].as_u64()), (Some("pushed"), Some(500)), "{sent:#}");
    let mine = offline.main();
    let merged = sync(offline, "2026-12-07T09:00:00Z", "hsato");
    assert_eq!(merged["action"], "merged", "{merged:#}");
    assert_eq!(merged["incoming"], 500, "the remote's 500 new commits were checked and taken in");
    assert_eq!(merged["outgoing"], 51, "the week's 50 sign-offs and the sync merge went out");
    assert_eq!(sync(busy, "2026-12-07T09:05:00Z", "nbrunner")["action"], "fast-forward");
    assert_eq!(offline.main(), busy.main());
    let fresh: Vec<String> = signoff_files(offline).into_iter().filter(|p| p.contains("/20261130T")).collect();
    assert_eq!(fresh.len(), 550, "every sign-off of the week, from both sides, is on the record");
    for f in [offline, busy] {
        assert_holds(f, &before);
        assert_holds(f, &mine);
        assert_clean(f);
    }
}

/// A git hook at `path` running the shell `script`.
fn install_hook(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().expect("a hooks folder")).expect("hooks folder");
    std::fs::write(path, format!("#!/bin/sh\n{script}")).expect("hook");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// `f`'s pre-push hook, before its first push only: touches `marker`, then runs `script`.
fn before_the_first_push(f: &Fixture, marker: &Path, script: &str) {
    let once = format!("[ -e '{m}' ] && exit 0\ntouch '{m}'\n{script}", m = marker.display());
    install_hook(&f.repo.join(".git/hooks/pre-push"), &once);
}
