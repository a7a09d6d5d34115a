//! The `sealbox` binary: parse the command line, run, exit with the documented code.

use std::process::ExitCode;

use clap::Parser;

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
