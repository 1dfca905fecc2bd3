//! `colloquy`, the site's command-line tool: `colloquy build` renders every post of
//! `content/` into the built site as static HTML (see `colloquy::cli`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    colloquy::cli::run(std::env::args().skip(1).collect())
}

// The crate's binaries are all built for the browser too; this one has nothing to do there.
#[cfg(target_arch = "wasm32")]
fn main() {}
