//! Signing in to a store with accounts (CouchDB): checking credentials with the server's
//! `/_session`, and the bearer token a school's launcher hands over in the page's fragment.
//!
//! A password is never stored: it lives in the `Authorization` header the store sends, for
//! this page only. A launcher's token is kept in this tab's sessionStorage (it is short-lived
//! and not a password) so that a reload stays signed in.

use crate::model::account::{self, Session};
use crate::store::http::{self, HttpError, Revalidate};
use gloo_net::http::Method;
use leptos::prelude::window;

const TOKEN_KEY: &str = "colloquy:launch-token";

/// Why signing in did not work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// The server does not accept these credentials (or this token).
    Refused,
    /// Anything else, in English: the server's words or the browser's.
    Failed(String),
}

/// The reader these credentials (an `Authorization` header value) belong to, as the server
/// of the database at `database_url` says.
pub async fn check(database_url: &str, authorization: &str) -> Result<Session, SignInError> {
    let url = format!("{}/_session", account::server_of(database_url));
    let headers = [("Authorization".to_owned(), authorization.to_owned())];
    match http::send(Method::GET, &url, &headers, None, Revalidate::Never).await {
        Ok(response) if response.status == 200 => account::parse_session(&response.body)
            .map_err(SignInError::Failed)?
            .ok_or(SignInError::Refused),
        Ok(response) if response.status == 401 || response.status == 403 => {
            Err(SignInError::Refused)
        }
        Ok(response) => Err(SignInError::Failed(format!(
            "the server answered {}{}",
            response.status,
            crate::store::wire::server_message(&response.body)
                .map(|message| format!(": {message}"))
                .unwrap_or_default()
        ))),
        Err(HttpError::Timeout) => Err(SignInError::Failed(
            "the server did not answer in time".into(),
        )),
        Err(HttpError::Network(reason)) => Err(SignInError::Failed(reason)),
    }
}

/// The `Authorization` header of a username and password.
pub fn basic(username: &str, password: &str) -> String {
    crate::config::Credentials::Basic {
        username: username.to_owned(),
        password: password.to_owned(),
    }
    .authorization()
}

/// The launcher's token: taken out of the address (so it is not bookmarked or shared) and
/// kept for this tab, or the one kept earlier in this tab.
pub fn launch_token() -> Option<String> {
    let storage = window().session_storage().ok().flatten();
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    if let Some((token, rest)) = account::token_in_fragment(&hash) {
        let search = location.search().unwrap_or_default();
        let path = location.pathname().unwrap_or_default();
        let fragment = if rest.is_empty() {
            String::new()
        } else {
            format!("#{rest}")
        };
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("{path}{search}{fragment}")),
            );
        }
        if let Some(storage) = &storage {
            let _ = storage.set_item(TOKEN_KEY, &token);
        }
        return Some(token);
    }
    storage?.get_item(TOKEN_KEY).ok().flatten()
}

/// Forgets the launcher's token (the reader signed out, or the server refused it).
pub fn forget_launch_token() {
    if let Some(storage) = window().session_storage().ok().flatten() {
        let _ = storage.remove_item(TOKEN_KEY);
    }
}
