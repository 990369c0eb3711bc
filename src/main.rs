use std::process::ExitCode;

use clap::Parser;
use tend::cli::{self, Cli};

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("tend: {e}");
    }
    match cli::run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tend: {e:#}");
            ExitCode::FAILURE
        }
    }
}
