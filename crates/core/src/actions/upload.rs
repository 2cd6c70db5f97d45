//! Reading a card or an evidence file the caller names on their own disk. The folder a model's
//! files come from may have been prepared by someone else (an unpacked release, a shared
//! drive): a symbolic link in it to `~/.ssh/id_ed25519` must not end up in the shared record,
//! and a FIFO or `/dev/zero` must not hang the command or fill memory.

use std::io::Read;
use std::path::Path;

use crate::actions::model::Upload;
use crate::error::{Error, Input, Malformed, Result};

/// Reads the regular file at `path`, given as `input`, refusing more than `max` bytes and a
/// symbolic link that leads out of the folder the path names. A link within that folder is
/// the caller's own arrangement and is read.
pub fn read_file(input: Input, path: &Path, what: &str, max: usize) -> Result<Upload> {
    let shown = path.display().to_string();
    let invalid = |message: String| Error::invalid(input, format!("{shown}: {message}"));
    let link = std::fs::symlink_metadata(path).map_err(|e| invalid(e.to_string()))?;
    if link.file_type().is_symlink() {
        let target = path.canonicalize().map_err(|_| invalid("a symbolic link to nothing".into()))?;
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let folder = parent.canonicalize().map_err(|e| invalid(e.to_string()))?;
        if !target.starts_with(&folder) {
            return Err(invalid(format!(
                "a symbolic link to {}, outside {}; give the file itself",
                target.display(),
                folder.display()
            )));
        }
    }
    // Checked before opening too: opening a FIFO waits for a writer.
    let regular = |m: std::io::Result<std::fs::Metadata>| match m {
        Ok(m) if m.is_file() => Ok(m),
        Ok(_) => Err(invalid("not a regular file".into())),
        Err(e) => Err(invalid(e.to_string())),
    };
    regular(std::fs::metadata(path))?;
    let file = std::fs::File::open(path).map_err(|e| invalid(e.to_string()))?;
    let meta = regular(file.metadata())?;
    crate::limits::check_size(&shown, what, usize::try_from(meta.len()).unwrap_or(usize::MAX), max)?;
    // The file may grow between the check and the read; never read more than the limit.
    let mut content = Vec::with_capacity(meta.len() as usize);
    file.take(max as u64 + 1).read_to_end(&mut content).map_err(|e| invalid(e.to_string()))?;
    if content.len() > max {
        return Err(Malformed::new(&shown, None, format!("{what} grew past the limit while being read")).into());
    }
    Ok(Upload { source: shown, content })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_and_special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("release");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(dir.path().join("secret"), "key").unwrap();
        std::fs::write(folder.join("report.md"), "# ok").unwrap();
        std::os::unix::fs::symlink("../secret", folder.join("out")).unwrap();
        std::os::unix::fs::symlink("report.md", folder.join("in")).unwrap();
        std::os::unix::fs::symlink("nowhere", folder.join("dangling")).unwrap();

        let e = read_file(Input::Evidence, &folder.join("out"), "the file", 1024).unwrap_err();
        assert_eq!(e.input(), Some(Input::Evidence), "{e}");
        assert!(e.to_string().starts_with("evidence file: ") && e.to_string().contains("outside"), "{e}");
        assert_eq!(read_file(Input::Evidence, &folder.join("in"), "the file", 1024).unwrap().content, b"# ok");
        assert!(read_file(Input::Card, &folder.join("dangling"), "the card", 1024).is_err());
        let e = read_file(Input::Card, &folder, "the card", 1024).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let e = read_file(Input::Card, Path::new("/dev/zero"), "the card", 1024).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let e = read_file(Input::Card, &folder.join("report.md"), "the card", 3).unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::MalformedFile);
        assert!(e.to_string().contains("report.md") && e.to_string().contains("4 bytes"), "{e}");
    }
}
