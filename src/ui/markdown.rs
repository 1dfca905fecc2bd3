//! Turns the content tree into DOM nodes: one known element per `Kind`, text as text nodes.

use crate::content::markdown::{CellAlign, Element, Kind, Node};
use leptos::prelude::*;

/// Renders a run of content nodes.
pub fn nodes_view(nodes: &[Node]) -> AnyView {
    nodes.iter().map(node_view).collect_view().into_any()
}

fn node_view(node: &Node) -> AnyView {
    match node {
        Node::Text(text) => text.clone().into_any(),
        Node::Element(element) => element_view(element),
    }
}

fn align_style(align: CellAlign) -> Option<&'static str> {
    match align {
        CellAlign::None => None,
        CellAlign::Left => Some("text-align:left"),
        CellAlign::Center => Some("text-align:center"),
        CellAlign::Right => Some("text-align:right"),
    }
}

fn element_view(element: &Element) -> AnyView {
    let kids = nodes_view(&element.children);
    match &element.kind {
        Kind::Paragraph => view! { <p>{kids}</p> }.into_any(),
        Kind::Heading { level, id } => {
            let id = id.clone();
            match level {
                2 => view! { <h2 id=id>{kids}</h2> }.into_any(),
                3 => view! { <h3 id=id>{kids}</h3> }.into_any(),
                4 => view! { <h4 id=id>{kids}</h4> }.into_any(),
                5 => view! { <h5 id=id>{kids}</h5> }.into_any(),
                _ => view! { <h6 id=id>{kids}</h6> }.into_any(),
            }
        }
        Kind::BlockQuote => view! { <blockquote>{kids}</blockquote> }.into_any(),
        Kind::CodeBlock { language } => {
            let class = language.as_ref().map(|l| format!("language-{l}"));
            view! { <pre tabindex="0"><code class=class>{kids}</code></pre> }.into_any()
        }
        Kind::List { start: Some(start) } => {
            view! { <ol start=start.to_string()>{kids}</ol> }.into_any()
        }
        Kind::List { start: None } => view! { <ul>{kids}</ul> }.into_any(),
        Kind::Item => view! { <li>{kids}</li> }.into_any(),
        Kind::TaskMarker { checked } => {
            view! { <input type="checkbox" disabled=true checked=*checked /> }.into_any()
        }
        Kind::Table => {
            view! { <div class="table-scroll" tabindex="0"><table>{kids}</table></div> }.into_any()
        }
        Kind::TableHead => view! { <thead>{kids}</thead> }.into_any(),
        Kind::TableBody => view! { <tbody>{kids}</tbody> }.into_any(),
        Kind::TableRow => view! { <tr>{kids}</tr> }.into_any(),
        Kind::TableCell { header: true, align } => {
            view! { <th scope="col" style=align_style(*align)>{kids}</th> }.into_any()
        }
        Kind::TableCell { header: false, align } => {
            view! { <td style=align_style(*align)>{kids}</td> }.into_any()
        }
        Kind::Emphasis => view! { <em>{kids}</em> }.into_any(),
        Kind::Strong => view! { <strong>{kids}</strong> }.into_any(),
        Kind::Strikethrough => view! { <del>{kids}</del> }.into_any(),
        Kind::Code => view! { <code>{kids}</code> }.into_any(),
        Kind::Link { href, title } => {
            let title = (!title.is_empty()).then(|| title.clone());
            let external = href.starts_with("http");
            view! {
                <a
                    href=href.clone()
                    title=title
                    rel=external.then_some("noopener noreferrer nofollow")
                    target=external.then_some("_blank")
                >
                    {kids}
                </a>
            }
            .into_any()
        }
        Kind::Image { src, title } => {
            let alt = crate::content::markdown::plain_text(&element.children);
            let title = (!title.is_empty()).then(|| title.clone());
            view! { <img src=src.clone() alt=alt title=title loading="lazy" /> }.into_any()
        }
        Kind::Plain => view! { <span>{kids}</span> }.into_any(),
        Kind::Rule => view! { <hr /> }.into_any(),
        Kind::LineBreak => view! { <br /> }.into_any(),
        Kind::Mention { target, .. } => {
            view! { <a class="mention" href=target.clone()>{kids}</a> }.into_any()
        }
        Kind::FootnoteReference { number, id } => view! {
            <sup class="footnote-ref">
                <a id=id.clone() href=format!("#fn-{number}") aria-label=format!("Footnote {number}")>
                    {number.to_string()}
                </a>
            </sup>
        }
        .into_any(),
    }
}
