//! The record in plain words: members by name and organisation, gates by title, and each
//! action commit as a sentence ("Hiroshi Sato (RIKEN) approved Licensing for
//! tpc-science-34b"). The History screen, search results and the CLI read the same sentences.
//!
//! A sentence is built from what a commit's trailers say, named with the consortium the caller
//! passes (the one at `main`: people are called what they are called now). What no longer
//! names anything (a member who left, a gate removed) is said with the commit's own words.

use std::collections::HashMap;

use serde::Serialize;

use crate::trailers::{self, Trailers};

/// What a part of a sentence names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum NameKind {
    Member,
    Model,
    Gate,
    Proposal,
}

/// A thing a sentence names, by its id (what a front end links to or shows on hover).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Name {
    pub kind: NameKind,
    pub id: String,
}

/// A piece of a sentence: plain words, or the words for something the record names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Part {
    pub text: String,
    pub name: Option<Name>,
}

/// A sentence as its parts; `text` joins them.
pub type Sentence = Vec<Part>;

/// The sentence as one string.
pub fn text(sentence: &[Part]) -> String {
    sentence.iter().map(|p| p.text.as_str()).collect()
}

/// Who and what the record names, as people read them.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Member id to (name, organisation).
    members: HashMap<String, (String, String)>,
    /// Email to member id: a commit made outside Gatehouse names its author by email only.
    emails: HashMap<String, String>,
    gates: HashMap<String, String>,
    proposals: HashMap<String, String>,
}

impl Names {
    pub fn add_member(&mut self, id: &str, name: &str, email: &str, org: &str) {
        self.members.insert(id.to_string(), (name.to_string(), org.to_string()));
        self.emails.insert(email.to_ascii_lowercase(), id.to_string());
    }

    pub fn add_gate(&mut self, id: &str, title: &str) {
        self.gates.insert(id.to_string(), title.to_string());
    }

    pub fn add_proposal(&mut self, id: &str, title: &str) {
        self.proposals.insert(id.to_string(), title.to_string());
    }

    /// The members and gates of a framework (proposal titles then come from the commits).
    pub fn of_framework(fw: &crate::record::Framework) -> Names {
        let mut names = Names::default();
        for m in &fw.consortium.members {
            names.add_member(&m.id, &m.name, &m.email, &m.org);
        }
        for g in &fw.gates {
            names.add_gate(&g.id, &g.title);
        }
        names
    }

    /// "Hiroshi Sato (RIKEN)"; a member no longer in the consortium by the id the record keeps.
    /// Organisations are ids, shown in capitals as the app shows them everywhere.
    pub fn member(&self, id: &str) -> Part {
        let text = match self.members.get(id) {
            Some((name, org)) => format!("{name} ({})", org.to_uppercase()),
            None => id.to_string(),
        };
        named(text, NameKind::Member, id)
    }

    /// A gate by its title ("Data provenance"), else by its id.
    pub fn gate(&self, id: &str) -> Part {
        named(self.gates.get(id).cloned().unwrap_or_else(|| id.to_string()), NameKind::Gate, id)
    }

    /// A gate's title, else its id.
    pub fn gate_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.gates.get(id).map(String::as_str).unwrap_or(id)
    }

    fn member_by_email(&self, email: &str) -> Option<&str> {
        self.emails.get(&email.to_ascii_lowercase()).map(String::as_str)
    }
}

fn named(text: String, kind: NameKind, id: &str) -> Part {
    Part { text, name: Some(Name { kind, id: id.to_string() }) }
}

fn plain(text: impl Into<String>) -> Part {
    Part { text: text.into(), name: None }
}

/// What a sentence is made from: one commit of `main`.
pub struct Commit<'a> {
    pub summary: &'a str,
    /// The author as git records them, for commits no member trailer names.
    pub author: &'a str,
    pub email: &'a str,
    pub trailers: &'a Trailers,
}

/// The commit as a sentence: who did what to what.
pub fn sentence(names: &Names, c: &Commit) -> Sentence {
    let who = match c.trailers.get(trailers::MEMBER) {
        Some(m) => names.member(m),
        None => match names.member_by_email(c.email) {
            Some(id) => names.member(id),
            None => plain(c.author),
        },
    };
    let mut s = vec![who];
    // An action this version does not know, or one missing what it names: its summary, as written.
    s.extend(predicate(names, c).unwrap_or_else(|| vec![plain(format!(" recorded “{}”", c.summary.trim()))]));
    s
}

/// What the member did, from the commit's trailers.
fn predicate(names: &Names, c: &Commit) -> Option<Vec<Part>> {
    let t = c.trailers;
    let model = || t.get(trailers::MODEL).map(|m| named(m.to_string(), NameKind::Model, m));
    let proposal = || proposal_parts(names, t.get(trailers::PROPOSAL), c.summary);
    Some(match t.action() {
        Some("init") => vec![plain(" founded the consortium")],
        Some("model") => {
            let model = model()?;
            // `model(<id>): register` or `model(<id>): update card.md, eval.csv`.
            let what = c.summary.split_once("): ").map(|(_, w)| w).unwrap_or("");
            if what == "register" {
                vec![plain(" registered model "), model]
            } else if let Some(files) = what.strip_prefix("update ") {
                vec![plain(" updated model "), model, plain(format!(" ({files})"))]
            } else {
                vec![plain(" changed model "), model]
            }
        }
        Some("signoff") => {
            let (model, gate) = (t.get(trailers::MODEL)?, t.get(trailers::GATE)?);
            decided(names, t.get(trailers::DECISION).unwrap_or(""), gate, model)
        }
        Some(action @ ("propose" | "revise" | "accept" | "withdraw" | "reject")) => {
            let verb = match action {
                "propose" => " proposed",
                "revise" => " revised",
                "accept" => " accepted",
                "withdraw" => " withdrew",
                _ => " rejected",
            };
            [vec![plain(verb)], proposal()].concat()
        }
        Some("vote") => {
            let verb = match t.get(trailers::VOTE) {
                Some("approve") => " voted for",
                Some("object") => " objected to",
                Some("abstain") => " abstained on",
                _ => " voted on",
            };
            [vec![plain(verb)], proposal()].concat()
        }
        // `sync: merge <remote>/main`
        Some("sync") => match c.summary.strip_prefix("sync: merge ") {
            Some(from) => vec![plain(format!(" merged what {from} holds into main"))],
            None => vec![plain(" merged another clone's record into main")],
        },
        // A proposal's change, committed by Gatehouse to its branch (`proposal(<id>): <title>`),
        // is in main's history once accepted; it carries no trailers, the action commits do.
        None => match c.summary.strip_prefix("proposal(").and_then(|r| r.split_once("): ")) {
            Some((id, _)) if crate::id::is_valid(id) => {
                [vec![plain(" drafted")], proposal_parts(names, Some(id), c.summary), vec![plain(" on its branch")]]
                    .concat()
            }
            _ => vec![plain(format!(" committed “{}” outside Gatehouse", c.summary.trim()))],
        },
        Some(_) => return None,
    })
}

/// A sign-off as a sentence: "Hiroshi Sato (RIKEN) approved Licensing for tpc-science-34b".
pub fn signoff(names: &Names, member: &str, decision: &str, gate: &str, model: &str) -> Sentence {
    [vec![names.member(member)], decided(names, decision, gate, model)].concat()
}

fn decided(names: &Names, decision: &str, gate: &str, model: &str) -> Vec<Part> {
    let verb = match decision {
        "approve" => " approved ",
        "changes-requested" => " requested changes on ",
        "reject" => " rejected ",
        "withdraw" => " withdrew their sign-off on ",
        _ => " signed off on ",
    };
    vec![plain(verb), names.gate(gate), plain(" for "), named(model.to_string(), NameKind::Model, model)]
}

/// " the policy change “Title”": the title at `main`, else the one the commit's summary
/// gives (`accept(<id>): <title>`), else the proposal's id.
fn proposal_parts(names: &Names, id: Option<&str>, summary: &str) -> Vec<Part> {
    let Some(id) = id else { return vec![plain(" a policy change")] };
    // A vote's summary ends in the vote, not the title.
    let from_summary =
        summary.split_once("): ").map(|(_, t)| t.trim()).filter(|t| !t.is_empty() && !summary.starts_with("vote("));
    let title = names.proposals.get(id).map(String::as_str).or(from_summary);
    match title {
        Some(title) => {
            vec![plain(" the policy change “"), named(title.to_string(), NameKind::Proposal, id), plain("”")]
        }
        None => vec![plain(" the policy change "), named(id.to_string(), NameKind::Proposal, id)],
    }
}

/// A commit message's body without its trailer block: what the member wrote (a sign-off's
/// or a vote's comment), or nothing.
pub fn note(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut end = lines.len();
    while end > 0 && (lines[end - 1].trim().is_empty() || is_trailer(lines[end - 1])) {
        end -= 1;
    }
    lines[..end].join("\n").trim().to_string()
}

fn is_trailer(line: &str) -> bool {
    line.split_once(": ").is_some_and(|(k, _)| k.starts_with("Gatehouse-") && !k.contains(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut n = Names::default();
        n.add_member("hsato", "Hiroshi Sato", "hsato@riken.example.org", "riken");
        n.add_gate("licensing", "Licensing");
        n.add_proposal("p1", "Three seeds");
        n
    }

    fn say(summary: &str, trailers: &[(&str, &str)]) -> String {
        let message = trailers::message(summary, "", trailers);
        let t = Trailers::parse(&message);
        text(&sentence(&names(), &Commit { summary, author: "Someone", email: "x@y", trailers: &t }))
    }

    #[test]
    fn actions_read_as_sentences_with_names_and_titles() {
        let signoff = |d| {
            say(
                "signoff(tpc-science-34b/licensing): x",
                &[
                    (trailers::ACTION, "signoff"),
                    (trailers::MEMBER, "hsato"),
                    (trailers::MODEL, "tpc-science-34b"),
                    (trailers::GATE, "licensing"),
                    (trailers::DECISION, d),
                ],
            )
        };
        assert_eq!(signoff("approve"), "Hiroshi Sato (RIKEN) approved Licensing for tpc-science-34b");
        assert_eq!(
            signoff("withdraw"),
            "Hiroshi Sato (RIKEN) withdrew their sign-off on Licensing for tpc-science-34b"
        );
        let vote = say(
            "vote(p1): object",
            &[
                (trailers::ACTION, "vote"),
                (trailers::MEMBER, "hsato"),
                (trailers::PROPOSAL, "p1"),
                (trailers::VOTE, "object"),
            ],
        );
        assert_eq!(vote, "Hiroshi Sato (RIKEN) objected to the policy change “Three seeds”");
        // Someone the consortium no longer lists, and a gate it no longer has: by their ids.
        let gone = say(
            "s",
            &[
                (trailers::ACTION, "signoff"),
                (trailers::MEMBER, "ada"),
                (trailers::MODEL, "m"),
                (trailers::GATE, "old-gate"),
                (trailers::DECISION, "reject"),
            ],
        );
        assert_eq!(gone, "ada rejected old-gate for m");
        assert_eq!(say("fix typo", &[]), "Someone committed “fix typo” outside Gatehouse");
        assert_eq!(
            say("proposal(p1): Three seeds", &[]),
            "Someone drafted the policy change “Three seeds” on its branch"
        );
        let sync = say("sync: merge origin/main", &[(trailers::ACTION, "sync"), (trailers::MEMBER, "hsato")]);
        assert_eq!(sync, "Hiroshi Sato (RIKEN) merged what origin/main holds into main");
        assert_eq!(
            say("x(y)", &[(trailers::ACTION, "future"), (trailers::MEMBER, "hsato")]),
            "Hiroshi Sato (RIKEN) recorded “x(y)”"
        );
    }

    #[test]
    fn a_note_is_the_body_without_its_trailers() {
        let m = trailers::message("s", "BOM complete.\n\nSee NOTICE.", &[(trailers::ACTION, "signoff")]);
        let body = m.split_once('\n').unwrap().1;
        assert_eq!(note(body), "BOM complete.\n\nSee NOTICE.");
        assert_eq!(note("\nGatehouse-Action: init\n"), "");
    }
}
