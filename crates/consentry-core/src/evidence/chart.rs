//! Charts as inline SVG, drawn from numbers alone: no script, no style attribute, no external
//! resource, so they render under the strictest Content-Security-Policy and in a file opened
//! offline. Integer arithmetic only, so the same numbers always give the same bytes (the
//! evidence pack's verifier draws the report again and compares).

use alloc::string::String;

use super::html::escape_into as esc;
use crate::json::push_int;

/// One bar: its label (under the bar), its value in per mille (0–1000), and a note printed
/// above it (the count behind the rate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// Label under the bar (a day, a region).
    pub label: String,
    /// Height in per mille of the axis (clamped to 0–1000).
    pub permille: u32,
    /// Short text above the bar.
    pub note: String,
}

const BAR_W: i64 = 44;
const GAP: i64 = 12;
const LEFT: i64 = 48;
const TOP: i64 = 24;
const PLOT_H: i64 = 160;
const BOTTOM: i64 = 40;

fn num(out: &mut String, n: i64) {
    push_int(out, n);
}

/// A bar chart of rates (0–100 %), with a title and a description for assistive technology
/// (`role="img"`, `aria-labelledby`): the numbers themselves are also in the table the report
/// prints next to it. `id` must be unique in the page.
pub fn bars(out: &mut String, id: &str, title: &str, desc: &str, bars: &[Bar]) {
    let n = i64::try_from(bars.len()).unwrap_or(i64::MAX).max(1);
    let width = LEFT + n * (BAR_W + GAP) + GAP;
    let height = TOP + PLOT_H + BOTTOM;
    out.push_str(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ",
    );
    num(out, width);
    out.push(' ');
    num(out, height);
    out.push_str("\" width=\"");
    num(out, width);
    out.push_str("\" height=\"");
    num(out, height);
    out.push_str("\" aria-labelledby=\"");
    esc(out, id);
    out.push_str("-t ");
    esc(out, id);
    out.push_str("-d\"><title id=\"");
    esc(out, id);
    out.push_str("-t\">");
    esc(out, title);
    out.push_str("</title><desc id=\"");
    esc(out, id);
    out.push_str("-d\">");
    esc(out, desc);
    out.push_str("</desc>");
    // Axis and grid at 0, 50 and 100 %.
    for (pct, label) in [(0, "0 %"), (50, "50 %"), (100, "100 %")] {
        let y = TOP + PLOT_H - PLOT_H * pct / 100;
        out.push_str("<line x1=\"");
        num(out, LEFT);
        out.push_str("\" x2=\"");
        num(out, width);
        out.push_str("\" y1=\"");
        num(out, y);
        out.push_str("\" y2=\"");
        num(out, y);
        out.push_str("\" stroke=\"#6b6b6b\" stroke-width=\"1\"/><text x=\"");
        num(out, LEFT - 6);
        out.push_str("\" y=\"");
        num(out, y + 4);
        out.push_str("\" text-anchor=\"end\" font-size=\"11\" fill=\"#1a1a1a\">");
        out.push_str(label);
        out.push_str("</text>");
    }
    for (i, b) in bars.iter().enumerate() {
        let i = i64::try_from(i).unwrap_or(i64::MAX);
        let x = LEFT + GAP + i * (BAR_W + GAP);
        let h = PLOT_H * i64::from(b.permille.min(1000)) / 1000;
        let y = TOP + PLOT_H - h;
        out.push_str("<rect x=\"");
        num(out, x);
        out.push_str("\" y=\"");
        num(out, y);
        out.push_str("\" width=\"");
        num(out, BAR_W);
        out.push_str("\" height=\"");
        num(out, h);
        out.push_str("\" fill=\"#1f5fa8\"/><text x=\"");
        num(out, x + BAR_W / 2);
        out.push_str("\" y=\"");
        num(out, y - 4);
        out.push_str("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1a1a1a\">");
        esc(out, &b.note);
        out.push_str("</text><text x=\"");
        num(out, x + BAR_W / 2);
        out.push_str("\" y=\"");
        num(out, TOP + PLOT_H + 16);
        out.push_str("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#1a1a1a\">");
        esc(out, &b.label);
        out.push_str("</text>");
    }
    out.push_str("</svg>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_axis_and_escape_their_text() {
        let mut s = String::new();
        bars(
            &mut s,
            "c1",
            "Rate <all>",
            "d",
            &[
                Bar {
                    label: "12-01".into(),
                    permille: 500,
                    note: "1/2".into(),
                },
                Bar {
                    label: "a&b".into(),
                    permille: 5000,
                    note: "".into(),
                },
            ],
        );
        assert!(s.contains("<title id=\"c1-t\">Rate &lt;all&gt;</title>"));
        // Half of the plot height; an overlong value is clamped to the whole height.
        assert!(s.contains("height=\"80\" fill"));
        assert!(s.contains("height=\"160\" fill"));
        assert!(s.contains(">a&amp;b<"));
        assert!(!s.contains("style"));
    }
}
