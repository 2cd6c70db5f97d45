//! "Estimates, BOM and import": `status --estimates` from the index, every model's BOM and
//! estimate, and importing cards one by one, each beside its reference; in the method, the
//! report, the terminal table and the reading.

use std::fmt::Write as _;

use crate::format::{met, met_bold, thousands, verdict};
use crate::stats::{ms, ratio, Sample};
use crate::targets;

use super::super::ecosystem::{EcosystemTimes, CLI_MODELS};
use super::super::results::Results;

/// (status with estimates, BOM and estimate of every model, import beside git); the last two
/// are judged only at full size.
pub fn verdicts(r: &Results) -> (bool, Option<bool>, Option<bool>) {
    let e = &r.ecosystem;
    (
        targets::STATUS_ESTIMATES.met(e.status_estimates.median()),
        r.full_size().then(|| targets::BOM_ESTIMATE_ALL.met(e.bom_estimate_all.median())),
        r.full_size().then(|| targets::IMPORT_VS_GIT.met(e.import.median() / e.git_import.median())),
    )
}

pub fn method(w: &mut String, r: &Results) {
    let e = &r.ecosystem;
    let _ = writeln!(
        w,
        "- **status with estimates**: in process, `views::status::with_estimates(index, None)` \
         (every model's gates and the deployment estimate the index keeps for it: weights, \
         accelerators, tokens/s and USD per million tokens), alternated with `Index::status(None)` \
         (the same lines without estimates) as the reference. Target: {}. The `gatehouse status \
         --estimates --json` process is timed too, for information.\n\
         - **BOM and estimate of every model**: in process, for each of the {} models, its bill \
         of materials (`bom::view::load`: the card parsed, `bom.toml` read where the model has \
         one ({} do), else derived from the card) with its compatibility warnings, and its \
         deployment estimate at the card's defaults (`estimate::for_card`, the accelerator table \
         read once); beside one `git cat-file --batch` process reading the same cards and bills. \
         Target: {} (at full size). Also `gatehouse --json bom M` + `gatehouse --json estimate M` \
         as processes for {CLI_MODELS} models, beside `git show main:<file>` of the same files.\n\
         - **import**: {} Hugging Face-style cards (the generator's shapes: dense and mixture of \
         experts, each with a `deployment:` mapping) written to a folder, each imported with \
         `gatehouse --as OWNER --key K model import DIR` into a clone of the history, alternated \
         with the same card written to `models/<id>/card.md` and committed with `git add` + a \
         signed `git commit -S` (as the sign-off reference) in another clone; the first card of \
         each is a warm-up. Target: a median import {} that of git.",
        targets::STATUS_ESTIMATES.phrase(),
        thousands(e.models),
        thousands(e.bom_files),
        targets::BOM_ESTIMATE_ALL.phrase(),
        thousands(e.imported),
        targets::IMPORT_VS_GIT.phrase(),
    );
}

fn row(w: &mut String, what: &str, x: &Sample, target: &str, result: &str) {
    let _ = writeln!(
        w,
        "| {what} | {} | {} | {} | {} | {target} | {result} |",
        ms(x.median()),
        ms(x.min()),
        ms(x.max()),
        ms(x.cpu())
    );
}

pub fn section(w: &mut String, r: &Results) {
    let e = &r.ecosystem;
    let (status, bom, import) = verdicts(r);
    let full = |v: Option<bool>| v.map(met_bold).unwrap_or("- (the target is for the full history)");
    let _ = writeln!(
        w,
        "\n### Estimates, BOM and import\n\n{} models, {} with an estimate in the index; medians \
         (status: {} runs alternated; BOM and estimate: {} runs; per-model commands: {} models; \
         import: {} cards).\n",
        thousands(e.models),
        thousands(e.estimated),
        e.status_estimates.n(),
        e.bom_estimate_all.n(),
        e.cli_per_model.n(),
        e.import.n()
    );
    let _ = writeln!(
        w,
        "| measurement | median | min | max | mean CPU | target | result |\n|---|---:|---:|---:|---:|---|---|"
    );
    row(
        w,
        "status with estimates, all models (in process)",
        &e.status_estimates,
        &targets::STATUS_ESTIMATES.bound(),
        met_bold(status),
    );
    row(w, "status without estimates (reference, alternated)", &e.status_plain, "-", "-");
    row(w, "`gatehouse status --estimates --json` (information)", &e.status_estimates_process, "-", "-");
    row(
        w,
        "BOM and estimate of every model (in process)",
        &e.bom_estimate_all,
        &targets::BOM_ESTIMATE_ALL.bound(),
        full(bom),
    );
    row(w, "`git cat-file --batch` of the same files (reference)", &e.cat_file_all, "-", "-");
    row(w, "`gatehouse bom` + `gatehouse estimate`, one model (information)", &e.cli_per_model, "-", "-");
    row(w, "`git show` of the same files, one model (reference)", &e.git_show_per_model, "-", "-");
    row(w, "`gatehouse model import`, one card", &e.import, &targets::IMPORT_VS_GIT.bound(), full(import));
    row(w, "`git add` + `git commit -S`, one card (reference)", &e.git_import, "-", "-");
    let _ = writeln!(
        w,
        "\nRatios of medians: status with / without estimates {}; BOM and estimate of every model / \
         git cat-file {}; bom + estimate / git show, per model {}; import / git add + commit {}. \
         Totals for {} cards: `gatehouse model import` {}, git {}.\n",
        ratio(e.status_estimates.median(), e.status_plain.median()),
        ratio(e.bom_estimate_all.median(), e.cat_file_all.median()),
        ratio(e.cli_per_model.median(), e.git_show_per_model.median()),
        ratio(e.import.median(), e.git_import.median()),
        thousands(e.import.n()),
        ms(e.import_total.as_secs_f64() * 1e3),
        ms(e.git_import_total.as_secs_f64() * 1e3),
    );
}

pub fn terminal(out: &mut String, r: &Results) {
    let e = &r.ecosystem;
    let (status, bom, import) = verdicts(r);
    let _ = writeln!(
        out,
        "status --estimates in process {} (without estimates {}, ratio {}; target {}: {}); process {}",
        ms(e.status_estimates.median()),
        ms(e.status_plain.median()),
        ratio(e.status_estimates.median(), e.status_plain.median()),
        targets::STATUS_ESTIMATES.bound(),
        verdict(status),
        ms(e.status_estimates_process.median()),
    );
    let _ = writeln!(
        out,
        "BOM + estimate of {} models {} (git cat-file {} , ratio {}; target {}: {}); per model: gatehouse bom+estimate {} git show {} ({})",
        e.models,
        ms(e.bom_estimate_all.median()),
        ms(e.cat_file_all.median()),
        ratio(e.bom_estimate_all.median(), e.cat_file_all.median()),
        targets::BOM_ESTIMATE_ALL.bound(),
        bom.map(verdict).unwrap_or("-"),
        ms(e.cli_per_model.median()),
        ms(e.git_show_per_model.median()),
        ratio(e.cli_per_model.median(), e.git_show_per_model.median()),
    );
    let _ = writeln!(
        out,
        "import of {} cards: gatehouse model import {} each ({} in all), git add + commit -S {} each ({} in all), ratio {}; target {}: {}",
        e.import.n(),
        ms(e.import.median()),
        ms(e.import_total.as_secs_f64() * 1e3),
        ms(e.git_import.median()),
        ms(e.git_import_total.as_secs_f64() * 1e3),
        ratio(e.import.median(), e.git_import.median()),
        targets::IMPORT_VS_GIT.bound(),
        import.map(verdict).unwrap_or("-"),
    );
}

pub fn reading(w: &mut String, r: &Results) {
    let e: &EcosystemTimes = &r.ecosystem;
    let (status, bom, import) = verdicts(r);
    let _ = writeln!(
        w,
        "- **Status with estimates: {}.** Every model's gates and deployment estimate come from the \
         index in {} ({} without the estimates, {}); the whole `gatehouse status --estimates \
         --json` process takes {}.\n\
         - **BOM and estimate of every model: {}.** {} models' bills (with their warnings) and \
         estimates take {} in process, against {} for `git cat-file --batch` reading the same \
         files ({}); as processes, `gatehouse bom` + `gatehouse estimate` of one model take {} \
         against {} for `git show` ({}).\n\
         - **Import: {}.** `gatehouse model import` takes {} a card (median of {}; {} in all), \
         against {} for `git add` + a signed `git commit` of the same file ({}; {} in all).",
        met(status),
        ms(e.status_estimates.median()),
        ms(e.status_plain.median()),
        ratio(e.status_estimates.median(), e.status_plain.median()),
        ms(e.status_estimates_process.median()),
        bom.map(met).unwrap_or("no verdict (the target is for the full history)"),
        thousands(e.models),
        ms(e.bom_estimate_all.median()),
        ms(e.cat_file_all.median()),
        ratio(e.bom_estimate_all.median(), e.cat_file_all.median()),
        ms(e.cli_per_model.median()),
        ms(e.git_show_per_model.median()),
        ratio(e.cli_per_model.median(), e.git_show_per_model.median()),
        import.map(met).unwrap_or("no verdict (the target is for the full history)"),
        ms(e.import.median()),
        thousands(e.import.n()),
        ms(e.import_total.as_secs_f64() * 1e3),
        ms(e.git_import.median()),
        ratio(e.import.median(), e.git_import.median()),
        ms(e.git_import_total.as_secs_f64() * 1e3),
    );
}
