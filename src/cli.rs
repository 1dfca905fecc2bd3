//! The `colloquy` command line: its subcommands, flags and exit codes. The work is done in
//! `site`; this module only reads arguments and reports.

use crate::site;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: colloquy build [--content <DIR>] [--dist <DIR>]

  build   renders each post of <DIR>/posts.json (default content/) as a static page,
          and the post list, into the built site (default: $TRUNK_STAGING_DIR when run as
          Trunk's hook, else dist/), which must already hold the app's index.html";

pub fn run(args: Vec<String>) -> ExitCode {
    match args.first().map(String::as_str) {
        Some("build") => build(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn build(args: &[String]) -> ExitCode {
    let mut content = PathBuf::from("content");
    let mut dist =
        std::env::var_os("TRUNK_STAGING_DIR").map_or_else(|| PathBuf::from("dist"), PathBuf::from);
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let target = match flag.as_str() {
            "--content" => &mut content,
            "--dist" => &mut dist,
            other => {
                eprintln!("colloquy build: unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        match rest.next() {
            Some(value) => *target = PathBuf::from(value),
            None => {
                eprintln!("colloquy build: {flag} needs a folder\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match site::build(&content, &dist) {
        Ok(built) => {
            for warning in &built.warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "colloquy build: wrote {} pages to {}",
                built.pages.len(),
                dist.display()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            eprintln!(
                "colloquy build: {} error(s); no page was written",
                problems.len()
            );
            ExitCode::FAILURE
        }
    }
}
