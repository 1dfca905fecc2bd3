//! The page's side of the content worker: starts it on first use, pairs replies with
//! requests, and turns a worker that cannot start into an error the reader sees.

use crate::content::protocol::{Envelope, Reply, Request};
use futures_channel::oneshot;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Trunk's loader for the `content_worker` binary, next to index.html.
const WORKER_URL: &str = "./content_worker_loader.js";

type Answer = Result<Reply, String>;

struct Client {
    worker: Worker,
    ready: bool,
    failed: Option<String>,
    queued: Vec<String>,
    next_id: u32,
    pending: HashMap<u32, oneshot::Sender<Answer>>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

fn start() -> Result<Client, String> {
    let worker = Worker::new(WORKER_URL)
        .map_err(|_| "the content parser (a web worker) could not be started".to_owned())?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        if let Some(text) = event.data().as_string() {
            receive(&text);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn Fn(ErrorEvent)>::new(|event: ErrorEvent| {
        let detail = event.message();
        fail_all(format!(
            "the content parser (a web worker) stopped: {}",
            if detail.is_empty() {
                "it could not be loaded"
            } else {
                &detail
            }
        ));
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(Client {
        worker,
        ready: false,
        failed: None,
        queued: Vec::new(),
        next_id: 0,
        pending: HashMap::new(),
    })
}

fn receive(text: &str) {
    if text == "ready" {
        CLIENT.with_borrow_mut(|client| {
            if let Some(client) = client {
                client.ready = true;
                for message in client.queued.drain(..) {
                    let _ = client.worker.post_message(&JsValue::from_str(&message));
                }
            }
        });
        return;
    }
    let Ok(reply) = serde_json::from_str::<Envelope<Reply>>(text) else {
        return;
    };
    let waiting = CLIENT.with_borrow_mut(|client| client.as_mut()?.pending.remove(&reply.id));
    if let Some(waiting) = waiting {
        let _ = waiting.send(Ok(reply.body));
    }
}

fn fail_all(message: String) {
    let waiting: Vec<_> = CLIENT.with_borrow_mut(|client| match client {
        Some(client) => {
            client.failed = Some(message.clone());
            client.pending.drain().map(|(_, sender)| sender).collect()
        }
        None => Vec::new(),
    });
    for sender in waiting {
        let _ = sender.send(Err(message.clone()));
    }
}

/// Sends a request to the worker and waits for its reply.
pub async fn ask(request: Request) -> Answer {
    let (sender, receiver) = oneshot::channel();
    CLIENT.with_borrow_mut(|slot| {
        if slot.is_none() {
            *slot = Some(start()?);
        }
        let client = slot.as_mut().expect("started above");
        if let Some(failed) = &client.failed {
            return Err(failed.clone());
        }
        let id = client.next_id;
        client.next_id = client.next_id.wrapping_add(1);
        let message =
            serde_json::to_string(&Envelope { id, body: request }).map_err(|e| e.to_string())?;
        client.pending.insert(id, sender);
        if client.ready {
            let _ = client.worker.post_message(&JsValue::from_str(&message));
        } else {
            client.queued.push(message);
        }
        Ok(())
    })?;
    receiver
        .await
        .unwrap_or_else(|_| Err("the content parser did not answer".to_owned()))
}
