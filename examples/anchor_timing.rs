//! Times `model::anchor::locate` on a 50,000-word post: the passage in place, moved by an
//! insertion before it, edited inside, and deleted (orphaned, the slowest path).
//!
//! `cargo run --release --example anchor_timing` (or without `--release` for a debug build).

use colloquy::model::anchor::{locate, Passage};
use std::time::Instant;

fn main() {
    let words = [
        "freedom",
        "is",
        "never",
        "voluntarily",
        "given",
        "by",
        "the",
        "oppressor",
        "it",
        "must",
        "be",
        "demanded",
        "oppressed",
        "свобода",
        "🕊️",
        "justice",
    ];
    // A deterministic mix, so every short phrase occurs many times.
    let mut seed: u64 = 7;
    let post: Vec<&str> = (0..50_000)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            words[(seed >> 33) as usize % words.len()]
        })
        .collect();
    let text = post.join(" ");
    let chars = text.chars().count();
    let start = chars * 2 / 3;
    let passage = Passage::describe(&text, start, start + 60).expect("a passage");
    let byte_at = |at: usize| text.char_indices().nth(at).map(|(i, _)| i).unwrap();
    let (from, to) = (byte_at(passage.start), byte_at(passage.end));
    let middle = byte_at(passage.start + 30);
    let cases = [
        ("unchanged", text.clone()),
        (
            "insertion before",
            format!("A new opening paragraph. {text}"),
        ),
        (
            "edited inside",
            format!("{}and also {}", &text[..middle], &text[middle..]),
        ),
        (
            "deleted (orphaned)",
            format!("{}{}", &text[..from], &text[to..]),
        ),
    ];
    println!("post: 50,000 words, {chars} code points; passage of 60 code points");
    for (name, edited) in &cases {
        let runs = 20;
        let began = Instant::now();
        let mut found = None;
        for _ in 0..runs {
            found = locate(edited, &passage);
        }
        let each = began.elapsed() / runs;
        println!("{name:>20}: {each:?} per locate -> {found:?}");
    }
}
