//! `gatehouse attest`: a member's sign-off as an in-toto Statement in a DSSE envelope, checked by
//! the in-toto project's own Python libraries against the member's public key, as an auditor
//! outside the consortium would check it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run, signoffs_dir, Fixture, Run, AT};
use serde_json::Value;

const MODEL: &str = "switch-c-1.6t";

/// The test tools' Python, installed by scripts/setup.
fn python() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/.venv/bin/python");
    assert!(p.is_file(), "{} is missing: run scripts/setup, which installs the in-toto libraries", p.display());
    p
}

/// `member`'s public key file and its fingerprint, both made by ssh-keygen from the demo key
/// (not by Gatehouse), so the check does not trust what it checks.
fn public_key(f: &Fixture, member: &str) -> (PathBuf, String) {
    let out = f.root.join(format!("{member}.pub"));
    let key = run(
        {
            let mut c = Command::new("ssh-keygen");
            c.args(["-y", "-f"]).arg(f.demo_key(member));
            c
        },
        "ssh-keygen -y".into(),
    )
    .ok()
    .stdout;
    std::fs::write(&out, key).unwrap();
    let line = run(
        {
            let mut c = Command::new("ssh-keygen");
            c.arg("-lf").arg(&out);
            c
        },
        "ssh-keygen -l".into(),
    )
    .ok()
    .stdout;
    let fingerprint = line.split_whitespace().nth(1).expect("ssh-keygen -l prints BITS FINGERPRINT ...").to_string();
    (out, fingerprint)
}

fn verify_with_in_toto(envelope: &Path, key: &Path, keyid: &str) -> Run {
    let mut c = Command::new(python());
    c.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/verify_intoto.py")).arg(envelope).arg(key).arg(keyid);
    run(c, format!("verify_intoto.py {}", envelope.display()))
}

#[test]
fn a_signoff_exported_as_an_attestation_verifies_with_in_toto_and_names_what_was_reviewed() {
    let f = Fixture::sample();
    f.signoff_at(AT, "rvance", MODEL, "intake", "approve").ok();
    let signed = f.main();
    let out = f.root.join("intake.dsse.json");
    let r = f.gh(&["--as", "rvance", "attest", MODEL, "intake", "--out", out.to_str().unwrap()]).ok();
    assert!(
        r.stdout.contains(&format!("Wrote the attestation of {}/intake/", signoffs_dir("switch-c-1.6t"))),
        "says what it wrote: {}",
        r.stdout
    );

    let (key, keyid) = public_key(&f, "rvance");
    let checked = verify_with_in_toto(&out, &key, &keyid).ok();
    let statement: Value = serde_json::from_str(&checked.stdout).unwrap();

    // The subjects are what the reviewer looked at, as git names it.
    let reviewed_tree = f.git_ok(&["rev-parse", &format!("{signed}^:models/{MODEL}")]);
    let card_blob = f.git_ok(&["rev-parse", &format!("{signed}^:models/{MODEL}/card.md")]);
    let card_bytes = f.git_ok(&["cat-file", "blob", &card_blob]);
    let sha256 = run(
        {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("git -C '{}' cat-file blob {card_blob} | sha256sum", f.repo.display()));
            c
        },
        "sha256sum".into(),
    )
    .ok()
    .stdout;
    assert!(!card_bytes.is_empty());
    let subjects = statement["subject"].as_array().unwrap();
    assert_eq!(subjects[0]["name"], format!("models/{MODEL}"));
    assert_eq!(
        subjects[0]["digest"]["gitTree"], reviewed_tree,
        "the first subject is the model's folder as it stood when signed (git's tree id)"
    );
    assert_eq!(subjects[1]["name"], format!("models/{MODEL}/card.md"));
    assert_eq!(subjects[1]["digest"]["gitBlob"], card_blob, "the card's git blob id, as git rev-parse gives it");
    assert_eq!(
        subjects[1]["digest"]["sha256"],
        sha256.split_whitespace().next().unwrap(),
        "the card's SHA-256, as sha256sum computes it"
    );

    // The predicate is the sign-off, with the commit that recorded it.
    let p = &statement["predicate"];
    assert_eq!(statement["predicateType"], "urn:gatehouse:signoff:v1");
    assert_eq!(p["member"], "rvance");
    assert_eq!(p["gate"], "intake");
    assert_eq!(p["decision"], "approve");
    assert_eq!(p["at"], AT);
    assert_eq!(p["commit"], signed, "the commit that added the sign-off to main");
    let path = p["signoff"].as_str().unwrap();
    assert_eq!(
        p["signoff_blob"],
        f.git_ok(&["rev-parse", &format!("main:{path}")]),
        "the sign-off file's blob id, so the attestation points at exactly one file"
    );
    assert!(p["items"].as_array().is_some_and(|i| !i.is_empty()), "every checklist item's state is carried");
}

#[test]
fn a_tampered_attestation_or_another_members_key_fails_in_totos_check() {
    let f = Fixture::sample();
    f.signoff_at(AT, "rvance", MODEL, "intake", "approve").ok();
    let out = f.root.join("a.json");
    f.gh(&["--as", "rvance", "attest", MODEL, "intake", "--out", out.to_str().unwrap()]).ok();
    let (key, keyid) = public_key(&f, "rvance");

    // The decision rewritten in the payload: the signature no longer covers it.
    let mut envelope: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let payload = String::from_utf8(b64.decode(envelope["payload"].as_str().unwrap()).unwrap()).unwrap();
    assert!(payload.contains("\"decision\":\"approve\""));
    envelope["payload"] = b64.encode(payload.replace("\"decision\":\"approve\"", "\"decision\":\"reject\"")).into();
    let tampered = f.root.join("tampered.json");
    std::fs::write(&tampered, serde_json::to_string(&envelope).unwrap()).unwrap();
    let r = verify_with_in_toto(&tampered, &key, &keyid);
    assert_eq!(r.code, 1, "in-toto must reject a payload changed after signing:\n{}", r.stderr);
    assert!(r.stderr.contains("signature"), "{}", r.stderr);

    // Another member's key does not verify it.
    let (other, other_id) = public_key(&f, "hsato");
    let mut envelope: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    envelope["signatures"][0]["keyid"] = other_id.clone().into();
    let relabelled = f.root.join("relabelled.json");
    std::fs::write(&relabelled, serde_json::to_string(&envelope).unwrap()).unwrap();
    let r = verify_with_in_toto(&relabelled, &other, &other_id);
    assert_eq!(r.code, 1, "hsato's key must not verify rvance's signature:\n{}", r.stderr);
}

#[test]
fn only_the_member_who_signed_can_sign_its_attestation() {
    let f = Fixture::sample();
    f.signoff_at(AT, "rvance", MODEL, "intake", "approve").ok();
    let path = format!("{}/intake/20261129T170000Z-rvance.toml", signoffs_dir(MODEL));
    f.assert_refused(
        &["--as", "mtanaka", "attest", MODEL, "intake", "--signoff", &path],
        1,
        &["rvance's sign-off", "only the member who signed it"],
    );
    // rvance's own command with mtanaka's key: the key is not rvance's.
    let key = f.demo_key("mtanaka");
    f.assert_refused(
        &["--as", "rvance", "--key", key.to_str().unwrap(), "attest", MODEL, "intake"],
        1,
        &["not one of rvance's keys"],
    );
    // Nothing to attest: no sign-off of hsato on this gate.
    f.assert_refused(&["--as", "hsato", "attest", MODEL, "intake"], 2, &["sign-off not found", "hsato"]);
    assert!(!f.root.join("x.json").exists());
}
