//! The comment thread under a post: numbered comments with their permalinks.

use crate::content::markdown::{render_with, Profile};
use crate::model::Comment;
use crate::ui::markdown::nodes_view;
use crate::web::fetch::LoadError;
use crate::web::format;
use leptos::prelude::*;

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
    view! {
        <section class="thread" aria-labelledby="thread-heading">
            <h2 id="thread-heading">{heading}</h2>
            {move || match comments.get() {
                None => view! { <p class="thread-status" role="status">"Loading comments…"</p> }.into_any(),
                Some(Err(error)) => view! {
                    <p class="thread-error" role="alert">{format!("The comments cannot be shown: {error}")}</p>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <ol class="comments">
                        {list
                            .into_iter()
                            .enumerate()
                            .map(|(index, comment)| view! { <CommentView comment number=index + 1 /> })
                            .collect_view()}
                    </ol>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn CommentView(comment: Comment, number: usize) -> impl IntoView {
    let body = render_with(&comment.body, Profile::Comment);
    view! {
        <li class="comment" id=format!("comment-{number}")>
            <article aria-label=format!("Comment {number} by {}", comment.author)>
                <header class="comment-header">
                    <span class="comment-author">{comment.author.clone()}</span>
                    <time datetime=comment.created_at.clone()>{format::timestamp(&comment.created_at)}</time>
                    <a class="comment-permalink" href=format!("#comment-{number}")>{format!("#{number}")}</a>
                </header>
                <div class="comment-body" dir="auto">{nodes_view(&body.blocks)}</div>
            </article>
        </li>
    }
}
