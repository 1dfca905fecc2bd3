// Layout essentials in Firefox ESR (issue 18; e2e/layout.test.mjs measures the same in Chromium):
// opening Export does not move the sort control and stays inside the window, the Theme label
// stands on its select's baseline, and on a phone (a 375×812 frame: headless Firefox's window
// is at least 500 px wide) "Comment on this passage" goes under the selection's paragraph on
// one line and replies keep 280 px for their text.
import { describe } from "node:test";
import assert from "node:assert/strict";
import { eventually, testInFirefox as it, useSeedSite } from "./firefox.mjs";

const { siteUrl } = useSeedSite();
const POST = "the-struggle-for-freedom";

async function openSeedPost(driver) {
  await driver.get(`${siteUrl()}${POST}.html`);
  await eventually(async () => {
    assert.equal(await driver.executeScript(() => document.querySelectorAll("section.thread li.comment").length), 4);
  }, 20_000);
}

describe("layout in Firefox", () => {
  for (const width of [1280, 500]) {
    it(`${width} px: Export opens without moving the sort control, inside the window; the Theme label is on its select's line`, async ({ driver }) => {
      await openSeedPost(driver);
      const measured = await driver.executeScript(() => {
        const pageTop = (element) => element.getBoundingClientRect().top + scrollY;
        const pageLeft = (element) => element.getBoundingClientRect().left + scrollX;
        const sort = document.querySelector(".thread-tools select[name=sort]");
        const before = [pageLeft(sort), pageTop(sort)];
        const details = document.querySelector(".export");
        details.open = true;
        const after = [pageLeft(sort), pageTop(sort)];
        const panel = document.querySelector(".export-actions").getBoundingClientRect();
        details.open = false;
        // Baselines: as in e2e/layout.test.mjs, each one's ascent read on one line of text.
        const picker = document.querySelector(".theme-picker");
        const label = picker.querySelector("label");
        const select = picker.querySelector("select");
        const textTop = () => {
          const range = document.createRange();
          range.selectNodeContents(label);
          return range.getBoundingClientRect().top;
        };
        const now = { text: textTop(), select: select.getBoundingClientRect().top };
        picker.style.display = "block";
        const probe = document.createElement("span");
        probe.style.display = "inline-block";
        picker.append(probe);
        const baseline = probe.getBoundingClientRect().bottom;
        const ascent = { text: baseline - textTop(), select: baseline - select.getBoundingClientRect().top };
        probe.remove();
        picker.style.display = "";
        return { before, after, panel: [panel.left, panel.right], width: innerWidth, baselines: [now.text + ascent.text, now.select + ascent.select] };
      });
      assert.deepEqual(measured.after, measured.before, "the sort control stays put");
      assert.ok(measured.panel[0] >= 0 && measured.panel[1] <= measured.width, `Export's actions inside: ${measured.panel}`);
      assert.ok(Math.abs(measured.baselines[0] - measured.baselines[1]) <= 0.5, `baselines ${measured.baselines}`);
    }, { width, height: 900 });
  }

  it("375×812 frame: the passage action under its paragraph on one line; replies keep 280 px", async ({ driver }) => {
    // A chain of six replies in this browser's store, then the post in a phone-sized frame.
    await driver.get(`${siteUrl()}${POST}.html`);
    await driver.executeScript((post) => {
      const comments = [];
      let parentId = null;
      for (let depth = 1; depth <= 6; depth++) {
        const id = `00000000-0000-4000-a000-00000000000${depth}`;
        const at = new Date(Date.UTC(2026, 0, 5, 8, depth)).toISOString();
        comments.push({ id, postId: post, parentId, author: `Reader ${depth}`, authorKey: `key-${depth}`, body: `Level ${depth}: ${"words ".repeat(40)}`, createdAt: at, updatedAt: at, deleted: false });
        parentId = id;
      }
      localStorage.setItem(`colloquy:thread:${post}`, JSON.stringify({ version: 2, postId: post, comments, likes: [] }));
      const frame = document.createElement("iframe");
      frame.id = "phone";
      frame.width = "375";
      frame.height = "812";
      frame.style.border = "0";
      frame.src = `${post}.html`;
      document.body.replaceChildren(frame);
    }, POST);
    const inFrame = (script, ...args) => driver.executeScript(`const w = document.getElementById("phone").contentWindow, doc = w.document; ${script}`, ...args);
    await eventually(async () => assert.equal(await inFrame("return doc.querySelectorAll('section.thread li.comment[data-depth=\"5\"]').length"), 2), 20_000);
    const widths = await inFrame("return [...doc.querySelectorAll('li.comment .comment-body')].map((b) => b.getBoundingClientRect().width)");
    assert.ok(widths.length >= 10 && widths.every((w) => w >= 280), `text widths ${widths}`);
    await inFrame(`
      const walker = doc.createTreeWalker(doc.querySelector(".post-body"), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf("mining operations");
        if (at < 0) continue;
        const range = doc.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + "mining operations".length);
        w.getSelection().removeAllRanges();
        w.getSelection().addRange(range);
        return;
      }`);
    await eventually(async () => {
      const action = await inFrame(`
        const button = doc.querySelector(".passage-action");
        if (!button) return null;
        const box = button.getBoundingClientRect();
        const words = doc.createRange();
        words.selectNodeContents(button.firstChild);
        return { left: box.left, right: box.right, lines: new Set([...words.getClientRects()].map((r) => Math.round(r.top))).size, after: button.previousElementSibling?.textContent.includes("mining operations") ?? false, width: w.innerWidth };`);
      assert.ok(action, "the action is offered");
      assert.equal(action.width, 375);
      assert.ok(action.left >= 0 && action.right <= 375, JSON.stringify(action));
      assert.equal(action.lines, 1);
      assert.ok(action.after, "it follows the selection's paragraph");
    });
  });
});
