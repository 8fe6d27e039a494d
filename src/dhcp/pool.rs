//! The range of addresses the bench server hands out, and its checks
//! against the interface (who holds which: `leases`).

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use crate::host::Ipv4Interface;
use crate::msg;
use crate::msg::Msg;

/// A range of addresses, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    pub first: Ipv4Addr,
    pub last: Ipv4Addr,
}

/// Why a pool cannot be used; each message says what to give instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    #[error("{}", self.msg())]
    Syntax(String),
    #[error("{}", self.msg())]
    Reversed(Pool),
    #[error("{}", self.msg())]
    OffSubnet {
        pool: Pool,
        interface: String,
        network: Ipv4Addr,
        prefix: u8,
        /// A pool that would do, when the subnet has room for one.
        example: Option<Pool>,
    },
    #[error("{}", self.msg())]
    SubnetTooSmall {
        interface: String,
        addr: Ipv4Addr,
        prefix: u8,
    },
}

impl PoolError {
    /// The error as words to render in the user's language.
    pub fn msg(&self) -> Msg {
        match self {
            PoolError::Syntax(text) => msg!(
                "dhcp.pool.syntax",
                "\"{text}\" is not an address range: give two IPv4 addresses joined by a dash, e.g. 192.168.10.100-192.168.10.199",
                text = text,
            ),
            PoolError::Reversed(pool) => msg!(
                "dhcp.pool.reversed",
                "the pool {pool} ends before it starts: give the lower address first",
                pool = pool,
            ),
            PoolError::OffSubnet {
                pool,
                interface,
                network,
                prefix,
                example: Some(example),
            } => msg!(
                "dhcp.pool.off_subnet_example",
                "the pool {pool} is not on {interface}'s subnet {network}/{prefix}: give addresses inside it, e.g. {example}",
                pool = pool,
                interface = interface,
                network = network,
                prefix = prefix,
                example = example,
            ),
            PoolError::OffSubnet {
                pool,
                interface,
                network,
                prefix,
                example: None,
            } => msg!(
                "dhcp.pool.off_subnet",
                "the pool {pool} is not on {interface}'s subnet {network}/{prefix}: give addresses inside it",
                pool = pool,
                interface = interface,
                network = network,
                prefix = prefix,
            ),
            PoolError::SubnetTooSmall {
                interface,
                addr,
                prefix,
            } => msg!(
                "dhcp.pool.too_small",
                "{interface} has the address {addr}/{prefix}, a subnet with no room for phones: give the interface an address such as 192.168.10.1/24 first",
                interface = interface,
                addr = addr,
                prefix = prefix,
            ),
        }
    }
}

impl fmt::Display for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

impl FromStr for Pool {
    type Err = PoolError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let syntax = || PoolError::Syntax(text.to_string());
        let (a, b) = text.split_once('-').ok_or_else(syntax)?;
        let first: Ipv4Addr = a.trim().parse().map_err(|_| syntax())?;
        let last: Ipv4Addr = b.trim().parse().map_err(|_| syntax())?;
        let pool = Pool { first, last };
        if u32::from(first) > u32::from(last) {
            return Err(PoolError::Reversed(pool));
        }
        Ok(pool)
    }
}

impl Pool {
    /// The default pool on an interface's subnet: `.100`–`.199` of the /24
    /// holding its address when the subnet is that large, else every host
    /// address of the subnet. This computer's own address is never handed
    /// out (see `leases`), even when it falls inside.
    pub fn default_for(iface: &Ipv4Interface) -> Result<Pool, PoolError> {
        let prefix = iface.prefix_len();
        let addr = u32::from(iface.addr);
        if prefix > 30 {
            return Err(PoolError::SubnetTooSmall {
                interface: iface.name.clone(),
                addr: iface.addr,
                prefix,
            });
        }
        if prefix <= 24 {
            let block = addr & 0xFFFF_FF00;
            return Ok(Pool {
                first: Ipv4Addr::from(block + 100),
                last: Ipv4Addr::from(block + 199),
            });
        }
        let mask = u32::from(iface.netmask);
        let network = addr & mask;
        let broadcast = network | !mask;
        Ok(Pool {
            first: Ipv4Addr::from(network + 1),
            last: Ipv4Addr::from(broadcast - 1),
        })
    }

    /// Checks a pool the user gave against the interface: both ends on its
    /// subnet, and neither the network nor the broadcast address.
    pub fn check_on(&self, iface: &Ipv4Interface) -> Result<(), PoolError> {
        let mask = u32::from(iface.netmask);
        let network = u32::from(iface.addr) & mask;
        let broadcast = network | !mask;
        let inside = |ip: Ipv4Addr| {
            let ip = u32::from(ip);
            iface.on_subnet(ip.into()) && ip != network && ip != broadcast
        };
        if inside(self.first) && inside(self.last) {
            return Ok(());
        }
        Err(PoolError::OffSubnet {
            pool: *self,
            interface: iface.name.clone(),
            network: Ipv4Addr::from(network),
            prefix: iface.prefix_len(),
            example: Pool::default_for(iface).ok(),
        })
    }

    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        (u32::from(self.first)..=u32::from(self.last)).contains(&u32::from(ip))
    }

    /// How many addresses the range holds.
    pub fn size(&self) -> usize {
        (u32::from(self.last) - u32::from(self.first)) as usize + 1
    }

    pub(super) fn addresses(&self) -> impl Iterator<Item = Ipv4Addr> {
        (u32::from(self.first)..=u32::from(self.last)).map(Ipv4Addr::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iface(addr: [u8; 4], prefix: u8) -> Ipv4Interface {
        Ipv4Interface {
            name: "eth1".into(),
            addr: addr.into(),
            netmask: Ipv4Addr::from(u32::MAX << (32 - prefix)),
            index: None,
        }
    }

    #[test]
    fn default_pool_sits_on_the_subnet() {
        let p = Pool::default_for(&iface([192, 168, 10, 1], 24)).unwrap();
        assert_eq!(p.to_string(), "192.168.10.100-192.168.10.199");
        let p = Pool::default_for(&iface([10, 0, 5, 7], 16)).unwrap();
        assert_eq!(p.to_string(), "10.0.5.100-10.0.5.199");
        let p = Pool::default_for(&iface([192, 168, 10, 129], 28)).unwrap();
        assert_eq!(p.to_string(), "192.168.10.129-192.168.10.142");
        assert!(matches!(
            Pool::default_for(&iface([192, 168, 10, 1], 31)),
            Err(PoolError::SubnetTooSmall { .. })
        ));
    }

    #[test]
    fn user_pools_are_checked() {
        let i = iface([192, 168, 10, 1], 24);
        let ok: Pool = "192.168.10.20 - 192.168.10.30".parse().unwrap();
        assert!(ok.check_on(&i).is_ok());
        let off: Pool = "192.168.11.20-192.168.11.30".parse().unwrap();
        let msg = off.check_on(&i).unwrap_err().to_string();
        assert!(msg.contains("192.168.10.0/24"), "{msg}");
        assert!(msg.contains("e.g. 192.168.10.100-192.168.10.199"), "{msg}");
        let broadcast: Pool = "192.168.10.250-192.168.10.255".parse().unwrap();
        assert!(broadcast.check_on(&i).is_err());
        assert!(matches!(
            "192.168.10.30-192.168.10.20".parse::<Pool>(),
            Err(PoolError::Reversed(_))
        ));
        assert!(matches!(
            "192.168.10.30".parse::<Pool>(),
            Err(PoolError::Syntax(_))
        ));
    }
}
