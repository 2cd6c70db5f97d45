//! `gatehouse status --may-sign`: the gates the acting member may sign now, which the app's
//! "My gates" lists. Checked against `status` and against what signing itself allows.

mod common;

use common::{signoff_args, Fixture};
use serde_json::Value;

fn may_sign(f: &Fixture, member: &str) -> Vec<Value> {
    f.gh(&["--as", member, "--json", "status", "--may-sign"]).ok().json().as_array().expect("a list").clone()
}

fn key(g: &Value) -> (String, String) {
    (g["model"].as_str().unwrap_or("").to_string(), g["gate"].as_str().unwrap_or("").to_string())
}

#[test]
fn the_list_holds_only_open_gates_of_the_members_roles_and_signing_agrees() {
    let f = Fixture::sample();
    let status = f.status_json();
    let roles = |member: &str| f.member(member).roles;
    for member in ["rvance", "tokafor", "hsato", "lgarcia"] {
        let listed = may_sign(&f, member);
        assert!(!listed.is_empty(), "{member} may sign something in the sample");
        for g in &listed {
            let (model, gate) = key(g);
            let (state, ..) = common::gate_of(&status, &model, &gate);
            assert!(state != "passed" && state != "locked", "{member}: {model}/{gate} is {state}, not signable");
            let shown = f.gh(&["--json", "show", "gate", &gate]).ok().json();
            let role = shown["gate"]["signers"]["role"].as_str().unwrap_or("").to_string();
            assert!(roles(member).contains(&role), "{member} holds {role}, the role {gate} asks for");
        }
    }
    // tokafor holds no license-reviewer role: no licensing gate is theirs.
    assert!(may_sign(&f, "tokafor").iter().all(|g| g["gate"] != "licensing"), "tokafor cannot sign licensing");

    // Signing agrees: a listed gate can be signed, and an open gate left out is refused.
    let listed: Vec<(String, String)> = may_sign(&f, "tokafor").iter().map(key).collect();
    let licensing_open = common::gate_of(&status, "tpc-science-34b", "licensing").0;
    assert_ne!(licensing_open, "locked", "tpc's licensing is signable by someone");
    assert!(!listed.contains(&("tpc-science-34b".into(), "licensing".into())));
    f.assert_refused(
        &signoff_args("tokafor", "tpc-science-34b", "licensing", "approve", &["--item", "all=done"]),
        1,
        &["license-reviewer"],
    );
    let (model, gate) = listed[0].clone();
    f.gh(&signoff_args("tokafor", &model, &gate, "changes-requested", &[])).ok();
    let after = may_sign(&f, "tokafor");
    let mine = after.iter().find(|g| key(g) == (model.clone(), gate.clone()));
    assert_eq!(
        mine.map(|g| g["decision"].clone()),
        Some(Value::from("changes-requested")),
        "the gate stays listed (tokafor may sign again) with their decision: {after:?}"
    );
}

#[test]
fn the_human_table_marks_the_gates_waiting_on_the_member() {
    let f = Fixture::sample();
    let out = f.gh(&["--as", "hsato", "status", "--may-sign"]).ok();
    assert!(out.stdout.contains("YOUR DECISION"), "{}", out.stdout);
    assert!(out.stdout.contains("waiting on you"), "{}", out.stdout);
}
