//! The human output a reviewer reads, pinned: the sample's status table and a gate's page.
//! Neither contains commit ids, so both are stable across runs (the sample's keys are not).

mod common;

use common::Fixture;

#[test]
fn status_of_the_sample() {
    let f = Fixture::sample();
    let r = f.gh(&["status"]).ok();
    assert_eq!(r.stderr, "", "the sample has no malformed files to warn about");
    assert!(!r.stdout.contains('\u{1b}'), "--color never prints no escape codes");
    let head = f.main();
    assert!(!r.stdout.contains(&head[..7]), "the status table carries no commit id, so it can be pinned");
    insta::assert_snapshot!("status_sample", r.stdout);
}

#[test]
fn status_of_one_model() {
    let f = Fixture::sample();
    let r = f.gh(&["status", "--model", "tpc-science-34b"]).ok();
    assert!(!r.stdout.contains('\u{1b}'), "--color never prints no escape codes");
    insta::assert_snapshot!("status_tpc_science_34b", r.stdout);
}

#[test]
fn show_gate_safety() {
    let f = Fixture::sample();
    let r = f.gh(&["show", "gate", "safety"]).ok();
    assert!(!r.stdout.contains('\u{1b}'), "--color never prints no escape codes");
    assert!(
        r.stdout.contains("safety-reviewer") && r.stdout.contains("red-team-internal"),
        "the gate page names its role and its items"
    );
    insta::assert_snapshot!("show_gate_safety", r.stdout);
}
