//! Where signing keys come from, and what happens when one cannot be used. Every signed commit
//! is checked by plain `git verify-commit`; every refusal leaves the repository and index as
//! they were.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run, Fixture, AT};

/// A sign-off akeller may make on the sample: baseline's intake (registry-steward, not
/// independent).
const SIGNOFF: &[&str] =
    &["--as", "akeller", "signoff", "--model", "baseline-1.4b", "--gate", "intake", "--decision", "approve"];

fn signoff_args(extra: &[&str]) -> Vec<String> {
    extra.iter().chain(SIGNOFF).chain(&["--item", "all=done"]).map(|s| s.to_string()).collect()
}

/// `gatehouse signoff` (akeller, baseline intake) with extra global arguments and environment.
fn signoff_command(f: &Fixture, extra: &[&str], env: &[(&str, &str)]) -> (Command, String) {
    let args = signoff_args(extra);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut cmd = f.gh_command_at(AT, &refs);
    for (k, v) in env {
        cmd.env(k, v);
    }
    (cmd, format!("gatehouse {}", args.join(" ")))
}

/// Moves akeller's demo key out of the repository, so only what the test gives is found.
fn take_demo_key(f: &Fixture) -> PathBuf {
    let moved = f.root.join("akeller_key");
    std::fs::rename(f.demo_key("akeller"), &moved).expect("move the demo key");
    std::fs::rename(f.demo_key("akeller").with_extension("pub"), moved.with_extension("pub")).expect("move .pub");
    moved
}

/// Asserts main's tip is a new commit signed by akeller's key, as plain git sees it.
fn assert_signed_by_akeller(f: &Fixture, before: &str) {
    let head = f.main();
    assert_ne!(head, before, "the sign-off was recorded");
    let setting = format!("gpg.ssh.allowedSignersFile={}", f.allowed_signers_file().display());
    let r = f.git(&["-c", &setting, "verify-commit", &head]);
    assert_eq!(r.code, 0, "git verify-commit accepts the commit: {}", r.stderr);
    assert!(r.stderr.contains("akeller@cscs.example.org"), "signed by akeller's listed key: {}", r.stderr);
    let (code, report) = f.verify();
    assert_eq!(code, 0, "gatehouse verify finds nothing wrong: {report:#}");
}

fn ssh_keygen(args: &[&str], key: &Path) {
    let out = Command::new("ssh-keygen").args(args).arg("-f").arg(key).output().expect("run ssh-keygen");
    assert!(out.status.success(), "ssh-keygen {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_key_file_that_cannot_be_read_is_bad_input_naming_the_file() {
    let f = Fixture::sample();
    let (cmd, what) = signoff_command(&f, &["--key", "/nonexistent/id_ed25519"], &[]);
    f.assert_command_refused(cmd, &what, 2, &["/nonexistent/id_ed25519", "cannot read"]);
}

#[test]
fn another_members_key_is_refused_before_anything_is_written() {
    // A signature by hsato's key on akeller's sign-off would never verify as akeller's.
    let f = Fixture::sample();
    let key = f.demo_key("hsato").display().to_string();
    let (cmd, what) = signoff_command(&f, &["--key", &key], &[]);
    f.assert_command_refused(cmd, &what, 1, &["SHA256:", "not one of akeller's keys"]);
}

#[test]
fn without_any_key_an_unsigned_sign_off_is_refused_where_signing_is_required() {
    let f = Fixture::sample();
    take_demo_key(&f);
    let (cmd, what) = signoff_command(&f, &[], &[]);
    f.assert_command_refused(cmd, &what, 1, &["requires signed commits", "--key"]);
}

#[test]
fn a_passphrase_protected_key_asks_for_its_passphrase_and_signs_with_the_right_one() {
    let f = Fixture::sample();
    ssh_keygen(&["-q", "-p", "-P", "", "-N", "correct horse"], &f.demo_key("akeller"));
    let key_path = f.demo_key("akeller").display().to_string();

    // No terminal to ask on and no passphrase given: the error says how to give one.
    let (cmd, what) = signoff_command(&f, &[], &[]);
    f.assert_command_refused(cmd, &what, 2, &[&key_path, "passphrase", "GATEHOUSE_KEY_PASSPHRASE"]);

    let (cmd, what) = signoff_command(&f, &[], &[("GATEHOUSE_KEY_PASSPHRASE", "wrong")]);
    f.assert_command_refused(cmd, &what, 2, &[&key_path, "passphrase is not this key's"]);

    let before = f.main();
    let (cmd, what) = signoff_command(&f, &[], &[("GATEHOUSE_KEY_PASSPHRASE", "correct horse")]);
    run(cmd, what).ok();
    assert_signed_by_akeller(&f, &before);
}

/// A running `ssh-agent` on a socket in the fixture, killed when dropped.
struct Agent {
    socket: PathBuf,
    pid: String,
}

impl Agent {
    fn start(f: &Fixture) -> Agent {
        let socket = f.root.join("agent.sock");
        let out = Command::new("ssh-agent").arg("-a").arg(&socket).arg("-s").output().expect("start ssh-agent");
        assert!(out.status.success(), "ssh-agent starts: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let pid = text
            .split(';')
            .find_map(|part| part.trim().strip_prefix("SSH_AGENT_PID="))
            .expect("ssh-agent prints its pid")
            .to_string();
        Agent { socket, pid }
    }

    fn add(&self, key: &Path) {
        let out = Command::new("ssh-add").arg(key).env("SSH_AUTH_SOCK", &self.socket).output().expect("run ssh-add");
        assert!(out.status.success(), "ssh-add: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(&self.pid).status();
    }
}

#[test]
fn a_key_held_by_the_ssh_agent_signs_when_given_as_its_public_key() {
    let f = Fixture::sample();
    let private = take_demo_key(&f);
    let public = private.with_extension("pub").display().to_string();

    // A public key alone cannot sign without an agent: the error says what is missing.
    let (cmd, what) = signoff_command(&f, &["--key", &public], &[]);
    f.assert_command_refused(cmd, &what, 2, &["ssh-agent", "SSH_AUTH_SOCK"]);

    let agent = Agent::start(&f);
    let sock = agent.socket.display().to_string();
    // The agent runs but does not hold the key yet.
    let (cmd, what) = signoff_command(&f, &["--key", &public], &[("SSH_AUTH_SOCK", &sock)]);
    f.assert_command_refused(cmd, &what, 2, &["does not hold the key", "ssh-add"]);

    agent.add(&private);
    std::fs::remove_file(&private).expect("only the agent has the private key now");
    let before = f.main();
    let (cmd, what) = signoff_command(&f, &["--key", &public], &[("SSH_AUTH_SOCK", &sock)]);
    run(cmd, what).ok();
    assert_signed_by_akeller(&f, &before);
}

#[test]
fn gits_own_signing_key_setting_is_used_when_no_key_is_given() {
    let f = Fixture::sample();
    let private = take_demo_key(&f);
    // As a member who already signs with git would have it: gpg.format=ssh and user.signingkey.
    f.git(&["config", "gpg.format", "ssh"]).ok();
    f.git(&["config", "user.signingkey", &private.display().to_string()]).ok();
    let before = f.main();
    let (cmd, what) = signoff_command(&f, &[], &[]);
    run(cmd, what).ok();
    assert_signed_by_akeller(&f, &before);
}

#[test]
fn the_environment_names_the_key_as_well_as_the_flag() {
    let f = Fixture::sample();
    let private = take_demo_key(&f).display().to_string();
    let before = f.main();
    let (cmd, what) = signoff_command(&f, &[], &[("GATEHOUSE_SIGNING_KEY", &private)]);
    run(cmd, what).ok();
    assert_signed_by_akeller(&f, &before);
}
