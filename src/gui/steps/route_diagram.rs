//! The route as a picture: one box per load the phone runs (family,
//! version, signed or not), one arrow per stage labelled with the file that
//! moves the phone on, the stages that cannot be undone drawn in red. Drawn
//! with egui's painter; the same words go to screen readers.

use convert79xx::msg;
use egui::{Align2, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2, pos2, vec2};

use crate::gui::app::App;
use crate::gui::view::{BAD, OK, WARN};
use crate::gui::view_model::{Family, LoadBox, PlanView, StageView};

const BOX: Vec2 = vec2(184.0, 64.0);
const GAP: f32 = 150.0;
/// Room above the boxes for the arrow labels, and below for the stage names.
const MARGIN: f32 = 16.0;

pub fn show(app: &App, ui: &mut egui::Ui, plan: &PlanView) {
    show_route(app, ui, &plan.loads, &plan.stages, "route-diagram");
}

/// One route (a group of a mixed fleet, or the only one): `loads` has one
/// more entry than `stages`; `salt` keeps each picture's scroll apart.
pub fn show_route(
    app: &App,
    ui: &mut egui::Ui,
    loads: &[LoadBox],
    stages: &[StageView],
    salt: &str,
) {
    if loads.len() != stages.len() + 1 {
        return;
    }
    let n = loads.len() as f32;
    let size = vec2(n * BOX.x + (n - 1.0) * GAP, BOX.y + 2.0 * MARGIN + 14.0);
    egui::ScrollArea::horizontal().id_salt(salt).show(ui, |ui| {
        let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
        let words = describe(app, loads, stages);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Figure, true, words.clone()));
        if ui.is_rect_visible(rect) {
            draw(app, ui, rect, loads, stages);
        }
    });
}

fn draw(app: &App, ui: &egui::Ui, rect: Rect, loads: &[LoadBox], stages: &[StageView]) {
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let text = visuals.text_color();
    let weak = visuals.weak_text_color();
    let top = rect.top() + MARGIN;
    let box_at =
        |i: usize| Rect::from_min_size(pos2(rect.left() + i as f32 * (BOX.x + GAP), top), BOX);
    for (i, load) in loads.iter().enumerate() {
        let r = box_at(i);
        let fill = visuals.extreme_bg_color;
        let stroke = if load.signed {
            WARN
        } else {
            visuals.widgets.active.bg_stroke.color
        };
        painter.rect(r, 6.0, fill, Stroke::new(1.5, stroke), StrokeKind::Inside);
        fitted(
            &painter,
            r.center_top() + vec2(0.0, 6.0),
            &family(app, load.family),
            13.0,
            BOX.x - 12.0,
            text,
        );
        painter.text(
            r.center(),
            Align2::CENTER_CENTER,
            &load.version,
            FontId::proportional(16.0),
            text,
        );
        let (signed, colour) = if load.signed {
            (app.t(msg!("gui.route.signed", "signed")), WARN)
        } else {
            (app.t(msg!("gui.route.unsigned", "unsigned")), weak)
        };
        painter.text(
            r.center_bottom() - vec2(0.0, 6.0),
            Align2::CENTER_BOTTOM,
            signed,
            FontId::proportional(12.0),
            colour,
        );
    }
    for (i, stage) in stages.iter().enumerate() {
        let from = box_at(i).right_center() + vec2(6.0, 0.0);
        let to = box_at(i + 1).left_center() - vec2(6.0, 0.0);
        let colour = if stage.irreversible { BAD } else { text };
        let width = if stage.irreversible { 3.0 } else { 1.5 };
        arrow(&painter, from, to, Stroke::new(width, colour));
        let mid = Pos2::new((from.x + to.x) / 2.0, from.y);
        let file = stage.moved_by.as_deref().unwrap_or("CUCM");
        painter.text(
            mid - vec2(0.0, 9.0),
            Align2::CENTER_BOTTOM,
            file,
            FontId::monospace(11.0),
            colour,
        );
        let mut below = app.t(msg!("gui.route.stage_n", "Stage {n}", n = (i + 1)));
        if stage.irreversible {
            below = format!(
                "{below}: {}",
                app.t(msg!("gui.route.no_way_back", "no way back"))
            );
        }
        painter.text(
            mid + vec2(0.0, 5.0),
            Align2::CENTER_TOP,
            below,
            FontId::proportional(11.0),
            if stage.irreversible { BAD } else { weak },
        );
    }
}

/// An arrow with a head of fixed size (egui's grows with the arrow and
/// reached into the file name above it).
fn arrow(painter: &egui::Painter, from: Pos2, to: Pos2, stroke: Stroke) {
    painter.line_segment([from, to], stroke);
    let back = (from - to).normalized() * 9.0;
    let side = back.rot90() * 0.55;
    painter.line_segment([to, to + back + side], stroke);
    painter.line_segment([to, to + back - side], stroke);
}

/// Text centred below `top`, its font shrunk until it fits `width`: the
/// loader's name in Portuguese ("Carregador de aplicativo universal", the
/// tech note's words) is wider than a box.
fn fitted(
    painter: &egui::Painter,
    top: Pos2,
    words: &str,
    size: f32,
    width: f32,
    colour: egui::Color32,
) {
    let mut galley = painter.layout_no_wrap(words.to_owned(), FontId::proportional(size), colour);
    let wide = galley.size().x;
    if wide > width {
        let smaller = (size * width / wide).floor().max(8.0);
        galley = painter.layout_no_wrap(words.to_owned(), FontId::proportional(smaller), colour);
    }
    let at = top - vec2(galley.size().x / 2.0, 0.0);
    painter.galley(at, galley, colour);
}

fn family(app: &App, family: Family) -> String {
    match family {
        Family::Sccp => "SCCP".to_owned(),
        Family::Sip => "SIP".to_owned(),
        // the tech note's own words, in Portuguese
        Family::Loader => app.t(msg!(
            "gui.route.universal_application_loader",
            "Universal application loader"
        )),
    }
}

fn one_load(app: &App, load: &LoadBox) -> String {
    let signed = if load.signed {
        app.t(msg!("gui.route.signed", "signed"))
    } else {
        app.t(msg!("gui.route.unsigned", "unsigned"))
    };
    format!("{} {} ({signed})", family(app, load.family), load.version)
}

/// The picture in words: `SCCP 8.1(2) (unsigned) → OS79XX.TXT → SIP 8.12 (signed)`.
pub fn describe(app: &App, loads: &[LoadBox], stages: &[StageView]) -> String {
    let mut words = one_load(app, &loads[0]);
    for (stage, load) in stages.iter().zip(&loads[1..]) {
        let file = stage.moved_by.as_deref().unwrap_or("CUCM");
        let mark = if stage.irreversible {
            format!(", {}", app.t(msg!("gui.route.no_way_back", "no way back")))
        } else {
            String::new()
        };
        words += &format!(" → {file}{mark} → {}", one_load(app, load));
    }
    words
}

const SMALL: Vec2 = vec2(118.0, 38.0);
const SMALL_GAP: f32 = 30.0;

/// A phone's place on its route, in the Route step's picture shrunk to a
/// table cell: a box per load, those it has passed filled green, the one
/// it runs now (or is being moved off) outlined strong, an arrow per stage
/// with its number, the stage under way drawn strong. `at` is the box it
/// runs now (0: where it started).
pub fn progress(app: &App, ui: &mut egui::Ui, loads: &[LoadBox], at: usize, finished: bool) {
    if loads.is_empty() {
        return;
    }
    let n = loads.len() as f32;
    let size = vec2(n * SMALL.x + (n - 1.0) * SMALL_GAP, SMALL.y);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let words = progress_words(app, loads, at, finished);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Figure, true, words.clone()));
    if !ui.is_rect_visible(rect) {
        return;
    }
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let (text, weak) = (visuals.text_color(), visuals.weak_text_color());
    let box_at = |i: usize| {
        Rect::from_min_size(
            pos2(rect.left() + i as f32 * (SMALL.x + SMALL_GAP), rect.top()),
            SMALL,
        )
    };
    for (i, load) in loads.iter().enumerate() {
        let r = box_at(i);
        let now = i == at;
        let (fill, stroke, colour) = if i < at || (now && finished) {
            (OK.gamma_multiply(0.35), Stroke::new(1.0, OK), text)
        } else if now {
            (
                visuals.selection.bg_fill.gamma_multiply(0.5),
                Stroke::new(2.5, visuals.selection.stroke.color),
                text,
            )
        } else {
            (visuals.extreme_bg_color, Stroke::new(1.0, weak), weak)
        };
        painter.rect(r, 4.0, fill, stroke, StrokeKind::Inside);
        painter.text(
            r.center_top() + vec2(0.0, 3.0),
            Align2::CENTER_TOP,
            short_family(app, load.family),
            FontId::proportional(10.0),
            colour,
        );
        painter.text(
            r.center_bottom() - vec2(0.0, 3.0),
            Align2::CENTER_BOTTOM,
            &load.version,
            FontId::proportional(13.0),
            colour,
        );
    }
    for i in 0..loads.len() - 1 {
        let from = box_at(i).right_center() + vec2(3.0, 0.0);
        let to = box_at(i + 1).left_center() - vec2(3.0, 0.0);
        let under_way = i == at && !finished;
        let (width, colour) = if under_way {
            (2.5, visuals.selection.stroke.color)
        } else if i < at {
            (1.5, OK)
        } else {
            (1.0, weak)
        };
        arrow(&painter, from, to, Stroke::new(width, colour));
        painter.text(
            pos2((from.x + to.x) / 2.0, from.y - 3.0),
            Align2::CENTER_BOTTOM,
            (i + 1).to_string(),
            FontId::proportional(10.0),
            colour,
        );
    }
}

/// The loader's name is too long for a cell: its family word alone.
fn short_family(app: &App, family: Family) -> String {
    match family {
        Family::Loader => app.t(msg!("gui.route.loader", "Loader")),
        other => self::family(app, other),
    }
}

/// The progress in words: `SCCP 5.0(1.1) (unsigned) → [now: loader 8.12 …] → SIP 8.12 (signed)`.
pub fn progress_words(app: &App, loads: &[LoadBox], at: usize, finished: bool) -> String {
    loads
        .iter()
        .enumerate()
        .map(|(i, load)| {
            let words = one_load(app, load);
            if i == at && finished {
                app.t(msg!("gui.route.load_done", "{load}: done", load = words))
            } else if i == at {
                app.t(msg!("gui.route.load_now", "{load}: now", load = words))
            } else {
                words
            }
        })
        .collect::<Vec<_>>()
        .join(" → ")
}
