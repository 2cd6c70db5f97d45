//! Exporting one's own sign-off as an in-toto attestation from the model page, checked by the
//! in-toto project's Python libraries against the member's key.

use std::process::Command;

use super::*;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn ones_own_signoff_exports_as_an_attestation_that_in_toto_verifies() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let dest = tmp.path().join("licensing.intoto.json");
    with_app(
        "attest-export",
        Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") },
        async |app| {
            open_signoff_form(app, "tpc-science-34b", "licensing").await?;
            approve_all(app, "Licensing analysis checked.").await?;
            let gate = "[data-gate-detail=\"licensing\"]";
            let mine = format!("{gate} [data-signoff=\"rvance\"] [data-action=\"export-attestation\"]");
            app.wait_for(&mine, 10).await?;
            // Only one's own sign-offs offer it: the other members' on this gate do not.
            let offered = app.find_all(&format!("{gate} [data-action=\"export-attestation\"]")).await?;
            let signoffs = app.find_all(&format!("{gate} [data-signoff]")).await?;
            let own = app.find_all(&format!("{gate} [data-signoff=\"rvance\"]")).await?;
            ensure!(
                offered.len() == own.len() && signoffs.len() > own.len(),
                "Export attestation on rvance's {} sign-off(s) only, of {} ({} offered)",
                own.len(),
                signoffs.len(),
                offered.len()
            );
            app.js(&format!("document.querySelector('{mine}').scrollIntoView({{block: 'center'}}); return true;"))
                .await?;
            app.screenshot("attest-export-button").await;
            // The button opens the system's save dialog, which WebDriver cannot drive; the same
            // command it calls is invoked with the file the dialog would return.
            let path = rvances_latest(&repo, "tpc-science-34b", "licensing")?;
            let answer = app
                .js_async(&format!(
                    "const done = arguments[arguments.length - 1];
                     window.__TAURI_INTERNALS__.invoke('export_attestation', {{ model: 'tpc-science-34b', gate: 'licensing', signoff: '{path}', dest: '{}', passphrase: null }})
                       .then(() => done('ok'), (e) => done(JSON.stringify(e)));",
                    dest.display()
                ))
                .await?;
            ensure!(answer == "ok", "the export command answered {answer}");
            Ok(())
        },
    )
    .await?;
    let path = rvances_latest(&repo, "tpc-science-34b", "licensing")?;

    // Outside the app: in-toto checks the envelope with rvance's public key (from ssh-keygen).
    let key = tmp.path().join("rvance.pub");
    let demo = repo.join(".git/gatehouse/keys/rvance");
    let public = Command::new("ssh-keygen").arg("-y").arg("-f").arg(&demo).output()?;
    std::fs::write(&key, &public.stdout)?;
    let listed = Command::new("ssh-keygen").arg("-lf").arg(&key).output()?;
    let keyid = String::from_utf8(listed.stdout)?.split_whitespace().nth(1).context("fingerprint")?.to_string();
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools");
    let checked = Command::new(tools.join(".venv/bin/python"))
        .arg(tools.join("verify_intoto.py"))
        .arg(&dest)
        .arg(&key)
        .arg(&keyid)
        .output()
        .context("run the in-toto check (scripts/setup installs it)")?;
    ensure!(checked.status.success(), "in-toto verifies the export: {}", String::from_utf8_lossy(&checked.stderr));
    let statement: serde_json::Value = serde_json::from_slice(&checked.stdout)?;
    ensure!(statement["predicate"]["signoff"] == path.as_str(), "it attests the sign-off chosen: {statement}");
    ensure!(statement["predicate"]["member"] == "rvance");
    Ok(())
}

/// rvance's latest sign-off file on `gate` of `model`, as `show model` lists it.
fn rvances_latest(repo: &Path, model: &str, gate: &str) -> Result<String> {
    let out = cli(repo, &["--json", "show", "model", model]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let g = v["gates"]
        .as_array()
        .context("show model lists gates")?
        .iter()
        .find(|g| g["id"] == gate)
        .context("the gate")?;
    g["signoffs"]
        .as_array()
        .context("each gate lists its sign-offs")?
        .iter()
        .filter(|s| s["member"] == "rvance")
        .filter_map(|s| s["path"].as_str())
        .max()
        .map(str::to_string)
        .context("rvance's sign-off on the gate")
}
