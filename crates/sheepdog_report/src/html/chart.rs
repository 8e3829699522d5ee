//! Bar charts as inline SVG: drawn by the browser from the page itself, no script and no
//! fetch, and readable with styles off (each bar has its count written beside it).

use std::fmt::Write as _;

use super::escape;

/// One bar of a chart.
pub struct Bar {
    pub label: String,
    pub count: usize,
    /// The CSS class that colours it (`sev-high`, `practice`).
    pub class: &'static str,
}

const ROW: usize = 24;
/// Room for the longest bar, and for the count after it.
const SPAN: usize = 220;
const COUNT: usize = 40;

/// A horizontal bar chart, bars scaled to the largest count, with `label_width` pixels
/// for the labels.
pub fn bars(title: &str, label_width: usize, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let height = bars.len() * ROW + 4;
    let width = label_width + SPAN + COUNT;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{title}\"><title>{title}</title>",
        title = escape::text(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i * ROW + 2;
        let length = if bar.count == 0 {
            0
        } else {
            (bar.count * SPAN / max).max(2)
        };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\" class=\"chart-label\">{label}</text><rect x=\"{label_width}\" y=\"{y}\" width=\"{length}\" height=\"{h}\" rx=\"3\" class=\"bar {class}\"></rect><text x=\"{cx}\" y=\"{ty}\" class=\"chart-count\">{count}</text>",
            ty = y + 14,
            label = escape::text(&bar.label),
            h = ROW - 6,
            class = bar.class,
            cx = label_width + length + 6,
            count = bar.count,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::{Bar, bars};

    #[test]
    fn bars_scale_to_the_largest_and_labels_are_escaped() {
        let svg = bars(
            "By <severity>",
            60,
            &[
                Bar {
                    label: "high".into(),
                    count: 4,
                    class: "sev-high",
                },
                Bar {
                    label: "<low>".into(),
                    count: 0,
                    class: "sev-low",
                },
            ],
        );
        assert!(svg.contains("aria-label=\"By &lt;severity&gt;\""), "{svg}");
        assert!(svg.contains("viewBox=\"0 0 320 52\""), "{svg}");
        assert!(
            svg.contains("x=\"60\" y=\"2\" width=\"220\" height=\"18\""),
            "{svg}"
        );
        assert!(svg.contains("width=\"0\" height=\"18\""), "{svg}");
        assert!(svg.contains("&lt;low&gt;</text>"), "{svg}");
    }
}
