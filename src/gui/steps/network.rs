//! Step 6: how the phones find this computer.

use crate::gui::app::{App, Command};
use crate::gui::view::WARN;

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.strong(app.t("This computer's addresses"));
        if ui.small_button(app.t("Refresh")).clicked() {
            app.send(Command::RefreshInterfaces);
        }
    });
    if app.interfaces.is_empty() {
        ui.colored_label(WARN, app.t("No network address found. Connect this computer to the phones' network and press Refresh."));
    }
    egui::Grid::new("ifaces").striped(true).show(ui, |ui| {
        ui.strong(app.t("Interface"));
        ui.strong(app.t("Address"));
        ui.end_row();
        for iface in app.interfaces.clone() {
            ui.label(&iface.name);
            ui.radio_value(&mut app.address, Some(iface.addr), iface.addr.to_string());
            ui.end_row();
        }
    });
    let addr = app
        .address
        .map(|a| a.to_string())
        .unwrap_or_else(|| "—".into());
    ui.add_space(10.0);

    ui.strong(app.t("Either: DHCP options (where you control the DHCP server)"));
    copy_line(
        app,
        ui,
        app.tf(
            "Option 66 (TFTP server name, read by SIP loads): {addr}",
            &[("addr", &addr)],
        ),
        &addr,
    );
    copy_line(
        app,
        ui,
        app.tf(
            "Option 150 (TFTP server address, read by SCCP loads): {addr}",
            &[("addr", &addr)],
        ),
        &addr,
    );
    if let Some(std::net::IpAddr::V4(v4)) = app.address {
        let hex: Vec<String> = v4.octets().iter().map(|o| format!("{o:02X}")).collect();
        ui.weak(app.tf(
            "Option 150 as raw bytes, for DHCP servers that ask for hex: {hex}",
            &[("hex", &hex.join(" "))],
        ));
    }
    ui.add_space(10.0);

    ui.strong(app.t("Or: on each phone, set an alternate TFTP server"));
    let steps = [
        app.t("Press **# to unlock the settings (password, if asked: cisco). Wait 10 s before pressing it again, or the phone reads **#** and resets.").to_owned(),
        app.t("Settings > Network Configuration").to_owned(),
        app.t("Alternate TFTP = Yes").to_owned(),
        app.tf("TFTP Server 1 = {addr}", &[("addr", &addr)]),
        app.t("Save, then restart the phone (unplug power or the Ethernet cable for PoE).").to_owned(),
    ];
    for (i, s) in steps.iter().enumerate() {
        ui.label(format!("{}. {s}", i + 1));
    }
    ui.add_space(10.0);
    ui.colored_label(WARN, app.t("Never point the network's own DHCP at this computer on a production network, and never put these files on the network's own TFTP server: every phone that boots would convert."));
}

fn copy_line(app: &App, ui: &mut egui::Ui, text: String, value: &str) {
    ui.horizontal(|ui| {
        ui.monospace(text);
        if ui.small_button(app.t("Copy")).clicked() {
            ui.ctx().copy_text(value.to_owned());
        }
    });
}
