//! The files verify judges commits by (consortium.toml, checklists, cards), parsed once per
//! blob id: most commits share their parent's. Trees and parsed files are kept here rather
//! than left to libgit2's object cache, whose random evictions would make verify read (and
//! hash) them again.

use std::collections::HashMap;
use std::rc::Rc;

use git2::{ObjectType, Oid, Tree};
use ssh_key::public::KeyData;

use super::objects::Objects;
use crate::card::Card;
use crate::checklist::Gate;
use crate::consortium::{self, Consortium};
use crate::error::Result;
use crate::registration::{self, Registration};

/// The rules in one consortium.toml, with each member's keys parsed once.
pub(super) struct Rules {
    pub consortium: Consortium,
    pub keys: HashMap<String, Vec<KeyData>>,
}

impl Rules {
    fn new(consortium: Consortium) -> Rules {
        let keys = consortium.members.iter().map(|m| (m.id.clone(), crate::signing::members_keys(m))).collect();
        Rules { consortium, keys }
    }
}

#[derive(Default)]
pub(super) struct Parsed<'r> {
    consortium: HashMap<Oid, Option<Rc<Rules>>>,
    /// By the id of `policies/` and the gate's id.
    gates: HashMap<(Oid, String), Option<Rc<Gate>>>,
    cards: HashMap<Oid, Option<Rc<Card>>>,
    registrations: HashMap<Oid, Option<Rc<Registration>>>,
    /// The last `models/` read: the same tree for every commit that does not change a card.
    models: Option<Tree<'r>>,
}

/// Parses the file at `path` in `tree` once per blob id; `None` when absent or malformed.
fn cached<'r, T>(
    map: &mut HashMap<Oid, Option<Rc<T>>>,
    objects: &mut Objects<'r>,
    tree: &Tree<'r>,
    path: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<Rc<T>>> {
    let Some(id) = objects.file_id(tree, path)? else {
        return Ok(None);
    };
    if let Some(parsed) = map.get(&id) {
        return Ok(parsed.clone());
    }
    let parsed = objects.text(id, path)?.ok().and_then(|text| parse(&text)).map(Rc::new);
    map.insert(id, parsed.clone());
    Ok(parsed)
}

impl<'r> Parsed<'r> {
    pub fn rules(&mut self, objects: &mut Objects<'r>, tree: &Tree<'r>) -> Result<Option<Rc<Rules>>> {
        cached(&mut self.consortium, objects, tree, consortium::PATH, |t| Consortium::parse(t).ok().map(Rules::new))
    }

    pub fn gate(&mut self, objects: &mut Objects<'r>, tree: &Tree<'r>, gate: &str) -> Result<Option<Rc<Gate>>> {
        let Some(policies) = tree.get_name("policies").map(|e| e.id()) else {
            return Ok(None);
        };
        let key = (policies, gate.to_string());
        if let Some(parsed) = self.gates.get(&key) {
            return Ok(parsed.clone());
        }
        let path = crate::checklist::path(gate);
        let parsed = match objects.file_id(tree, &path)? {
            Some(id) => objects.text(id, &path)?.ok().and_then(|text| Gate::parse(&path, &text).ok()).map(Rc::new),
            None => None,
        };
        self.gates.insert(key, parsed.clone());
        Ok(parsed)
    }

    /// Every checklist in `tree` that parses, sorted as the framework sorts them (by order,
    /// then id).
    pub fn gates(&mut self, objects: &mut Objects<'r>, tree: &Tree<'r>) -> Result<Vec<Gate>> {
        let Some(dir) = objects.subtree_id(tree, crate::checklist::DIR)? else {
            return Ok(Vec::new());
        };
        let names: Vec<String> = objects
            .tree(dir)?
            .iter()
            .filter_map(|e| e.name()?.strip_suffix(".md").map(str::to_string))
            .filter(|name| crate::id::is_valid(name))
            .collect();
        let mut gates = Vec::new();
        for name in names {
            gates.extend(self.gate(objects, tree, &name)?.map(|g| (*g).clone()));
        }
        gates.sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        Ok(gates)
    }

    /// The id of `models/<model>` in `tree` (`crate::repo::subtree_id`), reading `models/`
    /// once for all the commits that share it.
    pub fn model_tree(&mut self, objects: &mut Objects<'r>, tree: &Tree<'r>, model: &str) -> Result<Option<Oid>> {
        let is_tree = |e: &git2::TreeEntry| e.kind() == Some(ObjectType::Tree);
        if model.contains('/') {
            return objects.subtree_id(tree, &crate::card::dir(model));
        }
        let Some(id) = tree.get_name("models").filter(is_tree).map(|e| e.id()) else {
            return Ok(None);
        };
        if self.models.as_ref().map(Tree::id) != Some(id) {
            self.models = Some(objects.tree(id)?);
        }
        Ok(self.models.as_ref().and_then(|m| m.get_name(model)).filter(is_tree).map(|e| e.id()))
    }

    pub fn card(&mut self, objects: &mut Objects<'r>, tree: &Tree<'r>, model: &str) -> Result<Option<Rc<Card>>> {
        let path = crate::card::path(model);
        let card = cached(&mut self.cards, objects, tree, &path, |t| Card::parse(&path, model, t).ok())?;
        let reg_path = registration::path(model);
        let reg =
            cached(&mut self.registrations, objects, tree, &reg_path, |t| Registration::parse(&reg_path, t).ok())?;
        Ok(match (card, reg) {
            (Some(card), Some(reg)) => {
                let mut card = (*card).clone();
                reg.apply(&mut card);
                Some(Rc::new(card))
            }
            (card, _) => card,
        })
    }
}
