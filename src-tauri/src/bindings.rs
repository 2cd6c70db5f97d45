//! The TypeScript types of everything the UI receives or sends, generated from the Rust
//! definitions into `ui/src/lib/bindings/`. The test fails when the checked-in files differ
//! from what the code generates; `GATEHOUSE_WRITE_BINDINGS=1 cargo test -p gatehouse-app
//! bindings` rewrites them.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use ts_rs::TS;

    fn generate(dir: &Path) {
        gatehouse::views::export_typescript(dir).expect("library types export");
        let cfg = ts_rs::Config::new().with_out_dir(dir);
        crate::error::ApiError::export_all(&cfg).expect("export");
        crate::recent::RecentRepo::export_all(&cfg).expect("export");
        crate::prefs::CompositingChoice::export_all(&cfg).expect("export");
        crate::commands::preferences::PreferencesView::export_all(&cfg).expect("export");
        crate::startup::WindowMark::export_all(&cfg).expect("export");
        crate::progress::ProgressEvent::export_all(&cfg).expect("export");
        crate::watch::RecordChanged::export_all(&cfg).expect("export");
        crate::commands::repository::OpenedRepo::export_all(&cfg).expect("export");
        crate::commands::repository::StartInfo::export_all(&cfg).expect("export");
        crate::commands::repository::CreateRequest::export_all(&cfg).expect("export");
        crate::commands::proposals::ProposeForm::export_all(&cfg).expect("export");
        crate::commands::proposals::ReviseForm::export_all(&cfg).expect("export");
        crate::commands::proposals::FrameworkFile::export_all(&cfg).expect("export");
        crate::commands::report::ReportScope::export_all(&cfg).expect("export");
        crate::commands::report::ReportTarget::export_all(&cfg).expect("export");
        crate::commands::report::Exported::export_all(&cfg).expect("export");
        crate::commands::record::PdfPages::export_all(&cfg).expect("export");
        gatehouse::report::Format::export_all(&cfg).expect("export");
        gatehouse::bom::view::BomView::export_all(&cfg).expect("export");
        gatehouse::estimate::Estimate::export_all(&cfg).expect("export");
    }

    fn read_all(dir: &Path) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if e.path().extension().is_some_and(|x| x == "ts") {
                out.insert(e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap());
            }
        }
        out
    }

    #[test]
    fn bindings_match_the_rust_types() {
        let checked_in = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings");
        let fresh = std::env::temp_dir().join(format!("gatehouse-bindings-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&fresh);
        generate(&fresh);
        let generated = read_all(&fresh);
        if std::env::var_os("GATEHOUSE_WRITE_BINDINGS").is_some() {
            let _ = std::fs::remove_dir_all(&checked_in);
            std::fs::create_dir_all(&checked_in).unwrap();
            for (name, text) in &generated {
                std::fs::write(checked_in.join(name), text).unwrap();
            }
        }
        let _ = std::fs::remove_dir_all(&fresh);
        let existing = read_all(&checked_in);
        let drift: Vec<&String> = generated
            .keys()
            .chain(existing.keys())
            .filter(|name| generated.get(*name) != existing.get(*name))
            .collect();
        assert!(
            drift.is_empty(),
            "ui/src/lib/bindings is out of date with the Rust types ({drift:?}); \
             run `GATEHOUSE_WRITE_BINDINGS=1 cargo test -p gatehouse-app bindings`"
        );
    }
}
