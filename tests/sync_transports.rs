//! `gatehouse sync` over the transports consortia use, with servers started and stopped here:
//! git's smart-HTTP backend behind lighttpd (Debian's package, installed by scripts/setup) on
//! 127.0.0.1 with basic authentication, reached with a credential helper as git users do; and
//! `git daemon` behind a connection that is cut in the middle of a fetch.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::servers::{bare_copy, clone_of, free_port, wait_for_port, Daemon};
use common::{assert_state_eq, signoff_args, Fixture};

const MODEL: &str = "tpc-science-34b";
const GATE: &str = "licensing";
const USER: &str = "ana";
const PASSWORD: &str = "s3cret-Passw0rd";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The sample's record as a bare repository in `dir/repos/shared.git`.
fn shared_remote(origin: &Fixture, dir: &Path) {
    bare_copy(origin, &dir.join("repos/shared.git"));
}

fn sign(f: &Fixture, at: &str, member: &str) {
    f.gh_at(at, &signoff_args(member, MODEL, GATE, "approve", &["--item", "all=done"])).ok();
}

/// lighttpd serving `dir/repos` through git-http-backend under `/git/`, every request behind
/// basic authentication (user `ana`); stopped on drop.
struct HttpServer {
    child: Child,
    port: u16,
}

impl HttpServer {
    fn start(dir: &Path) -> HttpServer {
        let port = free_port();
        let users = dir.join("users");
        std::fs::write(&users, format!("{USER}:{PASSWORD}\n")).expect("users file");
        let backend = Command::new("git").arg("--exec-path").output().expect("git --exec-path");
        let backend = PathBuf::from(String::from_utf8_lossy(&backend.stdout).trim()).join("git-http-backend");
        let conf = dir.join("lighttpd.conf");
        std::fs::write(
            &conf,
            format!(
                r#"server.modules = ("mod_alias", "mod_auth", "mod_authn_file", "mod_cgi", "mod_setenv")
server.document-root = "{root}"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{root}/lighttpd-error.log"
alias.url = ("/git" => "{backend}")
auth.backend = "plain"
auth.backend.plain.userfile = "{users}"
auth.require = ("/git" => ("method" => "basic", "realm" => "consortium", "require" => "valid-user"))
$HTTP["url"] =~ "^/git" {{
    cgi.assign = ("" => "")
    setenv.add-environment = ("GIT_PROJECT_ROOT" => "{root}/repos", "GIT_HTTP_EXPORT_ALL" => "1")
}}
"#,
                root = dir.display(),
                backend = backend.display(),
                users = users.display(),
            ),
        )
        .expect("lighttpd.conf");
        let child = Command::new("lighttpd")
            .arg("-D")
            .arg("-f")
            .arg(&conf)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("lighttpd (scripts/setup installs it)");
        wait_for_port(port, "lighttpd");
        HttpServer { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/git/shared.git", self.port)
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A credential helper, as a git user configures one: `store` with its own file.
fn credential_store(dir: &Path, port: u16, password: &str) -> String {
    let file = dir.join("git-credentials");
    std::fs::write(&file, format!("http://{USER}:{password}@127.0.0.1:{port}\n")).expect("credentials");
    format!("credential.helper=store --file={}", file.display())
}

#[test]
fn sync_over_smart_http_with_basic_authentication_and_a_credential_helper() {
    let origin = Fixture::sample();
    let server_dir = origin.root.join("server");
    shared_remote(&origin, &server_dir);
    let server = HttpServer::start(&server_dir);
    let helper = credential_store(&origin.root, server.port, PASSWORD);
    let a = clone_of(&origin, &server.url(), &[&helper]);
    let b = clone_of(&origin, &server.url(), &[&helper]);
    sign(&a, "2026-11-29T17:01:00Z", "hsato");
    sign(&b, "2026-11-29T17:01:30Z", "lgarcia");
    let pushed = a.gh_at("2026-11-29T17:02:00Z", &["--json", "--as", "hsato", "sync"]).ok().json();
    assert_eq!(pushed["action"], "pushed", "{pushed:#}");
    let merged = b.gh_at("2026-11-29T17:03:00Z", &["--json", "--as", "lgarcia", "sync"]).ok().json();
    assert_eq!(merged["action"], "merged", "{merged:#}");
    let taken = a.gh_at("2026-11-29T17:04:00Z", &["--json", "--as", "hsato", "sync"]).ok().json();
    assert_eq!(taken["action"], "fast-forward", "{taken:#}");
    assert_eq!(a.main(), b.main(), "one record, through the web server");
    assert_eq!(a.gate_state(MODEL, GATE).1, 2, "both approvals");
    let (code, report) = a.verify();
    assert_eq!(code, 0, "{report:#}");
    a.assert_fsck_clean();
    let log = std::fs::read_to_string(server_dir.join("lighttpd-error.log")).unwrap_or_default();
    assert!(!log.contains(PASSWORD), "the server's log holds no password");
}

#[test]
fn wrong_or_missing_credentials_are_an_authentication_error_that_shows_no_secret() {
    let origin = Fixture::sample();
    let server_dir = origin.root.join("server");
    shared_remote(&origin, &server_dir);
    let server = HttpServer::start(&server_dir);
    let helper = credential_store(&origin.root, server.port, PASSWORD);
    let a = clone_of(&origin, &server.url(), &[&helper]);
    sign(&a, "2026-11-29T17:01:00Z", "hsato");
    // A URL holding a wrong password, and a remote with no credentials at all.
    let wrong = format!("http://{USER}:not-the-Passw0rd@127.0.0.1:{}/git/shared.git", server.port);
    a.gh(&["remote", "add", "wrong", &wrong]).ok();
    let list = a.gh(&["remote", "list"]).ok();
    assert!(!list.stdout.contains("not-the-Passw0rd"), "remote list masks the password: {}", list.stdout);
    git(&a.repo, &["config", "--unset", "credential.helper"]);
    let before = a.state();
    for remote in ["wrong", "origin"] {
        let r = a.gh(&["--json", "--as", "hsato", "sync", "--remote", remote]);
        assert_eq!(r.code, 2, "{remote}: a failure, not a refusal: {} {}", r.stdout, r.stderr);
        assert_eq!(r.json()["error"]["code"], "remote-authentication", "{remote}: {}", r.stdout);
        for secret in ["not-the-Passw0rd", PASSWORD] {
            assert!(
                !r.stdout.contains(secret) && !r.stderr.contains(secret),
                "{remote}: no secret is shown: {}",
                r.stderr
            );
        }
        assert_state_eq(&before, &a.state(), remote);
    }
    let config = std::fs::read_to_string(a.repo.join(".git/config")).expect("config");
    assert!(!config.contains(PASSWORD), "Gatehouse stored no secret of its own");
}

/// A TCP relay to `upstream` that forwards what the client sends, and at most `limit` bytes of
/// what the server answers before it cuts both ways: a network failing in the middle.
struct CuttingRelay {
    port: u16,
}

impl CuttingRelay {
    fn start(upstream: u16, limit: usize) -> CuttingRelay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("relay port");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                std::thread::spawn(move || relay(client, upstream, limit));
            }
        });
        CuttingRelay { port }
    }
}

fn relay(client: TcpStream, upstream: u16, limit: usize) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else { return };
    let (mut to_server, mut from_client) = (server.try_clone().expect("clone"), client.try_clone().expect("clone"));
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_client, &mut to_server);
    });
    let (mut from_server, mut to_client) = (server, client);
    let mut sent = 0;
    let mut buf = [0u8; 512];
    while sent < limit {
        let n = match from_server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n.min(limit - sent),
        };
        if to_client.write_all(&buf[..n]).is_err() {
            break;
        }
        sent += n;
    }
    let _ = to_client.shutdown(Shutdown::Both);
    let _ = from_server.shutdown(Shutdown::Both);
}

#[test]
fn a_network_cut_in_the_middle_of_a_fetch_leaves_the_record_as_it_was() {
    let origin = Fixture::sample();
    let repos = origin.root.join("server");
    shared_remote(&origin, &repos);
    let daemon = Daemon::start(&repos.join("repos"));
    let direct = format!("git://127.0.0.1:{}/shared.git", daemon.port);
    let colleague = clone_of(&origin, &direct, &[]);
    let a = clone_of(&origin, &direct, &[]);
    // The colleague's work: enough new objects that the pack is still coming when the cut falls.
    for (i, member) in ["hsato", "lgarcia", "nbrunner", "hsato", "lgarcia", "nbrunner"].iter().enumerate() {
        sign(&colleague, &format!("2026-11-29T17:0{i}:00Z"), member);
    }
    colleague.gh_at("2026-11-29T17:10:00Z", &["--as", "hsato", "sync"]).ok();
    // The advertisement of refs gets through, the pack does not.
    let relay = CuttingRelay::start(daemon.port, 1024);
    a.gh(&["remote", "add", "flaky", &format!("git://127.0.0.1:{}/shared.git", relay.port)]).ok();
    let before = a.state();
    let r = a.gh(&["--json", "--as", "rvance", "sync", "--remote", "flaky"]);
    assert_eq!(r.code, 2, "a cut connection is a failure: {} {}", r.stdout, r.stderr);
    assert_eq!(r.json()["error"]["code"], "remote-unreachable", "{}", r.stdout);
    assert_state_eq(&before, &a.state(), "a fetch cut in the middle");
    assert!(!a.repo.join(".git/gatehouse/quarantine/flaky").exists(), "the partial fetch is deleted");
    // Once the network is back, the same sync goes through.
    let done = a.gh(&["--json", "--as", "rvance", "sync"]).ok().json();
    assert_eq!(done["action"], "fast-forward", "{done:#}");
    assert_eq!(a.main(), colleague.main());
}
