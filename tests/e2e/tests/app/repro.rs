//! The reproducibility gate: the manifest's files of the model's folder hashed against main,
//! the sample's deliberate mismatch shown, artifacts outside git left to the CLI.

use super::*;

const SWITCH: &str = "switch-c-1.6t";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn the_reproducibility_gate_shows_the_samples_hash_mismatch() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("lgarcia") };
    with_app("repro-mismatch", launch, async |app| {
        app.wait_for(&format!("[data-model=\"{SWITCH}\"]"), 20).await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;
        let panel = "[data-gate-detail=\"reproducibility\"] [data-testid=\"repro-panel\"]";
        let mismatch = format!("{panel} [data-status=\"mismatch\"]");
        app.wait_for(&mismatch, 20).await?;
        app.js(&format!(
            "document.querySelector({}).scrollIntoView({{ block: 'center' }}); return true;",
            serde_json::to_string(&mismatch)?
        ))
        .await?;
        let row = app.wait_text(&mismatch, 5, |t| !t.is_empty()).await?;
        ensure!(
            row.contains("evidence/tokenizer/tokenizer_config.json") && row.contains("mismatch"),
            "the deliberate mismatch is on the tokenizer config kept in the model's folder: {row:?}"
        );
        // The hash found is that of the file git holds (what `sha256sum` says of the blob).
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("git -C \"$1\" cat-file blob \"$2\" | sha256sum")
            .args(["sh", repo.to_str().unwrap(), "main:models/switch-c-1.6t/evidence/tokenizer/tokenizer_config.json"])
            .output()?;
        let sha = String::from_utf8(out.stdout)?.split_whitespace().next().unwrap_or_default().to_string();
        ensure!(row.contains(&sha[..16]), "the row shows the hash found, {sha}: {row:?}");
        let summary = app.wait_text(&format!("{panel} [data-testid=\"repro-summary\"]"), 5, |t| !t.is_empty()).await?;
        ensure!(summary.contains("1 mismatch"), "the summary counts one mismatch: {summary:?}");
        let note =
            app.wait_text(&format!("{panel} [data-testid=\"repro-artifacts-note\"]"), 5, |t| !t.is_empty()).await?;
        ensure!(
            note.contains("gatehouse repro check switch-c-1.6t --artifacts"),
            "artifacts outside git are left to the command line: {note:?}"
        );
        ensure!(
            app.find(&format!("{panel} [data-status=\"match\"]")).await.is_ok(),
            "the other files of the folder match"
        );
        app.screenshot("repro-mismatch").await;
        Ok(())
    })
    .await
}
