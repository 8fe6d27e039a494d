//! [`Session::check`]: the one check of a session, every problem at once.

use std::net::{IpAddr, SocketAddr};

use super::{
    Checked, DEFAULT_ALIAS_8_3, DEFAULT_MODEL, DEFAULT_SIP_PORT, Field, LineKey, Phone, Problem,
    ProblemKind, Session, StartLoad, UNKNOWN_LOAD,
};
use crate::config::{SipLine, SipSettings, check_cnf_value};
use crate::host::TFTP_PORT;
use crate::load::{LoadSpec, Protocol};
use crate::model::Mac;
use crate::msg;
use crate::msg::Msg;

impl Session {
    /// Read the session into checked values in one pass, reporting every
    /// problem at once, each with its field. Everything is checked that can
    /// be without opening the firmware: the loads, the model, MACs, lines,
    /// addresses, `[serve] bind`. A SIP target needs a proxy.
    pub fn check(&self) -> Result<Checked, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        let mut bad = |problem: Problem| problems.push(problem);
        let c = &self.conversion;
        let mut load = |field: Field, value: &str, bad: &mut dyn FnMut(Problem)| {
            if let Some(p) = field.over_limit(value) {
                bad(p);
                return None;
            }
            if value.trim().is_empty() {
                bad(Problem::new(field, msg!("session.load_empty", "is empty: give a load name such as P0S3-8-12-00 or a family such as \"sccp 8.1(2)\""))
                    .of_kind(ProblemKind::Missing));
                return None;
            }
            match LoadSpec::parse(value) {
                Ok(p) => {
                    notes.extend(p.notes.into_iter().map(|n| field_note(&field, n)));
                    Some(p.value)
                }
                Err(e) => {
                    bad(Problem::new(field, e.message()));
                    None
                }
            }
        };
        let from = load(Field::From, &c.from, &mut bad);
        let to = load(Field::To, &c.to, &mut bad);
        // An unreadable target says nothing about the proxy: its own
        // problem comes first.
        let target_is_sip = to.as_ref().is_some_and(|t| t.protocol() == Protocol::Sip);
        let default_model = match &c.model {
            None => DEFAULT_MODEL,
            Some(m) => parse_field(Field::Model, m, str::parse).unwrap_or_else(|p| {
                bad(p);
                DEFAULT_MODEL
            }),
        };

        let sip_section = self.sip.clone().unwrap_or_default();
        let port = sip_section.port.unwrap_or(DEFAULT_SIP_PORT);
        if port == 0 {
            bad(Problem::new(
                Field::SipPort,
                msg!("session.port_zero", "0 is not a port; SIP uses 5060"),
            ));
        }
        let proxy = sip_section.proxy.filter(|p| !p.trim().is_empty());
        if target_is_sip && proxy.is_none() {
            bad(Problem::new(
                Field::SipProxy,
                msg!(
                    "session.proxy_missing",
                    "missing: a SIP target needs the address of its registrar/proxy (e.g. 192.0.2.10)"
                ),
            )
            .of_kind(ProblemKind::Missing));
        }
        for (field, value) in [
            (Field::SipProxy, &proxy),
            (Field::SipSntp, &sip_section.sntp),
        ] {
            let Some(v) = value else { continue };
            if let Some(p) = field.over_limit(v) {
                bad(p);
            } else if let Err(e) = crate::config::check_token(&field.to_string(), v.trim()) {
                // a host name or an address: the phone takes it as one token
                bad(Problem::new(
                    field,
                    msg!(
                        "session.host",
                        "{error}; give an IP address or host name",
                        error => e.msg(),
                    ),
                ));
            }
        }
        if let Some(tz) = sip_section
            .timezone
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            if let Some(p) = Field::SipTimezone.over_limit(tz) {
                bad(p);
            } else if let Err(e) = crate::config::sipdefault::check_time_zone("sip.timezone", tz) {
                bad(Problem::new(Field::SipTimezone, e.msg()));
            }
        }
        let callmanager = self
            .sccp
            .as_ref()
            .and_then(|s| s.callmanager.clone())
            .filter(|s| !s.trim().is_empty());
        if let Some(cm) = &callmanager {
            if let Some(p) = Field::CallManager.over_limit(cm) {
                bad(p);
            } else if let Err(e) = crate::config::check_token("sccp.callmanager", cm) {
                bad(Problem::new(
                    Field::CallManager,
                    msg!(
                        "session.host",
                        "{error}; give an IP address or host name",
                        error => e.msg(),
                    ),
                ));
            }
        }

        let mut phones = Vec::new();
        let mut seen: Vec<(Mac, usize)> = Vec::new();
        for (i, p) in self.phones.iter().enumerate() {
            let mac = match Field::PhoneMac(i).over_limit(&p.mac) {
                Some(p) => {
                    bad(p);
                    None
                }
                None => match p.mac.parse::<Mac>() {
                    Ok(m) => Some(m),
                    Err(e) => {
                        bad(Problem::new(Field::PhoneMac(i), e.message()));
                        None
                    }
                },
            };
            if let Some(m) = mac {
                if let Some((_, j)) = seen.iter().find(|(s, _)| *s == m) {
                    bad(Problem::new(
                        Field::PhoneMac(i),
                        msg!(
                            "session.duplicate_mac",
                            "{mac} is already phones[{j}]; each phone once",
                            mac = m.colon(),
                            j = j,
                        ),
                    )
                    .of_kind(ProblemKind::Duplicate { of: *j }));
                }
                seen.push((m, i));
            }
            let model = match &p.model {
                None => default_model,
                Some(s) => parse_field(Field::PhoneModel(i), s, str::parse).unwrap_or_else(|p| {
                    bad(p);
                    default_model
                }),
            };
            let own_from = match p.from.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(t) if t.eq_ignore_ascii_case(UNKNOWN_LOAD) => Some(StartLoad::Unknown),
                Some(t) => match LoadSpec::parse(t) {
                    Ok(p) => {
                        let field = Field::PhoneFrom(i);
                        notes.extend(p.notes.into_iter().map(|n| field_note(&field, n)));
                        Some(StartLoad::Load(p.value))
                    }
                    Err(e) => {
                        bad(Problem::new(
                            Field::PhoneFrom(i),
                            msg!(
                                "session.phone_from",
                                "{error}; or \"{unknown}\" when you do not know what it runs",
                                error => e.message(),
                                unknown = UNKNOWN_LOAD,
                            ),
                        ));
                        None
                    }
                },
            };
            if p.lines.len() > model.lines() {
                bad(Problem::new(
                    Field::PhoneLines(i),
                    msg!(
                        "session.too_many_lines",
                        "{lines} lines, but a {model} has {buttons} line buttons: remove {extra}, or make it a 7960",
                        lines = p.lines.len(),
                        model = model,
                        buttons = model.lines(),
                        extra = p.lines.len() - model.lines(),
                    ),
                )
                .of_kind(ProblemKind::TooMany {
                    allowed: model.lines(),
                }));
            }
            let mut lines = Vec::new();
            for (j, l) in p.lines.iter().enumerate() {
                let fields = [
                    (LineKey::Extension, Some(&l.extension)),
                    (LineKey::AuthName, l.auth_name.as_ref()),
                    (LineKey::Password, l.password.as_ref()),
                    (LineKey::DisplayName, l.display_name.as_ref()),
                    (LineKey::ShortName, l.short_name.as_ref()),
                ];
                for (key, value) in fields {
                    let Some(v) = value else { continue };
                    let field = Field::Line {
                        phone: i,
                        line: j,
                        key,
                    };
                    if let Some(p) = field.over_limit(v) {
                        bad(p);
                    } else if let Err(e) = check_cnf_value(key.as_str(), v) {
                        bad(Problem::new(field, e.msg()));
                    }
                }
                lines.push(SipLine {
                    extension: l.extension.clone(),
                    auth_name: l.auth_name.clone(),
                    password: l.password.clone(),
                    display_name: l.display_name.clone(),
                    short_name: l.short_name.clone(),
                });
            }
            if let Some(mac) = mac {
                phones.push((
                    Phone {
                        mac,
                        model,
                        lines,
                        // Filled in below, once the default is known to be good.
                        from: StartLoad::Unknown,
                    },
                    own_from,
                ));
            }
        }
        if c.firmware.is_empty() {
            bad(Problem::new(
                Field::Firmware,
                msg!(
                    "session.no_firmware",
                    "no firmware package listed: add the zip(s) for the target (e.g. P0S3-8-12-00.zip)"
                ),
            )
            .of_kind(ProblemKind::Missing));
        }
        let bind = match self.serve.as_ref().and_then(|s| s.bind.as_deref()) {
            Some(b) => parse_field(Field::ServeBind, b, |b| {
                parse_bind(b).ok_or_else(|| {
                    msg!(
                        "session.bind",
                        "\"{input}\" is not an address: give an IP, optionally with a port (\"192.0.2.5\", \"0.0.0.0:69\")",
                        input = b,
                    )
                })
            })
            .map_err(bad)
            .ok(),
            None => None,
        };
        let (Some(from), Some(to), true) = (from, to, problems.is_empty()) else {
            return Err(problems);
        };
        let phones = phones
            .into_iter()
            .map(|(phone, own)| Phone {
                from: own.unwrap_or_else(|| StartLoad::Load(from.clone())),
                ..phone
            })
            .collect::<Vec<Phone>>();
        let warnings = match &proxy {
            Some(proxy) if to.protocol() == crate::load::Protocol::Sip => {
                unregistered_lines(&phones, proxy)
            }
            _ => vec![],
        };
        Ok(Checked {
            from,
            to,
            default_model,
            firmware: c.firmware.iter().map(|f| self.resolve(f)).collect(),
            safe_route: c.safe_route.unwrap_or(false),
            cucm: c.cucm.unwrap_or(false),
            alias_8_3: c.alias_8_3.unwrap_or(DEFAULT_ALIAS_8_3),
            sip: SipSettings {
                proxy,
                port,
                sntp: sip_section.sntp.filter(|s| !s.trim().is_empty()),
                timezone: sip_section.timezone.filter(|s| !s.trim().is_empty()),
                dialplan: true,
            },
            callmanager,
            phones,
            bind,
            notes,
            warnings,
        })
    }
}

/// The lines that will not register: the phones register with the proxy
/// (`proxy_register: 1`), and a line without a password sends none, so
/// the phone converts and then never registers (issue 21). The field is
/// the line's password; the words name the phone and the line.
fn unregistered_lines(phones: &[Phone], proxy: &str) -> Vec<Problem> {
    let mut warnings = vec![];
    for (i, phone) in phones.iter().enumerate() {
        for (j, line) in phone.lines.iter().enumerate() {
            if line
                .password
                .as_deref()
                .is_some_and(|p| !p.trim().is_empty())
            {
                continue;
            }
            warnings.push(
                Problem::new(
                    Field::Line {
                        phone: i,
                        line: j,
                        key: LineKey::Password,
                    },
                    msg!(
                        "session.line_will_not_register",
                        "line {line} ({extension}) of phone {mac} has no password, but the phones register with the SIP proxy {proxy}: the phone will convert and then not register, unless the proxy asks no password. Give the line's password.",
                        line = j + 1,
                        extension = line.extension,
                        mac = phone.mac.colon().to_uppercase(),
                        proxy = proxy,
                    ),
                )
                .of_kind(ProblemKind::Missing),
            );
        }
    }
    warnings
}

/// A correction made while reading `field`, naming it.
fn field_note(field: &Field, note: Msg) -> Msg {
    msg!("session.note", "{field}: {note}", field = field, note => note)
}

/// `value` read by `parse` when it fits its field (the limit's problem
/// otherwise, so a huge value is never parsed or repeated).
fn parse_field<T>(
    field: Field,
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, Msg>,
) -> Result<T, Problem> {
    if let Some(p) = field.over_limit(value) {
        return Err(p);
    }
    parse(value).map_err(|e| Problem::new(field, e))
}

/// `[serve] bind`: `"192.0.2.5"` or `"192.0.2.5:69"` (IPv6 as `"[::1]:69"`).
fn parse_bind(text: &str) -> Option<SocketAddr> {
    let text = text.trim();
    text.parse::<SocketAddr>().ok().or_else(|| {
        text.parse::<IpAddr>()
            .ok()
            .map(|ip| SocketAddr::new(ip, TFTP_PORT))
    })
}
