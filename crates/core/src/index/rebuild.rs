//! The cold build: every table dropped and filled again from `main`'s history and tip.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::OnceLock;

use git2::{Oid, Repository};
use rusqlite::Transaction;

use super::commits::{self, CommitRow};
use super::estimates;
use super::rows::{
    insert_commits, load_model_data, load_proposals, write_framework, write_model_data, write_proposal, LoadedModel,
    LoadedProposal,
};
use super::schema::{set_head, COMMIT_INDEXES, INDEXES, SCHEMA, SCHEMA_VERSION, TRIGGERS};
use crate::checklist_versions::Versions;
use crate::error::{Malformed, Result};
use crate::progress::Progress;
use crate::proposal;
use crate::record::{self, Framework, TipSignoffs};
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
    // The whole index is written in this one transaction: a page cache that holds it keeps
    // SQLite from spilling pages to the log mid-way (the default is 2 MB; the benchmark's
    // 1,000 models make an index of about 40 MB).
    let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    tx.pragma_update(None, "cache_size", -131_072)?;
    let walked = load(tx, repo, head, progress)?;
    tx.pragma_update(None, "cache_size", cache)?;
    Ok(walked)
}

fn load(tx: &Transaction, repo: &Repository, head: Oid, progress: &mut dyn Progress) -> Result<usize> {
    tx.execute("INSERT INTO meta(key, value) VALUES ('schema', ?1)", [SCHEMA_VERSION.to_string()])?;

    // Reading history and reading the tip are independent, and SQLite allows one writer: two
    // threads read (each with its own repository handle: libgit2's handles are not shared
    // between threads) and send what they read to this one, which only writes. One thread walks
    // the history, then reads the proposals, then models; the other reads every model's
    // sign-off files (`record::TipSignoffs`, in the packs' order), then models: the models are
    // read once those files are. The two threads' first parts take about as long, so neither
    // waits for the other. This thread has read the framework (with the accelerator table) and
    // the model ids to share them.
    let tree = repo.find_commit(head)?.tree()?;
    let fw = Framework::load(repo, &tree)?;
    let ids = &record::model_ids(repo, &tree)?;
    let fw = &fw;
    let table = &fw.accelerators;
    write_framework(tx, fw)?;
    let names = Names::of_framework(fw);
    let git_dir = &repo.path().to_path_buf();
    let next_model = AtomicUsize::new(0);
    // The sign-off files, read by the second thread; `None` if it stopped before.
    let prefetched: OnceLock<Option<TipSignoffs>> = OnceLock::new();
    let prefetched = &prefetched;
    // Room for a few hundred models: the readers go on while this thread builds the commits'
    // indexes, once the history is in.
    let (send, receive) = std::sync::mpsc::sync_channel::<Read>(256);
    let read_models = &|repo: &Repository, send: &SyncSender<Read>| -> Result<()> {
        let tree = repo.find_commit(head)?.tree()?;
        let mut versions = Versions::new(repo);
        let Some(pre) = prefetched.wait() else { return Ok(()) };
        loop {
            let at = next_model.fetch_add(1, Ordering::Relaxed);
            let Some(model) = ids.get(at) else { return Ok(()) };
            let signoffs = |problems: &mut Vec<Malformed>| pre.parse(at, problems);
            if let Some(data) = load_model_data(repo, &tree, fw, model, &mut versions, signoffs)? {
                let estimate = estimates::compute(model, data.entry.card.as_ref(), &data.problems, table);
                if send.send(Read::Model(Box::new((data, estimate)))).is_err() {
                    return Ok(());
                }
            }
        }
    };
    let walked = std::thread::scope(|scope| -> Result<usize> {
        let walker = {
            let send = send.clone();
            scope.spawn(move || -> Result<usize> {
                let repo = Repository::open(git_dir)?;
                let mut batch = Vec::with_capacity(BATCH);
                let count = commits::walk(&repo, head, |row| {
                    batch.push(row);
                    batch.len() < BATCH
                        || send.send(Read::Commits(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))).is_ok()
                })?;
                if send.send(Read::Commits(batch)).is_err() || send.send(Read::HistoryDone).is_err() {
                    return Ok(count);
                }
                // Open proposals are judged with their vote history: one walk for all of them.
                let tree = repo.find_commit(head)?.tree()?;
                let proposal_ids = proposal::ids(&repo, &tree)?;
                let proposals = load_proposals(&repo, head, &tree, &fw.consortium, &proposal_ids)?;
                if send.send(Read::Proposals(proposals)).is_ok() {
                    read_models(&repo, &send)?;
                }
                Ok(count)
            })
        };
        let reader = scope.spawn(move || -> Result<()> {
            let _unblock = Unblock(prefetched);
            let repo = Repository::open(git_dir)?;
            let tree = repo.find_commit(head)?.tree()?;
            let _ = prefetched.set(Some(TipSignoffs::read(&repo, &tree, fw.layout(), ids)?));
            read_models(&repo, &send)
        });
        // Rows are written as they arrive, commits and models interleaved (a sign-off's commit
        // is looked up when asked: `Index::signoff_commits`). Progress tells the history (each
        // batch of commits comes before `HistoryDone`), then the models, counting those written
        // while the history was still being read.
        progress.begin("indexing history", 0);
        let (mut history_done, mut models_written) = (false, 0);
        for read in receive {
            match read {
                Read::Commits(batch) => {
                    insert_commits(tx, &batch)?;
                    progress.advance(batch.len() as u64);
                }
                Read::HistoryDone => {
                    tx.execute_batch(COMMIT_INDEXES)?;
                    history_done = true;
                    progress.end();
                    progress.begin("indexing models", ids.len() as u64);
                    progress.advance(models_written);
                }
                Read::Model(model) => {
                    write_model(tx, fw, &names, &model)?;
                    models_written += 1;
                    if history_done {
                        progress.advance(1);
                    }
                }
                Read::Proposals(proposals) => {
                    for p in &proposals {
                        write_proposal(tx, p)?;
                    }
                }
            }
        }
        progress.end();
        let walked = walker.join().expect("the history reader does not panic")?;
        reader.join().expect("the tip reader does not panic")?;
        Ok(walked)
    })?;
    tx.execute_batch(INDEXES)?;
    tx.execute_batch("INSERT INTO docs(docs) VALUES ('rebuild');")?;
    tx.execute_batch(TRIGGERS)?;
    set_head(tx, head)?;
    Ok(walked)
}

/// Leaves `None` for the models' readers if the thread that reads the sign-off files stops
/// before it has read them (an error, or a panic), so that the other thread does not wait for
/// them forever.
struct Unblock<'a>(&'a OnceLock<Option<TipSignoffs>>);

impl Drop for Unblock<'_> {
    fn drop(&mut self) {
        let _ = self.0.set(None);
    }
}

/// Commits sent to the writing thread at a time.
const BATCH: usize = 256;

/// What the reading threads send the writing one.
enum Read {
    Commits(Vec<CommitRow>),
    /// Every commit has been sent.
    HistoryDone,
    Model(Box<(LoadedModel, estimates::Computed)>),
    Proposals(Vec<LoadedProposal>),
}

fn write_model(
    tx: &Transaction,
    fw: &Framework,
    names: &Names,
    model: &(LoadedModel, estimates::Computed),
) -> Result<()> {
    let (data, estimate) = model;
    write_model_data(tx, fw, names, data)?;
    estimates::store(tx, &data.entry.id, estimate)
}
