//! The real release app under Xvfb, driven over WebDriver, as a reviewer would use it.
//! Selectors are the `data-*` attributes the UI sets for this purpose (see ui/README.md).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use gatehouse_e2e::{cli, git, git_main, sample_repo, signoffs_dir, with_app, App, Launch};

// The reviewer's desk (issue 14), one file per part.
#[path = "app/attest.rs"]
mod attest;
// The board with long columns (issue 16).
#[path = "app/board.rs"]
mod board;
#[path = "app/desk.rs"]
mod desk;
#[path = "app/evidence.rs"]
mod evidence;
#[path = "app/facts.rs"]
mod facts;
#[path = "app/layout.rs"]
mod layout;
#[path = "app/repro.rs"]
mod repro;
// The start and the app's preferences (issue 16).
#[path = "app/start.rs"]
mod start;
#[path = "app/words.rs"]
mod words;

/// Opens `model` from the board and the sign-off form for `gate`.
pub(crate) async fn open_signoff_form(app: &App, model: &str, gate: &str) -> Result<()> {
    let card = app.wait_for(&format!("[data-model=\"{model}\"]"), 20).await?;
    card.click().await.context("opening the model from the board")?;
    app.wait_for("[data-screen=\"model\"]", 10).await?;
    let css = format!("[data-gate-detail=\"{gate}\"] [data-action=\"sign\"]");
    let sign = app.wait_for(&css, 10).await?;
    // In view first, centred: WebDriver's own scrolling may leave a button below the fold under
    // the window's edge.
    app.js(&format!("document.querySelector('{css}').scrollIntoView({{block: 'center'}}); return true;")).await?;
    sign.click().await.with_context(|| format!("clicking Sign on {model}/{gate}"))?;
    app.wait_for("[data-screen=\"signoff\"]", 10).await?;
    Ok(())
}

/// Sets every checklist item of the sign-off form to done, one by one as a reviewer would,
/// each brought into view first (WebKit's driver does not scroll to a select by itself, and a
/// checklist with many evidence files runs past the window's edge).
pub(crate) async fn mark_every_item_done(app: &App) -> Result<()> {
    let selects = app.find_all("select[data-item]").await?;
    for (i, select) in selects.iter().enumerate() {
        app.js(&format!(
            "document.querySelectorAll('select[data-item]')[{i}].scrollIntoView({{block: 'center', behavior: 'instant'}}); return true;"
        ))
        .await?;
        select.select_by_value("done").await.context("marking an item done")?;
    }
    Ok(())
}

/// Fills in every item as done, approves with `comment`, submits, and waits for the model screen.
pub(crate) async fn approve_all(app: &App, comment: &str) -> Result<()> {
    app.wait_for("[data-action=\"submit-signoff\"]", 10).await?;
    mark_every_item_done(app).await?;
    app.find("[data-field=\"decision\"]").await?.select_by_value("approve").await?;
    app.find("[data-field=\"comment\"]").await?.send_keys(comment).await?;
    app.find("[data-action=\"submit-signoff\"]").await?.click().await?;
    app.wait_for("[data-screen=\"model\"]", 15).await?;
    Ok(())
}

/// The board column a model's card sits in, and the state it shows.
pub(crate) async fn board_position(app: &App, model: &str) -> Result<(String, String)> {
    let v = app
        .js(&format!(
            "const c = document.querySelector('[data-model=\"{model}\"]');
             if (!c) return null;
             const col = c.closest('[data-gate]');
             const st = c.querySelector('[data-state]') || c.closest('[data-state]');
             return [col ? col.getAttribute('data-gate') : null, st ? st.getAttribute('data-state') : null];"
        ))
        .await?;
    let arr = v.as_array().with_context(|| format!("model {model} is not on the board"))?;
    Ok((arr[0].as_str().unwrap_or_default().to_string(), arr[1].as_str().unwrap_or_default().to_string()))
}

pub(crate) async fn go_to_board(app: &App) -> Result<()> {
    app.find("[data-nav=\"board\"]").await?.click().await?;
    app.wait_for("[data-screen=\"board\"]", 10).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn first_run_opens_the_sample_consortium_on_the_board() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    with_app("first-run-sample", Launch { data_dir: tmp.path(), repo: None, member: None }, async |app| {
        app.wait_for("[data-model=\"switch-c-1.6t\"]", 30).await?;
        // Where the sample's four models stand, as `gatehouse status` reports them.
        for (model, gate, state) in [
            ("switch-c-1.6t", "release", "passed"),
            ("aurora-sci-200b", "safety", "changes-requested"),
            ("tpc-science-34b", "licensing", "stale"),
            ("baseline-1.4b", "intake", "open"),
        ] {
            let (column, shown) = board_position(app, model).await?;
            ensure!(
                column == gate && shown == state,
                "{model}: on the board at {column}/{shown}, expected {gate}/{state}"
            );
        }
        let columns: Vec<String> = app
            .js("return [...document.querySelectorAll('[data-gate]')].map(e => e.getAttribute('data-gate'))")
            .await?
            .as_array()
            .context("columns")?
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect();
        ensure!(
            columns
                == [
                    "intake",
                    "licensing",
                    "data-provenance",
                    "reproducibility",
                    "evaluation",
                    "safety",
                    "deployment",
                    "release"
                ],
            "gates appear as columns in their order: {columns:?}"
        );
        // The sample was created in the app's data folder from the embedded framework.
        ensure!(tmp.path().join("sample/consortium.toml").is_file(), "the sample lives in the data folder");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn two_reviewers_from_two_organisations_pass_a_gate() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let before = git_main(&repo);
    for (member, shot) in [("rvance", "gate-pass-first-reviewer"), ("hsato", "gate-pass-second-reviewer")] {
        with_app(shot, Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some(member) }, async |app| {
            open_signoff_form(app, "tpc-science-34b", "licensing").await?;
            approve_all(app, &format!("Licensing analysis checked by {member}.")).await?;
            // Sign-offs are listed oldest first: the member's newest one is the last row.
            let rows_css = format!("[data-gate-detail=\"licensing\"] [data-signoff=\"{member}\"]");
            app.wait_for(&format!("{rows_css} [data-currency=\"current\"]"), 10).await?;
            let rows = app.find_all(&rows_css).await?;
            let newest = rows.last().context("the new sign-off is listed")?;
            let currency =
                newest.find(fantoccini::Locator::Css("[data-currency]")).await?.attr("data-currency").await?;
            ensure!(currency.as_deref() == Some("current"), "{member}'s new sign-off is current, not {currency:?}");
            ensure!(
                newest.text().await?.contains(&format!("Licensing analysis checked by {member}.")),
                "the row shows the comment just written"
            );
            if member == "hsato" {
                go_to_board(app).await?;
                // Licensing passed with argonne and riken: the model moves on to data provenance.
                let deadline = std::time::Instant::now() + Duration::from_secs(10);
                loop {
                    // The board may still be loading when first asked: ask again until the deadline.
                    match board_position(app, "tpc-science-34b").await {
                        Ok((column, _)) if column == "data-provenance" => break,
                        other => ensure!(
                            std::time::Instant::now() < deadline,
                            "the model did not reach data provenance: {other:?}"
                        ),
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
            Ok(())
        })
        .await?;
    }
    // Two commits, by the two reviewers, as plain git sees them.
    let log =
        git(&repo, &["log", "--format=%an <%ae>|%(trailers:key=Gatehouse-Gate,valueonly)", &format!("{before}..main")]);
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    ensure!(lines.len() == 2, "two sign-off commits: {lines:?}");
    ensure!(lines[0].starts_with("Hiro") || lines[0].contains("hsato@riken"), "newest by hsato: {lines:?}");
    ensure!(lines[1].contains("rvance@argonne"), "first by rvance: {lines:?}");
    let status = cli(&repo, &["status", "--json", "--model", "tpc-science-34b"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout)?;
    let licensing = status["models"][0]["gates"].as_array().unwrap().iter().find(|g| g["gate"] == "licensing").unwrap();
    ensure!(licensing["state"] == "passed", "the CLI agrees the gate passed: {licensing}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_refused_signoff_shows_why_and_writes_nothing() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let before = git_main(&repo);
    let files_before = git(&repo, &["status", "--porcelain", "--ignored"]);
    // tokafor holds no license-reviewer role.
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("tokafor") };
    with_app("refused-signoff", launch, async |app| {
        // The model page says so up front: the button is disabled, with the reason and who may.
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?.click().await?;
        let gate = "[data-gate-detail=\"licensing\"]";
        let refusal = app.wait_for(&format!("{gate} [data-testid=\"sign-blocked\"]"), 10).await?;
        let code = refusal.attr("data-code").await?;
        ensure!(code.as_deref() == Some("missing-role"), "the refusal's code: {code:?}");
        let text = refusal.text().await?;
        ensure!(
            text.contains("tokafor") && text.contains("license-reviewer"),
            "the reason names member and role: {text:?}"
        );
        let sign = app.find(&format!("{gate} [data-action=\"sign\"]")).await?;
        ensure!(!sign.is_enabled().await?, "no way to start a refused sign-off");
        let who = app.find(&format!("{gate} [data-testid=\"gate-signers\"]")).await?.text().await?;
        // The sample's license reviewers, by name.
        ensure!(
            ["Rosa Vance", "Hiroshi Sato", "Lucía García", "Nico Brunner"].iter().all(|n| who.contains(n)) && !who.contains("Tunde"),
            "who may sign: the license reviewers, by name: {who:?}"
        );
        app.js("document.querySelector('[data-gate-detail=\"licensing\"] [data-testid=\"sign-blocked\"]').scrollIntoView({ block: 'center' }); return true;")
            .await?;
        app.screenshot("refused-signoff-0-model-page").await;
        Ok(())
    })
    .await?;
    ensure!(git_main(&repo) == before, "main did not move");
    ensure!(git(&repo, &["status", "--porcelain", "--ignored"]) == files_before, "no file was written");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_wrong_input_is_named_in_the_forms_words_and_its_field_is_pointed_at() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let before = git_main(&repo);
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("wrong-input-field", launch, async |app| {
        open_signoff_form(app, "tpc-science-34b", "licensing").await?;
        app.wait_for("[data-action=\"submit-signoff\"]", 10).await?;
        mark_every_item_done(app).await?;
        app.find("[data-field=\"decision\"]").await?.select_by_value("approve").await?;
        // A comment that would make the sign-off file larger than the format allows (256 KiB):
        // set through the input event the form listens to, as typing 300,000 keys would take minutes.
        app.js("const c = document.querySelector('[data-field=\"comment\"]'); \
             c.value = 'x'.repeat(300000); c.dispatchEvent(new Event('input', { bubbles: true })); return true;")
            .await?;
        app.find("[data-action=\"submit-signoff\"]").await?.click().await?;
        let error = app.wait_for("[data-testid=\"signoff-error\"]", 15).await?;
        ensure!(error.attr("data-code").await?.as_deref() == Some("invalid-argument"), "the error's code");
        let text = error.text().await?;
        // The reviewer reads the form's word for the input, never the command line's flag.
        ensure!(text.contains("comment: ") && !text.contains("--"), "the error names the comment: {text:?}");
        let comment = app.find("[data-field=\"comment\"]").await?;
        ensure!(comment.attr("aria-invalid").await?.as_deref() == Some("true"), "the comment is marked at fault");
        let focused = app.js("return document.activeElement?.dataset?.field ?? null;").await?;
        ensure!(focused == serde_json::json!("comment"), "the focus moved to the comment: {focused}");
        Ok(())
    })
    .await?;
    ensure!(git_main(&repo) == before, "nothing was signed: main did not move");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_request_for_changes_needs_a_comment_in_the_form_as_on_the_command_line() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let before = git_main(&repo);
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("comment-required", launch, async |app| {
        open_signoff_form(app, "tpc-science-34b", "licensing").await?;
        let submit = "[data-action=\"submit-signoff\"]";
        app.wait_for(submit, 10).await?;
        app.find("[data-field=\"decision\"]").await?.select_by_value("changes-requested").await?;
        let why = app
            .wait_text("[data-testid=\"signoff-validation\"][data-code=\"comment-required\"]", 10, |t| !t.is_empty())
            .await?;
        ensure!(why.contains("what must change"), "the form says what is missing: {why:?}");
        ensure!(app.find(submit).await?.attr("disabled").await?.is_some(), "Sign waits for the comment");
        let comment = app.find("[data-field=\"comment\"]").await?;
        ensure!(comment.attr("aria-invalid").await?.as_deref() == Some("true"), "the comment is marked");
        app.js("document.querySelector('[data-testid=\"signoff-validation\"]').scrollIntoView({ block: 'center' }); return true;")
            .await?;
        app.screenshot("comment-required-0-refused").await;
        comment.send_keys("The bill of materials omits the tokenizer's licence.").await?;
        for _ in 0..100 {
            if app.find_all("[data-testid=\"signoff-validation\"]").await?.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ensure!(app.find_all("[data-testid=\"signoff-validation\"]").await?.is_empty(), "satisfied by the comment");
        app.find(submit).await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 15).await?;
        Ok(())
    })
    .await?;
    // The command line refuses the same request, with the same code, and writes nothing.
    let signed = git_main(&repo);
    ensure!(signed != before, "the request with a comment was signed");
    let out = cli(
        &repo,
        &[
            "--json",
            "--as",
            "rvance",
            "signoff",
            "--model",
            "tpc-science-34b",
            "--gate",
            "licensing",
            "--decision",
            "changes-requested",
        ],
    );
    ensure!(out.status.code() == Some(1), "the CLI refuses: {out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    ensure!(json["error"]["code"] == "comment-required", "the same code as the form: {json}");
    ensure!(git_main(&repo) == signed, "the refusal wrote nothing");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn mark_all_done_asks_once_listing_the_items_it_ticks() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("mark-all-done", launch, async |app| {
        open_signoff_form(app, "tpc-science-34b", "licensing").await?;
        app.wait_for("[data-action=\"submit-signoff\"]", 10).await?;
        let items: Vec<String> = {
            let mut ids = Vec::new();
            for select in app.find_all("select[data-item]").await? {
                ids.push(select.attr("data-item").await?.unwrap_or_default());
            }
            ids
        };
        ensure!(items.len() == 7, "the licensing checklist: {items:?}");
        // One is settled by hand first: the dialog lists only what it would tick.
        app.find(&format!("select[data-item=\"{}\"]", items[0])).await?.select_by_value("not-applicable").await?;
        click(app, "[data-action=\"mark-all-done\"]").await?;
        app.wait_for("[data-testid=\"confirm-all-done\"]", 5).await?;
        let mut listed = Vec::new();
        for li in app.find_all("[data-confirm-item]").await? {
            listed.push(li.attr("data-confirm-item").await?.unwrap_or_default());
        }
        ensure!(listed == items[1..], "the dialog lists the open items, in order: {listed:?}");
        let untouched = app
            .js("return [...document.querySelectorAll('select[data-item]')].filter(s => s.value === 'done').length;")
            .await?;
        ensure!(untouched == serde_json::json!(0), "nothing is ticked before the reviewer confirms");
        app.screenshot("mark-all-done-0-asks").await;
        click(app, "[data-action=\"confirm-all-done\"]").await?;
        let states = app.js("return [...document.querySelectorAll('select[data-item]')].map(s => s.value);").await?;
        let mut expected = vec!["not-applicable".to_string()];
        expected.extend(std::iter::repeat_n("done".to_string(), 6));
        ensure!(states == serde_json::json!(expected), "the open items are done, the settled one kept: {states}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn enter_in_search_lists_the_results_and_the_query_is_kept() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("search-enter", launch, async |app| {
        app.wait_for("[data-model]", 20).await?;
        click(app, "[data-nav=\"search\"]").await?;
        let input = app.wait_for("[data-field=\"search\"]", 10).await?;
        // WebDriver's Enter key.
        input.send_keys("bias\u{E007}").await?;
        app.wait_for("[data-hit]", 10).await.context("Enter lists the results")?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        ensure!(
            !app.find_all("[data-screen=\"search\"]").await?.is_empty(),
            "Enter stays on the list, opening nothing"
        );
        let hits = app.find_all("[data-hit]").await?.len();
        ensure!(hits >= 2, "the list shows every result: {hits}");
        app.screenshot("search-enter-0-list").await;
        // Away and back: the query and its results are still there.
        click(app, "[data-nav=\"board\"]").await?;
        app.wait_for("[data-model]", 10).await?;
        click(app, "[data-nav=\"search\"]").await?;
        let value = app.js("return document.querySelector('[data-field=\"search\"]').value;").await?;
        ensure!(value == serde_json::json!("bias"), "the query is kept: {value}");
        app.wait_for("[data-hit]", 10).await.context("and its results")?;
        Ok(())
    })
    .await
}

const HOSTILE_CARD: &str = r#"---
license: apache-2.0
org: argonne
owners: [rvance]
parameters: 7000000000
---
# Evil 7B

<script>window.__pwned = 'script'; document.title = 'pwned';</script>

<img src="x" onerror="window.__pwned = 'onerror'">

<body onload="window.__pwned = 'body-onload'">

[Click me](javascript:window.__pwned='link')

[Data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

![data image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)

![js image](javascript:window.__pwned='img')

[Safe link](https://example.org/model-card)

<a href="javascript:window.__pwned='raw-link'" id="raw">raw link</a>

<a href="data:text/html,<script>window.__pwned='data-link'</script>">raw data link</a>

<img src="data:image/png;base64,iVBORw0KGgo=" onload="window.__pwned='img-onload'">

<svg><script>window.__pwned = 'svg-script'</script></svg>

<svg onload="window.__pwned = 'svg-onload'"><circle r="4"/></svg>

<div style="background:url(javascript:alert(1))" onclick="window.__pwned='div'">
raw HTML block with a <b>handler</b>
</div>

<iframe src="javascript:window.__pwned='iframe'"></iframe>

<iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe>

<object data="javascript:window.__pwned='object'"></object>

<embed src="javascript:window.__pwned='embed'">

<form action="javascript:window.__pwned='form'"><input name="q"><button>Go</button></form>

<meta http-equiv="refresh" content="0; url=javascript:window.__pwned='meta'">

<style>body { display: none; }</style>

<link rel="stylesheet" href="javascript:alert(1)">
"#;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_hostile_card_is_shown_inert() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let card = tmp.path().join("evil.md");
    std::fs::write(&card, HOSTILE_CARD)?;
    let out = cli(&repo, &["--as", "rvance", "model", "add", "evil-7b", "--card", card.to_str().unwrap()]);
    ensure!(out.status.success(), "model add: {}", String::from_utf8_lossy(&out.stderr));
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("hostile-card-inert", launch, async |app| {
        app.wait_for("[data-model=\"evil-7b\"]", 20).await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;
        app.wait_text("[data-screen=\"model\"]", 10, |t| t.contains("Evil 7B")).await?;
        // Click every link in the card: none may run anything or navigate the window away.
        for link in app.find_all("[data-screen=\"model\"] a").await? {
            let _ = link.click().await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let probe = app
            .js("const card = document.querySelector('[data-screen=\"model\"] .safe-html.prose');
                 if (!card) return { missing: true };
                 const inCard = (sel) => card.querySelectorAll(sel).length;
                 return {
                pwned: window.__pwned || null,
                title: document.title,
                scripts: inCard('script'),
                handlers: [...card.querySelectorAll('*')]
                    .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length,
                styles: [...card.querySelectorAll('[style]')].filter(e => /url\\(|javascript/i.test(e.getAttribute('style'))).length,
                jsLinks: [...card.querySelectorAll('[href], [src], [action], [data], [srcdoc]')]
                    .filter(e => ['href', 'src', 'action', 'data', 'srcdoc'].some(a => {
                        const v = e.getAttribute(a);
                        return v !== null && (a === 'srcdoc' || /^\\s*(javascript|data|vbscript):/i.test(v));
                    })).length,
                hrefs: [...card.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
                dangerous: inCard('iframe, object, embed, form, meta, style, link, svg, body, base'),
                iframes: document.querySelectorAll('iframe, object, embed').length,
                still_app: !!document.querySelector('[data-screen=\"model\"]'),
                safe_link: [...card.querySelectorAll('a[href]')].some(a => a.getAttribute('href') === 'https://example.org/model-card'),
            }")
            .await?;
        ensure!(probe["missing"].is_null(), "the card is rendered: {probe}");
        ensure!(probe["pwned"].is_null(), "no script ran: {probe}");
        ensure!(probe["title"] != "pwned", "the title was not changed by the card: {probe}");
        ensure!(probe["scripts"] == 0 && probe["handlers"] == 0, "no script element or handler: {probe}");
        ensure!(probe["styles"] == 0, "no style with a URL: {probe}");
        ensure!(probe["jsLinks"] == 0 && probe["iframes"] == 0, "no javascript:/data: URL, no frame: {probe}");
        ensure!(probe["dangerous"] == 0, "no iframe, object, embed, form, meta, style, link or svg: {probe}");
        for href in probe["hrefs"].as_array().context("hrefs")? {
            let href = href.as_str().unwrap_or_default();
            ensure!(
                href.starts_with("https://") || href.starts_with("http://") || href.starts_with('#') || href.starts_with("mailto:"),
                "only safe link targets remain: {href:?} in {probe}"
            );
        }
        ensure!(probe["safe_link"] == true, "the ordinary link is kept: {probe}");
        ensure!(probe["still_app"] == true, "the window did not navigate away: {probe}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_commit_made_by_the_cli_appears_in_the_open_window() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    let repo_ref = &repo;
    with_app("cli-commit-live", launch, async |app| {
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?.click().await?;
        app.wait_for("[data-gate-detail=\"licensing\"]", 10).await?;
        let before = app
            .find_all("[data-gate-detail=\"licensing\"] [data-signoff=\"nbrunner\"] [data-currency=\"current\"]")
            .await?
            .len();
        ensure!(before == 0, "no current sign-off by nbrunner yet");
        let out = cli(
            repo_ref,
            &[
                "--as",
                "nbrunner",
                "signoff",
                "--model",
                "tpc-science-34b",
                "--gate",
                "licensing",
                "--decision",
                "approve",
                "--item",
                "all=done",
                "--comment",
                "Signed from the command line.",
            ],
        );
        ensure!(out.status.success(), "CLI signoff: {}", String::from_utf8_lossy(&out.stderr));
        let started = std::time::Instant::now();
        app.wait_for("[data-gate-detail=\"licensing\"] [data-signoff=\"nbrunner\"] [data-currency=\"current\"]", 5)
            .await?;
        let took = started.elapsed();
        // The README promises: within a second. Measured from the CLI's exit; WebDriver polling adds ~100 ms.
        ensure!(took < Duration::from_millis(1500), "the window showed the commit after {took:?}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn the_web_view_runs_no_injected_script_and_reaches_only_the_apps_commands() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: None };
    with_app("web-view-locked-down", launch, async |app| {
        app.wait_for("[data-screen=\"board\"]", 20).await?;
        // WebDriver's own script runs outside the page's policy; what it adds to the page does not.
        app.js("const s = document.createElement('script');
             s.textContent = \"window.__inline = 'ran'\";
             document.body.appendChild(s);
             const i = document.createElement('img');
             i.setAttribute('onerror', \"window.__handler = 'ran'\");
             i.src = 'nonexistent.png';
             document.body.appendChild(i);")
            .await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let ran = app.js("return [window.__inline || null, window.__handler || null]").await?;
        ensure!(ran == serde_json::json!([null, null]), "the Content-Security-Policy blocks inline script: {ran}");
        // The app's own commands answer; anything the capabilities do not grant is refused.
        let probe = app
            .js_async(
                "const done = arguments[arguments.length - 1];
                 const invoke = window.__TAURI_INTERNALS__.invoke;
                 const outcome = (p) => p.then(() => 'allowed', (e) => 'refused: ' + String(e));
                 Promise.all([
                   outcome(invoke('members')),
                   outcome(invoke('plugin:dialog|message', { message: 'hi' })),
                   outcome(invoke('plugin:shell|execute', { program: 'sh', args: ['-c', 'true'] })),
                   outcome(invoke('plugin:fs|read_text_file', { path: '/etc/passwd' })),
                 ]).then(done);",
            )
            .await?;
        let probe: Vec<String> = serde_json::from_value(probe)?;
        ensure!(probe[0] == "allowed", "the app's own command works: {probe:?}");
        for p in &probe[1..] {
            ensure!(p.starts_with("refused"), "not granted, so refused: {probe:?}");
        }
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn the_member_chosen_in_identity_signs_and_is_remembered_with_the_repository() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = || Launch { data_dir: tmp.path(), repo: Some(&repo), member: None };
    with_app("identity-chosen", launch(), async |app| {
        app.wait_for("[data-screen=\"board\"]", 20).await?;
        app.find("[data-nav=\"identity\"]").await?.click().await?;
        app.wait_for("[data-screen=\"identity\"]", 10).await?;
        // No git identity in this HOME: nobody is acting until a member is chosen.
        let source = app.wait_for("[data-testid=\"identity-source\"]", 10).await?.attr("data-source").await?;
        ensure!(source.as_deref() == Some("none"), "no member before choosing: {source:?}");
        app.find("select[data-field=\"acting-member\"]").await?.select_by_value("hsato").await?;
        app.wait_text("[data-testid=\"member-chip\"]", 10, |t| t.contains("Hiroshi Sato")).await?;
        go_to_board(app).await?;
        open_signoff_form(app, "tpc-science-34b", "licensing").await?;
        app.wait_text("[data-action=\"submit-signoff\"]", 10, |t| t.contains("Hiroshi Sato")).await?;
        Ok(())
    })
    .await?;
    // A new session of the app on the same repository starts as the member chosen last.
    with_app("identity-remembered", launch(), async |app| {
        app.wait_text("[data-testid=\"member-chip\"]", 20, |t| t.contains("Hiroshi Sato")).await?;
        Ok(())
    })
    .await
}

/// Checks `rev` with plain git against the allowed-signers file the CLI prints.
fn git_verify_commit(repo: &std::path::Path, rev: &str) -> Result<std::process::Output> {
    let signers = cli(repo, &["allowed-signers"]);
    ensure!(signers.status.success(), "allowed-signers: {}", String::from_utf8_lossy(&signers.stderr));
    let file = repo.parent().unwrap().join("allowed_signers");
    std::fs::write(&file, &signers.stdout)?;
    Ok(std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .arg("-c")
        .arg(format!("gpg.ssh.allowedSignersFile={}", file.display()))
        .args(["verify-commit", "-v", rev])
        .envs(gatehouse_e2e::GIT_ENV)
        .output()?)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn verify_is_clean_on_the_sample_and_lists_a_tamper_made_with_plain_git() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    let repo_ref = &repo;
    with_app("verify-tamper", launch, async |app| {
        app.wait_for("[data-screen=\"board\"]", 20).await?;
        app.find("[data-nav=\"verify\"]").await?.click().await?;
        app.wait_for("[data-screen=\"verify\"]", 10).await?;
        let clean = app.wait_text("[data-testid=\"verify-clean\"]", 30, |t| t.contains("no findings")).await?;
        ensure!(clean.contains("commits checked"), "the clean state says how many commits: {clean:?}");
        ensure!(app.find_all("[data-finding]").await?.is_empty(), "no findings on the sample");
        ensure!(app.find_all("[data-testid=\"verify-banner\"]").await?.is_empty(), "no banner on a clean record");
        go_to_board(app).await?;

        // A reviewer edits someone's sign-off with plain git and commits it in their own name.
        let path = &format!("{}/licensing/20260903T063000Z-rvance.toml", signoffs_dir("tpc-science-34b"));
        let file = repo_ref.join(path);
        let text = std::fs::read_to_string(&file)?.replace("BOM complete.", "BOM complete (edited later).");
        std::fs::write(&file, text)?;
        git(repo_ref, &["add", path]);
        git(
            repo_ref,
            &[
                "-c",
                "user.name=Hiroshi Sato",
                "-c",
                "user.email=hsato@riken.example.org",
                "commit",
                "-q",
                "-m",
                "fix typo",
            ],
        );
        let tamper = git_main(repo_ref);

        // Verify runs again in the background when main moves: the banner appears on the board.
        let banner = app.wait_text("[data-testid=\"verify-banner\"]", 30, |t| t.contains("finding")).await?;
        ensure!(banner.contains("Verify found"), "the banner says what it found: {banner:?}");
        app.find("[data-testid=\"verify-banner\"] [data-action=\"open-verify\"]").await?.click().await?;
        app.wait_for("[data-screen=\"verify\"]", 10).await?;
        let css = format!("[data-finding][data-kind=\"edited-signoff\"][data-commit=\"{tamper}\"]");
        app.wait_for(&css, 30).await?;
        let row = app.wait_text(&css, 10, |t| t.contains(path)).await?;
        ensure!(row.contains("fix typo") && row.contains(&tamper[..7]), "the finding shows its commit: {row:?}");
        ensure!(row.contains("Hiroshi Sato"), "and its author: {row:?}");
        let member = app.wait_text(&format!("{css} [data-field=\"member\"]"), 5, |t| !t.is_empty()).await?;
        ensure!(member.contains("hsato") || member.contains("rvance"), "the finding names the member: {member:?}");
        // Filtering by another kind hides it; by its kind shows it.
        let kinds: Vec<String> = app
            .js("return [...document.querySelectorAll('[data-field=\"verify-kind\"] option')].map(o => o.value)")
            .await?
            .as_array()
            .context("kinds")?
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect();
        ensure!(kinds.contains(&"edited-signoff".to_string()), "the filter offers the kind: {kinds:?}");
        if let Some(other) = kinds.iter().find(|k| !k.is_empty() && *k != "edited-signoff") {
            app.find("[data-field=\"verify-kind\"]").await?.select_by_value(other).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            ensure!(app.find_all(&css).await?.is_empty(), "filtered to {other}, the edit is hidden");
        }
        app.find("[data-field=\"verify-kind\"]").await?.select_by_value("edited-signoff").await?;
        app.wait_for(&css, 5).await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn signoffs_show_their_signature_and_one_signed_in_the_app_is_valid() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let before = git_main(&repo);
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    with_app("signature-badges", launch, async |app| {
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?.click().await?;
        app.wait_for("[data-gate-detail=\"licensing\"] [data-signoff] [data-signature]", 10).await?;
        let badges = app
            .js("return [...document.querySelectorAll('[data-signoff] [data-signature]')]
                   .map(e => [e.getAttribute('data-signature'), e.getAttribute('title') || '', e.textContent.trim()])")
            .await?;
        let badges = badges.as_array().context("badges")?;
        ensure!(!badges.is_empty(), "the sample's sign-offs have badges");
        for b in badges {
            ensure!(b[0] == "valid", "every sample sign-off is signed and valid: {b}");
            ensure!(b[1].as_str().unwrap_or_default().contains("SHA256:"), "the tooltip has the fingerprint: {b}");
            ensure!(b[2] == "signed", "the badge says so in words: {b}");
        }
        app.find("[data-gate-detail=\"licensing\"] [data-action=\"sign\"]").await?.click().await?;
        app.wait_for("[data-screen=\"signoff\"]", 10).await?;
        approve_all(app, "Signed in the app.").await?;
        let row = "[data-gate-detail=\"licensing\"] [data-signoff=\"rvance\"]";
        app.wait_for(&format!("{row} [data-currency=\"current\"]"), 10).await?;
        let newest = app.find_all(row).await?.pop().context("the new row")?;
        let sig = newest.find(fantoccini::Locator::Css("[data-signature]")).await?.attr("data-signature").await?;
        ensure!(sig.as_deref() == Some("valid"), "the new sign-off is signed and valid: {sig:?}");
        Ok(())
    })
    .await?;
    ensure!(git_main(&repo) != before, "a commit was made");
    let out = git_verify_commit(&repo, "main")?;
    ensure!(
        out.status.success(),
        "git verify-commit accepts the app's commit: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    ensure!(said.contains("rvance@argonne.example.org"), "signed by rvance's key: {said}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_protected_key_asks_for_its_passphrase_and_a_wrong_one_is_refused() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let key = repo.join(".git/gatehouse/keys/rvance");
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-p", "-P", "", "-N", "Zq8-gatehouse-pass", "-f"])
        .arg(&key)
        .output()?;
    ensure!(out.status.success(), "ssh-keygen -p: {}", String::from_utf8_lossy(&out.stderr));
    let before = git_main(&repo);
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    let repo_ref = &repo;
    with_app("passphrase", launch, async |app| {
        app.wait_for("[data-screen=\"board\"]", 20).await?;
        // The Identity screen says the key is protected.
        app.find("[data-nav=\"identity\"]").await?.click().await?;
        app.wait_for("[data-testid=\"identity-key\"] [data-key-protected]", 10).await?;
        go_to_board(app).await?;
        open_signoff_form(app, "tpc-science-34b", "licensing").await?;
        app.wait_for("[data-action=\"submit-signoff\"]", 10).await?;
        mark_every_item_done(app).await?;
        app.find("[data-field=\"decision\"]").await?.select_by_value("approve").await?;
        app.find("[data-field=\"comment\"]").await?.send_keys("Signed with a protected key.").await?;
        app.find("[data-action=\"submit-signoff\"]").await?.click().await?;

        let input = app.wait_for("input[type=password][data-field=\"passphrase\"]", 10).await?;
        let prompt = app.wait_text("[data-testid=\"passphrase-prompt\"]", 5, |t| !t.is_empty()).await?;
        ensure!(prompt.contains("rvance"), "the dialog names the key: {prompt:?}");
        ensure!(git_main(repo_ref) == before, "nothing is committed before the key is unlocked");
        input.send_keys("wrong").await?;
        app.find("[data-action=\"unlock-key\"]").await?.click().await?;
        app.wait_for("[data-testid=\"passphrase-error\"]", 10).await?;
        ensure!(git_main(repo_ref) == before, "a wrong passphrase commits nothing");
        ensure!(app.find_all("[data-screen=\"signoff\"]").await?.len() == 1, "still on the form");

        // Cancel leaves the form as it was; signing again asks again.
        app.find("[data-action=\"cancel-passphrase\"]").await?.click().await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        ensure!(app.find_all("[data-field=\"passphrase\"]").await?.is_empty(), "the dialog closed");
        let comment = app.js("return document.querySelector('[data-field=\"comment\"]').value").await?;
        ensure!(comment == "Signed with a protected key.", "the form kept its input: {comment}");
        app.find("[data-action=\"submit-signoff\"]").await?.click().await?;

        let input = app.wait_for("input[type=password][data-field=\"passphrase\"]", 10).await?;
        input.send_keys("Zq8-gatehouse-pass").await?;
        app.find("[data-action=\"unlock-key\"]").await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 15).await?;
        app.wait_for("[data-gate-detail=\"licensing\"] [data-signoff=\"rvance\"] [data-currency=\"current\"]", 10)
            .await?;
        // The passphrase is not left in the page.
        let leaked = app.js("return document.documentElement.outerHTML.includes('Zq8-gatehouse-pass')").await?;
        ensure!(leaked == false, "the passphrase does not stay in the page");
        Ok(())
    })
    .await?;
    ensure!(git_main(&repo) != before, "the right passphrase records the sign-off");
    let out = git_verify_commit(&repo, "main")?;
    ensure!(out.status.success(), "the commit is signed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(())
}

/// The sample, with rules that let two approvals (of eight voting members) reach the quorum
/// and no final comment period: changed the honest way, by a proposal the sample's members
/// made, voted on and accepted through the CLI at earlier (back-dated) times.
fn two_vote_repo(dir: &std::path::Path) -> Result<std::path::PathBuf> {
    let repo = sample_repo(dir);
    let before = git(&repo, &["show", "main:consortium.toml"]);
    let after = before
        .replace("proposal_quorum = \"2/3\"", "proposal_quorum = \"1/4\"")
        .replace("final_comment_days = 7", "final_comment_days = 0");
    ensure!(after != before && after.contains("\"1/4\"") && after.contains("days = 0"), "rules rewritten: {before}");
    let file = dir.join("consortium.toml");
    std::fs::write(&file, after)?;
    let change = format!("consortium.toml={}", file.display());
    let run = |args: &[&str]| -> Result<()> {
        let out = cli(&repo, args);
        ensure!(out.status.success(), "gatehouse {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        Ok(())
    };
    run(&[
        "--as",
        "rvance",
        "--at",
        "2026-10-02T09:00:00Z",
        "propose",
        "quick-votes",
        "--title",
        "Two approvals and no waiting, for small changes",
        "--change",
        &change,
        "--rationale",
        "Small clarifications should not wait a week for six votes.",
    ])?;
    for (i, member) in ["rvance", "tokafor", "hsato", "mtanaka", "lgarcia", "jferrer"].iter().enumerate() {
        let at = format!("2026-10-02T1{i}:00:00Z");
        run(&["--as", member, "--at", &at, "vote", "quick-votes", "--vote", "approve"])?;
    }
    run(&["--as", "akeller", "--at", "2026-10-12T09:00:00Z", "accept", "quick-votes"])?;
    ensure!(git(&repo, &["show", "main:consortium.toml"]).contains("final_comment_days = 0"), "the rules changed");
    Ok(repo)
}

/// Chooses `member` on the Identity screen and waits until the window acts as `name`.
async fn act_as(app: &App, member: &str, name: &str) -> Result<()> {
    app.find("[data-nav=\"identity\"]").await?.click().await?;
    app.wait_for("[data-screen=\"identity\"]", 10).await?;
    app.wait_for("select[data-field=\"acting-member\"]:not([disabled])", 10).await?.select_by_value(member).await?;
    app.wait_text("[data-testid=\"member-chip\"]", 10, |t| t.contains(name)).await?;
    Ok(())
}

async fn open_proposal(app: &App, id: &str) -> Result<()> {
    app.find("[data-nav=\"proposals\"]").await?.click().await?;
    app.wait_for(&format!("[data-proposal=\"{id}\"]"), 10).await?.click().await?;
    app.wait_for(&format!("[data-screen=\"proposal\"][data-proposal-id=\"{id}\"] [data-testid=\"vote-panel\"]"), 10)
        .await?;
    Ok(())
}

/// Replaces `from` by `to` in the editor's text as typing would (the input event the form
/// listens to).
async fn edit_text(app: &App, from: &str, to: &str) -> Result<()> {
    let script = format!(
        "const t = document.querySelector('[data-field=\"editor-text\"]');
         if (!t.value.includes({from})) return false;
         t.value = t.value.replace({from}, {to});
         t.dispatchEvent(new Event('input', {{ bubbles: true }}));
         return true;",
        from = serde_json::to_string(from)?,
        to = serde_json::to_string(to)?,
    );
    ensure!(app.js(&script).await? == serde_json::json!(true), "the editor holds {from:?}");
    Ok(())
}

/// Scrolls the first match of `css` to the middle of the window (clear of toasts and the top bar).
async fn scroll_to(app: &App, css: &str) -> Result<()> {
    let script = format!(
        "const e = document.querySelector({}); if (!e) return false; e.scrollIntoView({{ block: 'center' }}); return true;",
        serde_json::to_string(css)?
    );
    ensure!(app.js(&script).await? == serde_json::json!(true), "nothing matches `{css}` to scroll to");
    Ok(())
}

/// Waits for `css`, brings it into view and clicks it as a person would. A screen that
/// reloads under the pointer (the record moved) can replace the element between finding and
/// clicking it: then it is found again.
async fn click(app: &App, css: &str) -> Result<()> {
    let mut attempt = 0;
    loop {
        app.wait_for(css, 10).await?;
        scroll_to(app, css).await?;
        match app.find(css).await?.click().await {
            Ok(()) => return Ok(()),
            Err(e) if attempt < 3 => {
                attempt += 1;
                eprintln!("clicking `{css}` again after: {e:?}");
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            Err(e) => return Err(e).with_context(|| format!("clicking `{css}`")),
        }
    }
}

/// Dismisses the toasts, so a screenshot shows what lies under them.
async fn dismiss_toasts(app: &App) -> Result<()> {
    app.js("document.querySelectorAll('.toast button[aria-label=\"Dismiss\"], [data-testid] > button[aria-label=\"Dismiss\"]').forEach(b => b.click()); return true;")
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

async fn is_enabled(app: &App, css: &str) -> Result<bool> {
    Ok(app.find(css).await?.is_enabled().await?)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_checklist_change_drafted_in_the_editor_is_voted_on_blocked_by_an_objection_then_accepted() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = two_vote_repo(tmp.path())?;
    let id = "require-a-jailbreak-robustness-suite";
    let item = "- [ ] `jailbreak-suite` Jailbreak robustness. Evidence: `evidence/red-team-<yyyy-mm>.md`, section \"Jailbreaks\", gives the attack success rate of the consortium's jailbreak suite.";
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("akeller") };
    with_app("proposal-accepted", launch, async |app| {
        app.wait_for("[data-screen=\"board\"]", 20).await?;
        app.find("[data-nav=\"proposals\"]").await?.click().await?;
        app.wait_for("[data-proposal=\"quick-votes\"][data-state=\"accepted\"]", 10).await?;
        app.screenshot("proposal-1-list").await;

        // Draft: the safety checklist, edited in the editor.
        app.find("[data-action=\"new-proposal\"]").await?.click().await?;
        app.wait_for("[data-screen=\"proposal-editor\"]", 10).await?;
        app.wait_for("select[data-field=\"editor-file\"]", 10).await?.select_by_value("policies/checklists/safety.md").await?;
        app.wait_for("[data-testid=\"editor-ok\"]", 10).await?;
        app.find("[data-field=\"proposal-title\"]").await?.send_keys("Require a jailbreak robustness suite").await?;
        // Broken front matter: the problem and its line show next to the editor, and saving is off.
        edit_text(app, "order: 60", "order: sixty").await?;
        let problem = app.wait_for("[data-testid=\"editor-problem\"]", 10).await?;
        let line = problem.attr("data-line").await?;
        let text = app.wait_text("[data-testid=\"editor-problem\"]", 5, |t| !t.is_empty()).await?;
        ensure!(line.as_deref() == Some("4") || text.contains("order"), "the problem names the line or key: {line:?} {text:?}");
        ensure!(!is_enabled(app, "[data-action=\"save-proposal\"]").await?, "a broken file cannot be proposed");
        click(app, "[data-action=\"editor-goto-line\"]").await?;
        scroll_to(app, "[data-testid=\"editor-problem\"]").await?;
        app.screenshot("proposal-2-editor-broken-front-matter").await;
        edit_text(app, "order: sixty", "order: 60").await?;
        app.wait_for("[data-testid=\"editor-ok\"]", 10).await?;
        // A new item, typed at the end: the live preview lists it.
        let editor = app.find("[data-field=\"editor-text\"]").await?;
        editor.send_keys(&format!("{item}\n")).await?;
        app.wait_for("[data-testid=\"preview-items\"] [data-preview-item=\"jailbreak-suite\"]", 10).await?;
        app.find("[data-field=\"proposal-rationale\"]")
            .await?
            .send_keys("Two recent models were jailbroken within a day of release; the **external** red team did not test for it.")
            .await?;
        app.wait_for("[data-preview-item=\"jailbreak-suite\"] [data-testid=\"new-item\"]", 10).await?;
        scroll_to(app, "[data-testid=\"editor-ok\"]").await?;
        scroll_to(app, "[data-preview-item=\"jailbreak-suite\"]").await?;
        app.screenshot("proposal-3-editor-preview-new-item").await;
        let proposal_id = app.find("[data-field=\"proposal-id\"]").await?.prop("value").await?;
        ensure!(proposal_id.as_deref() == Some(id), "the id follows the title: {proposal_id:?}");
        app.wait_for("[data-action=\"save-proposal\"]:not([disabled])", 5).await?;
        click(app, "[data-action=\"save-proposal\"]").await?;
        app.wait_for(&format!("[data-screen=\"proposal\"][data-proposal-id=\"{id}\"] [data-file]"), 15).await?;
        app.wait_for("[data-badge=\"open\"]", 5).await?;
        // The rendered diff marks the one block added, and shows the changed parts by default.
        app.wait_for("[data-testid=\"rendered-diff\"][data-added=\"1\"][data-removed=\"0\"]", 5).await?;
        app.wait_text("[data-testid=\"rendered-diff\"] .after .chg-add", 5, |t| t.contains("jailbreak-suite")).await?;
        dismiss_toasts(app).await?;
        app.screenshot("proposal-4-opened-rendered-diff").await;
        click(app, "[data-field=\"changes-only\"]").await?;
        scroll_to(app, "[data-testid=\"rendered-diff\"] .after .chg-add").await?;
        app.screenshot("proposal-4b-rendered-diff-whole-page").await;
        click(app, "[data-file=\"policies/checklists/safety.md\"] [data-action=\"show-patch\"]").await?;
        app.wait_text("[data-testid=\"patch\"]", 5, |t| t.contains("+- [ ] `jailbreak-suite`")).await?;
        scroll_to(app, "[data-testid=\"patch\"] .add").await?;
        app.screenshot("proposal-5-raw-patch").await;

        // Member A approves.
        act_as(app, "rvance", "Rosa Vance").await?;
        open_proposal(app, id).await?;
        click(app, "[data-action=\"vote-approve\"]").await?;
        app.wait_for("[data-vote=\"rvance\"][data-kind=\"approve\"]", 10).await?;
        app.wait_for("[data-testid=\"quorum\"][data-approvals=\"1\"][data-needed=\"2\"]", 5).await?;
        dismiss_toasts(app).await?;
        scroll_to(app, "[data-testid=\"deliberation\"]").await?;
        app.screenshot("proposal-6-first-approval").await;

        // Member B objects: the button waits for a reason.
        act_as(app, "hsato", "Hiroshi Sato").await?;
        app.wait_for("[data-testid=\"inbox-count\"]", 10).await?;
        open_proposal(app, id).await?;
        ensure!(!is_enabled(app, "[data-action=\"vote-object\"]").await?, "no objection without a reason");
        app.find("[data-field=\"vote-comment\"]")
            .await?
            .send_keys("The item names no threshold: what attack success rate fails the gate?")
            .await?;
        app.wait_for("[data-action=\"vote-object\"]:not([disabled])", 5).await?;
        click(app, "[data-action=\"vote-object\"]").await?;
        app.wait_for("[data-vote=\"hsato\"][data-kind=\"object\"]", 10).await?;
        let blocked = app.wait_for("[data-testid=\"accept-blocked\"][data-code=\"standing-objection\"]", 10).await?;
        ensure!(blocked.text().await?.contains("hsato"), "the reason names the objector");
        ensure!(!is_enabled(app, "[data-action=\"accept-proposal\"]").await?, "accept is off while the objection stands");
        app.wait_for("[data-badge=\"objection\"]", 5).await?;
        dismiss_toasts(app).await?;
        scroll_to(app, "[data-testid=\"vote-panel\"]").await?;
        app.screenshot("proposal-7-objection-blocks-accept").await;
        app.find("[data-nav=\"inbox\"]").await?.click().await?;
        app.wait_for(&format!("[data-inbox-objection=\"{id}\"]"), 10).await?;
        dismiss_toasts(app).await?;
        app.screenshot("proposal-8-waiting-on-me").await;

        // B lifts the objection by voting again; with no comment period, accept is allowed.
        click(app, &format!("[data-inbox-objection=\"{id}\"]")).await?;
        click(app, "[data-action=\"lift-objection\"]").await?;
        app.wait_for("[data-vote=\"hsato\"][data-kind=\"approve\"]", 10).await?;
        app.wait_for("[data-testid=\"accept-ready\"]", 10).await?;
        app.wait_for("[data-badge=\"ready\"]", 5).await?;
        dismiss_toasts(app).await?;
        scroll_to(app, "[data-testid=\"outcome-panel\"]").await?;
        app.screenshot("proposal-9-ready").await;
        app.wait_for("[data-action=\"accept-proposal\"]:not([disabled])", 5).await?;
        click(app, "[data-action=\"accept-proposal\"]").await?;
        app.wait_for("[data-screen=\"proposal\"][data-state=\"accepted\"] [data-testid=\"proposal-outcome\"]", 15).await?;
        dismiss_toasts(app).await?;
        app.js("document.querySelector('main').scrollTop = 0; return true;").await?;
        app.screenshot("proposal-10-accepted").await;

        // The board, under the new checklist.
        go_to_board(app).await?;
        // The release's safety approvals were made under the checklist before the new item: they
        // still count, and the card says so, naming the item added since.
        let marker = app.wait_for("[data-model=\"switch-c-1.6t\"] [data-testid=\"older-checklist\"]", 10).await?;
        let title = marker.attr("title").await?.unwrap_or_default();
        ensure!(title.contains("safety") && title.contains("jailbreak-suite"), "the marker names the change: {title:?}");
        ensure!(board_position(app, "switch-c-1.6t").await?.1 == "passed", "the model stays passed");
        app.screenshot("proposal-11-board").await;
        Ok(())
    })
    .await?;
    // The checklist on main has the item, and everything the app wrote verifies.
    let checklist = git(&repo, &["show", "main:policies/checklists/safety.md"]);
    ensure!(checklist.contains("`jailbreak-suite`"), "the accepted change is on main");
    let log = git(
        &repo,
        &["log", "--first-parent", "--format=%an|%(trailers:key=Gatehouse-Action,valueonly,separator=)", "-5", "main"],
    );
    let actions: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    ensure!(
        actions
            == [
                "Hiroshi Sato|accept",
                "Hiroshi Sato|vote",
                "Hiroshi Sato|vote",
                "Rosa Vance|vote",
                "Anna Keller|propose"
            ],
        "the actions as git sees them: {actions:?}"
    );
    let verify = cli(&repo, &["verify"]);
    ensure!(
        verify.status.success(),
        "verify is clean: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    Ok(())
}

/// Replaces the text of the input `css` as typing would (the input event the form listens to).
async fn set_input(app: &App, css: &str, value: &str) -> Result<()> {
    let script = format!(
        "const e = document.querySelector({css}); if (!e) return false;
         e.value = {value}; e.dispatchEvent(new Event('input', {{ bubbles: true }})); return true;",
        css = serde_json::to_string(css)?,
        value = serde_json::to_string(value)?,
    );
    ensure!(app.js(&script).await? == serde_json::json!(true), "no input matches `{css}`");
    Ok(())
}

async fn input_value(app: &App, css: &str) -> Result<String> {
    Ok(app.find(css).await?.prop("value").await?.unwrap_or_default())
}

/// Exports from the open export dialog to `path` and waits for the message naming the file.
async fn export_to(app: &App, path: &std::path::Path) -> Result<String> {
    set_input(app, "[data-testid=\"export-path\"]", path.to_str().context("a UTF-8 path")?).await?;
    click(app, "[data-action=\"export-submit\"]:not([disabled])").await?;
    app.wait_text("[data-testid=\"export-done\"]", 30, |t| !t.is_empty()).await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_report_exported_from_the_model_page_is_found_on_disk() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let head = git_main(&repo);
    let model = "tpc-science-34b";
    // The model's title as the record gives it, read by the CLI.
    let shown = cli(&repo, &["--json", "show", "model", model]);
    ensure!(shown.status.success(), "show model: {}", String::from_utf8_lossy(&shown.stderr));
    let detail: serde_json::Value = serde_json::from_slice(&shown.stdout)?;
    let title = detail["title"].as_str().context("the model has a title")?.to_string();
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports)?;
    let html_file = exports.join("for-the-auditor.html");
    let pdf_file = exports.join("for-the-auditor.pdf");
    let json_file = exports.join("three-commits-ago.json");
    let older = git(&repo, &["rev-parse", "main~3"]).trim().to_string();
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: None };
    with_app("report-export", launch, async |app| {
        click(app, &format!("[data-model=\"{model}\"]")).await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;
        click(app, "[data-testid=\"export-report\"]").await?;
        app.wait_for("[data-testid=\"export-dialog\"]", 10).await?;

        // The default destination: the home folder (no Downloads folder here), named after the
        // model and the commit, ending as the format chosen.
        click(app, "[data-choice=\"html\"]").await?;
        let short = &head[..7];
        let default = tmp.path().join(format!("{model}-{short}.html"));
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while input_value(app, "[data-testid=\"export-path\"]").await? != default.to_str().unwrap() {
            ensure!(std::time::Instant::now() < deadline, "the default path is {default:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // The preview: the HTML report in a frame with no rights (no script, no same origin).
        let frame = app.wait_for("iframe[data-testid=\"report-preview\"]", 30).await?;
        ensure!(frame.attr("sandbox").await?.as_deref() == Some(""), "the preview's sandbox is empty");
        let srcdoc = frame.attr("srcdoc").await?.unwrap_or_default();
        ensure!(srcdoc.contains(&title) && srcdoc.contains(&head), "the preview is this model's report at main");
        // The frame shows the report (the window's policy lets an inline document render).
        app.client.clone().enter_frame(0).await?;
        let inside = app.js("return document.body ? document.body.textContent : ''").await?;
        app.client.clone().enter_parent_frame().await?;
        ensure!(inside.as_str().is_some_and(|t| t.contains(&title)), "the frame renders the report: {inside}");
        app.screenshot("report-export-1-preview").await;

        // A folder that does not exist: refused in plain words, pointing at the destination.
        let nowhere = tmp.path().join("no-such-folder/report.html");
        set_input(app, "[data-testid=\"export-path\"]", nowhere.to_str().unwrap()).await?;
        click(app, "[data-action=\"export-submit\"]:not([disabled])").await?;
        let error = app.wait_for("[data-testid=\"export-error\"]", 30).await?;
        ensure!(error.attr("data-code").await?.as_deref() == Some("invalid-argument"), "bad output is invalid input");
        let words = app.wait_text("[data-testid=\"export-error\"]", 5, |t| !t.is_empty()).await?;
        ensure!(
            words.contains("destination") && words.contains("does not exist"),
            "the error names the field: {words}"
        );
        let invalid = app.find("[data-testid=\"export-path\"]").await?.attr("aria-invalid").await?;
        ensure!(invalid.as_deref() == Some("true"), "the destination field is marked");
        ensure!(!tmp.path().join("no-such-folder").exists(), "nothing was created");
        app.screenshot("report-export-2-bad-folder").await;

        // HTML, written where the user says.
        let said = export_to(app, &html_file).await?;
        ensure!(said.contains(html_file.to_str().unwrap()), "the message names the file: {said}");
        app.screenshot("report-export-3-done").await;

        // PDF: the same report, typeset.
        click(app, "[data-choice=\"pdf\"]").await?;
        let retargeted = input_value(app, "[data-testid=\"export-path\"]").await?;
        ensure!(retargeted == pdf_file.to_str().unwrap(), "a name of one's own keeps it, ending .pdf: {retargeted}");
        let said = export_to(app, &pdf_file).await?;
        ensure!(said.contains(pdf_file.to_str().unwrap()), "the message names the PDF: {said}");
        app.screenshot("report-export-4-pdf-done").await;

        // An older commit, chosen from the list: the preview and the export describe it.
        app.find("select[data-field=\"revision\"]").await?.select_by_value(&older).await?;
        app.wait_for(&format!("iframe[data-testid=\"report-preview\"][srcdoc*=\"{older}\"]"), 30).await?;
        click(app, "[data-choice=\"json\"]").await?;
        let said = export_to(app, &json_file).await?;
        ensure!(said.contains(&older[..7]), "the message names the older commit: {said}");
        Ok(())
    })
    .await?;
    let html = std::fs::read_to_string(&html_file).context("the HTML report is on disk")?;
    ensure!(!html.is_empty(), "the HTML report is not empty");
    ensure!(html.contains(&title), "the HTML report names the model {title:?}");
    ensure!(html.contains(&head), "the HTML report names the commit it describes, {head}");
    let pdf = std::fs::read(&pdf_file).context("the PDF report is on disk")?;
    ensure!(pdf.starts_with(b"%PDF-"), "the PDF file is a PDF");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_file)?)?;
    ensure!(
        json["commit"]["id"] == serde_json::json!(older),
        "the JSON report is of the commit chosen: {}",
        json["commit"]
    );
    // Only the files asked for: no temporary file left beside them.
    let mut names: Vec<String> = std::fs::read_dir(&exports)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.sort();
    ensure!(
        names == ["for-the-auditor.html", "for-the-auditor.pdf", "three-commits-ago.json"],
        "the export folder holds {names:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn the_consortium_report_exported_from_the_board_as_a_bundle_checks_with_sha256sum() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let head = git_main(&repo);
    let bundle = tmp.path().join("audit-bundle");
    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: None };
    with_app("report-export-bundle", launch, async |app| {
        app.wait_for("[data-testid=\"export-consortium-report\"]:not([disabled])", 20).await?;
        app.screenshot("report-export-bundle-0-board").await;
        click(app, "[data-testid=\"export-consortium-report\"]:not([disabled])").await?;
        app.wait_for("[data-testid=\"export-dialog\"]", 10).await?;
        app.wait_for("iframe[data-testid=\"report-preview\"]", 60).await?;
        click(app, "[data-choice=\"bundle\"]").await?;
        let said = export_to(app, &bundle).await?;
        ensure!(said.contains(bundle.to_str().unwrap()), "the message names the folder: {said}");
        app.screenshot("report-export-bundle-done").await;
        Ok(())
    })
    .await?;
    // The bundle checks offline with the standard tool, and its JSON report is of main.
    let check = std::process::Command::new("sha256sum").args(["-c", "SHA256SUMS"]).current_dir(&bundle).output()?;
    ensure!(
        check.status.success(),
        "sha256sum -c: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(bundle.join("report.json"))?)?;
    ensure!(json["commit"]["id"] == serde_json::json!(head), "the bundle describes main: {}", json["commit"]);
    ensure!(json["scope"]["kind"] == "consortium", "the consortium-wide report");
    Ok(())
}

/// The consortium's shared remote (a bare repository, `origin` of `repo`, synced once), and
/// a colleague's clone of it holding the sample's demo keys.
fn colleague_of(tmp: &Path, repo: &Path) -> Result<PathBuf> {
    let shared = tmp.join("shared.git");
    let url = format!("file://{}", shared.display());
    let out = std::process::Command::new("git").args(["clone", "-q", "--bare"]).arg(repo).arg(&shared).output()?;
    ensure!(out.status.success(), "git clone --bare: {}", String::from_utf8_lossy(&out.stderr));
    ensure!(cli(repo, &["remote", "add", "origin", &url]).status.success(), "remote add");
    ensure!(cli(repo, &["--as", "rvance", "sync"]).status.success(), "the first sync");
    let colleague = tmp.join("colleague").join("record");
    std::fs::create_dir_all(colleague.parent().unwrap())?;
    let out = std::process::Command::new("git").args(["clone", "-q", &url]).arg(&colleague).output()?;
    ensure!(out.status.success(), "git clone: {}", String::from_utf8_lossy(&out.stderr));
    let keys = colleague.join(".git/gatehouse/keys");
    std::fs::create_dir_all(&keys)?;
    for key in std::fs::read_dir(repo.join(".git/gatehouse/keys"))? {
        let key = key?;
        std::fs::copy(key.path(), keys.join(key.file_name()))?;
    }
    Ok(colleague)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_sync_refused_for_a_tampered_signoff_shows_its_findings_on_the_verify_screen() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let colleague = colleague_of(tmp.path(), &repo)?;
    // In the colleague's clone, someone edits a sign-off with plain git and pushes it.
    let files = git(&colleague, &["ls-tree", "-r", "--name-only", "main", &signoffs_dir("tpc-science-34b")]);
    let path = files.lines().next().context("a sign-off of tpc-science-34b")?.to_string();
    let full = colleague.join(&path);
    let text = std::fs::read_to_string(&full)?;
    std::fs::write(&full, format!("{text}# edited after signing\n"))?;
    git(&colleague, &["commit", "-qam", "Touch up a sign-off"]);
    git(&colleague, &["push", "-q", "origin", "main"]);
    let tamper = git_main(&colleague);
    let before = git_main(&repo);

    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    let (repo_ref, path_ref, tamper_ref) = (&repo, &path, &tamper);
    with_app("sync-refused", launch, async |app| {
        app.wait_for("[data-action=\"sync\"]", 20).await?.click().await?;
        let said =
            app.wait_text("[data-testid=\"sync-error\"][data-code=\"incoming-breach\"]", 30, |t| !t.is_empty()).await?;
        ensure!(
            said.contains(&tamper_ref[..12]) && said.contains(path_ref.as_str()),
            "the panel names the commit and file: {said}"
        );
        ensure!(said.contains("left as it was"), "the panel says nothing changed: {said}");
        app.wait_for("[data-testid=\"sync-refused\"]", 10).await.context("the standing says the remote is refused")?;
        app.screenshot("sync-refused-0-panel").await;
        click(app, "[data-action=\"open-verify\"]").await?;
        let css = format!(
            "[data-refused=\"origin\"] [data-finding][data-kind=\"edited-signoff\"][data-commit=\"{tamper_ref}\"]"
        );
        let finding = app.wait_text(&css, 30, |t| t.contains(path_ref.as_str())).await?;
        ensure!(finding.contains("Touch up a sign-off"), "the refused commit is described as fetched: {finding}");
        app.wait_for("[data-testid=\"verify-clean\"]", 30).await.context("the member's own record stays clean")?;
        app.screenshot("sync-refused-1-verify").await;
        ensure!(git_main(repo_ref) == before, "main did not move");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_signoff_made_in_another_clone_appears_after_sync() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let colleague = colleague_of(tmp.path(), &repo)?;
    let signed = cli(
        &colleague,
        &[
            "--as",
            "nbrunner",
            "signoff",
            "--model",
            "tpc-science-34b",
            "--gate",
            "licensing",
            "--decision",
            "approve",
            "--item",
            "all=done",
            "--comment",
            "Signed in another clone.",
        ],
    );
    ensure!(signed.status.success(), "colleague's signoff: {}", String::from_utf8_lossy(&signed.stderr));
    let pushed = cli(&colleague, &["--as", "nbrunner", "sync"]);
    ensure!(pushed.status.success(), "colleague's sync: {}", String::from_utf8_lossy(&pushed.stderr));
    let theirs = git_main(&colleague);

    let launch = Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") };
    let repo_ref = &repo;
    with_app("sync-brings-a-signoff", launch, async |app| {
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?.click().await?;
        app.wait_for("[data-gate-detail=\"licensing\"]", 10).await?;
        let nbrunner = "[data-gate-detail=\"licensing\"] [data-signoff=\"nbrunner\"] [data-currency=\"current\"]";
        ensure!(app.find_all(nbrunner).await?.is_empty(), "not here before the sync");
        app.wait_text("[data-testid=\"sync-standing\"]", 10, |t| t.contains("in step")).await?;
        app.wait_for("[data-action=\"sync\"]", 10).await?.click().await?;
        app.wait_for(nbrunner, 20).await.context("the colleague's sign-off after Sync")?;
        app.wait_for("[data-testid=\"sync-done\"]", 10).await?;
        app.wait_text("[data-testid=\"sync-standing\"]", 10, |t| t.contains("in step") && t.contains("synced")).await?;
        ensure!(git_main(repo_ref) == theirs, "main moved forward to the colleague's commit");
        Ok(())
    })
    .await
}
