//! The dockside language server (LSP 3.17 over stdio).
//!
//! A thin layer over `dockside_ide`: it keeps the open documents, converts
//! positions in the negotiated encoding, schedules analyses off the async
//! runtime (the newest version wins) and maps results to the protocol. No
//! rule, parsing or analysis logic lives here.

mod compose;
mod convert;
mod framing;
mod position;
mod server;
mod settings;
mod state;

use std::process::ExitCode;
use std::sync::atomic::Ordering;

use tower_lsp_server::{LspService, Server};

pub use position::{Encoding, Lines, apply_changes};
pub use server::{Backend, TRIGGER_CHARACTERS, VERSION, WATCHED_GLOBS, capabilities};
pub use settings::Settings;

/// Makes glibc's malloc use one arena for all threads. An analysis is built on
/// whichever blocking thread is free and dropped on another; with an arena per
/// thread, the memory of a dropped 200,000-line analysis stayed in its arena while
/// the next one grew another (600 MB instead of 360 MB in `tests/hostile`). The
/// server's few threads hardly contend for the lock.
fn one_allocator_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a tuning parameter; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Serves the protocol on stdin/stdout until `exit` (or the end of input).
/// Exits with 0 after `shutdown` + `exit`, with 1 otherwise (as LSP says).
pub fn run_stdio() -> ExitCode {
    one_allocator_arena();
    // Few threads: analyses are short, and every thread keeps its own parser,
    // parse cache and allocator arena (memory with many open documents).
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(4)
        .enable_all()
        .thread_name("dockside-lsp")
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the language server runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let clean = runtime.block_on(async {
        let (service, socket) = LspService::new(Backend::new);
        let inner = service.inner().inner().clone();
        // Requests waiting for a long analysis must not hold back the others
        // (tower-lsp stops reading messages when this many are in flight).
        // Malformed frames would end tower-lsp's input stream: filter them out first.
        let (to_server, from_pump) = tokio::io::duplex(1 << 16);
        tokio::spawn(framing::pump(tokio::io::stdin(), to_server));
        Server::new(from_pump, tokio::io::stdout(), socket)
            .concurrency_level(64)
            .serve(service)
            .await;
        inner.shutdown.load(Ordering::SeqCst)
    });
    // Do not wait for analyses still running.
    runtime.shutdown_background();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
