//! Comments on a passage of the post: the post's text as anchoring sees it, the reader's
//! selection turned into a `Passage`, the "Comment on this passage" control (button, or the
//! C key), and the highlights with their counts that lead to the comments.

use crate::model::anchor::{locate, segments, Passage};
use crate::ui::thread_state::{show_comment, ThreadContext};
use crate::web::{format, locale};
use leptos::ev;
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, Node, Text};

/// The post's body, whose text passages are anchored in.
const POST_BODY: &str = "article.post .post-body";
/// Parts of the body that are not its text: citations (their labels change with the style),
/// and the highlight counts and the phone's "Comment on this passage" this module adds.
const NOT_TEXT: &str = ".citation-anchor, .passage-count, .passage-action";

/// The room the "Comment on this passage" button takes, to keep it in the viewport, until it
/// is on screen and measured.
const ACTION_WIDTH: f64 = 240.0;
const ACTION_HEIGHT: f64 = 40.0;
/// The space kept between the button and the screen's edges.
const EDGE: f64 = 8.0;
/// Up to this width (the stylesheet's phone width) the button goes into the post's flow,
/// under the paragraph the selection ends in, where it covers no text.
const PHONE_WIDTH: f64 = 480.0;

fn post_body() -> Option<Element> {
    document().query_selector(POST_BODY).ok().flatten()
}

/// The body's text nodes in order, each with the code point where it starts.
struct TextMap {
    nodes: Vec<(Text, usize)>,
    text: String,
}

fn text_map(body: &Element) -> TextMap {
    let mut map = TextMap {
        nodes: Vec::new(),
        text: String::new(),
    };
    let mut count = 0;
    collect_text(body, &mut map, &mut count);
    map
}

fn collect_text(node: &Node, map: &mut TextMap, count: &mut usize) {
    let children = node.child_nodes();
    for index in 0..children.length() {
        let Some(child) = children.item(index) else {
            continue;
        };
        if let Some(text) = child.dyn_ref::<Text>() {
            let content = text.data();
            map.nodes.push((text.clone(), *count));
            *count += content.chars().count();
            map.text.push_str(&content);
        } else if let Some(element) = child.dyn_ref::<Element>() {
            if !element.matches(NOT_TEXT).unwrap_or(false) {
                collect_text(&child, map, count);
            }
        }
    }
}

/// A DOM position (a text node and a UTF-16 offset in it) as a code point of the map.
fn code_point_at(map: &TextMap, node: &Node, offset: u32) -> Option<usize> {
    let (text, start) = map.nodes.iter().find(|(text, _)| {
        let text_node: &Node = text.as_ref();
        text_node == node
    })?;
    let mut units = 0;
    let mut chars = 0;
    for c in text.data().chars() {
        if units >= offset as usize {
            break;
        }
        units += c.len_utf16();
        chars += 1;
    }
    Some(start + chars)
}

/// The reader's selection in the post as a passage, and where it ends on screen.
fn selected_passage() -> Option<(Passage, web_sys::DomRect)> {
    let selection = window().get_selection().ok()??;
    if selection.is_collapsed() || selection.range_count() == 0 {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    let body = post_body()?;
    let inside = |node: Node| body.contains(Some(&node));
    if !inside(range.start_container().ok()?) || !inside(range.end_container().ok()?) {
        return None;
    }
    let map = text_map(&body);
    let start = boundary(
        &map,
        &range.start_container().ok()?,
        range.start_offset().ok()?,
    )?;
    let end = boundary(&map, &range.end_container().ok()?, range.end_offset().ok()?)?;
    let passage = Passage::describe(&map.text, start.min(end), start.max(end))?;
    Some((passage, range.get_bounding_client_rect()))
}

/// A range boundary as a code point: in a text node directly, else at the element child
/// it points to (the start of the first text node at or after it).
fn boundary(map: &TextMap, container: &Node, offset: u32) -> Option<usize> {
    if container.dyn_ref::<Text>().is_some() {
        return code_point_at(map, container, offset);
    }
    let child = container.child_nodes().item(offset);
    let after = |text: &Text| {
        let node: &Node = text.as_ref();
        match &child {
            Some(child) => {
                child == node
                    || child.contains(Some(node))
                    || child.compare_document_position(node) & Node::DOCUMENT_POSITION_FOLLOWING
                        != 0
            }
            None => {
                !container.contains(Some(node)) && {
                    container.compare_document_position(node) & Node::DOCUMENT_POSITION_FOLLOWING
                        != 0
                }
            }
        }
    };
    Some(
        map.nodes
            .iter()
            .find(|(text, _)| after(text))
            .map_or(map.text.chars().count(), |(_, start)| *start),
    )
}

/// The window's inner width and height.
fn viewport() -> (f64, f64) {
    let size = |value: Result<wasm_bindgen::JsValue, _>| {
        value.ok().and_then(|v| v.as_f64()).unwrap_or(0.0)
    };
    (size(window().inner_width()), size(window().inner_height()))
}

/// The post body's block (its child) that the selection ends in.
fn block_of_selection_end() -> Option<Element> {
    let range = window().get_selection().ok()??.get_range_at(0).ok()?;
    let body: Node = post_body()?.into();
    let mut node = range.end_container().ok()?;
    loop {
        let parent = node.parent_node()?;
        if parent == body {
            return node.dyn_into::<Element>().ok();
        }
        node = parent;
    }
}

/// Places the button once it is drawn: on a phone after the selection's block, in the flow;
/// else kept inside the window by its measured width and height.
fn place_action() {
    let Some(button) = document()
        .query_selector(".passage-action")
        .ok()
        .flatten()
        .and_then(|button| button.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let (width, height) = viewport();
    let after = (width <= PHONE_WIDTH)
        .then(block_of_selection_end)
        .flatten();
    let _ = button
        .class_list()
        .toggle_with_force("is-inline", after.is_some());
    if let Some(block) = after {
        if button.previous_element_sibling().as_ref() != Some(&block) {
            let _ = block.after_with_node_1(&button);
        }
        return;
    }
    let rect = button.get_bounding_client_rect();
    let style = button.style();
    if rect.right() > width - EDGE {
        let left = (width - EDGE - rect.width()).max(EDGE);
        let _ = style.set_property("left", &format!("{}px", left.round() as i32));
    }
    if rect.bottom() > height - EDGE {
        let top = (height - EDGE - rect.height()).max(EDGE);
        let _ = style.set_property("top", &format!("{}px", top.round() as i32));
    }
}

/// Watches the reader's selection in the post and offers "Comment on this passage" next to
/// it (on a phone, under its paragraph); the C key does the same for a keyboard selection.
#[component]
pub fn PassageAction() -> impl IntoView {
    let ctx = expect_context::<ThreadContext>();
    let offered: RwSignal<Option<(Passage, (f64, f64))>> = RwSignal::new(None);
    let update = move || {
        offered.set(selected_passage().map(|(passage, rect)| {
            let (width, height) = viewport();
            let left = rect.left().clamp(EDGE, (width - ACTION_WIDTH).max(EDGE));
            // Under the selection, or over it when there is no room below; always in view.
            let below = rect.bottom() + EDGE;
            let top = if below + ACTION_HEIGHT <= height {
                below
            } else {
                rect.top() - EDGE - ACTION_HEIGHT
            };
            let top = top.clamp(EDGE, (height - ACTION_HEIGHT - EDGE).max(EDGE));
            (passage, (top, left))
        }));
        // Drawn by then: place it by its real size.
        request_animation_frame(place_action);
    };
    // `selectionchange` fires at the document and does not bubble to the window.
    let on_selection = Closure::<dyn Fn()>::new(update);
    let _ = document()
        .add_event_listener_with_callback("selectionchange", on_selection.as_ref().unchecked_ref());
    let scrolls = window_event_listener(ev::scroll, move |_| {
        if offered.with_untracked(Option::is_some) {
            update();
        }
    });
    let keys = window_event_listener(ev::keydown, move |event| {
        let typing = document().active_element().is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element
                    .dyn_ref::<HtmlElement>()
                    .is_some_and(HtmlElement::is_content_editable)
        });
        let plain = !(event.ctrl_key() || event.meta_key() || event.alt_key());
        if plain && !typing && event.key().eq_ignore_ascii_case("c") {
            // Read now: `selectionchange` is queued, so `offered` can still hold the selection
            // as it was one key press earlier.
            if let Some((passage, _)) = selected_passage() {
                event.prevent_default();
                start_comment(ctx, passage);
            }
        }
    });
    let on_selection = StoredValue::new_local(Some(on_selection));
    on_cleanup(move || {
        if let Some(on_selection) = on_selection.try_update_value(Option::take).flatten() {
            let _ = document().remove_event_listener_with_callback(
                "selectionchange",
                on_selection.as_ref().unchecked_ref(),
            );
        }
        scrolls.remove();
        keys.remove();
    });
    move || {
        offered.get().map(|(passage, (top, left))| {
            view! {
                <button
                    type="button"
                    class="passage-action"
                    // (Static in the flow on a phone, where these do nothing.)
                    style:top=format!("{}px", top.round() as i32)
                    style:left=format!("{}px", left.round() as i32)
                    aria-keyshortcuts="C"
                    // Pressing it must not take the selection away before the click.
                    on:mousedown=|event| event.prevent_default()
                    on:click=move |_| {
                        let current = selected_passage().map(|(passage, _)| passage);
                        start_comment(ctx, current.unwrap_or_else(|| passage.clone()))
                    }
                >
                    {locale::thread().comment_on_passage}
                    <kbd aria-hidden="true">"C"</kbd>
                </button>
            }
        })
    }
}

/// Opens the thread's composer with the passage quoted above it.
fn start_comment(ctx: ThreadContext, passage: Passage) {
    ctx.passage.set(Some(passage));
    if let Ok(Some(selection)) = window().get_selection() {
        let _ = selection.remove_all_ranges();
    }
    request_animation_frame(|| {
        if let Some(field) = document()
            .query_selector(".thread > .composer textarea")
            .ok()
            .flatten()
            .and_then(|field| field.dyn_into::<HtmlElement>().ok())
        {
            field.scroll_into_view();
            let _ = field.focus();
        }
    });
}

/// Where each anchored comment's passage is in the post now (`None`: orphaned), and the
/// highlights drawn for them. Redrawn whenever the thread changes.
pub fn keep_highlights(ctx: ThreadContext) {
    let clicks = window_event_listener(ev::click, move |event| {
        let Some(target) = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
        else {
            return;
        };
        let Some(marked) = target
            .closest("mark.passage, button.passage-count")
            .ok()
            .flatten()
        else {
            return;
        };
        let ids: Vec<String> = marked
            .get_attribute("data-comments")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        show_comments(ctx, &ids);
    });
    on_cleanup(move || clicks.remove());
    // Only a change to the anchored comments redraws: a redraw splits the post's text
    // nodes, which would take away a selection the reader is making.
    let anchored = Memo::new(move |_| {
        ctx.data.with(|data| {
            data.comments
                .iter()
                .filter(|c| !c.deleted)
                .filter_map(|c| Some((c.id.clone(), *c.target.clone()?)))
                .collect::<Vec<(String, Passage)>>()
        })
    });
    Effect::new(move |_| {
        let anchored = anchored.get();
        let Some(body) = post_body() else {
            return;
        };
        clear(&body);
        let map = text_map(&body);
        let mut located = HashMap::new();
        let mut ranges = Vec::new();
        for (id, passage) in &anchored {
            let at = locate(&map.text, passage);
            if let Some((start, end)) = at {
                ranges.push((start, end, id.clone()));
            }
            located.insert(id.clone(), at);
        }
        draw(&map, &ranges);
        ctx.anchors.set(located);
    });
}

/// Removes every highlight and count, leaving the text as it was.
fn clear(body: &Element) {
    if let Ok(counts) = body.query_selector_all(".passage-count") {
        for index in 0..counts.length() {
            if let Some(count) = counts
                .item(index)
                .and_then(|n| n.dyn_into::<Element>().ok())
            {
                count.remove();
            }
        }
    }
    if let Ok(marks) = body.query_selector_all("mark.passage") {
        for index in 0..marks.length() {
            let Some(mark) = marks.item(index) else {
                continue;
            };
            let Some(parent) = mark.parent_node() else {
                continue;
            };
            while let Some(child) = mark.first_child() {
                let _ = parent.insert_before(&child, Some(&mark));
            }
            let _ = parent.remove_child(&mark);
            parent.normalize();
        }
    }
}

/// Wraps each segment of the anchored ranges in a `mark` naming the comments on it, and
/// puts a count after each passage that leads to its comments.
fn draw(map: &TextMap, ranges: &[(usize, usize, String)]) {
    for (start, end, ids) in segments(ranges).into_iter().rev() {
        wrap(map, start, end, &ids);
    }
    // One count per passage (comments anchored to the same span share it).
    let mut passages: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    for (start, end, id) in ranges {
        passages.entry((*start, *end)).or_default().push(id.clone());
    }
    let Some(body) = post_body() else {
        return;
    };
    let marks = body.query_selector_all("mark.passage").ok();
    for ((_, end), ids) in passages {
        let last_mark = marks.as_ref().and_then(|marks| {
            (0..marks.length())
                .rev()
                .filter_map(|i| marks.item(i)?.dyn_into::<Element>().ok())
                .find(|mark| {
                    mark.get_attribute("data-end")
                        .and_then(|e| e.parse::<usize>().ok())
                        == Some(end)
                })
        });
        let Some(last_mark) = last_mark else {
            continue;
        };
        let Ok(count) = document().create_element("button") else {
            continue;
        };
        let _ = count.set_attribute("type", "button");
        let _ = count.set_attribute("class", "passage-count");
        let _ = count.set_attribute("data-comments", &ids.join(" "));
        let _ = count.set_attribute("aria-label", &comments_title(ids.len()));
        count.set_text_content(Some(&format::number(ids.len())));
        let _ = last_mark.after_with_node_1(&count);
    }
}

/// Wraps the text between two code points in `mark`s, one per text node it crosses.
fn wrap(map: &TextMap, start: usize, end: usize, ids: &[String]) {
    for (text, node_start) in map.nodes.iter().rev() {
        let content = text.data();
        let node_end = node_start + content.chars().count();
        if node_end <= start || *node_start >= end {
            continue;
        }
        let from = start.max(*node_start) - node_start;
        let to = end.min(node_end) - node_start;
        let utf16 = |chars: usize| -> u32 {
            content
                .chars()
                .take(chars)
                .map(char::len_utf16)
                .sum::<usize>() as u32
        };
        let Ok(middle) = text.split_text(utf16(from)) else {
            continue;
        };
        let _ = middle.split_text(utf16(to) - utf16(from));
        let Ok(mark) = document().create_element("mark") else {
            continue;
        };
        let _ = mark.set_attribute("class", "passage");
        let _ = mark.set_attribute("data-comments", &ids.join(" "));
        let _ = mark.set_attribute("data-end", &end.to_string());
        let _ = mark.set_attribute("title", &comments_title(ids.len()));
        let Some(parent) = middle.parent_node() else {
            continue;
        };
        let _ = parent.insert_before(&mark, Some(&middle));
        let _ = mark.append_child(&middle);
    }
}

fn comments_title(count: usize) -> String {
    locale::count(&locale::thread().passage_comments, count)
}

/// Brings a passage's comments into view: the first is scrolled to and focused, all are
/// marked.
pub fn show_comments(ctx: ThreadContext, ids: &[String]) {
    if let Ok(previous) = document().query_selector_all(".comment.is-passage-comment") {
        for index in 0..previous.length() {
            if let Some(element) = previous
                .item(index)
                .and_then(|n| n.dyn_into::<Element>().ok())
            {
                let _ = element.class_list().remove_1("is-passage-comment");
            }
        }
    }
    for id in ids {
        let number = ctx
            .view
            .with_untracked(|v| v.number_of(id).map(str::to_owned));
        if let Some(element) = number.and_then(|n| {
            document().get_element_by_id(crate::model::thread::fragment(&n).trim_start_matches('#'))
        }) {
            let _ = element.class_list().add_1("is-passage-comment");
        }
    }
    if let Some(first) = ids.first() {
        show_comment(ctx, first);
    }
}

/// Scrolls the post to a comment's highlighted passage and flashes it.
pub fn show_passage(comment_id: &str) {
    let Some(body) = post_body() else {
        return;
    };
    let Ok(marks) = body.query_selector_all("mark.passage") else {
        return;
    };
    let mut first = None;
    for index in 0..marks.length() {
        let Some(mark) = marks.item(index).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let mine = mark
            .get_attribute("data-comments")
            .is_some_and(|ids| ids.split_whitespace().any(|id| id == comment_id));
        let _ = mark.class_list().toggle_with_force("is-shown", mine);
        if mine && first.is_none() {
            first = Some(mark);
        }
    }
    if let Some(first) = first {
        first.scroll_into_view();
        // The count after the passage is the keyboard's way back to the comments.
        if let Some(count) = body
            .query_selector_all(".passage-count")
            .ok()
            .and_then(|counts| {
                (0..counts.length())
                    .filter_map(|i| counts.item(i)?.dyn_into::<HtmlElement>().ok())
                    .find(|count| {
                        count
                            .get_attribute("data-comments")
                            .is_some_and(|ids| ids.split_whitespace().any(|id| id == comment_id))
                    })
            })
        {
            let _ = count.focus();
        }
    }
}
