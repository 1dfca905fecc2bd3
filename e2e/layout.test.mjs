// Layout and landing places, measured by bounding boxes at 1280×900 and on a phone (375×812):
// Export opens without moving the sort control, the Theme label sits on its select's line,
// "Comment on this passage" stays on screen on one line and covers no text, deep replies keep
// room for their text, and the count links, permalinks and "Show in the post" land with room
// above their target (issue 18).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, screenshotPath, startSite, useSiteAndBrowser, watchPage } from "./harness.mjs";
import { storedThread } from "../bench/lib/threads.mjs";

const POST = "the-struggle-for-freedom";
const root = fileURLToPath(new URL("..", import.meta.url));
const shared = useSiteAndBrowser();

/**
 * A test with a page in a fresh context made with `contextOptions` (viewport, touch, script
 * off…), failing on any page error, with a screenshot on failure.
 */
const it = (name, body, contextOptions = DESKTOP) =>
  test(name, { timeout: 90_000 }, async () => {
    const context = await shared.browser.newContext(contextOptions);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems = [];
    watchPage(page, problems);
    try {
      await body({ page, context });
      assert.deepEqual(problems, [], "no page errors");
    } catch (error) {
      const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase().slice(0, 60);
      await page.screenshot({ path: screenshotPath(`layout-fail-${slug}`), fullPage: true }).catch(() => {});
      if (problems.length) error.message += `\npage problems:\n${problems.join("\n")}`;
      throw error;
    } finally {
      await context.close();
    }
  });

const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 375, height: 812 } };
const SIZES = [
  ["1280×900", DESKTOP],
  ["375×812", PHONE],
];
/** The least room a landing target keeps above it (the stylesheet gives 2.5rem). */
const ROOM = 32;

async function openPost(page, hash = "") {
  await page.goto(`${shared.url}${POST}.html${hash}`);
  await page.locator("section.thread li.comment").first().waitFor();
  await page.locator("section.thread form.composer").first().waitFor();
}

/** An element's box in page coordinates (not moved by scrolling). */
const pageBox = (locator) =>
  locator.evaluate((element) => {
    const r = element.getBoundingClientRect();
    return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
  });

/** Distance from the top of the viewport to the element's top, once it has stopped moving. */
const settledTop = async (page, selector) => {
  const top = () => page.evaluate((selector) => document.querySelector(selector)?.getBoundingClientRect().top, selector);
  let last = await top();
  await eventually(async () => {
    await page.waitForTimeout(150);
    const now = await top();
    const still = now !== undefined && now === last;
    last = now;
    assert.ok(still, `${selector} still moving`);
  }, 8_000);
  return last;
};

// (500 px: a narrow window where the toolbar wraps under the heading; Firefox's smallest.)
for (const [size, options] of [...SIZES, ["500×800", { viewport: { width: 500, height: 800 } }]]) {
  it(`${size}: opening Export moves neither the sort control nor anything else in the toolbar`, async ({ page }) => {
    await openPost(page);
    const sort = page.locator(".thread-tools select[name=sort]");
    const summary = page.locator(".export summary");
    const before = { sort: await pageBox(sort), summary: await pageBox(summary), heading: await pageBox(page.locator("#thread-heading")) };
    await summary.click();
    const actions = page.locator(".export-actions");
    await actions.waitFor();
    assert.deepEqual(await pageBox(sort), before.sort, "the sort control stays put");
    assert.deepEqual(await pageBox(summary), before.summary, "Export stays put");
    assert.deepEqual(await pageBox(page.locator("#thread-heading")), before.heading);
    // The opened actions are inside the screen and usable.
    const box = await actions.boundingBox();
    const width = options.viewport.width;
    assert.ok(box.x >= 0 && box.x + box.width <= width, `actions inside the screen: ${JSON.stringify(box)}`);
    await page.getByRole("button", { name: "Download JSON" }).waitFor();
    await summary.click();
    await eventually(async () => assert.equal(await actions.isVisible(), false));
  }, options);
}

for (const [size, options] of SIZES) {
  it(`${size}: the header's Theme label stands on its select's line`, async ({ page }) => {
    await page.goto(`${shared.url}${POST}.html`);
    await page.locator(".theme-picker select").waitFor();
    const baselines = await page.evaluate(() => {
      const picker = document.querySelector(".theme-picker");
      const label = picker.querySelector("label");
      const select = picker.querySelector("select");
      const textTop = () => {
        const range = document.createRange();
        range.selectNodeContents(label);
        return range.getBoundingClientRect().top;
      };
      const now = { text: textTop(), select: select.getBoundingClientRect().top };
      // How far each one's baseline is below its top: set on one line of text, where both
      // stand on the line's baseline, marked by an empty inline-block.
      picker.style.display = "block";
      const probe = document.createElement("span");
      probe.style.display = "inline-block";
      picker.append(probe);
      const baseline = probe.getBoundingClientRect().bottom;
      const ascent = { text: baseline - textTop(), select: baseline - select.getBoundingClientRect().top };
      probe.remove();
      picker.style.display = "";
      return { label: now.text + ascent.text, select: now.select + ascent.select };
    });
    assert.ok(Math.abs(baselines.label - baselines.select) <= 0.5, `baselines ${JSON.stringify(baselines)}`);
  }, options);

  it(`${size}: the deepest replies keep at least 280 px for their text`, async ({ page, context }) => {
    // A chain of replies six deep (the thread shows five levels; the sixth sits at the fifth).
    const comments = [];
    let parentId = null;
    for (let depth = 1; depth <= 6; depth++) {
      const id = `00000000-0000-4000-a000-00000000000${depth}`;
      const at = new Date(Date.UTC(2026, 0, 5, 8, depth)).toISOString();
      comments.push({ id, postId: POST, parentId, author: `Reader ${depth}`, authorKey: `key-${depth}`, body: `Level ${depth}: ${"words ".repeat(40)}`, createdAt: at, updatedAt: at, deleted: false });
      parentId = id;
    }
    await context.addInitScript(([key, json]) => localStorage.setItem(key, json), [`colloquy:thread:${POST}`, storedThread(POST, comments)]);
    await openPost(page);
    await eventually(async () => assert.equal(await page.locator("li.comment[data-depth='5']").count(), 2));
    const widths = await page.locator("li.comment .comment-body").evaluateAll((bodies) =>
      bodies.map((body) => [body.closest("li.comment").dataset.depth, body.getBoundingClientRect().width]),
    );
    for (const [depth, width] of widths) assert.ok(width >= 280, `a reply at depth ${depth} has ${width} px`);
    // Nesting still shows where it fits.
    const left = async (depth) => (await page.locator(`li.comment[data-depth='${depth}'] .comment-card`).first().boundingBox()).x;
    assert.ok((await left(2)) > (await left(1)) && (await left(3)) > (await left(2)));
  }, options);
}

/** Selects the first occurrence of `words` in the post body, as a finger or mouse would. */
async function select(page, words) {
  const found = await page.evaluate((words) => {
    const walker = document.createTreeWalker(document.querySelector(".post-body"), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(words);
      if (at >= 0) {
        node.parentElement.scrollIntoView({ block: "center" });
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        return true;
      }
    }
    return false;
  }, words);
  assert.ok(found, `"${words}" is in the post`);
}

/** The action's box, whether its text is on one line, and the text boxes of the page it covers. */
const actionLayout = (page) =>
  page.locator(".passage-action").evaluate((button) => {
    const box = button.getBoundingClientRect();
    const words = document.createRange();
    words.selectNodeContents(button.firstChild);
    const lines = new Set([...words.getClientRects()].map((r) => Math.round(r.top))).size;
    const covered = [];
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (button.contains(node) || !node.data.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        const overlapX = Math.min(r.right, box.right) - Math.max(r.left, box.left);
        const overlapY = Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top);
        if (overlapX > 1 && overlapY > 1) covered.push(node.data.trim().slice(0, 40));
      }
    }
    return { box: { left: box.left, right: box.right, top: box.top, bottom: box.bottom }, lines, covered, width: innerWidth, height: innerHeight };
  });

for (const words of ["mining operations", "Stalin’s reign", "One of the most significant events"]) {
  it(`375×812: "Comment on this passage" for "${words}" is on screen, on one line, over no text`, async ({ page }) => {
    await openPost(page);
    await select(page, words);
    const action = page.getByRole("button", { name: "Comment on this passage", exact: true });
    await action.waitFor();
    const layout = await actionLayout(page);
    assert.ok(layout.box.left >= 0 && layout.box.right <= layout.width, `inside the screen: ${JSON.stringify(layout.box)}`);
    assert.ok(layout.box.top >= 0 && layout.box.bottom <= layout.height, `in view: ${JSON.stringify(layout.box)}`);
    assert.equal(layout.lines, 1, "its words on one line");
    assert.deepEqual(layout.covered, [], "it covers no text");
    // And it still does its job: the composer opens with the passage quoted.
    await action.tap();
    await eventually(async () =>
      assert.equal(await page.locator(".thread > form.composer .composer-passage blockquote").textContent(), words),
    );
    // The action goes once the composer has its quotation (it may outlast that by a frame).
    await eventually(async () => assert.equal(await page.locator(".passage-action").count(), 0));
  }, { ...PHONE, hasTouch: true, isMobile: true });
}

it("1280×900: at the end of a line, the action stays inside the window on one line", async ({ page }) => {
  await openPost(page);
  // The words a line ends with: the selection's right edge is at the text's right edge.
  await select(page, "unfortunately.");
  await page.getByRole("button", { name: "Comment on this passage", exact: true }).waitFor();
  await eventually(async () => {
    const layout = await actionLayout(page);
    assert.ok(layout.box.left >= 0 && layout.box.right <= layout.width - 8, JSON.stringify(layout.box));
    assert.equal(layout.lines, 1);
  });
}, { viewport: { width: 700, height: 900 } });

// Landing places

for (const [size, options] of SIZES) {
  it(`${size}: the post list's comment count lands on the comments, with room above`, async ({ page }) => {
    await page.goto(shared.url);
    const count = page.locator(".card .comment-count a");
    await count.waitFor();
    assert.equal(await count.getAttribute("href"), `./${POST}.html#comments`);
    await count.click();
    await page.locator("section.thread li.comment").first().waitFor();
    const top = await settledTop(page, "#comments");
    assert.ok(top >= 8 && top <= 80, `the thread's top is ${top} px from the window's`);
  }, options);

  it(`${size}: a comment's permalink and "Show in the post" leave room above their target`, async ({ page }) => {
    await openPost(page, "#comment-3");
    await eventually(async () => assert.match(await page.locator("li#comment-3").getAttribute("class"), /is-highlighted/));
    // Room above it, and near the top: the thread scrolls again once the comments on the way
    // (laid out late, content-visibility: auto) have their real heights.
    const top = await settledTop(page, "li#comment-3");
    assert.ok(top >= ROOM && top <= 80, `comment 3 is ${top} px from the top`);
    // A comment on a passage, then back to the passage from it.
    await page.evaluate(() => scrollTo(0, 0));
    await select(page, "mining operations");
    await page.getByRole("button", { name: "Comment on this passage", exact: true }).click();
    const composer = page.locator(".thread > form.composer");
    await composer.getByLabel("Name", { exact: true }).fill("Quinn");
    await composer.getByLabel("Comment", { exact: true }).fill("Which mines?");
    await composer.getByRole("button", { name: "Post comment" }).click();
    const comment = page.locator("li.comment", { hasText: "Which mines?" });
    await comment.waitFor();
    await comment.getByRole("button", { name: "Show in the post" }).click();
    await page.locator("mark.passage.is-shown").waitFor();
    const markTop = await settledTop(page, "mark.passage.is-shown");
    assert.ok(markTop >= ROOM && markTop <= options.viewport.height / 2, `the passage is ${markTop} px from the top`);
  }, options);
}

it("without script, the built list's cards count the comments and lead to them", async ({ page }) => {
  await page.goto(shared.url);
  const count = page.locator(".card .comment-count a");
  assert.equal(await count.textContent(), "4 comments");
  assert.equal(await count.getAttribute("href"), `./${POST}.html#comments`);
  await count.click();
  await page.locator("#comments").waitFor();
  const top = await page.evaluate(() => document.querySelector("#comments").getBoundingClientRect().top);
  assert.ok(top >= 8 && top <= 80, `the comments are ${top} px from the top`);
}, { ...DESKTOP, javaScriptEnabled: false });

test("a post rendered at run time: #comments lands on its thread once the thread is there", { timeout: 90_000 }, async () => {
  const dist = mkdtempSync(join(tmpdir(), "colloquy-layout-"));
  cpSync(join(root, "dist"), dist, { recursive: true });
  const postDir = join(dist, "content", "posts", "added-later");
  mkdirSync(postDir, { recursive: true });
  const long = Array.from({ length: 30 }, (_, i) => `Paragraph ${i + 1}: ${"a sentence of the post ".repeat(12)}`).join("\n\n");
  writeFileSync(join(postDir, "index.md"), `---\ntitle: Added Later\nauthor: Sam Lee\ndate: 2024-05-01\n---\n${long}\n`);
  const catalog = JSON.parse(readFileSync(join(dist, "content", "posts.json"), "utf8"));
  catalog.push({ slug: "added-later", source: "posts/added-later/index.md" });
  writeFileSync(join(dist, "content", "posts.json"), JSON.stringify(catalog));
  const site = await startSite({ dist });
  const context = await shared.browser.newContext(DESKTOP);
  // Comments enough that the page below the thread's top fills the window.
  const comments = Array.from({ length: 6 }, (_, i) => {
    const at = new Date(Date.UTC(2026, 0, 5, 8, i)).toISOString();
    return { id: `00000000-0000-4000-a000-00000000001${i}`, postId: "added-later", parentId: null, author: `Reader ${i}`, authorKey: `key-${i}`, body: "A comment. ".repeat(30), createdAt: at, updatedAt: at, deleted: false };
  });
  await context.addInitScript(([key, json]) => localStorage.setItem(key, json), ["colloquy:thread:added-later", storedThread("added-later", comments)]);
  try {
    const page = await context.newPage();
    await page.goto(`${site.url}?post=added-later#comments`);
    await page.locator("section.thread form.composer").waitFor({ timeout: 20_000 });
    await eventually(async () => {
      const top = await page.evaluate(() => document.querySelector("#comments").getBoundingClientRect().top);
      assert.ok(top >= 8 && top <= 80, `the thread is ${top} px from the top`);
    }, 8_000);
  } finally {
    await context.close();
    await site.close();
  }
});
