//! The `colloquy` command line: its subcommands, flags and exit codes. The work is done in
//! `site` and `import`; this module only reads arguments and reports.

use crate::{import, site};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: colloquy build [--content <DIR>] [--dist <DIR>]
       colloquy check <CONTENT_DIR>
       colloquy import <FILE> --into <CONTENT_DIR> [--include-pending]
       colloquy import <FILE> --to <config.json> [--into <CONTENT_DIR>] [--include-pending]

  build   renders each post of <DIR>/posts.json (default content/) as a static page,
          and the post list, into the built site (default: $TRUNK_STAGING_DIR when run as
          Trunk's hook, else dist/), which must already hold the app's index.html
  check   the build's content checks (posts.json, front matter, files, bibliographies,
          citation keys) without building anything
  import  a WordPress export (WXR 1.0-1.2) or a Disqus export, detected from the file:
          posts into <CONTENT_DIR>/posts.json and posts/<slug>/index.md, their comments
          into posts/<slug>/comments.json, or with --to into the REST or CouchDB store
          that config.json names (the posts then go to --into, default content/);
          --include-pending imports comments awaiting moderation, hidden";

pub fn run(args: Vec<String>) -> ExitCode {
    match args.first().map(String::as_str) {
        Some("build") => build(&args[1..]),
        Some("check") => check(&args[1..]),
        Some("import") => import(&args[1..]),
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

fn check(args: &[String]) -> ExitCode {
    let [content] = args else {
        eprintln!("colloquy check: give one content folder\n{USAGE}");
        return ExitCode::from(2);
    };
    match site::check(std::path::Path::new(content)) {
        Ok((posts, warnings)) => {
            for warning in &warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "colloquy check: {posts} post(s) in {content}, no errors, {} warning(s)",
                warnings.len()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            eprintln!("colloquy check: {} error(s) in {content}", problems.len());
            ExitCode::FAILURE
        }
    }
}

fn import(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut into = None;
    let mut to = None;
    let mut include_pending = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let slot = match arg.as_str() {
            "--include-pending" => {
                include_pending = true;
                continue;
            }
            "--into" => &mut into,
            "--to" => &mut to,
            flag if flag.starts_with("--") => {
                eprintln!("colloquy import: unknown argument {flag:?}\n{USAGE}");
                return ExitCode::from(2);
            }
            _ if file.is_none() => {
                file = Some(PathBuf::from(arg));
                continue;
            }
            _ => {
                eprintln!("colloquy import: one file at a time ({arg:?} is a second)\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        match rest.next() {
            Some(value) => *slot = Some(PathBuf::from(value)),
            None => {
                eprintln!("colloquy import: {arg} needs a path\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("colloquy import: which file?\n{USAGE}");
        return ExitCode::from(2);
    };
    if into.is_none() && to.is_none() {
        eprintln!("colloquy import: give --into <CONTENT_DIR> or --to <config.json>\n{USAGE}");
        return ExitCode::from(2);
    }
    let options = import::Options {
        file,
        content: into.unwrap_or_else(|| PathBuf::from("content")),
        store: to,
        include_pending,
    };
    match import::run(&options) {
        Ok(report) => {
            // A closed pipe (`| head`) is not an import error.
            let _ = write!(std::io::stdout(), "{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
