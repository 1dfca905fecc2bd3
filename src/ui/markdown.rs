//! Turns the content tree into DOM nodes: each `Kind` becomes one known element (its shape
//! comes from `content::markdown::dom`), text becomes text nodes. Nothing is parsed as HTML.
//!
//! One generic element builder instead of a `view!` per kind keeps the wasm small.

use crate::content::markdown::dom::{shape_of, Shape};
use crate::content::markdown::{Element, Kind, Node};
use leptos::attr::custom::custom_attribute;
use leptos::html::custom;
use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::tachys::view::add_attr::AddAnyAttr;

/// Renders a run of content nodes.
pub fn nodes_view(nodes: &[Node]) -> AnyView {
    nodes.iter().map(node_view).collect::<Vec<_>>().into_any()
}

fn node_view(node: &Node) -> AnyView {
    match node {
        Node::Text(text) => text.clone().into_any(),
        Node::Element(element) => element_view(element),
    }
}

/// Last visit's formatted label of each citation, by number (see `web::cite`).
#[derive(Clone, Debug, Default)]
pub struct CitationLabels(pub Vec<(usize, String)>);

fn element_view(element: &Element) -> AnyView {
    if let Kind::Citation { number, .. } = element.kind {
        let cached = use_context::<CitationLabels>().and_then(|labels| {
            labels
                .0
                .into_iter()
                .find(|(n, label)| *n == number && !label.is_empty())
        });
        if let Some((_, label)) = cached {
            return build(shape_of(element), label.into_any());
        }
    }
    let shape = shape_of(element);
    let children = match &shape.text {
        Some(text) => text.clone().into_any(),
        None if shape.void => ().into_any(),
        None => nodes_view(&element.children),
    };
    build(shape, children)
}

fn build(shape: Shape, children: AnyView) -> AnyView {
    let attributes: Vec<AnyAttribute> = shape
        .attributes
        .into_iter()
        .map(|(name, value)| custom_attribute(name, value).into_any_attr())
        .collect();
    let children = match shape.inner {
        Some(inner) => build(*inner, children),
        None => children,
    };
    custom(shape.tag)
        .child(children)
        .add_any_attr(attributes)
        .into_any()
}
