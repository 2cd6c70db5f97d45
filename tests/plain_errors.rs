//! The library's errors as the app shows them: every wrong input is named as data (which input)
//! and the message is plain words, with no flag (`--item`) or metavariable (`DIR`, `FILE`) a
//! reviewer in the app never typed. Each case drives a real action with a real mistake.

mod common;

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use common::Fixture;
use gatehouse::actions::model::{self, ModelRequest, Upload};
use gatehouse::actions::signoff::{signoff, ItemInput, SignoffRequest};
use gatehouse::actions::{clone, init, upload};
use gatehouse::consortium::Member;
use gatehouse::error::{ErrorCode, Input};
use gatehouse::index::Index;
use gatehouse::progress::Silent;
use gatehouse::record::Framework;
use gatehouse::signing::{self, KeyOrigin, KeyRequest, Signer};
use gatehouse::signoff::{Decision, ItemState};
use gatehouse::write::CommitSigner;
use gatehouse::{Error, Governance};

/// The command line's names for values; none may reach a message of the library.
const METAVARIABLES: &[&str] =
    &["DIR", "FILE", "MODEL", "GATE", "POLICY", "QUERY", "KIND", "ID", "MEMBER", "ORG", "TIME", "EMAIL", "NAME"];

#[track_caller]
fn assert_plain(what: &str, e: &Error, code: ErrorCode, input: Input) {
    let text = e.to_string();
    assert_eq!((e.code(), e.input()), (code, Some(input)), "{what}: {text}");
    assert!(!text.contains("--"), "{what}: the message names a flag: {text}");
    let words: Vec<&str> = text.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    for meta in METAVARIABLES {
        assert!(!words.contains(meta), "{what}: the message names {meta}: {text}");
    }
}

#[track_caller]
fn invalid(what: &str, result: Result<impl std::fmt::Debug, Error>, input: Input) -> Error {
    let e = result.expect_err(what);
    assert_plain(what, &e, ErrorCode::InvalidArgument, input);
    e
}

fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 17, 0, 0).single().unwrap()
}

fn signer(f: &Fixture, gov: &Governance, member: &str) -> Signer {
    let req = KeyRequest { explicit: Some(f.demo_key(member).display().to_string()), ..Default::default() };
    signing::signer_for(gov, member, &req).unwrap().expect("the sample's demo key")
}

fn sign(gov: &Governance, signer: Option<&Signer>, change: impl FnOnce(&mut SignoffRequest)) -> Result<(), Error> {
    let mut req = SignoffRequest {
        model: "baseline-1.4b".into(),
        gate: "intake".into(),
        member: "rvance".into(),
        decision: Decision::ChangesRequested,
        items: vec![],
        evidence: vec![],
        comment: "The data card lacks its licence.".into(),
        at: at(),
    };
    change(&mut req);
    signoff(gov, &req, signer.map(|s| s as &dyn CommitSigner)).map(|_| ())
}

#[test]
fn a_sign_off_names_the_wrong_input_in_plain_words() {
    let f = Fixture::sample();
    let gov = Governance::open(&f.repo).unwrap();
    let key = signer(&f, &gov, "rvance");
    let key = Some(&key);
    let item = f.checklist_items("intake").remove(0);
    let ok = |r: &mut SignoffRequest| r.decision = Decision::ChangesRequested;
    sign(&gov, key, ok).expect("the request the cases below spoil is a good one");
    let gov = Governance::open(&f.repo).unwrap();
    let later = |r: &mut SignoffRequest| r.at = at() + chrono::Duration::seconds(1);

    invalid("a model id", sign(&gov, key, |r| r.model = "Baseline".into()), Input::Model);
    invalid("a gate id", sign(&gov, key, |r| r.gate = "../intake".into()), Input::Gate);
    invalid("a member id", sign(&gov, key, |r| r.member = "R Vance".into()), Input::Member);
    let bad_item = |r: &mut SignoffRequest| {
        r.items.push(ItemInput { id: "No Such".into(), state: ItemState::Done, note: String::new() })
    };
    invalid("an item id", sign(&gov, key, bad_item), Input::Item);
    invalid("a NUL in the comment", sign(&gov, key, |r| r.comment = "a\0b".into()), Input::Comment);
    let unknown = |r: &mut SignoffRequest| {
        later(r);
        r.items.push(ItemInput { id: "nosuch".into(), state: ItemState::Done, note: String::new() })
    };
    let e = invalid("an item not on the checklist", sign(&gov, key, unknown), Input::Item);
    assert!(e.to_string().contains("nosuch") && e.to_string().contains(&item), "lists the items: {e}");
    let evidence = |item: &str, path: &str| {
        let (item, path) = (item.to_string(), path.to_string());
        move |r: &mut SignoffRequest| {
            later(r);
            r.evidence.push((item, path));
        }
    };
    invalid("evidence for no item", sign(&gov, key, evidence("nosuch", "evidence/a.md")), Input::Evidence);
    invalid("evidence outside the model", sign(&gov, key, evidence(&item, "../x")), Input::Evidence);
    invalid("evidence not in the record", sign(&gov, key, evidence(&item, "evidence/nope.md")), Input::Evidence);
    let approve = |r: &mut SignoffRequest| {
        later(r);
        r.decision = Decision::Approve;
    };
    invalid("an approval with open items", sign(&gov, key, approve), Input::Item);
    let long = |r: &mut SignoffRequest| {
        later(r);
        r.comment = "a".repeat(gatehouse::limits::MAX_SIGNOFF_BYTES);
    };
    invalid("a comment too long for the file", sign(&gov, key, long), Input::Comment);

    // The sample requires signed commits: without a key the refusal asks for one, in words.
    let e = sign(&gov, None, later).unwrap_err();
    assert_plain("no signing key", &e, ErrorCode::SigningRequired, Input::Key);
    assert!(e.to_string().contains("give a signing key"), "{e}");
}

#[test]
fn registering_a_model_names_the_wrong_input_in_plain_words() {
    let f = Fixture::sample();
    let gov = Governance::open(&f.repo).unwrap();
    let key = signer(&f, &gov, "akeller");
    let card = Upload { source: "card.md".into(), content: b"---\nlicense: mit\n---\n# A model\n".to_vec() };
    let request = |change: &dyn Fn(&mut ModelRequest)| {
        let mut req = ModelRequest {
            model: "new-1b".into(),
            member: "akeller".into(),
            card: Some(card.clone()),
            org: None,
            owners: vec![],
            evidence: vec![],
            at: at(),
        };
        change(&mut req);
        req
    };
    let add = |change: &dyn Fn(&mut ModelRequest)| model::add(&gov, &request(change), Some(&key as &dyn CommitSigner));
    let update =
        |change: &dyn Fn(&mut ModelRequest)| model::update(&gov, &request(change), Some(&key as &dyn CommitSigner));

    invalid("a model id", add(&|r| r.model = "New 1B".into()), Input::Model);
    invalid("a member id", add(&|r| r.member = "A".into()), Input::Member);
    invalid("an organisation id", add(&|r| r.org = Some("C S C S".into())), Input::Organisation);
    invalid("an owner id", add(&|r| r.owners = vec!["Nobody".into()]), Input::Owner);
    invalid("an owner who is no member", add(&|r| r.owners = vec!["nobody".into()]), Input::Owner);
    invalid("no card", add(&|r| r.card = None), Input::Card);
    let outside = |r: &mut ModelRequest| r.evidence = vec![("../card.md".into(), card.clone())];
    invalid("evidence outside the model", add(&outside), Input::Evidence);
    let nothing = |r: &mut ModelRequest| {
        r.model = "baseline-1.4b".into();
        r.card = None;
    };
    invalid("an update that changes nothing", update(&nothing), Input::Model);
}

#[cfg(unix)]
#[test]
fn files_from_the_callers_disk_are_named_as_card_or_evidence() {
    let f = Fixture::empty();
    let folder = f.root.join("release");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(f.root.join("secret"), "key").unwrap();
    std::os::unix::fs::symlink("../secret", folder.join("out")).unwrap();
    let read = |input, path: &Path| upload::read_file(input, path, "the file", 1024).map(|u| u.content.len());
    invalid("a link out of the folder", read(Input::Evidence, &folder.join("out")), Input::Evidence);
    invalid("a folder", read(Input::Card, &folder), Input::Card);
    invalid("a missing file", read(Input::Card, &folder.join("nope.md")), Input::Card);
}

#[test]
fn creating_cloning_and_reading_a_record_name_the_wrong_input_in_plain_words() {
    let f = Fixture::sample();
    let founder = Member {
        id: "ada".into(),
        name: "Ada".into(),
        email: "ada@example.org".into(),
        org: "bsc".into(),
        roles: vec![],
        keys: vec![],
    };
    let create = |dir: PathBuf, change: &dyn Fn(&mut Member)| {
        let mut founder = founder.clone();
        change(&mut founder);
        init::init(&init::InitRequest { dir, name: "C".into(), founder, at: at() }).map(|_| ())
    };
    let fresh = f.root.join("fresh");
    invalid("a folder that is not empty", create(f.repo.clone(), &|_| {}), Input::Folder);
    invalid("a founder id", create(fresh.clone(), &|m| m.id = "Ada L".into()), Input::Member);
    invalid("an organisation id", create(fresh.clone(), &|m| m.org = "B S C".into()), Input::Organisation);
    assert!(!fresh.exists(), "nothing was created");

    invalid("an empty URL", clone::clone("", &fresh).map(|_| ()), Input::Url);
    invalid("a URL like a flag", clone::clone("-u", &fresh).map(|_| ()), Input::Url);
    let nowhere = f.root.join("no-such-remote").display().to_string();
    invalid("a URL with no record", clone::clone(&nowhere, &fresh).map(|_| ()), Input::Url);
    invalid("a clone into a full folder", clone::clone(&nowhere, &f.repo).map(|_| ()), Input::Folder);

    let gov = Governance::open(&f.repo).unwrap();
    let head = gov.head().unwrap();
    let tree = gov.tree_of(head).unwrap();
    let fw = Framework::load(gov.repo(), &tree).unwrap();
    let search = Index::query(&gov, &mut Silent, |i| i.search(" * ", 10));
    invalid("a search with no words", search, Input::Query);
    let doc = |kind: &str, id: &str| gatehouse::views::documents::document(gov.repo(), head, &fw, kind, id);
    invalid("a document kind", doc("proposal", "safety"), Input::Document);
    invalid("a document id", doc("policy", "Safety Policy"), Input::Document);
    let detail = gatehouse::views::model::model_detail(gov.repo(), &tree, "", &fw, "Switch C", &Default::default());
    invalid("a model id", detail, Input::Model);
    let key = signing::find_key(&gov, "Nobody", &KeyRequest::default()).map(|k| k.is_some());
    invalid("a member id for the key", key, Input::Member);
}

#[test]
fn a_key_that_cannot_be_read_says_so_without_a_metavariable() {
    let f = Fixture::empty();
    let pem = f.root.join("id_rsa");
    std::fs::write(&pem, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n").unwrap();
    let e = signing::load(&pem.display().to_string(), KeyOrigin::Explicit).err().expect("a PEM key is refused");
    assert_plain("a PEM private key", &e, ErrorCode::KeyUnreadable, Input::Key);
    assert!(e.to_string().contains(&format!("ssh-keygen -p -f {}", pem.display())), "says how to convert it: {e}");
}
