//! The reviewer's desk: what the acting member may sign ("My gates"), what changed under a
//! stale sign-off, and withdrawing a sign-off.

use super::*;

/// The `data-*` values of every element matching `css`, in page order.
async fn attrs(app: &App, css: &str, attr: &str) -> Result<Vec<String>> {
    let v =
        app.js(&format!("return [...document.querySelectorAll('{css}')].map(e => e.getAttribute('{attr}'))")).await?;
    Ok(v.as_array().context("a list")?.iter().map(|s| s.as_str().unwrap_or_default().to_string()).collect())
}

/// Scrolls `css` into view and clicks it once the page has stopped moving: coming back from
/// the sign-off form, the page scrolls (smoothly) to the gate signed, and a click while it
/// moves lands wherever the button was a moment before.
async fn click_when_still(app: &App, css: &str) -> Result<()> {
    let top = format!(
        "const e = document.querySelector('{css}'); if (!e) return null; \
         e.scrollIntoView({{block: 'center'}}); return e.getBoundingClientRect().top;"
    );
    let mut last = serde_json::Value::Null;
    let mut still = 0;
    for _ in 0..60 {
        let now = app.js(&top).await?;
        still = if now == last && !now.is_null() { still + 1 } else { 0 };
        if still >= 3 {
            break;
        }
        last = now;
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    ensure!(still >= 3, "{css} kept moving");
    app.find(css).await?.click().await.with_context(|| format!("clicking {css}"))?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn my_gates_lists_exactly_the_gates_status_says_the_member_may_sign() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    for member in ["hsato", "tokafor"] {
        // What the command line says this member may sign now.
        let out = cli(&repo, &["--as", member, "--json", "status", "--may-sign"]);
        ensure!(out.status.success(), "status --may-sign: {}", String::from_utf8_lossy(&out.stderr));
        let listed: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let expected: Vec<String> = listed
            .as_array()
            .context("a list of gates")?
            .iter()
            .map(|g| format!("{}:{}", g["model"].as_str().unwrap_or(""), g["gate"].as_str().unwrap_or("")))
            .collect();
        ensure!(!expected.is_empty(), "{member} may sign some gate in the sample");
        let waiting: Vec<String> = listed
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["decision"].is_null())
            .map(|g| format!("{}:{}", g["model"].as_str().unwrap_or(""), g["gate"].as_str().unwrap_or("")))
            .collect();
        let shot = format!("my-gates-{member}");
        with_app(&shot, Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some(member) }, async |app| {
            app.wait_for("[data-screen=\"board\"]", 30).await?;
            app.find("[data-nav=\"inbox\"]").await?.click().await?;
            app.wait_for("[data-testid=\"my-gates\"] [data-my-gate]", 15).await?;
            let mut shown = attrs(app, "[data-testid=\"my-gates\"] [data-my-gate]", "data-my-gate").await?;
            let mut want = expected.clone();
            shown.sort();
            want.sort();
            ensure!(shown == want, "{member}: My gates shows {shown:?}, status --may-sign says {want:?}");
            // Those waiting on the member's decision come first, as their own group.
            let first_group = attrs(app, "[data-my-gates-group]", "data-my-gates-group").await?;
            if !waiting.is_empty() {
                ensure!(first_group.first().map(String::as_str) == Some("waiting"), "groups: {first_group:?}");
                let waiting_shown = attrs(app, "[data-my-gate][data-waiting=\"true\"]", "data-my-gate").await?;
                ensure!(
                    waiting_shown.len() == waiting.len(),
                    "{member}: {} gates wait on them, the page marks {waiting_shown:?}",
                    waiting.len()
                );
            }
            app.js("document.querySelector('[data-testid=\"my-gates\"]').scrollIntoView()").await?;
            Ok(())
        })
        .await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_stale_signoff_shows_the_card_change_made_in_the_sample() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    with_app(
        "stale-what-changed",
        Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") },
        async |app| {
            app.wait_for("[data-model=\"tpc-science-34b\"]", 30).await?.click().await?;
            app.wait_for("[data-screen=\"model\"]", 10).await?;
            // From the sign-off: its own "what changed since".
            app.wait_for("[data-gate-detail=\"licensing\"] [data-currency=\"stale\"]", 10)
                .await
                .context("the sample's licensing sign-offs are stale")?;
            click_when_still(app, "[data-gate-detail=\"licensing\"] [data-action=\"what-changed\"]").await?;
            app.wait_for("[data-testid=\"changes-dialog\"] [data-change-file]", 15).await?;
            let files = attrs(app, "[data-change-file]", "data-change-file").await?;
            ensure!(files.first().map(String::as_str) == Some("card.md"), "the card is listed first: {files:?}");
            let status = app
                .js("return document.querySelector('[data-change-file=\"card.md\"]').getAttribute('data-status')")
                .await?;
            ensure!(status.as_str() == Some("modified"), "the card changed: {status}");
            // The card side by side: the version note the owners added is on the new side only.
            let text = app
                .wait_text("[data-testid=\"changes-dialog\"] [data-change-diff=\"card.md\"]", 10, |t| {
                    t.contains("Version note (1.1)")
                })
                .await?;
            ensure!(text.contains("1.0 (release candidate rc1"), "the reviewed card's version is shown too: {text}");
            // The blob ids are git's own.
            let now_blob = git(&repo, &["rev-parse", "main:models/tpc-science-34b/card.md"]);
            let shown_blob =
                app.js("return document.querySelector('[data-change-file=\"card.md\"] .blob').textContent").await?;
            ensure!(
                now_blob.trim().starts_with(shown_blob.as_str().unwrap_or("-")),
                "the card's blob id now ({}) is shown: {shown_blob}",
                now_blob.trim()
            );
            app.screenshot("stale-what-changed-dialog").await;
            // From the gate, the same dialog opens.
            app.find("[data-testid=\"changes-dialog\"] .dialog-close").await?.click().await?;
            click_when_still(app, "[data-gate-detail=\"licensing\"] [data-action=\"gate-what-changed\"]").await?;
            app.wait_for("[data-testid=\"changes-dialog\"] [data-change-file=\"card.md\"]", 15).await?;
            Ok(())
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_withdrawn_signoff_no_longer_counts_and_verify_stays_clean() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    with_app(
        "withdraw-signoff",
        Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") },
        async |app| {
            open_signoff_form(app, "tpc-science-34b", "licensing").await?;
            approve_all(app, "Licensing analysis checked.").await?;
            let gate = "[data-gate-detail=\"licensing\"]";
            app.wait_for(&format!("{gate} [data-signoff=\"rvance\"] [data-currency=\"current\"]"), 10).await?;
            let approvals = |t: &str| t.contains("1/2");
            app.wait_text(&format!("{gate} .approvals"), 10, approvals).await?;
            let before = git_main(&repo);

            // Only one's own latest sign-off offers Withdraw.
            let offered = app.find_all(&format!("{gate} [data-action=\"withdraw-signoff\"]")).await?;
            ensure!(offered.len() == 1, "one Withdraw button, on rvance's new sign-off ({} shown)", offered.len());
            click_when_still(app, &format!("{gate} [data-action=\"withdraw-signoff\"]")).await?;
            app.wait_for("[data-testid=\"withdraw-dialog\"]", 10).await?;
            // Without a reason the core refuses, with the code the CLI uses.
            app.find("[data-action=\"confirm-withdraw\"]").await?.click().await?;
            let err = app.wait_for("[data-testid=\"withdraw-error\"]", 10).await?;
            ensure!(
                err.attr("data-code").await?.as_deref() == Some("comment-required"),
                "refused for want of a reason"
            );
            ensure!(git_main(&repo) == before, "a refused withdrawal writes nothing");
            app.find("[data-field=\"withdraw-comment\"]").await?.send_keys("Approved the wrong revision.").await?;
            app.screenshot("withdraw-dialog").await;
            app.find("[data-action=\"confirm-withdraw\"]").await?.click().await?;
            app.wait_for(&format!("{gate} [data-signoff=\"rvance\"][data-withdrawn]"), 15).await?;
            app.wait_for(&format!("{gate} [data-decision=\"withdraw\"]"), 10).await?;
            ensure!(git_main(&repo) != before, "the withdrawal is a new commit");
            // The approval no longer counts.
            let pips = app.find(&format!("{gate} .approvals")).await?.text().await?;
            ensure!(pips.contains("0/2"), "no approval counts after the withdrawal: {pips}");
            app.js(&format!(
                "document.querySelector('{gate} [data-decision=\"withdraw\"]').scrollIntoView({{block: 'center'}})"
            ))
            .await?;
            app.screenshot("withdrawn-signoff").await;
            Ok(())
        },
    )
    .await?;
    // Outside the app: git sees one signed commit adding the withdrawal, and verify is clean.
    let names = git(&repo, &["show", "--name-status", "--format=%s", "main"]);
    ensure!(names.contains("signoff(tpc-science-34b/licensing): withdraw approve"), "{names}");
    ensure!(names.lines().filter(|l| l.starts_with("A\t")).count() == 1, "one file added: {names}");
    let verify = cli(&repo, &["verify"]);
    ensure!(verify.status.success(), "verify stays clean: {}", String::from_utf8_lossy(&verify.stdout));
    let status = cli(&repo, &["--json", "status", "--model", "tpc-science-34b"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout)?;
    let licensing =
        &status["models"][0]["gates"].as_array().context("gates")?.iter().find(|g| g["gate"] == "licensing").cloned();
    ensure!(
        licensing.as_ref().and_then(|g| g["approvals"].as_u64()) == Some(0),
        "status agrees: no approval counts ({licensing:?})"
    );
    Ok(())
}
