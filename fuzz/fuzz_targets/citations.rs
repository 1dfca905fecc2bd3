//! Fuzzes the citation parser: it never panics, and the text runs and citation sources it
//! splits any UTF-8 input into concatenate back to that input exactly.
#![no_main]

use colloquy::cite::syntax::{provisional_label, split, Segment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let segments = split(input);
    let mut rebuilt = String::with_capacity(input.len());
    for segment in &segments {
        match segment {
            Segment::Text(text) => {
                assert!(!text.is_empty(), "empty text run in {input:?}");
                rebuilt.push_str(text);
            }
            Segment::Cite { citation, source } => {
                assert!(!citation.items.is_empty(), "no items in {source:?}");
                assert!(citation.items.iter().all(|item| !item.key.is_empty()));
                provisional_label(citation);
                rebuilt.push_str(source);
            }
        }
    }
    assert_eq!(rebuilt, input);
    if !input.contains('@') {
        assert_eq!(segments.len(), usize::from(!input.is_empty()));
    }
});
