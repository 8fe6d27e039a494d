//! Step 6: how the phones find this computer.

use crate::gui::app::{App, Command};
use crate::gui::view::{BAD, OK, WARN};
use crate::gui::view_model;
use convert79xx::msg;

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.strong(app.t(msg!(
            "gui.network.this_computers_addresses",
            "This computer's addresses"
        )));
        if ui
            .small_button(app.t(msg!("gui.network.refresh", "Refresh")))
            .clicked()
        {
            app.send(Command::RefreshInterfaces);
        }
    });
    if app.work.interfaces.is_empty() {
        ui.colored_label(WARN, app.t(msg!("gui.network.no_network_address_found", "No network address found. Connect this computer to the phones' network and press Refresh.")));
    }
    egui::Grid::new("ifaces").striped(true).show(ui, |ui| {
        ui.strong(app.t(msg!("gui.network.interface", "Interface")));
        ui.strong(app.t(msg!("gui.network.address", "Address")));
        ui.end_row();
        for iface in app.work.interfaces.clone() {
            ui.label(&iface.name);
            if ui
                .radio_value(
                    &mut app.input.address,
                    Some(std::net::IpAddr::V4(iface.addr)),
                    iface.addr.to_string(),
                )
                .changed()
            {
                // The last check was for another interface.
                app.work.bench.probe = None;
            }
            ui.end_row();
        }
    });
    ui.weak(app.t(msg!("gui.network.only_the_chosen_interface", "Only the chosen interface is served: requests from this computer's other networks (Wi-Fi, VPN) get no answer.")));
    // The XML files name the chosen address: another one needs a new Write.
    if app.written_for_other_address().is_some()
        && let Some(why) = app.serve_blocker()
    {
        ui.colored_label(WARN, app.say(&why));
    }
    let addr = app
        .input
        .address
        .map(|a| a.to_string())
        .unwrap_or_else(|| "—".into());
    ui.add_space(10.0);

    ui.strong(app.t(msg!(
        "gui.network.either_dhcp_options",
        "Either: DHCP options (where you control the DHCP server)"
    )));
    copy_line(
        app,
        ui,
        app.t(msg!(
            "gui.network.option_66_tftp_server",
            "Option 66 (TFTP server name, read by SIP loads): {addr}",
            addr = addr
        )),
        &addr,
    );
    copy_line(
        app,
        ui,
        app.t(msg!(
            "gui.network.option_150_tftp_server",
            "Option 150 (TFTP server address, read by SCCP loads): {addr}",
            addr = addr
        )),
        &addr,
    );
    if let Some(std::net::IpAddr::V4(v4)) = app.input.address {
        let hex: Vec<String> = v4.octets().iter().map(|o| format!("{o:02X}")).collect();
        ui.weak(app.t(msg!(
            "gui.network.option_150_as_raw",
            "Option 150 as raw bytes, for DHCP servers that ask for hex: {hex}",
            hex = hex.join(" ")
        )));
    }
    ui.add_space(10.0);

    ui.strong(app.t(msg!(
        "gui.network.or_on_each_phone",
        "Or: on each phone, set an alternate TFTP server"
    )));
    let steps = [
        app.t(msg!("gui.network.unlock_settings", "Press **# to unlock the settings (password, if asked: cisco). Wait 10 s before pressing it again, or the phone reads **#** and resets.")).to_owned(),
        app.t(msg!("gui.network.settings_network_configuration", "Settings > Network Configuration")).to_owned(),
        app.t(msg!("gui.network.alternate_tftp_yes", "Alternate TFTP = Yes")).to_owned(),
        app.t(msg!("gui.network.tftp_server_1_addr", "TFTP Server 1 = {addr}", addr = addr)),
        app.t(msg!("gui.network.save_then_restart", "Save, then restart the phone (unplug power or the Ethernet cable for PoE).")).to_owned(),
    ];
    for (i, s) in steps.iter().enumerate() {
        ui.label(format!("{}. {s}", i + 1));
    }
    ui.add_space(10.0);

    bench(app, ui);
    ui.add_space(10.0);
    ui.colored_label(WARN, app.t(msg!("gui.network.never_point_the_networks", "Never point the network's own DHCP at this computer on a production network, and never put these files on the network's own TFTP server: every phone that boots would convert.")));
}

/// The third way: a bench of this computer, a switch and the phones, where
/// this computer hands out the addresses (only to Cisco phones).
fn bench(app: &mut App, ui: &mut egui::Ui) {
    ui.strong(app.t(msg!(
        "gui.network.or_a_bench",
        "Or: a bench, where this computer hands out the addresses"
    )));
    ui.label(app.t(msg!("gui.network.bench_how", "Connect this computer and the phones to one switch, off the office network, and give this interface a fixed address. This computer then answers DHCP for Cisco IP phones only (and the session's phones), with itself as TFTP server.")));
    let label = app.t(msg!(
        "gui.network.bench_this_computer_hands",
        "Bench: this computer hands out addresses"
    ));
    ui.checkbox(&mut app.work.bench.enabled, label);
    if !app.work.bench.enabled {
        return;
    }
    let iface = app
        .input
        .address
        .and_then(|a| {
            app.work
                .interfaces
                .iter()
                .find(|i| std::net::IpAddr::V4(i.addr) == a)
        })
        .map(|i| format!("{} ({})", i.name, i.addr))
        .unwrap_or_else(|| "—".into());
    ui.label(app.t(msg!(
        "gui.network.interface_iface",
        "Interface: {iface}",
        iface = iface
    )));
    ui.horizontal(|ui| {
        let check = app.t(msg!(
            "gui.network.check_for_other_dhcp",
            "Check for other DHCP servers"
        ));
        if ui
            .add_enabled(
                app.input.address.is_some() && !app.work.bench.probing,
                egui::Button::new(check),
            )
            .clicked()
        {
            app.send(Command::ProbeDhcp);
        }
        if app.work.bench.probing {
            ui.spinner();
            ui.weak(app.t(msg!(
                "gui.network.asking_for_an_address",
                "Asking for an address, about 3 seconds…"
            )));
        }
    });
    match &app.work.bench.probe {
        None => {}
        Some(Ok(None)) => {
            ui.colored_label(
                OK,
                app.t(msg!(
                    "gui.network.no_other_dhcp_server",
                    "No other DHCP server answered: this computer can hand out the addresses."
                )),
            );
        }
        Some(Ok(Some(server))) => {
            let text = app.t(msg!("gui.network.another_dhcp_server_answered", "Another DHCP server answered ({server}): this computer will not hand out addresses. Take the bench off the office network, or use that server's options 66 and 150 above.", server = server));
            ui.colored_label(BAD, text);
        }
        Some(Err(e)) => {
            let e = app.say(e);
            ui.colored_label(
                BAD,
                app.t(msg!(
                    "gui.network.the_check_failed_error",
                    "The check failed: {error}",
                    error = e
                )),
            );
        }
    }
    egui::CollapsingHeader::new(app.t(msg!("gui.network.if_you_know_better", "If you know better")))
        .id_salt("bench-force")
        .show(ui, |ui| {
            ui.colored_label(WARN, app.t(msg!("gui.network.a_second_dhcp_server", "A second DHCP server on an office network gives PCs wrong addresses. Skip the check only on a network where you are sure no other DHCP server answers these phones.")));
            let label = app.t(msg!("gui.network.skip_check", "Skip the check for other DHCP servers"));
            ui.checkbox(&mut app.work.bench.force, label);
        });
    lease_table(app, ui);
}

/// MAC, address, vendor class and first seen of every phone the bench
/// DHCP server dealt with (filled while serving).
pub fn lease_table(app: &App, ui: &mut egui::Ui) {
    let rows = view_model::lease_rows(&app.work.bench.leases);
    if rows.is_empty() {
        if app.work.serve.handle.is_some() {
            ui.weak(app.say(&convert79xx::msg!(
                "gui.bench.no_lease_yet",
                "No phone has asked for an address yet: restart a phone plugged into the bench switch."
            )));
        } else if app.step == crate::gui::app::Step::Serve {
            ui.weak(app.say(&convert79xx::msg!(
                "gui.bench.leases_after_start",
                "Leases appear here once serving starts."
            )));
        } else {
            ui.weak(app.t(msg!(
                "gui.network.leases_appear_here_once",
                "Leases appear here once serving has started on the Serve step."
            )));
        }
        return;
    }
    egui::Grid::new("leases").striped(true).show(ui, |ui| {
        for h in [
            msg!("gui.common.mac", "MAC"),
            msg!("gui.network.address", "Address"),
            msg!("gui.network.vendor_class", "Vendor class"),
            msg!("gui.network.first_seen", "First seen"),
        ] {
            ui.strong(app.t(h));
        }
        ui.end_row();
        for r in rows {
            ui.monospace(&r.mac);
            ui.monospace(&r.ip);
            match r.era {
                None => ui.label(&r.vendor),
                Some(era) => ui.label(format!("{} ({})", r.vendor, app.t(era))),
            };
            ui.label(&r.first_seen);
            ui.end_row();
        }
    });
}

fn copy_line(app: &App, ui: &mut egui::Ui, text: String, value: &str) {
    ui.horizontal(|ui| {
        ui.monospace(text);
        if ui
            .small_button(app.t(msg!("gui.network.copy", "Copy")))
            .clicked()
        {
            ui.ctx().copy_text(value.to_owned());
        }
    });
}
