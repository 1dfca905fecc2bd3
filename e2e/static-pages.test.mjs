// Static-first pages (`colloquy build`): each post is HTML before any script runs. With
// JavaScript off the post, its formatted citation, bibliography and seed comments read; with
// it on the app takes the page over in place (same nodes, no layout shift, no citation worker
// for a style the build rendered); old `?post=` links lead to the built page.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually, openPage, startSite, text, useSiteAndBrowser } from "./harness.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const seed = readFileSync(join(root, "tests/fixtures/the-struggle-for-freedom.txt"), "utf8");
const seedParagraphs = seed.split("\n\n").slice(1, 4).map((p) => p.replace(/\s+/g, " ").trim());
const seedComments = seed
  .split("\n\n")
  .map((p) => p.trim())
  .filter((p) => /^[1-4]\. /.test(p))
  .map((p) => p.slice(3).replace(/\s+/g, " ").trim());

const SLUG = "the-struggle-for-freedom";
const shared = useSiteAndBrowser();
const pageUrl = () => `${shared.url}${SLUG}.html`;

/** The paragraphs of the post as read, each without its citation's text. */
const paragraphsWithoutCitations = (page) =>
  page.locator(".post-body > p").evaluateAll((ps) =>
    ps.map((p) => {
      const copy = p.cloneNode(true);
      copy.querySelectorAll(".citation-anchor").forEach((anchor) => anchor.remove());
      return copy.textContent.replace(/\s+/g, " ").replace(/ ([.,])/g, "$1").trim();
    }),
  );

describe("with JavaScript off", () => {
  test("the post list links to the built page of the seed post", async () => {
    const context = await shared.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(shared.url);
    const link = page.getByRole("link", { name: "The Struggle for Freedom" });
    assert.equal(await link.getAttribute("href"), `./${SLUG}.html`);
    await link.click();
    await page.locator("article.post h1").waitFor();
    assert.equal(page.url(), pageUrl());
    await context.close();
  });

  test("the post reads word for word, with its citation linked to the bibliography and the four seed comments", async () => {
    const context = await shared.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pageUrl());
    assert.equal(await page.title(), "The Struggle for Freedom · Colloquy");
    assert.equal(await text(page.locator("article.post h1")), "The Struggle for Freedom");
    const paragraphs = await paragraphsWithoutCitations(page);
    assert.deepEqual(paragraphs, seedParagraphs.map((p) => p.replace(/ ([.,])/g, "$1")));
    const citation = page.locator("a.citation");
    assert.equal(await citation.count(), 1);
    assert.equal(await text(citation), "(Freeze, 2009, p. 410)");
    assert.equal(await citation.getAttribute("href"), "#ref-freeze2009");
    const entry = page.locator("#ref-freeze2009");
    assert.match(await text(entry), /^Freeze, G\. L\. \(Ed\.\)\. \(2009\)\. Russia: A History/);
    assert.equal(await entry.locator("i").first().textContent(), "Russia: A History");
    assert.equal(await text(page.locator("#bibliography-heading")), "References");
    const comments = page.locator("section.thread-static li.static-comment");
    assert.equal(await comments.count(), 4);
    for (const [index, body] of seedComments.entries()) {
      assert.equal(await text(comments.nth(index).locator(".comment-body")), body);
      assert.equal(await comments.nth(index).getAttribute("id"), `comment-${index + 1}`);
    }
    assert.equal(await text(page.locator("#thread-heading")), "4 comments");
    assert.equal(await text(page.locator(".thread-status")), "Commenting needs JavaScript: turn it on to write or reply.");
    assert.equal(await page.locator("meta[name=description]").getAttribute("content"), await page.locator('meta[property="og:description"]').getAttribute("content"));
    assert.equal(await page.locator('meta[property="og:title"]').getAttribute("content"), "The Struggle for Freedom");
    await context.close();
  });
});

test("with JavaScript off, the Russian page reads in Russian, and a Russian ?post= link leads to it", async () => {
  const context = await shared.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${shared.url}${SLUG}.ru.html`);
  assert.equal(await page.locator("html").getAttribute("lang"), "ru");
  assert.equal(await text(page.locator("article.post time").first()), "14 марта 2019 г.");
  assert.equal(await text(page.locator("#thread-heading")), "4 комментария");
  assert.equal(await text(page.locator(".reading-time")), "2 мин чтения");
  // Citations and bibliography in the CSL locale of the page's language.
  assert.equal(await text(page.locator("a.citation")), "(Freeze, 2009, с. 410)");
  assert.equal(await text(page.locator("#bibliography-heading")), "Список литературы");
  assert.match(await text(page.locator("#ref-freeze2009")), /^Freeze, G\. L\. \(ред\.\)\. \(2009\)\. Russia: A History \(3-е изд\.\)/);
  assert.deepEqual(await paragraphsWithoutCitations(page), seedParagraphs.map((p) => p.replace(/ ([.,])/g, "$1")));
  await context.close();

  const run = await openPage(shared.browser, { locale: "ru-RU" });
  const workerRequests = [];
  run.page.on("request", (request) => request.url().includes("cite_worker") && workerRequests.push(request.url()));
  await run.page.goto(`${shared.url}?post=${SLUG}#comment-2`);
  await run.page.waitForURL(`${shared.url}${SLUG}.ru.html#comment-2`);
  await run.page.locator("form.composer").waitFor();
  assert.equal(await text(run.page.locator("#thread-heading")), "4 комментария");
  // The live citation keeps the Russian formatting the page was built with.
  await run.page.locator(".bibliography select").waitFor();
  assert.equal(await text(run.page.locator("button.citation")), "(Freeze, 2009, с. 410)");
  assert.equal(await text(run.page.locator("#bibliography-heading")), "Список литературы");
  assert.deepEqual(workerRequests, [], "the Russian page's citations were formatted again at run time");
  await run.page.locator("button.citation").click();
  await run.page.locator("#cite-pop-1").waitFor({ state: "visible" });
  assert.match(await text(run.page.locator("#cite-pop-1 .cite-locator")), /^Цитируется: с\. 410$/);
  await run.page.keyboard.press("Escape");
  // ?lang=en on the Russian page goes to the English one.
  await run.page.goto(`${shared.url}${SLUG}.ru.html?lang=en`);
  await run.page.waitForURL(`${pageUrl()}?lang=en`);
  await run.page.locator("form.composer").waitFor();
  assert.equal(await text(run.page.locator("#thread-heading")), "4 comments");
  await run.finish();
});

describe("with JavaScript", () => {
  test("the app takes the page over in place: same post node, no layout shift, no citation worker", async () => {
    const run = await openPage(shared.browser);
    const requests = [];
    run.page.on("request", (request) => requests.push(request.url()));
    await run.page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    await run.page.goto(pageUrl(), { waitUntil: "domcontentloaded" });
    const before = await run.page.evaluate(() => {
      window.__article = document.querySelector("article.post");
      window.__body = document.querySelector(".post-body");
      return performance.getEntriesByName("colloquy:thread-mount").length;
    });
    assert.equal(before, 0, "the app had started before the page's nodes were noted");
    // The live thread: its composer, the citation as the popover's button, the style picker.
    await run.page.locator("form.composer").waitFor();
    await run.page.locator("button.citation").waitFor();
    await run.page.locator(".bibliography select").waitFor();
    assert.equal(await run.page.locator("section.thread li.comment").count(), 4);
    assert.equal(await run.page.locator("section.thread").count(), 1);
    assert.equal(await run.page.locator("#comments").count(), 1, "the built thread is still there beside the live one");
    assert.equal(await run.page.locator(".bibliography").count(), 1);
    const same = await run.page.evaluate(
      () => window.__article === document.querySelector("article.post") && window.__body === document.querySelector(".post-body"),
    );
    assert.ok(same, "the post's nodes were drawn again");
    assert.equal(await text(run.page.locator("button.citation")), "(Freeze, 2009, p. 410)");
    await run.page.waitForTimeout(500);
    const shift = await run.page.evaluate(() => window.__shift);
    assert.ok(shift < 0.02, `layout shift ${shift} while the app started`);
    assert.deepEqual(requests.filter((url) => /cite_worker/.test(url)), [], "the citation worker was fetched for a style the build rendered");
    // The popover opens over the built citation.
    await run.page.locator("button.citation").click();
    await run.page.locator("#cite-pop-1").waitFor({ state: "visible" });
    assert.match(await text(run.page.locator("#cite-pop-1")), /Russia: A History/);
    await run.finish();
  });

  test("nothing but HTML and CSS before the post paints: no script or wasm blocks it", async () => {
    const html = readFileSync(join(root, "dist", `${SLUG}.html`), "utf8");
    const head = html.slice(0, html.indexOf("</head>"));
    const blocking = [...head.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !/\bdefer\b|\basync\b|type="?module"?/.test(tag));
    // theme.js is the one allowed: it sets the theme before the first paint (0.6 KB).
    assert.deepEqual(blocking.filter((tag) => !/theme-[0-9a-f]+\.js/.test(tag)), []);
    assert.doesNotMatch(head, /\.wasm|colloquy_app|loader-/);
  });

  test("a thread module that does not arrive leaves the built thread in place and says so", async () => {
    const run = await openPage(shared.browser, { allowConsole: [/Failed to load resource/] });
    // The wasm is fetched beside the module's script; its failure is told once, not thrown.
    await run.page.route("**/thread_app_bg.wasm", (route) => route.abort());
    await run.page.goto(pageUrl());
    const alert = run.page.locator(".thread-slot [role=alert]");
    await alert.waitFor();
    assert.match(await text(alert), /^The comments did not load\. Check your connection/);
    assert.equal(await run.page.locator(".thread-slot li.static-comment").count(), 4);
    assert.equal(await run.page.locator("form.composer").count(), 0);
    await run.finish();
  });

  test("a ?post= link leads to the built page, its #comment fragment kept, scrolled to that comment", async () => {
    const run = await openPage(shared.browser, { viewport: { width: 1280, height: 600 } });
    await run.page.goto(`${shared.url}?post=${SLUG}#comment-2`);
    await run.page.waitForURL(`${pageUrl()}#comment-2`);
    await run.page.locator("form.composer").waitFor();
    await run.page.waitForFunction(() => {
      const box = document.getElementById("comment-2").getBoundingClientRect();
      return box.top >= 0 && box.top < window.innerHeight;
    });
    await run.finish();
  });
});

test("a post edited on the host after the build is rendered at run time as it is now", async () => {
  const run = await openPage(shared.browser);
  await run.page.route("**/posts/the-struggle-for-freedom/index.md", async (route) => {
    const response = await route.fetch();
    const text = (await response.text()).replace("One of the most significant events", "One of the most talked-about events");
    await route.fulfill({ response, body: text });
  });
  await run.page.goto(`${pageUrl()}#comment-3`);
  await run.page.waitForURL(`${shared.url}?post=${SLUG}&built=stale#comment-3`);
  await eventually(async () => assert.match(await text(run.page.locator(".post-body > p").first()), /^One of the most talked-about events/));
  await run.page.locator("form.composer").waitFor();
  // An unchanged source keeps the built page.
  await run.page.unroute("**/posts/the-struggle-for-freedom/index.md");
  await run.page.goto(pageUrl());
  await run.page.locator("form.composer").waitFor();
  await run.page.waitForTimeout(500);
  assert.equal(run.page.url(), pageUrl());
  await run.finish();
});

test("a post added to posts.json after the build renders at run time", async () => {
  const dist = mkdtempSync(join(tmpdir(), "colloquy-added-post-"));
  cpSync(join(root, "dist"), dist, { recursive: true });
  const postDir = join(dist, "content", "posts", "added-later");
  mkdirSync(postDir, { recursive: true });
  writeFileSync(join(postDir, "index.md"), "---\ntitle: Added Later\nauthor: Sam Lee\ndate: 2024-05-01\n---\nWritten after the site was built.\n");
  const catalog = JSON.parse(readFileSync(join(dist, "content", "posts.json"), "utf8"));
  catalog.push({ slug: "added-later", source: "posts/added-later/index.md" });
  writeFileSync(join(dist, "content", "posts.json"), JSON.stringify(catalog));
  const site = await startSite({ dist });
  try {
    const run = await openPage(shared.browser);
    await run.page.goto(`${site.url}?post=added-later`);
    await run.page.locator("article.post h1").waitFor();
    assert.equal(await text(run.page.locator("article.post h1")), "Added Later");
    assert.equal(await text(run.page.locator(".post-body")), "Written after the site was built.");
    assert.equal(run.page.url(), `${site.url}?post=added-later`);
    await run.page.locator("form.composer").waitFor();
    // Its card on the list links to the run-time page; the built post keeps its page.
    await run.page.goto(site.url);
    await eventually(async () => assert.equal(await run.page.getByRole("link", { name: "Added Later" }).getAttribute("href"), "./?post=added-later"));
    assert.equal(await run.page.getByRole("link", { name: "The Struggle for Freedom" }).getAttribute("href"), `./${SLUG}.html`);
    await run.finish();
  } finally {
    await site.close();
  }
});
