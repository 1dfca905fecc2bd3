// A long thread renders what the reader sees (src/ui/reveal.rs): the first page of comments at
// once, the rest page by page as the reader nears them, in order. A permalink to a comment not
// rendered yet renders its part of the thread, scrolls to it and highlights it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, useSiteAndBrowser } from "./harness.mjs";
import { generateComments, storedThread } from "../bench/lib/threads.mjs";

const POST = "the-struggle-for-freedom";
const shared = useSiteAndBrowser();
// 600 generated comments (30 % replies) and the post's 4 seed comments.
const COMMENTS = generateComments(600, { postId: POST });
const TOTAL = COMMENTS.length + 4;

async function openLongThread(hash = "", comments = COMMENTS) {
  const run = await openPage(shared.browser, { viewport: { width: 1280, height: 700 } });
  run.context.setDefaultTimeout(20_000);
  await run.context.addInitScript(
    ([key, json]) => {
      if (!sessionStorage.getItem("seeded")) {
        localStorage.setItem(key, json);
        sessionStorage.setItem("seeded", "1");
      }
    },
    [`colloquy:thread:${POST}`, storedThread(POST, comments)],
  );
  await run.page.goto(`${shared.url}?post=${POST}${hash}`);
  return run;
}

/** Top-level numbers in document order. */
const topLevelNumbers = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("ol.comments > li.comment")].map((li) => Number(li.id.replace("comment-", ""))),
  );

/** Scrolls to the end of the page until `count` comments are rendered. */
async function scrollUntilRendered(page, count) {
  await eventually(async () => {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    assert.equal(await page.locator("li.comment").count(), count);
  }, 30_000);
}

test("a long thread renders its first page, and every comment comes on screen in number order as the reader scrolls", { timeout: 60_000 }, async () => {
  const run = await openLongThread();
  const { page } = run;
  await page.locator("li.comment").first().waitFor();
  await page.locator("#thread-heading", { hasText: `${TOTAL} comments` }).waitFor();
  // Left at the top of the post, the reader has one page of top-level comments (20, with
  // their replies) and nothing more, however long they wait.
  await page.waitForTimeout(1_000);
  const roots = await topLevelNumbers(page);
  assert.deepEqual(roots, Array.from({ length: 20 }, (_, index) => index + 1));
  assert.ok((await page.locator("li.comment").count()) < TOTAL / 4);
  await scrollUntilRendered(page, TOTAL);
  const numbers = await topLevelNumbers(page);
  assert.deepEqual(numbers, numbers.map((_, index) => index + 1));
  assert.equal(await page.locator("#thread-heading").textContent(), `${TOTAL} comments`);
  // The composer follows the whole list, so tabbing goes through the comments first.
  const composerAfterList = await page.evaluate(() => {
    const list = document.querySelector("ol.comments");
    const composer = document.querySelector("section.thread form.composer:not(li.comment form)");
    return Boolean(list.compareDocumentPosition(composer) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  assert.ok(composerAfterList);
  await run.finish();
});

test("a permalink to a comment far down a long thread scrolls to it and highlights it", { timeout: 60_000 }, async () => {
  const topLevel = COMMENTS.filter((c) => c.parentId === null).length + 4;
  const target = String(topLevel - 3);
  const run = await openLongThread(`#comment-${target}`);
  const { page } = run;
  const id = `comment-${target}`;
  await page.locator(`li.comment[id="${id}"]`).waitFor();
  await page.waitForFunction((id) => {
    const box = document.getElementById(id).getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight;
  }, id);
  await eventually(async () => {
    const highlighted = await page.evaluate(() => [...document.querySelectorAll(".is-highlighted")].map((e) => e.id));
    assert.deepEqual(highlighted, [id]);
  });
  await run.finish();
});

test("#comment-4000 in a 5,000-comment thread scrolls to comment 4000 and highlights it", { timeout: 90_000 }, async () => {
  // 10 % replies, so top-level comment 4000 exists.
  const comments = generateComments(5_000, { postId: POST, replyShare: 0.1 });
  assert.ok(comments.filter((c) => c.parentId === null).length + 4 >= 4_000);
  const run = await openLongThread("#comment-4000", comments);
  const { page } = run;
  const id = "comment-4000";
  await page.locator(`li.comment[id="${id}"]`).waitFor({ timeout: 30_000 });
  await page.waitForFunction((id) => {
    const box = document.getElementById(id).getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight;
  }, id, { timeout: 30_000 });
  await eventually(async () => {
    const highlighted = await page.evaluate(() => [...document.querySelectorAll(".is-highlighted")].map((e) => e.id));
    assert.deepEqual(highlighted, [id]);
  }, 10_000);
  assert.match(await page.locator(`li.comment[id="${id}"] .comment-permalink`).textContent(), /#4000/);
  // Only its part of the thread is rendered, not the 3,999 comments before it.
  const rendered = await page.locator("li.comment").count();
  assert.ok(rendered < 200, `${rendered} comments rendered`);
  // Scrolling up to the first comment rendered renders the page above it, and that comment
  // stays where the reader sees it.
  const firstBefore = (await topLevelNumbers(page))[0];
  const first = `comment-${firstBefore}`;
  const top = () => page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, first);
  // The reader takes the page (a wheel turn) and goes up to it.
  await page.mouse.wheel(0, -1);
  await page.evaluate((id) => document.getElementById(id).scrollIntoView(), first);
  await page.mouse.wheel(0, -100);
  await page.waitForTimeout(200);
  const seen = await top();
  await eventually(async () => assert.equal((await topLevelNumbers(page))[0], firstBefore - 20));
  await page.waitForTimeout(300);
  assert.ok(Math.abs((await top()) - seen) < 40, `comment ${firstBefore} moved from ${seen} to ${await top()}`);
  await run.finish();
});
