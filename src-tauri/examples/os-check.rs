//! The lock's OS user check alone, for tests/polkit/os_check.py: prints this process's id,
//! waits for a line on stdin (the test registers a polkit agent for this process first),
//! then asks the OS and prints the answer: `ok`, or the failure's catalog key.

use std::io::{BufRead, Write};
use std::sync::mpsc;

/// A line for the test; a test that stopped listening is no error of this program.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

fn main() -> std::process::ExitCode {
    say(&std::process::id().to_string());
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return std::process::ExitCode::from(2);
    }
    let (sender, receiver) = mpsc::channel();
    ninsho_app::os_check::verify(
        "unlock Ninsho and show your codes",
        Box::new(move |result| {
            let _ = sender.send(result);
        }),
    );
    match receiver.recv() {
        Ok(Ok(())) => {
            say("ok");
            std::process::ExitCode::SUCCESS
        }
        Ok(Err(failure)) => {
            say(failure.key());
            std::process::ExitCode::FAILURE
        }
        Err(_) => std::process::ExitCode::from(2),
    }
}
