//! Synthetic firmware packages for tests, benches and demos: Cisco's real
//! file names and layouts (docs/load-names.md §5) filled with seeded random
//! bytes. No Cisco firmware is ever involved.
//!
//! ```no_run
//! # use convert79xx::fixtures::SyntheticPackage;
//! # let dir = std::path::Path::new("/tmp");
//! let zip = SyntheticPackage::for_load("P0S3-8-12-00").small().zip(dir);
//! ```
//!
//! [`Hostile`] builds the archives an attacker (or a broken download) would
//! hand over: zip-slip, absolute paths, links, case collisions, bad CRCs,
//! truncation and zip bombs.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::load::{Layout, LoadName, Protocol};

/// Seed used unless a test picks another.
pub const DEFAULT_SEED: u64 = 0x7960_7940;

/// One file of a synthetic package, with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
enum Content {
    Random(usize),
    Bytes(Vec<u8>),
}

/// A firmware package to write as a zip, a folder or a lone image.
#[derive(Debug, Clone)]
pub struct SyntheticPackage {
    load: String,
    zip_name: String,
    seed: u64,
    files: Vec<(String, Content)>,
    wrapper: Option<String>,
    compression: CompressionMethod,
}

// Sizes close to Cisco's (docs/load-names.md §5: SCCP 8.0(5) and SIP 8.12 listings).
const LOADER_BIN: usize = 129_824;
const LOADER_SBN: usize = 130_228;
const DESCRIPTOR: usize = 458;
const SB2_SIP: usize = 756_736;
const SB2_SCCP: usize = 705_536;
const OLD_IMAGE: usize = 640_000;
const SIGNED_IMAGE: usize = 880_000;

impl SyntheticPackage {
    /// The package Cisco ships for `load` (a load name such as
    /// `P0S3-8-12-00`, `P00308010200`, `P0S30203` or `P003-8-12-00`), with
    /// its real file names and layout. Panics on a name that is not a load:
    /// fixtures are for tests. SCCP 6.x, whose layout Cisco never
    /// documented, is built as a single image: see [`Self::for_load_in`].
    pub fn for_load(load: &str) -> SyntheticPackage {
        let layout = parse_load(load)
            .layout_by_version()
            .unwrap_or(Layout::SingleImage);
        Self::for_load_in(load, layout)
    }

    /// The package for `load` laid out as `layout` (SCCP 6.x comes both ways).
    pub fn for_load_in(load: &str, layout: Layout) -> SyntheticPackage {
        let parsed = parse_load(load);
        let name = parsed.as_str().to_string();
        let mut files: Vec<(String, Content)> = Vec::new();
        let random = |n: &str, size| (n.to_string(), Content::Random(size));
        let text = |n: &str, s: &str| (n.to_string(), Content::Bytes(s.as_bytes().to_vec()));
        let sip = parsed.protocol() == Protocol::Sip;
        let zip_name;
        if parsed.is_universal_loader() {
            files.push(random(&format!("{name}.bin"), LOADER_BIN));
            files.push(random(&format!("{name}.sbn"), LOADER_SBN));
            zip_name = format!("{name}.zip");
        } else if layout == Layout::Loader {
            let loader = parsed.loader_name();
            if sip {
                // The SIP zip's OS79XX.TXT names the universal loader.
                files.push(text("OS79XX.TXT", loader.as_str()));
            }
            files.push(random(&format!("{loader}.bin"), LOADER_BIN));
            files.push(random(&format!("{loader}.sbn"), LOADER_SBN));
            files.push(random(&format!("{name}.loads"), DESCRIPTOR));
            files.push(random(
                &format!("{name}.sb2"),
                if sip { SB2_SIP } else { SB2_SCCP },
            ));
            zip_name = if sip {
                format!("{name}.zip")
            } else {
                cmterm_sccp_name(&name)
            };
        } else {
            let signed = parsed.is_signed();
            files.push(random(
                &format!("{name}.bin"),
                if signed { SIGNED_IMAGE } else { OLD_IMAGE },
            ));
            if signed {
                files.push(random(&format!("{name}.sbn"), SIGNED_IMAGE + 404));
            }
            if sip && signed {
                // SIP 5.x/6.x packages carry the 7905/7912 profile sources.
                files.push(text("OS79XX.TXT", &name));
                files.push(text("gkdefault.txt", GKDEFAULT_TXT));
                files.push(text("sip_ptag.dat", SIP_PTAG_DAT));
            }
            zip_name = if !sip && name.len() == 12 {
                cmterm_sccp_name(&name)
            } else {
                format!("{name}.zip")
            };
        }
        SyntheticPackage {
            load: name,
            zip_name,
            seed: DEFAULT_SEED,
            files,
            wrapper: None,
            compression: CompressionMethod::Deflated,
        }
    }

    /// Cisco's SIP 8.12 package `P0S3-8-12-00.zip`.
    pub fn sip_8_12() -> SyntheticPackage {
        Self::for_load("P0S3-8-12-00")
    }
    /// Cisco's SCCP 8.1(2) package `cmterm-7940-7960-sccp.8-1-2.zip`.
    pub fn sccp_8_1_2() -> SyntheticPackage {
        Self::for_load("P00308010200")
    }
    /// SIP 6.3 with `gkdefault.txt` and `sip_ptag.dat`.
    pub fn sip_6_3() -> SyntheticPackage {
        Self::for_load("P0S3-06-3-00")
    }
    /// SCCP 6.3, the intermediate load of route R5.
    pub fn sccp_6_3() -> SyntheticPackage {
        Self::for_load("P00306030100")
    }
    /// SIP 2.3 (`P0S30203.bin`), an old single-image load with an 8.3 name.
    pub fn sip_2_3() -> SyntheticPackage {
        Self::for_load("P0S30203")
    }
    /// SCCP 3.1 (`P0030301.bin`), an old single-image load.
    pub fn sccp_3_1() -> SyntheticPackage {
        Self::for_load("P0030301")
    }

    /// The load this package is for, in Cisco's spelling.
    pub fn load(&self) -> &str {
        &self.load
    }

    /// The zip's file name (`P0S3-8-12-00.zip`, `cmterm-7940-7960-sccp.8-1-2.zip`).
    pub fn zip_name(&self) -> &str {
        &self.zip_name
    }

    /// Other random bytes, same names and sizes.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Files a hundred times smaller (at least 64 bytes): fast tests.
    pub fn small(self) -> Self {
        self.shrink(100)
    }

    /// Random files `divisor` times smaller (at least 64 bytes).
    pub fn shrink(mut self, divisor: usize) -> Self {
        for (_, c) in &mut self.files {
            if let Content::Random(n) = c {
                *n = (*n / divisor.max(1)).max(64);
            }
        }
        self
    }

    /// Set one random file's size.
    pub fn size(mut self, name: &str, size: usize) -> Self {
        match self.files.iter_mut().find(|(n, _)| n == name) {
            Some((_, c)) => *c = Content::Random(size),
            None => self.files.push((name.to_string(), Content::Random(size))),
        }
        self
    }

    /// Add (or replace) a file with these bytes.
    pub fn with_file(mut self, name: &str, bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        match self.files.iter_mut().find(|(n, _)| n == name) {
            Some((_, c)) => *c = Content::Bytes(bytes),
            None => self.files.push((name.to_string(), Content::Bytes(bytes))),
        }
        self
    }

    /// Drop a file (to make an incomplete package).
    pub fn without(mut self, name: &str) -> Self {
        self.files.retain(|(n, _)| n != name);
        self
    }

    /// Add SIP companions: RINGLIST.DAT, two ring tones, dialplan.xml.
    pub fn with_ringtones(self) -> Self {
        self.with_file(
            "RINGLIST.DAT",
            "Chirp1  ringer1.pcm\r\nChirp2  ringer2.raw\r\n",
        )
        .size("ringer1.pcm", 16_080)
        .size("ringer2.raw", 12_000)
        .with_file(
            "dialplan.xml",
            "<DIALTEMPLATE>\n  <TEMPLATE MATCH=\"*\" Timeout=\"5\"/>\n</DIALTEMPLATE>\n",
        )
    }

    /// Name the zip differently.
    pub fn named(mut self, zip_name: &str) -> Self {
        self.zip_name = zip_name.to_string();
        self
    }

    /// Put every entry inside one top-level folder, as repacks do.
    pub fn wrapped_in(mut self, folder: &str) -> Self {
        self.wrapper = Some(folder.to_string());
        self
    }

    /// Store entries uncompressed (the bytes then sit verbatim in the zip).
    pub fn stored(mut self) -> Self {
        self.compression = CompressionMethod::Stored;
        self
    }

    /// Every file with its bytes, in package order.
    pub fn files(&self) -> Vec<SyntheticFile> {
        self.files
            .iter()
            .map(|(name, c)| SyntheticFile {
                name: name.clone(),
                bytes: self.bytes_of(name, c),
            })
            .collect()
    }

    /// The bytes of one file.
    pub fn bytes(&self, name: &str) -> Option<Vec<u8>> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, c)| self.bytes_of(n, c))
    }

    /// File names in package order.
    pub fn names(&self) -> Vec<String> {
        self.files.iter().map(|(n, _)| n.clone()).collect()
    }

    fn bytes_of(&self, name: &str, content: &Content) -> Vec<u8> {
        match content {
            Content::Bytes(b) => b.clone(),
            Content::Random(size) => {
                // Each file's bytes depend on the seed and its name only.
                let mut rng = fastrand::Rng::with_seed(self.seed ^ fnv1a(name.as_bytes()));
                let mut buf = vec![0u8; *size];
                rng.fill(&mut buf);
                buf
            }
        }
    }

    /// The zip as bytes.
    pub fn zip_bytes(&self) -> Vec<u8> {
        let mut w = ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default()
            .compression_method(self.compression)
            .unix_permissions(0o644);
        if let Some(folder) = &self.wrapper {
            w.add_directory(format!("{folder}/"), opts)
                .expect("zip directory");
        }
        for f in self.files() {
            let name = match &self.wrapper {
                Some(folder) => format!("{folder}/{}", f.name),
                None => f.name.clone(),
            };
            w.start_file(name, opts).expect("zip entry");
            w.write_all(&f.bytes).expect("zip write");
        }
        w.finish().expect("zip finish").into_inner()
    }

    /// Write the zip into `dir`; returns its path.
    pub fn zip(&self, dir: &Path) -> PathBuf {
        let path = dir.join(&self.zip_name);
        fs::write(&path, self.zip_bytes()).expect("write synthetic zip");
        path
    }

    /// Write the unpacked package as folder `dir/<zip name without .zip>`.
    pub fn folder(&self, dir: &Path) -> PathBuf {
        let stem = self.zip_name.strip_suffix(".zip").unwrap_or(&self.zip_name);
        let folder = dir.join(stem);
        fs::create_dir_all(&folder).expect("create synthetic folder");
        for f in self.files() {
            fs::write(folder.join(&f.name), &f.bytes).expect("write synthetic file");
        }
        folder
    }

    /// Write the load's main image on its own (`NAME.bin`, or `NAME.sb2`
    /// when the load has no `.bin`) into `dir`; returns its path.
    pub fn image(&self, dir: &Path) -> PathBuf {
        let name = [format!("{}.bin", self.load), format!("{}.sb2", self.load)]
            .into_iter()
            .find(|n| self.files.iter().any(|(f, _)| f == n))
            .expect("the package has an image of its load");
        let path = dir.join(&name);
        fs::write(&path, self.bytes(&name).unwrap()).expect("write synthetic image");
        path
    }
}

fn parse_load(load: &str) -> LoadName {
    load.parse()
        .unwrap_or_else(|e| panic!("SyntheticPackage::for_load: {load:?} is not a load name: {e}"))
}

fn cmterm_sccp_name(name: &str) -> String {
    // P003aabbccdd -> cmterm-7940-7960-sccp.a-b-c.zip (Cisco drops leading zeros).
    let rest = &name[4..];
    let num = |s: &str| {
        s.parse::<u32>()
            .map(|n| n.to_string())
            .unwrap_or(s.to_string())
    };
    if rest.len() == 8 && rest.bytes().all(|b| b.is_ascii_digit()) {
        let mut parts = vec![num(&rest[0..2]), num(&rest[2..4]), num(&rest[4..6])];
        if &rest[6..8] != "00" {
            parts.push(num(&rest[6..8]));
        }
        format!("cmterm-7940-7960-sccp.{}.zip", parts.join("-"))
    } else {
        format!("{name}.zip")
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const GKDEFAULT_TXT: &str = "#txt\r\nUIPassword:0\r\nUseTftp:1\r\nTftpURL:0.0.0.0\r\n\
upgradecode:3,0x601,0x0400,0x0100,0.0.0.0,69,0x060412a,CP7912080001SIP060412A.sbin\r\n";

const SIP_PTAG_DAT: &str = "# synthetic tag table for tests (not Cisco's)\r\n\
0x0001,0x0003,UIPassword,4,0xF\r\n0x0002,0x0003,UseTftp,4,0xF\r\n\
0x0003,0x0008,TftpURL,64,0xF\r\n";

/// Archives that must be refused, each for its own reason. Every one also
/// holds a plausible SIP 8.12 set, so a careless extractor would write
/// something before it met the trap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hostile {
    /// `../convert79xx-slip.txt`
    ZipSlip,
    /// An absolute path: `<dir>/convert79xx-absolute.txt`.
    AbsolutePath,
    /// `C:/convert79xx-drive.txt`
    DriveLetter,
    /// `..\convert79xx-backslash.txt`
    Backslash,
    /// `P0S3-8-12-00.sb2` as a symbolic link to `/etc/passwd`.
    Symlink,
    /// `P0S3-8-12-00.sb2` and `p0s3-8-12-00.SB2`.
    CaseCollision,
    /// A data byte of `P0S3-8-12-00.sb2` flipped after the CRC was written.
    CrcMismatch,
    /// The valid zip cut to 60% of its length.
    Truncated,
    /// `P0S3-8-12-00.sb2` honestly declaring 1100 MiB (a 1 MB deflate stream).
    BombDeclared,
    /// The same stream declaring only 705536 bytes: caught while reading.
    BombUndeclared,
    /// 63 MiB (under the per-file limit) from 63 KiB: caught by the ratio.
    BombRatio,
    /// `P0S3-8-12-00.sb2` flagged as encrypted.
    Encrypted,
    /// `P0S3-8-12-00.sb2` compressed with bzip2 (method 12), which no
    /// firmware package uses.
    Bzip2,
    /// `docs/readme.txt` beside top-level files.
    NestedFolder,
    /// An HTML error page saved as `P0S3-8-12-00.zip`.
    NotAZip,
    /// `P0S3-8-12-00.sb2` twice, with different bytes.
    DuplicateName,
    /// Two central-directory entries sharing one stored body (the
    /// overlapping-entries zip bomb trick).
    Overlapping,
    /// `P0S3-8-12-00.sb2` in the central directory, `../convert79xx-local.txt`
    /// in its local header (a name smuggled past a listing check).
    LocalHeaderMismatch,
}

impl Hostile {
    pub const ALL: [Hostile; 18] = [
        Hostile::ZipSlip,
        Hostile::AbsolutePath,
        Hostile::DriveLetter,
        Hostile::Backslash,
        Hostile::Symlink,
        Hostile::CaseCollision,
        Hostile::CrcMismatch,
        Hostile::Truncated,
        Hostile::BombDeclared,
        Hostile::BombUndeclared,
        Hostile::BombRatio,
        Hostile::Encrypted,
        Hostile::Bzip2,
        Hostile::NestedFolder,
        Hostile::NotAZip,
        Hostile::DuplicateName,
        Hostile::Overlapping,
        Hostile::LocalHeaderMismatch,
    ];

    /// Where a careless extractor would have written outside the folder, for
    /// tests to check (relative to the folder the zip was unpacked into,
    /// or absolute).
    pub fn escape_target(self, zip_dir: &Path, dest: &Path) -> Option<PathBuf> {
        match self {
            Hostile::ZipSlip | Hostile::Backslash => dest.parent().map(|p| {
                p.join(if self == Hostile::ZipSlip {
                    "convert79xx-slip.txt"
                } else {
                    "convert79xx-backslash.txt"
                })
            }),
            Hostile::AbsolutePath => Some(zip_dir.join("convert79xx-absolute.txt")),
            Hostile::LocalHeaderMismatch => dest.parent().map(|p| p.join("convert79xx-local.txt")),
            _ => None,
        }
    }

    /// Write this archive into `dir` as `P0S3-8-12-00.zip`; returns its path.
    pub fn write(self, dir: &Path) -> PathBuf {
        let path = dir.join(format!("{}-{self:?}.zip", "P0S3-8-12-00"));
        fs::write(&path, self.bytes(dir)).expect("write hostile zip");
        path
    }

    fn bytes(self, dir: &Path) -> Vec<u8> {
        let pkg = SyntheticPackage::sip_8_12().small();
        let legit: Vec<RawEntry> = pkg.files().into_iter().map(RawEntry::file).collect();
        let with = |extra: RawEntry| {
            let mut entries = legit.clone();
            entries.insert(2, extra);
            raw_zip(&entries)
        };
        let evil = b"written where it must never be".to_vec();
        match self {
            Hostile::ZipSlip => with(RawEntry::named("../convert79xx-slip.txt", evil)),
            Hostile::AbsolutePath => with(RawEntry::named(
                &format!("{}/convert79xx-absolute.txt", dir.display()),
                evil,
            )),
            Hostile::DriveLetter => with(RawEntry::named("C:/convert79xx-drive.txt", evil)),
            Hostile::Backslash => with(RawEntry::named("..\\convert79xx-backslash.txt", evil)),
            Hostile::Symlink => {
                let mut entries: Vec<RawEntry> = legit
                    .into_iter()
                    .filter(|e| e.name != b"P0S3-8-12-00.sb2")
                    .collect();
                let mut link = RawEntry::named("P0S3-8-12-00.sb2", b"/etc/passwd".to_vec());
                link.external_attr = 0o120_777 << 16;
                entries.insert(2, link);
                raw_zip(&entries)
            }
            Hostile::CaseCollision => {
                let sb2 = pkg.bytes("P0S3-8-12-00.sb2").unwrap();
                with(RawEntry::named("p0s3-8-12-00.SB2", sb2))
            }
            Hostile::CrcMismatch => {
                let mut zip = pkg.clone().stored().zip_bytes();
                let sb2 = pkg.bytes("P0S3-8-12-00.sb2").unwrap();
                let at = find(&zip, &sb2[..32]).expect("stored sb2 data in zip") + sb2.len() / 2;
                zip[at] ^= 0x5a;
                zip
            }
            Hostile::Truncated => {
                let mut zip = pkg.zip_bytes();
                zip.truncate(zip.len() * 6 / 10);
                zip
            }
            Hostile::BombDeclared | Hostile::BombUndeclared => {
                let (stream, size, crc) = zero_stream(BOMB_MIB);
                let declared = if self == Hostile::BombDeclared {
                    size
                } else {
                    SB2_SCCP as u64
                };
                sb2_replaced(
                    legit,
                    RawEntry::deflated("P0S3-8-12-00.sb2", stream, declared as u32, crc),
                )
            }
            Hostile::BombRatio => {
                let (stream, size, crc) = zero_stream(63);
                sb2_replaced(
                    legit,
                    RawEntry::deflated("P0S3-8-12-00.sb2", stream, size as u32, crc),
                )
            }
            Hostile::Encrypted => {
                let mut entries = legit;
                for e in &mut entries {
                    if e.name == b"P0S3-8-12-00.sb2" {
                        e.flags |= 1;
                    }
                }
                raw_zip(&entries)
            }
            Hostile::Bzip2 => {
                // A real bzip2 stream is not needed: the method field alone
                // must get the package refused, before any data is read.
                let mut entries = legit;
                for e in &mut entries {
                    if e.name == b"P0S3-8-12-00.sb2" {
                        e.method = 12;
                        e.data = b"BZh91AY&SY".to_vec();
                    }
                }
                raw_zip(&entries)
            }
            Hostile::NestedFolder => with(RawEntry::named("docs/readme.txt", b"read me".to_vec())),
            Hostile::DuplicateName => with(RawEntry::named(
                "P0S3-8-12-00.sb2",
                b"another body under the same name".to_vec(),
            )),
            Hostile::Overlapping => {
                let mut entries = legit;
                let mut alias = entries
                    .iter()
                    .find(|e| e.name == b"P0S3-8-12-00.sb2")
                    .cloned()
                    .unwrap();
                alias.name = b"P0S3-8-12-00.bin".to_vec();
                alias.body_of = Some(entries.len() - 1);
                entries.push(alias);
                raw_zip(&entries)
            }
            Hostile::LocalHeaderMismatch => {
                let mut entries = legit;
                for e in &mut entries {
                    if e.name == b"P0S3-8-12-00.sb2" {
                        e.local_name = Some(b"../convert79xx-local.txt".to_vec());
                    }
                }
                raw_zip(&entries)
            }
            Hostile::NotAZip => {
                b"<!DOCTYPE html>\n<html><body>Session expired. Please log in.</body></html>\n"
                    .to_vec()
            }
        }
    }
}

/// A zip with exactly these entry names (any bytes, no checks at all) and
/// stored bodies with correct CRCs: for fuzzing name handling.
pub fn zip_with_raw_names(entries: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let raw: Vec<RawEntry> = entries
        .iter()
        .map(|(name, data)| {
            let mut e = RawEntry::named("", data.clone());
            e.name = name.clone();
            e
        })
        .collect();
    raw_zip(&raw)
}

/// How far the zip bomb expands, in MiB: past 1 GB (and past 1 GiB).
pub const BOMB_MIB: u64 = 1100;

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A raw deflate stream of `mib` MiB of zeros, with its size and CRC, built
/// cheaply: one steady-state flushed block repeated (no GiB ever inflated).
pub fn zero_stream(mib: u64) -> (Vec<u8>, u64, u32) {
    use flate2::{Compress, Compression, FlushCompress};
    static UNIT: OnceLock<(Vec<u8>, Vec<u8>, Vec<u8>)> = OnceLock::new();
    let (first, steady, tail) = UNIT.get_or_init(|| {
        let chunk = vec![0u8; 1 << 20];
        let mut c = Compress::new(Compression::best(), false);
        let first = deflate(&mut c, &chunk, FlushCompress::Sync);
        let second = deflate(&mut c, &chunk, FlushCompress::Sync);
        let third = deflate(&mut c, &chunk, FlushCompress::Sync);
        assert_eq!(second, third, "deflate of zeros reached no steady state");
        let tail = deflate(&mut c, &[], FlushCompress::Finish);
        (first, second, tail)
    });
    let mut out = Vec::with_capacity(first.len() + steady.len() * mib as usize + tail.len());
    out.extend_from_slice(first);
    for _ in 1..mib {
        out.extend_from_slice(steady);
    }
    out.extend_from_slice(tail);

    let mut unit = crc32fast::Hasher::new();
    unit.update(&vec![0u8; 1 << 20]);
    let mut crc = crc32fast::Hasher::new();
    for _ in 0..mib {
        crc.combine(&unit);
    }
    (out, mib << 20, crc.finalize())
}

fn deflate(c: &mut flate2::Compress, input: &[u8], flush: flate2::FlushCompress) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    let start = c.total_in();
    loop {
        if out.capacity() - out.len() < 4096 {
            out.reserve(64 * 1024);
        }
        let consumed = (c.total_in() - start) as usize;
        let status = c
            .compress_vec(&input[consumed..], &mut out, flush)
            .expect("deflate");
        let consumed = (c.total_in() - start) as usize;
        if status == flate2::Status::StreamEnd {
            break;
        }
        if consumed == input.len()
            && out.len() < out.capacity()
            && flush != flate2::FlushCompress::Finish
        {
            break;
        }
    }
    out
}

/// One entry of a hand-built zip: full control over names, flags, sizes.
#[derive(Debug, Clone)]
struct RawEntry {
    name: Vec<u8>,
    method: u16,
    flags: u16,
    crc32: u32,
    data: Vec<u8>,
    /// Declared uncompressed size.
    size: u32,
    external_attr: u32,
    /// Write no body: point the central record at entry N's local header.
    body_of: Option<usize>,
    /// A different name in the local header than in the central directory.
    local_name: Option<Vec<u8>>,
}

/// The legitimate entries with the .sb2 swapped for `entry`, as a zip.
fn sb2_replaced(legit: Vec<RawEntry>, entry: RawEntry) -> Vec<u8> {
    let mut entries: Vec<RawEntry> = legit
        .into_iter()
        .filter(|e| e.name != b"P0S3-8-12-00.sb2")
        .collect();
    entries.push(entry);
    raw_zip(&entries)
}

impl RawEntry {
    /// A deflated regular file whose stream, declared size and CRC are given as they are.
    fn deflated(name: &str, data: Vec<u8>, size: u32, crc32: u32) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            method: 8,
            flags: 0,
            crc32,
            data,
            size,
            external_attr: 0o100_644 << 16,
            body_of: None,
            local_name: None,
        }
    }

    fn named(name: &str, bytes: Vec<u8>) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            method: 0,
            flags: 0,
            crc32: crc32fast::hash(&bytes),
            size: bytes.len() as u32,
            data: bytes,
            external_attr: 0o100_644 << 16,
            body_of: None,
            local_name: None,
        }
    }
    fn file(f: SyntheticFile) -> RawEntry {
        RawEntry::named(&f.name, f.bytes)
    }
}

/// Local headers, data, central directory, end record (no zip64).
fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let date = (1u16 << 5) | 1; // 1980-01-01
    let mut offsets = Vec::new();
    for e in entries {
        let flags = e.flags | 0x0800; // names are UTF-8
        let offset = match e.body_of {
            Some(i) => offsets[i],
            None => out.len() as u32,
        };
        offsets.push(offset);
        if e.body_of.is_none() {
            write_local(&mut out, e, flags, date);
        }

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by: Unix
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&flags.to_le_bytes());
        central.extend_from_slice(&e.method.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&date.to_le_bytes());
        central.extend_from_slice(&e.crc32.to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&e.size.to_le_bytes());
        central.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0u8; 8]); // extra, comment, disk, internal attr
        central.extend_from_slice(&e.external_attr.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn write_local(out: &mut Vec<u8>, e: &RawEntry, flags: u16, date: u16) {
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&e.method.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&date.to_le_bytes());
    out.extend_from_slice(&e.crc32.to_le_bytes());
    out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
    out.extend_from_slice(&e.size.to_le_bytes());
    let name = e.local_name.as_ref().unwrap_or(&e.name);
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(&e.data);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a = SyntheticPackage::sip_8_12().small();
        assert_eq!(a.files(), a.clone().files());
        assert_ne!(
            a.bytes("P0S3-8-12-00.sb2"),
            a.clone().seed(1).bytes("P0S3-8-12-00.sb2")
        );
    }

    #[test]
    fn real_layouts_and_sizes() {
        let sip = SyntheticPackage::sip_8_12();
        assert_eq!(sip.zip_name(), "P0S3-8-12-00.zip");
        assert_eq!(
            sip.names(),
            [
                "OS79XX.TXT",
                "P003-8-12-00.bin",
                "P003-8-12-00.sbn",
                "P0S3-8-12-00.loads",
                "P0S3-8-12-00.sb2"
            ]
        );
        assert_eq!(sip.bytes("OS79XX.TXT").unwrap(), b"P003-8-12-00");
        assert_eq!(sip.bytes("P0S3-8-12-00.sb2").unwrap().len(), SB2_SIP);
        let sccp = SyntheticPackage::sccp_8_1_2();
        assert_eq!(sccp.zip_name(), "cmterm-7940-7960-sccp.8-1-2.zip");
        assert_eq!(
            sccp.names(),
            [
                "P00308010200.bin",
                "P00308010200.sbn",
                "P00308010200.loads",
                "P00308010200.sb2"
            ]
        );
        assert_eq!(SyntheticPackage::sip_2_3().names(), ["P0S30203.bin"]);
        let sip6 = SyntheticPackage::sip_6_3().names();
        assert!(sip6.contains(&"gkdefault.txt".to_string()));
        assert!(sip6.contains(&"sip_ptag.dat".to_string()));
    }

    #[test]
    fn zero_stream_inflates_to_what_it_claims() {
        // Check the construction on 8 MiB; the bomb is the same blocks repeated.
        let (stream, size, crc) = zero_stream(8);
        let mut inflated = Vec::new();
        flate2::read::DeflateDecoder::new(&stream[..])
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated.len() as u64, size);
        assert!(inflated.iter().all(|b| *b == 0));
        assert_eq!(crc32fast::hash(&inflated), crc);
        let (bomb, bomb_size, _) = zero_stream(BOMB_MIB);
        assert!(bomb_size > 1_000_000_000);
        assert!(bomb.len() < 2_000_000, "bomb is {} bytes", bomb.len());
    }
}
