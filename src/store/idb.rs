//! IndexedDB requests and transactions as futures (over web-sys), and opening a database with
//! its upgrade step. Knows nothing of threads: `indexed` decides what is stored.
//!
//! Each future settles in the microtask after the browser's event, so a transaction is still
//! active when the awaiting code runs on: a read and the write it decides can share one
//! readwrite transaction.

use js_sys::{Function, Promise};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, IdbDatabase, IdbFactory, IdbRequest, IdbTransaction};

/// Why an IndexedDB operation failed: the browser's exception name (`QuotaExceededError`,
/// `AbortError`, …) and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdbError {
    pub name: String,
    pub message: String,
}

impl IdbError {
    /// From whatever the browser threw or reported (a `DOMException`, an `Error`, or nothing).
    pub fn from_js(value: &JsValue) -> IdbError {
        if let Some(e) = value.dyn_ref::<DomException>() {
            return IdbError {
                name: e.name(),
                message: e.message(),
            };
        }
        if let Some(e) = value.dyn_ref::<js_sys::Error>() {
            return IdbError {
                name: e.name().into(),
                message: e.message().into(),
            };
        }
        IdbError {
            name: "UnknownError".into(),
            message: value
                .as_string()
                .unwrap_or_else(|| "IndexedDB failed".into()),
        }
    }

    fn from_exception(exception: Option<DomException>, otherwise: &str) -> IdbError {
        match exception {
            Some(e) => IdbError::from_js(&e),
            None => IdbError {
                name: otherwise.into(),
                message: String::new(),
            },
        }
    }

    /// Whether the browser's storage is full (Firefox once named it otherwise).
    pub fn is_quota(&self) -> bool {
        self.name == "QuotaExceededError" || self.name == "NS_ERROR_DOM_QUOTA_REACHED"
    }
}

impl std::fmt::Display for IdbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}: {}", self.name, self.message)
        }
    }
}

/// A future behind a pointer: each is compiled once and polled through it, rather than
/// inlined into every caller's state machine (the thread module's size is budgeted).
pub type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// A promise settled by the first of two events: `on_ok` resolves it, `on_err` rejects it.
fn settle_on(target: impl FnOnce(&Function, &Function)) -> JsFuture {
    let mut target = Some(target);
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        if let Some(target) = target.take() {
            target(&resolve, &reject);
        }
    }))
}

/// The result of `request` once it has succeeded.
pub fn request(request: &IdbRequest) -> Boxed<'_, Result<JsValue, IdbError>> {
    Box::pin(async move {
        let settled = settle_on(|ok, err| {
            request.set_onsuccess(Some(ok));
            request.set_onerror(Some(err));
        })
        .await;
        request.set_onsuccess(None);
        request.set_onerror(None);
        match settled {
            Ok(_) => request.result().map_err(|e| IdbError::from_js(&e)),
            Err(_) => Err(IdbError::from_exception(
                request.error().ok().flatten(),
                "UnknownError",
            )),
        }
    })
}

/// Waits until `transaction` has committed; its error (`QuotaExceededError`, say) if it aborted.
pub fn committed(transaction: &IdbTransaction) -> Boxed<'_, Result<(), IdbError>> {
    Box::pin(async move {
        let settled = settle_on(|ok, err| {
            transaction.set_oncomplete(Some(ok));
            transaction.set_onabort(Some(err));
        })
        .await;
        transaction.set_oncomplete(None);
        transaction.set_onabort(None);
        settled
            .map(drop)
            .map_err(|_| IdbError::from_exception(transaction.error(), "AbortError"))
    })
}

/// The browser's IndexedDB, or why there is none (missing, or refused here: some private
/// modes and sandboxed or third-party frames throw `SecurityError`).
pub fn factory() -> Result<IdbFactory, IdbError> {
    match leptos::prelude::window().indexed_db() {
        Ok(Some(factory)) => Ok(factory),
        Ok(None) => Err(IdbError {
            name: "NotSupportedError".into(),
            message: "this browser has no IndexedDB".into(),
        }),
        Err(e) => Err(IdbError::from_js(&e)),
    }
}

/// Opens database `name` at `version`, calling `upgrade(database, old_version)` when it is
/// created or older. The connection closes itself when another tab needs a newer version.
pub async fn open(
    name: &str,
    version: u32,
    upgrade: impl FnOnce(&IdbDatabase, f64) -> Result<(), JsValue> + 'static,
) -> Result<IdbDatabase, IdbError> {
    let opening = factory()?
        .open_with_u32(name, version)
        .map_err(|e| IdbError::from_js(&e))?;
    let on_upgrade = Closure::once(move |event: web_sys::IdbVersionChangeEvent| {
        let Some(request) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
        else {
            return;
        };
        let Ok(database) = request.result() else {
            return;
        };
        if upgrade(database.unchecked_ref(), event.old_version()).is_err() {
            // An incomplete upgrade must not leave a half-made database behind.
            if let Some(transaction) = request.transaction() {
                let _ = transaction.abort();
            }
        }
    });
    opening.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let opened = request(&opening).await;
    opening.set_onupgradeneeded(None);
    let database: IdbDatabase = opened?.unchecked_into();
    let closing = database.clone();
    let on_version_change = Closure::<dyn Fn()>::new(move || closing.close());
    database.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    // Lives as long as the page: the connection does.
    on_version_change.forget();
    Ok(database)
}
