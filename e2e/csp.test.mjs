// The site under the strict Content-Security-Policy docs/hosting.md gives hosts: no
// 'unsafe-inline', no 'unsafe-eval'. Every view and the features that set styles, start
// workers or compile wasm are exercised; any violation fails the test.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { eventually, launchChromium, openPage, startSite } from "./harness.mjs";

const hosting = readFileSync(new URL("../docs/hosting.md", import.meta.url), "utf8");
const POLICY = hosting.match(/^Content-Security-Policy: (.+)$/m)?.[1];

const shared = {};

before(async () => {
  assert.ok(POLICY, "docs/hosting.md gives the policy as a `Content-Security-Policy:` line");
  shared.site = await startSite({ headers: { "Content-Security-Policy": POLICY } });
  shared.browser = await launchChromium();
});

after(async () => {
  await shared.browser?.close();
  await shared.site?.close();
});

/** A page that records every CSP violation (console errors already fail it in the harness). */
async function openWatched(options) {
  const run = await openPage(shared.browser, options);
  await run.page.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      window.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`),
    );
  });
  return {
    ...run,
    async finishClean() {
      assert.deepEqual(await run.page.evaluate(() => window.violations), []);
      await run.finish();
    },
  };
}

describe("under the strict CSP of docs/hosting.md", () => {
  test("the policy is strict: no unsafe-inline, no unsafe-eval, only wasm-unsafe-eval", () => {
    assert.doesNotMatch(POLICY, /'unsafe-inline'|'unsafe-eval'|\*(?!\.)/);
    assert.match(POLICY, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.match(POLICY, /style-src 'self';/);
    assert.match(POLICY, /frame-ancestors [^;]*https:\/\/\*\.instructure\.com/);
  });

  test("a post with an aligned table: the alignment is a class, which the policy allows", async () => {
    const run = await openWatched();
    await run.page.route("**/content/posts.json", async (route) => {
      const response = await route.fetch();
      const posts = await response.json();
      posts.push({ slug: "with-table", source: "posts/with-table/index.md" });
      await route.fulfill({ response, json: posts });
    });
    await run.page.route("**/posts/with-table/index.md", (route) =>
      route.fulfill({ body: "---\ntitle: Table\nauthor: A\ndate: 2024-01-02\n---\n| left | middle | right |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n" }),
    );
    await run.page.goto(`${shared.site.url}?post=with-table`);
    const cell = run.page.locator(".post-body td").last();
    await cell.waitFor();
    assert.equal(await cell.evaluate((td) => getComputedStyle(td).textAlign), "right");
    assert.equal(await run.page.locator(".post-body td").nth(1).evaluate((td) => getComputedStyle(td).textAlign), "center");
    await run.finishClean();
  });

  test("the post list and a post with formatted citations, a popover and the thread", async () => {
    const run = await openWatched();
    // The response really carries the policy.
    const response = await run.page.goto(shared.site.url);
    assert.equal(response.headers()["content-security-policy"], POLICY);
    await run.page.locator(".card h2 a").first().waitFor();
    await run.page.locator(".card h2 a").first().click();
    await run.page.locator("article.post h1").waitFor();
    // Formatted by hayagriva in the citation worker: wasm compiled in a worker under the policy.
    await eventually(
      async () => assert.equal(await run.page.locator("button.citation").first().textContent(), "(Freeze, 2009, p. 410)"),
      15_000,
    );
    await run.page.locator("button.citation").first().focus();
    await run.page.keyboard.press("Enter");
    await run.page.locator(".cite-popover:visible").waitFor();
    await run.page.keyboard.press("Escape");
    await run.page.locator(".thread .comments > li").first().waitFor();
    await run.finishClean();
  });

  test("posting a comment, an avatar's colour and the passage button's position", async () => {
    const run = await openWatched();
    await run.page.goto(`${shared.site.url}?post=the-struggle-for-freedom`);
    const composer = run.page.locator(".thread > form.composer");
    await composer.waitFor();
    await composer.getByLabel("Name", { exact: true }).fill("Strict Reader");
    await composer.getByLabel("Comment", { exact: true }).fill("Posted under a strict policy.");
    await composer.getByRole("button", { name: "Post comment" }).click();
    const posted = run.page.locator("li.comment", { hasText: "Posted under a strict policy." });
    await posted.waitFor();
    // Set through the CSSOM; a style attribute would have been refused.
    const avatar = posted.locator(".avatar").first();
    assert.notEqual(await avatar.evaluate((el) => getComputedStyle(el).backgroundColor), "rgba(0, 0, 0, 0)");

    await run.page.evaluate(() => {
      const paragraph = document.querySelector(".post-body p");
      const range = document.createRange();
      range.selectNodeContents(paragraph.firstChild);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    });
    const action = run.page.getByRole("button", { name: "Comment on this passage", exact: true });
    await action.waitFor();
    assert.notEqual(await action.evaluate((el) => el.style.top), "");
    await run.finishClean();
  });

  test("the error page for an unknown post", async () => {
    const run = await openWatched();
    await run.page.goto(`${shared.site.url}?post=no-such-post`);
    await run.page.getByRole("heading", { name: "Post not found" }).waitFor();
    await run.finishClean();
  });
});
