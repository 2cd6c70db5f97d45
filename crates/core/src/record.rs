//! The record as it stands in one commit: the framework (consortium, gates, policies), the
//! models and their sign-offs. Malformed files are collected as problems; the rest loads.

use std::collections::BTreeMap;

use git2::{FileMode, ObjectType, Oid, Repository, Tree};
use serde::Serialize;

use crate::card::{self, Card};
use crate::checklist::{self, Gate};
use crate::consortium::{self, Consortium};
use crate::error::{Error, Malformed, Result};
use crate::id;
use crate::pack::{folders_at, InOrder, Packs, Reader};
use crate::policy::{self, Policy};
use crate::repo::{blob_str, not_a_file, not_a_file_mode, read_blob, read_text, subtree_id};
use crate::rules::{self, GateStatus, ModelFacts};
use crate::signoff::{Layout, SignoffFile};
use crate::treediff::{entries, read_tree};

/// The rules of the consortium: who may sign what.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    pub consortium: Consortium,
    /// Sorted by `order`, then id.
    pub gates: Vec<Gate>,
    pub policies: Vec<Policy>,
    /// Blob ids of the checklists, which sign-offs record as `checklist`.
    pub checklist_blobs: BTreeMap<String, String>,
    pub problems: Vec<Malformed>,
    /// The accelerator table every model's estimate at its card's defaults is computed with,
    /// or why it cannot be used (also among `problems`): read here once, for the index and the
    /// audit reports.
    #[serde(skip)]
    pub accelerators: crate::estimate::TableRead,
}

/// `consortium.toml` at `tree`; missing or malformed is an error.
pub fn load_consortium(repo: &Repository, tree: &Tree) -> Result<Consortium> {
    let (_, text) =
        read_text(repo, tree, consortium::PATH)?.ok_or_else(|| Malformed::new(consortium::PATH, None, "missing"))?;
    Ok(Consortium::parse(&text)?)
}

impl Framework {
    /// Where this record keeps its sign-offs.
    pub fn layout(&self) -> Layout {
        self.consortium.layout()
    }

    /// Loads the framework from `tree`. A malformed `consortium.toml` is an error (nothing can
    /// be judged without it); a malformed checklist or policy is a problem and is skipped.
    pub fn load(repo: &Repository, tree: &Tree) -> Result<Framework> {
        // The framework is a function of `consortium.toml` and the `policies/` folder alone,
        // both named by their object ids: an action and the index update after it (or two
        // screens of the app) read the same framework from different commits, and parsing its
        // Markdown and YAML again was a sixth of bringing the index up to date after a sign-off.
        static LAST: std::sync::Mutex<Option<(FrameworkKey, Framework)>> = std::sync::Mutex::new(None);
        let key = FrameworkKey::of(tree);
        if let Some(key) = &key {
            if let Some((k, fw)) = LAST.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                if k == key {
                    return Ok(fw.clone());
                }
            }
        }
        let fw = Framework::parse(repo, tree)?;
        if let Some(key) = key {
            *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, fw.clone()));
        }
        Ok(fw)
    }

    fn parse(repo: &Repository, tree: &Tree) -> Result<Framework> {
        let consortium = load_consortium(repo, tree)?;
        let mut problems = Vec::new();
        let mut gates = Vec::new();
        let mut checklist_blobs = BTreeMap::new();
        let mut policies = Vec::new();
        for (dir, is_checklist) in [(checklist::DIR, true), (policy::DIR, false)] {
            let Some(dir_id) = subtree_id(repo, tree, dir) else {
                continue;
            };
            for entry in repo.find_tree(dir_id)?.iter() {
                let Some(name) = entry.name() else { continue };
                if !name.ends_with(".md") {
                    continue;
                }
                let path = format!("{dir}/{name}");
                if let Some(m) = not_a_file(&path, &entry) {
                    problems.push(m);
                    continue;
                }
                let stem = &name[..name.len() - 3];
                if !id::is_valid(stem) {
                    problems.push(Malformed::new(&path, None, format!("{stem:?} is not a valid id")));
                    continue;
                }
                let parsed = match read_text(repo, tree, &path) {
                    Ok(Some((blob, text))) if is_checklist => Gate::parse(&path, &text).map(|g| {
                        checklist_blobs.insert(g.id.clone(), blob.to_string());
                        gates.push(g)
                    }),
                    Ok(Some((_, text))) => Policy::parse(&path, &text).map(|p| policies.push(p)),
                    Ok(None) => Ok(()),
                    Err(Error::Malformed(m)) => Err(m),
                    Err(e) => return Err(e),
                };
                if let Err(m) = parsed {
                    problems.push(m);
                }
            }
        }
        gates.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        for g in &gates {
            for r in g.requires.iter().filter(|r| !gates.iter().any(|o| &o.id == *r)) {
                problems.push(Malformed::new(
                    checklist::path(&g.id),
                    None,
                    format!("requires unknown gate {r:?}; the gate stays locked"),
                ));
            }
            if !consortium.roles.contains_key(&g.signers.role) {
                problems.push(Malformed::new(
                    checklist::path(&g.id),
                    None,
                    format!("signers.role {:?} is not defined in consortium.toml", g.signers.role),
                ));
            }
        }
        problems.extend(rules::requires::cycles(&gates).iter().map(|c| c.problem(&gates)));
        // The deployment estimate's table: a proposal may not break it (`ChangeSet::check`).
        let accelerators = match crate::estimate::table_at(repo, tree) {
            Err(Error::Malformed(m)) => {
                let why = m.to_string();
                problems.push(m);
                Err(why)
            }
            Err(e) => return Err(e),
            Ok(table) => Ok(table),
        };
        Ok(Framework { consortium, gates, policies, checklist_blobs, problems, accelerators })
    }

    pub fn gate(&self, id: &str) -> Option<&Gate> {
        self.gates.iter().find(|g| g.id == id)
    }

    pub fn policy(&self, id: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.id == id)
    }
}

/// What a framework is read from: `consortium.toml`'s and `policies/`'s object ids and modes
/// (`None` when either is missing, which is read every time).
#[derive(PartialEq, Eq)]
struct FrameworkKey([(Oid, i32); 2]);

impl FrameworkKey {
    fn of(tree: &Tree) -> Option<FrameworkKey> {
        let entry = |name: &str| tree.get_name(name).map(|e| (e.id(), e.filemode()));
        Some(FrameworkKey([entry(consortium::PATH)?, entry(policy::DIR)?]))
    }
}

/// One model as it stands in a commit.
#[derive(Debug, Clone, Serialize)]
pub struct ModelEntry {
    pub id: String,
    /// The tree id of `models/<model>`: what a sign-off's `subject` names.
    pub tree: String,
    /// `None` when the card is missing or malformed (see the problems).
    pub card: Option<Card>,
    /// Evidence files, relative to the model's folder (`evidence/...`).
    pub evidence: Vec<String>,
}

impl ModelEntry {
    pub fn org(&self) -> Option<&str> {
        self.card.as_ref().and_then(|c| c.org.as_deref())
    }

    pub fn facts(&self) -> ModelFacts<'_> {
        ModelFacts { org: self.org(), subject: &self.tree }
    }
}

/// Loads `models/<model>`; `Ok(None)` when there is no such folder.
/// `models/<model>/registration.toml`, when there is one; a malformed one is a problem.
fn registration(
    repo: &Repository,
    tree: &Tree,
    model: &str,
    problems: &mut Vec<Malformed>,
) -> Result<Option<crate::registration::Registration>> {
    let path = crate::registration::path(model);
    match read_text(repo, tree, &path) {
        Ok(Some((_, text))) => {
            Ok(crate::registration::Registration::parse(&path, &text).map_err(|m| problems.push(m)).ok())
        }
        Ok(None) => Ok(None),
        Err(Error::Malformed(m)) => {
            problems.push(m);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub fn load_model(
    repo: &Repository,
    tree: &Tree,
    model: &str,
    problems: &mut Vec<Malformed>,
) -> Result<Option<ModelEntry>> {
    let Some(model_tree) = subtree_id(repo, tree, &card::dir(model)) else {
        return Ok(None);
    };
    let path = card::path(model);
    let card = match read_text(repo, tree, &path) {
        Ok(Some((_, text))) => match Card::parse(&path, model, &text) {
            Ok(c) => Some(c),
            Err(m) => {
                problems.push(m);
                None
            }
        },
        Ok(None) => {
            problems.push(Malformed::new(&path, None, "the model has no card.md"));
            None
        }
        Err(Error::Malformed(m)) => {
            problems.push(m);
            None
        }
        Err(e) => return Err(e),
    };
    let card = match (card, registration(repo, tree, model, problems)?) {
        (Some(mut c), Some(r)) => {
            r.apply(&mut c);
            Some(c)
        }
        (c, _) => c,
    };
    let mut files = Vec::new();
    if let Some(ev) = subtree_id(repo, tree, &format!("{}/evidence", card::dir(model))) {
        crate::repo::walk_files(repo, &repo.find_tree(ev)?, "evidence", &mut files)?;
    }
    let mut evidence = Vec::new();
    for (rel, _, mode) in files {
        if mode == i32::from(FileMode::Blob) || mode == i32::from(FileMode::BlobExecutable) {
            evidence.push(rel);
        } else {
            let path = format!("{}/{rel}", card::dir(model));
            let what = if mode == i32::from(FileMode::Link) { "a symbolic link" } else { "a submodule" };
            problems.push(Malformed::new(path, None, format!("{what} is not evidence; links are not followed")));
        }
    }
    Ok(Some(ModelEntry { id: model.to_string(), tree: model_tree.to_string(), card, evidence }))
}

/// A sign-off file read from the tree.
#[derive(Debug, Clone, Serialize)]
pub struct Signoff {
    pub path: String,
    pub blob: String,
    #[serde(flatten)]
    pub file: SignoffFile,
}

/// Every sign-off of `model` (all gates), malformed ones reported as problems.
pub fn load_signoffs(
    repo: &Repository,
    tree: &Tree,
    layout: Layout,
    model: &str,
    problems: &mut Vec<Malformed>,
) -> Result<Vec<Signoff>> {
    let entries = signoff_entries(repo, tree, layout, model, problems)?;
    // Read as raw objects, the text not copied: libgit2's parsed trees and blob objects cost
    // about 7% more when the rebuild read all 24,000 sign-offs of the benchmark's record so.
    let odb = repo.odb()?;
    parse_signoffs(&entries, |id| read_blob(&odb, id).map(Raw), problems)
}

/// A file in a model's folder of sign-offs, not read yet.
#[derive(Debug, Clone)]
struct SignoffEntry {
    path: String,
    blob: Oid,
}

/// The files in `model`'s folder of sign-offs, gate by gate; an entry that is not a file goes
/// to `problems`.
fn signoff_entries(
    repo: &Repository,
    tree: &Tree,
    layout: Layout,
    model: &str,
    problems: &mut Vec<Malformed>,
) -> Result<Vec<SignoffEntry>> {
    let folder = layout.model_dir(model);
    let Some(model_dir) = subtree_id(repo, tree, &folder) else {
        return Ok(Vec::new());
    };
    let odb = repo.odb()?;
    list_signoffs(&folder, model_dir, |id| read_tree(&odb, id).map(Raw), problems)
}

/// The files in the folder of sign-offs `model_dir` (at `folder`), gate by gate, each folder's
/// raw tree from `read`; an entry that is not a file goes to `problems`.
fn list_signoffs<B: AsRef<[u8]>>(
    folder: &str,
    model_dir: Oid,
    mut read: impl FnMut(Oid) -> Result<B>,
    problems: &mut Vec<Malformed>,
) -> Result<Vec<SignoffEntry>> {
    let mut out = Vec::new();
    let gates = read(model_dir)?;
    for gate in gate_folders(model_dir, gates.as_ref()) {
        let (gate, gate_dir) = gate?;
        let files = read(gate_dir)?;
        for e in entries(gate_dir, files.as_ref()) {
            let e = e?;
            let Ok(name) = std::str::from_utf8(e.name) else { continue };
            let path = format!("{folder}/{gate}/{name}");
            match not_a_file_mode(&path, e.mode) {
                Some(m) => problems.push(m),
                None => out.push(SignoffEntry { path, blob: e.oid() }),
            }
        }
    }
    Ok(out)
}

/// The gates' folders in a model's folder of sign-offs `id`, whose raw tree is `data`: name
/// and tree id of each entry that is a folder with a UTF-8 name.
fn gate_folders(id: Oid, data: &[u8]) -> impl Iterator<Item = Result<(&str, Oid)>> {
    entries(id, data).filter_map(|e| match e {
        Ok(e) => match (e.is_tree(), std::str::from_utf8(e.name)) {
            (true, Ok(gate)) => Some(Ok((gate, e.oid()))),
            _ => None,
        },
        Err(e) => Some(Err(e)),
    })
}

/// Every listed model's sign-off files at one tip, for a pass that reads them all (the cold
/// build): the files are listed model by model, then read in the order the packs store them
/// (`pack` says why), and their bytes kept until they are parsed.
pub struct TipSignoffs {
    /// By the model's place in the list: its files, and what in its folders is not a file.
    models: Vec<(Vec<SignoffEntry>, Vec<Malformed>)>,
    files: InOrder,
}

impl TipSignoffs {
    pub fn read(repo: &Repository, tree: &Tree, layout: Layout, ids: &[String]) -> Result<TipSignoffs> {
        let odb = repo.odb()?;
        let packs = Packs::open(repo.path());
        let mut reader = Reader::new(&packs);
        // Each level of folders is read whole in the packs' order, then the files.
        let paths: Vec<String> = ids.iter().map(|model| layout.model_dir(model)).collect();
        let found = folders_at(&mut reader, &odb, tree.id(), &paths);
        let folders: Vec<(String, Option<Oid>)> = paths.into_iter().zip(found).collect();
        let trees = |reader: &mut Reader, ids: Vec<Oid>| {
            InOrder::read(reader, ids, ObjectType::Tree, |id| read_tree(&odb, id).map(Raw))
        };
        let model_dirs = trees(&mut reader, folders.iter().filter_map(|(_, id)| *id).collect())?;
        let mut gate_dirs = Vec::new();
        for id in folders.iter().filter_map(|(_, id)| *id) {
            let data = model_dirs.get(id).expect("every model's folder was read");
            for gate in gate_folders(id, data) {
                gate_dirs.push(gate?.1);
            }
        }
        let gate_dirs = trees(&mut reader, gate_dirs)?;
        let read = |id| {
            let data = model_dirs.get(id).or_else(|| gate_dirs.get(id));
            data.ok_or_else(|| Error::from(git2::Error::from_str(&format!("tree {id} was not read"))))
        };
        let mut models = Vec::with_capacity(ids.len());
        for (folder, id) in &folders {
            let mut problems = Vec::new();
            let listed = match id {
                Some(id) => list_signoffs(folder, *id, read, &mut problems)?,
                None => Vec::new(),
            };
            models.push((listed, problems));
        }
        let blobs = models.iter().flat_map(|(listed, _)| listed.iter().map(|e| e.blob));
        let files = InOrder::read(&mut reader, blobs, ObjectType::Blob, |id| read_blob(&odb, id).map(Raw))?;
        Ok(TipSignoffs { models, files })
    }

    /// The sign-offs of the model at `at` in the list it was read with. What in its folders is
    /// not a file, then each file that does not parse, goes to `problems`.
    pub fn parse(&self, at: usize, problems: &mut Vec<Malformed>) -> Result<Vec<Signoff>> {
        let Some((listed, found)) = self.models.get(at) else { return Ok(Vec::new()) };
        problems.extend(found.iter().cloned());
        parse_signoffs(
            listed,
            |id| self.files.get(id).ok_or_else(|| git2::Error::from_str(&format!("blob {id} was not read")).into()),
            problems,
        )
    }
}

/// The sign-offs in `entries`, each file's bytes from `read`; a file that does not parse goes
/// to `problems`.
fn parse_signoffs<B: AsRef<[u8]>>(
    entries: &[SignoffEntry],
    mut read: impl FnMut(Oid) -> Result<B>,
    problems: &mut Vec<Malformed>,
) -> Result<Vec<Signoff>> {
    let mut out = Vec::with_capacity(entries.len());
    for SignoffEntry { path, blob } in entries {
        let bytes = read(*blob)?;
        match blob_str(path, bytes.as_ref()).and_then(|t| SignoffFile::parse(path, t)) {
            Ok(file) => out.push(Signoff { path: path.clone(), blob: blob.to_string(), file }),
            Err(m) => problems.push(m),
        }
    }
    Ok(out)
}

/// A raw object's bytes, as `parse_signoffs` reads them.
struct Raw<'a>(git2::OdbObject<'a>);

impl AsRef<[u8]> for Raw<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.data()
    }
}

/// Model ids present under `models/`.
pub fn model_ids(repo: &Repository, tree: &Tree) -> Result<Vec<String>> {
    let Some(dir) = subtree_id(repo, tree, "models") else {
        return Ok(vec![]);
    };
    Ok(repo
        .find_tree(dir)?
        .iter()
        .filter(|e| e.kind() == Some(ObjectType::Tree))
        .filter_map(|e| e.name().map(str::to_string))
        .filter(|n| id::is_valid(n))
        .collect())
}

/// One model with its sign-offs and the state of every gate.
#[derive(Debug, Clone, Serialize)]
pub struct ModelView {
    pub model: ModelEntry,
    pub signoffs: Vec<Signoff>,
    pub gates: Vec<GateStatus>,
}

/// Loads and evaluates one model at `tree`.
pub fn model_view(
    repo: &Repository,
    tree: &Tree,
    fw: &Framework,
    model: &str,
    problems: &mut Vec<Malformed>,
) -> Result<Option<ModelView>> {
    let Some(entry) = load_model(repo, tree, model, problems)? else {
        return Ok(None);
    };
    let signoffs = load_signoffs(repo, tree, fw.layout(), model, problems)?;
    let refs: Vec<&SignoffFile> = signoffs.iter().map(|s| &s.file).collect();
    let gates = rules::evaluate(&fw.consortium, &fw.gates, &fw.checklist_blobs, &entry.facts(), &refs);
    Ok(Some(ModelView { model: entry, signoffs, gates }))
}
