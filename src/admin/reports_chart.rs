//! Bar charts as SVG (plotters' SVG backend, no fonts needed: the SVG names a
//! font family and the browser draws the text). Every chart is served as an
//! image with a text alternative, and its numbers are in the table beside it.

use plotters::prelude::*;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 320;
/// The program's teal, dark enough for 3:1 against white (WCAG 1.4.11).
const BAR: RGBColor = RGBColor(0x0b, 0x5e, 0x5e);

/// One bar per `(label, value)`, in order; `x_title` and `y_title` name the axes.
pub fn bars(x_title: &str, y_title: &str, data: &[(String, u64)]) -> String {
    let mut svg = String::new();
    // Drawing into a String fails only on a layout the numbers cannot make;
    // an empty image then, and the table beside it still says everything.
    let _ = draw(&mut svg, x_title, y_title, data);
    svg
}

fn draw(
    svg: &mut String,
    x_title: &str,
    y_title: &str,
    data: &[(String, u64)],
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let n = data.len().max(1) as f64;
    let top = data.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64 * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(52)
        .build_cartesian_2d(-0.5f64..n - 0.5, 0f64..top)?;
    let label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        data.get(i as usize).map(|(l, _)| l.clone()).unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(data.len().max(1))
        .x_label_formatter(&label)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc(x_title)
        .y_desc(y_title)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()?;
    chart.draw_series(data.iter().enumerate().map(|(i, (_, v))| {
        let x = i as f64;
        Rectangle::new([(x - 0.35, 0.0), (x + 0.35, *v as f64)], BAR.filled())
    }))?;
    root.present()?;
    Ok(())
}

/// Dark enough for 3:1 against white (WCAG 1.4.11) and apart from each other;
/// a white edge between stacked parts keeps neighbours distinct.
const PALETTE: [RGBColor; 7] = [
    BAR,
    RGBColor(0x1f, 0x4e, 0x9c),
    RGBColor(0x8a, 0x3b, 0x12),
    RGBColor(0x6b, 0x2c, 0x91),
    RGBColor(0x2e, 0x6b, 0x1f),
    RGBColor(0xa3, 0x14, 0x2f),
    RGBColor(0x4a, 0x4a, 0x4a),
];

/// Several series over the same `labels`: stacked in one bar, or side by side.
/// A legend in the image names each series' colour (the table says the same).
pub fn series(x_title: &str, y_title: &str, labels: &[String], series: &[(String, Vec<u64>)], stacked: bool) -> String {
    let mut svg = String::new();
    let _ = draw_series(&mut svg, x_title, y_title, labels, series, stacked);
    svg
}

fn draw_series(
    svg: &mut String,
    x_title: &str,
    y_title: &str,
    labels: &[String],
    series: &[(String, Vec<u64>)],
    stacked: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT + 24 * series.len().div_ceil(3) as u32)).into_drawing_area();
    root.fill(&WHITE)?;
    let (legend, plot) = root.split_vertically(24 * series.len().div_ceil(3) as u32);
    for (i, (name, _)) in series.iter().enumerate() {
        let (x, y) = (12 + 236 * (i % 3) as i32, 6 + 24 * (i / 3) as i32);
        let colour = PALETTE[i % PALETTE.len()];
        legend.draw(&Rectangle::new([(x, y), (x + 14, y + 14)], colour.filled()))?;
        legend.draw(&Text::new(name.clone(), (x + 20, y), ("sans-serif", 14)))?;
    }
    let n = labels.len().max(1) as f64;
    let value_at = |s: &[u64], i: usize| s.get(i).copied().unwrap_or(0);
    let top = (0..labels.len())
        .map(|i| {
            let each = series.iter().map(|(_, s)| value_at(s, i));
            if stacked { each.sum::<u64>() } else { each.max().unwrap_or(0) }
        })
        .max()
        .unwrap_or(0)
        .max(1) as f64
        * 1.1;
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(-0.5f64..n - 0.5, 0f64..top)?;
    let label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        labels.get(i as usize).cloned().unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len().max(1))
        .x_label_formatter(&label)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_desc(x_title)
        .y_desc(y_title)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()?;
    let k = series.len().max(1) as f64;
    for i in 0..labels.len() {
        let x = i as f64;
        let mut base = 0.0;
        for (j, (_, s)) in series.iter().enumerate() {
            let v = value_at(s, i) as f64;
            let colour = PALETTE[j % PALETTE.len()];
            let (left, right, bottom) = if stacked {
                (x - 0.35, x + 0.35, base)
            } else {
                let w = 0.8 / k;
                (x - 0.4 + w * j as f64, x - 0.4 + w * (j as f64 + 1.0), 0.0)
            };
            if v > 0.0 {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(left, bottom), (right, bottom + v)],
                    colour.filled(),
                )))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(left, bottom), (right, bottom + v)],
                    WHITE.stroke_width(1),
                )))?;
            }
            if stacked {
                base += v;
            }
        }
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_chart_is_an_svg_with_one_bar_per_value() {
        let data = [("0".to_owned(), 3), ("1".to_owned(), 0), ("2".to_owned(), 7)];
        let svg = super::bars("Business days", "Cases", &data);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
        assert!(svg.contains("Business days") && svg.contains("\n2\n</text>"), "{svg}");
        assert_eq!(svg.matches("fill=\"#0B5E5E\"").count(), 3, "{svg}");
    }

    #[test]
    fn series_have_a_legend_and_one_part_per_nonzero_value() {
        let labels = ["Nov".to_owned(), "Dec".to_owned()];
        let data = [("Entered".to_owned(), vec![2, 0]), ("Left".to_owned(), vec![1, 4])];
        let svg = super::series("Month", "Cases", &labels, &data, true);
        assert!(svg.contains("Entered") && svg.contains("Left") && svg.contains("Dec"), "{svg}");
        // One legend swatch each, then one part per value above zero.
        assert_eq!(svg.matches("fill=\"#0B5E5E\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("fill=\"#1F4E9C\"").count(), 3, "{svg}");
    }
}
