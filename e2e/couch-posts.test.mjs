// Published posts (`post~<slug>`, src/content/published.rs) against the design document as a
// real PouchDB Server 4.2.0 runs it: the schema, the limits and the author lock. Plain HTTP
// from Node; no site and no browser.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startPouchServer } from "./harness.mjs";

let server;
before(async () => {
  server = await startPouchServer();
});
after(async () => {
  await server?.close();
});

const SLUG = "returning-from-the-gulag-a1b2c3";
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** The chain of src/store/author_lock.rs for this post: x0 = H(secret:post~slug), x(i) = H(x(i-1)). */
function chain(secret, couchId, length = 1000) {
  const links = [sha256(`${secret}:${couchId}`)];
  for (let i = 1; i <= length; i += 1) links.push(sha256(links[i - 1]));
  return links;
}

/** A well-formed post document, as PublishedPost::for_couch writes it, with `fields` over it. */
const postDoc = (fields = {}) => ({
  _id: `post~${SLUG}`,
  type: "post",
  postId: SLUG,
  slug: SLUG,
  title: "Returning from the Gulag",
  summary: "What release meant.",
  course: "HIST 232",
  author: "Nadia",
  body: "Freeze writes [@freeze2009, p. 410].",
  bibliography: { name: "bibliography.bib", text: "@book{freeze2009,\n  title = {Russia},\n  year = {2009}\n}\n" },
  style: "apa",
  date: "2026-12-02",
  createdAt: "2026-12-02T10:00:00.000Z",
  updatedAt: "2026-12-02T10:00:00.000Z",
  authorLock: "0".repeat(64),
  unpublished: false,
  ...fields,
});

describe("published posts in CouchDB", () => {
  test("the design document holds posts to their schema and lets only the author lock's holder edit them", async () => {
    const dbUrl = `${server.admin}/posts-1`;
    await server.createDb("posts-1");
    const put = async (doc) => {
      const response = await fetch(`${dbUrl}/${encodeURIComponent(doc._id)}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(doc),
      });
      return { status: response.status, body: await response.json() };
    };
    const refused = async (doc, reason) => {
      const answer = await put(doc);
      assert.equal(answer.status, 403, `${JSON.stringify(doc).slice(0, 200)}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error, "forbidden");
      assert.match(answer.body.reason, reason);
    };
    const links = chain("s", `post~${SLUG}`);

    // Malformed posts are refused before any is stored.
    await refused(postDoc({ authorLock: links[1000], script: "<script>alert(1)</script>" }), /a post has no field `script`/);
    await refused(postDoc({ authorLock: links[1000], body: "x".repeat(512 * 1024 + 1) }), /`body` is longer than 524288 bytes/);
    await refused(postDoc({ authorLock: links[1000], _id: "post~another-slug" }), /post~<slug>/);
    await refused(postDoc({ authorLock: links[1000], postId: "another-slug" }), /`postId` is its `slug`/);
    await refused(postDoc({ authorLock: links[1000], slug: "Not A Slug", postId: "Not A Slug", _id: "post~Not A Slug" }), /slug/);
    await refused(postDoc({ authorLock: links[1000], title: "  " }), /`title` must not be empty/);
    await refused(postDoc({ authorLock: links[1000], title: "т".repeat(201) }), /`title` is longer than 200 characters/);
    await refused(postDoc({ authorLock: links[1000], author: "" }), /`author` must not be empty/);
    await refused(postDoc({ authorLock: links[1000], style: "ieee" }), /`style` must be one of/);
    await refused(postDoc({ authorLock: links[1000], date: "2026-13-02" }), /YYYY-MM-DD/);
    await refused(postDoc({ authorLock: links[1000], bibliography: { name: "refs.txt", text: "" } }), /\.bib/);
    await refused(postDoc({ authorLock: links[1000], bibliography: { name: "refs.bib", text: "", html: "<b>" } }), /no field `html`/);
    await refused(postDoc({ authorLock: links[1000], unpublished: "no" }), /true or false/);
    await refused(postDoc({ authorLock: "not a lock" }), /authorLock/);
    assert.deepEqual(await server.docs("posts-1"), []);

    // A well-formed post (title at its limit in non-ASCII, no summary, course or bibliography) is stored.
    const created = await put(postDoc({ authorLock: links[1000], title: "т".repeat(200), summary: null, course: null, bibliography: null }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const rev1 = created.body.rev;

    // An edit whose lock is not the preimage of the stored one is refused.
    await refused(postDoc({ _rev: rev1, title: "Forged", authorLock: sha256("guess") }), /only the author of this post can edit or unpublish it/);
    await refused(postDoc({ _rev: rev1, title: "Forged", authorLock: links[1000] }), /only the author of this post/);
    // With the preimage it is accepted; fixed fields stay fixed.
    await refused(postDoc({ _rev: rev1, createdAt: "2026-12-03T10:00:00.000Z", authorLock: links[999] }), /`createdAt` cannot change/);
    const edited = await put(postDoc({ _rev: rev1, title: "Returning from the Gulag (revised)", updatedAt: "2026-12-05T09:00:00.000Z", authorLock: links[999] }));
    assert.equal(edited.status, 201, JSON.stringify(edited.body));
    // The revealed lock opens nothing again; unpublishing takes the next preimage.
    await refused(postDoc({ _rev: edited.body.rev, unpublished: true, authorLock: links[999] }), /only the author/);
    const unpublished = await put(postDoc({ _rev: edited.body.rev, title: "Returning from the Gulag (revised)", unpublished: true, updatedAt: "2026-12-06T09:00:00.000Z", authorLock: links[998] }));
    assert.equal(unpublished.status, 201, JSON.stringify(unpublished.body));

    // The listing the app reads: the post~ id range.
    const range = `startkey=${encodeURIComponent('"post~"')}&endkey=${encodeURIComponent('"post~\ufff0"')}`;
    const { rows } = await (await fetch(`${dbUrl}/_all_docs?include_docs=true&${range}`)).json();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].doc.unpublished, true);
    assert.equal(rows[0].doc.authorLock, links[998]);
    assert.equal(rows[0].doc.title, "Returning from the Gulag (revised)");
  });
});
