//! One file per wizard step. Each draws from `&App` state and sends
//! `Command`s; edits to plain text fields go straight into the form.

pub mod current;
pub mod files;
pub mod network;
pub mod phones;
pub mod route;
mod route_diagram;
pub mod serve;
pub mod target;

/// A labelled single-line field; the label names the field for screen
/// readers and tests.
pub fn field(ui: &mut egui::Ui, label: &str, text: &mut String, width: f32) -> egui::Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(text).desired_width(width))
        .labelled_by(l.id)
}
