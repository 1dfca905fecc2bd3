use super::*;

fn draft() -> Draft {
    Draft {
        id: "a1b2c3d4e5f6".into(),
        title: "Returning from the Gulag".into(),
        summary: "What release meant.".into(),
        body: "Freeze writes [@freeze2009, p. 410].".into(),
        author: "Nadia".into(),
        bibliography: "@book{freeze2009,\n  title = {Russia},\n  author = {Freeze, Gregory},\n  year = {2009}\n}\n".into(),
        bibliography_file: None,
        style: "apa".into(),
        updated_at: "2026-12-02T10:00:00.000Z".into(),
        published_slug: None,
    }
}

#[test]
fn a_complete_draft_has_no_problems() {
    assert_eq!(draft().problems(), vec![]);
}

#[test]
fn each_missing_or_oversized_field_is_named() {
    let empty = Draft::default();
    assert_eq!(
        empty.problems(),
        vec![
            DraftProblem::NoTitle,
            DraftProblem::NoBody,
            DraftProblem::NoAuthor
        ]
    );
    let mut big = draft();
    big.title = "t".repeat(MAX_TITLE_CHARS + 1);
    big.summary = "s".repeat(MAX_SUMMARY_CHARS + 1);
    big.body = "b".repeat(MAX_BODY_BYTES + 1);
    big.author = "a".repeat(MAX_AUTHOR_CHARS + 1);
    big.bibliography = "x".repeat(MAX_BIBLIOGRAPHY_BYTES + 1);
    assert_eq!(
        big.problems(),
        vec![
            DraftProblem::TitleTooLong,
            DraftProblem::SummaryTooLong,
            DraftProblem::BodyTooLong,
            DraftProblem::AuthorTooLong,
            DraftProblem::BibliographyTooLong,
        ]
    );
    let mut blank = draft();
    blank.title = "   ".into();
    blank.body = "\n\n".into();
    assert_eq!(
        blank.problems(),
        vec![DraftProblem::NoTitle, DraftProblem::NoBody]
    );
}

#[test]
fn slugs_are_ascii_words_and_the_drafts_tag() {
    assert_eq!(
        slug_for("Returning from the Gulag!", "A1B2C3D4"),
        "returning-from-the-gulag-a1b2c3"
    );
    assert_eq!(slug_for("Свобода", "ff00ee11"), "post-ff00ee");
    let long = slug_for(&"word ".repeat(40), "abcdef12");
    assert!(long.len() <= 60 + 7, "{long}");
    for slug in [long, slug_for("<script>alert(1)</script>", "zz")] {
        assert!(is_slug(&slug), "{slug}");
    }
    let mut published = draft();
    published.published_slug = Some("kept-slug-abc123".into());
    published.title = "A new title".into();
    assert_eq!(published.slug(), "kept-slug-abc123");
}

#[test]
fn pasted_bibliographies_are_named_by_their_shape() {
    assert_eq!(bibliography_name_for("@book{k,\n}"), "bibliography.bib");
    assert_eq!(
        bibliography_name_for("  [{\"id\": \"k\"}]"),
        "bibliography.json"
    );
    assert_eq!(
        bibliography_name_for("k:\n  type: book\n  title: T\n"),
        "bibliography.yaml"
    );
    assert_eq!(
        bibliography_name_for("email me @ home"),
        "bibliography.yaml"
    );
    let mut chosen = draft();
    chosen.bibliography_file = Some("refs.BIB".into());
    assert_eq!(chosen.bibliography_file().unwrap().name, "refs.BIB");
    chosen.bibliography_file = Some("refs.txt".into());
    assert_eq!(chosen.bibliography_file().unwrap().name, "bibliography.bib");
    chosen.bibliography = "  \n".into();
    assert_eq!(chosen.bibliography_file(), None);
}

#[test]
fn the_wire_format_is_camel_case_with_each_stores_id() {
    let record = PublishedPost::from_draft(
        &draft(),
        Some("HIST 101".into()),
        "2026-12-02T10:00:00.000Z",
        None,
        "ab".repeat(32),
    );
    let rest = serde_json::to_value(record.clone().for_rest()).unwrap();
    assert_eq!(rest["id"], "returning-from-the-gulag-a1b2c3");
    assert_eq!(rest["type"], "post");
    assert_eq!(rest["createdAt"], "2026-12-02T10:00:00.000Z");
    assert_eq!(rest["date"], "2026-12-02");
    assert_eq!(rest["authorLock"], "ab".repeat(32));
    assert_eq!(rest["bibliography"]["name"], "bibliography.bib");
    assert_eq!(rest["unpublished"], false);
    assert!(rest.get("_id").is_none() && rest.get("postId").is_none());
    let couch = serde_json::to_value(record.for_couch(Some("1-x".into()))).unwrap();
    assert_eq!(couch["_id"], "post~returning-from-the-gulag-a1b2c3");
    assert_eq!(couch["_rev"], "1-x");
    assert_eq!(couch["postId"], "returning-from-the-gulag-a1b2c3");
    assert!(couch.get("id").is_none());
    let back: PublishedPost = serde_json::from_value(couch).unwrap();
    assert_eq!(back.front_matter().title, "Returning from the Gulag");
    assert_eq!(back.front_matter().bibliography, vec!["bibliography.bib"]);
    assert_eq!(back.to_draft("d".into()).body, draft().body);
    let date = PostDate::parse("2026-12-02").unwrap();
    assert_eq!(
        draft().front_matter(Some("HIST 101".into()), date),
        back.front_matter(),
        "the preview's header is the published post's"
    );
}

#[test]
fn an_update_keeps_the_first_publication_time() {
    let record = PublishedPost::from_draft(
        &draft(),
        None,
        "2026-12-05T09:00:00.000Z",
        Some("2026-12-02T10:00:00.000Z"),
        "cd".repeat(32),
    );
    assert_eq!(record.date, "2026-12-02");
    assert_eq!(record.created_at, "2026-12-02T10:00:00.000Z");
    assert_eq!(record.updated_at, "2026-12-05T09:00:00.000Z");
}

#[test]
fn each_store_has_its_urls_for_posts() {
    assert_eq!(posts_url("http://h/api", false), "http://h/api/posts");
    assert_eq!(
        post_url("http://h/api", false, "a-b1"),
        "http://h/api/posts/a-b1"
    );
    assert_eq!(
        post_url("http://h/db", true, "a-b1"),
        "http://h/db/post~a-b1"
    );
    let listing = posts_url("http://h/db", true);
    assert!(
        listing.starts_with("http://h/db/_all_docs?include_docs=true&"),
        "{listing}"
    );
    assert!(listing.contains("startkey=%22post~%22"), "{listing}");
    assert!(listing.contains("endkey=%22post~%EF%BF%B0%22"), "{listing}");
}

#[test]
fn only_well_formed_posts_are_readable() {
    let post = PublishedPost::from_draft(
        &draft(),
        None,
        "2026-12-01T10:00:00.000Z",
        None,
        "ab".repeat(32),
    );
    assert!(post.is_readable());
    for broken in [
        PublishedPost {
            unpublished: true,
            ..post.clone()
        },
        PublishedPost {
            slug: "../../etc".into(),
            ..post.clone()
        },
        PublishedPost {
            kind: "comment".into(),
            ..post.clone()
        },
        PublishedPost {
            title: " ".into(),
            ..post.clone()
        },
        PublishedPost {
            date: "yesterday".into(),
            ..post.clone()
        },
    ] {
        assert!(!broken.is_readable(), "{broken:?}");
    }
}

#[test]
fn the_key_being_typed_is_found_inside_brackets_only() {
    assert_eq!(key_being_typed("As Freeze shows [@"), Some(""));
    assert_eq!(key_being_typed("As Freeze shows [@fre"), Some("fre"));
    assert_eq!(key_being_typed("[see @a, p. 2; @fr"), Some("fr"));
    assert_eq!(key_being_typed("[-@freeze"), Some("freeze"));
    assert_eq!(key_being_typed("[@a] and then mail me @ho"), None);
    assert_eq!(key_being_typed("write to x@example"), None);
    assert_eq!(key_being_typed("[a note\nthen @x"), None);
    assert_eq!(key_being_typed("no citation here"), None);
}
