//! Writing the unsigned scaffold of the history as a `git fast-import` stream.

use std::io::Write;

use anyhow::Result;
use gatehouse::consortium::Member;

use super::STEP;

/// The ref fast-import writes the unsigned scaffold to; deleted once `main` is made.
pub(super) const SCAFFOLD: &str = "refs/gatehouse-bench/unsigned";

/// A fast-import stream writer.
pub(super) struct Stream<W: Write> {
    pub out: W,
    pub mark: usize,
    pub clock: i64,
}

impl<W: Write> Stream<W> {
    pub fn commit(&mut self, who: &Member, msg: &str, files: &[(String, &[u8])]) -> Result<()> {
        self.mark += 1;
        let ident = format!("{} <{}> {} +0000", who.name, who.email, self.clock);
        self.clock += STEP;
        write!(
            self.out,
            "commit {SCAFFOLD}\nmark :{}\nauthor {ident}\ncommitter {ident}\ndata {}\n{msg}\n",
            self.mark,
            msg.len()
        )?;
        if self.mark > 1 {
            writeln!(self.out, "from :{}", self.mark - 1)?;
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
