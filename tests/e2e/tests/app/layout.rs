//! Layout: labels that fit or wrap, tooltips and toasts that cover nothing, visible focus.
//! The real release app under Xvfb, driven over WebDriver, as a reviewer would use it.
//! Selectors are the `data-*` attributes the UI sets for this purpose (see ui/README.md).

use super::*;

use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::key::Key;

/// The sample's gates by title, in order, as `policies/checklists/*.md` name them.
const GATE_TITLES: [&str; 8] = [
    "Intake and registration",
    "Licensing",
    "Data provenance",
    "Reproducibility",
    "Evaluation",
    "Safety and alignment",
    "Deployment readiness",
    "Release",
];

/// For each element matching `css`: its text, whether its box cuts it (wider or taller
/// content than the box), and the full text a reader can get at: its own or its nearest
/// button's `title` and `aria-label`.
async fn labels(app: &App, css: &str) -> Result<Vec<(String, bool, String)>> {
    let v = app
        .js(&format!(
            "return [...document.querySelectorAll({})].map(e => {{
               const b = e.closest('button, a, [role=button]') || e;
               const named = [e.title, e.getAttribute('aria-label'), b.title, b.getAttribute('aria-label')].filter(Boolean).join(' | ');
               const cut = e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;
               return [e.textContent.replace(/\\s+/g, ' ').trim(), cut, named];
             }});",
            serde_json::to_string(css)?
        ))
        .await?;
    let rows = v.as_array().with_context(|| format!("labels of `{css}`"))?;
    Ok(rows
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap_or_default().to_string(),
                r[1].as_bool().unwrap_or(true),
                r[2].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect())
}

/// The page rectangle of the first match of `css`, as `[left, top, right, bottom]`.
async fn rect(app: &App, css: &str) -> Result<[f64; 4]> {
    let v = app
        .js(&format!(
            "const e = document.querySelector({}); if (!e) return null;
             const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
            serde_json::to_string(css)?
        ))
        .await?;
    let a = v.as_array().with_context(|| format!("nothing matches `{css}`"))?;
    Ok([0, 1, 2, 3].map(|i| a[i].as_f64().unwrap_or_default()))
}

fn intersects(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Whether the first match of `css` lies within the window's visible height.
async fn in_viewport(app: &App, css: &str) -> Result<bool> {
    let [_, top, _, bottom] = rect(app, css).await?;
    let height = app.js("return window.innerHeight").await?.as_f64().unwrap_or_default();
    Ok(top >= 0.0 && bottom <= height)
}

async fn center(app: &App, css: &str) -> Result<()> {
    let script = format!(
        "const e = document.querySelector({}); if (!e) return false; e.scrollIntoView({{ block: 'center' }}); return true;",
        serde_json::to_string(css)?
    );
    ensure!(app.js(&script).await? == serde_json::json!(true), "nothing matches `{css}` to scroll to");
    Ok(())
}

/// Moves the WebDriver pointer over the first match of `css`, as a mouse would.
async fn hover(app: &App, css: &str) -> Result<()> {
    let element = app.find(css).await?;
    let mouse = MouseActions::new("mouse".to_string()).then(PointerAction::MoveToElement {
        element,
        duration: Some(Duration::from_millis(100)),
        x: 0.0,
        y: 0.0,
    });
    app.client.perform_actions(mouse).await.with_context(|| format!("hovering `{css}`"))?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn gate_names_and_card_hints_fit_or_wrap_with_their_full_text() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    with_app("layout-labels", Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") }, async |app| {
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?;
        app.screenshot("layout-labels-0-board").await;
        // The chart under the filters: one bar per gate, named under it.
        let chart = labels(app, "[data-chart-gate] .label").await?;
        let names: Vec<&str> = chart.iter().map(|(t, _, _)| t.as_str()).collect();
        ensure!(names == GATE_TITLES, "the chart names every gate in full, in order: {names:?}");
        for (text, cut, named) in &chart {
            // A reader sees the whole name on screen, and a screen reader hears it.
            ensure!(!cut, "the chart label {text:?} is cut off");
            ensure!(named.contains(text.as_str()), "the chart bar for {text:?} carries its name: {named:?}");
        }
        // The hints on the cards ("Waiting for …") are whole sentences, not cut mid-way.
        let hints = labels(app, "[data-model] .waiting").await?;
        ensure!(!hints.is_empty(), "the sample's open gates show what they wait for");
        for (text, cut, named) in &hints {
            ensure!(!cut, "the card hint {text:?} is cut off");
            ensure!(named.contains(text.as_str()), "the card carries its hint in full: {named:?}");
        }
        // Every part of every card lies inside the card (a long state's badge too).
        let outside = app
            .js("return [...document.querySelectorAll('[data-model], [data-also-model]')].flatMap(card => {
                   const c = card.getBoundingClientRect();
                   return [...card.querySelectorAll('*')].filter(e => {
                     const r = e.getBoundingClientRect();
                     return r.width > 0 && (r.right > c.right + 1 || r.left < c.left - 1);
                   }).map(e => card.getAttribute('data-model') + ': ' + e.textContent.trim());
                 });")
            .await?;
        ensure!(outside == serde_json::json!([]), "parts of cards stick out of them: {outside}");
        // The model's gate strip.
        app.find("[data-model=\"tpc-science-34b\"]").await?.click().await?;
        app.wait_for("[data-step=\"safety\"]", 10).await?;
        app.screenshot("layout-labels-1-gate-strip").await;
        let strip = labels(app, "[data-step] .step-title").await?;
        let names: Vec<&str> = strip.iter().map(|(t, _, _)| t.as_str()).collect();
        ensure!(names == GATE_TITLES, "the strip names every gate in full, in order: {names:?}");
        for (text, cut, named) in &strip {
            ensure!(!cut, "the gate strip label {text:?} is cut off");
            ensure!(named.contains(text.as_str()), "the step for {text:?} carries its name: {named:?}");
        }
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_toast_on_the_signoff_form_covers_neither_sign_nor_cancel() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    with_app("layout-toast", Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") }, async |app| {
        open_signoff_form(app, "tpc-science-34b", "licensing").await?;
        app.wait_for("[data-action=\"submit-signoff\"]", 10).await?;
        // Some input, then Esc: the form keeps it and says so in a toast.
        app.find("[data-field=\"comment\"]").await?.send_keys("Half-way through the licence review.").await?;
        center(app, "[data-action=\"submit-signoff\"]").await?;
        app.js("document.activeElement.blur(); return true;").await?;
        app.js("window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); return true;")
            .await?;
        app.wait_for("[data-testid=\"toast\"]", 5).await?;
        app.screenshot("layout-toast-0-signoff-actions").await;
        let toast = rect(app, "[data-testid=\"toast\"]").await?;
        let sign = rect(app, "[data-action=\"submit-signoff\"]").await?;
        let cancel = rect(app, "[data-screen=\"signoff\"] .actions button[type=button]").await?;
        ensure!(!intersects(toast, sign), "the toast {toast:?} covers the Sign button {sign:?}");
        ensure!(!intersects(toast, cancel), "the toast {toast:?} covers the Cancel button {cancel:?}");
        // Scrolled to the very bottom too, where the buttons sit lowest in the window.
        app.js("document.querySelector('main').scrollTop = 1e6; return true;").await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let toast = rect(app, "[data-testid=\"toast\"]").await?;
        let sign = rect(app, "[data-action=\"submit-signoff\"]").await?;
        let cancel = rect(app, "[data-screen=\"signoff\"] .actions button[type=button]").await?;
        app.screenshot("layout-toast-1-signoff-bottom").await;
        ensure!(!intersects(toast, sign), "at the bottom, the toast {toast:?} covers the Sign button {sign:?}");
        ensure!(!intersects(toast, cancel), "at the bottom, the toast {toast:?} covers Cancel {cancel:?}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn keyboard_focus_on_a_board_card_is_visible_in_both_themes() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    with_app("layout-focus", Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") }, async |app| {
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?;
        // From the text filter, Tab on until a card has the focus, as a keyboard user would.
        app.find("[data-field=\"board-filter\"]").await?.click().await?;
        let mut on_card = false;
        for _ in 0..40 {
            app.client.active_element().await?.send_keys(&String::from(char::from(Key::Tab))).await?;
            let v = app.js("return document.activeElement && document.activeElement.hasAttribute('data-model')").await?;
            if v == serde_json::json!(true) {
                on_card = true;
                break;
            }
        }
        ensure!(on_card, "Tab reaches a card on the board");
        for theme in ["light", "dark"] {
            app.js(&format!("document.documentElement.setAttribute('data-theme', '{theme}'); return true;")).await?;
            tokio::time::sleep(Duration::from_millis(200)).await;
            app.screenshot(&format!("layout-focus-card-{theme}")).await;
            let v = app
                .js("const e = document.activeElement; const s = getComputedStyle(e);
                     return [e.matches(':focus-visible'), s.outlineStyle, parseFloat(s.outlineWidth) || 0, s.outlineColor, s.boxShadow];")
                .await?;
            let a = v.as_array().context("focus style")?;
            let (matches, style, width, color, shadow) = (
                a[0].as_bool().unwrap_or(false),
                a[1].as_str().unwrap_or_default(),
                a[2].as_f64().unwrap_or_default(),
                a[3].as_str().unwrap_or_default(),
                a[4].as_str().unwrap_or_default(),
            );
            ensure!(matches, "{theme}: the card reached by Tab counts as keyboard focus");
            let outline = style != "none" && width >= 2.0 && !color.contains("rgba(0, 0, 0, 0)");
            ensure!(outline || shadow != "none", "{theme}: the focused card shows a ring: {style} {width} {color} / {shadow}");
        }
        // Arrow keys move the focus between cards; it stays visible.
        app.client.active_element().await?.send_keys(&String::from(char::from(Key::Right))).await?;
        let v = app
            .js("const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.hasAttribute('data-model') || e.hasAttribute('data-also-model'), s.outlineStyle, e.matches(':focus-visible')];")
            .await?;
        ensure!(
            v[0] == serde_json::json!(true) && v[1] != serde_json::json!("none") && v[2] == serde_json::json!(true),
            "after an arrow key the next card has a visible focus: {v}"
        );
        app.screenshot("layout-focus-after-arrow").await;
        // Open a card with the mouse and come Back: the card has the focus again, and shows it.
        app.js("document.documentElement.setAttribute('data-theme', 'light'); return true;").await?;
        app.find("[data-model=\"aurora-sci-200b\"]").await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;
        app.find("[data-action=\"back\"]").await?.click().await?;
        app.wait_for("[data-screen=\"board\"]", 10).await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let v = app
            .js("const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.getAttribute('data-model'), s.outlineStyle, parseFloat(s.outlineWidth) || 0];")
            .await?;
        app.screenshot("layout-focus-after-back").await;
        ensure!(v[0] == serde_json::json!("aurora-sci-200b"), "the card opened last has the focus again: {v}");
        ensure!(v[1] != serde_json::json!("none") && v[2].as_f64().unwrap_or(0.0) >= 2.0, "and shows it: {v}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn the_signoff_form_opens_at_its_top_after_a_long_model_page() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    with_app("layout-scroll", Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") }, async |app| {
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?.click().await?;
        app.wait_for("[data-gate-detail=\"licensing\"] [data-action=\"sign\"]", 10).await?;
        // Read down the model page, then sign from the bottom of it.
        app.js("document.querySelector('main').scrollTop = 1e6; return true;").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        center(app, "[data-gate-detail=\"licensing\"] [data-action=\"sign\"]").await?;
        app.find("[data-gate-detail=\"licensing\"] [data-action=\"sign\"]").await?.click().await?;
        app.wait_text("[data-screen=\"signoff\"] .signer", 10, |t| t.contains("Signing as")).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.screenshot("layout-scroll-0-form-opened").await;
        ensure!(
            in_viewport(app, "[data-screen=\"signoff\"] .signer").await?,
            "\"Signing as\" is in view when the form opens"
        );
        // Down to the buttons, Cancel, and the same form again: it opens at its top once more.
        app.js("document.querySelector('main').scrollTop = 1e6; return true;").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.find("[data-screen=\"signoff\"] .actions button[type=button]").await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;
        let sign = "[data-gate-detail=\"licensing\"] [data-action=\"sign\"]";
        app.wait_for(sign, 10).await?;
        center(app, sign).await?;
        app.find(sign).await?.click().await?;
        app.wait_text("[data-screen=\"signoff\"] .signer", 10, |t| t.contains("Signing as")).await?;
        tokio::time::sleep(Duration::from_millis(600)).await;
        app.screenshot("layout-scroll-1-form-reopened").await;
        ensure!(
            in_viewport(app, "[data-screen=\"signoff\"] .signer").await?,
            "\"Signing as\" is in view when the form opens again"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn a_model_with_two_open_gates_shows_in_both_columns() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    // The CLI's view: licensing and data provenance both need only intake, which passed.
    let status = cli(&repo, &["status", "--json", "--model", "tpc-science-34b"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout)?;
    let open: Vec<String> = status["models"][0]["gates"]
        .as_array()
        .context("gates")?
        .iter()
        .filter(|g| g["state"] != "passed" && g["state"] != "locked")
        .map(|g| g["gate"].as_str().unwrap_or_default().to_string())
        .collect();
    ensure!(open == ["licensing", "data-provenance"], "the sample model has two open gates: {open:?}");
    with_app("layout-two-open-gates", Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") }, async |app| {
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?;
        for gate in &open {
            let here = app
                .js(&format!(
                    "const col = document.querySelector('[data-gate=\"{gate}\"]');
                     return !!col.querySelector('[data-model=\"tpc-science-34b\"], [data-also-model=\"tpc-science-34b\"]');"
                ))
                .await?;
            ensure!(here == serde_json::json!(true), "tpc-science-34b is in the {gate} column");
        }
        // Its main card stays where it was; the other column marks its card as a second place.
        let (column, _) = board_position(app, "tpc-science-34b").await?;
        ensure!(column == "licensing", "the main card is at the first open gate, not {column}");
        let also = "[data-gate=\"data-provenance\"] [data-also-model=\"tpc-science-34b\"]";
        let label = app.find(also).await?.attr("aria-label").await?.unwrap_or_default();
        ensure!(label.to_lowercase().contains("also open at licensing"), "the second card says where else it is open: {label:?}");
        app.screenshot("layout-two-open-gates-0-board").await;
        // It leads to the same model, at that gate.
        app.find(also).await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;
        let crumb = app.wait_text(".crumbs", 5, |t| t.contains("tpc-science-34b")).await?;
        ensure!(crumb.contains("tpc-science-34b"), "the second card opens the model: {crumb}");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn tooltips_close_on_navigation_and_never_cover_what_they_describe() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    with_app(
        "layout-tooltip",
        Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") },
        async |app| {
            let card = "[data-model=\"tpc-science-34b\"]";
            app.wait_for(card, 20).await?;
            // Over the model's name: the card's own tooltip (its badges have their own).
            hover(app, &format!("{card} .title")).await?;
            let tip = app.wait_for("[data-testid=\"tooltip\"]", 5).await?;
            let text = tip.text().await?;
            ensure!(text.contains("needs 2 more"), "the card's tooltip says what it waits for: {text:?}");
            app.screenshot("layout-tooltip-0-board").await;
            let [tip, target] = [rect(app, "[data-testid=\"tooltip\"]").await?, rect(app, card).await?];
            ensure!(!intersects(tip, target), "the tooltip {tip:?} covers the card it describes {target:?}");
            // The native tooltip is not shown on top of it: the title is held back while hovered.
            let title = app
                .js(&format!("return document.querySelector('{}').hasAttribute('title')", card.replace('\'', "\\'")))
                .await?;
            ensure!(title == serde_json::json!(false), "no second (native) tooltip while the app's own shows");
            // Open the model with the keyboard, the pointer still where it was.
            app.js(&format!("document.querySelector('{}').focus(); return true;", card.replace('\'', "\\'"))).await?;
            app.client.active_element().await?.send_keys(&String::from(char::from(Key::Enter))).await?;
            app.wait_for("[data-screen=\"model\"]", 10).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            app.screenshot("layout-tooltip-1-next-page").await;
            let left = app.find_all("[data-testid=\"tooltip\"]").await?;
            ensure!(left.is_empty(), "no tooltip stays over the next page");
            // Back on the board, the card has its title again for assistive technology.
            app.find("[data-action=\"back\"]").await?.click().await?;
            app.wait_for(card, 10).await?;
            let title = app.find(card).await?.attr("title").await?.unwrap_or_default();
            ensure!(title.contains("needs 2 more"), "the card's title is restored: {title:?}");
            Ok(())
        },
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the release app and a display: scripts/test runs it under Xvfb"]
async fn the_state_chips_filter_the_board_and_all_shows_every_model() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let repo = sample_repo(tmp.path());
    let cards = "return [...document.querySelectorAll('[data-model]')].map(e => e.getAttribute('data-model')).sort()";
    with_app("layout-legend", Launch { data_dir: tmp.path(), repo: Some(&repo), member: Some("rvance") }, async |app| {
        app.wait_for("[data-model=\"tpc-science-34b\"]", 20).await?;
        // A chip is a button that says whether it is on.
        app.find("[data-legend-state=\"stale\"]").await?.click().await?;
        let shown = app.js(cards).await?;
        ensure!(shown == serde_json::json!(["tpc-science-34b"]), "only the stale model is shown: {shown}");
        let pressed = app.find("[data-legend-state=\"stale\"]").await?.attr("aria-pressed").await?;
        ensure!(pressed.as_deref() == Some("true"), "the stale chip shows it is on: {pressed:?}");
        app.screenshot("layout-legend-0-stale").await;
        // Kept while one visits a model and comes back.
        app.find("[data-model=\"tpc-science-34b\"]").await?.click().await?;
        app.wait_for("[data-screen=\"model\"]", 10).await?;
        go_to_board(app).await?;
        app.wait_for("[data-model=\"tpc-science-34b\"]", 10).await?;
        let shown = app.js(cards).await?;
        ensure!(shown == serde_json::json!(["tpc-science-34b"]), "the chip's filter is kept on the board: {shown}");
        // "All states" shows every model again.
        app.find("[data-legend-state=\"\"]").await?.click().await?;
        let shown = app.js(cards).await?;
        ensure!(
            shown == serde_json::json!(["aurora-sci-200b", "baseline-1.4b", "switch-c-1.6t", "tpc-science-34b"]),
            "all four models are back: {shown}"
        );
        let pressed = app.find("[data-legend-state=\"\"]").await?.attr("aria-pressed").await?;
        ensure!(pressed.as_deref() == Some("true"), "\"All states\" is the one on: {pressed:?}");
        Ok(())
    })
    .await
}
