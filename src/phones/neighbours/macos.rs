//! macOS: the ARP entries of the routing table, as `arp -an` reads them:
//! `sysctl {CTL_NET, PF_ROUTE, 0, AF_INET, NET_RT_FLAGS, RTF_LLINFO}`
//! returns one routing message per entry, its destination address and its
//! link-layer address (a `sockaddr_dl`) after the header.

use std::net::Ipv4Addr;

use crate::model::Mac;

#[cfg(target_os = "macos")]
pub fn read(ip: Ipv4Addr) -> Option<Mac> {
    let mut mib = [
        libc::CTL_NET,
        libc::PF_ROUTE,
        0,
        libc::AF_INET,
        libc::NET_RT_FLAGS,
        libc::RTF_LLINFO,
    ];
    let mut len: libc::size_t = 0;
    // SAFETY: the first call only asks for the size (null buffer); the
    // second writes at most `len` bytes into a buffer of that length.
    unsafe {
        if libc::sysctl(
            mib.as_mut_ptr(),
            mib.len() as u32,
            std::ptr::null_mut(),
            &mut len,
            std::ptr::null_mut(),
            0,
        ) != 0
        {
            return None;
        }
        // Room for entries added between the two calls.
        len += len / 8 + 256;
        let mut buf = vec![0u8; len];
        if libc::sysctl(
            mib.as_mut_ptr(),
            mib.len() as u32,
            buf.as_mut_ptr().cast(),
            &mut len,
            std::ptr::null_mut(),
            0,
        ) != 0
        {
            return None;
        }
        buf.truncate(len);
        find(&buf, std::mem::size_of::<libc::rt_msghdr>(), ip)
    }
}

/// `RTA_DST | RTA_GATEWAY`: the message carries both addresses.
const DST_AND_GATEWAY: u32 = 0x1 | 0x2;
const AF_INET: u8 = 2;
const AF_LINK: u8 = 18;

/// Finds `ip`'s link-layer address in a `NET_RT_FLAGS` dump whose
/// messages have headers of `header` bytes (`sizeof(struct rt_msghdr)`).
/// Entries without a 6-byte address (incomplete) are skipped.
pub fn find(buf: &[u8], header: usize, ip: Ipv4Addr) -> Option<Mac> {
    let mut at = 0;
    while at + header <= buf.len() {
        let msg_len = usize::from(u16::from_ne_bytes([buf[at], buf[at + 1]]));
        if msg_len < header || at + msg_len > buf.len() {
            return None;
        }
        let msg = &buf[at..at + msg_len];
        at += msg_len;
        let addrs = u32::from_ne_bytes(msg[12..16].try_into().ok()?);
        if addrs & DST_AND_GATEWAY != DST_AND_GATEWAY {
            continue;
        }
        let dst = &msg[header..];
        if dst.len() < 8 || dst[1] != AF_INET {
            continue;
        }
        if Ipv4Addr::new(dst[4], dst[5], dst[6], dst[7]) != ip {
            continue;
        }
        // Each address takes its length rounded up to 4 bytes.
        let dst_len = usize::from(dst[0]).max(1).next_multiple_of(4);
        let Some(dl) = dst.get(dst_len..) else {
            continue;
        };
        if dl.len() < 8 || dl[1] != AF_LINK {
            continue;
        }
        let (name_len, addr_len) = (usize::from(dl[5]), usize::from(dl[6]));
        if addr_len != 6 {
            continue;
        }
        let bytes: [u8; 6] = dl.get(8 + name_len..8 + name_len + 6)?.try_into().ok()?;
        return Some(Mac::new(bytes));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One routing message as macOS lays it out: a 92-byte header, a
    /// 16-byte `sockaddr_inarp`, a `sockaddr_dl` naming `en0`.
    fn message(ip: [u8; 4], mac: Option<[u8; 6]>) -> Vec<u8> {
        let mut m = vec![0u8; 92];
        m[12..16].copy_from_slice(&DST_AND_GATEWAY.to_ne_bytes());
        let mut dst = vec![16, AF_INET, 0, 0];
        dst.extend_from_slice(&ip);
        dst.resize(16, 0);
        m.extend(dst);
        let alen = if mac.is_some() { 6 } else { 0 };
        let mut dl = vec![20, AF_LINK, 4, 0, 6, 3, alen, 0];
        dl.extend_from_slice(b"en0");
        dl.extend_from_slice(&mac.unwrap_or_default()[..usize::from(alen)]);
        dl.resize(20, 0);
        m.extend(dl);
        let len = m.len() as u16;
        m[0..2].copy_from_slice(&len.to_ne_bytes());
        m
    }

    #[test]
    fn finds_the_link_layer_address_of_an_entry() {
        let mac = [0x00, 0x0e, 0x84, 0xc0, 0x60, 0xa6];
        let mut buf = message([10, 1, 1, 8], None);
        buf.extend(message([10, 1, 1, 7], Some(mac)));
        let ip = |d: u8| Ipv4Addr::new(10, 1, 1, d);
        assert_eq!(find(&buf, 92, ip(7)), Some(Mac::new(mac)));
        assert_eq!(find(&buf, 92, ip(8)), None, "incomplete");
        assert_eq!(find(&buf, 92, ip(9)), None);
        assert_eq!(find(&buf[..100], 92, ip(7)), None, "cut short");
        assert_eq!(find(&[], 92, ip(7)), None);
    }
}
