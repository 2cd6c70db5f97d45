//! Git servers on loopback for the sync tests, started and stopped by them: `git-daemon` with
//! pushes allowed, and the clone helpers around a shared remote.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::Fixture;

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port()
}

pub fn wait_for_port(port: u16, what: &str) {
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not start on port {port}");
}

/// `git-daemon` serving `base` on a free port of 127.0.0.1, with pushes allowed; stopped on
/// drop. The program itself, from git's exec path: `git daemon` would run it as a child of its
/// own, which killing `git` leaves running.
pub struct Daemon {
    child: Child,
    pub port: u16,
}

impl Daemon {
    pub fn start(base: &Path) -> Daemon {
        let port = free_port();
        let exec_path = Command::new("git").arg("--exec-path").output().expect("git --exec-path");
        let exec_path = PathBuf::from(String::from_utf8_lossy(&exec_path.stdout).trim());
        let child = Command::new(exec_path.join("git-daemon"))
            .args(["--reuseaddr", "--export-all", "--enable=receive-pack", "--listen=127.0.0.1"])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .arg(base)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start git-daemon");
        wait_for_port(port, "git daemon");
        Daemon { child, port }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A member's clone of `url` (with `-c` settings such as a credential helper, kept in the
/// clone's config), with the sample's demo keys (each member's own key), indexed by a first
/// command as a member's first use would.
pub fn clone_of(origin: &Fixture, url: &str, config: &[&str]) -> Fixture {
    let f = Fixture::empty();
    let mut c = Command::new("git");
    for setting in config {
        c.args(["-c", setting]);
    }
    let out = c.args(["clone", "-q", "--branch", "main", url]).arg(&f.repo).env("GIT_TERMINAL_PROMPT", "0").output();
    let out = out.expect("git clone");
    assert!(out.status.success(), "clone {url}: {}", String::from_utf8_lossy(&out.stderr));
    for setting in config {
        let (key, value) = setting.split_once('=').expect("key=value");
        f.git_in(&f.repo, &["config", key, value]).ok();
    }
    let to = f.repo.join(".git/gatehouse/keys");
    std::fs::create_dir_all(&to).expect("keys folder");
    for entry in std::fs::read_dir(origin.repo.join(".git/gatehouse/keys")).expect("the sample's demo keys").flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy a key");
    }
    f.gh(&["status"]).ok();
    f
}

/// The sample's record as a bare repository at `path`, as a consortium's shared remote.
pub fn bare_copy(origin: &Fixture, path: &Path) {
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("the remote's folder");
    let out = Command::new("git").args(["clone", "-q", "--bare"]).arg(&origin.repo).arg(path).output();
    let out = out.expect("git clone --bare");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
