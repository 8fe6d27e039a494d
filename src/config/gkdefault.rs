//! `gkdefault.cfg`: the binary profile Cisco's `cfgfmt` tool compiles from
//! `gkdefault.txt` with `sip_ptag.dat`, built here natively so no
//! Windows-only `cfgfmt.exe` is needed (docs/routes.md R6, docs/files.md §10).
//!
//! Layout: the magic `#ata`; a header record, tag 0x7FFE with length 4,
//! holding a big-endian u16 checksum (byte sum of the payload, & 0xFFFF)
//! and a u16 payload length; then the payload, a run of
//! `varint(tag) varint(len) value` records. A varint is one byte below
//! 0x80, else two bytes `0x80|hi, lo` (at most 0x7FFF). Pseudo-tags
//! (`upgradecode` 0x1100, `upgradelang` 0x1101, `tftpurl2` 0x1102, and any
//! ptag.dat entry numbered 0xFF or more) come first in the order written,
//! then the ordinary tags in ascending order, the last value of a tag
//! winning. Each ordinary value is encoded by its ptag.dat format bits.
//!
//! Like cfgfmt, a line naming an unknown tag or holding a value its tag's
//! format cannot take is skipped with a warning; a bad `upgradecode` (the
//! line that matters for a conversion) is an error.
//!
//! Not supported, refused with a message: `include` lines, the
//! encrypted forms, the obsolete float tone form and profiles large enough
//! to need cfgfmt's `.ex` overflow file.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::msg;
use crate::msg::Msg;

/// Why a profile could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GkError {
    #[error("{}", self.msg())]
    NotText,
    #[error("{}", self.msg())]
    Line { line: usize, why: Msg },
    #[error("{}", self.msg())]
    TooLarge(usize),
}

impl GkError {
    /// The error as words to render in the user's language.
    pub fn msg(&self) -> Msg {
        match self {
            GkError::NotText => msg!(
                "gk.not_text",
                "gkdefault.txt must start with the line #txt (it is cfgfmt's text form)"
            ),
            GkError::Line { line, why } => msg!(
                "gk.line",
                "gkdefault.txt line {line}: {why}",
                line = line,
                why => why.clone(),
            ),
            GkError::TooLarge(n) => msg!(
                "gk.too_large",
                "the compiled profile is {n} bytes; cfgfmt would split it into an extra .ex file, which this tool does not write: shorten gkdefault.txt to the settings you need",
                n = n,
            ),
        }
    }
}

/// One line of `sip_ptag.dat`: `tag,fmtbits,name,size,context`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ptag {
    pub tag: u16,
    pub fmt: u32,
    pub name: String,
    pub size: usize,
    pub context: u32,
}

/// A compiled profile and the lines skipped on the way (as cfgfmt warns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Msg>,
}

const HEADER_TAG: u16 = 0x7FFE;
/// cfgfmt moves records into a `.ex` file from this size on.
const SPLIT_AT: usize = 2001;

mod fmt {
    pub const IPV4: u32 = 0x02;
    pub const INT32: u32 = 0x04;
    pub const BOOL: u32 = 0x20;
    pub const SHORTS: u32 = 0x40;
    pub const IP_PORT: u32 = 0x80;
    pub const OLD_TONE: u32 = 0x100;
    pub const UNSIGNED: u32 = 0x200;
    pub const HEX: u32 = 0x400;
}

/// Encode a tag or length as cfgfmt's 1- or 2-byte varint.
pub fn varint(v: u16) -> Result<Vec<u8>, String> {
    match v {
        0..=0x7F => Ok(vec![v as u8]),
        0x80..=0x7FFF => Ok(vec![0x80 | (v >> 8) as u8, v as u8]),
        _ => Err(format!("value 0x{v:X} is above the format's limit 0x7FFF")),
    }
}

/// Read `sip_ptag.dat`. Comment (`#`) and blank lines are skipped; a line
/// that does not parse is reported and skipped, as cfgfmt does.
pub fn parse_ptag(text: &str) -> (Vec<Ptag>, Vec<Msg>) {
    let mut entries = Vec::new();
    let mut warnings = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let toks: Vec<&str> = line
            .split([',', ' ', '\t'])
            .filter(|t| !t.is_empty())
            .collect();
        let parsed = (|| {
            if toks.len() < 4 {
                return None;
            }
            let size = parse_int(toks[3])? as usize;
            let name = toks[2].to_string();
            if !(1..=512).contains(&size) {
                return None;
            }
            Some(Ptag {
                tag: u16::try_from(parse_int(toks[0])?).ok()?,
                fmt: u32::try_from(parse_int(toks[1])?).ok()?,
                name,
                size,
                context: match toks.get(4) {
                    Some(t) => u32::try_from(parse_int(t)?).ok()?,
                    None => 0xFFFF,
                },
            })
        })();
        match parsed {
            Some(p) => entries.push(p),
            None => warnings.push(msg!(
                "gk.ptag_skipped",
                "sip_ptag.dat line {line}: not a tag entry, skipped",
                line = i + 1,
            )),
        }
    }
    (entries, warnings)
}

/// C-style integer: `0x` hex, leading `0` octal, else decimal; may be negative.
fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if body.len() > 1 && body.starts_with('0') {
        i64::from_str_radix(&body[1..], 8).ok()?
    } else {
        body.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

/// The image file the `upgradecode` line of a gkdefault.txt names (its
/// last field), if it has one.
pub fn upgrade_image(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let line = line.trim_start();
        let head = line.get(..11)?;
        if !head.eq_ignore_ascii_case("upgradecode") {
            return None;
        }
        let value = line[11..].trim_start_matches([':', ' ', '\t']);
        let name = value.split([',', ' ']).filter(|t| !t.is_empty()).nth(7)?;
        Some(name.to_string())
    })
}

/// The `upgradecode` / `upgradelang` value: `policy, hardware, swtype,
/// swversion, tftp-ip, port, image-id, file name` as
/// u8 | u32 | u16 | u16 | IPv4 | u16 | u32 | name NUL.
pub fn upgrade_value(value: &str) -> Result<Vec<u8>, Msg> {
    let toks: Vec<&str> = value.split([',', ' ']).filter(|t| !t.is_empty()).collect();
    if toks.len() != 8 {
        return Err(msg!(
            "gk.upgrade.fields",
            "upgradecode needs 8 comma-separated fields (policy,hw,swtype,swversion,tftp-ip,port,image-id,file), found {n}",
            n = toks.len(),
        ));
    }
    // the field names are cfgfmt's own
    let num = |i: usize, what: &str, max: u64| -> Result<u64, Msg> {
        parse_int(toks[i])
            .and_then(|v| u64::try_from(v).ok())
            .filter(|v| *v <= max)
            .ok_or_else(|| {
                msg!(
                    "gk.upgrade.number",
                    "upgradecode field {n} ({what}) {value} is not a number up to {max}",
                    n = i + 1,
                    what = what,
                    value = format!("{:?}", toks[i]),
                    max = format!("0x{max:X}"),
                )
            })
    };
    let mut out = vec![num(0, "policy", 0xFF)? as u8];
    out.extend((num(1, "hardware id", 0xFFFF_FFFF)? as u32).to_be_bytes());
    out.extend((num(2, "software type", 0xFFFF)? as u16).to_be_bytes());
    out.extend((num(3, "software version", 0xFFFF)? as u16).to_be_bytes());
    out.extend(ipv4(toks[4]).ok_or_else(|| {
        msg!(
            "gk.upgrade.address",
            "upgradecode field 5 (TFTP address) {value} is not an IPv4 address (0 = this server)",
            value = format!("{:?}", toks[4]),
        )
    })?);
    out.extend((num(5, "port", 0xFFFF)? as u16).to_be_bytes());
    out.extend((num(6, "image id", 0xFFFF_FFFF)? as u32).to_be_bytes());
    let name = toks[7];
    if name.len() > 31 || !name.is_ascii() {
        return Err(msg!(
            "gk.upgrade.name",
            "upgradecode file name {name} must be at most 31 ASCII characters",
            name = format!("{name:?}"),
        ));
    }
    out.extend(name.as_bytes());
    out.push(0);
    Ok(out)
}

fn ipv4(s: &str) -> Option<[u8; 4]> {
    if s == "0" {
        return Some([0; 4]);
    }
    s.parse::<Ipv4Addr>().ok().map(|a| a.octets())
}

/// Encode one ordinary value by its format bits.
fn encode(p: &Ptag, value: &str) -> Result<Vec<u8>, Msg> {
    let f = p.fmt;
    let quoted = || format!("{value:?}");
    let wants = |what: Msg| {
        msg!(
            "gk.value.wants",
            "{name} wants {what}, got {value}",
            name = p.name,
            what => what,
            value = quoted(),
        )
    };
    if f & fmt::BOOL != 0 {
        let off = value.eq_ignore_ascii_case("false") || value == "0";
        return Ok(vec![u8::from(!off)]);
    }
    if f & fmt::IPV4 != 0 {
        return ipv4(value)
            .map(|a| a.to_vec())
            .ok_or_else(|| wants(msg!("gk.value.ipv4", "an IPv4 address")));
    }
    if f & fmt::HEX != 0 {
        let mut out = vec![0u8; p.size];
        for (i, c) in value.chars().take(p.size * 2).enumerate() {
            let d = c
                .to_digit(16)
                .ok_or_else(|| wants(msg!("gk.value.hex", "hex digits")))?
                as u8;
            out[i / 2] |= if i % 2 == 0 { d << 4 } else { d };
        }
        return Ok(out);
    }
    if f & fmt::IP_PORT != 0 {
        let (ip, port) = if value == "0" {
            ([0u8; 4], 0u16)
        } else {
            let (head, tail) = value
                .rsplit_once('.')
                .ok_or_else(|| wants(msg!("gk.value.ip_port", "a.b.c.d.port")))?;
            let ip = ipv4(head).ok_or_else(|| wants(msg!("gk.value.ip_port", "a.b.c.d.port")))?;
            let port = parse_int(tail)
                .and_then(|v| u16::try_from(v).ok())
                .ok_or_else(|| wants(msg!("gk.value.ip_port", "a.b.c.d.port")))?;
            (ip, port)
        };
        let mut out = ip.to_vec();
        out.extend(port.to_be_bytes());
        out.resize(p.size.max(6), 0);
        out.truncate(p.size.max(6));
        return Ok(out);
    }
    if f & fmt::INT32 != 0 {
        let v = parse_int(value).ok_or_else(|| wants(msg!("gk.value.number", "a number")))?;
        let bytes = if f & fmt::UNSIGNED != 0 {
            (v as u32).to_be_bytes()
        } else {
            i32::try_from(v)
                .map_err(|_| {
                    msg!(
                        "gk.value.32_bits",
                        "{name} = {value} does not fit 32 bits",
                        name = p.name,
                        value = value,
                    )
                })?
                .to_be_bytes()
        };
        return Ok(bytes.to_vec());
    }
    if f & fmt::OLD_TONE != 0 {
        return Err(msg!(
            "gk.value.old_tone",
            "{name} uses the obsolete frequency form; write the tone as its newer `...Tone` setting",
            name = p.name,
        ));
    }
    if f & fmt::SHORTS != 0 {
        let mut out = Vec::with_capacity(p.size);
        for t in value.split([',', ' ']).filter(|t| !t.is_empty()) {
            if out.len() + 2 > p.size {
                break;
            }
            let v = parse_int(t).ok_or_else(|| {
                msg!(
                    "gk.value.wants",
                    "{name} wants {what}, got {value}",
                    name = p.name,
                    what => msg!("gk.value.numbers", "numbers"),
                    value = format!("{t:?}"),
                )
            })?;
            out.extend((v as u16).to_be_bytes());
        }
        out.resize(p.size, 0);
        return Ok(out);
    }
    // Strings (bits 0x18) and untyped values: the bytes, without the NUL.
    if value.len() > p.size {
        return Err(msg!(
            "gk.value.too_long",
            "{name} is at most {max} characters, got {n}",
            name = p.name,
            max = p.size,
            n = value.len(),
        ));
    }
    if !value.is_ascii() {
        return Err(msg!(
            "gk.value.ascii",
            "{name} must be ASCII",
            name = p.name,
        ));
    }
    Ok(value.as_bytes().to_vec())
}

/// Compile cfgfmt text (`#txt` then `Name:Value` lines) with a ptag table.
pub fn compile(text: &str, ptag_dat: &str) -> Result<Compiled, GkError> {
    let (table, mut warnings) = parse_ptag(ptag_dat);
    let mut lines = text.lines();
    if lines.next().is_none_or(|l| l.trim_end() != "#txt") {
        return Err(GkError::NotText);
    }
    let mut pseudo: Vec<(u16, Vec<u8>)> = Vec::new();
    let mut ordinary: BTreeMap<u16, Vec<u8>> = BTreeMap::new();
    let mut put_pseudo = |tag: u16, v: Vec<u8>| match pseudo.iter_mut().find(|(t, _)| *t == tag) {
        Some(slot) => slot.1 = v,
        None => pseudo.push((tag, v)),
    };
    for (i, raw) in lines.enumerate() {
        let line_no = i + 2;
        let err = |why: Msg| GkError::Line { line: line_no, why };
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let body = raw.trim_start_matches([':', ' ', '\t']);
        let name_end = body.find([':', ' ', '\t']).unwrap_or(body.len());
        let (name, rest) = body.split_at(name_end);
        if name.is_empty() {
            continue;
        }
        let value = rest.trim_start_matches([':', ' ', '\t']);
        let lname = name.to_ascii_lowercase();
        match lname.as_str() {
            "include" => {
                return Err(err(msg!(
                    "gk.include",
                    "include is not supported: paste the included settings into gkdefault.txt"
                )));
            }
            "upgradecode" | "upgradelang" => {
                let tag = if lname == "upgradecode" {
                    0x1100
                } else {
                    0x1101
                };
                put_pseudo(tag, upgrade_value(value).map_err(err)?);
                continue;
            }
            "tftpurl2" => {
                let mut v = value.as_bytes().to_vec();
                v.push(0);
                put_pseudo(0x1102, v);
                continue;
            }
            "upgradelogo" | "upgradexml" | "encryptkeyex" => {
                return Err(err(msg!(
                    "gk.unsupported",
                    "{name} is not supported by this tool; remove the line",
                    name = name,
                )));
            }
            _ => {}
        }
        let Some(p) = table.iter().find(|p| p.name.eq_ignore_ascii_case(name)) else {
            warnings.push(msg!(
                "gk.unknown_tag",
                "gkdefault.txt line {line}: {name} is not in sip_ptag.dat, skipped",
                line = line_no,
                name = name,
            ));
            continue;
        };
        if value.is_empty() {
            warnings.push(msg!(
                "gk.no_value",
                "gkdefault.txt line {line}: {name} has no value, skipped",
                line = line_no,
                name = name,
            ));
            continue;
        }
        // As cfgfmt does: a value that does not fit its tag's format is
        // reported and skipped, not fatal.
        let v = match encode(p, value) {
            Ok(v) => v,
            Err(why) => {
                warnings.push(msg!(
                    "gk.skipped",
                    "gkdefault.txt line {line}: {why}; skipped",
                    line = line_no,
                    why => why,
                ));
                continue;
            }
        };
        if p.tag < 0xFF {
            ordinary.insert(p.tag, v);
        } else {
            put_pseudo(p.tag, v);
        }
    }
    let mut payload = Vec::new();
    for (tag, v) in pseudo
        .iter()
        .map(|(t, v)| (*t, v))
        .chain(ordinary.iter().map(|(t, v)| (*t, v)))
    {
        let len = u16::try_from(v.len()).unwrap_or(u16::MAX);
        let (Ok(t), Ok(l)) = (varint(tag), varint(len)) else {
            return Err(GkError::TooLarge(v.len()));
        };
        payload.extend(t);
        payload.extend(l);
        payload.extend(v);
    }
    let total = payload.len() + 12;
    if total >= SPLIT_AT {
        return Err(GkError::TooLarge(total));
    }
    let sum = payload.iter().fold(0u32, |s, b| s + u32::from(*b)) as u16;
    let mut bytes = b"#ata".to_vec();
    bytes.extend(varint(HEADER_TAG).expect("fits"));
    bytes.extend(varint(4).expect("fits"));
    bytes.extend(sum.to_be_bytes());
    bytes.extend((payload.len() as u16).to_be_bytes());
    bytes.extend(payload);
    Ok(Compiled { bytes, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Tags and format bits as the published vectors imply them.
    const PTAG: &str = "# test table\n3,0x0002,StaticIP,4,0xF\n20,0x0028,UseTftp,1,0xF\n15,0x0028,Dhcp,1,0xF\n69,0x0004,SIPPort,4,0xF\n36,0x0040,DialTone,22,0xF\n61,0x0010,EncryptKey,9,0xF\n";

    #[test]
    fn varints() {
        assert_eq!(varint(0x14).unwrap(), [0x14]);
        assert_eq!(varint(0x7FFE).unwrap(), [0xFF, 0xFE]);
        assert_eq!(varint(0x1100).unwrap(), [0x91, 0x00]);
        assert_eq!(varint(0x80).unwrap(), [0x80, 0x80]);
        assert!(varint(0x8000).is_err());
    }

    /// The published test vector (docs/files.md §10, S18).
    #[test]
    fn upgrade_image_is_the_last_field() {
        let text = "#txt\nUIPassword:0\nupgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x060412a,CP7912080001SIP060412A.sbin\n";
        assert_eq!(
            upgrade_image(text).as_deref(),
            Some("CP7912080001SIP060412A.sbin")
        );
        assert_eq!(upgrade_image("#txt\nUIPassword:0\n"), None);
    }

    #[test]
    fn upgradecode_vector() {
        let c = compile(
            "#txt\nupgradecode:3,0x301,0x0400,0x0200,192.0.2.170,69,0x020514a,ata18x-v2-15-020927a.zup\n",
            PTAG,
        )
        .unwrap();
        let expected = concat!(
            "23617461",
            "fffe04",
            "0a04",
            "002f",
            "9100",
            "2c",
            "03",
            "00000301",
            "0400",
            "0200",
            "c00002aa",
            "0045",
            "0020514a",
            "6174613138782d76322d31352d303230393237612e7a7570",
            "00"
        );
        assert_eq!(hex(&c.bytes), expected);
        assert!(c.warnings.is_empty());
    }

    #[test]
    fn simple_vectors() {
        let v = |t: &str| hex(&compile(t, PTAG).unwrap().bytes);
        assert_eq!(v("#txt\nUseTftp:1\n"), "23617461fffe0400160003140101");
        // Windows line ends, as Cisco's files have them.
        assert_eq!(v("#txt\r\nUseTftp:1\r\n"), "23617461fffe0400160003140101");
        assert_eq!(
            v("#txt\nStaticIP:192.0.2.170\n"),
            "23617461fffe04017300060304c00002aa"
        );
        assert_eq!(
            v("#txt\nSIPPort:5060\n"),
            "23617461fffe04012000064504000013c4"
        );
        // Ordinary tags come out in ascending order whatever the input order.
        assert_eq!(
            v("#txt\nUseTftp:false\nDhcp:0\n"),
            "23617461fffe0400250006".to_string() + "0f0100" + "140100"
        );
        assert_eq!(
            v("#txt\nDialTone:2,31538,30831,1380,1740,1,0,0,1000\n"),
            "23617461fffe0403f70018241600027b32786f056406cc00010000000003e800000000"
        );
        assert_eq!(
            v("#txt\ntftpurl2:hello\nUseTftp:1\n"),
            "23617461fffe0402c3000c91020668656c6c6f00140101"
        );
    }

    #[test]
    fn bad_input_is_refused_with_the_line() {
        assert_eq!(compile("UseTftp:1\n", PTAG).unwrap_err(), GkError::NotText);
        let c = compile("#txt\nStaticIP:300.1.1.1\nUseTftp:1\n", PTAG).unwrap();
        assert!(c.warnings[0].contains("line 2"), "{:?}", c.warnings);
        assert_eq!(hex(&c.bytes), "23617461fffe0400160003140101");
        let e = compile("#txt\nupgradecode:3,0x301\n", PTAG).unwrap_err();
        assert!(e.to_string().contains("8 comma-separated"), "{e}");
        let c = compile("#txt\nNoSuchThing:1\nUseTftp:1\n", PTAG).unwrap();
        assert_eq!(c.warnings.len(), 1);
    }
}
