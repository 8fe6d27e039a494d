//! Ctrl-C (and SIGTERM on Unix) for the commands: `serve` awaits it, and
//! `prepare` turns it into a flag the stage writer heeds until its commit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Resolves on Ctrl-C / SIGINT, or SIGTERM on Unix. The handlers are
/// installed here, before the future is polled: a signal that arrives
/// right after the listening line must stop the server cleanly, not kill it.
pub(crate) fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let int = signal(SignalKind::interrupt()).ok();
        let term = signal(SignalKind::terminate()).ok();
        async move {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(int) => {},
                _ = wait(term) => {},
            }
        }
    }
    #[cfg(windows)]
    {
        let ctrl_c = tokio::signal::windows::ctrl_c().ok();
        async move {
            match ctrl_c {
                Some(mut c) => {
                    c.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// A flag set on Ctrl-C, for a command that runs without an async runtime.
/// The handler is in place when this returns, so a Ctrl-C from then on sets
/// the flag instead of killing the process; `None` when no handler could
/// be installed (Ctrl-C then ends the process as usual).
pub(crate) fn stop_flag() -> Option<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = flag.clone();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("ctrl-c".into())
        .spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                let _ = ready_tx.send(false);
                return;
            };
            rt.block_on(async move {
                let stop = stop_signal();
                let _ = ready_tx.send(true);
                stop.await;
                set.store(true, Ordering::SeqCst);
                // Later Ctrl-Cs are absorbed: the command is already stopping.
                std::future::pending::<()>().await;
            });
        })
        .ok()?;
    ready_rx.recv().ok().filter(|ok| *ok).map(|_| flag)
}
