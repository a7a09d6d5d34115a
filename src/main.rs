//! The `sealbox` binary: parse the command line, run, exit with the documented code.

use std::process::ExitCode;

use clap::Parser;

// Bulk runs allocate and free many small trees on every core; mimalloc's per-thread
// heaps make that measurably cheaper than glibc malloc (see benches/bulk.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match sealbox::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                sealbox::error::exit::USAGE
            } else {
                0
            });
        }
    };
    ExitCode::from(sealbox::run(cli))
}
