//! Verify checks only the commits made since its last run in this clone
//! (`.git/gatehouse/verified/`, docs/format.md "Verification"), finds what a whole check
//! finds, and never lets that record change what a report of a commit says. Every other
//! test's `Fixture::verify` also compares the incremental run with `verify --full`.

mod common;

use common::{signoff_args, Fixture};

const MODEL: &str = "tpc-science-34b";
const GATE: &str = "licensing";

fn approve(f: &Fixture, at: &str, member: &str) {
    f.gh_at(at, &signoff_args(member, MODEL, GATE, "approve", &["--item", "all=done"])).ok();
}

fn verified_dir(f: &Fixture) -> std::path::PathBuf {
    f.repo.join(".git/gatehouse/verified")
}

#[test]
fn a_second_verify_checks_only_the_commits_since_and_says_so() {
    let f = Fixture::sample();
    let before = f.all_commits().len() as u64;
    let (code, first) = f.verify();
    assert_eq!(code, 0, "the sample is clean: {first:#}");
    assert_eq!(first["commits_reused"], before, "the sample's tip was verified by the fixture's warm-up report");

    approve(&f, "2026-11-29T17:01:00Z", "hsato");
    approve(&f, "2026-11-29T17:02:00Z", "lgarcia");
    let (code, second) = f.verify();
    assert_eq!(code, 0, "two sign-offs made with the CLI are clean: {second:#}");
    assert_eq!(second["commits_checked"], before + 2, "the whole history counts");
    assert_eq!(second["commits_reused"], before, "only the two new commits were checked");

    let human = f.gh(&["verify"]);
    assert_eq!(human.code, 0);
    assert!(
        human.stdout.contains(&format!(
            "{} commit(s) checked ({} by an earlier run), 0 finding(s)",
            before + 2,
            before + 2
        )),
        "the summary says how much an earlier run had checked: {}",
        human.stdout
    );
    let full = f.gh(&["verify", "--full"]);
    assert!(
        full.stdout.contains(&format!("{} commit(s) checked, 0 finding(s)", before + 2)),
        "--full checks everything again and says nothing of earlier runs: {}",
        full.stdout
    );
}

#[test]
fn a_tamper_made_after_the_last_verify_is_found_by_the_incremental_check() {
    let f = Fixture::sample();
    assert_eq!(f.verify().0, 0);
    let path = f.signoff_of("aurora-sci-200b", "safety", "lgarcia");
    f.git(&["rm", "-q", &path]).ok();
    let m = f.member("rvance");
    let commit = f.commit_signed_as(&m.name, &m.email, "Drop an inconvenient review\n", &f.demo_key("rvance"));
    // `Fixture::verify` also asserts that `--full` finds exactly this.
    let (code, report) = f.verify();
    assert_eq!(code, 1, "the deletion is a breach: {report:#}");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "one finding: {report:#}");
    assert_eq!(findings[0]["kind"], "deleted-signoff");
    assert_eq!(findings[0]["commit"], commit.as_str());
    assert_eq!(
        report["commits_reused"].as_u64(),
        Some(f.all_commits().len() as u64 - 1),
        "only the tampering commit was checked"
    );
    // And the finding stays on the record of the next runs, which check nothing new.
    let (code, again) = f.verify();
    assert_eq!(code, 1);
    assert_eq!(again["findings"], report["findings"], "a finding is not forgotten once its commit was checked");
    assert_eq!(again["commits_reused"], again["commits_checked"]);
}

#[test]
fn a_record_that_cannot_be_read_is_ignored_and_everything_is_checked() {
    let f = Fixture::sample();
    let tip = f.main();
    let entry = verified_dir(&f).join(&tip);
    assert!(entry.is_file(), "the warm-up report recorded the sample's tip at {}", entry.display());
    std::fs::write(&entry, b"{ not json").expect("spoil the record");
    let r = f.gh(&["--json", "verify"]);
    assert_eq!(r.code, 0, "a spoiled record is no finding and no error: {}", r.stderr);
    let json = r.json();
    assert_eq!(json["commits_reused"], 0, "nothing is reused from a record that cannot be read");
    assert_eq!(json["commits_checked"], f.all_commits().len() as u64);
    let text = std::fs::read_to_string(&entry).expect("read the record again");
    assert!(text.contains(&tip), "the run wrote a sound record in its place: {text}");
}

#[test]
fn a_report_of_an_older_commit_is_the_same_whatever_this_clone_has_seen() {
    let f = Fixture::sample();
    approve(&f, "2026-11-29T17:01:00Z", "hsato");
    approve(&f, "2026-11-29T17:02:00Z", "lgarcia");
    // The witness now holds the new tip; the report describes the commit before it.
    assert_eq!(f.verify().0, 0);
    let older = f.git_ok(&["rev-parse", "main~1"]);
    let report_at = |name: &str| -> Vec<u8> {
        let out = f.root.join(name);
        let repo = f.repo.display().to_string();
        let out_arg = out.display().to_string();
        f.gatehouse_raw(&[
            "--repo", &repo, "report", "--model", MODEL, "--format", "json", "--at", &older, "-o", &out_arg,
        ])
        .ok();
        std::fs::read(out).expect("read the report")
    };
    let first = report_at("first.json");
    let json: serde_json::Value = serde_json::from_slice(&first).expect("JSON");
    assert_eq!(json["commit"]["id"], older.as_str(), "the report describes the older commit");
    assert_eq!(
        json["findings"],
        serde_json::json!([]),
        "tips seen after the commit described are not history rewritten in a report of it"
    );
    std::fs::remove_dir_all(verified_dir(&f)).expect("forget what verify found");
    let second = report_at("second.json");
    assert!(first == second, "a report made with a whole check is byte for byte the one made reusing earlier runs");
}
