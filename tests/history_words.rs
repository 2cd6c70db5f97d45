//! The History screen's sentences: every action the sample records, told in words with
//! members' names and organisations and gates' titles, pinned so that a person reads them.

mod common;

use common::Fixture;
use gatehouse::index::Index;
use gatehouse::progress::Silent;
use gatehouse::signing::SignatureStatus;
use gatehouse::views::history::{history, HistoryEntry, HistoryFilter};
use gatehouse::Governance;

fn entries(f: &Fixture) -> Vec<HistoryEntry> {
    let gov = Governance::open(&f.repo).expect("the sample opens");
    let all = HistoryFilter { limit: Some(10_000), ..HistoryFilter::default() };
    Index::query(&gov, &mut Silent, |i| history(gov.repo(), i, &all)).expect("history")
}

/// Oldest first, as a story is read: the time, the sentence, and what the member wrote.
/// Commits of the same second (a proposal's branch commit and its proposal) are in the order of
/// their ids, which differ from run to run (the sample's keys are made anew): by sentence here.
fn story(entries: &[HistoryEntry]) -> String {
    let mut entries: Vec<&HistoryEntry> = entries.iter().collect();
    entries.sort_by_key(|e| (e.time, e.text()));
    let mut out = String::new();
    for e in entries {
        let at = chrono::DateTime::from_timestamp(e.time, 0).expect("a time").format("%Y-%m-%d %H:%M");
        out.push_str(&format!("{at}  {}\n", e.text()));
        if !e.note.is_empty() {
            out.push_str(&format!("                  “{}”\n", e.note.replace('\n', " ")));
        }
    }
    out
}

#[test]
fn history_tells_every_sample_action_as_a_sentence() {
    let f = Fixture::sample();
    // Two more kinds of action than the sample makes: a proposal withdrawn by its author, and a
    // commit made with plain git.
    f.gh(&["--as", "akeller", "withdraw", "evaluation-three-seeds", "--comment", "Reworking the exception."]).ok();
    std::fs::write(f.repo.join("README.md"), "# Sample consortium\n").expect("write a README");
    let nico = f.member("nbrunner");
    f.commit_as(&nico.name, &nico.email, "Add a README\n");

    let all = entries(&f);
    let text = story(&all);
    for e in &all {
        let said = e.text();
        assert!(!said.contains(" recorded “"), "every action the sample makes has its own sentence: {said}");
        assert!(!said.contains(&e.commit[..7]), "a sentence names no commit: {said}");
        assert!(!said.contains("signoff(") && !said.contains("propose("), "nor a commit subject: {said}");
        // The sample's members act by name and organisation.
        if let Some(member) = &e.member {
            let m = f.member(member);
            assert!(said.starts_with(&m.name), "{member} is named {}: {said}", m.name);
        }
    }
    assert!(
        text.contains("Hiroshi Sato (RIKEN) approved Licensing for tpc-science-34b"),
        "the issue's own example reads as it asked:\n{text}"
    );
    let signed = all.iter().filter(|e| matches!(e.signature, Some(SignatureStatus::Valid { .. }))).count();
    assert_eq!(signed, all.len() - 1, "every action commit is signed (the sample requires it), the plain one not");
    assert_eq!(all[0].signature, Some(SignatureStatus::Unsigned), "the plain commit, newest, is unsigned");
    insta::assert_snapshot!("history_of_the_sample", text);
}
