//! Charts as inline SVG, for the HTML and PDF reports.
//!
//! Plain SVG 1.1 with presentation attributes only (no CSS, no script, no `foreignObject`, no
//! outside reference): the HTML report inlines it, and the PDF renderer hands it to typst,
//! whose SVG reader knows no more than that. Every number is an integer, so the bytes depend on
//! the counts and titles alone.

use std::fmt::Write as _;

use super::html::text;
use super::GateCount;

/// The chart's fonts: the first ones every platform (and typst's bundled fonts) has.
pub(crate) const FONT: &str = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";
const FONT_SIZE: u32 = 12;
pub(crate) const PAD: u32 = 16;
/// Between a label's end and its bar, and between a bar's end and its count.
pub(crate) const GAP: u32 = 10;
const BAR_AREA: u32 = 420;
const ROW: u32 = 30;
const BAR: u32 = 18;

pub(crate) const INK: &str = "#1a1e26";
pub(crate) const MUTED: &str = "#626a79";
const TRACK: &str = "#eef0f4";
const AXIS: &str = "#c9ced8";
const GATE_FILL: &str = "#3a4bbf";
const RELEASED_FILL: &str = "#1c7240";

/// A horizontal bar chart of how many models wait at each gate (and past every gate): one
/// `<svg>` element with its own size, fonts and colours, no script and no outside reference.
pub fn models_by_gate(counts: &[GateCount]) -> String {
    let label_w = counts.iter().map(|c| text_width(&c.title)).max().unwrap_or(0).max(60);
    let count_w = counts.iter().map(|c| text_width(&c.models.to_string())).max().unwrap_or(7);
    let bar_x = PAD + label_w + GAP;
    let width = bar_x + BAR_AREA + GAP + count_w + PAD;
    let rows = counts.len().max(1) as u32;
    let height = PAD + rows * ROW + PAD;
    let max = counts.iter().map(|c| c.models).max().unwrap_or(0);
    let total: u64 = counts.iter().map(|c| u64::from(c.models)).sum();

    let mut title = format!("Models by gate ({total} models)");
    for c in counts {
        let _ = write!(title, "; {}: {}", c.title, c.models);
    }

    let mut out = String::with_capacity(600 + counts.len() * 420);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"{FONT}\" font-size=\"{FONT_SIZE}\">"
    );
    let _ = writeln!(out, "<title>{}</title>", text(&title));
    let _ = writeln!(out, "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
    if counts.is_empty() {
        let _ =
            writeln!(out, "<text x=\"{PAD}\" y=\"{}\" fill=\"{MUTED}\">No gates to chart.</text>", PAD + ROW / 2 + 4);
    }
    let geometry = Bars { bar_x, area: BAR_AREA, row: ROW, bar: BAR };
    for (i, c) in counts.iter().enumerate() {
        let fill = if c.gate == "released" { RELEASED_FILL } else { GATE_FILL };
        let value = c.models.to_string();
        let row = BarRow { label: &c.title, width: bar_width(c.models, max), fill, value: &value, bold: true };
        bar_row(&mut out, &geometry, PAD + i as u32 * ROW, &row);
    }
    let _ = writeln!(
        out,
        "<line x1=\"{bar_x}\" y1=\"{}\" x2=\"{bar_x}\" y2=\"{}\" stroke=\"{AXIS}\" stroke-width=\"1\"/>",
        PAD - 4,
        height - PAD + 4
    );
    out.push_str("</svg>");
    out
}

/// Where a chart's bars go: the x of every bar's start, the track's full length, and the
/// height of a row and of a bar in it.
pub(crate) struct Bars {
    pub bar_x: u32,
    pub area: u32,
    pub row: u32,
    pub bar: u32,
}

/// One row of a horizontal bar chart: its label (right-aligned before the bar), the bar's
/// length and colour, and the value written after the bar. `label` and `value` are escaped
/// here (they may come from a card).
pub(crate) struct BarRow<'a> {
    pub label: &'a str,
    pub width: u32,
    pub fill: &'a str,
    pub value: &'a str,
    /// The gate chart sets its counts in bold; the comparison its values in regular weight.
    pub bold: bool,
}

/// Writes one row at `top`: the label, the full-length track, the bar (none for a width of
/// 0), and the value just past the bar's end.
pub(crate) fn bar_row(out: &mut String, at: &Bars, top: u32, row: &BarRow) {
    let bar_x = at.bar_x;
    let (area, bar) = (at.area, at.bar);
    let bar_y = top + (at.row - at.bar) / 2;
    // The baseline that centres 12 px digits and capitals on the bar.
    let text_y = top + at.row / 2 + 4;
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{text_y}\" text-anchor=\"end\" fill=\"{INK}\">{}</text>",
        bar_x - GAP,
        text(row.label)
    );
    let _ = writeln!(
        out,
        "<rect x=\"{bar_x}\" y=\"{bar_y}\" width=\"{area}\" height=\"{bar}\" rx=\"3\" fill=\"{TRACK}\"/>"
    );
    if row.width > 0 {
        let _ = writeln!(
            out,
            "<rect x=\"{bar_x}\" y=\"{bar_y}\" width=\"{}\" height=\"{bar}\" rx=\"3\" fill=\"{}\"/>",
            row.width, row.fill
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{text_y}\"{} fill=\"{INK}\">{}</text>",
        bar_x + row.width + GAP / 2 + 2,
        if row.bold { " font-weight=\"bold\"" } else { "" },
        text(row.value)
    );
}

/// A bar's length: proportional to the largest count, and at least 3 px for a count above 0 so
/// that one model never looks like none.
fn bar_width(count: u32, max: u32) -> u32 {
    if count == 0 || max == 0 {
        return 0;
    }
    let w = (u64::from(count) * u64::from(BAR_AREA) + u64::from(max) / 2) / u64::from(max);
    (w as u32).max(3)
}

/// How wide `s` sets at 12 px in a common sans-serif, erring wide (DejaVu Sans, the widest of
/// the usual fonts, averages about 7 px a letter at 12 px), so that the label column always holds
/// the longest title: a label is never cut off; the chart grows instead.
pub(crate) fn text_width(s: &str) -> u32 {
    let tenths: u32 = s
        .chars()
        .map(|c| match c {
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 120,
            'A'..='Z' => 90,
            c if c.is_ascii() => 75,
            // CJK and other wide scripts take a full em and a little more.
            _ => 130,
        })
        .sum();
    tenths.div_ceil(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(gate: &str, title: &str, models: u32) -> GateCount {
        GateCount { gate: gate.into(), title: title.into(), models }
    }

    #[test]
    fn the_label_column_holds_the_longest_title() {
        let short = models_by_gate(&[count("a", "Intake", 1)]);
        let long = models_by_gate(&[count("a", "Intake", 1), count("b", &"Data provenance ".repeat(6), 2)]);
        let width = |svg: &str| -> u32 {
            let at = svg.find("width=\"").unwrap() + 7;
            svg[at..].split('"').next().unwrap().parse().unwrap()
        };
        // A longer title widens the chart by at least its extra length at 7 px a character.
        assert!(width(&long) >= width(&short) + 7 * (96 - 6) - 60, "{} vs {}", width(&long), width(&short));
    }

    #[test]
    fn the_largest_count_fills_the_bar_area_and_one_is_visible() {
        assert_eq!(bar_width(10, 10), BAR_AREA);
        assert_eq!(bar_width(0, 10), 0);
        assert!(bar_width(1, 1000) >= 3);
    }

    #[test]
    fn titles_are_escaped_and_the_output_is_deterministic() {
        let counts = [count("x", "<script>alert(1)</script> & \u{202e}", 3), count("released", "Released", 0)];
        let svg = models_by_gate(&counts);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert_eq!(svg, models_by_gate(&counts));
    }
}
