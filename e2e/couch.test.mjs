// The CouchDB store against a real PouchDB Server 4.2.0 (in memory): live between browsers
// through the _changes feed, nothing lost or doubled when the server goes away, conflicting
// edits merged, and the design document's rules as PouchDB Server runs them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { eventually, openPage, readStoredThread, startPouchServer, storageKeys, useSiteAndBrowser } from "./harness.mjs";

const shared = useSiteAndBrowser();
let server;
before(async () => {
  server = await startPouchServer();
});
after(async () => {
  await server?.close();
});

const POST = "the-struggle-for-freedom";
const postUrl = () => `${shared.url}?post=${POST}`;
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

let databases = 0;
/** A fresh database with the design document installed (unless `design` is false). */
async function freshDb(options) {
  databases += 1;
  const name = `blog-${databases}`;
  return { name, url: await server.createDb(name, options) };
}

/** A page whose config.json points the thread at the database `dbUrl`. */
async function couchPage(dbUrl, { identity, pollSeconds, ...options } = {}) {
  const run = await openPage(shared.browser, {
    // A closed gate and offline contexts make the browser log failed requests.
    allowConsole: [/Failed to load resource/, /ERR_CONNECTION_REFUSED/, /ERR_INTERNET_DISCONNECTED/, /net::/],
    ...options,
  });
  const store = { kind: "couchdb", url: dbUrl, ...(pollSeconds ? { pollSeconds } : {}) };
  await run.context.route("**/config.json", (route) => route.fulfill({ json: { store } }));
  if (identity) {
    // The same reader on two devices: the same browser id and author secret.
    await run.context.addInitScript((identity) => {
      if (!localStorage.getItem("colloquy:browser-id")) {
        localStorage.setItem("colloquy:browser-id", identity.browserId);
        localStorage.setItem("colloquy:author-secret", identity.secret);
      }
    }, identity);
  }
  const requests = [];
  const responses = [];
  run.page.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));
  run.page.on("response", (response) => responses.push({ method: response.request().method(), status: response.status(), url: response.url() }));
  return { ...run, requests, responses };
}

async function open(run) {
  await run.page.goto(postUrl());
  await run.page.locator("form.composer").waitFor();
}

async function post(page, name, body) {
  const composer = page.locator("form.composer").last();
  await composer.getByLabel("Name", { exact: true }).fill(name);
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  await composer.getByRole("button", { name: "Post comment" }).click();
}

async function edit(page, commentId, body) {
  const comment = page.locator(`li.comment[id="${commentId}"]`).locator("article").first();
  await comment.getByRole("button", { name: "Edit", exact: true }).click();
  const editor = page.locator(`li.comment[id="${commentId}"] form.composer`).first();
  await editor.getByLabel("Comment", { exact: true }).fill(body);
  await editor.getByRole("button", { name: "Save changes" }).click();
}

/** Keeps the change feed from a context, so that only a write's own conflict tells it news. */
const isChangeFeed = (url) => url.pathname.endsWith("/_changes");
const blockChangeFeed = (context) => context.route(isChangeFeed, (route) => route.abort());

/**
 * A PUT the database turned away because the document moved on: 409 from CouchDB, 403 from
 * PouchDB Server (it runs validate_doc_update against the current revision before it checks
 * the one named, so the author lock refuses first).
 */
const contested = (responses) => responses.some((r) => r.method === "PUT" && (r.status === 409 || r.status === 403));

const bodies = (page) => page.locator("li.comment .comment-body").allTextContents();

/** Whether `text` shows in the thread, after "N new comments" if it waits behind that. */
async function shows(page, text) {
  const waitingButton = page.locator("button.new-comments");
  if (await waitingButton.count()) await waitingButton.click();
  return (await bodies(page)).includes(text);
}
const commentDocs = async (db) => (await server.docs(db.name)).filter((doc) => doc.type === "comment");
const bodiesOnServer = async (db) => (await commentDocs(db)).map((doc) => doc.body);

describe("the CouchDB store", () => {
  test("two browsers see each other's comments, likes and edits live through _changes", async () => {
    const db = await freshDb();
    const a = await couchPage(db.url);
    const b = await couchPage(db.url);
    await open(a);
    await open(b);
    await post(a.page, "Ana", "From browser A.");
    await post(b.page, "Ben", "From browser B.");
    await eventually(async () => assert.ok((await bodies(a.page)).includes("From browser B.")), 4_000);
    await eventually(async () => assert.ok((await bodies(b.page)).includes("From browser A.")), 4_000);

    // Each browser keeps its saved copy per record (IndexedDB, `couch-cache:<post>`), not as one key.
    await eventually(async () => {
      const cache = await readStoredThread(b.page, `couch-cache:${POST}`);
      assert.deepEqual(cache.comments.map((c) => c.body).sort(), ["From browser A.", "From browser B."]);
    });
    assert.deepEqual(await storageKeys(b.page, "colloquy:couch-cache:"), []);

    // One document per comment, `<postSlug>:<commentId>`.
    const docs = await commentDocs(db);
    assert.deepEqual(docs.map((doc) => doc.body).sort(), ["From browser A.", "From browser B."]);
    for (const doc of docs) {
      assert.equal(doc._id, `${POST}:${doc.id}`);
      assert.match(doc.authorLock, /^[0-9a-f]{64}$/);
    }

    // A like is a document per browser; an edit replaces the revision.
    await a.page.locator("li.comment", { hasText: "From browser B." }).locator("button.like").click();
    const likeOnB = b.page.locator("li.comment", { hasText: "From browser B." }).locator(".like-count");
    await eventually(async () => assert.equal(await likeOnB.textContent(), "1"), 4_000);
    const likes = (await server.docs(db.name)).filter((doc) => doc.type === "like");
    assert.equal(likes.length, 1);
    assert.equal(likes[0]._id, `${POST}:like:${likes[0].commentId}:${likes[0].browserId}`);
    const aId = await a.page.locator("li.comment", { hasText: "From browser A." }).getAttribute("id");
    await edit(a.page, aId, "From browser A, edited.");
    await eventually(async () => assert.ok((await bodies(b.page)).includes("From browser A, edited.")), 4_000);
    const edited = (await commentDocs(db)).find((doc) => doc.body === "From browser A, edited.");
    assert.match(edited._rev, /^2-/);

    // Live through the post's filtered change feed, not by re-reading.
    assert.ok(b.requests.some((r) => r.includes("/_changes?feed=longpoll") && r.includes("filter=colloquy%2Fpost")));
    assert.equal(b.requests.filter((r) => r.includes("/_all_docs")).length, 1, "one range read");
    await a.finish();
    await b.finish();
  });

  test("comments written while the server is down arrive exactly once when it is back", async () => {
    const db = await freshDb();
    const run = await couchPage(db.url);
    await open(run);
    await post(run.page, "Casey", "Online first.");
    await eventually(async () => assert.deepEqual(await bodiesOnServer(db), ["Online first."]));
    await server.stop();
    const offline = ["Offline one.", "Offline two.", "Offline three."];
    for (const body of offline) await post(run.page, "Casey", body);
    const waiting = run.page.locator(".delivery.is-waiting");
    await eventually(async () => assert.equal(await waiting.count(), 3), 8_000);
    await eventually(async () => assert.match((await run.page.locator(".store-problem").textContent({ timeout: 500 })) ?? "", /cannot be reached/), 8_000);
    // A reload keeps them waiting; the cached thread shows although the server is down.
    await run.page.reload();
    await eventually(async () => assert.equal(await waiting.count(), 3), 8_000);
    await eventually(async () => assert.ok((await bodies(run.page)).includes("Online first."), "the cached thread shows offline"), 8_000);
    await server.start();
    await run.page.evaluate(() => window.dispatchEvent(new Event("online")));
    await eventually(async () => {
      const stored = await bodiesOnServer(db);
      assert.equal(stored.length, 4, `the server holds ${JSON.stringify(stored)}`);
      for (const body of offline) assert.equal(stored.filter((b) => b === body).length, 1, `${body} exactly once`);
    }, 15_000);
    await eventually(async () => assert.equal(await waiting.count(), 0), 5_000);
    await eventually(async () => assert.equal(await run.page.locator(".store-problem").count(), 0), 8_000);
    await run.finish();
  });

  test("a write whose answer was lost is found there on retry, not made twice", async () => {
    const db = await freshDb();
    const run = await couchPage(db.url);
    await blockChangeFeed(run.context);
    let lost = 0;
    await run.context.route((url) => url.href.startsWith(`${db.url}/${POST}%3A`), async (route) => {
      if (route.request().method() === "PUT" && lost === 0) {
        lost += 1;
        await route.fetch(); // the server stores it...
        await route.abort("connectionreset"); // ...but its answer never arrives
        return;
      }
      await route.continue();
    });
    await open(run);
    await post(run.page, "Lou", "Stored once.");
    await run.page.evaluate(() => window.dispatchEvent(new Event("online")));
    await eventually(async () => assert.ok(contested(run.responses)), 15_000);
    const delivery = run.page.locator("li.comment", { hasText: "Stored once." }).locator(".delivery");
    // "Sent" shows for a moment, then the line goes: delivered, and not failed.
    await eventually(async () => assert.equal(await delivery.count(), 0), 12_000);
    assert.equal(lost, 1);
    const docs = await commentDocs(db);
    assert.deepEqual(docs.map((doc) => doc.body), ["Stored once."]);
    assert.match(docs[0]._rev, /^1-/, "the retry wrote nothing");
    assert.equal(await run.page.locator(".delivery.is-failed").count(), 0);
    await run.finish();
  });

  test("conflicting edits from two devices are merged: the later edit wins, a delete wins", async () => {
    const db = await freshDb();
    const identity = { browserId: randomBytes(16).toString("hex"), secret: randomBytes(32).toString("hex") };
    const a = await couchPage(db.url, { identity });
    await open(a);
    await post(a.page, "Dee", "The first version.");
    await eventually(async () => assert.deepEqual(await bodiesOnServer(db), ["The first version."]));
    const id = await a.page.locator("li.comment", { hasText: "The first version." }).getAttribute("id");

    // B, the same reader on another device, reads revision 1 and hears no news after it.
    const b = await couchPage(db.url, { identity });
    await blockChangeFeed(b.context);
    await open(b);
    await eventually(async () => assert.ok(await shows(b.page, "The first version.")), 4_000);
    await edit(a.page, id, "A's edit.");
    await eventually(async () => assert.deepEqual(await bodiesOnServer(db), ["A's edit."]));
    // B's later edit names revision 1: turned away, B reads revision 2, merges, writes 3.
    await edit(b.page, id, "B's later edit.");
    await eventually(async () => assert.ok(contested(b.responses), "B met the conflict"), 15_000);
    await eventually(async () => assert.deepEqual(await bodiesOnServer(db), ["B's later edit."]), 15_000);
    await eventually(async () => assert.ok(await shows(a.page, "B's later edit.")), 4_000);
    assert.match((await commentDocs(db))[0]._rev, /^3-/);
    await b.context.unroute(isChangeFeed);

    // C, a third device, reads revision 3 and hears no news after it while B deletes; C's
    // edit, later than the delete, meets it, and the delete wins.
    const c = await couchPage(db.url, { identity });
    await blockChangeFeed(c.context);
    await open(c);
    await eventually(async () => assert.ok(await shows(c.page, "B's later edit.")), 4_000);
    const onB = b.page.locator(`li.comment[id="${id}"]`);
    await onB.locator("article").first().getByRole("button", { name: "Delete", exact: true }).click();
    await onB.getByRole("button", { name: "Delete comment", exact: true }).click();
    await eventually(async () => assert.equal((await commentDocs(db))[0].deleted, true), 15_000);
    await edit(c.page, id, "C edits what is gone.");
    await eventually(async () => assert.ok(contested(c.responses), "C met the delete"), 15_000);
    await eventually(async () => assert.equal(await c.page.locator(`li.comment[id="${id}"]`).count(), 0), 15_000);
    await eventually(async () => assert.equal(await a.page.locator(`li.comment[id="${id}"]`).count(), 0), 4_000);
    const final = await commentDocs(db);
    assert.equal(final.length, 1);
    assert.equal(final[0].deleted, true);
    assert.equal(final[0].body, "");
    assert.equal(await c.page.locator(".delivery.is-waiting, .delivery.is-failed").count(), 0, "nothing left waiting or failed");
    await a.finish();
    await b.finish();
    await c.finish();
  });

  test("without the design document the thread is re-read every pollSeconds", async () => {
    const db = await freshDb({ design: false });
    const warnings = [];
    const a = await couchPage(db.url, { pollSeconds: 1 });
    const b = await couchPage(db.url, { pollSeconds: 1 });
    a.page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
    await open(a);
    await open(b);
    await post(b.page, "Bo", "Seen by polling.");
    await eventually(async () => assert.ok(await shows(a.page, "Seen by polling.")), 6_000);
    assert.equal(a.requests.filter((r) => r.includes("/_changes")).length, 0);
    assert.ok(a.requests.filter((r) => r.includes("/_all_docs")).length >= 2);
    assert.ok(warnings.some((w) => /couch-install/.test(w)), warnings.join("\n"));
    await a.finish();
    await b.finish();
  });
});

describe("the design document, as PouchDB Server runs it", () => {
  const put = async (db, doc) => {
    const response = await fetch(`${server.admin}/${db.name}/${encodeURIComponent(doc._id)}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(doc),
    });
    return { status: response.status, body: await response.json() };
  };
  const comment = (fields = {}) => ({
    _id: `${POST}:c1`,
    type: "comment",
    id: "c1",
    postId: POST,
    parentId: null,
    author: "Maya",
    authorKey: "browser-1",
    body: "Hello.",
    createdAt: "2026-11-26T14:30:00.000Z",
    updatedAt: "2026-11-26T14:30:00.000Z",
    deleted: false,
    ...fields,
  });

  test("holds documents to the schema", async () => {
    const db = await freshDb();
    const lock = sha256("k");
    const refusals = [
      [comment({ authorLock: lock, author: undefined }), /`author` must be text/],
      [comment({ authorLock: lock, _id: `${POST}:c2` }), /<postId>:<id>/],
      [comment({ authorLock: lock, createdAt: "yesterday" }), /RFC 3339/],
      [comment({ authorLock: lock, deleted: "no" }), /true or false/],
      [comment({ authorLock: lock, body: "x".repeat(100 * 1024 + 1) }), /longer than/],
      [comment({ authorLock: lock, extra: 1 }), /no field `extra`/],
      [comment({ authorLock: "not a lock" }), /authorLock/],
      [comment({ authorLock: lock, type: "note" }), /`type` must be/],
      [comment({ authorLock: lock, target: { selector: [{ type: "TextPositionSelector", start: 1, end: 2 }] } }), /needs a TextQuoteSelector/],
      [comment({ authorLock: lock, target: { selector: [{ type: "CssSelector", value: "p" }] } }), /selectors are/],
      [comment({ authorLock: lock, postId: "Not A Slug", _id: "Not A Slug:c1" }), /slug/],
      [{ _id: `${POST}:like:c1:b1`, type: "like", id: "c1:b1", postId: POST, commentId: "c1", browserId: "b2", liked: true, updatedAt: "2026-11-26T14:30:00.000Z" }, /like's id/],
    ];
    for (const [doc, reason] of refusals) {
      const answer = await put(db, doc);
      assert.equal(answer.status, 403, JSON.stringify(doc).slice(0, 200));
      assert.equal(answer.body.error, "forbidden");
      assert.match(answer.body.reason, reason);
    }
    assert.deepEqual(await server.docs(db.name), []);
    // A comment on a passage carries its Web Annotation target (src/model/anchor.rs).
    const target = {
      selector: [
        { type: "TextQuoteSelector", exact: "the Soviet Union", prefix: "in ", suffix: " was" },
        { type: "TextPositionSelector", start: 120, end: 136 },
      ],
    };
    assert.equal((await put(db, comment({ authorLock: lock, target }))).status, 201);
    const like = { _id: `${POST}:like:c1:b1`, type: "like", id: "c1:b1", postId: POST, commentId: "c1", browserId: "b1", liked: true, updatedAt: "2026-11-26T14:30:00.000Z" };
    assert.equal((await put(db, like)).status, 201);
  });

  test("lets only the holder of the author key edit or delete a comment, once per key", async () => {
    const db = await freshDb();
    // The chain of author_lock.rs: x0 = H(secret:commentId), x(i) = H(x(i-1)).
    const chain = [sha256("secret:c1")];
    for (let i = 1; i <= 3; i += 1) chain.push(sha256(chain[i - 1]));
    const created = await put(db, comment({ authorLock: chain[3] }));
    assert.equal(created.status, 201);
    const rev1 = created.body.rev;

    const forged = await put(db, comment({ _rev: rev1, body: "Forged.", authorLock: sha256("guess") }));
    assert.equal(forged.status, 403);
    assert.match(forged.body.reason, /only the author/);
    const byKey = await put(db, comment({ _rev: rev1, body: "Edited.", updatedAt: "2026-11-26T14:31:00.000Z", authorLock: chain[2] }));
    assert.equal(byKey.status, 201);
    // The revealed key opens nothing again; the next one on the chain does.
    const replayed = await put(db, comment({ _rev: byKey.body.rev, body: "Replayed.", authorLock: chain[2] }));
    assert.equal(replayed.status, 403);
    const owner = await put(db, comment({ _rev: byKey.body.rev, authorKey: "someone-else", authorLock: chain[1] }));
    assert.equal(owner.status, 403);
    assert.match(owner.body.reason, /`authorKey` cannot change/);
    const moved = { selector: [{ type: "TextQuoteSelector", exact: "elsewhere", prefix: "", suffix: "" }] };
    const retargeted = await put(db, comment({ _rev: byKey.body.rev, target: moved, authorLock: chain[1] }));
    assert.equal(retargeted.status, 403);
    assert.match(retargeted.body.reason, /`target` cannot change/);
    const deleted = await put(db, comment({ _rev: byKey.body.rev, body: "", deleted: true, updatedAt: "2026-11-26T14:32:00.000Z", authorLock: chain[1] }));
    assert.equal(deleted.status, 201);
    const revived = await put(db, comment({ _rev: deleted.body.rev, deleted: false, authorLock: chain[0] }));
    assert.equal(revived.status, 403);
    assert.match(revived.body.reason, /stays deleted/);
    const [stored] = await server.docs(db.name);
    assert.equal(stored.deleted, true);
    assert.equal(stored.authorLock, chain[1]);

    // PouchDB Server runs in "admin party" (no admins configured), so every request is an
    // admin's and may remove a document outright; CouchDB with admins refuses it to others.
    const removed = await fetch(`${server.admin}/${db.name}/${POST}%3Ac1?rev=${deleted.body.rev}`, { method: "DELETE" });
    assert.equal(removed.status, 200);
  });
});
