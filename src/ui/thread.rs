//! The comment thread under a post: numbered comments with their permalinks.

use crate::content::markdown::{Document, Profile};
use crate::content::protocol::{Reply, Request};
use crate::model::Comment;
use crate::ui::markdown::nodes_view;
use crate::web::fetch::LoadError;
use crate::web::{content_worker, format};
use leptos::prelude::*;

/// Renders comment bodies in the content worker; `None` for each until it answers.
async fn render_bodies(bodies: Vec<String>) -> Vec<Option<Document>> {
    let count = bodies.len();
    match content_worker::ask(Request::Texts {
        texts: bodies,
        profile: Profile::Comment,
    })
    .await
    {
        Ok(Reply::Texts(documents)) => documents.into_iter().map(Some).collect(),
        _ => vec![None; count],
    }
}

#[component]
pub fn Thread(comments: Signal<Option<Result<Vec<Comment>, LoadError>>>) -> impl IntoView {
    let heading = move || match comments.get() {
        Some(Ok(list)) => match list.len() {
            0 => "No comments yet".to_owned(),
            1 => "1 comment".to_owned(),
            n => format!("{n} comments"),
        },
        _ => "Comments".to_owned(),
    };
    let rendered = LocalResource::new(move || {
        let bodies = match comments.get() {
            Some(Ok(list)) => list.into_iter().map(|c| c.body).collect(),
            _ => Vec::new(),
        };
        render_bodies(bodies)
    });
    view! {
        <section class="thread" aria-labelledby="thread-heading">
            <h2 id="thread-heading">{heading}</h2>
            {move || match comments.get() {
                None => view! { <p class="thread-status" role="status">"Loading comments…"</p> }.into_any(),
                Some(Err(error)) => view! {
                    <p class="thread-error" role="alert">{format!("The comments cannot be shown: {error}")}</p>
                }
                .into_any(),
                Some(Ok(list)) => {
                    let bodies = rendered.get().unwrap_or_default();
                    view! {
                        <ol class="comments">
                            {list
                                .into_iter()
                                .enumerate()
                                .map(|(index, comment)| {
                                    let body = bodies.get(index).cloned().flatten();
                                    view! { <CommentView comment body number=index + 1 /> }
                                })
                                .collect_view()}
                        </ol>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn CommentView(comment: Comment, body: Option<Document>, number: usize) -> impl IntoView {
    // Until the worker has rendered the Markdown, the body shows as its plain text.
    let body = match body {
        Some(document) => nodes_view(&document.blocks),
        None => view! { <p>{comment.body.clone()}</p> }.into_any(),
    };
    view! {
        <li class="comment" id=format!("comment-{number}")>
            <article aria-label=format!("Comment {number} by {}", comment.author)>
                <header class="comment-header">
                    <span class="comment-author">{comment.author.clone()}</span>
                    <time datetime=comment.created_at.clone()>{format::timestamp(&comment.created_at)}</time>
                    <a class="comment-permalink" href=format!("#comment-{number}")>{format!("#{number}")}</a>
                </header>
                <div class="comment-body" dir="auto">{body}</div>
            </article>
        </li>
    }
}
