//! Hashing artifacts in a folder the caller names on their own disk: the one place the
//! reproducibility check reads outside git. Weights are hundreds of gigabytes, so files are
//! hashed as a stream, never read whole. The folder may have been prepared by someone else
//! (a mounted share, an unpacked release): a symbolic link anywhere on an artifact's path is
//! refused rather than followed, and only regular files are opened (a FIFO would hang).

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Input, Result};

/// Bytes read at a time while hashing.
const CHUNK: usize = 1024 * 1024;

/// What was found at an artifact's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A regular file, with its SHA-256 in lowercase hex.
    Hashed(String),
    Missing,
    /// Not looked for: an artifact kept outside git, and no artifacts folder was given.
    NotChecked,
    /// The path goes through a symbolic link (named) or ends at something that is not a file.
    Refused(String),
}

/// Checks that `folder` is an existing folder, for messages that name it.
pub fn open_folder(folder: &Path) -> Result<PathBuf> {
    let meta =
        std::fs::metadata(folder).map_err(|e| Error::invalid(Input::Folder, format!("{}: {e}", folder.display())))?;
    if !meta.is_dir() {
        return Err(Error::invalid(Input::Folder, format!("{}: not a folder", folder.display())));
    }
    Ok(folder.to_path_buf())
}

/// Hashes `rel` (checked by `manifest::check_path`: relative, no `..`) inside `folder`.
pub fn hash(folder: &Path, rel: &str) -> Result<Found> {
    let mut at = folder.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
            Err(e) => return Err(Error::io(&at, e)),
        };
        if meta.file_type().is_symlink() {
            return Ok(Found::Refused(format!(
                "{} is a symbolic link; links in the artifacts folder are not followed",
                at.display()
            )));
        }
        let last = i + 1 == parts.len();
        if !last && !meta.is_dir() {
            return Ok(Found::Missing);
        }
        if last && !meta.is_file() {
            return Ok(Found::Refused(format!("{} is not a regular file", at.display())));
        }
    }
    let mut file = std::fs::File::open(&at).map_err(|e| Error::io(&at, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(&at, e)),
        };
        hasher.update(&buf[..n]);
    }
    Ok(Found::Hashed(hex::encode(hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_hashed_and_links_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ckpt")).unwrap();
        std::fs::write(dir.path().join("ckpt/a.bin"), b"test").unwrap();
        let expected = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert_eq!(hash(dir.path(), "ckpt/a.bin").unwrap(), Found::Hashed(expected.into()), "SHA-256 of 'test'");
        assert_eq!(hash(dir.path(), "ckpt/b.bin").unwrap(), Found::Missing);
        assert_eq!(hash(dir.path(), "ckpt/a.bin/x").unwrap(), Found::Missing, "a file is not a folder");
        assert!(matches!(hash(dir.path(), "ckpt").unwrap(), Found::Refused(_)), "a folder is not a file");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("a.bin", dir.path().join("ckpt/link.bin")).unwrap();
            std::os::unix::fs::symlink("ckpt", dir.path().join("via")).unwrap();
            assert!(matches!(hash(dir.path(), "ckpt/link.bin").unwrap(), Found::Refused(m) if m.contains("link")));
            assert!(matches!(hash(dir.path(), "via/a.bin").unwrap(), Found::Refused(m) if m.contains("via")));
        }
        assert!(open_folder(&dir.path().join("nowhere")).is_err());
        assert!(open_folder(&dir.path().join("ckpt/a.bin")).is_err());
    }

    #[test]
    fn large_files_are_hashed_in_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..(CHUNK * 2 + 17)).map(|i| (i % 251) as u8).collect();
        std::fs::write(dir.path().join("big"), &data).unwrap();
        assert_eq!(hash(dir.path(), "big").unwrap(), Found::Hashed(hex::encode(Sha256::digest(&data))));
    }
}
