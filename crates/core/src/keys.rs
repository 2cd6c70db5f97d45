//! SSH keys of members: generating demo keys for the sample, and git's allowed-signers file.

use std::path::{Path, PathBuf};

use ssh_key::{Algorithm, LineEnding, PrivateKey};

use crate::consortium::Consortium;
use crate::error::{Error, Result, SigningProblem};

/// A fresh Ed25519 key pair: (private key in OpenSSH format, public key line).
pub fn generate(comment: &str) -> Result<(String, String)> {
    let mut key = PrivateKey::random(&mut rand_core::OsRng, Algorithm::Ed25519)
        .map_err(|e| Error::signing(SigningProblem::KeyUnusable, format!("cannot generate a key: {e}")))?;
    key.set_comment(comment);
    let unusable = |e: ssh_key::Error| Error::signing(SigningProblem::KeyUnusable, e.to_string());
    let private = key.to_openssh(LineEnding::LF).map_err(unusable)?;
    let public = key.public_key().to_openssh().map_err(unusable)?;
    Ok((private.to_string(), public))
}

/// Where a sample repository keeps a member's demo private key.
pub fn demo_key_path(data_dir: &Path, member: &str) -> PathBuf {
    data_dir.join("keys").join(member)
}

/// Writes a private key readable by its owner only, as ssh requires.
pub fn write_private(path: &Path, private: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(path, private).map_err(|e| Error::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// git's allowed-signers file (`gpg.ssh.allowedSignersFile`): one line per member key, the
/// member's email as principal, limited to the `git` namespace.
pub fn allowed_signers(consortium: &Consortium) -> String {
    let mut out = String::new();
    for m in &consortium.members {
        for key in &m.keys {
            let mut parts = key.split_whitespace();
            if let (Some(kind), Some(data)) = (parts.next(), parts.next()) {
                out.push_str(&format!("{} namespaces=\"git\" {kind} {data}\n", m.email));
            }
        }
    }
    out
}
