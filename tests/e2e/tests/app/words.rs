//! Plain words: History as sentences, search results as a list of plain-text snippets.

use super::*;

/// The text of every element matching `css`, in document order.
async fn texts(app: &App, css: &str) -> Result<Vec<String>> {
    let v = app
        .js(&format!(
            "return [...document.querySelectorAll({})].map(e => e.textContent.replace(/\\s+/g, ' ').trim());",
            serde_json::to_string(css)?
        ))
        .await?;
    Ok(serde_json::from_value(v)?)
}

/// Whether elements match `css` and every one waits inside a closed disclosure (`<details>`).
async fn all_closed_away(app: &App, css: &str) -> Result<bool> {
    let v = app
        .js(&format!(
            "const all = [...document.querySelectorAll({})];
             return all.length > 0 && all.every(e => {{ const d = e.closest('details'); return d && !d.open; }});",
            serde_json::to_string(css)?
        ))
        .await?;
    Ok(v == serde_json::json!(true))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn history_reads_as_sentences_with_the_commit_on_demand() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    // The commit that recorded Hiroshi Sato's approval of tpc-science-34b's licensing, as git finds it.
    let commit = git(
        &repo,
        &[
            "log",
            "--format=%H",
            "--all-match",
            "--author=hsato@",
            "--grep=Gatehouse-Model: tpc-science-34b",
            "--grep=Gatehouse-Gate: licensing",
            "main",
        ],
    );
    let commit = commit.trim().to_string();
    ensure!(commit.len() == 40, "git finds the one sign-off commit: {commit:?}");
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("history-words", launch, async |app| {
        app.wait_for("[data-model]", 20).await?;
        click(app, "[data-nav=\"history\"]").await?;
        app.wait_for("[data-screen=\"history\"] [data-sentence]", 15).await?;
        let sentences = texts(app, "[data-sentence]").await?;
        ensure!(
            sentences.iter().any(|s| s == "Hiroshi Sato (RIKEN) approved Licensing for tpc-science-34b"),
            "History says who did what in words, with the gate's title: {sentences:#?}"
        );
        ensure!(
            sentences
                .iter()
                .any(|s| s == "Lucía García (BSC) requested changes on Safety and alignment for aurora-sci-200b"),
            "a request for changes too: {sentences:#?}"
        );
        for s in &sentences {
            ensure!(!s.contains("signoff(") && !s.contains(&commit[..7]), "no commit subject or id as the title: {s}");
        }
        ensure!(
            all_closed_away(app, "[data-screen=\"history\"] .commit-btn").await?,
            "commit ids wait until asked for"
        );
        app.screenshot("history-words-0-sentences").await;

        // The commit, on demand: its id (the one git has), subject and signature.
        let entry = format!("[data-commit=\"{commit}\"]");
        click(app, &format!("{entry} [data-record-details] summary")).await?;
        app.wait_for(&format!("{entry} [data-record-details][open] .commit-btn"), 5).await?;
        let details = texts(app, &format!("{entry} [data-record-details]")).await?.join(" ");
        ensure!(details.contains("signoff(tpc-science-34b/licensing): approve"), "the subject is there: {details}");
        ensure!(details.contains(&commit[..7]), "and the short id of the commit git names: {details}");
        let signature = app
            .js(&format!("return document.querySelector('{entry} [data-signature]').getAttribute('data-signature');"))
            .await?;
        ensure!(signature == serde_json::json!("valid"), "the sample's commits are signed: {signature}");
        scroll_to(app, &entry).await?;
        app.screenshot("history-words-1-commit-details").await;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn the_model_page_keeps_its_subject_tree_in_record_details() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let tree = git(&repo, &["rev-parse", "main:models/aurora-sci-200b"]).trim().to_string();
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("model-record-details", launch, async |app| {
        click(app, "[data-model=\"aurora-sci-200b\"]").await?;
        app.wait_for("[data-testid=\"model-meta\"]", 10).await?;
        let meta = texts(app, "[data-testid=\"model-meta\"]").await?.join(" ");
        ensure!(!meta.contains("Subject tree"), "no hash is shown as a fact about the model: {meta}");
        ensure!(all_closed_away(app, "[data-subject]").await?, "the tree id waits in a closed disclosure");
        click(app, "[data-testid=\"model-meta\"] [data-record-details] summary").await?;
        app.wait_for(&format!("[data-subject=\"{tree}\"]"), 5).await.context("the tree id git has, on demand")?;
        scroll_to(app, "[data-testid=\"model-meta\"] [data-record-details]").await?;
        app.screenshot("model-record-details-0-open").await;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn search_lists_the_named_model_first_with_plain_snippets() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("search-words", launch, async |app| {
        app.wait_for("[data-model]", 20).await?;
        click(app, "[data-nav=\"search\"]").await?;
        let input = app.wait_for("[data-field=\"search\"]", 10).await?;
        input.send_keys("tpc-science-34b\u{E007}").await?;
        app.wait_for("[data-hit]", 10).await.context("Enter lists the results")?;
        let kinds = app
            .js("return [...document.querySelectorAll('[data-hit]')].map(h => [h.dataset.hit, h.dataset.ref]);")
            .await?;
        let kinds: Vec<(String, String)> = serde_json::from_value(kinds)?;
        ensure!(
            kinds.first() == Some(&("model".to_string(), "tpc-science-34b".to_string())),
            "the model the query names comes first, above its sign-offs: {kinds:?}"
        );
        ensure!(kinds.iter().filter(|(k, _)| k == "signoff").count() >= 5, "its sign-offs follow: {kinds:?}");
        let titles = texts(app, "[data-hit=\"signoff\"] .hit-title").await?;
        ensure!(
            titles.iter().any(|t| t == "Hiroshi Sato (RIKEN) approved Licensing for tpc-science-34b"),
            "sign-offs are titled in words: {titles:?}"
        );
        app.screenshot("search-words-0-model-first").await;

        // A word found in checklists, cards, comments and evidence: every snippet plain, every match marked.
        let input = app.find("[data-field=\"search\"]").await?;
        input.clear().await?;
        input.send_keys("bias\u{E007}").await?;
        app.wait_text("[data-hit]", 10, |t| t.to_lowercase().contains("bias")).await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let snippets = texts(app, "[data-hit] .snippet").await?;
        ensure!(snippets.len() >= 4, "a list of results: {snippets:#?}");
        for s in &snippets {
            for markup in ["`", "**", "](", "[x]", "| "] {
                ensure!(!s.contains(markup), "no Markdown {markup:?} in a snippet: {s}");
            }
        }
        let unmarked = app
            .js("return [...document.querySelectorAll('[data-hit]')].filter(h => !h.querySelector('.snippet mark')).length;")
            .await?;
        ensure!(unmarked == serde_json::json!(0), "every result marks what matched: {unmarked}");
        ensure!(!app.find_all("[data-hit=\"evidence\"]").await?.is_empty(), "evidence files are searched too");
        app.screenshot("search-words-1-plain-snippets").await;
        Ok(())
    })
    .await
}
