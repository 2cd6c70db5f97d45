//! Evidence: opening evidence files in the app, and attaching evidence while signing.

use super::*;

const AURORA: &str = "aurora-sci-200b";

/// The blob id and SHA-256 of `models/aurora-sci-200b/<path>` on main, by the real git and
/// `sha256sum`.
fn ids_by_git(repo: &Path, path: &str) -> Result<(String, String)> {
    let spec = format!("main:models/{AURORA}/{path}");
    let blob = git(repo, &["rev-parse", &spec]).trim().to_string();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("git -C \"$1\" cat-file blob \"$2\" | sha256sum")
        .args(["sh", repo.to_str().unwrap(), &spec])
        .output()?;
    ensure!(out.status.success(), "git cat-file {spec} | sha256sum");
    let sha = String::from_utf8(out.stdout)?.split_whitespace().next().unwrap_or_default().to_string();
    Ok((blob, sha))
}

/// Back to the model page by the evidence screen's own button.
async fn back_to_model(app: &App) -> Result<()> {
    app.find("[data-action=\"evidence-model\"]").await?.click().await?;
    app.wait_for("[data-screen=\"model\"]", 10).await?;
    Ok(())
}

/// From the model page, opens one evidence file on its own screen; returns the viewer's text
/// once loaded, after checking the ids it shows against git.
async fn open_from_model_page(app: &App, repo: &Path, path: &str, shot: &str) -> Result<String> {
    app.wait_for("[data-screen=\"model\"]", 10).await?;
    let link = app.wait_for(&format!("[data-evidence=\"{path}\"]"), 10).await?;
    app.js(&format!(
        "document.querySelector('[data-evidence=\"{path}\"]').scrollIntoView({{ block: 'center' }}); return true;"
    ))
    .await?;
    link.click().await?;
    app.wait_for("[data-screen=\"evidence\"]", 10).await?;
    app.wait_for("[data-testid=\"evidence-content\"]", 10).await?;
    let (blob, sha) = ids_by_git(repo, path)?;
    // What a reviewer would compare with `git rev-parse` and `sha256sum`.
    let shown_blob = app.wait_text("[data-testid=\"evidence-blob\"]", 5, |t| !t.is_empty()).await?;
    let shown_sha = app.wait_text("[data-testid=\"evidence-sha256\"]", 5, |t| !t.is_empty()).await?;
    ensure!(shown_blob == blob, "{path}: the viewer's blob id {shown_blob} is git's {blob}");
    ensure!(shown_sha == sha, "{path}: the viewer's SHA-256 {shown_sha} is that of git's blob {sha}");
    app.screenshot(shot).await;
    // A PDF's text is there only once its pages are drawn, which takes seconds on a loaded
    // machine; other kinds show theirs at once, so the long wait costs them nothing.
    let text = app.wait_text("[data-testid=\"evidence-content\"]", 30, |t| !t.is_empty()).await?;
    Ok(text)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_reviewer_opens_markdown_json_and_csv_evidence_from_the_model_page() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("lgarcia") };
    with_app("evidence-open", launch, async |app| {
        app.wait_for(&format!("[data-model=\"{AURORA}\"]"), 20).await?.click().await?;

        // Markdown: rendered (a heading, not `#` signs).
        open_from_model_page(app, &repo, "evidence/datasheet.md", "evidence-open-1-markdown").await?;
        let heading = app.wait_text("[data-testid=\"evidence-content\"] h1", 5, |t| !t.is_empty()).await?;
        ensure!(heading == "Datasheets: aurora-sci-200b corpora", "the datasheet's heading is rendered: {heading:?}");
        ensure!(
            app.find("[data-testid=\"evidence-kind\"]").await?.attr("data-kind").await?.as_deref() == Some("markdown"),
            "shown as Markdown"
        );
        back_to_model(app).await?;

        // JSON: pretty-printed, one key a line, indented.
        open_from_model_page(app, &repo, "evidence/eval-results.json", "evidence-open-2-json").await?;
        let code = app
            .js("return document.querySelector('[data-testid=\"evidence-code\"]').textContent")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string();
        ensure!(code.contains("\n  \"harness\": {\n    \"name\": \"lm-evaluation-harness\""), "indented JSON: {code:.300}");
        back_to_model(app).await?;

        // CSV: a table, with the header row and the cells of the file.
        open_from_model_page(app, &repo, "evidence/eval-scores.csv", "evidence-open-3-csv").await?;
        let header = app.js("return [...document.querySelectorAll('[data-testid=\"evidence-table\"] th')].map(t => t.textContent)").await?;
        ensure!(header[0] == "task" && header[3] == AURORA, "the header row: {header}");
        let first = app.js("return [...document.querySelectorAll('[data-testid=\"evidence-table\"] tbody tr:first-child td')].map(t => t.textContent)").await?;
        ensure!(first[0] == "mmlu" && first[3] == "68.9", "the first row's cells as the file has them: {first}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_reviewer_attaches_a_new_evidence_file_while_signing() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let before = git_main(&repo);
    let disk = tmp.path().join("bias-audit-es-ca.md");
    std::fs::write(&disk, "# Bias audit, Spanish and Catalan\n\nNo disparity above 2 points.\n")?;
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("lgarcia") };
    with_app("evidence-attach", launch, async |app| {
        open_signoff_form(app, AURORA, "safety").await?;
        app.wait_for("[data-action=\"submit-signoff\"]", 10).await?;

        // An existing file opens over the form, which keeps what was typed.
        app.find("[data-field=\"comment\"]").await?.send_keys("The Catalan audit is attached; the uplift study is still missing.").await?;
        app.find("[data-open-evidence=\"evidence/red-team-2026-11.md\"]").await?.click().await?;
        app.wait_for("[data-testid=\"evidence-dialog\"] [data-testid=\"evidence-content\"] h1", 10).await?;
        app.screenshot("evidence-attach-1-viewer-over-the-form").await;
        app.find("[data-testid=\"evidence-dialog\"] .dialog-close").await?.click().await?;

        // A new file from disk, attached to the bias item.
        app.find("[data-action=\"attach-evidence\"][data-item=\"bias\"]").await?.click().await?;
        app.wait_for("[data-attach-path]", 5).await?.send_keys(disk.to_str().unwrap()).await?;
        app.screenshot("evidence-attach-2-dialog").await;
        app.find("[data-action=\"attach-add\"]").await?.click().await?;
        app.wait_for("[data-attachment=\"bias-audit-es-ca.md\"]", 5).await?;
        // The form warns that the model's other sign-offs stop counting.
        let warning = app.wait_text("[data-testid=\"attach-warning\"]", 10, |t| !t.is_empty()).await?;
        ensure!(warning.contains("will no longer count"), "the stale warning: {warning}");
        let comment = app.js("return document.querySelector('[data-field=\"comment\"]').value").await?;
        ensure!(comment.as_str().unwrap_or_default().starts_with("The Catalan audit"), "the draft survived the dialogs");
        app.find("[data-field=\"decision\"]").await?.select_by_value("changes-requested").await?;
        app.js("document.querySelector('[data-testid=\"attach-warning\"]').scrollIntoView({ block: 'center' }); return true;")
            .await?;
        app.screenshot("evidence-attach-3-warning").await;
        app.find("[data-action=\"submit-signoff\"]").await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 15).await?;
        Ok(())
    })
    .await?;

    // One commit, by plain git: the sign-off and the new file, nothing else.
    let head = git_main(&repo);
    ensure!(git(&repo, &["rev-parse", &format!("{head}^")]).trim() == before, "one commit on main");
    let names = git(&repo, &["show", "--name-status", "--format=", "main"]);
    let mut lines: Vec<&str> = names.lines().filter(|l| !l.is_empty()).collect();
    lines.sort();
    ensure!(lines.len() == 2, "two files in the commit: {lines:?}");
    ensure!(lines[0] == format!("A\tmodels/{AURORA}/evidence/bias-audit-es-ca.md"), "the new file: {lines:?}");
    ensure!(lines[1].starts_with(&format!("A\t{}/safety/", signoffs_dir(AURORA))), "the sign-off: {lines:?}");
    let content = git(&repo, &["show", &format!("main:models/{AURORA}/evidence/bias-audit-es-ca.md")]);
    ensure!(content == std::fs::read_to_string(&disk)?, "the file as it was on disk");
    let signoff = git(&repo, &["show", &format!("main:{}", &lines[1][2..])]);
    ensure!(signoff.contains("\"evidence/bias-audit-es-ca.md\""), "the sign-off cites it: {signoff}");
    let subject = git(&repo, &["rev-parse", &format!("main:models/{AURORA}")]);
    ensure!(signoff.contains(subject.trim()), "it speaks about the folder with the new file: {signoff}");
    let verify = cli(&repo, &["verify"]);
    ensure!(verify.status.success(), "verify stays clean: {}", String::from_utf8_lossy(&verify.stdout));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_pdf_evidence_file_is_shown_page_by_page() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    // A real PDF: the model's own audit report, typeset by the CLI, added by an owner as
    // evidence with plain `model update`.
    let pdf = tmp.path().join("audit-report.pdf");
    let out = cli(&repo, &["report", "--model", AURORA, "--format", "pdf", "-o", pdf.to_str().unwrap()]);
    ensure!(out.status.success(), "report --format pdf: {}", String::from_utf8_lossy(&out.stderr));
    let out = cli(&repo, &["--as", "rvance", "model", "update", AURORA, "--evidence", pdf.to_str().unwrap()]);
    ensure!(out.status.success(), "model update --evidence: {}", String::from_utf8_lossy(&out.stderr));
    let info = std::process::Command::new("pdfinfo").arg(&pdf).output()?;
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap_or(0)))
        .context("pdfinfo names the page count")?;
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("lgarcia") };
    with_app("evidence-pdf", launch, async |app| {
        app.wait_for(&format!("[data-model=\"{AURORA}\"]"), 20).await?.click().await?;
        open_from_model_page(app, &repo, "evidence/audit-report.pdf", "evidence-pdf-0-ids").await?;
        let shown = app.wait_for("[data-testid=\"evidence-pdf\"]", 30).await?;
        let total = shown.attr("data-total").await?.unwrap_or_default();
        ensure!(total == pages.to_string(), "the viewer counts {total} pages, pdfinfo {pages}");
        let imgs = app.find_all("[data-testid=\"evidence-pdf-page\"]").await?;
        ensure!(imgs.len() == pages.min(12), "{} pages drawn of {pages}", imgs.len());
        // Each page is an image that loaded and has the proportions of an A4 page.
        let size = app
            .js("const i = document.querySelector('[data-testid=\"evidence-pdf-page\"]');
                 return [i.complete, i.naturalWidth, i.naturalHeight, i.getAttribute('src').slice(0, 26)];")
            .await?;
        let v = size.as_array().context("sizes")?;
        let (w, h) = (v[1].as_f64().unwrap_or(0.0), v[2].as_f64().unwrap_or(0.0));
        ensure!(v[0] == true && w > 0.0, "the first page loaded as an image: {size}");
        ensure!((h / w - 297.0 / 210.0).abs() < 0.02, "an A4 page: {w} x {h}");
        ensure!(v[3].as_str() == Some("data:image/svg+xml;charset"), "drawn as an SVG image: {size}");
        app.js("document.querySelector('[data-testid=\"evidence-pdf-page\"]').scrollIntoView()").await?;
        app.screenshot("evidence-pdf-1-page").await;
        Ok(())
    })
    .await
}
