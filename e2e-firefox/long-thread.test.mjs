// A long thread in Firefox ESR renders what the reader sees (src/ui/reveal.rs; e2e/long-thread
// in Chromium): one page of 20 top-level comments at first, more as the reader scrolls; a
// permalink far down renders its part, and scrolling up from there renders the page above
// without moving what is being read (Firefox's own scroll anchoring, or the app's).
import assert from "node:assert/strict";
import { eventually, testInFirefox as it, useSeedSite } from "./firefox.mjs";

const { siteUrl } = useSeedSite();
const POST = "the-struggle-for-freedom";
/** 120 top-level comments stored in this browser, after the post's 4 seed comments. */
const STORED = 120;
const TOTAL = STORED + 4;

const roots = (driver) =>
  driver.executeScript(() => [...document.querySelectorAll("ol.comments > li.comment")].map((li) => Number(li.id.replace("comment-", ""))));

async function storeLongThread(driver) {
  await driver.get(`${siteUrl()}${POST}.html`);
  await driver.executeScript((post, count) => {
    const comments = Array.from({ length: count }, (_, i) => {
      const at = new Date(Date.UTC(2026, 0, 5, 8, i)).toISOString();
      const id = `00000000-0000-4000-a000-${String(i).padStart(12, "0")}`;
      return { id, postId: post, parentId: null, author: `Reader ${i}`, authorKey: `key-${i}`, body: `Comment ${i}: ${"words ".repeat(30)}`, createdAt: at, updatedAt: at, deleted: false };
    });
    localStorage.setItem(`colloquy:thread:${post}`, JSON.stringify({ version: 2, postId: post, comments, likes: [] }));
  }, POST, STORED);
}

it("a long thread renders its first page, then the rest as the reader scrolls; a permalink renders its part", async ({ driver }) => {
  await storeLongThread(driver);
  await driver.get(`${siteUrl()}${POST}.html`);
  await eventually(async () => assert.equal((await roots(driver)).length, 20), 20_000);
  await driver.sleep(800);
  assert.deepEqual(await roots(driver), Array.from({ length: 20 }, (_, i) => i + 1), "one page, nothing more");
  await eventually(async () => {
    await driver.executeScript(() => window.scrollTo(0, document.documentElement.scrollHeight));
    assert.equal((await roots(driver)).length, TOTAL);
  }, 20_000);
  assert.deepEqual(await roots(driver), Array.from({ length: TOTAL }, (_, i) => i + 1));

  await driver.get("about:blank");
  await driver.get(`${siteUrl()}${POST}.html#comment-110`);
  await eventually(async () => {
    const target = await driver.executeScript(() => {
      const li = document.getElementById("comment-110");
      if (!li) return null;
      const top = li.getBoundingClientRect().top;
      return { highlighted: li.classList.contains("is-highlighted"), inView: top >= 0 && top < innerHeight };
    });
    assert.deepEqual(target, { highlighted: true, inView: true });
  }, 20_000);
  const shown = await roots(driver);
  assert.ok(shown.length < TOTAL && !shown.includes(1), `rendered ${shown}`);
  const first = shown[0];
  // The reader takes the page (a wheel turn: the thread stops keeping comment 110 in place)
  // and goes up to the first comment rendered.
  await driver.executeScript(() => window.dispatchEvent(new WheelEvent("wheel", { deltaY: -1 })));
  const goUp = () =>
    driver.executeScript((id) => {
      document.getElementById(id).scrollIntoView();
      window.scrollBy(0, -50);
    }, `comment-${first}`);
  await goUp();
  const top = () => driver.executeScript((id) => document.getElementById(id).getBoundingClientRect().top, `comment-${first}`);
  await driver.sleep(300);
  const seen = await top();
  // A reader who finds the page above not there yet scrolls up to it again: on a loaded
  // machine the page may still be moving when they first get there. Going up again puts
  // comment `first` where it was, so the check below still measures the page added above.
  await eventually(async () => {
    if ((await roots(driver))[0] >= first) await goUp();
    const where = await driver.executeScript(() => `scrollY ${Math.round(scrollY)}, comment-110 at ${Math.round(document.getElementById("comment-110")?.getBoundingClientRect().top)}`);
    assert.ok((await roots(driver))[0] < first, `the page above is rendered (${where})`);
  }, 15_000);
  await driver.sleep(300);
  assert.ok(Math.abs((await top()) - seen) < 40, `comment ${first} moved from ${seen} to ${await top()}`);
});
