//! The app's signing keys: found as the CLI finds them (git's `user.signingkey`, the sample's
//! demo key, `$GATEHOUSE_SIGNING_KEY`), unlocked once per session. A protected key is unlocked
//! with the passphrase the window asks for, and then kept in memory (as ssh-agent would) until
//! the app quits, so the reviewer types it once.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use gatehouse::signing::{self, FoundKey, KeyRequest, Signer};
use gatehouse::Governance;
use zeroize::Zeroizing;

use crate::error::ApiResult;

/// What the process environment says about keys, read once at start.
#[derive(Debug, Default, Clone)]
pub struct KeyEnvironment {
    pub explicit: Option<String>,
    pub agent: Option<PathBuf>,
    pub home: Option<PathBuf>,
}

impl KeyEnvironment {
    pub fn from_process() -> KeyEnvironment {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        KeyEnvironment {
            explicit: var("GATEHOUSE_SIGNING_KEY").map(|v| v.to_string_lossy().into_owned()),
            agent: var("SSH_AUTH_SOCK").map(PathBuf::from),
            home: var("HOME").map(PathBuf::from),
        }
    }

    fn request(&self, passphrase: Option<String>) -> KeyRequest {
        KeyRequest {
            explicit: self.explicit.clone(),
            agent: self.agent.clone(),
            passphrase: passphrase.map(Zeroizing::new),
            home: self.home.clone(),
        }
    }
}

/// Unlocked signers by (repository, member).
#[derive(Default)]
pub struct Keyring {
    env: KeyEnvironment,
    unlocked: Mutex<HashMap<(PathBuf, String), Arc<Signer>>>,
}

impl Keyring {
    pub fn new(env: KeyEnvironment) -> Keyring {
        Keyring { env, unlocked: Mutex::default() }
    }

    /// The key that would sign `member`'s commits, not unlocked (its public half is enough to
    /// say who would sign).
    pub fn find(&self, gov: &Governance, member: &str) -> ApiResult<Option<FoundKey>> {
        Ok(signing::find_key(gov, member, &self.env.request(None))?)
    }

    /// A signer for `member`, unlocking the key with `passphrase` when it needs one; the error
    /// `passphrase-required` tells the window to ask.
    pub fn signer(
        &self,
        gov: &Governance,
        path: &std::path::Path,
        member: &str,
        passphrase: Option<String>,
    ) -> ApiResult<Option<Arc<Signer>>> {
        let key = (path.to_path_buf(), member.to_string());
        if let Some(s) = self.unlocked.lock().expect("no panic holds the keyring").get(&key) {
            return Ok(Some(s.clone()));
        }
        let Some(signer) = signing::signer_for(gov, member, &self.env.request(passphrase))? else {
            return Ok(None);
        };
        let signer = Arc::new(signer);
        self.unlocked.lock().expect("no panic holds the keyring").insert(key, signer.clone());
        Ok(Some(signer))
    }
}
