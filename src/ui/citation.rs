//! Citations in a post: each is a button that opens a popover with the full reference (by
//! click, tap, Enter or Space; as a preview on hover or focus), and the bibliography at the
//! end in a style the reader can switch. Formatted text arrives as spans, never as HTML.

use crate::cite::protocol::{plain, FormatReply, FormattedCitation, FormattedEntry, Span};
use crate::cite::syntax::{short_term, Citation};
use crate::i18n::fill;
use crate::web::locale;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

/// How long the pointer or focus rests on a citation before its preview opens (and how
/// long a preview stays after the pointer leaves, so it can be reached).
const PREVIEW_DELAY: Duration = Duration::from_millis(300);

/// Below this width the popover is a bottom sheet.
const SHEET_MAX_WIDTH: f64 = 480.0;

/// The popover that is open, and whether it was opened on purpose (click, tap, key) rather
/// than previewed by hover or focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenCitation {
    pub number: usize,
    pub pinned: bool,
}

/// A post's citation state, shared by its citation buttons and its bibliography.
#[derive(Clone, Copy)]
pub struct CiteContext {
    /// The formatted citations and bibliography, once known.
    pub reply: RwSignal<Option<FormatReply>>,
    /// Problems loading or formatting, for one notice.
    pub problems: RwSignal<Vec<String>>,
    pub open: RwSignal<Option<OpenCitation>>,
    /// The style shown: a bundled name or the post's `.csl` path.
    pub style: RwSignal<String>,
    /// A pending preview or close, cancelled when the pointer or focus moves on.
    timer: StoredValue<Option<TimeoutHandle>>,
    /// Set while focus is handed back to a citation after its popover closed, so that the
    /// focus does not open the popover again as a preview.
    returning_focus: StoredValue<bool>,
}

impl CiteContext {
    /// Creates the context and the page-wide listeners that close the open popover.
    pub fn new(style: String, cached: Option<FormatReply>) -> CiteContext {
        let context = CiteContext {
            reply: RwSignal::new(cached),
            problems: RwSignal::new(Vec::new()),
            open: RwSignal::new(None),
            style: RwSignal::new(style),
            timer: StoredValue::new(None),
            returning_focus: StoredValue::new(false),
        };
        let keys = window_event_listener(ev::keydown, move |event| {
            if event.key() == "Escape" {
                if let Some(open) = context.open.get_untracked() {
                    context.close();
                    // Only focus that was in the citation or its popover goes back to it:
                    // Escape in a comment being written must not scroll the page away.
                    if focus_is_in(open.number) || focus_is_nowhere() {
                        context.return_focus(open.number);
                    }
                }
            }
        });
        let presses = window_event_listener(ev::pointerdown, move |event| {
            let Some(open) = context.open.get_untracked() else {
                return;
            };
            let inside = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .and_then(|target| target.closest(".citation-anchor").ok().flatten())
                .is_some_and(|anchor| anchor.id() == anchor_id(open.number));
            if !inside {
                context.close();
                // Focus returns to the citation unless the press gave it to something else.
                set_timeout(
                    move || {
                        let active = document().active_element();
                        let nowhere = active.is_none_or(|element| {
                            element.tag_name() == "BODY"
                                || element.closest(".cite-popover").ok().flatten().is_some()
                        });
                        if nowhere {
                            context.return_focus(open.number);
                        }
                    },
                    Duration::ZERO,
                );
            }
        });
        let reposition = window_event_listener(ev::resize, move |_| {
            if let Some(open) = context.open.get_untracked() {
                place_popover(open.number);
            }
        });
        // An open popover moves with its citation, and closes once the citation has
        // scrolled out of view (it would cover what the reader scrolled to).
        let scrolls = window_event_listener(ev::scroll, move |_| {
            if let Some(open) = context.open.get_untracked() {
                if citation_in_view(open.number) {
                    place_popover(open.number);
                } else {
                    context.close();
                }
            }
        });
        on_cleanup(move || {
            keys.remove();
            presses.remove();
            reposition.remove();
            scrolls.remove();
        });
        context
    }

    fn cancel_timer(&self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    fn later(&self, action: impl FnOnce() + 'static) {
        self.cancel_timer();
        if let Ok(handle) = set_timeout_with_handle(action, PREVIEW_DELAY) {
            self.timer.set_value(Some(handle));
        }
    }

    fn close(&self) {
        self.cancel_timer();
        self.open.set(None);
    }

    /// Puts focus back on a citation whose popover closed, without previewing it again.
    fn return_focus(&self, number: usize) {
        let Some(button) = document()
            .get_element_by_id(&button_id(number))
            .and_then(|element| element.dyn_into::<HtmlElement>().ok())
        else {
            return;
        };
        // `focus()` dispatches the focus event before it returns.
        self.returning_focus.set_value(true);
        let _ = button.focus();
        self.returning_focus.set_value(false);
    }

    /// Focus arrived on a citation: previewed, unless the app handed it back.
    fn focused(&self, number: usize) {
        if !self.returning_focus.get_value() {
            self.preview_soon(number);
        }
    }

    /// Focus left the citation or its popover: unless it moved between the two, a pending
    /// preview is dropped and an open preview closes (a pinned popover stays).
    fn focus_left(&self, number: usize, event: &web_sys::FocusEvent) {
        let to_same_citation = event
            .related_target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|target| is_in_citation(&target, number));
        if to_same_citation {
            return;
        }
        self.cancel_timer();
        if self.open.get_untracked()
            == Some(OpenCitation {
                number,
                pinned: false,
            })
        {
            self.open.set(None);
        }
    }

    /// The popover's own Close button (the bottom sheet's on a phone).
    fn close_and_return(&self, number: usize) {
        self.close();
        self.return_focus(number);
    }

    /// Click, tap, Enter or Space: pins a preview open, or toggles.
    fn activate(&self, number: usize) {
        self.cancel_timer();
        let next = match self.open.get_untracked() {
            Some(open) if open.number == number && open.pinned => None,
            _ => Some(OpenCitation {
                number,
                pinned: true,
            }),
        };
        self.open.set(next);
    }

    fn preview_soon(&self, number: usize) {
        if self
            .open
            .get_untracked()
            .is_some_and(|o| o.number == number)
        {
            self.cancel_timer();
            return;
        }
        let open = self.open;
        self.later(move || {
            if open.get_untracked().is_none_or(|o| !o.pinned) {
                open.set(Some(OpenCitation {
                    number,
                    pinned: false,
                }));
            }
        });
    }

    /// The pointer left: a preview (not a pinned popover) closes after a moment.
    fn leave_soon(&self, number: usize) {
        let open = self.open;
        self.later(move || {
            if open.get_untracked()
                == Some(OpenCitation {
                    number,
                    pinned: false,
                })
            {
                open.set(None);
            }
        });
    }
}

fn anchor_id(number: usize) -> String {
    format!("cite-anchor-{number}")
}

/// Whether `element` is citation `number`'s button or inside its popover.
fn is_in_citation(element: &web_sys::Element, number: usize) -> bool {
    element
        .closest(".citation-anchor")
        .ok()
        .flatten()
        .is_some_and(|anchor| anchor.id() == anchor_id(number))
}

fn focus_is_in(number: usize) -> bool {
    document()
        .active_element()
        .is_some_and(|active| is_in_citation(&active, number))
}

fn focus_is_nowhere() -> bool {
    document()
        .active_element()
        .is_none_or(|active| active.tag_name() == "BODY")
}

/// Whether any of citation `number`'s button is inside the viewport.
fn citation_in_view(number: usize) -> bool {
    let Some(button) = document().get_element_by_id(&button_id(number)) else {
        return false;
    };
    let rect = button.get_bounding_client_rect();
    let height = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    rect.bottom() > 0.0 && rect.top() < height
}

pub use crate::cite::protocol::entry_id;

pub fn button_id(number: usize) -> String {
    format!("cite-{number}")
}

fn popover_id(number: usize) -> String {
    format!("cite-pop-{number}")
}

/// A citation in the post, as the thread module mounts it over the first load's plain
/// button: its button, and its popover right after it so that Tab moves from the citation
/// into the popover's links.
pub fn citation_view(
    context: CiteContext,
    number: usize,
    citation: Citation,
    source: String,
    quote: Option<String>,
    provisional: String,
) -> impl IntoView {
    let formatted = Memo::new(move |_| {
        context.reply.with(|reply| {
            let reply = reply.as_ref()?;
            let citation = reply.citations.iter().find(|c| c.number == number)?;
            Some((citation.clone(), reply.note_style))
        })
    });
    let expanded = move || context.open.get().is_some_and(|o| o.number == number);
    let popover: NodeRef<html::Span> = NodeRef::new();
    Effect::new(move |_| {
        let is_open = expanded();
        if let Some(popover) = popover.get() {
            let popover: HtmlElement = popover.into();
            show_or_hide(&popover, is_open);
            if is_open {
                place_popover(number);
            }
        }
    });
    // Provisional until formatted, and when formatting knew nothing of it (a bibliography
    // that did not load).
    let label = move || match formatted.get() {
        Some((formatted, note_style))
            if !formatted.text.is_empty() || !formatted.unknown_keys.is_empty() =>
        {
            label_view(&formatted, note_style, number)
        }
        _ => view! { <span class="cite-label provisional">{provisional.clone()}</span> }.into_any(),
    };
    let tooltip = move || {
        formatted.get().and_then(|(formatted, _)| {
            (!formatted.unknown_keys.is_empty()).then(|| unknown_message(&formatted.unknown_keys))
        })
    };
    view! {
        <button
            type="button"
            class="citation"
            id=button_id(number)
            aria-haspopup="dialog"
            aria-controls=popover_id(number)
            aria-expanded=move || expanded().to_string()
            title=tooltip
            data-source=source
            on:click=move |_| context.activate(number)
            on:mouseenter=move |_| context.preview_soon(number)
            on:mouseleave=move |_| context.leave_soon(number)
            on:focus=move |_| context.focused(number)
            on:focusout=move |event| context.focus_left(number, &event)
        >
            {label}
        </button>
        <span
            node_ref=popover
            class="cite-popover"
            id=popover_id(number)
            role="dialog"
            aria-labelledby=format!("{}-title", popover_id(number))
            popover=supports_popover().then_some("manual")
            hidden=!supports_popover()
            on:mouseenter=move |_| context.cancel_timer()
            on:mouseleave=move |_| context.leave_soon(number)
            on:focusout=move |event| context.focus_left(number, &event)
        >
            {move || popover_body(context, number, &citation, quote.as_deref())}
            // Shown on the bottom sheet only (style/main.css), where nothing else closes it
            // by keyboard-free touch but a tap elsewhere.
            <button type="button" class="cite-close" on:click=move |_| context.close_and_return(number)>
                {locale::thread().close}
            </button>
        </span>
    }
}

/// The label in the text: the formatted citation, a note number in a note style, and a
/// `?key` marker for each key the bibliography lacks.
fn label_view(formatted: &FormattedCitation, note_style: bool, number: usize) -> AnyView {
    let text = if formatted.text.is_empty() {
        None
    } else if note_style {
        Some(
            view! {
                <span class="visually-hidden">{locale::thread().note} " "</span>
                <sup class="cite-label note">{number}</sup>
            }
            .into_any(),
        )
    } else {
        Some(
            view! { <span class="cite-label">{spans_view(&formatted.text, false)}</span> }
                .into_any(),
        )
    };
    let markers = formatted
        .unknown_keys
        .iter()
        .map(|key| view! { <span class="cite-unknown">{format!("?{key}")}</span> })
        .collect_view();
    view! { {text} {markers} }.into_any()
}

fn unknown_message(keys: &[String]) -> String {
    let words = locale::thread();
    let names: Vec<String> = keys.iter().map(|key| format!("@{key}")).collect();
    match &names[..] {
        [name] => fill(words.unknown_key, &[("key", name)]),
        _ => fill(words.unknown_keys, &[("keys", &names.join(", "))]),
    }
}

fn popover_body(
    context: CiteContext,
    number: usize,
    citation: &Citation,
    quote: Option<&str>,
) -> AnyView {
    let words = locale::thread();
    let title_id = format!("{}-title", popover_id(number));
    let reply = context.reply.get();
    let Some(reply) = reply else {
        return view! {
            <span class="cite-title" id=title_id>{words.source}</span>
            <span class="cite-pending" role="status">{words.formatting_reference}</span>
        }
        .into_any();
    };
    let formatted = reply.citations.iter().find(|c| c.number == number);
    let title = match formatted {
        Some(formatted) if !formatted.text.is_empty() => plain(&formatted.text),
        _ => words.source.to_owned(),
    };
    let note = reply.note_style && formatted.is_some_and(|f| !f.text.is_empty());
    let items = citation
        .items
        .iter()
        .map(|item| {
            let entry = reply.entries.iter().find(|entry| entry.key == item.key);
            let locator = item
                .locator
                .as_ref()
                .map(|l| {
                    let term = locale::lang()
                        .locator_term(&l.label)
                        .unwrap_or_else(|| short_term(&l.label));
                    format!("{term} {}", l.value)
                });
            match entry {
                Some(entry) => entry_in_popover(entry, locator),
                None => view! {
                    <span class="cite-item cite-missing">
                        {format!("{}.", fill(words.unknown_key, &[("key", &format!("@{}", item.key))]))}
                    </span>
                }
                .into_any(),
            }
        })
        .collect_view();
    view! {
        <span class="cite-title" id=title_id>{title}</span>
        {quote.map(|quote| view! {
            <span class="cite-quote">
                <span class="visually-hidden">{words.quoted} " "</span>
                {format!("“{quote}”")}
            </span>
        })}
        {items}
        // A note style's notes are also at the end of the post.
        {note.then(|| view! {
            <span class="cite-links cite-note-link">
                <a href=format!("#{}", crate::cite::protocol::note_id(number))>
                    {fill(words.go_to_note, &[("n", &number.to_string())])}
                </a>
            </span>
        })}
    }
    .into_any()
}

fn entry_in_popover(entry: &FormattedEntry, locator: Option<String>) -> AnyView {
    let words = locale::thread();
    let doi = entry.doi.as_ref().map(|doi| {
        format!(
            "https://doi.org/{}",
            doi.trim_start_matches("https://doi.org/")
        )
    });
    view! {
        <span class="cite-item">
            <span class="cite-reference">{spans_view(&entry.text, true)}</span>
            {locator.map(|locator| view! {
                <span class="cite-locator">{fill(words.cited_at, &[("locator", &locator)])}</span>
            })}
            <span class="cite-links">
                {doi.map(|href| view! { <a href=href.clone() rel="noopener noreferrer">{format!("DOI: {}", href.trim_start_matches("https://doi.org/"))}</a> })}
                {entry.url.clone().map(|href| view! { <a href=href rel="noopener noreferrer">{words.web_page}</a> })}
                <a href=format!("#{}", entry_id(&entry.key))>{words.in_bibliography}</a>
            </span>
        </span>
    }
    .into_any()
}

/// Formatted spans as text in `i`, `b`, small-caps and `sup` wrappers; links only where
/// `with_links` (a button must not hold links).
pub fn spans_view(spans: &[Span], with_links: bool) -> AnyView {
    spans
        .iter()
        .map(|span| {
            let mut view = span.text.clone().into_any();
            if span.italic {
                view = view! { <i>{view}</i> }.into_any();
            }
            if span.bold {
                view = view! { <b>{view}</b> }.into_any();
            }
            if span.small_caps {
                view = view! { <span class="small-caps">{view}</span> }.into_any();
            }
            if span.superscript {
                view = view! { <sup>{view}</sup> }.into_any();
            }
            match (&span.link, with_links) {
                (Some(href), true) => {
                    view! { <a href=href.clone() rel="noopener noreferrer">{view}</a> }.into_any()
                }
                _ => view,
            }
        })
        .collect::<Vec<_>>()
        .into_any()
}

/// Whether the browser has the Popover API (`showPopover` a function on elements). Without it
/// (Safari before 17, Firefox before 125) the popover carries no `popover` attribute and is
/// shown and hidden by its `hidden` attribute, placed by the same code and stylesheet.
fn supports_popover() -> bool {
    document().body().is_some_and(|body| {
        js_sys::Reflect::get(&body, &JsValue::from_str("showPopover"))
            .is_ok_and(|show| show.is_function())
    })
}

/// Shows or hides a popover: in the top layer where the browser has the Popover API, else
/// by its `hidden` attribute (the stylesheet positions it the same way).
fn show_or_hide(popover: &HtmlElement, show: bool) {
    if supports_popover() {
        let open = popover.matches(":popover-open").unwrap_or(false);
        let method = match (show, open) {
            (true, false) => "showPopover",
            (false, true) => "hidePopover",
            _ => return,
        };
        if let Ok(function) = js_sys::Reflect::get(popover, &JsValue::from_str(method)) {
            if let Ok(function) = function.dyn_into::<js_sys::Function>() {
                let _ = function.call0(popover);
            }
        }
    } else {
        popover.set_hidden(!show);
    }
}

/// Keeps the open popover inside the viewport (and so inside the iframe when framed): below
/// the citation if it fits there or has more room there, else above; shifted sideways to
/// stay in view; scrolling when taller than the room. Narrow screens get a bottom sheet,
/// which the stylesheet places.
fn place_popover(number: usize) {
    let document = document();
    let (Some(button), Some(popover)) = (
        document.get_element_by_id(&button_id(number)),
        document
            .get_element_by_id(&popover_id(number))
            .and_then(|p| p.dyn_into::<HtmlElement>().ok()),
    ) else {
        return;
    };
    let window = window();
    let width = window
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(0.0);
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let style = popover.style();
    // In a frame sized to its content, a sheet fixed to the frame's bottom could be far
    // below what the reader sees: framed popovers stay next to their citation.
    if width <= SHEET_MAX_WIDTH && !crate::web::embed::is_framed() {
        let _ = popover.set_attribute("data-placement", "sheet");
        for property in ["top", "left", "max-height"] {
            let _ = style.remove_property(property);
        }
        return;
    }
    const MARGIN: f64 = 8.0;
    const GAP: f64 = 6.0;
    let _ = style.remove_property("max-height");
    let anchor = button.get_bounding_client_rect();
    let size = popover.get_bounding_client_rect();
    let room_below = height - anchor.bottom() - GAP - MARGIN;
    let room_above = anchor.top() - GAP - MARGIN;
    let below = size.height() <= room_below || room_below >= room_above;
    let room = if below { room_below } else { room_above };
    let shown_height = size.height().min(room);
    let top = if below {
        anchor.bottom() + GAP
    } else {
        anchor.top() - GAP - shown_height
    };
    let left = anchor.left().min(width - size.width() - MARGIN).max(MARGIN);
    let _ = popover.set_attribute("data-placement", if below { "below" } else { "above" });
    // Whole pixels: formatting floats would pull float printing into the module.
    let px = |value: f64| format!("{}px", value.round() as i32);
    let _ = style.set_property("top", &px(top));
    let _ = style.set_property("left", &px(left));
    let _ = style.set_property("max-height", &px(room.max(48.0)));
}
