//! The citation worker: formats a post's citations and bibliography with hayagriva, which is
//! too large for the page's first load. Messages are JSON `Envelope`s of `cite::protocol`.

fn main() {
    colloquy::web::worker::serve(|request: colloquy::cite::protocol::FormatRequest| {
        colloquy::cite::format::format(&request)
    });
}
