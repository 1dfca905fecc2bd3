//! The messages between the page and the content worker, which holds the Markdown and front
//! matter parsers so they stay out of the page's first load.

use super::front_matter::{self, FrontMatter};
use super::markdown::{self, Document, Profile};
use super::Post;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// A whole post source: front matter and body.
    Post { source: String },
    /// Only a post's front matter (for its card in the list).
    FrontMatter { source: String },
    /// Texts rendered with one Markdown profile (comment bodies, a composer preview).
    Texts {
        texts: Vec<String>,
        profile: Profile,
    },
    /// Comment bodies, each answered as its `Document` in JSON: the page keeps that text in
    /// its body cache (`web::body_cache`) as it came.
    Bodies { texts: Vec<String> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Post(Result<Post, String>),
    FrontMatter(Result<FrontMatter, String>),
    Texts(Vec<Document>),
    Bodies(Vec<String>),
}

/// A request or reply with the number that pairs them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub id: u32,
    pub body: T,
}

/// What the worker does with a request: the whole of its job, testable natively.
pub fn answer(request: Request) -> Reply {
    match request {
        Request::Post { source } => Reply::Post(Post::parse(&source).map_err(|e| e.to_string())),
        Request::FrontMatter { source } => Reply::FrontMatter(
            front_matter::split(&source)
                .map(|(meta, _)| meta)
                .map_err(|e| e.to_string()),
        ),
        Request::Texts { texts, profile } => Reply::Texts(
            texts
                .iter()
                .map(|text| markdown::render_with(text, profile))
                .collect(),
        ),
        Request::Bodies { texts } => Reply::Bodies(
            texts
                .iter()
                .map(|text| {
                    let document = markdown::render_with(text, Profile::Comment);
                    serde_json::to_string(&document).unwrap_or_default()
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(value: &T) -> T {
        serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
    }

    #[test]
    fn a_post_survives_the_trip_through_json() {
        let source = include_str!("../../content/posts/the-struggle-for-freedom/index.md");
        let reply = answer(round_trip(&Request::Post {
            source: source.to_owned(),
        }));
        let Reply::Post(Ok(post)) = round_trip(&reply) else {
            panic!("{reply:?}")
        };
        assert_eq!(post, Post::parse(source).unwrap());
    }

    #[test]
    fn errors_and_texts_are_answered() {
        let Reply::Post(Err(message)) = answer(Request::Post {
            source: "no front matter".into(),
        }) else {
            panic!()
        };
        assert!(message.contains("no front matter"));
        let Reply::FrontMatter(Ok(meta)) = answer(Request::FrontMatter {
            source: "---\ntitle: T\nauthor: A\ndate: 2020-01-01\n---\n# Body".into(),
        }) else {
            panic!()
        };
        assert_eq!(meta.title, "T");
        let Reply::Texts(docs) = answer(Request::Texts {
            texts: vec!["*a*".into(), "# b".into()],
            profile: Profile::Comment,
        }) else {
            panic!()
        };
        assert_eq!(docs.len(), 2);
        assert!(docs[1].toc.is_empty(), "comments have no headings");
    }

    #[test]
    fn bodies_come_back_as_the_json_of_their_comment_documents() {
        let Reply::Bodies(bodies) = round_trip(&answer(Request::Bodies {
            texts: vec!["*a*".into(), "# b".into()],
        })) else {
            panic!()
        };
        let documents: Vec<Document> = bodies
            .iter()
            .map(|json| serde_json::from_str(json).unwrap())
            .collect();
        assert_eq!(
            documents,
            vec![
                markdown::render_with("*a*", Profile::Comment),
                markdown::render_with("# b", Profile::Comment),
            ]
        );
    }
}
