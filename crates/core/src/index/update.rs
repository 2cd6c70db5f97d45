//! The incremental update: only the commits after the indexed one, and only the models,
//! sign-offs, framework files and proposals they changed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use git2::{Oid, Repository, Tree};
use rusqlite::Transaction;

use super::estimates;
use super::rows::{
    add_problems, evidence_document, index_commits, insert_signoff, load_proposals, write_evidence, write_framework,
    write_gate_states, write_model_row, write_proposal, write_signoff_document,
};
use super::schema::set_head;
use crate::card;
use crate::checklist_versions::Versions;
use crate::error::{Malformed, Result};
use crate::estimate::accelerators;
use crate::progress::Progress;
use crate::proposal;
use crate::record::{self, Framework};
use crate::repo::subtree_id;
use crate::rules;
use crate::signoff::SignoffFile;
use crate::words::Names;

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
    index_commits(tx, repo, &ids, progress)?;
    progress.end();

    let old_tree = repo.find_commit(old)?.tree()?;
    let new_tree = repo.find_commit(new)?.tree()?;
    let mut framework_changed = false;
    // The rules the gates are judged by: consortium.toml and the checklists. Other policies
    // are documents only: no model's state depends on them.
    let mut rules_changed = false;
    let mut consortium_changed = false;
    // Every model's estimate is computed with the accelerator table.
    let mut accelerators_changed = false;
    let mut proposals_changed = proposals_in_passing(repo, &ids, new, &new_tree)?;
    let mut models_changed = BTreeSet::new();
    let mut signoffs_changed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut evidence_changed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let fw = Framework::load(repo, &new_tree)?;
    let layout = fw.layout();
    for change in crate::treediff::diff(repo, Some(old_tree.id()), new_tree.id())? {
        let path = change.path;
        let mut parts = path.split('/');
        match (parts.next(), parts.next()) {
            (Some("consortium.toml"), None) => {
                framework_changed = true;
                rules_changed = true;
                consortium_changed = true;
            }
            (Some("policies"), Some("checklists")) => {
                framework_changed = true;
                rules_changed = true;
            }
            (Some("policies"), Some(_)) => {
                framework_changed = true;
                accelerators_changed |= path == accelerators::PATH;
            }
            (Some("proposals"), Some(p)) => {
                proposals_changed.insert(p.to_string());
            }
            (Some("models"), Some(m)) => {
                models_changed.insert(m.to_string());
                if parts.next() == Some("evidence") {
                    evidence_changed.entry(m.to_string()).or_default().insert(path.clone());
                }
            }
            (Some("signoffs"), Some(_)) => {
                if let Some(m) = layout.model_of(&path) {
                    signoffs_changed.entry(m.to_string()).or_default().insert(path.clone());
                }
            }
            _ => {}
        }
    }
    let mut dirty: BTreeSet<String> =
        models_changed.union(&signoffs_changed.keys().cloned().collect()).cloned().collect();
    if framework_changed {
        write_framework(tx, &fw)?;
    }
    if rules_changed {
        dirty.extend(record::model_ids(repo, &new_tree)?);
        let mut stmt = tx.prepare("SELECT id FROM models")?;
        let known: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        dirty.extend(known);
    }
    let names = Names::of_framework(&fw);
    let mut versions = Versions::new(repo);
    for model in &dirty {
        let changes = ModelChanges {
            card: rules_changed || models_changed.contains(model),
            estimate: accelerators_changed,
            signoffs: signoffs_changed.get(model),
            evidence: evidence_changed.get(model),
            // Sign-offs are searched under the names of their member and gate.
            names: rules_changed,
        };
        if let Some(paths) = signoffs_changed.get(model) {
            for path in paths {
                tx.execute("DELETE FROM signoffs WHERE model = ?1 AND path = ?2", [model, path])?;
                tx.execute("DELETE FROM documents WHERE path = ?1", [path])?;
                tx.execute("DELETE FROM problems WHERE path = ?1", [path])?;
            }
        }
        refresh_model_incremental(tx, repo, &new_tree, (&fw, &names), model, &changes, &mut versions)?;
    }
    if accelerators_changed {
        // Only the estimates follow the table: the cards are read again, nothing else.
        for model in record::model_ids(repo, &new_tree)?.iter().filter(|m| !dirty.contains(*m)) {
            let mut problems = Vec::new();
            if let Some(entry) = record::load_model(repo, &new_tree, model, &mut problems)? {
                estimates::write(tx, model, entry.card.as_ref(), &problems, &fw.accelerators)?;
            }
        }
    }
    // A proposal is judged again when its files changed; every one when the rules did (the
    // list judges closed proposals too by the tip's members and quorum).
    if consortium_changed {
        proposals_changed.extend(proposal::ids(repo, &new_tree)?);
        let mut stmt = tx.prepare("SELECT id FROM proposals")?;
        let known: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        proposals_changed.extend(known);
    }
    let dirty: Vec<String> = proposals_changed.into_iter().filter(|p| crate::id::is_valid(p)).collect();
    for p in load_proposals(repo, new, &new_tree, &fw.consortium, &dirty)? {
        write_proposal(tx, &p)?;
    }
    set_head(tx, new)?;
    Ok(ids.len())
}

/// The proposals some new commit (other than `new`) held in a version `new` does not: votes
/// cast and replaced between two refreshes, or on a branch merged since, are history the
/// comment period replays even when the files at both ends are the same.
fn proposals_in_passing(repo: &Repository, ids: &[Oid], new: Oid, new_tree: &Tree) -> Result<BTreeSet<String>> {
    let mut passing = BTreeSet::new();
    let tip_dir = subtree_id(repo, new_tree, proposal::DIR);
    let tip: HashMap<String, Oid> = match tip_dir {
        Some(dir) => repo.find_tree(dir)?.iter().filter_map(|e| Some((e.name()?.to_string(), e.id()))).collect(),
        None => HashMap::new(),
    };
    let mut seen: HashSet<Oid> = tip_dir.into_iter().collect();
    for id in ids.iter().filter(|id| **id != new) {
        let tree = repo.find_commit(*id)?.tree()?;
        let Some(dir) = subtree_id(repo, &tree, proposal::DIR) else { continue };
        if !seen.insert(dir) {
            continue;
        }
        for entry in repo.find_tree(dir)?.iter() {
            let Some(name) = entry.name() else { continue };
            if tip.get(name) != Some(&entry.id()) {
                passing.insert(name.to_string());
            }
        }
    }
    Ok(passing)
}

/// What changed in one model's files since the indexed commit.
pub(super) struct ModelChanges<'a> {
    /// Its card, or the rules its gates are judged by.
    pub card: bool,
    /// The accelerator table (the card's change counts too).
    pub estimate: bool,
    /// Sign-off files, by path.
    pub signoffs: Option<&'a BTreeSet<String>>,
    /// Evidence files, by path.
    pub evidence: Option<&'a BTreeSet<String>>,
    /// The names of members or gates.
    pub names: bool,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn refresh_model_incremental(
    tx: &Transaction,
    repo: &Repository,
    tree: &Tree,
    (fw, names): (&Framework, &Names),
    model: &str,
    changes: &ModelChanges,
    versions: &mut Versions,
) -> Result<()> {
    let mut problems = Vec::new();
    let Some(entry) = record::load_model(repo, tree, model, &mut problems)? else {
        return forget_model(tx, model);
    };
    if changes.card {
        tx.execute("DELETE FROM problems WHERE path LIKE ?1", [format!("models/{model}/%")])?;
        write_model_row(tx, &entry)?;
        add_problems(tx, &problems)?;
    }
    if changes.card || changes.estimate {
        estimates::write(tx, model, entry.card.as_ref(), &problems, &fw.accelerators)?;
    }
    for path in changes.evidence.into_iter().flatten() {
        tx.execute("DELETE FROM documents WHERE path = ?1", [path])?;
        let rel = path.strip_prefix(&format!("{}/", card::dir(model))).unwrap_or(path);
        if let Some(doc) = evidence_document(repo, tree, model, rel)? {
            write_evidence(tx, model, &[doc])?;
        }
    }
    problems.clear();
    let signoffs = record::load_signoffs(repo, tree, fw.layout(), model, &mut problems)?;
    if changes.names {
        for s in signoffs.iter().filter(|s| !changes.signoffs.is_some_and(|c| c.contains(&s.path))) {
            write_signoff_document(tx, names, s)?;
        }
    }
    if let Some(changed) = changes.signoffs {
        for s in signoffs.iter().filter(|s| changed.contains(&s.path)) {
            insert_signoff(tx, names, s)?;
        }
        let fresh: Vec<Malformed> = problems.into_iter().filter(|p| changed.contains(&p.location.path)).collect();
        add_problems(tx, &fresh)?;
    }
    let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
    let statuses = rules::evaluate(&fw.consortium, &fw.gates, &fw.checklist_blobs, &entry.facts(), &refs);
    write_gate_states(tx, fw, model, &statuses, &versions.of_model(fw, &statuses, &signoffs))
}

pub(super) fn forget_model(tx: &Transaction, model: &str) -> Result<()> {
    tx.execute("DELETE FROM models WHERE id = ?1", [model])?;
    tx.execute("DELETE FROM gate_states WHERE model = ?1", [model])?;
    estimates::forget(tx, model)?;
    tx.execute("DELETE FROM documents WHERE path = ?1", [card::path(model)])?;
    tx.execute("DELETE FROM documents WHERE kind = 'evidence' AND ref = ?1", [model])?;
    tx.execute("DELETE FROM problems WHERE path LIKE ?1", [format!("models/{model}/%")])?;
    Ok(())
}
