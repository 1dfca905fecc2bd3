// Comment bodies are drawn once, as Markdown (an empty, busy placeholder until then, never
// their plain text first), and kept in this browser by render key (src/web/body_cache.rs): a
// second visit draws them without asking the content worker, and an edited comment is
// rendered again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, useSiteAndBrowser } from "./harness.mjs";
import { generateComments, storedThread } from "../bench/lib/threads.mjs";

const POST = "the-struggle-for-freedom";
const shared = useSiteAndBrowser();
const COMMENTS = generateComments(40, { postId: POST });

/**
 * Counts the bodies each page load asks the content worker to render (`window.__bodiesAsked`,
 * from the worker's JSON messages), and records what happens inside every comment body:
 * which body elements were put in, and any node taken out of one (`window.__bodyLog`).
 */
function watchBodies() {
  window.__bodiesAsked = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    try {
      const texts = JSON.parse(message)?.body?.Bodies?.texts;
      if (texts) window.__bodiesAsked.push(...texts);
    } catch {
      // Not a JSON request: not ours to count.
    }
    return post.call(this, message, ...rest);
  };
  const log = { created: {}, removed: [], firstFill: {} };
  window.__bodyLog = log;
  const bodyOf = (node) => (node instanceof Element ? node.closest(".comment-body") : node.parentElement?.closest(".comment-body"));
  const noteCreated = (element) => {
    if (!element.id?.startsWith("comment-body-")) return;
    log.created[element.id] = (log.created[element.id] ?? 0) + 1;
    if (element.childNodes.length && !(element.id in log.firstFill)) log.firstFill[element.id] = element.innerHTML;
  };
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(".comment-body")) noteCreated(node);
        node.querySelectorAll(".comment-body").forEach(noteCreated);
      }
      const body = bodyOf(record.target);
      if (!body?.id) continue;
      for (const node of record.removedNodes) {
        // Leptos's own empty markers come and go; content does not.
        if (node instanceof Element || node.textContent.trim()) log.removed.push({ id: body.id, html: node.outerHTML ?? node.textContent });
      }
      if (record.addedNodes.length && !(body.id in log.firstFill)) log.firstFill[body.id] = body.innerHTML;
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

async function openThread() {
  const run = await openPage(shared.browser, { viewport: { width: 1280, height: 900 } });
  run.context.setDefaultTimeout(20_000);
  await run.context.addInitScript(watchBodies);
  await run.context.addInitScript(
    ([key, json]) => {
      if (!localStorage.getItem("seeded")) {
        localStorage.setItem(key, json);
        localStorage.setItem("seeded", "1");
      }
    },
    [`colloquy:thread:${POST}`, storedThread(POST, COMMENTS)],
  );
  await run.page.goto(`${shared.url}?post=${POST}`);
  await run.page.locator("li.comment").first().waitFor();
  return run;
}

const bodiesAsked = (page) => page.evaluate(() => window.__bodiesAsked);

/** Waits until every comment body on screen is drawn (none busy), and returns how many there are. */
async function allDrawn(page) {
  return eventually(async () => {
    const { busy, drawn } = await page.evaluate(() => ({
      busy: document.querySelectorAll('.comment-body[aria-busy="true"]').length,
      drawn: document.querySelectorAll("li.comment .comment-body").length,
    }));
    assert.equal(busy, 0, "bodies still waiting");
    assert.ok(drawn > 0);
    return drawn;
  }, 20_000);
}

/** Scrolls to the end until `item` is rendered (the thread renders what the reader nears). */
const scrollTo = (page, item) =>
  eventually(async () => {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    assert.equal(await item.count(), 1);
  }, 20_000);

/** How many bodies the body cache holds. */
const cachedCount = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const opening = indexedDB.open("colloquy-bodies");
        opening.onsuccess = () => {
          const db = opening.result;
          if (!db.objectStoreNames.contains("bodies")) return resolve(0), db.close();
          const counting = db.transaction("bodies").objectStore("bodies").count();
          counting.onsuccess = () => {
            resolve(counting.result);
            db.close();
          };
        };
        opening.onerror = () => resolve(-1);
      }),
  );

const composer = (page) => page.locator("form.composer:not(li.comment form)");
const button = (scope, name) => scope.getByRole("button", { name, exact: true });

test("a second visit draws cached bodies without the content worker; an edited comment is rendered again", { timeout: 120_000 }, async () => {
  const run = await openThread();
  const { page } = run;
  await allDrawn(page);
  const first = await bodiesAsked(page);
  assert.ok(first.length >= 20, `the first visit renders the bodies on screen (asked ${first.length})`);

  // A comment of one's own, to edit later; its body is rendered as it is posted.
  const form = composer(page);
  const name = form.getByLabel("Name", { exact: true });
  if (await name.count()) await name.fill("Cache Reader");
  await form.getByLabel("Comment", { exact: true }).fill("Cached once, **bold** twice.");
  await button(form, "Post comment").click();
  await page.locator("li.comment", { hasText: "Cached once, bold twice." }).locator(".comment-body strong").waitFor();
  const mineId = await page.locator("li.comment", { hasText: "Cached once, bold twice." }).last().getAttribute("id");
  const mine = page.locator(`li.comment[id="${mineId}"]`);
  assert.ok((await bodiesAsked(page)).includes("Cached once, **bold** twice."));
  const onScreen = await allDrawn(page);
  // The cache is written once the worker has answered; wait for it to hold what was drawn.
  await eventually(async () => assert.ok((await cachedCount(page)) >= (await bodiesAsked(page)).length), 10_000);

  await page.reload();
  await page.locator("li.comment").first().waitFor();
  await scrollTo(page, mine);
  await mine.locator(".comment-body strong").waitFor();
  assert.ok((await allDrawn(page)) >= onScreen - 1);
  assert.deepEqual(await bodiesAsked(page), [], "a second visit asks the worker for no cached body");

  // An edit changes the render key: that body alone is rendered again, and cached in turn.
  await button(mine.locator("article").first(), "Edit").click();
  const editor = mine.locator("form.composer").first();
  await editor.getByLabel("Comment", { exact: true }).fill("Edited, now *emphatic*.");
  await button(editor, "Save changes").click();
  await mine.locator(".comment-body em", { hasText: "emphatic" }).waitFor();
  assert.deepEqual(await bodiesAsked(page), ["Edited, now *emphatic*."]);
  await eventually(async () => assert.ok((await cachedCount(page)) > first.length), 10_000);

  await page.reload();
  await page.locator("li.comment").first().waitFor();
  await scrollTo(page, mine);
  await mine.locator(".comment-body em", { hasText: "emphatic" }).waitFor();
  await allDrawn(page);
  assert.deepEqual(await bodiesAsked(page), [], "the edited body came from the cache too");
  await run.finish();
});

test("each comment body is drawn once, as Markdown: never its plain text first", { timeout: 120_000 }, async () => {
  const run = await openThread();
  const { page } = run;
  await allDrawn(page);
  const form = composer(page);
  const name = form.getByLabel("Name", { exact: true });
  if (await name.count()) await name.fill("Once Reader");
  await form.getByLabel("Comment", { exact: true }).fill("Drawn *once*, with a [link](https://example.org/).");
  await button(form, "Post comment").click();
  const mine = page.locator("li.comment", { hasText: "Drawn once, with a link." }).last();
  await mine.locator(".comment-body em").waitFor();
  await allDrawn(page);

  const log = await page.evaluate(() => window.__bodyLog);
  const ids = Object.keys(log.created);
  assert.ok(ids.length >= 20, `bodies seen: ${ids.length}`);
  for (const id of ids) assert.equal(log.created[id], 1, `${id} was created more than once`);
  assert.deepEqual(log.removed, [], "nothing drawn in a body was taken out again");
  const mineId = await mine.locator(".comment-body").getAttribute("id");
  assert.match(log.firstFill[mineId], /<em>once/, "the new comment's first drawing is its Markdown");
  assert.doesNotMatch(log.firstFill[mineId], /\*once\*/);
  // Generated comments with emphasis were drawn with it the first time too.
  const emphasised = COMMENTS.filter((c) => c.body.startsWith("*")).length;
  if (emphasised) assert.ok(Object.values(log.firstFill).some((html) => /<em>/.test(html)));
  await run.finish();
});
