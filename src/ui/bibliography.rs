//! A post's citations brought to life by the thread module: the shared state, formatting
//! (from the cache or the citation worker, again when the reader picks another style), the
//! citation buttons mounted over the first load's plain ones, and the bibliography, preceded
//! in a note style by the numbered notes.

use crate::cite::protocol::{note_id, BibliographyFile, NumberedCitation, BUNDLED_STYLES};
use crate::cite::syntax::{self, Segment};
use crate::content::catalog::CatalogEntry;
use crate::i18n::fill;
use crate::ui::citation::{button_id, citation_view, entry_id, spans_view, CiteContext};
use crate::web::{self, locale};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// What becomes of the parts (views, reactive owners) of an article's mounted citations.
pub trait CitationParts: Sized {
    fn hold<T: 'static>(&mut self, part: T);
    /// Runs the next step of the mounting, now or in a task of its own.
    fn then(&mut self, step: impl FnOnce(&mut Self) + 'static);
}

/// A post's citations live as long as its page. Each step of their mounting is a task of its
/// own (`web::perf::in_own_task`).
pub struct ForThePage;

impl CitationParts for ForThePage {
    fn hold<T: 'static>(&mut self, part: T) {
        std::mem::forget(part);
    }

    fn then(&mut self, step: impl FnOnce(&mut Self) + 'static) {
        web::perf::in_own_task(move || step(&mut ForThePage));
    }
}

/// The editor preview's citations, until it is drawn anew: dropping them unmounts their views
/// and stops their formatting.
#[derive(Default)]
pub struct MountedCitations(Vec<Box<dyn std::any::Any>>);

impl CitationParts for MountedCitations {
    fn hold<T: 'static>(&mut self, part: T) {
        self.0.push(Box::new(part));
    }

    /// At once: the preview's parts must be held before it is drawn anew.
    fn then(&mut self, step: impl FnOnce(&mut Self) + 'static) {
        step(self);
    }
}

/// Mounts the citations of the post in `article`: each `.citation-anchor` the first load
/// drew gets its button and popover, and `.bibliography-slot` the bibliography. `inline` is
/// a bibliography given as text (a post written in the app) instead of fetched by name.
pub fn mount_citations(
    article: HtmlElement,
    entry: CatalogEntry,
    bibliography: Vec<String>,
    csl: Option<String>,
    inline: Option<BibliographyFile>,
    mounted: &mut impl CitationParts,
) {
    let Ok(anchors) = article.query_selector_all(".citation-anchor") else {
        return;
    };
    let mut numbered = Vec::new();
    let mut mounts = Vec::new();
    for index in 0..anchors.length() {
        let Some(anchor) = anchors
            .item(index)
            .and_then(|node| node.dyn_into::<HtmlElement>().ok())
        else {
            continue;
        };
        let Some(number) = anchor
            .id()
            .strip_prefix("cite-anchor-")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let button = anchor.first_element_child();
        let source = button
            .as_ref()
            .and_then(|b| b.get_attribute("data-source"))
            .unwrap_or_default();
        let provisional = button.and_then(|b| b.text_content()).unwrap_or_default();
        let Some(citation) = syntax::split(&source).into_iter().find_map(|s| match s {
            Segment::Cite { citation, .. } => Some(citation),
            Segment::Text(_) => None,
        }) else {
            continue;
        };
        let quote = anchor.get_attribute("data-quote");
        numbered.push(NumberedCitation {
            number,
            citation: citation.clone(),
        });
        mounts.push((anchor, number, citation, source, quote, provisional));
    }
    if numbered.is_empty() {
        return;
    }
    // A preview in the post editor shows the style the author chose, not the one this
    // browser last read posts in.
    let style = if article.has_attribute("data-preview") {
        csl.clone()
            .unwrap_or_else(|| crate::cite::protocol::DEFAULT_STYLE.to_owned())
    } else {
        web::cite::style_for(csl.as_deref())
    };
    let context = CiteContext::new(style, web::cite::cached(&entry.slug));
    for (anchor, number, citation, source, quote, provisional) in mounts {
        let was_focused = document()
            .active_element()
            .is_some_and(|active| anchor.contains(Some(&active)));
        anchor.set_text_content(None);
        mounted.hold(leptos::mount::mount_to(anchor, move || {
            citation_view(context, number, citation, source, quote, provisional)
        }));
        if was_focused {
            if let Some(button) = document()
                .get_element_by_id(&button_id(number))
                .and_then(|b| b.dyn_into::<HtmlElement>().ok())
            {
                let _ = button.focus();
            }
        }
    }
    let cited: Vec<(usize, Vec<String>)> = numbered
        .iter()
        .map(|n| {
            (
                n.number,
                n.citation.items.iter().map(|i| i.key.clone()).collect(),
            )
        })
        .collect();
    let mut styles: Vec<(String, String)> = BUNDLED_STYLES
        .iter()
        .map(|(name, label)| (name.to_string(), label.to_string()))
        .collect();
    if let Some(custom) = csl.as_ref().filter(|csl| csl.ends_with(".csl")) {
        let label = fill(locale::thread().post_style, &[("file", custom)]);
        styles.insert(0, (custom.clone(), label));
    }
    mounted.then(move |mounted| {
        mount_bibliography(&article, context, styles, cited, mounted);
        mounted.then(move |mounted| {
            mounted.hold(keep_formatted(
                context,
                entry,
                bibliography,
                inline,
                numbered,
            ));
        });
    });
}

/// Mounts the bibliography into the article's `.bibliography-slot`, if it has one.
fn mount_bibliography(
    article: &HtmlElement,
    context: CiteContext,
    styles: Vec<(String, String)>,
    cited: Vec<(usize, Vec<String>)>,
    mounted: &mut impl CitationParts,
) {
    if let Some(slot) = article
        .query_selector(".bibliography-slot")
        .ok()
        .flatten()
        .and_then(|slot| slot.dyn_into::<HtmlElement>().ok())
    {
        // A page built by `colloquy build` already shows the bibliography: the live one is
        // drawn apart and takes its place once it has its entries, so nothing flickers.
        let built = slot.child_element_count() > 0;
        let target: HtmlElement = if built {
            document()
                .create_element("div")
                .map(JsCast::unchecked_into)
                .unwrap_or_else(|_| slot.clone())
        } else {
            slot.clone()
        };
        mounted.hold(leptos::mount::mount_to(target.clone(), move || {
            view! { <Bibliography context styles=styles.clone() cited=cited.clone() /> }
        }));
        if built && target != slot {
            let owner = Owner::new();
            owner.with(|| {
                Effect::new(move |swapped: Option<bool>| {
                    if swapped == Some(true) || context.reply.with(Option::is_none) {
                        return swapped.unwrap_or(false);
                    }
                    let _ = target.set_attribute("class", "bibliography-live");
                    slot.replace_children_with_node_1(&target);
                    true
                });
            });
            mounted.hold(owner);
        }
    }
}

/// Formats now and whenever the reader picks another style, for as long as the returned owner
/// lives; a late answer for a style no longer chosen is dropped.
fn keep_formatted(
    context: CiteContext,
    entry: CatalogEntry,
    bibliography: Vec<String>,
    inline: Option<BibliographyFile>,
    numbered: Vec<NumberedCitation>,
) -> Owner {
    let owner = Owner::new();
    owner.with(|| {
        let run = StoredValue::new(0u32);
        Effect::new(move |_| {
            let style = context.style.get();
            run.update_value(|n| *n += 1);
            let this_run = run.get_value();
            let (entry, bibliography, inline, numbered) = (
                entry.clone(),
                bibliography.clone(),
                inline.clone(),
                numbered.clone(),
            );
            leptos::task::spawn_local(async move {
                let (request, mut problems) =
                    web::cite::request_for(&entry, &bibliography, inline, &style, numbered).await;
                let result = web::cite::format(&entry.slug, request, !problems.is_empty()).await;
                if run.get_value() != this_run {
                    return;
                }
                match result {
                    Ok(reply) => {
                        problems.extend(reply.problems.iter().cloned());
                        web::cite::remember_labels(&entry.slug, &reply.labels());
                        context.reply.set(Some(reply));
                    }
                    Err(error) => problems.push(fill(
                        locale::thread().citations_failed,
                        &[("error", &error.to_string())],
                    )),
                }
                context.problems.set(problems);
            });
        });
    });
    owner
}

/// The bibliography at the end of the post, with the style picker at its heading and
/// back-links to where each entry is cited.
#[component]
pub fn Bibliography(
    context: CiteContext,
    /// `(value, label)` of each style the picker offers.
    styles: Vec<(String, String)>,
    /// Every citation's number and the keys it cites.
    cited: Vec<(usize, Vec<String>)>,
) -> impl IntoView {
    let words = locale::thread();
    let title = move || {
        context
            .reply
            .with(|reply| reply.as_ref().map(|r| r.bibliography_title.clone()))
            .unwrap_or_else(|| words.references.to_owned())
    };
    let on_change = move |event: ev::Event| {
        let style = event_target_value(&event);
        crate::web::cite::remember_style(&style);
        context.style.set(style);
    };
    let selected = context.style.get_untracked();
    let entries = move || {
        let reply = context.reply.get()?;
        let cited = cited.clone();
        Some(
            reply
                .entries
                .iter()
                .map(|entry| {
                    let backs = cited
                        .iter()
                        .filter(|(_, keys)| keys.contains(&entry.key))
                        .map(|(number, _)| (*number, words.back_to_citation))
                        .collect();
                    back_linked_item(entry_id(&entry.key), None, &entry.text, backs)
                })
                .collect_view(),
        )
    };
    view! {
        {move || citation_notes(context)}
        <section class="bibliography" aria-labelledby="bibliography-heading">
            <div class="bibliography-head">
                <h2 id="bibliography-heading">{title}</h2>
                <label class="style-picker">
                    {words.citation_style}
                    " "
                    <select on:change=on_change>
                        {styles
                            .into_iter()
                            .map(|(value, label)| {
                                let is_selected = value == selected;
                                view! { <option value=value selected=is_selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {move || {
                let problems = context.problems.get();
                (!problems.is_empty())
                    .then(|| {
                        view! {
                            <div class="cite-notice" role="status">
                                {problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                            </div>
                        }
                    })
            }}
            {move || match entries() {
                Some(entries) => view! { <ul class="references">{entries}</ul> }.into_any(),
                None => view! { <p class="cite-pending" role="status">{words.formatting_references}</p> }.into_any(),
            }}
        </section>
    }
}

/// One line of the bibliography or of the notes: its id, its number in a numbered list, its
/// text and its links back to citations `(number, label with {n})`. One function for both,
/// so the thread module carries its view code once.
fn back_linked_item(
    id: String,
    value: Option<usize>,
    text: &[crate::cite::protocol::Span],
    backs: Vec<(usize, &'static str)>,
) -> impl IntoView {
    let backs = backs
        .into_iter()
        .map(|(number, label)| {
            view! {
                <a
                    class="cite-back"
                    href=format!("#{}", button_id(number))
                    aria-label=fill(label, &[("n", &number.to_string())])
                >
                    "↩"
                </a>
            }
        })
        .collect_view();
    view! { <li id=id value=value.map(|n| n.to_string())>{spans_view(text, true)} " " {backs}</li> }
}

/// A note style's notes at the end of the post, before the bibliography: each numbered as its
/// citation, with a link back to its number in the text. Nothing in other styles. The same
/// shape as the built page's (`site::post_page`), so switching style changes only the text.
fn citation_notes(context: CiteContext) -> Option<impl IntoView> {
    let words = locale::thread();
    let items = context.reply.with(|reply| {
        let reply = reply.as_ref().filter(|reply| reply.note_style)?;
        let items: Vec<_> = reply
            .citations
            .iter()
            .filter(|citation| !citation.text.is_empty())
            .map(|citation| {
                let n = citation.number;
                back_linked_item(
                    note_id(n),
                    Some(n),
                    &citation.text,
                    vec![(n, words.back_to_note)],
                )
            })
            .collect();
        (!items.is_empty()).then_some(items)
    })?;
    Some(view! {
        <section class="citation-notes" aria-labelledby="citation-notes-heading">
            <h2 id="citation-notes-heading">{words.citation_notes}</h2>
            <ol>{items}</ol>
        </section>
    })
}
