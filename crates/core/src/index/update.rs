//! The incremental update: only the commits after the indexed one, and only the models,
//! sign-offs and framework files they changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use git2::{Oid, Repository, Tree};
use rusqlite::Transaction;

use super::rows::{add_problems, index_commits, insert_signoff, write_framework, write_gate_states, write_model_row};
use super::schema::set_head;
use crate::card;
use crate::checklist_versions::Versions;
use crate::error::{Malformed, Result};
use crate::progress::Progress;
use crate::record::{self, Framework};
use crate::rules;
use crate::signoff::SignoffFile;

/// Indexes what changed between `old` and `new` (an ancestor and its descendant).
pub(super) fn update(
    tx: &Transaction,
    repo: &Repository,
    old: Oid,
    new: Oid,
    progress: &mut dyn Progress,
) -> Result<usize> {
    let mut walk = repo.revwalk()?;
    walk.push(new)?;
    walk.hide(old)?;
    let ids: Vec<Oid> = walk.collect::<Result<_, _>>()?;
    progress.begin("indexing new commits", ids.len() as u64);
    let commit_of = index_commits(tx, repo, &ids, progress)?;
    progress.end();

    let old_tree = repo.find_commit(old)?.tree()?;
    let new_tree = repo.find_commit(new)?.tree()?;
    let mut framework_changed = false;
    let mut models_changed = BTreeSet::new();
    let mut signoffs_changed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for change in crate::treediff::diff(repo, Some(old_tree.id()), new_tree.id())? {
        let path = change.path;
        let mut parts = path.split('/');
        match (parts.next(), parts.next()) {
            (Some("consortium.toml"), None) | (Some("policies"), Some(_)) => framework_changed = true,
            (Some("models"), Some(m)) => {
                models_changed.insert(m.to_string());
            }
            (Some("signoffs"), Some(m)) => {
                signoffs_changed.entry(m.to_string()).or_default().insert(path.clone());
            }
            _ => {}
        }
    }
    let fw = Framework::load(repo, &new_tree)?;
    let mut dirty: BTreeSet<String> =
        models_changed.union(&signoffs_changed.keys().cloned().collect()).cloned().collect();
    if framework_changed {
        write_framework(tx, &fw)?;
        dirty.extend(record::model_ids(repo, &new_tree)?);
        let mut stmt = tx.prepare("SELECT id FROM models")?;
        let known: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        dirty.extend(known);
    }
    let mut versions = Versions::new(repo);
    for model in &dirty {
        let card_changed = framework_changed || models_changed.contains(model);
        if let Some(paths) = signoffs_changed.get(model) {
            for path in paths {
                tx.execute("DELETE FROM signoffs WHERE path = ?1", [path])?;
                tx.execute("DELETE FROM documents WHERE path = ?1", [path])?;
                tx.execute("DELETE FROM problems WHERE path = ?1", [path])?;
            }
        }
        refresh_model_incremental(
            tx,
            repo,
            &new_tree,
            &fw,
            model,
            &commit_of,
            card_changed,
            signoffs_changed.get(model),
            &mut versions,
        )?;
    }
    set_head(tx, new)?;
    Ok(ids.len())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn refresh_model_incremental(
    tx: &Transaction,
    repo: &Repository,
    tree: &Tree,
    fw: &Framework,
    model: &str,
    commit_of: &HashMap<String, String>,
    card_changed: bool,
    changed_signoffs: Option<&BTreeSet<String>>,
    versions: &mut Versions,
) -> Result<()> {
    let mut problems = Vec::new();
    let Some(entry) = record::load_model(repo, tree, model, &mut problems)? else {
        return forget_model(tx, model);
    };
    if card_changed {
        tx.execute("DELETE FROM problems WHERE path LIKE ?1", [format!("models/{model}/%")])?;
        write_model_row(tx, &entry)?;
        add_problems(tx, &problems)?;
    }
    problems.clear();
    let signoffs = record::load_signoffs(repo, tree, model, &mut problems)?;
    if let Some(changed) = changed_signoffs {
        for s in signoffs.iter().filter(|s| changed.contains(&s.path)) {
            insert_signoff(tx, s, commit_of.get(&s.path))?;
        }
        let fresh: Vec<Malformed> = problems.into_iter().filter(|p| changed.contains(&p.location.path)).collect();
        add_problems(tx, &fresh)?;
    }
    let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
    let statuses = rules::evaluate(&fw.consortium, &fw.gates, &fw.checklist_blobs, &entry.facts(), &refs);
    write_gate_states(tx, fw, model, &statuses)?;
    super::versions::write(tx, model, &versions.of_model(fw, &statuses, &signoffs))
}

pub(super) fn forget_model(tx: &Transaction, model: &str) -> Result<()> {
    tx.execute("DELETE FROM models WHERE id = ?1", [model])?;
    tx.execute("DELETE FROM gate_states WHERE model = ?1", [model])?;
    super::versions::write(tx, model, &[])?;
    tx.execute("DELETE FROM documents WHERE path = ?1", [card::path(model)])?;
    tx.execute("DELETE FROM problems WHERE path LIKE ?1", [format!("models/{model}/%")])?;
    Ok(())
}
