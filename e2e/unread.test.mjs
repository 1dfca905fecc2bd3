// Unread: on a return, comments others posted since the reader's last visit are marked "New"
// and counted above the thread, until "Mark all as read"; kept in this browser across reloads
// (against json-server, where classmates' comments come from other browsers); axe on the marks.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { eventually, openPage, startJsonServer, useSiteAndBrowser } from "./harness.mjs";

const AXE = fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));

const shared = useSiteAndBrowser();
let server;
before(async () => {
  server = await startJsonServer();
});
after(async () => {
  await server?.close();
});

const POST = "the-struggle-for-freedom";
const postUrl = () => `${shared.url}?post=${POST}`;

async function restPage() {
  const run = await openPage(shared.browser, { allowConsole: [/Failed to load resource/, /net::/] });
  await run.context.route("**/config.json", (route) =>
    route.fulfill({ json: { store: { kind: "rest", url: server.url, pollSeconds: 1 } } }),
  );
  return run;
}

/** A classmate's comment, put on the server as their own browser would. */
async function classmateComment(id, author, body, minutesAgo) {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const record = { id, postId: POST, parentId: null, author, authorKey: `browser-of-${id}`, body, createdAt: at, updatedAt: at, deleted: false };
  const response = await fetch(`${server.url}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(record),
  });
  assert.equal(response.status, 201);
}

/** Opens (or reloads) the post and waits until the comments named are on screen. */
async function openThread(page, bodies, reload = false) {
  if (reload) await page.reload();
  else await page.goto(postUrl());
  await page.locator("form.composer").waitFor();
  for (const body of bodies) await page.locator("li.comment .comment-body").getByText(body).waitFor();
}

const card = (page, body) => page.locator("article.comment-card").filter({ hasText: body });
const newOnes = async (page) =>
  (await page.locator("article.comment-card.is-new .comment-body").allTextContents()).map((text) => text.trim()).sort();

describe("unread comments", () => {
  test("marks what classmates posted since the last visit, counts it, and marks all read; the reader's own comments are never new", async () => {
    await classmateComment("unread-old", "Olga", "Posted long before.", 120);
    const run = await restPage();
    const { page } = run;

    // A first visit marks nothing: every comment would be new.
    await openThread(page, ["Posted long before."]);
    assert.equal(await page.locator(".unread-summary").count(), 0);
    assert.equal(await page.locator(".comment-new").count(), 0);

    // The reader writes; a classmate writes from their own browser.
    const composer = page.locator("form.composer").last();
    await composer.getByLabel("Name", { exact: true }).fill("Nadia");
    await composer.getByLabel("Comment", { exact: true }).fill("My own comment, never new to me.");
    await composer.getByRole("button", { name: "Post comment" }).click();
    await page.locator("li.comment .comment-body").getByText("My own comment, never new to me.").waitFor();
    await eventually(async () => assert.equal((await server.records("comments", `?postId=${POST}`)).length, 2));
    await classmateComment("unread-1", "Boris", "Has anyone read Applebaum?", 0);

    // The reader comes back (a reload within the visit): the classmate's comment is new.
    await openThread(page, ["Has anyone read Applebaum?"], true);
    const summary = page.locator(".unread-summary");
    await eventually(async () => assert.match(await summary.textContent(), /^1 new since your last visit/));
    assert.deepEqual(await newOnes(page), ["Has anyone read Applebaum?"]);
    assert.equal(await card(page, "Has anyone read Applebaum?").locator(".comment-new").textContent(), "New");
    assert.equal(await card(page, "My own comment, never new to me.").locator(".comment-new").count(), 0);

    // axe finds nothing on the count, its button and the marks.
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document.querySelector("#comments"), {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        resultTypes: ["violations"],
      });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
    });
    assert.deepEqual(violations, []);

    // Marking all read clears the marks, puts focus on the thread's heading, and lasts.
    await page.getByRole("button", { name: "Mark all as read" }).click();
    await summary.waitFor({ state: "detached" });
    assert.equal(await page.locator(".comment-new").count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "thread-heading");
    await openThread(page, ["Has anyone read Applebaum?"], true);
    assert.equal(await page.locator(".unread-summary").count(), 0);
    assert.equal(await page.locator(".comment-new").count(), 0);

    // A later visit, after more than half an hour away (the last opening moved back 31
    // minutes): what others posted since that opening is new, and nothing older.
    await page.evaluate((key) => {
      const at = new Date(Date.now() - 31 * 60_000).toISOString();
      localStorage.setItem(key, `${at} ${at}`);
    }, `colloquy:visits:${POST}`);
    await classmateComment("unread-2", "Boris", "Chapter 3 answers it.", 0);
    await openThread(page, ["Chapter 3 answers it."], true);
    await eventually(async () => assert.match(await summary.textContent(), /^2 new since your last visit/));
    assert.deepEqual(await newOnes(page), ["Chapter 3 answers it.", "Has anyone read Applebaum?"]);
    await run.finish();
  });
});
