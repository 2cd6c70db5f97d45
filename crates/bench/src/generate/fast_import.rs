//! Writing the unsigned scaffold of the history as a `git fast-import` stream.

use std::io::Write;

use anyhow::Result;
use gatehouse::consortium::Member;

use super::STEP;

/// The ref fast-import writes the unsigned scaffold of `main` to; deleted once `main` is made.
pub(super) const SCAFFOLD: &str = "refs/gatehouse-bench/unsigned";
/// The ref fast-import writes proposals' branch commits to; deleted too.
pub(super) const SCAFFOLD_BRANCH: &str = "refs/gatehouse-bench/unsigned-branch";

/// A fast-import stream writer.
pub(super) struct Stream<W: Write> {
    pub out: W,
    /// The last mark written.
    pub mark: usize,
    /// The mark of `main`'s tip (0 before the first commit).
    pub main: usize,
    /// The time of the next commit.
    pub clock: i64,
}

impl<W: Write> Stream<W> {
    /// A commit on `main`.
    pub fn commit(&mut self, who: &Member, msg: &str, files: &[(String, &[u8])]) -> Result<usize> {
        self.write(SCAFFOLD, who, msg, self.main, None, files)?;
        self.main = self.mark;
        Ok(self.mark)
    }

    /// A merge on `main` of the commit `merge` (an accept).
    pub fn merge(&mut self, who: &Member, msg: &str, merge: usize, files: &[(String, &[u8])]) -> Result<usize> {
        self.write(SCAFFOLD, who, msg, self.main, Some(merge), files)?;
        self.main = self.mark;
        Ok(self.mark)
    }

    /// A commit off `main`'s tip that `main` does not take (a proposal's branch).
    pub fn branch_commit(&mut self, who: &Member, msg: &str, files: &[(String, &[u8])]) -> Result<usize> {
        self.write(SCAFFOLD_BRANCH, who, msg, self.main, None, files)?;
        Ok(self.mark)
    }

    fn write(
        &mut self,
        reference: &str,
        who: &Member,
        msg: &str,
        from: usize,
        merge: Option<usize>,
        files: &[(String, &[u8])],
    ) -> Result<()> {
        self.mark += 1;
        let ident = format!("{} <{}> {} +0000", who.name, who.email, self.clock);
        self.clock += STEP;
        write!(
            self.out,
            "commit {reference}\nmark :{}\nauthor {ident}\ncommitter {ident}\ndata {}\n{msg}\n",
            self.mark,
            msg.len()
        )?;
        if from > 0 {
            writeln!(self.out, "from :{from}")?;
        }
        if let Some(m) = merge {
            writeln!(self.out, "merge :{m}")?;
        }
        for (path, bytes) in files {
            write!(self.out, "M 100644 inline {path}\ndata {}\n", bytes.len())?;
            self.out.write_all(bytes)?;
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(b"\n")?;
        Ok(())
    }
}
