//! `ninsho-module-graph PATH…`: checks each crate (a package directory, for each of its crate
//! roots, or a root file) for module cycles. Exit status 1 when one has any, 2 when a crate
//! cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use ninsho_module_graph::{Crate, Graph, roots};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: ninsho-module-graph (PACKAGE_DIR | CRATE_ROOT.rs)…");
        return ExitCode::from(2);
    }
    let (mut findings, mut unreadable) = (0, false);
    for arg in &args {
        let files = if arg.is_dir() { roots(arg) } else { Ok(vec![arg.clone()]) };
        let files = match files {
            Ok(files) => files,
            Err(e) => {
                eprintln!("ninsho-module-graph: {e}");
                unreadable = true;
                continue;
            }
        };
        for root in files {
            let krate = match Crate::load(&root) {
                Ok(krate) => krate,
                Err(e) => {
                    eprintln!("ninsho-module-graph: {e}");
                    unreadable = true;
                    continue;
                }
            };
            let graph = Graph::of(&krate);
            let found: Vec<String> = graph.cycles().iter().map(ToString::to_string).chain(graph.upward().iter().map(ToString::to_string)).collect();
            if found.is_empty() {
                let count = krate.modules.len();
                println!("{}: {count} module{}, no cycle", root.display(), if count == 1 { "" } else { "s" });
            }
            for finding in &found {
                println!("{}: {finding}", root.display());
            }
            findings += found.len();
        }
    }
    if unreadable {
        return ExitCode::from(2);
    }
    if findings > 0 {
        eprintln!("ninsho-module-graph: {findings} module cycle(s); move what both sides use below them (see crates/module-graph/src/lib.rs)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
