use std::process::ExitCode;

use tend::cli;

/// mimalloc instead of the system allocator: a big import allocates and frees millions of small
/// strings across threads, where glibc's allocator spends a tenth of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `COMPLETE=bash tend -- …`, as the script from `tend completions` calls it: answer and exit.
    clap_complete::CompleteEnv::with_factory(cli::command).complete();
    if let Err(e) = color_eyre::install() {
        eprintln!("tend: {e}");
    }
    match cli::run(cli::parse(tend::import::help::help_args(std::env::args_os().collect()))) {
        Ok(code) => code,
        Err(e) => {
            // Messages may quote text from a file or the book: never let it reach the terminal raw.
            // A cause already said by the message it is wrapped in is not said again.
            let mut said: Vec<String> = Vec::new();
            for cause in e.chain() {
                let message = cause.to_string();
                if !said.last().is_some_and(|last| last.contains(&message)) {
                    said.push(message);
                }
            }
            let text = format!("tend: {}", tend::text::clean_lines(&said.join(": ")));
            // On a terminal, broken between words (the terminal would break a word, a URL, anywhere).
            let width = std::io::IsTerminal::is_terminal(&std::io::stderr())
                .then(|| ratatui::crossterm::terminal::size().ok())
                .flatten()
                .map(|(columns, _)| usize::from(columns));
            match width {
                Some(width) if width >= 20 => eprintln!("{}", tend::text::wrap_message(&text, width)),
                _ => eprintln!("{text}"),
            }
            ExitCode::FAILURE
        }
    }
}
