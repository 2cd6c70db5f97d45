//! The Gatehouse desktop app: a thin Tauri shell over the `gatehouse` library. It holds which
//! repository is open and who is acting, turns library errors into `{code, message}`, and
//! tells the window when `main` moves. Everything else is the library's.

mod bindings;
mod commands;
mod error;
mod memory;
mod prefs;
mod progress;
mod recent;
mod signing;
mod startup;
mod state;
mod watch;

use std::path::PathBuf;

use chrono::{DateTime, SubsecRound, Utc};
use tauri::Manager;

use crate::state::AppState;

/// Now, to the second, as git records it.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

/// When this process started (as near as the program can tell).
pub(crate) fn started() -> std::time::Instant {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *STARTED.get_or_init(std::time::Instant::now)
}

/// The folder to open at start: the first argument that is not a flag, else `$GATEHOUSE_REPO`.
fn start_repo() -> Option<PathBuf> {
    std::env::args_os()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("GATEHOUSE_REPO").filter(|v| !v.is_empty()).map(PathBuf::from))
}

/// The app's identifier (`tauri.conf.json`), which names its data folder.
const IDENTIFIER: &str = "org.gatehouse.desktop";

pub fn run() {
    started();
    startup::begin();
    // Before anything else: the compositing preference (and JavaScriptCore's interpreter) reach
    // WebKitGTK through the environment, which is only sound to change while this is the
    // process's one thread, and must be in place before the web view (and its web process)
    // exists.
    let early_dir = prefs::early_data_dir(IDENTIFIER);
    let compositing = prefs::apply_at_start(early_dir.as_deref());
    memory::interpret_scripts();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(commands::report::ReportCache::default())
        .setup(move |app| {
            // `GATEHOUSE_DATA_DIR` keeps tests and demos away from the user's own data folder.
            // The folder the preferences were read from at start, so a change is read there next time.
            let data_dir = match early_dir {
                Some(dir) => dir,
                None => app.path().app_data_dir()?,
            };
            startup::mark("setup");
            let member = std::env::var("GATEHOUSE_MEMBER").ok().filter(|m| !m.is_empty());
            let ready_file = std::env::var_os("GATEHOUSE_READY_FILE").filter(|v| !v.is_empty()).map(PathBuf::from);
            let keys = signing::KeyEnvironment::from_process();
            app.manage(AppState::new(data_dir, start_repo(), member, ready_file, keys, compositing));
            watch::spawn(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::repository::app_start,
            commands::repository::open_repository,
            commands::repository::open_sample,
            commands::repository::create_repository,
            commands::repository::clone_repository,
            commands::repository::recent_repositories,
            commands::record::board,
            commands::record::model,
            commands::record::eligibility,
            commands::record::gate_eligibilities,
            commands::record::check_signoff_draft,
            commands::record::sign,
            commands::record::evidence_file,
            commands::repro::repro_manifest,
            commands::record::save_evidence_copy,
            commands::record::evidence_pdf_pages,
            commands::record::attach_effect,
            commands::record::verify_record,
            commands::record::documents_list,
            commands::record::document,
            commands::record::history_entries,
            commands::record::history_facets,
            commands::people::members,
            commands::people::identity,
            commands::people::choose_member,
            commands::proposals::proposals_list,
            commands::proposals::proposal,
            commands::proposals::preview_file,
            commands::proposals::framework_file,
            commands::proposals::inbox,
            commands::proposals::propose,
            commands::proposals::revise,
            commands::proposals::vote,
            commands::proposals::accept,
            commands::proposals::withdraw,
            commands::proposals::reject,
            commands::search::search,
            commands::cards::card_results,
            commands::cards::card_comparison,
            commands::report::report_target,
            commands::report::report_preview,
            commands::report::report_export,
            commands::report::report_export_bundle,
            commands::sync::remotes,
            commands::sync::sync_now,
            commands::sync::fetch_now,
            commands::desk::my_gates,
            commands::bom::model_bom,
            commands::desk::model_changes,
            commands::desk::withdraw_signoff,
            commands::desk::export_attestation,
            commands::lifecycle::ui_ready,
            commands::lifecycle::ui_timeline,
            commands::preferences::preferences,
            commands::preferences::set_compositing,
            commands::estimate::deployment_estimate,
        ])
        .run(tauri::generate_context!())
        .expect("the Tauri runtime starts");
}
