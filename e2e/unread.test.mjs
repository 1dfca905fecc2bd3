// Unread: on a return, comments classmates posted since the reader's last visit are marked
// "New" and counted above the thread, until "Mark all as read"; kept in this browser across
// reloads. On json-server and on PouchDB Server, the classmate writing from a browser of their
// own; axe on the marks.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openPage, startJsonServer, startPouchServer, useSiteAndBrowser } from "./harness.mjs";

const AXE = fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));

const shared = useSiteAndBrowser();
let rest;
let couch;
before(async () => {
  [rest, couch] = await Promise.all([startJsonServer(), startPouchServer()]);
});
after(async () => {
  await rest?.close();
  await couch?.close();
});

const POST = "the-struggle-for-freedom";

/** A reader's own browser, its config.json naming `store`. */
async function readerOn(store) {
  const run = await openPage(shared.browser, { allowConsole: [/Failed to load resource/, /net::/] });
  await run.context.route("**/config.json", (route) => route.fulfill({ json: { store } }));
  return run;
}

/** Opens (or reloads) the post and waits until the comments named are on screen. */
async function openThread(page, bodies, { reload = false } = {}) {
  if (reload) await page.reload();
  else await page.goto(`${shared.url}?post=${POST}`);
  await page.locator("form.composer").waitFor();
  for (const body of bodies) await page.locator("li.comment .comment-body").getByText(body, { exact: true }).waitFor();
}

async function post(page, name, body) {
  const composer = page.locator("form.composer").last();
  await composer.getByLabel("Name", { exact: true }).fill(name);
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  await composer.getByRole("button", { name: "Post comment" }).click();
  await page.locator("li.comment .comment-body").getByText(body, { exact: true }).waitFor();
}

const card = (page, body) => page.locator("article.comment-card").filter({ hasText: body });
const newOnes = async (page) =>
  (await page.locator("article.comment-card.is-new .comment-body").allTextContents()).map((text) => text.trim()).sort();

const stores = {
  "json-server": async () => ({ kind: "rest", url: rest.url, pollSeconds: 1 }),
  "PouchDB Server": async () => ({ kind: "couchdb", url: await couch.createDb("unread") }),
};

describe("unread comments", () => {
  for (const [name, storeFor] of Object.entries(stores)) {
    test(`on ${name}: what classmates posted since the last visit is marked and counted until marked read; one's own comments never are`, async () => {
      const store = await storeFor();
      const classmate = await readerOn(store);
      const reader = await readerOn(store);
      const { page } = reader;
      await openThread(classmate.page, []);
      await post(classmate.page, "Boris", "Posted before the reader came.");

      // A first visit marks nothing: every comment would be new.
      await openThread(page, ["Posted before the reader came."]);
      assert.equal(await page.locator(".unread-summary").count(), 0);
      assert.equal(await page.locator(".comment-new").count(), 0);

      // The reader writes; then the classmate does.
      await post(page, "Nadia", "My own comment, never new to me.");
      await post(classmate.page, "Boris", "Has anyone read Applebaum?");

      // The reader comes back (a reload within the visit): the classmate's new comment is new.
      await openThread(page, ["Has anyone read Applebaum?"], { reload: true });
      const summary = page.locator(".unread-summary");
      assert.match(await summary.textContent(), /^1 new since your last visit/);
      assert.deepEqual(await newOnes(page), ["Has anyone read Applebaum?"]);
      assert.equal(await card(page, "Has anyone read Applebaum?").locator(".comment-new").textContent(), "New");
      assert.equal(await card(page, "My own comment, never new to me.").locator(".comment-new").count(), 0);
      assert.equal(await card(page, "Posted before the reader came.").locator(".comment-new").count(), 0);

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
      await openThread(page, ["Has anyone read Applebaum?"], { reload: true });
      assert.equal(await page.locator(".unread-summary").count(), 0);
      assert.equal(await page.locator(".comment-new").count(), 0);

      // A later visit: the record says the thread was last opened 31 minutes ago (with nothing
      // new before a time still to come, which only a reload within that visit would keep).
      // New is then what others posted since that opening: all three of the classmate's.
      await page.evaluate((key) => {
        const ago = new Date(Date.now() - 31 * 60_000).toISOString();
        const ahead = new Date(Date.now() + 60 * 60_000).toISOString();
        localStorage.setItem(key, `${ahead} ${ago}`);
      }, `colloquy:visits:${POST}`);
      await post(classmate.page, "Boris", "Chapter 3 answers it.");
      await openThread(page, ["Chapter 3 answers it."], { reload: true });
      assert.match(await summary.textContent(), /^3 new since your last visit/);
      assert.deepEqual(await newOnes(page), ["Chapter 3 answers it.", "Has anyone read Applebaum?", "Posted before the reader came."]);
      await reader.finish();
      await classmate.finish();
    });
  }
});
