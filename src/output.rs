//! Terminal output: colour when the terminal wants it, aligned tables, JSON, progress bars,
//! and errors as `error: ...` with the exit code docs/format.md gives.

use std::io::IsTerminal;
use std::process::ExitCode;

use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};
use gatehouse::checklist_versions::{short, ChecklistVersion};
use gatehouse::render::strip_controls;
use gatehouse::rules::GateState;
use indicatif::{ProgressBar, ProgressStyle};
use owo_colors::OwoColorize;

use crate::flags::Flags;

pub struct Output {
    pub json: bool,
    pub color: bool,
    pub interactive: bool,
}

impl Output {
    pub fn new(json: bool, always: bool, never: bool) -> Output {
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = !json && !never && (always || (tty && !no_color));
        Output { json, color, interactive: std::io::stderr().is_terminal() && !json }
    }

    pub fn table(&self, header: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::NOTHING).set_content_arrangement(ContentArrangement::Dynamic);
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t.set_header(header.iter().map(|h| Cell::new(h).add_attribute(Attribute::Bold)));
        t
    }

    /// Prints a table without the padding comfy-table leaves at the end of lines.
    pub fn print_table(&self, table: &Table) {
        for line in table.lines() {
            println!("{}", line.trim_end());
        }
    }

    pub fn print_json<T: serde::Serialize>(&self, value: &T) -> anyhow::Result<ExitCode> {
        println!("{}", serde_json::to_string_pretty(value)?);
        Ok(ExitCode::SUCCESS)
    }

    pub fn bold(&self, s: &str) -> String {
        if self.color {
            s.bold().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn dim(&self, s: &str) -> String {
        if self.color {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn green(&self, s: &str) -> String {
        if self.color {
            s.green().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn red(&self, s: &str) -> String {
        if self.color {
            s.red().to_string()
        } else {
            s.to_string()
        }
    }

    pub fn yellow(&self, s: &str) -> String {
        if self.color {
            s.yellow().to_string()
        } else {
            s.to_string()
        }
    }

    /// A gate state as a table cell: symbol, words and colour, so colour is never the only cue.
    pub fn state_cell(&self, state: GateState, detail: &str) -> Cell {
        let (symbol, color) = state_look(state);
        let text = if detail.is_empty() { format!("{symbol} {state}") } else { format!("{symbol} {state} {detail}") };
        let cell = Cell::new(text);
        if self.color {
            cell.fg(color)
        } else {
            cell
        }
    }

    /// Prints the error, naming inputs by this command's `flags`, and returns the exit code:
    /// 1 for refusals, 2 for everything else.
    pub fn error(&self, e: &anyhow::Error, flags: Flags) -> ExitCode {
        let lib = e.downcast_ref::<gatehouse::Error>();
        let code = lib.map(|l| l.code().as_str()).unwrap_or("error");
        let refused = lib.is_some_and(|l| l.is_refusal());
        // The library's errors already name what is at fault; their sources would repeat it.
        let msg = match lib {
            Some(lib) => flags.message(lib),
            None => format!("{e:#}"),
        };
        if self.json {
            println!("{}", serde_json::json!({ "error": { "code": code, "message": msg } }));
        }
        eprintln!("error: {msg}");
        if refused {
            ExitCode::from(1)
        } else {
            ExitCode::from(2)
        }
    }
}

pub fn state_look(state: GateState) -> (&'static str, Color) {
    match state {
        GateState::Passed => ("✓", Color::Green),
        GateState::InReview => ("◐", Color::Yellow),
        GateState::ChangesRequested => ("✎", Color::Magenta),
        GateState::Rejected => ("✗", Color::Red),
        GateState::Open => ("○", Color::Cyan),
        GateState::Locked => ("·", Color::DarkGrey),
    }
}

/// A terminal progress bar for the library's long work; invisible when stderr is not a terminal.
pub struct Bar {
    bar: Option<ProgressBar>,
    enabled: bool,
}

impl Bar {
    pub fn new(out: &Output) -> Bar {
        Bar { bar: None, enabled: out.interactive }
    }
}

impl gatehouse::progress::Progress for Bar {
    fn begin(&mut self, what: &str, total: u64) {
        // Short work finishes before a bar is worth drawing; work of unknown length (total 0,
        // such as walking history) gets a counter instead of a bar.
        if !self.enabled || (total > 0 && total < 500) {
            return;
        }
        let (bar, template) = if total == 0 {
            (ProgressBar::new_spinner(), "{spinner} {msg:>20} {pos}")
        } else {
            (ProgressBar::new(total), "{msg:>20} [{bar:40.cyan/blue}] {pos}/{len} ({eta})")
        };
        bar.set_style(ProgressStyle::with_template(template).expect("a valid template").progress_chars("=> "));
        bar.set_message(what.to_string());
        self.bar = Some(bar);
    }

    fn advance(&mut self, steps: u64) {
        if let Some(b) = &self.bar {
            b.inc(steps);
        }
    }

    fn end(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// Parameter counts as people say them: 1.6T, 200B, 1.4B.
pub fn human_count(n: u64) -> String {
    let (value, unit) = match n {
        n if n >= 1_000_000_000_000 => (n as f64 / 1e12, "T"),
        n if n >= 1_000_000_000 => (n as f64 / 1e9, "B"),
        n if n >= 1_000_000 => (n as f64 / 1e6, "M"),
        n => return n.to_string(),
    };
    let s = format!("{value:.1}");
    format!("{}{unit}", s.strip_suffix(".0").unwrap_or(&s))
}

/// The marker of approvals made against an older version of a gate's checklist, as `status`
/// and `show model` print it after a gate's approvals: `±n`.
pub const OLDER_CHECKLIST: &str = "±";

/// Who approved against one older checklist version: their member ids, comma-separated.
pub fn older_approvers(v: &ChecklistVersion) -> String {
    v.approvals.iter().map(|a| strip_controls(&a.member)).collect::<Vec<_>>().join(", ")
}

/// What changed in a checklist since version `v`, on one line, by item id: `checklist
/// 514a4c4c44: added x; removed y; reworded z`, or why the version cannot be compared.
pub fn checklist_change(v: &ChecklistVersion) -> String {
    if let Some(problem) = &v.problem {
        return strip_controls(problem);
    }
    let ids = |what: &str, ids: Vec<&str>| (!ids.is_empty()).then(|| format!("{what} {}", ids.join(", ")));
    let parts: Vec<String> = [
        ids("added", v.added.iter().map(|i| i.id.as_str()).collect()),
        ids("removed", v.removed.iter().map(|i| i.id.as_str()).collect()),
        ids("reworded", v.reworded.iter().map(|i| i.id.as_str()).collect()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let change = if parts.is_empty() { "no item changed".to_string() } else { parts.join("; ") };
    format!("checklist {}: {change}", short(&v.checklist))
}
