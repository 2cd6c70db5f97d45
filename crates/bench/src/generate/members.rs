//! The synthetic consortium's members: who they are, their organisations and roles, and
//! their keys.

use std::path::{Path, PathBuf};

use gatehouse::consortium::Member;
use ssh_key::private::{Ed25519Keypair, KeypairData};
use ssh_key::PrivateKey;

pub(super) const ORGS: &[&str] = &["argonne", "riken", "bsc", "cscs", "jsc", "ornl"];
pub(super) const PEOPLE: &[(&str, &str)] = &[
    ("Rosa", "Vance"),
    ("Tunde", "Okafor"),
    ("Priya", "Raman"),
    ("Owen", "Marsh"),
    ("Hiroshi", "Sato"),
    ("Mei", "Tanaka"),
    ("Kenji", "Mori"),
    ("Yuki", "Ito"),
    ("Lucia", "Garcia"),
    ("Jordi", "Ferrer"),
    ("Marta", "Puig"),
    ("Pau", "Soler"),
    ("Anna", "Keller"),
    ("Nico", "Brunner"),
    ("Lea", "Meier"),
    ("Jonas", "Frei"),
    ("Sabine", "Wolf"),
    ("Lukas", "Becker"),
    ("Eva", "Schulz"),
    ("Felix", "Krause"),
    ("Grace", "Hopper"),
    ("Dan", "Reed"),
    ("Maya", "Chen"),
    ("Sam", "Ortiz"),
];
/// Member `id`'s demo key in the repository at `dir` (a sample repository's place for it).
pub(super) fn key_file(dir: &Path, id: &str) -> PathBuf {
    gatehouse::keys::demo_key_path(&dir.join(".git").join("gatehouse"), id)
}

/// A member's Ed25519 key, derived from a fixed seed (the member's number): the same on every
/// run, and worthless as a secret. Only for this synthetic history.
pub(super) fn member_key(n: usize, email: &str) -> PrivateKey {
    let mut seed = [0u8; 32];
    let tag = b"gatehouse-bench member key";
    seed[..tag.len()].copy_from_slice(tag);
    seed[31] = n as u8;
    let mut key = PrivateKey::new(KeypairData::Ed25519(Ed25519Keypair::from_seed(&seed)), email)
        .expect("an Ed25519 key from a seed");
    key.set_comment(email);
    key
}

/// 24 members, 4 in each of 6 organisations. Each organisation's four members hold the eight
/// reviewer roles between them (two each, rotated by organisation), so every role has one
/// holder in every organisation: any gate can be signed by 3 members of 3 organisations
/// other than the model's. Everyone is a voting member.
pub(super) fn members() -> Vec<Member> {
    let reviewer_roles: Vec<&str> =
        gatehouse::framework::ROLES.iter().map(|(r, _)| *r).filter(|r| *r != "voting-member").collect();
    let n = reviewer_roles.len();
    let per_org = PEOPLE.len() / ORGS.len();
    let mut out = Vec::new();
    for (o, org) in ORGS.iter().enumerate() {
        for j in 0..per_org {
            let (first, last) = PEOPLE[o * per_org + j];
            let id = format!("{}{}", first[..1].to_ascii_lowercase(), last.to_ascii_lowercase());
            let mut roles = vec!["voting-member".to_string()];
            for r in 0..n / per_org {
                roles.push(reviewer_roles[(j * (n / per_org) + r + o) % n].to_string());
            }
            let email = format!("{id}@{org}.example.org");
            let key = member_key(out.len(), &email).public_key().to_openssh().expect("an OpenSSH public key");
            out.push(Member {
                email,
                id,
                name: format!("{first} {last}"),
                org: org.to_string(),
                roles,
                keys: vec![key],
            });
        }
    }
    out
}
