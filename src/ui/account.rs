//! Signing in above the thread, on a store with accounts (CouchDB): "Sign in" and its form,
//! "Signed in as …" with "Sign out", and the prompt a members-only discussion shows a reader
//! who is not signed in. Only the thread module of shared stores links it (`ClassTools`).

use crate::i18n::fill;
use crate::model::account::{Session, StaffRoles};
use crate::store::RemoteProblem;
use crate::ui::comment::role_label;
use crate::ui::thread_state::ThreadContext;
use crate::web::account::{self, SignInError};
use crate::web::locale;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The account bar of the database at `database_url`, with the host's staff roles (the
/// `account_bar` of `ClassTools`).
pub fn account_bar(database_url: String, staff: StaffRoles) -> AnyView {
    view! { <AccountBar database_url staff /> }.into_any()
}

/// Whether a store's answer means the reader must sign in (again) to read or write.
pub fn needs_sign_in(problem: &RemoteProblem) -> bool {
    matches!(problem, RemoteProblem::Answered { status, .. } if *status == 401 || *status == 403)
}

#[component]
fn AccountBar(database_url: String, staff: StaffRoles) -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let words = locale::class();
    let database_url = StoredValue::new(database_url);
    let staff = StoredValue::new(staff);
    let form_open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let username: NodeRef<html::Input> = NodeRef::new();
    let password: NodeRef<html::Input> = NodeRef::new();
    let sign_in_button: NodeRef<html::Button> = NodeRef::new();
    let sign_out_button: NodeRef<html::Button> = NodeRef::new();

    let focus_later = move |button: NodeRef<html::Button>| {
        request_animation_frame(move || {
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        });
    };
    // The signed-in reader's credential, for checking it again; only in this page's memory.
    let credential: StoredValue<Option<String>> = StoredValue::new(None);
    let become_signed_in = move |session: Session, authorization: String| {
        credential.set_value(Some(authorization.clone()));
        if let Some(store) = ctx.store() {
            store.set_authorization(Some(authorization));
            // What the reader could not read before is the thread, not news.
            ctx.reveal_arrivals.set_value(true);
            store.retry_now();
        }
        ctx.account.set(Some(session.mark(&staff.get_value())));
        ctx.announcement.set(fill(
            words.signed_in_announcement,
            &[("name", &session.name)],
        ));
    };
    let become_signed_out = move || {
        credential.set_value(None);
        if let Some(store) = ctx.store() {
            store.set_authorization(None);
        }
        account::forget_launch_token();
        ctx.account.set(None);
    };

    // A launcher's token signs the reader in as the page opens.
    if let Some(token) = account::launch_token() {
        let authorization = format!("Bearer {token}");
        busy.set(true);
        spawn_local(async move {
            match account::check(&database_url.get_value(), &authorization).await {
                Ok(session) => become_signed_in(session, authorization),
                Err(SignInError::Refused) => {
                    account::forget_launch_token();
                    error.set(Some(words.session_ended.to_owned()));
                }
                Err(SignInError::Failed(reason)) => {
                    error.set(Some(fill(words.sign_in_failed, &[("reason", &reason)])));
                }
            }
            busy.set(false);
        });
    }

    // A 401 while signed in: if the server no longer takes the credential (a session or token
    // that ended, a password changed), back to signed out, saying so; the composer keeps what
    // was typed. A 401 to a request sent before signing in is not that: asked again, it is not.
    Effect::new(move |_| {
        let refused = ctx.store_problem.with(|problem| {
            problem
                .as_ref()
                .is_some_and(|p| matches!(p, RemoteProblem::Answered { status: 401, .. }))
        });
        let Some(authorization) = credential.get_value().filter(|_| refused) else {
            return;
        };
        spawn_local(async move {
            let answer = account::check(&database_url.get_value(), &authorization).await;
            let still_this = credential.with_value(|now| now.as_ref() == Some(&authorization));
            if answer == Err(SignInError::Refused) && still_this {
                become_signed_out();
                error.set(Some(words.session_ended.to_owned()));
            }
        });
    });

    // A write refused while signed in: the server may have taken a staff role away (or given
    // one). The account follows what the server says now, so the tools shown match the rules
    // that check each write; what was typed stays where it is.
    Effect::new(move |first_run: Option<()>| {
        ctx.refused_write.track();
        let Some(authorization) = credential.get_value().filter(|_| first_run.is_some()) else {
            return;
        };
        spawn_local(async move {
            let answer = account::check(&database_url.get_value(), &authorization).await;
            if !credential.with_value(|now| now.as_ref() == Some(&authorization)) {
                return;
            }
            match answer {
                Ok(session) => {
                    let now = session.mark(&staff.get_value());
                    let before = ctx.account.get_untracked();
                    if before.as_ref() == Some(&now) {
                        return;
                    }
                    let message = match before.and_then(|b| b.role).filter(|_| now.role.is_none()) {
                        Some(role) => fill(words.role_removed, &[("role", role_label(role))]),
                        None => words.role_changed.to_owned(),
                    };
                    ctx.account.set(Some(now));
                    error.set(Some(message));
                }
                Err(SignInError::Refused) => {
                    become_signed_out();
                    error.set(Some(words.session_ended.to_owned()));
                }
                Err(SignInError::Failed(_)) => {}
            }
        });
    });

    let open_form = move |_| {
        error.set(None);
        form_open.set(true);
        request_animation_frame(move || {
            if let Some(input) = username.get_untracked() {
                let _ = input.focus();
            }
        });
    };
    let close_form = move |_| {
        form_open.set(false);
        error.set(None);
        focus_later(sign_in_button);
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (Some(name_input), Some(password_input)) =
            (username.get_untracked(), password.get_untracked())
        else {
            return;
        };
        let name = name_input.value().trim().to_owned();
        let secret = password_input.value();
        if name.is_empty() || secret.is_empty() {
            error.set(Some(words.sign_in_missing.to_owned()));
            let _ = if name.is_empty() {
                name_input.focus()
            } else {
                password_input.focus()
            };
            return;
        }
        let authorization = account::basic(&name, &secret);
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match account::check(&database_url.get_value(), &authorization).await {
                Ok(session) => {
                    form_open.set(false);
                    become_signed_in(session, authorization);
                    focus_later(sign_out_button);
                }
                Err(SignInError::Refused) => {
                    error.set(Some(words.sign_in_wrong.to_owned()));
                    password_input.set_value("");
                    let _ = password_input.focus();
                }
                Err(SignInError::Failed(reason)) => {
                    error.set(Some(fill(words.sign_in_failed, &[("reason", &reason)])));
                }
            }
            busy.set(false);
        });
    };
    let sign_out = move |_| {
        become_signed_out();
        error.set(None);
        ctx.announcement
            .set(words.signed_out_announcement.to_owned());
        focus_later(sign_in_button);
    };

    let signed_in = move || {
        ctx.account.get().map(|account| {
            let badge = account
                .role
                .map(|role| view! { <span class="role-badge">{role_label(role)}</span> });
            view! {
                <p class="account-status">
                    <span>{fill(words.signed_in_as, &[("name", &account.name)])}</span>
                    {badge}
                    <button type="button" class="secondary" node_ref=sign_out_button on:click=sign_out>
                        {words.sign_out}
                    </button>
                </p>
            }
        })
    };
    let members_only = move || {
        ctx.account.with(Option::is_none)
            && ctx
                .store_problem
                .with(|problem| problem.as_ref().is_some_and(needs_sign_in))
    };
    let signed_out = move || {
        ctx.account.with(Option::is_none).then(|| {
            view! {
                {move || members_only().then(|| view! {
                    <p class="sign-in-prompt" role="status">{words.sign_in_prompt}</p>
                })}
                <Show
                    when=move || form_open.get()
                    fallback=move || view! {
                        <button
                            type="button"
                            class="sign-in"
                            node_ref=sign_in_button
                            disabled=move || busy.get()
                            on:click=open_form
                        >
                            {words.sign_in}
                        </button>
                    }
                >
                    <form class="sign-in-form" aria-label=words.sign_in novalidate=true on:submit=on_submit>
                        <div class="field">
                            <label for="sign-in-username">{words.username_label}</label>
                            <input
                                id="sign-in-username"
                                node_ref=username
                                type="text"
                                autocomplete="username"
                                autocapitalize="none"
                                spellcheck="false"
                                aria-describedby="sign-in-error"
                            />
                        </div>
                        <div class="field">
                            <label for="sign-in-password">{words.password_label}</label>
                            <input
                                id="sign-in-password"
                                node_ref=password
                                type="password"
                                autocomplete="current-password"
                                aria-describedby="sign-in-error"
                            />
                        </div>
                        <div class="composer-actions">
                            <button type="submit" disabled=move || busy.get()>
                                {move || if busy.get() { words.signing_in } else { words.sign_in }}
                            </button>
                            <button type="button" class="secondary" on:click=close_form>
                                {locale::thread().cancel}
                            </button>
                        </div>
                    </form>
                </Show>
            }
        })
    };

    view! {
        <div class="account-bar">
            {signed_in}
            {signed_out}
            <p id="sign-in-error" class="sign-in-error" role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
