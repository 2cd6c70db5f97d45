//! What the model page and the gates show from a model's own files: the license bill of
//! materials beside the licensing checklist, the card's results and the comparison chart, and
//! the deployment estimate; each checked against what the CLI says of the same commit.

use super::*;

const SCIENCE: &str = "tpc-science-34b";

/// Scrolls the first element matching `css` to the middle of the window.
async fn show(app: &App, css: &str) -> Result<()> {
    app.js(&format!(
        "document.querySelector({}).scrollIntoView({{ block: 'center', behavior: 'instant' }}); return true;",
        serde_json::to_string(css)?
    ))
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn the_model_page_shows_the_bom_conflict_the_results_and_the_estimate_as_the_cli_does() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let bom: serde_json::Value = serde_json::from_slice(&cli(&repo, &["--json", "bom", SCIENCE]).stdout)?;
    let expected_warnings: Vec<String> = bom["warnings"]
        .as_array()
        .context("bom --json lists warnings")?
        .iter()
        .filter_map(|w| w["kind"].as_str().map(str::to_string))
        .collect();
    ensure!(
        expected_warnings == ["non-commercial-component"],
        "the sample's one deliberate conflict, as the CLI reports it: {expected_warnings:?}"
    );
    let estimate: serde_json::Value = serde_json::from_slice(&cli(&repo, &["--json", "estimate", SCIENCE]).stdout)?;
    let weights = estimate["weights_gb"].as_f64().context("estimate --json gives weights_gb")?;

    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("facts", launch, async |app| {
        app.wait_for(&format!("[data-model=\"{SCIENCE}\"]"), 20).await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;

        // The licensing gate: the BOM's warnings beside the checklist, the same as the CLI's.
        let panel = "[data-gate-detail=\"licensing\"] [data-testid=\"bom-panel\"]";
        let warning = format!("{panel} [data-warning=\"non-commercial-component\"]");
        let text = app.wait_text(&warning, 20, |t| !t.is_empty()).await?;
        ensure!(
            text.contains("tpc-consortium/pmc-oa-noncomm-2025"),
            "the warning names the non-commercial dataset: {text:?}"
        );
        let shown = app.find_all(&format!("{panel} [data-warning]")).await?;
        ensure!(shown.len() == expected_warnings.len(), "as many warnings as the CLI gives ({})", shown.len());
        let rows = app.find_all(&format!("{panel} [data-component]")).await?;
        ensure!(
            rows.len() == bom["bom"]["components"].as_array().map_or(0, Vec::len),
            "one row per component of the BOM ({} shown)",
            rows.len()
        );
        show(app, &warning).await?;
        app.screenshot("facts-1-bom-warning").await;

        // The deployment estimate on the model page, with the CLI's figure.
        let facts = "[data-model-facts] [data-testid=\"estimate-panel\"]";
        let shown =
            app.wait_text(&format!("{facts} [data-testid=\"estimate-weights\"]"), 20, |t| !t.is_empty()).await?;
        ensure!(
            shown.contains(&format!("{weights:.1} GB")),
            "weights as the CLI computes them ({weights:.1} GB): {shown:?}"
        );
        ensure!(
            !app.find_all(&format!("{facts} [data-accelerator]")).await?.is_empty(),
            "how many accelerators of each kind in the consortium's table"
        );
        show(app, facts).await?;
        app.screenshot("facts-3-estimate").await;

        // And in the deployment gate.
        app.wait_for("[data-gate-detail=\"deployment\"] [data-testid=\"estimate-panel\"]", 20).await?;

        // tpc-science-34b is not evaluated yet: its card has no results, which the page says.
        let results = format!("[data-results=\"{SCIENCE}\"]");
        let none = app.wait_text(&format!("{results} .none"), 20, |t| !t.is_empty()).await?;
        ensure!(none.contains("no model-index results"), "a card without results says so: {none:?}");
        // switch-c-1.6t's card has results: a table, and the chart across models as an image.
        go_to_board(app).await?;
        app.wait_for("[data-model=\"switch-c-1.6t\"]", 20).await?.click().await?;
        let results = "[data-results=\"switch-c-1.6t\"]";
        let cell = app.wait_text(&format!("{results} table.results"), 20, |t| t.contains("HellaSwag")).await?;
        ensure!(cell.contains("71.8"), "the card's HellaSwag result, as its model-index gives it: {cell:?}");
        let img = app.wait_for(&format!("{results} img"), 20).await?;
        let src = img.attr("src").await?.unwrap_or_default();
        ensure!(src.starts_with("data:image/svg+xml"), "the chart is an SVG image, where it can run no script");
        show(app, &format!("{results} img")).await?;
        app.screenshot("facts-2-results-and-chart").await;
        Ok(())
    })
    .await
}
