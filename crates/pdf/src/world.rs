//! The smallest `typst::World` a report needs: one main source made from the report, the fonts
//! that ship inside `typst-assets`, a few in-memory files, and a fixed date. Nothing is read
//! from the machine (no file system, no system fonts, no clock, no package download), so the
//! same report gives the same PDF anywhere, and markup could reach nothing even if some got in.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The embedded fonts, parsed once per process: Libertinus Serif for text, DejaVu Sans Mono for
/// ids and hashes, and the rest of typst's bundled set for fallback.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// The standard library without inputs: the document gets its data through its source and
/// the files below, never through `sys.inputs`.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Whether some embedded font has a glyph for `c`. typst falls back across every font in the
/// book, so a character any of them covers is drawn; one none covers would be drawn as
/// `.notdef`, which PDF/A forbids.
pub fn covered(c: char) -> bool {
    c.is_ascii_graphic() || c == ' ' || FONTS.fonts.iter().any(|f| f.info().coverage.contains(c as u32))
}

/// The id of a file at `path` (absolute, in the project root).
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("the crate's own file names are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

pub struct ReportWorld {
    main: Source,
    files: Vec<(FileId, Bytes)>,
    today: Datetime,
}

impl ReportWorld {
    /// `main` is the document's typst source; `files` the data it may read, by absolute path.
    pub fn new(main: String, files: Vec<(&str, Vec<u8>)>, today: Datetime) -> Self {
        ReportWorld {
            main: Source::new(file_id("/main.typ"), main),
            files: files.into_iter().map(|(path, data)| (file_id(path), Bytes::new(data))).collect(),
            today,
        }
    }
}

impl ReportWorld {
    /// The document's source text, for error messages.
    pub fn main_text(&self) -> &str {
        self.main.text()
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files.iter().find(|(fid, _)| *fid == id).map(|(_, data)| data.clone()).ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// The report's date (its commit's), whatever offset is asked for: a report never shows
    /// the day it was rendered.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    match id.get().root() {
        // Packages are never downloaded: the document imports nothing.
        VirtualRoot::Package(_) => FileError::AccessDenied,
        VirtualRoot::Project => FileError::NotFound(id.get().vpath().get_with_slash().into()),
    }
}
