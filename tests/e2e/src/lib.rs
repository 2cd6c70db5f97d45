//! A harness for driving the real, self-contained Gatehouse app over WebDriver.
//!
//! `scripts/test` builds the release app and CLI, starts Xvfb (through `xvfb-run`) and runs
//! these tests with `GATEHOUSE_APP_BIN` and `GATEHOUSE_CLI_BIN` set. Each test gets its own
//! tauri-driver (which starts WebKitWebDriver, which starts the app) and its own data folder,
//! and saves a screenshot to `target/e2e-artifacts/<test>.png` whether it passes or fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::Child;

/// Fixed, so the sample's commits and an outside commit have predictable authors.
pub const GIT_ENV: [(&str, &str); 4] = [
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_AUTHOR_DATE", "2026-10-01T12:00:00Z"),
    ("GIT_COMMITTER_DATE", "2026-10-01T12:00:00Z"),
    ("TZ", "UTC"),
];

fn required_path(var: &str) -> PathBuf {
    let path = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{var} is not set: run the end-to-end tests through scripts/test"));
    assert!(path.is_file(), "{var}={} does not exist", path.display());
    path
}

pub fn app_bin() -> PathBuf {
    required_path("GATEHOUSE_APP_BIN")
}

pub fn cli_bin() -> PathBuf {
    required_path("GATEHOUSE_CLI_BIN")
}

pub fn artifacts_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts folder");
    dir
}

/// Runs the gatehouse CLI in `repo`; returns its output whatever the exit status.
pub fn cli(repo: &Path, args: &[&str]) -> Output {
    Command::new(cli_bin())
        .args(["--repo", repo.to_str().unwrap(), "--color", "never"])
        .args(args)
        .env("HOME", repo.parent().unwrap())
        .envs(GIT_ENV)
        .output()
        .expect("the CLI runs")
}

/// A sample consortium made by the CLI in `dir/sample`.
pub fn sample_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("sample");
    let out = Command::new(cli_bin())
        .args(["init", repo.to_str().unwrap(), "--sample"])
        .env("HOME", dir)
        .envs(GIT_ENV)
        .output()
        .expect("the CLI runs");
    assert!(out.status.success(), "init --sample: {}", String::from_utf8_lossy(&out.stderr));
    repo
}

/// `git rev-parse main` in `repo`, by the real git.
pub fn git_main(repo: &Path) -> String {
    let out = Command::new("git").args(["-C", repo.to_str().unwrap(), "rev-parse", "main"]).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git").arg("-C").arg(repo).args(args).envs(GIT_ENV).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The folder of a model's sign-offs in the sample (format 2): `signoffs/<bucket>/<model>`,
/// the bucket computed with coreutils as docs/format.md says (`printf %s <model> | sha256sum`).
pub fn signoffs_dir(model: &str) -> String {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new("sha256sum").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(model.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "sha256sum failed");
    format!("signoffs/{}/{model}", &String::from_utf8_lossy(&out.stdout)[..2])
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether this machine has a GPU render node (`/dev/dri/renderD*`): the app's default for
/// WebKitGTK's compositing follows it.
pub fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

/// WebKitGTK's switch for compositing, which the app sets from its preference.
pub const COMPOSITING_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// How the app is started for one session.
pub struct Launch<'a> {
    /// `GATEHOUSE_DATA_DIR`: where the app keeps its sample and recent list.
    pub data_dir: &'a Path,
    /// `GATEHOUSE_REPO`, if any.
    pub repo: Option<&'a Path>,
    /// `GATEHOUSE_MEMBER`, if any.
    pub member: Option<&'a str>,
}

/// One running app, driven over WebDriver. Dropping it stops tauri-driver and the app.
pub struct App {
    pub client: Client,
    driver: Child,
    _group: ProcessGroup,
}

/// tauri-driver's process group, which holds the WebKitWebDriver it starts and the app: killed
/// whole when dropped, whether a test ends or the app never answered (no `App` then).
struct ProcessGroup(Option<u32>);

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        // Killing tauri-driver alone (`kill_on_drop`) left its WebKitWebDriver running after
        // every test: 46 of them after one run of the suite.
        if let Some(group) = self.0 {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stderr(std::process::Stdio::null())
                .status();
        }
    }
}

impl App {
    pub async fn start(launch: Launch<'_>) -> Result<App> {
        App::start_with_env(launch, &[]).await
    }

    /// Starts the app with more environment variables (tauri-driver passes its own on). The
    /// tests run with WebKitGTK's compositing on (`WEBKIT_DISABLE_COMPOSITING_MODE=0`), as they
    /// were written against: with it off (the app's default without a GPU),
    /// `first_run_opens_the_sample_consortium_on_the_board` hung in WebDriver (twice of two) while
    /// the app itself started normally. `(COMPOSITING_ENV, "")` in `env` leaves the variable out,
    /// so the app's own preference decides (the preference's test).
    pub async fn start_with_env(launch: Launch<'_>, env: &[(&str, &std::ffi::OsStr)]) -> Result<App> {
        let port = free_port();
        let native_port = free_port();
        let mut cmd = tokio::process::Command::new("tauri-driver");
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("GATEHOUSE_DATA_DIR", launch.data_dir)
            .env("HOME", launch.data_dir)
            .env_remove("GATEHOUSE_REPO")
            .env_remove("GATEHOUSE_MEMBER")
            .envs(GIT_ENV)
            .kill_on_drop(true)
            .process_group(0)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if let Some(repo) = launch.repo {
            cmd.env("GATEHOUSE_REPO", repo);
        }
        if let Some(member) = launch.member {
            cmd.env("GATEHOUSE_MEMBER", member);
        }
        cmd.env(COMPOSITING_ENV, "0");
        for (key, value) in env {
            if *key == COMPOSITING_ENV && value.is_empty() {
                cmd.env_remove(COMPOSITING_ENV);
            } else {
                cmd.env(key, value);
            }
        }
        let driver = cmd.spawn().context("tauri-driver is installed (cargo install tauri-driver --locked)")?;
        let group = ProcessGroup(driver.id());
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": app_bin() },
        });
        let caps = caps.as_object().unwrap().clone();
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::native().capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{port}")).await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(250)).await
                }
                Err(e) => bail!("no WebDriver session within 30 s: {e}"),
            }
        };
        Ok(App { client, driver, _group: group })
    }

    /// Waits up to `secs` for an element matching `css`.
    pub async fn wait_for(&self, css: &str, secs: u64) -> Result<Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(secs))
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting {secs} s for `{css}`"))
    }

    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client.find(Locator::Css(css)).await.with_context(|| format!("finding `{css}`"))
    }

    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// Waits until the text of `css` (its `textContent`, whitespace collapsed) satisfies
    /// `pred`, returning the last text seen. WebKitWebDriver's own element text leaves out
    /// parts of some flex layouts, so the page is asked directly.
    pub async fn wait_text(&self, css: &str, secs: u64, pred: impl Fn(&str) -> bool) -> Result<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let script = format!(
            "const e = document.querySelector({}); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null;",
            serde_json::to_string(css)?
        );
        let mut last = String::new();
        loop {
            if let Ok(serde_json::Value::String(t)) = self.js(&script).await {
                if pred(&t) {
                    return Ok(t);
                }
                last = t;
            }
            if Instant::now() > deadline {
                bail!("after {secs} s the text of `{css}` is still {last:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn js(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Runs asynchronous JavaScript; the script calls its last argument with the result.
    pub async fn js_async(&self, script: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute_async(script, vec![]).await?)
    }

    pub async fn screenshot(&self, name: &str) {
        // A short pause so the picture shows the state just reached, not the frame before it.
        tokio::time::sleep(Duration::from_millis(400)).await;
        match self.client.screenshot().await {
            Ok(png) => {
                let _ = std::fs::write(artifacts_dir().join(format!("{name}.png")), png);
            }
            Err(e) => eprintln!("screenshot {name}: {e}"),
        }
    }

    pub async fn stop(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
    }
}

/// Runs `body` against a freshly started app with a hard time limit, saves a screenshot named
/// after the test whatever happens, and stops the app.
pub async fn with_app(name: &str, launch: Launch<'_>, body: impl AsyncFnOnce(&App) -> Result<()>) -> Result<()> {
    with_app_env(name, launch, &[], body).await
}

/// `with_app`, with more environment variables for the app.
pub async fn with_app_env(
    name: &str,
    launch: Launch<'_>,
    env: &[(&str, &std::ffi::OsStr)],
    body: impl AsyncFnOnce(&App) -> Result<()>,
) -> Result<()> {
    let app = App::start_with_env(launch, env).await?;
    let outcome = tokio::time::timeout(Duration::from_secs(120), body(&app))
        .await
        .unwrap_or_else(|_| Err(anyhow!("{name} took more than 120 s")));
    app.screenshot(name).await;
    app.stop().await;
    outcome
}
