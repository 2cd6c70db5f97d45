//! SSH signatures on commits, in git's own format: the `gpgsig` header holds an `SSHSIG`
//! armored signature over the commit without that header, in the `git` namespace, exactly as
//! `git commit -S` with `gpg.format=ssh` writes it, so plain `git verify-commit` accepts it.
//!
//! The library reads no environment: front ends say which key was asked for, where the
//! ssh-agent listens and what passphrase the user gave.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use git2::{Oid, Repository};
use serde::Serialize;
use ssh_key::public::KeyData;
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use zeroize::Zeroizing;

use crate::consortium::{Consortium, Member};
use crate::error::{Error, Input, Result, SigningProblem};
use crate::repo::Governance;
use crate::write::CommitSigner;

/// git signs commits in this namespace (`ssh-keygen -Y sign -n git`).
pub const NAMESPACE: &str = "git";
/// The hash git asks ssh-keygen for.
const HASH: HashAlg = HashAlg::Sha512;

/// A key that can sign: a private key in memory, or one held by a running ssh-agent.
pub enum Signer {
    Key(Box<PrivateKey>),
    Agent { socket: PathBuf, public: PublicKey },
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        write!(f, "Signer({})", fingerprint(self.public_key()))
    }
}

impl Signer {
    pub fn from_private(key: PrivateKey) -> Self {
        Signer::Key(Box::new(key))
    }
}

impl CommitSigner for Signer {
    fn public_key(&self) -> &PublicKey {
        match self {
            Signer::Key(k) => k.public_key(),
            Signer::Agent { public, .. } => public,
        }
    }

    fn sign(&self, commit_buffer: &[u8]) -> Result<String> {
        let sig = match self {
            Signer::Key(key) => key.sign(NAMESPACE, HASH, commit_buffer).map_err(|e| {
                Error::signing(
                    SigningProblem::KeyUnusable,
                    format!("cannot sign with {}: {e}", fingerprint(key.public_key())),
                )
            })?,
            Signer::Agent { socket, public } => {
                let data = SshSig::signed_data(NAMESPACE, HASH, commit_buffer)
                    .map_err(|e| Error::signing(SigningProblem::KeyUnusable, e.to_string()))?;
                let agent_error = |e: ssh_agent_client_rs::Error| {
                    Error::signing(
                        SigningProblem::AgentUnavailable,
                        format!("the ssh-agent at {} did not sign with {}: {e}", socket.display(), fingerprint(public)),
                    )
                };
                let mut client = ssh_agent_client_rs::Client::connect(socket).map_err(agent_error)?;
                let signature = client.sign(public, &data).map_err(agent_error)?;
                SshSig::new(public.key_data().clone(), NAMESPACE, HASH, signature)
                    .map_err(|e| Error::signing(SigningProblem::KeyUnusable, e.to_string()))?
            }
        };
        let pem = sig.to_pem(LineEnding::LF).map_err(|e| Error::signing(SigningProblem::KeyUnusable, e.to_string()))?;
        // git writes the armor without a final newline; a trailing one would add a blank
        // continuation line to the `gpgsig` header.
        Ok(pem.trim_end_matches('\n').to_string())
    }
}

/// `SHA256:...`, as `ssh-keygen -l` prints a key.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// What the front end knows about the key to sign with.
#[derive(Debug, Default, Clone)]
pub struct KeyRequest {
    /// The key the user named (the CLI's `--key`, `$GATEHOUSE_SIGNING_KEY`): a key file (private,
    /// or public for a key held by the agent), or `key::<public key>` as git's `user.signingkey`
    /// allows.
    pub explicit: Option<String>,
    /// Where the ssh-agent listens (`$SSH_AUTH_SOCK`).
    pub agent: Option<PathBuf>,
    /// The passphrase of a protected key, when the user gave one.
    pub passphrase: Option<Zeroizing<String>>,
    /// The user's home folder, for `~/` in git's `user.signingkey`.
    pub home: Option<PathBuf>,
}

/// Where a key was found, for messages and the identity screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum KeyOrigin {
    /// `--key`, `$GATEHOUSE_SIGNING_KEY`, or chosen in the app.
    Explicit,
    /// git's `user.signingkey`.
    GitConfig,
    /// The member's demo key in a sample repository.
    DemoKey,
}

/// A key found but not yet unlocked: its public half is known without the passphrase (OpenSSH
/// stores it in the clear), so a form can say who would sign before asking for it.
pub struct FoundKey {
    key: Loaded,
    pub origin: KeyOrigin,
    /// The file, or `key::...` literal, the key came from.
    pub source: String,
}

enum Loaded {
    Private(Box<PrivateKey>),
    /// Only the public key is known: the ssh-agent holds the private one.
    Public(PublicKey),
}

impl FoundKey {
    pub fn public_key(&self) -> &PublicKey {
        match &self.key {
            Loaded::Private(k) => k.public_key(),
            Loaded::Public(k) => k,
        }
    }

    pub fn needs_passphrase(&self) -> bool {
        matches!(&self.key, Loaded::Private(k) if k.is_encrypted())
    }

    pub fn uses_agent(&self) -> bool {
        matches!(self.key, Loaded::Public(_))
    }

    /// A signer, unlocking the key with the request's passphrase or finding it in the agent.
    pub fn signer(self, req: &KeyRequest) -> Result<Signer> {
        match self.key {
            Loaded::Private(key) => unlock(*key, &self.source, req).map(Signer::from_private),
            Loaded::Public(public) => agent_signer(public, req),
        }
    }
}

/// The key `member` signs with: the one asked for, else git's `user.signingkey` (when
/// `gpg.format` is `ssh`), else the member's demo key in a sample repository. `None` when there
/// is no key at all; the action then decides whether unsigned is allowed.
pub fn find_key(gov: &Governance, member: &str, req: &KeyRequest) -> Result<Option<FoundKey>> {
    if let Some(spec) = &req.explicit {
        return load(spec, KeyOrigin::Explicit).map(Some);
    }
    if let Some(spec) = git_signing_key(gov.repo(), req.home.as_deref()) {
        return load(&spec, KeyOrigin::GitConfig).map(Some);
    }
    crate::id::check(Input::Member, member)?;
    let demo = crate::keys::demo_key_path(&gov.data_dir(), member);
    if demo.is_file() {
        return load(&demo.to_string_lossy(), KeyOrigin::DemoKey).map(Some);
    }
    Ok(None)
}

/// `find_key`, unlocked: ready to sign.
pub fn signer_for(gov: &Governance, member: &str, req: &KeyRequest) -> Result<Option<Signer>> {
    find_key(gov, member, req)?.map(|found| found.signer(req)).transpose()
}

/// git's `user.signingkey`, when git would read it as an SSH key.
fn git_signing_key(repo: &Repository, home: Option<&Path>) -> Option<String> {
    let config = repo.config().ok()?;
    let format = config.get_string("gpg.format").unwrap_or_default();
    if format != "ssh" {
        return None;
    }
    let key = config.get_string("user.signingkey").ok()?;
    match (key.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => Some(home.join(rest).to_string_lossy().into_owned()),
        _ => Some(key),
    }
}

/// Loads a key named by a path or a `key::` literal, without unlocking it.
pub fn load(spec: &str, origin: KeyOrigin) -> Result<FoundKey> {
    let unreadable =
        |what: String| Error::signing(SigningProblem::KeyUnreadable, format!("signing key {spec}: {what}"));
    let text = match spec.strip_prefix("key::") {
        Some(literal) => Zeroizing::new(literal.to_string()),
        None => {
            let bytes = std::fs::read(spec).map_err(|e| unreadable(format!("cannot read it: {e}")))?;
            Zeroizing::new(String::from_utf8(bytes).map_err(|_| unreadable("not an OpenSSH key file".into()))?)
        }
    };
    let key = if text.trim_start().starts_with("-----BEGIN OPENSSH PRIVATE KEY-----") {
        let key = PrivateKey::from_openssh(text.as_bytes())
            .map_err(|e| unreadable(format!("not a usable private key: {e}")))?;
        Loaded::Private(Box::new(key))
    } else if text.contains("PRIVATE KEY-----") {
        // Rewriting a key's passphrase (even to the same one) saves it in OpenSSH's format.
        let how = if spec.starts_with("key::") { "the key's file".to_string() } else { spec.to_string() };
        return Err(unreadable(format!("only OpenSSH private keys are read (convert it with ssh-keygen -p -f {how})")));
    } else {
        // A public key: git signs with the matching private key held by the ssh-agent.
        Loaded::Public(
            PublicKey::from_openssh(text.trim()).map_err(|e| unreadable(format!("not an OpenSSH key: {e}")))?,
        )
    };
    Ok(FoundKey { key, origin, source: spec.to_string() })
}

fn unlock(key: PrivateKey, source: &str, req: &KeyRequest) -> Result<PrivateKey> {
    if !key.is_encrypted() {
        return Ok(key);
    }
    let Some(passphrase) = &req.passphrase else {
        return Err(Error::signing(
            SigningProblem::PassphraseRequired,
            format!("signing key {source} is protected by a passphrase"),
        ));
    };
    key.decrypt(passphrase.as_bytes()).map_err(|_| {
        Error::signing(SigningProblem::BadPassphrase, format!("signing key {source}: the passphrase is not this key's"))
    })
}

fn agent_signer(public: PublicKey, req: &KeyRequest) -> Result<Signer> {
    let fp = fingerprint(&public);
    let Some(socket) = &req.agent else {
        return Err(Error::signing(
            SigningProblem::AgentUnavailable,
            format!(
                "the key {fp} is a public key; signing with it needs a running ssh-agent (SSH_AUTH_SOCK is not set)"
            ),
        ));
    };
    let unavailable = |e: String| {
        Error::signing(SigningProblem::AgentUnavailable, format!("the ssh-agent at {}: {e}", socket.display()))
    };
    let mut client = ssh_agent_client_rs::Client::connect(socket).map_err(|e| unavailable(e.to_string()))?;
    let held = client.list_all_identities().map_err(|e| unavailable(e.to_string()))?;
    if !held.iter().any(|identity| <&ssh_key::public::KeyData>::from(identity) == public.key_data()) {
        return Err(unavailable(format!("it does not hold the key {fp} (add it with ssh-add)")));
    }
    Ok(Signer::Agent { socket: socket.clone(), public })
}

/// Whether `key` is one of `member`'s keys in consortium.toml.
pub fn is_members_key(member: &Member, key: &PublicKey) -> bool {
    members_keys(member).contains(key.key_data())
}

/// A commit's signature, as a reviewer needs to know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum SignatureStatus {
    /// Signed by one of the member's keys, and the signature matches the commit.
    Valid {
        fingerprint: String,
    },
    Unsigned,
    /// Signed, but the signature does not hold: the reason says why.
    Invalid {
        reason: String,
    },
}

/// A commit's `gpgsig` header (armored) and the bytes it signs (the commit without it).
pub type SignatureParts = (git2::Buf, git2::Buf);

/// The signature of commit `id` and what it signs, or `None` when the commit is unsigned.
pub fn signature_parts(repo: &Repository, id: Oid) -> Result<Option<SignatureParts>> {
    match repo.extract_signature(&id, None) {
        Ok(pair) => Ok(Some(pair)),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The status of a signature read with `signature_parts`, against `member`'s id and
/// `members_keys` (`None` when the author is nobody).
pub fn status_of_parts(parts: Option<&SignatureParts>, member: Option<(&str, &[KeyData])>) -> SignatureStatus {
    judge_parts(parts, member).into()
}

/// `member`'s keys in consortium.toml, parsed (lines that are no key are left out); a caller
/// checking many commits parses them once.
pub fn members_keys(member: &Member) -> Vec<KeyData> {
    member.keys.iter().filter_map(|line| PublicKey::from_openssh(line).ok()).map(|k| k.key_data().clone()).collect()
}

/// A commit's signature as an auditor distinguishes it: a signature that does not hold is
/// not the same finding as a sound one by a key consortium.toml does not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Good {
        fingerprint: String,
    },
    Unsigned,
    /// Unreadable, for another namespace, or not matching the commit.
    Bad {
        fingerprint: Option<String>,
        reason: String,
    },
    /// Sound, but by a key that is not one of the member's (or the author is no member).
    KeyNotListed {
        fingerprint: String,
        reason: String,
    },
}

impl From<Judgement> for SignatureStatus {
    fn from(j: Judgement) -> SignatureStatus {
        match j {
            Judgement::Good { fingerprint } => SignatureStatus::Valid { fingerprint },
            Judgement::Unsigned => SignatureStatus::Unsigned,
            Judgement::Bad { reason, .. } | Judgement::KeyNotListed { reason, .. } => {
                SignatureStatus::Invalid { reason }
            }
        }
    }
}

/// Judges a signature read with `signature_parts`, as `status_of_parts` does.
pub fn judge_parts(parts: Option<&SignatureParts>, member: Option<(&str, &[KeyData])>) -> Judgement {
    match parts {
        None => Judgement::Unsigned,
        Some((armored, signed)) => check_signature_by(armored, signed, member),
    }
}

/// Checks an armored signature over `signed` (the commit without its `gpgsig` header).
fn check_signature_by(armored: &[u8], signed: &[u8], member: Option<(&str, &[KeyData])>) -> Judgement {
    let Ok(sig) = SshSig::from_pem(armored) else {
        return Judgement::Bad { fingerprint: None, reason: "the signature is not an SSH signature".into() };
    };
    let public = PublicKey::new(sig.public_key().clone(), "");
    let fp = fingerprint(&public);
    if sig.namespace() != NAMESPACE {
        return Judgement::Bad {
            fingerprint: Some(fp),
            reason: format!("the signature is for namespace {:?}, not git's", sig.namespace()),
        };
    }
    if public.verify(NAMESPACE, signed, &sig).is_err() {
        let reason = format!("the signature by {fp} does not match the commit");
        return Judgement::Bad { fingerprint: Some(fp), reason };
    }
    match member {
        None => {
            let reason = format!("signed by {fp}, but the author is not a member");
            Judgement::KeyNotListed { fingerprint: fp, reason }
        }
        Some((id, keys)) if !keys.iter().any(|k| k == public.key_data()) => {
            let reason = format!("signed by {fp}, which is not one of {id}'s keys in consortium.toml");
            Judgement::KeyNotListed { fingerprint: fp, reason }
        }
        Some(_) => Judgement::Good { fingerprint: fp },
    }
}

/// The signature status of commit `id` as `verify` judges it: against the keys its member
/// (`Gatehouse-Member`, else the author's email) held in the parent's consortium.toml.
pub fn status_of(repo: &Repository, id: Oid) -> Result<SignatureStatus> {
    judge(repo, id).map(SignatureStatus::from)
}

/// The judgement of commit `id`'s signature, as `status_of` makes it.
pub fn judge(repo: &Repository, id: Oid) -> Result<Judgement> {
    Judge::new(repo).judge(id)
}

/// Judges many commits' signatures, as `judge` does, reading what they share once: a run of
/// sign-off commits has one parent consortium.toml, parsed once per blob, and a commit asked
/// about twice is judged once.
pub struct Judge<'r> {
    repo: &'r Repository,
    consortia: HashMap<Oid, Rc<Consortium>>,
    judged: HashMap<Oid, Judgement>,
}

impl<'r> Judge<'r> {
    pub fn new(repo: &'r Repository) -> Self {
        Judge { repo, consortia: HashMap::new(), judged: HashMap::new() }
    }

    pub fn judge(&mut self, id: Oid) -> Result<Judgement> {
        if let Some(j) = self.judged.get(&id) {
            return Ok(j.clone());
        }
        // The signature first: the parse below then reuses the raw commit from libgit2's cache.
        let signature = signature_parts(self.repo, id)?;
        let commit = self.repo.find_commit(id)?;
        let rules_tree = match commit.parent(0) {
            Ok(parent) => parent.tree()?,
            Err(_) => commit.tree()?,
        };
        let consortium = self.consortium(&rules_tree)?;
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let member = member_of(&consortium, &commit, &crate::trailers::Trailers::parse(&message));
        let keys = member.map(|m| (m.id.as_str(), members_keys(m)));
        let judgement = judge_parts(signature.as_ref(), keys.as_ref().map(|(id, k)| (*id, k.as_slice())));
        self.judged.insert(id, judgement.clone());
        Ok(judgement)
    }

    /// `tree`'s consortium.toml, parsed once per blob.
    fn consortium(&mut self, tree: &git2::Tree) -> Result<Rc<Consortium>> {
        let path = std::path::Path::new(crate::consortium::PATH);
        let Ok(entry) = tree.get_path(path) else {
            // Missing: `load_consortium` says so.
            return Ok(Rc::new(crate::record::load_consortium(self.repo, tree)?));
        };
        if let Some(c) = self.consortia.get(&entry.id()) {
            return Ok(c.clone());
        }
        let c = Rc::new(crate::record::load_consortium(self.repo, tree)?);
        self.consortia.insert(entry.id(), c.clone());
        Ok(c)
    }
}

/// Whose keys a commit's signature must be made with: its `Gatehouse-Member`, else the member
/// whose email is the author's.
pub fn member_of<'c>(
    consortium: &'c crate::consortium::Consortium,
    commit: &git2::Commit,
    trailers: &crate::trailers::Trailers,
) -> Option<&'c Member> {
    let email = String::from_utf8_lossy(commit.author().email_bytes()).into_owned();
    trailers
        .get(crate::trailers::MEMBER)
        .and_then(|m| consortium.member(m))
        .or_else(|| consortium.member_by_email(&email))
}
