//! The record as any git client sees it: plain `git log`, `git interpret-trailers` and
//! `git fsck` must read the sample without knowing anything of Gatehouse.

mod common;

use std::collections::BTreeMap;

use common::{signoffs_dir, Fixture, GATES, MEMBERS};

#[test]
fn a_fresh_sample_passes_git_fsck_strict_and_has_a_clean_work_tree() {
    let f = Fixture::sample();
    f.assert_fsck_clean();
    f.assert_worktree_clean();
    assert_eq!(f.git_ok(&["symbolic-ref", "HEAD"]), "refs/heads/main", "the work tree has main checked out");
    let branches = f.git_ok(&["for-each-ref", "--format=%(refname)", "refs/heads"]);
    assert_eq!(
        branches,
        "refs/heads/main\nrefs/heads/proposals/bias-audit-languages\nrefs/heads/proposals/evaluation-three-seeds",
        "the sample has main and the branches of its two proposals"
    );
    let (code, report) = f.verify();
    assert_eq!(code, 0, "the sample verifies clean");
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(0), "no findings on the sample: {report}");
    assert_eq!(report["head"], f.main(), "verify names the commit it checked");
    assert_eq!(
        report["commits_checked"].as_u64(),
        Some(f.all_commits().len() as u64),
        "verify walks every commit of main"
    );
}

#[test]
fn consortium_toml_lists_the_promised_members() {
    let f = Fixture::sample();
    let members = f.members();
    assert_eq!(members.len(), MEMBERS.len(), "eight members");
    for (id, org, roles) in MEMBERS {
        let m = members.iter().find(|m| m.id == *id).unwrap_or_else(|| panic!("{id} is a member"));
        assert_eq!(m.org, *org, "{id}'s organisation");
        assert_eq!(m.email, format!("{id}@{org}.example.org"), "{id}'s email");
        assert_eq!(m.roles, *roles, "{id}'s roles");
    }
    for spec in GATES {
        let (gate, role, quorum, orgs, independent, requires) =
            (spec.id, spec.role, spec.quorum, spec.distinct_orgs, spec.independent, spec.requires);
        let text =
            std::fs::read_to_string(f.repo.join(format!("policies/checklists/{gate}.md"))).expect("checklist file");
        let front = text.split("---").nth(1).expect("front matter");
        assert!(front.contains(&format!("gate: {gate}")), "{gate}.md names its gate");
        assert!(front.contains(&format!("role: {role}")), "{gate} is signed by {role}");
        assert!(front.contains(&format!("quorum: {quorum}")), "{gate}'s quorum is {quorum}");
        assert!(front.contains(&format!("distinct_orgs: {orgs}")), "{gate} needs {orgs} organisation(s)");
        assert!(front.contains(&format!("independent: {independent}")), "{gate}'s independence is {independent}");
        for r in requires {
            assert!(front.contains(r), "{gate} requires {r}");
        }
        assert!(!f.checklist_items(gate).is_empty(), "{gate}'s checklist has items");
    }
}

#[test]
fn git_log_and_interpret_trailers_read_every_action_commit() {
    let f = Fixture::sample();
    let members = f.members();
    // The story is main's first-parent history; the one commit beside it is the accepted
    // proposal's content, which the accept merges.
    let commits: Vec<String> =
        f.git_ok(&["rev-list", "--first-parent", "--reverse", "refs/heads/main"]).lines().map(str::to_string).collect();
    assert_eq!(commits.len(), 50, "the sample's story is 50 action commits");
    assert_eq!(f.all_commits().len(), 51, "and main holds one more: the accepted proposal's content");

    let mut actions: BTreeMap<String, usize> = BTreeMap::new();
    let mut previous_time: Option<i64> = None;
    for (n, c) in commits.iter().enumerate() {
        // Author as git log shows it.
        let line = f.git_ok(&["log", "-1", "--format=%an%x00%ae%x00%at%x00%aI%x00%P", c]);
        let parts: Vec<&str> = line.split('\0').collect();
        let (name, email, time, iso, parents) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
        let member = members
            .iter()
            .find(|m| m.email == email)
            .unwrap_or_else(|| panic!("the author <{email}> of {c} is a consortium member"));
        assert_eq!(member.name, name, "the author name of {c} is the member's name");
        let merge = parents.split_whitespace().count() == 2;
        assert_eq!(
            parents.split_whitespace().count(),
            usize::from(n > 0) + usize::from(merge),
            "the sample's history is linear but for the accept's merge"
        );

        // Trailers as git reads them.
        let trailers = f.trailers(c);
        let get = |k: &str| trailers.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        let action =
            get("Gatehouse-Action").unwrap_or_else(|| panic!("git interpret-trailers reads Gatehouse-Action from {c}"));
        assert_eq!(get("Gatehouse-Member"), Some(member.id.as_str()), "Gatehouse-Member of {c} is the author");
        *actions.entry(action.to_string()).or_default() += 1;
        match action {
            "init" => {
                assert_eq!(n, 0, "init is the root commit");
                assert_eq!(trailers.len(), 2, "init carries only Action and Member");
                let fixed = chrono::DateTime::parse_from_rfc3339("2026-09-01T09:30:00Z").expect("a time").timestamp();
                assert_eq!(
                    time.parse::<i64>().ok(),
                    Some(fixed),
                    "the sample's dates are fixed: it starts at 2026-09-01T09:30:00Z, not {iso}"
                );
            }
            "model" => {
                let model = get("Gatehouse-Model").expect("a model commit names its model");
                assert_eq!(trailers.len(), 3, "model carries Action, Member, Model");
                let changed = f.git_ok(&["show", "--name-only", "--format=", c]);
                assert!(
                    changed.lines().all(|p| p.starts_with(&format!("models/{model}/"))),
                    "a model commit changes only its model's folder: {changed}"
                );
            }
            "signoff" => {
                let model = get("Gatehouse-Model").expect("Gatehouse-Model");
                let gate = get("Gatehouse-Gate").expect("Gatehouse-Gate");
                let decision = get("Gatehouse-Decision").expect("Gatehouse-Decision");
                f.assert_signoff_commit(c, &member.id, model, gate, decision);
                let changed = f.git_ok(&["show", "--name-status", "--format=", c]);
                assert!(
                    changed.starts_with(&format!("A\t{}/{gate}/", signoffs_dir(model)))
                        && changed.ends_with(&format!("-{}.toml", member.id))
                        && changed.lines().count() == 1,
                    "a sign-off commit adds one file at signoffs/<bucket>/<model>/<gate>/<stamp>-<member>.toml: {changed}"
                );
            }
            "propose" | "vote" | "accept" => {
                let proposal = get("Gatehouse-Proposal").expect("Gatehouse-Proposal");
                let subject = get("Gatehouse-Subject").expect("Gatehouse-Subject");
                let changed = f.git_ok(&["diff", "--name-only", &format!("{c}^1"), c]);
                let expected = match action {
                    "propose" => format!("proposals/{proposal}/proposal.md"),
                    "vote" => format!("proposals/{proposal}/votes/{}.toml", member.id),
                    _ => format!("policies/checklists/safety.md\nproposals/{proposal}/outcome.toml"),
                };
                assert_eq!(changed, expected, "{action} {c} changes exactly its files");
                assert_eq!(merge, action == "accept", "only an accept is a merge");
                if merge {
                    assert_eq!(
                        f.git_ok(&["rev-parse", &format!("{c}^2")]),
                        subject,
                        "the accept merges the voted subject"
                    );
                }
            }
            other => panic!("the sample has no {other} commits"),
        }
        let t: i64 = time.parse().expect("author time");
        if let Some(p) = previous_time {
            // The accept waits out the seven-day comment period.
            let step = if action == "accept" { 8 * 86_400 + 90 * 60 } else { 90 * 60 };
            assert_eq!(t - p, step, "the sample's steps are 90 minutes apart, fixed ({action} {c})");
        }
        previous_time = Some(t);
    }
    assert_eq!(actions.get("init"), Some(&1), "one init commit");
    assert_eq!(actions.get("model"), Some(&5), "four registrations and one card update");
    assert_eq!(actions.get("signoff"), Some(&31), "31 sign-offs");
    assert_eq!(actions.get("propose"), Some(&2), "two proposals");
    assert_eq!(actions.get("vote"), Some(&10), "ten votes");
    assert_eq!(actions.get("accept"), Some(&1), "one accepted");
    // Each proposal's content is a plain commit on its branch, cut from main, by its author.
    for (p, author) in [("bias-audit-languages", "lgarcia"), ("evaluation-three-seeds", "akeller")] {
        let tip = format!("refs/heads/proposals/{p}");
        let email = f.git_ok(&["log", "-1", "--format=%ae", &tip]);
        assert_eq!(email, f.member(author).email, "{p}'s content is by its author");
        let base = f.git_ok(&["rev-parse", &format!("{tip}^")]);
        assert!(commits.contains(&base), "{p}'s branch is cut from a commit of main");
    }

    let files = f.git_ok(&["ls-tree", "-r", "--name-only", "refs/heads/main", "signoffs"]);
    assert_eq!(files.lines().count(), 31, "one file per sign-off commit");

    let all_authors = f.git_ok(&["log", "--format=%ae", "refs/heads/main"]);
    for email in all_authors.lines() {
        assert!(
            members.iter().any(|m| m.email == email),
            "git log shows only consortium members as authors, not {email}"
        );
    }
}

#[test]
fn allowed_signers_lists_every_members_key() {
    let f = Fixture::sample();
    let out = f.gh(&["allowed-signers"]).ok().stdout;
    for m in f.members() {
        let line = out
            .lines()
            .find(|l| l.starts_with(&m.email))
            .unwrap_or_else(|| panic!("allowed-signers has a line for {}", m.email));
        assert!(line.contains("ssh-ed25519 "), "{}'s line carries an ssh-ed25519 key: {line}", m.id);
    }
    let file = f.root.join("allowed_signers");
    std::fs::write(&file, &out).expect("write allowed signers");

    // OpenSSH itself checks a signature made with rvance's demo key against the file.
    let payload = f.root.join("payload.txt");
    std::fs::write(&payload, "tree 0000\n").expect("write payload");
    let key = f.repo.join(".git/gatehouse/keys/rvance");
    let ssh_keygen = |args: &[&str], stdin: Option<&std::path::Path>| {
        let mut cmd = std::process::Command::new("ssh-keygen");
        common::hermetic(&mut cmd, &f.home);
        cmd.args(args);
        if let Some(p) = stdin {
            cmd.stdin(std::fs::File::open(p).expect("open payload"));
        }
        common::run(cmd, format!("ssh-keygen {}", args.join(" ")))
    };
    let key_arg = key.display().to_string();
    let payload_arg = payload.display().to_string();
    ssh_keygen(&["-Y", "sign", "-q", "-f", &key_arg, "-n", "git", &payload_arg], None).ok();
    let sig = format!("{payload_arg}.sig");
    let file_arg = file.display().to_string();
    let ok = ssh_keygen(
        &["-Y", "verify", "-f", &file_arg, "-I", "rvance@argonne.example.org", "-n", "git", "-s", &sig],
        Some(&payload),
    );
    assert_eq!(
        ok.code, 0,
        "ssh-keygen accepts rvance's demo-key signature given the allowed-signers file\n{}{}",
        ok.stdout, ok.stderr
    );
    let wrong = ssh_keygen(
        &["-Y", "verify", "-f", &file_arg, "-I", "tokafor@argonne.example.org", "-n", "git", "-s", &sig],
        Some(&payload),
    );
    assert_ne!(wrong.code, 0, "the same signature must not verify as another member's");
}
