// The seed post end to end: the release build served under a sub-path, in Chromium.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { openPage, screenshotPath, useSiteAndBrowser } from "./harness.mjs";

const seed = readFileSync(new URL("../tests/fixtures/the-struggle-for-freedom.txt", import.meta.url), "utf8");
const seedParagraphs = seed.split("\n\n").slice(1, 4).map((p) => p.trim());
const seedComments = seed
  .split("\n\n")
  .map((p) => p.trim())
  .filter((p) => /^[1-4]\. /.test(p))
  .map((p) => p.slice(3).trim());

const shared = useSiteAndBrowser();

const postUrl = () => `${shared.url}?post=the-struggle-for-freedom`;

describe("the post list", () => {
  test("shows a card for the seed post with title, author, date and summary", async () => {
    const run = await openPage(shared.browser);
    await run.page.goto(shared.url);
    const card = run.page.locator(".card").first();
    await card.getByRole("link", { name: "The Struggle for Freedom" }).waitFor();
    assert.equal(await card.locator(".post-author").textContent(), "Jordan Ellis");
    assert.equal(await card.locator("time").getAttribute("datetime"), "2019-03-14");
    assert.match(await card.locator(".summary").textContent(), /GULAG released many of its prisoners/);
    assert.equal(await run.page.title(), "Posts · Colloquy");
    await run.page.screenshot({ path: screenshotPath("list-desktop"), fullPage: true });
    await run.finish();
  });

  test("a card links to its post by a relative URL under the sub-path", async () => {
    const run = await openPage(shared.browser);
    await run.page.goto(shared.url);
    const link = run.page.getByRole("link", { name: "The Struggle for Freedom" });
    // The page `colloquy build` wrote for it (a ?post= link leads there too).
    assert.equal(await link.getAttribute("href"), "./the-struggle-for-freedom.html");
    await link.click();
    await run.page.locator("article.post h1").waitFor();
    assert.equal(run.page.url(), `${shared.url}the-struggle-for-freedom.html`);
    await run.finish();
  });
});

describe("the seed post", () => {
  test("renders its title, every paragraph word for word, the quotation and four comments", async () => {
    const run = await openPage(shared.browser);
    await run.page.goto(postUrl());
    await run.page.locator("article.post h1").waitFor();
    assert.equal(await run.page.locator("article.post h1").textContent(), "The Struggle for Freedom");
    assert.equal(await run.page.title(), "The Struggle for Freedom · Colloquy");
    // The paragraphs as read: without the citation popover's (hidden) text.
    const paragraphs = await run.page.locator(".post-body > p").evaluateAll((ps) =>
      ps.map((p) => {
        const copy = p.cloneNode(true);
        copy.querySelectorAll(".cite-popover").forEach((popover) => popover.remove());
        return copy.textContent;
      }),
    );
    assert.equal(paragraphs.length, 3);
    // The citation after the quotation is a button whose label the formatter decides.
    const citationLabel = await run.page.locator("button.citation").textContent();
    const withoutCitation = paragraphs.map((p) => p.replace(` ${citationLabel}`, ""));
    assert.deepEqual(withoutCitation, seedParagraphs);
    assert.match(paragraphs[2], /Within days of Stalin’s death, he not only spoke of the need to protect civil rights/);
    const comments = run.page.locator("li.comment");
    await comments.nth(3).waitFor();
    assert.equal(await comments.count(), 4);
    for (const [index, body] of seedComments.entries()) {
      assert.equal((await comments.nth(index).locator(".comment-body").textContent()).trim(), body);
      assert.equal(await comments.nth(index).getAttribute("id"), `comment-${index + 1}`);
    }
    assert.match(await comments.first().textContent(), /Parker/);
    await run.page.screenshot({ path: screenshotPath("post-desktop"), fullPage: true });
    await run.finish();
  });

  test("fits a 375 px phone screen without sideways scrolling", async () => {
    for (const [name, url] of [["list-375", shared.url], ["post-375", postUrl()]]) {
      const run = await openPage(shared.browser, { viewport: { width: 375, height: 740 } });
      await run.page.goto(url);
      await run.page.locator(".card h2 a, article.post h1").first().waitFor();
      const overflow = await run.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px`);
      await run.page.screenshot({ path: screenshotPath(name), fullPage: true });
      await run.finish();
    }
  });

  test("a comment permalink opens the post scrolled to that comment", async () => {
    const run = await openPage(shared.browser, { viewport: { width: 1280, height: 600 } });
    await run.page.goto(`${postUrl()}#comment-4`);
    const target = run.page.locator("#comment-4");
    await target.waitFor();
    await run.page.waitForFunction(() => {
      const box = document.getElementById("comment-4").getBoundingClientRect();
      return box.top >= 0 && box.top < window.innerHeight;
    });
    await run.finish();
  });

  test("a post rendered at run time shows a skeleton while it loads", async () => {
    const run = await openPage(shared.browser);
    let release;
    const held = new Promise((resolve) => (release = resolve));
    // A post added to posts.json after the build is rendered at run time.
    await run.page.route("**/content/posts.json", async (route) => {
      const response = await route.fetch();
      const posts = await response.json();
      posts.push({ slug: "added-later", source: "posts/added-later/index.md" });
      await route.fulfill({ response, json: posts });
    });
    await run.page.route("**/posts/added-later/index.md", async (route) => {
      await held;
      await route.fulfill({ body: "---\ntitle: Added later\nauthor: Sam Lee\ndate: 2024-05-01\n---\nWritten since the build.\n" });
    });
    await run.page.goto(`${shared.url}?post=added-later`);
    await run.page.locator(".skeleton[role=status]").waitFor();
    release();
    await run.page.locator("article.post h1").waitFor();
    assert.equal(await run.page.locator(".skeleton").count(), 0);
    await run.finish();
  });
});

describe("error pages", () => {
  test("a missing post names the slug and links back to the list", async () => {
    const run = await openPage(shared.browser);
    await run.page.goto(`${shared.url}?post=no-such-post`);
    const alert = run.page.getByRole("alert");
    await alert.waitFor();
    assert.equal(await run.page.locator("h1").textContent(), "Post not found");
    assert.match(await alert.textContent(), /no post called “no-such-post”/);
    await run.page.getByRole("link", { name: "← All posts" }).click();
    await run.page.locator(".card h2 a").waitFor();
    await run.finish();
  });

  test("a missing posts.json is named", async () => {
    const run = await openPage(shared.browser, { allowConsole: [/404/] });
    await run.page.route("**/content/posts.json", (route) => route.fulfill({ status: 404, body: "" }));
    await run.page.goto(shared.url);
    await run.page.getByRole("alert").waitFor();
    assert.equal(await run.page.locator("h1").textContent(), "The posts cannot be listed");
    assert.match(await run.page.locator(".error-detail").textContent(), /content\/posts\.json was not found/);
    await run.finish();
  });

  test("a malformed posts.json is named with the JSON problem", async () => {
    const run = await openPage(shared.browser);
    await run.page.route("**/content/posts.json", (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: '[{"slug": "x",' }),
    );
    await run.page.goto(`${shared.url}?post=x`);
    await run.page.getByRole("alert").waitFor();
    assert.match(
      await run.page.locator(".error-detail").textContent(),
      /content\/posts\.json is not a valid list of posts: .*line 1/,
    );
    await run.finish();
  });

  test("malformed front matter is named on the post and its card; other posts keep working", async () => {
    const run = await openPage(shared.browser);
    const broken = "---\ntitle: Broken\nauthor: [unclosed\n---\nBody\n";
    await run.page.route("**/content/posts.json", async (route) => {
      const response = await route.fetch();
      const posts = await response.json();
      posts.push({ slug: "broken", source: "posts/broken.md" });
      await route.fulfill({ response, json: posts });
    });
    await run.page.route("**/posts/broken.md", (route) => route.fulfill({ status: 200, body: broken }));
    await run.page.goto(shared.url);
    await run.page.locator(".card-error").waitFor();
    assert.match(await run.page.locator(".card-error").textContent(), /front matter is not valid YAML/);
    await run.page.getByRole("link", { name: "The Struggle for Freedom" }).waitFor();
    await run.page.goto(`${shared.url}?post=broken`);
    await run.page.getByRole("alert").waitFor();
    assert.equal(await run.page.locator("h1").textContent(), "This post cannot be shown");
    assert.match(
      await run.page.locator(".error-detail").textContent(),
      /content\/posts\/broken\.md: the front matter is not valid YAML \(line \d+\)/,
    );
    await run.finish();
  });
});
