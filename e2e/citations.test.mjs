// Citations end to end in Chromium: the seed post's Freeze citation formatted by the
// citation worker, its popover by mouse, keyboard and touch, placement, styles, the cache,
// accessibility, and bad bibliographies, keys and styles.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, openPage, screenshotPath, startSite, useSiteAndBrowser } from "./harness.mjs";

const AXE = fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));
const shared = useSiteAndBrowser();
const postUrl = (slug = "the-struggle-for-freedom") => `${shared.url}?post=${slug}`;

const PREVIEW_DELAY_MS = 300;
const APA_CITATION = "(Freeze, 2009, p. 410)";
const APA_ENTRY = "Freeze, G. L. (Ed.). (2009). Russia: A History (3rd ed.). Oxford University Press.";

/** Opens the seed post and waits until its citation is formatted. */
async function openSeed(options) {
  const run = await openPage(shared.browser, options);
  await run.page.goto(postUrl());
  await waitFormatted(run.page, APA_CITATION);
  return run;
}

async function waitFormatted(page, label, number = 1) {
  await eventually(async () => {
    assert.equal((await page.locator(`#cite-${number}`).textContent()).trim(), label);
    assert.equal(await page.locator(`#cite-${number}`).getAttribute("aria-haspopup"), "dialog");
  }, 15_000);
}

const expanded = (page, number = 1) => page.locator(`#cite-${number}`).getAttribute("aria-expanded");
const popover = (page, number = 1) => page.locator(`#cite-pop-${number}`);
const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? "");
/** Focus handed back to a citation must not open its popover again as a preview. */
async function staysClosed(page, number = 1) {
  await page.waitForTimeout(2 * PREVIEW_DELAY_MS);
  assert.equal(await expanded(page, number), "false", "the returned focus reopened the popover");
  assert.equal(await popover(page, number).isVisible(), false);
}
const rectOf = (locator) => locator.evaluate((el) => el.getBoundingClientRect().toJSON());

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** Serves an extra post `slug` with `files` (name → body or a status number) next to it. */
async function withPost(page, slug, markdown, files = {}) {
  await page.route("**/content/posts.json", async (route) => {
    const response = await route.fetch();
    const posts = await response.json();
    posts.push({ slug, source: `posts/${slug}/index.md` });
    await route.fulfill({ response, json: posts });
  });
  await page.route(`**/content/posts/${slug}/index.md`, (route) => route.fulfill({ status: 200, body: markdown }));
  for (const [name, body] of Object.entries(files)) {
    await page.route(`**/content/posts/${slug}/${name}`, (route) =>
      typeof body === "number" ? route.fulfill({ status: body, body: "" }) : route.fulfill({ status: 200, body }),
    );
  }
}

const FREEZE_BIB = `@book{freeze2009,
  editor = {Freeze, Gregory L.}, title = {Russia: A History}, edition = {3},
  publisher = {Oxford University Press}, location = {Oxford}, date = {2009},
}
`;

const postWith = (front, body) =>
  `---\ntitle: Test post\nauthor: Test Author\ndate: 2020-01-01\n${front}---\n\n${body}\n`;

describe("the seed post's citation", () => {
  test("opens by click with Freeze's reference, p. 410 and the quotation; Escape closes it and returns focus", async () => {
    const run = await openSeed();
    const { page } = run;
    const button = page.locator("#cite-1");
    assert.equal(await button.getAttribute("aria-controls"), "cite-pop-1");
    assert.equal(await expanded(page), "false");
    await button.click();
    await popover(page).waitFor({ state: "visible" });
    assert.equal(await expanded(page), "true");
    assert.equal(await popover(page).getAttribute("role"), "dialog");
    const dialog = page.getByRole("dialog", { name: APA_CITATION });
    await dialog.waitFor();
    const text = await dialog.textContent();
    assert.ok(text.includes(APA_ENTRY), text);
    assert.ok(text.includes("Cited at p. 410"), text);
    assert.ok(text.includes("“Within days of Stalin’s death"), text);
    assert.equal(await dialog.locator("a", { hasText: "In the bibliography" }).getAttribute("href"), "#ref-freeze2009");
    assert.ok(await popover(page).evaluate((el) => el.matches(":popover-open")), "shown through the Popover API");
    await page.screenshot({ path: screenshotPath("citation-popover") });
    await page.keyboard.press("Escape");
    await popover(page).waitFor({ state: "hidden" });
    assert.equal(await expanded(page), "false");
    assert.equal(await focusedId(page), "cite-1");
    await run.finish();
  });

  test("a second click closes it; a click elsewhere closes it and returns focus to the citation", async () => {
    const run = await openSeed();
    const { page } = run;
    await page.locator("#cite-1").click();
    await popover(page).waitFor({ state: "visible" });
    await page.locator("#cite-1").click();
    await popover(page).waitFor({ state: "hidden" });
    await page.locator("#cite-1").click();
    await popover(page).waitFor({ state: "visible" });
    await page.mouse.click(5, 5);
    await popover(page).waitFor({ state: "hidden" });
    // Focus comes back a task after the press, once the press has moved it.
    await eventually(async () => assert.equal(await focusedId(page), "cite-1"));
    await staysClosed(page);
    await run.finish();
  });

  test("opens by Enter and by Space when focused, and keyboard focus alone previews it", async () => {
    const run = await openSeed();
    const { page } = run;
    await page.locator("#cite-1").focus();
    // Focus resting on the citation opens a preview after about 300 ms.
    await popover(page).waitFor({ state: "visible" });
    assert.equal(await expanded(page), "true");
    await page.keyboard.press("Escape");
    await popover(page).waitFor({ state: "hidden" });
    await page.keyboard.press("Enter");
    await popover(page).waitFor({ state: "visible" });
    await page.keyboard.press("Enter");
    await popover(page).waitFor({ state: "hidden" });
    await page.keyboard.press("Space");
    await popover(page).waitFor({ state: "visible" });
    // Tab moves from the citation into the popover's links.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.closest(".cite-popover")?.id), "cite-pop-1");
    await page.keyboard.press("Escape");
    await popover(page).waitFor({ state: "hidden" });
    assert.equal(await focusedId(page), "cite-1");
    await staysClosed(page);
    await run.finish();
  });

  test("hovering previews it after a delay; it stays while the pointer is on it and closes when it leaves", async () => {
    const run = await openSeed();
    const { page } = run;
    await page.locator("#cite-1").scrollIntoViewIfNeeded();
    await page.locator("#cite-1").hover();
    assert.equal(await expanded(page), "false", "not at once");
    await popover(page).waitFor({ state: "visible" });
    // Move onto the popover: it stays (WCAG 1.4.13, hoverable).
    const box = await rectOf(popover(page));
    await page.mouse.move(box.x + box.width / 2, box.y + 10, { steps: 5 });
    await page.waitForTimeout(700);
    assert.equal(await expanded(page), "true");
    await page.mouse.move(2, 2);
    await popover(page).waitFor({ state: "hidden" });
    await run.finish();
  });

  test("stays inside the viewport: below the citation near the top, above it near the bottom", async () => {
    const run = await openSeed({ viewport: { width: 700, height: 700 } });
    const { page } = run;
    const inViewport = async () => {
      const box = await rectOf(popover(page));
      assert.ok(box.top >= 0 && box.bottom <= 700, `vertical ${JSON.stringify(box)}`);
      assert.ok(box.left >= 0 && box.right <= 700, `horizontal ${JSON.stringify(box)}`);
    };
    const placeCitation = (y) =>
      page.evaluate((y) => {
        const top = document.querySelector("#cite-1").getBoundingClientRect().top;
        window.scrollBy(0, top - y);
      }, y);
    await placeCitation(40);
    await page.locator("#cite-1").click();
    await popover(page).waitFor({ state: "visible" });
    assert.equal(await popover(page).getAttribute("data-placement"), "below");
    const below = await rectOf(popover(page));
    const button = await rectOf(page.locator("#cite-1"));
    assert.ok(below.top >= button.bottom, "under the citation");
    await inViewport();
    await page.keyboard.press("Escape");
    await placeCitation(640);
    await page.locator("#cite-1").click();
    await popover(page).waitFor({ state: "visible" });
    assert.equal(await popover(page).getAttribute("data-placement"), "above");
    const above = await rectOf(popover(page));
    assert.ok(above.bottom <= (await rectOf(page.locator("#cite-1"))).top, "over the citation");
    await inViewport();
    await run.finish();
  });

  test("on a 375 px phone a tap opens it as a bottom sheet, and a tap elsewhere closes it", async () => {
    const context = await shared.browser.newContext({
      viewport: { width: 375, height: 740 },
      hasTouch: true,
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto(postUrl());
    await waitFormatted(page, APA_CITATION);
    await page.locator("#cite-1").tap();
    await popover(page).waitFor({ state: "visible" });
    assert.equal(await popover(page).getAttribute("data-placement"), "sheet");
    const box = await rectOf(popover(page));
    assert.ok(Math.abs(box.bottom - 740) <= 1, `at the bottom: ${JSON.stringify(box)}`);
    assert.ok(box.left <= 0.5 && box.right >= 374.5, `full width: ${JSON.stringify(box)}`);
    assert.ok(box.height <= 740 * 0.6 + 1, "at most 60 % of the screen");
    await page.screenshot({ path: screenshotPath("citation-sheet-375") });
    await page.touchscreen.tap(187, 40);
    await popover(page).waitFor({ state: "hidden" });
    await context.close();
  });

  test("the bottom sheet has a Close button that closes it and returns focus to the citation", async () => {
    const context = await shared.browser.newContext({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(postUrl());
    await waitFormatted(page, APA_CITATION);
    await page.locator("#cite-1").tap();
    await popover(page).waitFor({ state: "visible" });
    const close = popover(page).getByRole("button", { name: "Close" });
    const box = await rectOf(close);
    assert.ok(box.width >= 24 && box.height >= 24, `a target of at least 24×24: ${JSON.stringify(box)}`);
    await close.tap();
    await popover(page).waitFor({ state: "hidden" });
    assert.equal(await focusedId(page), "cite-1");
    await context.close();
  });

  test("beside the sheet, on a wide screen, the popover shows no Close button", async () => {
    const run = await openSeed();
    await run.page.locator("#cite-1").click();
    await popover(run.page).waitFor({ state: "visible" });
    assert.equal(await popover(run.page).getByRole("button", { name: "Close" }).isVisible(), false);
    await run.finish();
  });

  test("a focus preview closes when focus moves on, and one tabbed past does not open later", async () => {
    const run = await openSeed();
    const { page } = run;
    await page.locator("#cite-1").focus();
    await popover(page).waitFor({ state: "visible" });
    assert.equal(await expanded(page), "true");
    // Tab from the citation goes into its popover (still the citation), then past it.
    await page.locator(".bibliography select").focus();
    await popover(page).waitFor({ state: "hidden" });
    assert.equal(await expanded(page), "false");
    // Passing the citation quicker than the preview's delay opens nothing.
    await page.locator("#cite-1").focus();
    await page.waitForTimeout(PREVIEW_DELAY_MS - 100);
    await page.locator(".bibliography select").focus();
    await page.waitForTimeout(2 * PREVIEW_DELAY_MS);
    assert.equal(await popover(page).isVisible(), false, "the preview opened after focus had moved on");
    await run.finish();
  });

  test("an open popover moves with its citation when the page scrolls, and closes when the citation leaves the screen", async () => {
    const run = await openSeed({ viewport: { width: 1280, height: 600 } });
    const { page } = run;
    await page.locator("#cite-1").scrollIntoViewIfNeeded();
    await page.locator("#cite-1").click();
    await popover(page).waitFor({ state: "visible" });
    const gap = async () => {
      const [button, pop] = [await rectOf(page.locator("#cite-1")), await rectOf(popover(page))];
      return (await popover(page).getAttribute("data-placement")) === "below" ? pop.top - button.bottom : button.top - pop.bottom;
    };
    const before = await gap();
    await page.mouse.wheel(0, 60);
    await eventually(async () => assert.ok(Math.abs((await gap()) - before) <= 2, `the popover stayed put: gap ${await gap()} vs ${before}`));
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await popover(page).waitFor({ state: "hidden" });
    await run.finish();
  });

  test("Escape in a field away from the popover closes it and leaves focus in the field", async () => {
    const run = await openSeed();
    const { page } = run;
    await page.locator("#cite-1").click();
    await popover(page).waitFor({ state: "visible" });
    const comment = page.getByLabel("Comment", { exact: true });
    await comment.evaluate((field) => field.focus({ preventScroll: true }));
    await comment.pressSequentially("Half a thought");
    await page.keyboard.press("Escape");
    await popover(page).waitFor({ state: "hidden" });
    assert.equal(await comment.evaluate((field) => document.activeElement === field), true, "focus left the comment being written");
    assert.equal(await comment.inputValue(), "Half a thought");
    await run.finish();
  });

  test("axe-core finds no violations with the popover open", async () => {
    const run = await openSeed();
    await run.page.locator("#cite-1").click();
    await popover(run.page).waitFor({ state: "visible" });
    assert.deepEqual(await axeViolations(run.page), []);
    await run.finish();
  });
});

describe("the bibliography", () => {
  test("lists Freeze with a back-link, and shows all four styles; the choice is remembered", async () => {
    const run = await openSeed();
    const { page } = run;
    const entry = page.locator("#ref-freeze2009");
    await eventually(async () => assert.ok((await entry.textContent()).includes(APA_ENTRY)));
    assert.equal(await entry.locator("a.cite-back").getAttribute("href"), "#cite-1");
    assert.equal(await page.locator("#bibliography-heading").textContent(), "References");
    const styles = [
      ["mla", "(Freeze 410)", "Works Cited", "Freeze, Gregory L., editor. Russia: A History. 3rd ed., Oxford University Press, 2009."],
      ["chicago-author-date", "(Freeze 2009, 410)", "Bibliography", "Freeze, Gregory L., ed. 2009. Russia: A History. 3rd ed. Oxford University Press."],
      ["chicago-notes", "Note 1", "Bibliography", "Freeze, Gregory L., ed. Russia: A History. 3rd ed. Oxford University Press, 2009."],
      ["apa", APA_CITATION, "References", APA_ENTRY],
    ];
    for (const [style, citation, heading, reference] of styles) {
      await page.getByLabel("Citation style").selectOption(style);
      await waitFormatted(page, citation);
      assert.equal(await page.locator("#bibliography-heading").textContent(), heading);
      assert.ok((await entry.textContent()).includes(reference), `${style}: ${await entry.textContent()}`);
      await page.screenshot({ path: screenshotPath(`bibliography-${style}`), fullPage: true });
    }
    await page.getByLabel("Citation style").selectOption("mla");
    await waitFormatted(page, "(Freeze 410)");
    await page.reload();
    await waitFormatted(page, "(Freeze 410)");
    assert.equal(await page.getByLabel("Citation style").inputValue(), "mla");
    await run.finish();
  });

  test("a first visit to a built page never fetches the citation worker: the build formatted every bundled style", async () => {
    const run = await openPage(shared.browser);
    const { page } = run;
    const workerRequests = [];
    page.on("request", (request) => {
      if (request.url().includes("cite_worker")) workerRequests.push(request.url());
    });
    await page.goto(postUrl());
    await waitFormatted(page, APA_CITATION);
    await page.locator(".bibliography select").selectOption("mla");
    await waitFormatted(page, "(Freeze 410)");
    assert.deepEqual(workerRequests, []);
    await run.finish();
  });

  test("a post rendered at run time fetches the citation worker only once the thread module has arrived", async () => {
    // On a phone's bandwidth the worker's 1.4 MB must not compete with the thread. A post
    // added to posts.json after the build is rendered, and its citations formatted, at run time.
    const run = await openPage(shared.browser);
    const { page } = run;
    const events = [];
    page.on("request", (request) => {
      if (request.url().includes("cite_worker")) events.push(`request ${request.url().split("/").at(-1)}`);
    });
    page.on("requestfinished", (request) => {
      if (request.url().endsWith("/thread_app_bg.wasm")) events.push("thread module arrived");
    });
    await withPost(page, "added-later", postWith("bibliography: refs.bib\n", "As Freeze wrote [@freeze2009, p. 410]."), { "refs.bib": FREEZE_BIB });
    await page.goto(`${shared.url}?post=added-later`);
    await waitFormatted(page, APA_CITATION);
    assert.ok(page.url().endsWith("?post=added-later"), `not rendered at run time: ${page.url()}`);
    const arrived = events.indexOf("thread module arrived");
    const firstWorkerRequest = events.findIndex((event) => event.startsWith("request cite_worker"));
    assert.ok(arrived >= 0 && firstWorkerRequest > arrived, events.join(", "));
    await run.finish();
  });

  test("a second visit paints the formatted citation at once, without loading the citation worker", async () => {
    const run = await openSeed();
    const { page } = run;
    const workerRequests = [];
    page.on("request", (request) => {
      if (request.url().includes("cite_worker")) workerRequests.push(request.url());
    });
    // Record the citation's text at the moment it first appears in the page.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const button = document.querySelector("button.citation");
        if (button && button.textContent) {
          window.firstCitationLabel = button.textContent;
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await page.reload();
    await waitFormatted(page, APA_CITATION);
    assert.equal(await page.evaluate(() => window.firstCitationLabel), APA_CITATION);
    assert.deepEqual(workerRequests, []);
    await run.finish();
  });
});

describe("a notes style", () => {
  const FREEZE_NOTE = "Gregory L. Freeze, ed., Russia: A History, 3rd ed. (Oxford University Press, 2009), 410.";
  const before = async (a, b) =>
    a.evaluate((x, y) => Boolean(x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING), await b.elementHandle());
  const inView = (locator) =>
    locator.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    });

  test("Chicago notes shows the numbered notes after the post and before the bibliography, linked both ways", async () => {
    const run = await openSeed();
    const { page } = run;
    assert.equal(await page.locator("section.citation-notes").count(), 0, "notes in an author-date style");
    await page.getByLabel("Citation style").selectOption("chicago-notes");
    await waitFormatted(page, "Note 1");
    // The number in the text: a superscript named "Note 1".
    const citation = page.getByRole("button", { name: "Note 1", exact: true });
    assert.equal(await citation.getAttribute("id"), "cite-1");
    assert.equal(await page.locator("#cite-1 sup.cite-label").textContent(), "1");
    // The notes, numbered, between the post's body and the bibliography.
    const notes = page.getByRole("region", { name: "Notes" });
    await notes.waitFor();
    assert.equal(await notes.getAttribute("class"), "citation-notes");
    const note = page.locator("#cite-note-1");
    assert.equal(await note.evaluate((li) => li.parentElement.tagName + " " + li.value), "OL 1");
    assert.equal((await note.textContent()).replace(/\s*↩$/, "").trim(), FREEZE_NOTE);
    assert.equal(await note.locator("i").first().textContent(), "Russia: A History");
    assert.ok(await before(page.locator(".post-body"), notes));
    assert.ok(await before(notes, page.locator("section.bibliography")));
    // The note links back to its number in the text …
    const back = note.getByRole("link", { name: "Back to note 1 in the text" });
    assert.equal(await back.getAttribute("href"), "#cite-1");
    // A short window, scrolled to the note: the number in the text is off screen.
    await page.setViewportSize({ width: 1280, height: 320 });
    await note.evaluate((li) => li.scrollIntoView({ block: "start" }));
    assert.equal(await inView(page.locator("#cite-1")), false);
    await back.click();
    await eventually(async () => assert.ok(page.url().endsWith("#cite-1")));
    await eventually(async () => assert.ok(await inView(page.locator("#cite-1"))));
    // … and the number leads to its note: its popover links to it.
    await citation.click();
    await popover(page).waitFor({ state: "visible" });
    assert.equal((await popover(page).locator(".cite-title").textContent()).trim(), FREEZE_NOTE);
    const toNote = popover(page).getByRole("link", { name: "Note 1 at the end" });
    assert.equal(await toNote.getAttribute("href"), "#cite-note-1");
    await toNote.click();
    await eventually(async () => assert.ok(page.url().endsWith("#cite-note-1")));
    await eventually(async () => assert.ok(await inView(note)));
    assert.equal(await inView(page.locator("#cite-1")), false);
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath("notes-chicago"), fullPage: true });
    // Back to an author-date style: no notes.
    await page.getByLabel("Citation style").selectOption("apa");
    await waitFormatted(page, APA_CITATION);
    assert.equal(await page.locator("section.citation-notes").count(), 0);
    await run.finish();
  });

  test("a post built in chicago-notes: with JavaScript off its number links to its note and back; the app keeps the notes", { timeout: 120_000 }, async () => {
    // The seed post in chicago-notes, built by the native tool (target/debug/colloquy, as
    // e2e/import.test.mjs) into a copy of dist/.
    const root = fileURLToPath(new URL("..", import.meta.url));
    const bin = join(root, "target", "debug", "colloquy");
    assert.ok(existsSync(bin), `${bin} is missing: run cargo build --bin colloquy`);
    const dir = mkdtempSync(join(tmpdir(), "colloquy-notes-e2e-"));
    const content = join(dir, "content");
    const dist = join(dir, "dist");
    cpSync(join(root, "content"), content, { recursive: true });
    cpSync(join(root, "dist"), dist, { recursive: true });
    const source = join(content, "posts", "the-struggle-for-freedom", "index.md");
    writeFileSync(source, readFileSync(source, "utf8").replace("\ncsl: apa\n", "\ncsl: chicago-notes\n"));
    const built = await new Promise((resolve) =>
      execFile(bin, ["build", "--content", content, "--dist", dist], (error, _out, stderr) => resolve({ error, stderr })),
    );
    assert.equal(built.error, null, built.stderr);
    rmSync(join(dist, "content"), { recursive: true, force: true });
    cpSync(content, join(dist, "content"), { recursive: true });
    const site = await startSite({ dist });
    try {
      const noScript = await shared.browser.newContext({ javaScriptEnabled: false });
      const page = await noScript.newPage();
      await page.goto(`${site.url}the-struggle-for-freedom.html`);
      const number = page.getByRole("link", { name: "Note 1", exact: true });
      assert.equal(await number.getAttribute("id"), "cite-1");
      assert.equal(await number.getAttribute("href"), "#cite-note-1");
      assert.equal(await page.locator("#cite-1 sup").textContent(), "1");
      const notes = page.getByRole("region", { name: "Notes" });
      assert.ok(await before(page.locator(".post-body"), notes));
      assert.ok(await before(notes, page.locator("section.bibliography")));
      const note = page.locator("#cite-note-1");
      assert.equal((await note.textContent()).replace(/\s*↩$/, "").trim(), FREEZE_NOTE);
      assert.equal(await note.getByRole("link", { name: "Back to note 1 in the text" }).getAttribute("href"), "#cite-1");
      await number.click();
      await eventually(async () => assert.ok(page.url().endsWith("#cite-note-1")));
      await noScript.close();

      const run = await openPage(shared.browser);
      await run.page.goto(`${site.url}the-struggle-for-freedom.html`);
      await waitFormatted(run.page, "Note 1");
      await run.page.locator(".bibliography select").waitFor();
      assert.equal(await run.page.getByLabel("Citation style").inputValue(), "chicago-notes");
      assert.equal(await run.page.locator("section.citation-notes").count(), 1);
      assert.equal((await run.page.locator("#cite-note-1").textContent()).replace(/\s*↩$/, "").trim(), FREEZE_NOTE);
      await run.finish();
    } finally {
      await site.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a post in chicago-notes rendered at run time numbers each citation and lists every note", async () => {
    const run = await openPage(shared.browser);
    const { page } = run;
    await withPost(
      page,
      "in-notes",
      postWith("bibliography: refs.bib\ncsl: chicago-notes\n", "As Freeze wrote [@freeze2009, p. 410]. Again [@freeze2009, p. 12]."),
      { "refs.bib": FREEZE_BIB },
    );
    await page.goto(`${shared.url}?post=in-notes`);
    await waitFormatted(page, "Note 1", 1);
    await waitFormatted(page, "Note 2", 2);
    const items = page.locator("section.citation-notes ol > li");
    await eventually(async () => assert.equal(await items.count(), 2));
    assert.deepEqual(await items.evaluateAll((lis) => lis.map((li) => `${li.id} ${li.value}`)), ["cite-note-1 1", "cite-note-2 2"]);
    assert.equal((await items.nth(0).textContent()).replace(/\s*↩$/, "").trim(), FREEZE_NOTE);
    assert.match(await items.nth(1).textContent(), /12\.\s*↩$/);
    assert.equal(await items.nth(1).getByRole("link", { name: "Back to note 2 in the text" }).getAttribute("href"), "#cite-2");
    await run.finish();
  });
});

describe("bad citation input", () => {
  test("an unknown key shows a ?key marker whose tooltip names the problem; the rest is formatted", async () => {
    const run = await openPage(shared.browser);
    const { page } = run;
    await withPost(page, "unknown-key", postWith("bibliography: refs.bib\n", "Known [@freeze2009, p. 3] and unknown [@freeze2010]."), {
      "refs.bib": FREEZE_BIB,
    });
    await page.goto(postUrl("unknown-key"));
    await waitFormatted(page, "(Freeze, 2009, p. 3)", 1);
    await waitFormatted(page, "?freeze2010", 2);
    assert.match(await page.locator("#cite-2").getAttribute("title"), /@freeze2010 is not in this post's bibliography/);
    await page.locator("#cite-2").click();
    await popover(page, 2).waitFor({ state: "visible" });
    assert.match(await popover(page, 2).textContent(), /@freeze2010 is not in this post's bibliography/);
    await run.finish();
  });

  test("a bibliography that cannot be loaded gives one notice naming it; citations keep their provisional labels", async () => {
    const run = await openPage(shared.browser, { allowConsole: [/404/] });
    const { page } = run;
    await withPost(page, "missing-bib", postWith("bibliography: gone.bib\n", "Cited [@freeze2009, p. 3]."), { "gone.bib": 404 });
    await page.goto(postUrl("missing-bib"));
    await page.locator(".cite-notice").waitFor();
    assert.equal(await page.locator(".cite-notice p").count(), 1);
    assert.match(await page.locator(".cite-notice").textContent(), /gone\.bib could not be loaded/);
    assert.equal((await page.locator("#cite-1").textContent()).trim(), "(freeze2009, p. 3)");
    assert.equal(await page.locator(".cite-unknown").count(), 0, "no key is accused while a file is missing");
    await run.finish();
  });

  test("a bibliography that does not parse is named with its line", async () => {
    const run = await openPage(shared.browser);
    const { page } = run;
    const broken = "@book{ok, title = {Fine}, date = {2001}}\n\n@book{bad,\n  title = {Unclosed\n";
    await withPost(page, "broken-bib", postWith("bibliography: broken.bib\n", "Cited [@ok]."), { "broken.bib": broken });
    await page.goto(postUrl("broken-bib"));
    await page.locator(".cite-notice").waitFor({ timeout: 15_000 });
    assert.match(await page.locator(".cite-notice").textContent(), /broken\.bib could not be read \(line \d+/);
    assert.equal((await page.locator("#cite-1").textContent()).trim(), "(ok)");
    await run.finish();
  });

  test("a .csl file that does not parse falls back to APA with a notice", async () => {
    const run = await openPage(shared.browser);
    const { page } = run;
    await withPost(page, "bad-csl", postWith("bibliography: refs.bib\ncsl: house.csl\n", "Cited [@freeze2009, p. 410]."), {
      "refs.bib": FREEZE_BIB,
      "house.csl": "<style><not-csl",
    });
    await page.goto(postUrl("bad-csl"));
    await waitFormatted(page, APA_CITATION);
    assert.match(await page.locator(".cite-notice").textContent(), /house\.csl is not a citation style Colloquy can read.*showing APA/);
    await run.finish();
  });
});
