//! `policies/checklists/<gate>.md`: one audit checklist, which defines one gate.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::error::Malformed;
use crate::frontmatter::{self, line_of};
use crate::id;

pub const DIR: &str = "policies/checklists";

/// The most items a checklist may have; more is a broken or hostile file.
pub const MAX_ITEMS: usize = crate::limits::MAX_CHECKLIST_ITEMS;

pub fn path(gate: &str) -> String {
    format!("{DIR}/{gate}.md")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signers {
    pub role: String,
    #[serde(default = "one")]
    pub quorum: u32,
    #[serde(default = "one")]
    pub distinct_orgs: u32,
    #[serde(default)]
    pub independent: bool,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    gate: String,
    title: String,
    order: i64,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    policy: Option<String>,
    signers: Signers,
    /// The external controls each item serves: item id, then catalog id, then the controls.
    #[serde(default)]
    controls: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// The longest control name a checklist may give (`MEASURE 2.7`, `Annex IV 2(g)`).
const MAX_CONTROL_LEN: usize = 100;

/// An external control a checklist item serves: a catalog (`nist-ai-rmf`) and a control in it
/// (`MEASURE 2.7`), as the checklist's `controls` names them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Control {
    pub catalog: String,
    pub control: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: String,
    /// The item's text after its id, as plain text.
    pub text: String,
    pub line: usize,
    /// The external controls it serves, by catalog then as listed.
    pub controls: Vec<Control>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub id: String,
    pub title: String,
    pub order: i64,
    pub requires: Vec<String>,
    pub policy: Option<String>,
    pub signers: Signers,
    /// The prose and items as Markdown, without front matter.
    pub body: String,
    pub items: Vec<Item>,
}

impl Gate {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Parses the checklist at `path`; the gate id must match the file name.
    pub fn parse(path: &str, text: &str) -> Result<Gate, Malformed> {
        crate::limits::check_size(path, "the checklist", text.len(), crate::limits::MAX_MARKDOWN_BYTES)?;
        let split = frontmatter::split(path, text)?;
        let yaml = split.yaml.ok_or_else(|| {
            Malformed::new(path, Some(1), "a checklist needs front matter (gate, title, order, signers)")
        })?;
        let front: Front = frontmatter::parse(path, yaml, split.yaml_line)?;
        let yaml_line_of =
            |key: &str| yaml.find(key).map(|o| split.yaml_line + line_of(yaml, o) - 1).or(Some(split.yaml_line));
        let file_gate = path.rsplit('/').next().and_then(|f| f.strip_suffix(".md")).unwrap_or("");
        if front.gate != file_gate {
            return Err(Malformed::new(
                path,
                yaml_line_of("gate"),
                format!("gate {:?} does not match the file name {file_gate:?}", front.gate),
            ));
        }
        for (key, value) in std::iter::once(("gate", &front.gate))
            .chain(front.requires.iter().map(|r| ("requires", r)))
            .chain(std::iter::once(("signers", &front.signers.role)))
            .chain(front.policy.iter().map(|p| ("policy", p)))
        {
            if !id::is_valid(value) {
                return Err(Malformed::new(path, yaml_line_of(key), format!("{key}: {value:?} is not a valid id")));
            }
        }
        if front.signers.quorum == 0 {
            return Err(Malformed::new(path, yaml_line_of("quorum"), "signers.quorum must be at least 1"));
        }
        if front.requires.contains(&front.gate) {
            return Err(Malformed::new(path, yaml_line_of("requires"), "a gate cannot require itself"));
        }
        let mut items = parse_items(path, split.body, split.body_line)?;
        for (item_id, catalogs) in &front.controls {
            let line = yaml_line_of(&format!("{item_id}:"));
            let Some(item) = items.iter_mut().find(|i| i.id == *item_id) else {
                return Err(Malformed::new(
                    path,
                    line,
                    format!("controls: {item_id:?} is not an item of this checklist"),
                ));
            };
            for (catalog, controls) in catalogs {
                if !id::is_valid(catalog) {
                    return Err(Malformed::new(path, line, format!("controls: catalog {catalog:?} is not a valid id")));
                }
                for control in controls {
                    let bad = control.trim().is_empty()
                        || control.trim() != control
                        || control.len() > MAX_CONTROL_LEN
                        || control.chars().any(char::is_control);
                    if bad {
                        return Err(Malformed::new(
                            path,
                            line,
                            format!("controls: {control:?} must be one line of 1 to {MAX_CONTROL_LEN} characters without spaces around it"),
                        ));
                    }
                    let control = Control { catalog: catalog.clone(), control: control.clone() };
                    if !item.controls.contains(&control) {
                        item.controls.push(control);
                    }
                }
            }
        }
        Ok(Gate {
            id: front.gate,
            title: front.title,
            order: front.order,
            requires: front.requires,
            policy: front.policy,
            signers: front.signers,
            body: split.body.to_string(),
            items,
        })
    }
}

/// One item of a checklist, as a change between two versions names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChangedItem {
    pub id: String,
    /// The item's text (plain text), as the version that has it says it.
    pub text: String,
}

/// An item both versions have, with different text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RewordedItem {
    pub id: String,
    /// The text in the older version.
    pub old_text: String,
    /// The text now.
    pub text: String,
}

/// What changed in a checklist's items between two versions, each list in the order of the
/// version that has the items (`removed` in the old one's, the others in the new one's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemChanges {
    /// Items the new version has and the old one had not.
    pub added: Vec<ChangedItem>,
    /// Items the old version had and the new one has not.
    pub removed: Vec<ChangedItem>,
    /// Items with the same id in both and different text.
    pub reworded: Vec<RewordedItem>,
}

impl ItemChanges {
    /// No item was added, removed or reworded (other text of the checklist may still differ).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.reworded.is_empty()
    }
}

/// The changes to a checklist's items from `old` to `new` (two versions of one gate's
/// checklist), matched by item id: only the items' ids and texts are compared, not their
/// order, the prose or the front matter.
pub fn diff(old: &Gate, new: &Gate) -> ItemChanges {
    let item = |i: &Item| ChangedItem { id: i.id.clone(), text: i.text.clone() };
    ItemChanges {
        added: new.items.iter().filter(|i| old.item(&i.id).is_none()).map(item).collect(),
        removed: old.items.iter().filter(|i| new.item(&i.id).is_none()).map(item).collect(),
        reworded: new
            .items
            .iter()
            .filter_map(|i| {
                let before = old.item(&i.id)?;
                (before.text != i.text).then(|| RewordedItem {
                    id: i.id.clone(),
                    old_text: before.text.clone(),
                    text: i.text.clone(),
                })
            })
            .collect(),
    }
}

/// Task-list items whose text starts with an inline code span holding the item's id.
fn parse_items(path: &str, body: &str, body_line: usize) -> Result<Vec<Item>, Malformed> {
    let mut items: Vec<Item> = Vec::new();
    // State for the task item being read: (line, id if seen, text so far, saw other text first).
    let mut current: Option<(usize, Option<String>, String, bool)> = None;
    let mut depth = 0usize;
    let mut item_start = Vec::new();
    for (event, range) in Parser::new_ext(body, Options::ENABLE_TASKLISTS).into_offset_iter() {
        match event {
            Event::Start(Tag::Item) => {
                depth += 1;
                item_start.push(range.start);
            }
            Event::TaskListMarker(_) => {
                let start = item_start.last().copied().unwrap_or(range.start);
                current = Some((body_line + line_of(body, start) - 1, None, String::new(), false));
            }
            Event::Code(code) => {
                if let Some((_, id @ None, _, false)) = current.as_mut() {
                    *id = Some(code.to_string());
                } else if let Some((_, _, text, _)) = current.as_mut() {
                    text.push_str(&code);
                }
            }
            Event::Text(t) => {
                if let Some((_, id, text, other_first)) = current.as_mut() {
                    if id.is_none() && !t.trim().is_empty() {
                        *other_first = true;
                    }
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text, _)) = current.as_mut() {
                    text.push(' ');
                }
            }
            Event::End(TagEnd::Item) => {
                depth = depth.saturating_sub(1);
                item_start.pop();
                if let Some((line, id, text, _)) = current.take() {
                    let Some(id) = id else {
                        return Err(Malformed::new(
                            path,
                            Some(line),
                            "a checklist item must start with its id in backticks, like - [ ] `red-team` ...",
                        ));
                    };
                    if !id::is_valid(&id) {
                        return Err(Malformed::new(path, Some(line), format!("item id {id:?} is not a valid id")));
                    }
                    if items.iter().any(|i| i.id == id) {
                        return Err(Malformed::new(path, Some(line), format!("item {id:?} appears twice")));
                    }
                    if items.len() == MAX_ITEMS {
                        return Err(Malformed::new(
                            path,
                            Some(line),
                            format!("a checklist may have at most {MAX_ITEMS} items"),
                        ));
                    }
                    items.push(Item { id, text: text.trim().to_string(), line, controls: Vec::new() });
                }
            }
            _ => {}
        }
    }
    let _ = depth;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAFETY: &str = "---\ngate: safety\ntitle: Safety\norder: 50\nrequires: [evaluation]\npolicy: safety\nsigners:\n  role: safety-reviewer\n  quorum: 2\n  distinct_orgs: 2\n  independent: true\n---\nWhy.\n\n- [ ] `red-team` Red-team it; attach the report.\n- [ ] `bias` Bias audit\n  across languages.\n";

    /// SAFETY with a `controls` block in its front matter.
    fn with_controls(block: &str) -> String {
        SAFETY.replacen("---\nWhy.", &format!("{block}---\nWhy."), 1)
    }

    #[test]
    fn controls_name_the_outside_controls_each_item_serves() {
        let text = with_controls(
            "controls:\n  red-team: {nist-ai-rmf: [\"MEASURE 2.7\"], eu-ai-act: [\"Annex IV 2(g)\"]}\n  bias: {nist-ai-rmf: [\"MEASURE 2.11\"]}\n",
        );
        let gate = Gate::parse("policies/checklists/safety.md", &text).unwrap();
        let names = |id: &str| -> Vec<(String, String)> {
            gate.item(id).unwrap().controls.iter().map(|c| (c.catalog.clone(), c.control.clone())).collect()
        };
        // Catalogs in name order, controls as listed: what a crosswalk table shows.
        assert_eq!(
            names("red-team"),
            [("eu-ai-act".to_string(), "Annex IV 2(g)".to_string()), ("nist-ai-rmf".into(), "MEASURE 2.7".into())]
        );
        assert_eq!(names("bias"), [("nist-ai-rmf".to_string(), "MEASURE 2.11".to_string())]);
        // Without controls a checklist stays valid, its items mapped to nothing.
        assert!(Gate::parse("policies/checklists/safety.md", SAFETY)
            .unwrap()
            .items
            .iter()
            .all(|i| i.controls.is_empty()));
    }

    #[test]
    fn controls_for_an_unknown_item_or_a_bad_name_make_the_checklist_malformed() {
        let unknown = with_controls("controls:\n  no-such-item: {nist-ai-rmf: [\"MAP 1.1\"]}\n");
        let e = Gate::parse("policies/checklists/safety.md", &unknown).unwrap_err();
        assert!(e.to_string().contains("no-such-item"), "names the item: {e}");
        assert_eq!(e.location.line, Some(13), "points at the item's line under `controls`: {e}");
        let bad_catalog = with_controls("controls:\n  bias: {\"NIST RMF\": [\"MAP 1.1\"]}\n");
        assert!(Gate::parse("policies/checklists/safety.md", &bad_catalog)
            .unwrap_err()
            .to_string()
            .contains("catalog"));
        let blank = with_controls("controls:\n  bias: {nist-ai-rmf: [\" \"]}\n");
        assert!(Gate::parse("policies/checklists/safety.md", &blank).is_err(), "an empty control name is refused");
    }

    #[test]
    fn reads_the_gate_and_its_items_with_lines() {
        let g = Gate::parse("policies/checklists/safety.md", SAFETY).unwrap();
        assert_eq!(g.requires, vec!["evaluation"]);
        assert!(g.signers.independent);
        let ids: Vec<_> = g.items.iter().map(|i| (i.id.as_str(), i.line)).collect();
        assert_eq!(ids, vec![("red-team", 15), ("bias", 16)]);
        assert_eq!(g.items[1].text, "Bias audit across languages.");
    }

    #[test]
    fn an_item_without_an_id_names_its_line() {
        let text = SAFETY.replace("`bias` Bias", "Bias");
        let e = Gate::parse("policies/checklists/safety.md", &text).unwrap_err();
        assert_eq!(e.location.line, Some(16));
    }

    fn item(id: &str, text: &str) -> ChangedItem {
        ChangedItem { id: id.into(), text: text.into() }
    }

    #[test]
    fn diff_names_added_removed_and_reworded_items() {
        let old = Gate::parse("policies/checklists/safety.md", SAFETY).unwrap();
        let text = SAFETY
            .replace("- [ ] `red-team` Red-team it; attach the report.\n", "")
            .replace("Bias audit\n  across languages.", "Bias audit across every claimed language.")
            + "- [ ] `cbrn` CBRN uplift evaluation.\n";
        let new = Gate::parse("policies/checklists/safety.md", &text).unwrap();
        let changes = diff(&old, &new);
        assert_eq!(changes.added, [item("cbrn", "CBRN uplift evaluation.")]);
        assert_eq!(changes.removed, [item("red-team", "Red-team it; attach the report.")]);
        assert_eq!(
            changes.reworded,
            [RewordedItem {
                id: "bias".into(),
                old_text: "Bias audit across languages.".into(),
                text: "Bias audit across every claimed language.".into(),
            }]
        );
        assert!(!changes.is_empty());
        let back = diff(&new, &old);
        assert_eq!((back.added, back.removed), (changes.removed, changes.added), "the reverse swaps them");
    }

    #[test]
    fn diff_ignores_order_prose_and_front_matter() {
        let old = Gate::parse("policies/checklists/safety.md", SAFETY).unwrap();
        let text = SAFETY
            .replace("quorum: 2", "quorum: 3")
            .replace("Why.", "Why, at length.")
            .replace("- [ ] `red-team` Red-team it; attach the report.\n", "")
            + "- [ ] `red-team` Red-team it; attach the report.\n";
        let new = Gate::parse("policies/checklists/safety.md", &text).unwrap();
        assert_ne!(old, new);
        assert!(diff(&old, &new).is_empty(), "{:?}", diff(&old, &new));
        assert!(diff(&old, &old).is_empty());
    }

    #[test]
    fn the_gate_must_match_its_file_name() {
        let e = Gate::parse("policies/checklists/other.md", SAFETY).unwrap_err();
        assert!(e.message.contains("does not match"), "{e}");
    }
}
