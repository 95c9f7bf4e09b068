//! SVG figures with plotters' SVG backend. No font files are read: plotters estimates
//! text extents and the SVG names a generic font family, so the figures render wherever
//! the paper is viewed.

use std::path::Path;

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar per series in each group, optionally with a min-max whisker.
#[derive(Clone, Debug)]
pub struct Bars {
    pub title: String,
    pub y_label: String,
    pub groups: Vec<String>,
    pub series: Vec<Series>,
    pub log_y: bool,
    /// A horizontal reference line (the baseline's 1.0).
    pub reference: Option<f64>,
}

/// One bar: its value and an optional (low, high) whisker; `None`: no bar.
pub type Bar = Option<(f64, Option<(f64, f64)>)>;

#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    /// Per group: the bar's value and an optional (low, high) whisker; `None`: no bar
    /// (cannot run, failed, not measured).
    pub values: Vec<Bar>,
}

const LEGEND_WIDTH: u32 = 270;

/// Draw `panels` stacked vertically into one SVG at `path`.
pub fn write(path: &Path, panels: &[Bars]) -> Result<()> {
    let legend_rows = panels.iter().map(|p| p.series.len()).max().unwrap_or(0) as u32;
    let panel_height = 420.max(70 + 18 * legend_rows);
    let height = panel_height * panels.len() as u32;
    let root = SVGBackend::new(path, (1100, height)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let areas = root.split_evenly((panels.len(), 1));
    for (area, bars) in areas.iter().zip(panels) {
        draw(area, bars)?;
    }
    root.present().map_err(err)?;
    Ok(())
}

fn err(e: impl std::fmt::Debug) -> anyhow::Error {
    anyhow!("drawing a figure: {e:?}")
}

fn draw(area: &DrawingArea<SVGBackend<'_>, Shift>, bars: &Bars) -> Result<()> {
    let (width, _) = area.dim_in_pixel();
    let (plot, legend) = area.split_horizontally(width - LEGEND_WIDTH);
    let values: Vec<f64> = bars
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .flat_map(|(v, w)| {
            let mut all = vec![*v];
            if let Some((lo, hi)) = w {
                all.extend([*lo, *hi]);
            }
            all
        })
        .chain(bars.reference)
        .filter(|v| v.is_finite() && (!bars.log_y || *v > 0.0))
        .collect();
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (1.0, 2.0) };
    let groups = bars.groups.len().max(1) as f64;
    let n = bars.series.len().max(1) as f64;
    // Charts with one bar per group (one engine per group) centre it at full width.
    let single = bars.groups.iter().enumerate().all(|(g, _)| {
        bars.series
            .iter()
            .filter(|s| s.values.get(g).is_some_and(Option::is_some))
            .count()
            <= 1
    });
    let slot = if single { 0.6 } else { 0.8 / n };
    let position = |s: usize, slot: f64| if single { 0.2 } else { 0.1 + s as f64 * slot };
    let longest = bars
        .groups
        .iter()
        .map(|g| g.chars().count())
        .max()
        .unwrap_or(0) as u32;
    let plot_width = width - LEGEND_WIDTH - 100;
    let rotate = longest * 8 > plot_width / bars.groups.len().max(1) as u32;
    let mut label_points = Vec::new();

    let mut builder = ChartBuilder::on(&plot);
    builder
        .caption(&bars.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(if rotate { 20 + 7 * longest } else { 40 })
        .y_label_area_size(70);

    // Bars and whiskers are drawn the same way on both axis kinds.
    macro_rules! body {
        ($chart:ident, $bottom:expr) => {{
            $chart
                .configure_mesh()
                .disable_x_mesh()
                .disable_x_axis()
                .y_desc(bars.y_label.as_str())
                .y_label_style(("sans-serif", 13))
                .axis_desc_style(("sans-serif", 14))
                .draw()
                .map_err(err)?;
            for (s, series) in bars.series.iter().enumerate() {
                let color = color(&series.name, s);
                for (g, value) in series.values.iter().enumerate() {
                    let Some((v, whisker)) = value else { continue };
                    if !v.is_finite() || (bars.log_y && *v <= 0.0) {
                        continue;
                    }
                    let x0 = g as f64 + position(s, slot);
                    let x1 = x0 + slot * 0.9;
                    $chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x0, $bottom), (x1, *v)],
                            color.filled(),
                        )))
                        .map_err(err)?;
                    if let Some((wlo, whi)) = whisker {
                        let xm = (x0 + x1) / 2.0;
                        $chart
                            .draw_series(std::iter::once(PathElement::new(
                                vec![(xm, *wlo), (xm, *whi)],
                                BLACK.stroke_width(1),
                            )))
                            .map_err(err)?;
                    }
                }
            }
            if let Some(r) = bars.reference {
                $chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(0.0, r), (groups, r)],
                        BLACK.mix(0.6).stroke_width(1),
                    )))
                    .map_err(err)?;
            }
            for (g, name) in bars.groups.iter().enumerate() {
                label_points.push((
                    name.clone(),
                    $chart.backend_coord(&(g as f64 + 0.5, $bottom)),
                ));
            }
        }};
    }

    if bars.log_y {
        let (lo, hi) = (lo / 1.3, hi * 1.3);
        let mut chart = builder
            .build_cartesian_2d(0.0..groups, (lo..hi).log_scale())
            .map_err(err)?;
        body!(chart, lo);
    } else {
        let hi = hi * 1.1;
        let mut chart = builder
            .build_cartesian_2d(0.0..groups, 0.0..hi)
            .map_err(err)?;
        body!(chart, 0.0);
    }

    let style = if rotate {
        TextStyle::from(
            ("sans-serif", 13)
                .into_font()
                .transform(FontTransform::Rotate90),
        )
        .pos(Pos::new(HPos::Left, VPos::Center))
    } else {
        TextStyle::from(("sans-serif", 14).into_font()).pos(Pos::new(HPos::Center, VPos::Top))
    };
    // `backend_coord` is in the whole figure's pixels; `plot` draws relative to its corner.
    let (base_x, base_y) = plot.get_base_pixel();
    for (name, (x, y)) in label_points {
        plot.draw(&Text::new(
            name,
            (x - base_x, y - base_y + 8),
            style.clone(),
        ))
        .map_err(err)?;
    }
    for (s, series) in bars.series.iter().enumerate() {
        let y = 50 + 18 * s as i32;
        legend
            .draw(&Rectangle::new(
                [(4, y), (18, y + 12)],
                color(&series.name, s).filled(),
            ))
            .map_err(err)?;
        legend
            .draw(&Text::new(series.name.clone(), (24, y), ("sans-serif", 13)))
            .map_err(err)?;
    }
    Ok(())
}

/// Colour by family: weft's executors in hues (darker for the IRs later in
/// `IrKind::ALL`), peers in reds and greys; IR names alone (the dispatch figure) in hues.
pub fn color(name: &str, index: usize) -> RGBColor {
    let irs: Vec<&str> = weft::IrKind::ALL.iter().map(|ir| ir.name()).collect();
    let ir_rank = |ir: &str| irs.iter().position(|i| *i == ir);
    if let Some((executor, ir)) = name.trim_start_matches("weft:").split_once('/') {
        let base = match executor {
            "threaded" => Some((70, 130, 230)),
            "threaded-pairs" => Some((40, 190, 210)),
            "trampoline" => Some((60, 180, 90)),
            "loop-switch" => Some((240, 150, 40)),
            "become" => Some((150, 90, 210)),
            _ => None,
        };
        if let (Some((r, g, b)), Some(rank)) = (base, ir_rank(ir)) {
            let f = 1.0 - 0.6 * rank as f64 / (irs.len().max(2) - 1) as f64;
            let mix = |c: u8| (c as f64 * f).round() as u8;
            return RGBColor(mix(r), mix(g), mix(b));
        }
    }
    const IR_COLORS: &[(u8, u8, u8)] = &[
        (240, 150, 40),
        (60, 180, 90),
        (20, 120, 60),
        (70, 130, 230),
        (30, 60, 150),
        (150, 90, 210),
    ];
    if let Some(rank) = ir_rank(name) {
        let (r, g, b) = IR_COLORS[rank % IR_COLORS.len()];
        return RGBColor(r, g, b);
    }
    match name {
        "stitch" => return RGBColor(200, 40, 40),
        "wasmi/eager" => return RGBColor(120, 120, 120),
        "wasmi/lazy" => return RGBColor(170, 170, 170),
        "tinywasm" => return RGBColor(60, 60, 60),
        _ => {}
    }
    let c = Palette99::pick(index).to_rgba();
    RGBColor(c.0, c.1, c.2)
}
