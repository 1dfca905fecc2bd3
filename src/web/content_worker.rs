//! The page's side of the content worker, which holds the Markdown and front matter parsers.

use crate::content::protocol::{Reply, Request};
use crate::web::worker::{self, WorkerKind};

/// Trunk's loader for the `content_worker` binary, next to index.html.
const CONTENT_WORKER: WorkerKind = WorkerKind {
    url: "./content_worker_loader.js",
    name: "content parser",
};

/// Sends a request to the content worker and waits for its reply.
pub async fn ask(request: Request) -> Result<Reply, String> {
    worker::ask(CONTENT_WORKER, request).await
}

/// Starts the worker ahead of need: on a built page nothing else has (the post and its seed
/// comments came rendered), and a reader who starts writing will want a preview and their
/// comment drawn at once.
pub fn warm_up() {
    worker::warm_up(CONTENT_WORKER);
}
