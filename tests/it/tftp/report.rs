//! Issue 21: `serve --report FILE` writes the conversion report, one row
//! per phone of the session from the moment serving starts, finished
//! phones marked so. A real `prepare` and `serve`, the mixed fleet of
//! simulated phones on loopback addresses of their own.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use convert79xx::tftp::sim::SimPhone;

use super::ladder::{Bench, FLEET, addresses, converted, phone};

/// The report as rows of (column title → value), keyed by MAC.
fn read_report(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let row: BTreeMap<String, String> = header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (row["MAC"].clone(), row)
        })
        .collect()
}

/// Waits until the report exists and `ok` holds for it.
fn wait_report(
    path: &Path,
    ok: impl Fn(&BTreeMap<String, BTreeMap<String, String>>) -> bool,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if path.is_file() {
            let rows = read_report(path);
            if ok(&rows) || Instant::now() > deadline {
                return rows;
            }
        } else if Instant::now() > deadline {
            panic!("no report at {} after 10 s", path.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_report_has_one_row_per_phone_and_marks_the_finished() {
    let Some(ips) = addresses(67, 3) else { return };
    let bench = Bench::new();
    bench.prepare();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.csv");
    // Someone's file of the same name is kept, not overwritten.
    std::fs::write(&path, "my own notes\n").unwrap();
    let serve = bench.serve_with(&["--report", path.to_str().unwrap()]);
    // Kept current while serving: every phone of the session, not seen yet.
    let rows = wait_report(&path, |rows| rows.len() == 3);
    assert_eq!(rows.len(), 3, "{rows:?}\n{}", serve.stderr());
    for (mac, from, _, _) in FLEET {
        let row = &rows[&mac.to_uppercase()];
        assert_eq!(row["Result"], "not seen", "{row:?}");
        assert_eq!(row["Model"], "7960", "{row:?}");
        assert_eq!(row["Finished at (UTC)"], "", "{row:?}");
        assert!(!row["Ran before"].is_empty(), "{from}: {row:?}");
    }
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("report.csv.backup-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(&kept[0])).unwrap(),
        "my own notes\n"
    );

    let mut phones: Vec<SimPhone> = FLEET
        .iter()
        .zip(&ips)
        .map(|((mac, _, installed, _), ip)| phone(mac, installed, &serve, *ip))
        .collect();
    let [a, b, c] = &mut phones[..] else {
        unreachable!()
    };
    let (ra, rb, rc) = tokio::join!(a.run(), b.run(), c.run());
    for (r, (mac, _, _, ext)) in [ra, rb, rc].iter().zip(FLEET) {
        converted(r, mac, ext);
    }
    let stderr = serve.stderr();
    serve.stop();
    let rows = read_report(&path);
    assert_eq!(rows.len(), 3, "{rows:?}\n{stderr}");
    for ((mac, _, _, _), stages) in FLEET.iter().zip(["1, 2 of 2", "1 of 1", "1 of 1"]) {
        let row = &rows[&mac.to_uppercase()];
        assert_eq!(row["Result"], "finished", "{row:?}");
        assert_eq!(row["Stages done"], stages, "{row:?}");
        assert!(row["Finished at (UTC)"].ends_with('Z'), "{row:?}");
        assert!(row["Route"].contains(" to SIP 8.12"), "{row:?}");
        // A finished phone has no problem left (what went wrong on the way
        // and was resolved is in its own column).
        assert_eq!(row["Problems"], "", "{row:?}");
    }
}
