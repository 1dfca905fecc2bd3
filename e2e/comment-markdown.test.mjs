// A comment's Markdown looks as it does in the post and in the composer's Preview: a quote has
// the post's bar, list bullets are the same in Preview and posted (the thread's own lists do
// not turn them hollow), and a bare web address is a link, in Preview and posted (issue 18).
import { test } from "node:test";
import assert from "node:assert/strict";
import { eventually, pageTests, useSiteAndBrowser } from "./harness.mjs";

const POST = "the-struggle-for-freedom";
const shared = useSiteAndBrowser();
const it = pageTests(shared, "comment-markdown");

const BODY = [
  "> Within days of Stalin's death.",
  "Two points:",
  "- first point\n- second point\n  - a point inside",
  "More at https://example.com/gulag_(history), not `https://code.example` or [a link](https://x.example/).",
].join("\n\n");

/** What a rendered comment body shows: its quote's bar, its bullets and its links. */
const looks = (body) =>
  body.evaluate((body) => {
    const quote = getComputedStyle(body.querySelector("blockquote"));
    return {
      quoteBar: `${quote.borderLeftStyle} ${quote.borderLeftWidth}`,
      quoteIndent: quote.paddingLeft,
      bullets: [...body.querySelectorAll("li")].map((li) => getComputedStyle(li).listStyleType),
      links: [...body.querySelectorAll("a")].map((a) => [a.getAttribute("href"), a.textContent, a.rel]),
    };
  });

for (const [size, viewport] of [
  ["1280×900", { width: 1280, height: 900 }],
  ["375×812", { width: 375, height: 812 }],
]) {
  it(`${size}: quotes, bullets and bare links look the same in Preview, posted, and a reply's Preview`, async ({ page }) => {
    await page.goto(`${shared.url}${POST}.html`);
    const composer = page.locator("section.thread > form.composer");
    await composer.waitFor();
    await composer.getByLabel("Name", { exact: true }).fill("Kim");
    await composer.getByLabel("Comment", { exact: true }).fill(BODY);
    await composer.getByRole("button", { name: "Preview", exact: true }).click();
    const preview = composer.locator(".composer-preview");
    await preview.locator("ul").first().waitFor();
    const previewed = await looks(preview);
    // The post's quote bar (the seed post has no quote: the post's rule, read off a quote put there).
    const postBar = await page.evaluate(() => {
      const quote = document.createElement("blockquote");
      document.querySelector(".post-body").append(quote);
      const style = getComputedStyle(quote);
      const bar = `${style.borderLeftStyle} ${style.borderLeftWidth}`;
      quote.remove();
      return bar;
    });
    assert.match(postBar, /^solid [1-9]/);
    assert.equal(previewed.quoteBar, postBar, "the preview's quote has the post's bar");
    assert.deepEqual(previewed.bullets, ["disc", "disc", "circle"]);
    const links = [["https://example.com/gulag_(history)", "https://example.com/gulag_(history)"], ["https://x.example/", "a link"]];
    assert.deepEqual(previewed.links.map(([href, text]) => [href, text]), links);
    assert.match(previewed.links[0][2], /nofollow/);

    await composer.getByRole("button", { name: "Preview", exact: true }).click();
    await composer.getByRole("button", { name: "Post comment", exact: true }).click();
    const posted = page.locator('li.comment[id="comment-5"] .comment-body').first();
    await posted.locator("blockquote").waitFor();
    assert.deepEqual(await looks(posted), previewed, "posted as previewed");

    // A reply's Preview, inside the thread's lists, too.
    await page.locator('li.comment[id="comment-5"] article').first().getByRole("button", { name: "Reply", exact: true }).click();
    const reply = page.locator('li.comment[id="comment-5"] form.composer');
    await reply.getByLabel("Comment", { exact: true }).fill(BODY);
    await reply.getByRole("button", { name: "Preview", exact: true }).click();
    await reply.locator(".composer-preview ul").first().waitFor();
    await eventually(async () => assert.deepEqual(await looks(reply.locator(".composer-preview")), previewed));
  }, { viewport });
}
