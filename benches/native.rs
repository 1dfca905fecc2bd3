//! Native benchmarks (criterion), run by `scripts/bench`: parsing posts and merging threads.
//! Criterion does not build for wasm32, where this file is an empty program.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use colloquy::content::Post;
    use colloquy::model::merge::merge;
    use colloquy::model::{Comment, ThreadData};
    use criterion::{criterion_group, Criterion};
    use std::hint::black_box;

    const SEED_POST: &str = include_str!("../content/posts/the-struggle-for-freedom/index.md");
    const WORDS: &[&str] = &[
        "the",
        "prisoners",
        "were",
        "released",
        "after",
        "Stalin's",
        "death",
        "and",
        "many",
        "returned",
        "to",
        "cities",
        "where",
        "their",
        "neighbours",
        "had",
        "informed",
        "on",
        "them",
        "Khrushchev",
        "amnesty",
        "of",
        "1953",
        "camps",
        "labour",
        "society",
        "memory",
    ];

    /// A small deterministic stream (xorshift), so every run parses the same text.
    struct Stream(u64);
    impl Stream {
        fn next(&mut self, below: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % below as u64) as usize
        }
    }

    /// A post of `words` words: front matter, sections with headings, paragraphs with
    /// emphasis, links, footnotes and a table now and then.
    fn long_post(words: usize) -> String {
        let mut stream = Stream(0x2545_f491_4f6c_dd1d);
        let mut out = String::from(
            "---\ntitle: A Long Post\nauthor: Bench\ndate: 2026-01-05\ncourse: HIST 232\n---\n\n",
        );
        let mut written = 0;
        let mut paragraph = 0;
        while written < words {
            if paragraph % 12 == 0 {
                out.push_str(&format!("## Section {}\n\n", paragraph / 12 + 1));
            }
            let length = 40 + stream.next(120);
            for i in 0..length {
                let word = WORDS[stream.next(WORDS.len())];
                match stream.next(40) {
                    0 => out.push_str(&format!("*{word}*")),
                    1 => out.push_str(&format!("[{word}](https://example.org/{i})")),
                    _ => out.push_str(word),
                }
                out.push(if i + 1 == length { '.' } else { ' ' });
            }
            if paragraph % 9 == 4 {
                out.push_str(&format!(
                    "[^n{paragraph}]\n\n[^n{paragraph}]: A note on {paragraph}."
                ));
            }
            out.push_str("\n\n");
            if paragraph % 25 == 10 {
                out.push_str(
                    "| year | released |\n|---|---|\n| 1953 | 1,200,000 |\n| 1956 | 300,000 |\n\n",
                );
            }
            written += length;
            paragraph += 1;
        }
        out
    }

    fn comment(i: usize, stream: &mut Stream) -> Comment {
        let created_at =
            colloquy::model::timestamp::format_millis(1_767_600_000_000 + i as i64 * 60_000);
        let parent_id =
            (i > 0 && stream.next(10) < 3).then(|| format!("c{}", i - 1 - stream.next(i.min(20))));
        let words = 10 + stream.next(80);
        let body = (0..words)
            .map(|_| WORDS[stream.next(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ");
        Comment {
            id: format!("c{i}"),
            post_id: "post".into(),
            parent_id,
            author: format!("Student {}", stream.next(30)),
            author_key: Some(format!("browser-{}", stream.next(30))),
            body,
            updated_at: created_at.clone(),
            created_at,
            deleted: false,
            target: None,
            account: None,
            account_role: None,
        }
    }

    /// Two copies of a 10,000-comment thread that diverged: each holds 9,000 shared comments
    /// (some edited or deleted on one side) and 1,000 of its own.
    fn diverged_threads() -> (ThreadData, ThreadData) {
        let mut stream = Stream(0x9e37_79b9_7f4a_7c15);
        let all: Vec<Comment> = (0..11_000).map(|i| comment(i, &mut stream)).collect();
        let mut a: Vec<Comment> = all[..10_000].to_vec();
        let b: Vec<Comment> = all[1_000..].to_vec();
        for (n, c) in a.iter_mut().enumerate().skip(1_000).step_by(50) {
            c.updated_at = colloquy::model::timestamp::format_millis(1_800_000_000_000 + n as i64);
            c.deleted = n % 100 == 0;
        }
        (
            ThreadData {
                comments: a,
                likes: Vec::new(),
                ..ThreadData::default()
            },
            ThreadData {
                comments: b,
                likes: Vec::new(),
                ..ThreadData::default()
            },
        )
    }

    fn parsing(c: &mut Criterion) {
        c.bench_function("parse seed post", |b| {
            b.iter(|| Post::parse(black_box(SEED_POST)).unwrap())
        });
        let long = long_post(50_000);
        c.bench_function("parse 50000-word post", |b| {
            b.iter(|| Post::parse(black_box(&long)).unwrap())
        });
    }

    fn merging(c: &mut Criterion) {
        let (a, b) = diverged_threads();
        assert_eq!(merge(&a, &b).comments.len(), 11_000);
        c.bench_function("merge two 10000-comment threads", |bench| {
            bench.iter(|| merge(black_box(&a), black_box(&b)))
        });
    }

    criterion_group!(benches, parsing, merging);

    pub fn main() {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    native::main();
}
