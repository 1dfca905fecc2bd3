//! Works around a hayagriva 0.10 bug before a style reaches it: a `<names>` inside a
//! `<cs:substitute>` must inherit its parent's `<name>`, `<et-al>` and `<label>` (CSL 1.0.2,
//! "Substitute"), but hayagriva only passes them to a `<names>` that is a direct child of the
//! substitute, not to one inside a `<choose>` or `<group>` there (typst/hayagriva#444).
//! Chicago 18's `author-bib` and `author-short` keep `editor` inside a `<choose>`, so an
//! editor-only book came out as "G. L. Freeze. 2009." (no inversion, no "ed.") instead of
//! "Freeze, Gregory L., ed. 2009.". Here each such nested `<names>` is given its parent's
//! options once, when the style is loaded, exactly as hayagriva does for direct children
//! (`Names::from_names_substitute`); the style's own text is not changed.

use hayagriva::citationberg::{IndependentStyle, LayoutRenderingElement, Names, NamesChild};

/// Rewrites every substitute of `style` so nested `<names>` inherit from their parent.
pub fn inherit_in_substitutes(style: &mut IndependentStyle) {
    for csl_macro in &mut style.macros {
        walk(&mut csl_macro.children);
    }
    walk(&mut style.citation.layout.elements);
    if let Some(bibliography) = &mut style.bibliography {
        walk(&mut bibliography.layout.elements);
    }
}

/// Finds every `<names>` with a substitute among `elements` (at any depth).
fn walk(elements: &mut [LayoutRenderingElement]) {
    for element in elements {
        match element {
            LayoutRenderingElement::Names(names) => fix_names(names),
            LayoutRenderingElement::Group(group) => walk(&mut group.children),
            LayoutRenderingElement::Choose(choose) => {
                walk(&mut choose.if_.children);
                for branch in &mut choose.else_if {
                    walk(&mut branch.children);
                }
                if let Some(otherwise) = &mut choose.otherwise {
                    walk(&mut otherwise.children);
                }
            }
            _ => {}
        }
    }
}

fn fix_names(names: &mut Names) {
    let parent = names.clone();
    for child in &mut names.children {
        if let NamesChild::Substitute(substitute) = child {
            for element in &mut substitute.children {
                inherit_nested(&parent, element);
            }
        }
    }
}

/// Within a substitute: a direct `<names>` child is left to hayagriva (which already
/// inherits for it); one nested in a `<choose>` or `<group>` gets the parent's options here.
fn inherit_nested(parent: &Names, element: &mut LayoutRenderingElement) {
    let nested = |children: &mut Vec<LayoutRenderingElement>| {
        for child in children {
            match child {
                LayoutRenderingElement::Names(names) => {
                    *names = parent.from_names_substitute(names);
                }
                other => inherit_nested(parent, other),
            }
        }
    };
    match element {
        LayoutRenderingElement::Group(group) => nested(&mut group.children),
        LayoutRenderingElement::Choose(choose) => {
            nested(&mut choose.if_.children);
            for branch in &mut choose.else_if {
                nested(&mut branch.children);
            }
            if let Some(otherwise) = &mut choose.otherwise {
                nested(&mut otherwise.children);
            }
        }
        _ => {}
    }
}
