// `colloquy import` (issue 20), end to end with the native tool (target/debug/colloquy, which
// scripts/test builds before this suite): a WordPress export pushed twice into json-server and
// into PouchDB Server creates every comment once; and a WordPress export imported into a copy
// of content/, built with `colloquy build` into a copy of dist/, renders in Chromium with its
// comments numbered as WordPress orders them, on the built page and in the live thread.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, openPage, startJsonServer, startPouchServer, startSite, text } from "./harness.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const colloquyBin = join(root, "target", "debug", "colloquy");
const WXR = join(root, "tests", "fixtures", "import", "course-blog.wxr");
const DISQUS = join(root, "tests", "fixtures", "import", "disqus.xml");
const SLUG = "gulag-amnesty";

/** WordPress's order of the fixture's approved comments: number, author. */
const WORDPRESS_ORDER = [
  ["1", "Sam & Co. <Okafor>"],
  ["2", "Parker Nguyen"],
  ["2.1", "Maya Chen"],
  ["2.1.1", "Parker Nguyen"],
  ["3", "Alex Romero"],
  ["4", "Riley Park"],
  ["5", "Old Import"],
];

/** Runs the native tool; resolves with its exit code and output. */
function colloquy(...args) {
  assert.ok(existsSync(colloquyBin), `${colloquyBin} is missing: run cargo build --bin colloquy`);
  return new Promise((resolve) =>
    execFile(colloquyBin, args, { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code ?? 1 : 0, stdout, stderr }),
    ),
  );
}

/** The fixture with one comment edited since it was exported, in `dir`. */
function editedExport(dir) {
  const file = join(dir, "edited.wxr");
  writeFileSync(file, readFileSync(WXR, "utf8").replace("I agree with Parker. Why did he give in?", "I agree with Parker. Why did he give in? (edited)"));
  return file;
}

/** A temporary folder with a copy of content/ and a config.json for `store`. */
function workspace(store) {
  const dir = mkdtempSync(join(tmpdir(), "colloquy-import-e2e-"));
  cpSync(join(root, "content"), join(dir, "content"), { recursive: true });
  if (store) writeFileSync(join(dir, "config.json"), JSON.stringify({ store }));
  return dir;
}

async function importTwice(dir, { expectCreated }) {
  const args = ["import", WXR, "--to", join(dir, "config.json"), "--into", join(dir, "content")];
  const first = await colloquy(...args);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`${SLUG}: 7 comment\\(s\\); store: ${expectCreated} created, 0 updated, ${7 - expectCreated} already there`));
  const second = await colloquy(...args);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, new RegExp(`${SLUG}: 7 comment\\(s\\); store: 0 created, 0 updated, 7 already there`));
  assert.match(second.stdout, /post already imported, unchanged/);
  return { first, second };
}

test("import --to a REST store (json-server) twice creates each comment once", { timeout: 60_000 }, async () => {
  const server = await startJsonServer();
  const dir = workspace({ kind: "rest", url: server.url });
  try {
    await importTwice(dir, { expectCreated: 7 });
    const comments = await server.records("comments");
    assert.equal(comments.length, 7);
    assert.equal(new Set(comments.map((c) => c.id)).size, 7);
    assert.ok(comments.every((c) => c.postId === SLUG && c.deleted === false && c.updatedAt === c.createdAt));
    const maya = comments.find((c) => c.author === "Maya Chen");
    assert.equal(maya.parentId, "wp-000000000011");
    // The posts went to the content folder, the comments did not.
    assert.ok(existsSync(join(dir, "content", "posts", SLUG, "index.md")));
    assert.ok(!existsSync(join(dir, "content", "posts", SLUG, "comments.json")));

    // A comment edited in WordPress since: the record is updated, nothing is added.
    const edited = await colloquy("import", editedExport(dir), "--to", join(dir, "config.json"), "--into", join(dir, "content"));
    assert.equal(edited.code, 0, edited.stderr);
    assert.match(edited.stdout, /store: 0 created, 1 updated, 6 already there/);
    const updated = await server.records("comments");
    assert.equal(updated.length, 7);
    assert.match(updated.find((c) => c.author === "Maya Chen").body, /\(edited\)$/);

    // The Disqus export's comments join the same post in the store, also only once.
    for (let run = 0; run < 2; run++) {
      const disqus = await colloquy("import", DISQUS, "--to", join(dir, "config.json"), "--into", join(dir, "content"));
      assert.equal(disqus.code, 0, disqus.stderr);
    }
    const after = await server.records("comments", `?postId=${SLUG}`);
    assert.equal(after.length, 10);
    assert.equal(new Set(after.map((c) => c.id)).size, 10);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("import --to a CouchDB store (PouchDB Server, design document installed) twice creates each document once", { timeout: 90_000 }, async () => {
  const server = await startPouchServer();
  const dbUrl = await server.createDb("course");
  const dir = workspace({ kind: "couchdb", url: dbUrl });
  try {
    await importTwice(dir, { expectCreated: 7 });
    const docs = await server.docs("course");
    assert.equal(docs.length, 7);
    assert.deepEqual(
      docs.map((d) => d._id).sort(),
      ["09", "11", "12", "13", "19", "20", "21"].map((n) => `${SLUG}:wp-0000000000${n}`),
    );
    assert.ok(docs.every((d) => d.type === "comment" && d.postId === SLUG && /^1-/.test(d._rev) && /^[0-9a-f]{64}$/.test(d.authorLock)));

    // A comment edited in WordPress since cannot replace the locked document: reported.
    const edited = await colloquy("import", editedExport(dir), "--to", join(dir, "config.json"), "--into", join(dir, "content"));
    assert.equal(edited.code, 0, edited.stderr);
    assert.match(edited.stdout, /store: 0 created, 0 updated, 6 already there, 1 refused/);
    assert.match(edited.stdout, /warning: comment wp-000000000012 of gulag-amnesty differs from the one an earlier import put in the database/);
    assert.equal((await server.docs("course")).length, 7);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an imported post renders, and its comments are numbered in WordPress's order", { timeout: 120_000 }, async () => {
  const dir = workspace();
  const content = join(dir, "content");
  const dist = join(dir, "dist");
  cpSync(join(root, "dist"), dist, { recursive: true });
  let site;
  let browser;
  try {
    const imported = await colloquy("import", WXR, "--into", content);
    assert.equal(imported.code, 0, imported.stderr);
    const checked = await colloquy("check", content);
    assert.equal(checked.code, 0, checked.stderr);
    assert.equal(checked.stderr, "", "no warnings");
    const built = await colloquy("build", "--content", content, "--dist", dist);
    assert.equal(built.code, 0, built.stderr);
    // The site serves its content as the build put it: the imported posts with it.
    rmSync(join(dist, "content"), { recursive: true, force: true });
    cpSync(content, join(dist, "content"), { recursive: true });

    site = await startSite({ dist });
    browser = await launchChromium();
    const expected = WORDPRESS_ORDER.map(([number, author]) => [`comment-${number}`, author]);

    // With JavaScript off: the built page.
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(`${site.url}${SLUG}.html`);
    assert.equal(await text(page.locator("article.post h1")), "The GULAG Amnesty of 1953");
    assert.match(await text(page.locator(".post-body")), /released many prisoners/);
    assert.equal(await page.locator(".post-body script, .post-body iframe").count(), 0);
    const staticOrder = await page
      .locator("section.thread-static li.static-comment")
      .evaluateAll((items) => items.map((li) => [li.id, li.querySelector(".comment-author").textContent]));
    assert.deepEqual(staticOrder, expected);
    await noScript.close();

    // With JavaScript: the live thread takes over with the same numbers.
    const run = await openPage(browser);
    await run.page.goto(`${site.url}${SLUG}.html`);
    const live = run.page.locator("section.thread li.comment");
    await live.nth(WORDPRESS_ORDER.length - 1).waitFor({ timeout: 20_000 });
    const liveOrder = await live.evaluateAll((items) => items.map((li) => [li.id, li.querySelector(".comment-author").textContent]));
    assert.deepEqual(liveOrder, expected);
    // A multiline comment keeps its two paragraphs and its line break.
    const body = run.page.locator('li.comment[id="comment-2"] .comment-body').first();
    assert.equal(await body.locator("p").count(), 2);
    assert.equal(await body.locator("p").nth(1).locator("br").count(), 1);
    assert.match(await text(body.locator("p").first()), /kind of confusing\.$/);
    await run.finish();
  } finally {
    await browser?.close();
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
