//! The route as a picture: one box per load the phone runs (family,
//! version, signed or not), one arrow per stage labelled with the file that
//! moves the phone on, the stages that cannot be undone drawn in red. Drawn
//! with egui's painter; the same words go to screen readers.

use egui::{Align2, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2, pos2, vec2};

use crate::gui::app::App;
use crate::gui::core::{Family, LoadBox, PlanView};
use crate::gui::view::{BAD, WARN};

const BOX: Vec2 = vec2(184.0, 64.0);
const GAP: f32 = 150.0;
/// Room above the boxes for the arrow labels, and below for the stage names.
const MARGIN: f32 = 16.0;

pub fn show(app: &App, ui: &mut egui::Ui, plan: &PlanView) {
    if plan.loads.len() != plan.stages.len() + 1 {
        return;
    }
    let n = plan.loads.len() as f32;
    let size = vec2(n * BOX.x + (n - 1.0) * GAP, BOX.y + 2.0 * MARGIN + 14.0);
    egui::ScrollArea::horizontal()
        .id_salt("route-diagram")
        .show(ui, |ui| {
            let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
            let words = describe(app, plan);
            response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Figure, true, words.clone()));
            if ui.is_rect_visible(rect) {
                draw(app, ui, rect, plan);
            }
        });
}

fn draw(app: &App, ui: &egui::Ui, rect: Rect, plan: &PlanView) {
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let text = visuals.text_color();
    let weak = visuals.weak_text_color();
    let top = rect.top() + MARGIN;
    let box_at =
        |i: usize| Rect::from_min_size(pos2(rect.left() + i as f32 * (BOX.x + GAP), top), BOX);
    for (i, load) in plan.loads.iter().enumerate() {
        let r = box_at(i);
        let fill = visuals.extreme_bg_color;
        let stroke = if load.signed {
            WARN
        } else {
            visuals.widgets.active.bg_stroke.color
        };
        painter.rect(r, 6.0, fill, Stroke::new(1.5, stroke), StrokeKind::Inside);
        painter.text(
            r.center_top() + vec2(0.0, 6.0),
            Align2::CENTER_TOP,
            family(app, load.family),
            FontId::proportional(13.0),
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
            (app.t("signed"), WARN)
        } else {
            (app.t("unsigned"), weak)
        };
        painter.text(
            r.center_bottom() - vec2(0.0, 6.0),
            Align2::CENTER_BOTTOM,
            signed,
            FontId::proportional(12.0),
            colour,
        );
    }
    for (i, stage) in plan.stages.iter().enumerate() {
        let from = box_at(i).right_center() + vec2(6.0, 0.0);
        let to = box_at(i + 1).left_center() - vec2(6.0, 0.0);
        let colour = if stage.irreversible { BAD } else { text };
        let width = if stage.irreversible { 3.0 } else { 1.5 };
        painter.arrow(from, to - from, Stroke::new(width, colour));
        let mid = Pos2::new((from.x + to.x) / 2.0, from.y);
        let file = stage.moved_by.as_deref().unwrap_or("CUCM");
        painter.text(
            mid - vec2(0.0, 5.0),
            Align2::CENTER_BOTTOM,
            file,
            FontId::monospace(11.0),
            colour,
        );
        let mut below = app.tf("Stage {n}", &[("n", &(i + 1))]);
        if stage.irreversible {
            below = format!("{below}: {}", app.t("no way back"));
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

fn family(app: &App, family: Family) -> &'static str {
    match family {
        Family::Sccp => "SCCP",
        Family::Sip => "SIP",
        // the tech note's own words, in Portuguese
        Family::Loader => app.t("Universal application loader"),
    }
}

fn one_load(app: &App, load: &LoadBox) -> String {
    let signed = if load.signed {
        app.t("signed")
    } else {
        app.t("unsigned")
    };
    format!("{} {} ({signed})", family(app, load.family), load.version)
}

/// The picture in words: `SCCP 8.1(2) (unsigned) → OS79XX.TXT → SIP 8.12 (signed)`.
pub fn describe(app: &App, plan: &PlanView) -> String {
    let mut words = one_load(app, &plan.loads[0]);
    for (stage, load) in plan.stages.iter().zip(&plan.loads[1..]) {
        let file = stage.moved_by.as_deref().unwrap_or("CUCM");
        let mark = if stage.irreversible {
            format!(", {}", app.t("no way back"))
        } else {
            String::new()
        };
        words += &format!(" → {file}{mark} → {}", one_load(app, load));
    }
    words
}
