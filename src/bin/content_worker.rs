//! The content worker: parses post sources and renders Markdown off the page's first load.
//! Messages are JSON `Envelope`s of `content::protocol` requests and replies.

fn main() {
    colloquy::web::worker::serve(colloquy::content::protocol::answer);
}
