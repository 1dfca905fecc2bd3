//! Web Workers that answer JSON requests. The page's side starts a worker on first use,
//! queues requests until it says "ready", pairs replies with requests by id, and turns a
//! worker that cannot start into an error the reader sees; `serve` is the worker's side.

pub use crate::content::protocol::Envelope;
use futures_channel::oneshot;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, ErrorEvent, MessageEvent, Worker};

/// A worker by its loader script and the name it is called by in messages to the reader.
#[derive(Clone, Copy)]
pub struct WorkerKind {
    pub url: &'static str,
    pub name: &'static str,
}

type Answer = Result<String, String>;

struct Client {
    worker: Worker,
    ready: bool,
    failed: Option<String>,
    queued: Vec<String>,
    next_id: u32,
    pending: HashMap<u32, oneshot::Sender<Answer>>,
}

thread_local! {
    static CLIENTS: RefCell<HashMap<&'static str, Client>> = RefCell::new(HashMap::new());
}

#[derive(Deserialize)]
struct IdOnly {
    id: u32,
}

fn start(kind: WorkerKind) -> Result<Client, String> {
    let worker = Worker::new(kind.url)
        .map_err(|_| format!("the {} (a web worker) could not be started", kind.name))?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(text) = event.data().as_string() {
            receive(kind, text);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
        let detail = event.message();
        fail_all(
            kind,
            format!(
                "the {} (a web worker) stopped: {}",
                kind.name,
                if detail.is_empty() {
                    "it could not be loaded"
                } else {
                    &detail
                }
            ),
        );
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

fn receive(kind: WorkerKind, text: String) {
    if text == "ready" {
        CLIENTS.with_borrow_mut(|clients| {
            if let Some(client) = clients.get_mut(kind.url) {
                client.ready = true;
                for message in client.queued.drain(..) {
                    let _ = client.worker.post_message(&JsValue::from_str(&message));
                }
            }
        });
        return;
    }
    let Ok(IdOnly { id }) = serde_json::from_str(&text) else {
        return;
    };
    let waiting = CLIENTS.with_borrow_mut(|clients| clients.get_mut(kind.url)?.pending.remove(&id));
    if let Some(waiting) = waiting {
        let _ = waiting.send(Ok(text));
    }
}

fn fail_all(kind: WorkerKind, message: String) {
    let waiting: Vec<_> = CLIENTS.with_borrow_mut(|clients| match clients.get_mut(kind.url) {
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

/// Starts the worker now, if it has not started, so that it is ready when first asked.
pub fn warm_up(kind: WorkerKind) {
    CLIENTS.with_borrow_mut(|clients| {
        if !clients.contains_key(kind.url) {
            if let Ok(client) = start(kind) {
                clients.insert(kind.url, client);
            }
        }
    });
}

/// Sends a request to the worker (starting it if need be) and waits for its reply.
pub async fn ask<Request: Serialize, Reply: DeserializeOwned>(
    kind: WorkerKind,
    request: Request,
) -> Result<Reply, String> {
    let (sender, receiver) = oneshot::channel();
    CLIENTS.with_borrow_mut(|clients| {
        if !clients.contains_key(kind.url) {
            clients.insert(kind.url, start(kind)?);
        }
        let client = clients.get_mut(kind.url).expect("started above");
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
        Ok::<(), String>(())
    })?;
    let text = receiver
        .await
        .unwrap_or_else(|_| Err(format!("the {} did not answer", kind.name)))?;
    serde_json::from_str::<Envelope<Reply>>(&text)
        .map(|envelope| envelope.body)
        .map_err(|error| format!("the {} answered something unreadable: {error}", kind.name))
}

/// The worker's side: answers every request with `answer`, then tells the page it listens
/// (requests sent before that are queued by the page).
pub fn serve<Request: DeserializeOwned, Reply: Serialize>(
    answer: impl Fn(Request) -> Reply + 'static,
) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        let Ok(request) = serde_json::from_str::<Envelope<Request>>(&text) else {
            return;
        };
        let reply = Envelope {
            id: request.id,
            body: answer(request.body),
        };
        if let Ok(json) = serde_json::to_string(&reply) {
            let _ = reply_scope.post_message(&JsValue::from_str(&json));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
