//! The `sealbox` binary: parse the command line, run, exit with the documented code.

use std::process::ExitCode;

use clap::Parser;

// Bulk runs allocate and free many small trees on every core; mimalloc's per-thread
// heaps make that measurably cheaper than glibc malloc (see benches/bulk.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // No core dump may hold a decrypted value or a key: before anything is read.
    sealbox::hardening::at_start_up();
    // `sealbox init` starts a fresh copy of itself with this variable set, to check that
    // a key it stored in the OS keyring can be read back by another process.
    if std::env::var_os(sealbox::identity::keyring::PROBE_VAR).is_some() {
        return match sealbox::identity::keyring::probe_recipient() {
            Some(r) => {
                println!("{r}");
                ExitCode::SUCCESS
            }
            None => ExitCode::from(sealbox::error::exit::NO_IDENTITY),
        };
    }
    // Called as `sops` (a symlink), or `sealbox sops ARGS…`: sops' own command line.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(argv0) = argv.first() {
        if sealbox::sops_cli::called_as_sops(argv0) {
            return ExitCode::from(sealbox::sops_cli::main(&argv[1..]));
        }
        if argv.get(1).is_some_and(|a| a == "sops") {
            return ExitCode::from(sealbox::sops_cli::main(&argv[2..]));
        }
    }
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
