//! The cold build: every table dropped and filled again from `main`'s history and tip.

use std::collections::HashMap;

use git2::{Oid, Repository, Sort};
use rusqlite::Transaction;

use super::estimates::{self, TableAt};
use super::rows::{
    insert_commit, load_model_data, load_proposals, read_commit, write_framework, write_model_data, write_proposal,
    CommitRow, LoadedModel, LoadedProposal,
};
use super::schema::{set_head, SCHEMA, SCHEMA_VERSION, TRIGGERS};
use crate::checklist_versions::Versions;
use crate::error::Result;
use crate::progress::Progress;
use crate::proposal;
use crate::record::{self, Framework};
use crate::words::Names;

/// Drops everything and indexes `head` from scratch.
pub(super) fn rebuild(tx: &Transaction, repo: &Repository, head: Oid, progress: &mut dyn Progress) -> Result<usize> {
    let tables: Vec<(String, String)> = tx
        .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table','trigger') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'docs_%'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (kind, name) in tables {
        tx.execute_batch(&format!("DROP {} IF EXISTS \"{}\";", kind.to_uppercase(), name))?;
    }
    tx.execute_batch(SCHEMA)?;
    tx.execute("INSERT INTO meta(key, value) VALUES ('schema', ?1)", [SCHEMA_VERSION.to_string()])?;

    // Reading history and reading the tip are independent: two threads read (each with its
    // own repository handle) while this one writes to SQLite, which allows one writer.
    let git_dir = repo.path().to_path_buf();
    let (commits_tx, commits_rx) = std::sync::mpsc::sync_channel::<Vec<CommitRow>>(16);
    let (walked, fw, models, proposals, commit_of, table) = std::thread::scope(|scope| -> Result<_> {
        let walker = scope.spawn(|| -> Result<usize> {
            let repo = Repository::open(&git_dir)?;
            let mut walk = repo.revwalk()?;
            walk.push(head)?;
            walk.set_sorting(Sort::NONE)?;
            let mut batch = Vec::with_capacity(256);
            let mut count = 0;
            for id in walk {
                batch.push(read_commit(&repo, id?)?);
                count += 1;
                if batch.len() == 256 && commits_tx.send(std::mem::take(&mut batch)).is_err() {
                    break;
                }
            }
            let _ = commits_tx.send(batch);
            drop(commits_tx);
            Ok(count)
        });
        #[allow(clippy::type_complexity)]
        let loader = scope.spawn(|| -> Result<(Framework, Vec<LoadedModel>, Vec<LoadedProposal>, TableAt)> {
            let repo = Repository::open(&git_dir)?;
            let tree = repo.find_commit(head)?.tree()?;
            let fw = Framework::load(&repo, &tree)?;
            let mut models = Vec::new();
            let mut versions = Versions::new(&repo);
            for model in record::model_ids(&repo, &tree)? {
                models.extend(load_model_data(&repo, &tree, &fw, &model, &mut versions)?);
            }
            // Open proposals are judged with their vote history: one walk for all of them.
            let ids = proposal::ids(&repo, &tree)?;
            let proposals = load_proposals(&repo, head, &tree, &fw.consortium, &ids)?;
            let table = estimates::table_at(&repo, &tree);
            Ok((fw, models, proposals, table))
        });
        progress.begin("indexing history", 0);
        let mut commit_of = HashMap::new();
        for batch in commits_rx {
            for row in &batch {
                insert_commit(tx, row, &mut commit_of)?;
            }
            progress.advance(batch.len() as u64);
        }
        progress.end();
        let walked = walker.join().expect("the history reader does not panic")?;
        let (fw, models, proposals, table) = loader.join().expect("the tip reader does not panic")?;
        Ok((walked, fw, models, proposals, commit_of, table))
    })?;
    write_framework(tx, &fw)?;
    let names = Names::of_framework(&fw);
    progress.begin("indexing models", models.len() as u64);
    for data in &models {
        write_model_data(tx, &fw, &names, data, &commit_of)?;
        estimates::write(tx, &data.entry.id, data.entry.card.as_ref(), &data.problems, &table)?;
        progress.advance(1);
    }
    progress.end();
    for p in &proposals {
        write_proposal(tx, p)?;
    }
    tx.execute_batch("INSERT INTO docs(docs) VALUES ('rebuild');")?;
    tx.execute_batch(TRIGGERS)?;
    set_head(tx, head)?;
    Ok(walked)
}
