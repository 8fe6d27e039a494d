//! Windows: the IP Helper API. `GetIpNetTable2` reads the IPv4 neighbour
//! table; `ResolveIpNetEntry2` asks the network (an ARP request) and
//! blocks until an answer or a timeout, so it runs on a short-lived
//! thread of its own while the caller reads the table.

use std::net::Ipv4Addr;

use windows_sys::Win32::NetworkManagement::IpHelper::{
    FreeMibTable, GetBestInterfaceEx, GetIpNetTable2, MIB_IPNET_ROW2, MIB_IPNET_TABLE2,
    ResolveIpNetEntry2,
};
use windows_sys::Win32::Networking::WinSock::{
    AF_INET, NlnsIncomplete, NlnsUnreachable, SOCKADDR, SOCKADDR_IN,
};

use crate::model::Mac;

pub fn read(ip: Ipv4Addr) -> Option<Mac> {
    let mut table: *mut MIB_IPNET_TABLE2 = std::ptr::null_mut();
    // SAFETY: on success the table is valid until FreeMibTable, and holds
    // NumEntries rows.
    unsafe {
        if GetIpNetTable2(AF_INET, &mut table) != 0 || table.is_null() {
            return None;
        }
        let rows =
            std::slice::from_raw_parts((*table).Table.as_ptr(), (*table).NumEntries as usize);
        let found = rows.iter().find_map(|row| mac_of_row(row, ip));
        FreeMibTable(table.cast());
        found
    }
}

/// The row's MAC when it is `ip`'s and complete.
fn mac_of_row(row: &MIB_IPNET_ROW2, ip: Ipv4Addr) -> Option<Mac> {
    // SAFETY: rows of an AF_INET table hold IPv4 addresses.
    let addr = unsafe { row.Address.Ipv4.sin_addr.S_un.S_addr };
    if Ipv4Addr::from(u32::from_be(addr)) != ip
        || row.PhysicalAddressLength != 6
        || row.State == NlnsUnreachable
        || row.State == NlnsIncomplete
    {
        return None;
    }
    let bytes: [u8; 6] = row.PhysicalAddress[..6].try_into().ok()?;
    (bytes != [0; 6]).then(|| Mac::new(bytes))
}

fn sockaddr(ip: Ipv4Addr) -> SOCKADDR_IN {
    let mut a = SOCKADDR_IN {
        sin_family: AF_INET,
        ..Default::default()
    };
    a.sin_addr.S_un.S_addr = u32::from(ip).to_be();
    a
}

pub fn ask(ip: Ipv4Addr) {
    // A detached thread: the answer lands in the table, which the caller
    // reads; the thread ends when Windows gives up on the address.
    let _ = std::thread::Builder::new()
        .name("neighbour".into())
        .spawn(move || {
            let dest = sockaddr(ip);
            let mut index = 0u32;
            let mut row = MIB_IPNET_ROW2::default();
            // SAFETY: plain structures owned by this thread.
            unsafe {
                if GetBestInterfaceEx((&dest as *const SOCKADDR_IN).cast::<SOCKADDR>(), &mut index)
                    != 0
                {
                    return;
                }
                row.Address.Ipv4 = dest;
                row.InterfaceIndex = index;
                ResolveIpNetEntry2(&mut row, std::ptr::null());
            }
        });
}
