//! The board with more models than a column shows at once (issue 16: memory that grew with
//! every card): a page of cards per column, more on request, and a model opened far down a
//! column is shown and focused again on the way back.

use super::*;

/// Cards a column shows before "Show more" (`COLUMN_PAGE` in ui/src/lib/logic/board.ts).
const PAGE: usize = 50;
/// Models imported into the sample, all at its first gate.
const BULK: usize = 70;

async fn count(app: &App, css: &str) -> Result<usize> {
    Ok(app.find_all(css).await?.len())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_long_column_shows_a_page_of_cards_then_more_and_brings_back_the_model_left() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let cards = tmp.path().join("cards");
    for i in 0..BULK {
        let dir = cards.join(format!("bulk-{i:03}"));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join("README.md"), format!("---\nlicense: apache-2.0\n---\n# Bulk model {i:03}\n"))?;
        let out = cli(&repo, &["--as", "hsato", "model", "import", dir.to_str().unwrap(), "--org", "bsc"]);
        ensure!(out.status.success(), "import bulk-{i:03}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // The CLI's count of the column: every model whose first open gate is intake.
    let status: serde_json::Value = serde_json::from_slice(&cli(&repo, &["status", "--json"]).stdout)?;
    let at_intake = status["models"]
        .as_array()
        .context("models")?
        .iter()
        .filter(|m| {
            m["gates"]
                .as_array()
                .and_then(|g| g.iter().find(|g| g["state"] != "passed"))
                .is_some_and(|g| g["gate"] == "intake")
        })
        .count();
    ensure!(at_intake >= BULK, "the imported models are all at intake: {at_intake}");

    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("board-long-column", launch, async |app| {
        let column = "[data-gate=\"intake\"]";
        app.wait_for(&format!("{column} [data-model=\"bulk-000\"]"), 30).await?;
        // One page shown; the header still counts the whole column, and the button the rest.
        ensure!(count(app, &format!("{column} [data-model]")).await? == PAGE, "a page of cards at first");
        let header = app.find(&format!("{column} .col-count")).await?.text().await?;
        ensure!(header.trim() == at_intake.to_string(), "the column counts all {at_intake} models: {header:?}");
        let more = format!("{column} [data-action=\"show-more\"]");
        let words = app.find(&more).await?.text().await?;
        let hidden = at_intake - PAGE;
        ensure!(
            words.contains(&format!("Show {} more", hidden.min(PAGE))),
            "the button says how many more it shows: {words:?}"
        );
        let label = app.find(&more).await?.attr("aria-label").await?.unwrap_or_default();
        ensure!(label.contains(&format!("of the {hidden} models not shown")), "and how many are not shown: {label:?}");
        app.js(&format!("document.querySelector('{more}').scrollIntoView({{block: 'center'}}); return true;")).await?;
        app.screenshot("board-long-column-0-first-page").await;

        // Another page, up to the whole column: the last model (by title) is now there.
        app.find(&more).await?.click().await?;
        let last = format!("{column} [data-model=\"bulk-{:03}\"]", BULK - 1);
        app.wait_for(&last, 10).await?;
        ensure!(
            count(app, &format!("{column} [data-model]")).await? == at_intake.min(2 * PAGE),
            "a second page of cards"
        );
        ensure!(
            (at_intake <= 2 * PAGE) == app.find_all(&more).await?.is_empty(),
            "the button goes when every card is shown"
        );

        // A model far down the column, opened and left: its card is shown and focused again,
        // although the board starts over at one page.
        app.js(&format!("document.querySelector('{last}').scrollIntoView({{block: 'center'}}); return true;")).await?;
        app.find(&last).await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;
        app.find("[data-nav=\"board\"]").await?.click().await?;
        app.wait_for(&last, 10).await?;
        let focused = app.js("return document.activeElement?.getAttribute('data-model') ?? null;").await?;
        ensure!(
            focused == serde_json::json!(format!("bulk-{:03}", BULK - 1)),
            "the model left has the focus again: {focused}"
        );
        let seen = app
            .js(&format!(
                "const r = document.querySelector('{last}').getBoundingClientRect();
                 return r.top >= 0 && r.bottom <= window.innerHeight;"
            ))
            .await?;
        ensure!(seen == serde_json::json!(true), "and is in view, not below the window's edge");
        app.screenshot("board-long-column-1-back-at-the-model").await;
        Ok(())
    })
    .await
}
