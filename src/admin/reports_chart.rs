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
}
