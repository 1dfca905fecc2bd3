// Comments on a passage, end to end in Chromium: select words in the post (mouse, keyboard,
// touch), comment on them, and find the highlight, its count and the comments again; with
// the local store and a real json-server, after the post's text changes, and under axe.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { eventually, launchChromium, openPage, readStoredThread, screenshotPath, selectInPost, startJsonServer, useSiteAndBrowser } from "./harness.mjs";

const AXE = fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));
const POST = "the-struggle-for-freedom";
const shared = useSiteAndBrowser();
const postUrl = () => `${shared.url}?post=${POST}`;

let server;
before(async () => {
  server = await startJsonServer();
});
after(async () => {
  await server?.close();
});

const PASSAGE = "the release of prisoners from camps ran by the GULAG";
const LATER = "These prisoners were a perfect example of the injustices";

async function openPost(options = {}) {
  const run = await openPage(shared.browser, options);
  await run.page.goto(postUrl());
  await run.page.locator("form.composer").waitFor();
  return run;
}

async function postQuoting(page, words, name, body) {
  await selectInPost(page, words);
  await page.getByRole("button", { name: "Comment on this passage", exact: true }).click();
  await postFromComposer(page, words, name, body);
}

async function postFromComposer(page, words, name, body) {
  const composer = page.locator(".thread > form.composer");
  await eventually(async () => assert.equal(await composer.locator(".composer-passage blockquote").textContent(), words));
  await composer.getByLabel("Name", { exact: true }).fill(name);
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  await composer.getByRole("button", { name: "Post comment" }).click();
  await page.locator("li.comment", { hasText: body }).waitFor();
  // The highlight is drawn before anything else is selected.
  await eventually(async () => assert.ok((await marksText(page)).includes(words.slice(0, 10))));
}

const marksText = (page) =>
  page.locator(".post-body mark.passage").evaluateAll((marks) => marks.map((m) => m.textContent).join(""));

/**
 * The author edits the post after it was commented on: `edit` changes its text both where the
 * app reads it at run time (index.md) and in the page the build wrote for it.
 */
async function rewritePost(page, edit) {
  for (const pattern of ["**/index.md", "**/the-struggle-for-freedom.html"]) {
    await page.route(pattern, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: edit(await response.text()) });
    });
  }
}

describe("commenting on a passage", () => {
  test("select, comment, see the quote on the comment and the highlight with its count; it survives a reload", async () => {
    const run = await openPost();
    const { page } = run;
    await postQuoting(page, PASSAGE, "Quinn", "Why ran and not run?");
    const comment = page.locator("li.comment", { hasText: "Why ran and not run?" });
    assert.equal(await comment.locator(".comment-passage blockquote").textContent(), PASSAGE);
    assert.equal(await page.locator(".thread > form.composer .composer-passage").count(), 0, "the quote leaves the composer");
    await eventually(async () => assert.equal(await marksText(page), PASSAGE));
    const count = page.locator(".post-body .passage-count");
    assert.equal(await count.textContent(), "1");
    assert.equal(await count.getAttribute("aria-label"), "1 comment on this passage");
    const saved = await readStoredThread(page, POST);
    const target = saved.comments.find((c) => c.body === "Why ran and not run?").target;
    assert.deepEqual(
      target.selector.map((s) => s.type).sort(),
      ["TextPositionSelector", "TextQuoteSelector"],
    );
    assert.equal(target.selector.find((s) => s.type === "TextQuoteSelector").exact, PASSAGE);
    // The count leads to the comment; the comment leads back to the passage.
    await count.click();
    await eventually(async () => assert.match(await comment.getAttribute("class"), /is-passage-comment|is-highlighted/));
    await comment.getByRole("button", { name: "Show in the post" }).click();
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.className), "passage-count"));
    await page.screenshot({ path: screenshotPath("passage-highlight") });
    await page.reload();
    await eventually(async () => assert.equal(await marksText(page), PASSAGE));
    // The text around the highlight reads as before.
    const paragraph = await page.locator(".post-body > p").first().evaluate((p) => {
      const copy = p.cloneNode(true);
      copy.querySelectorAll(".passage-count").forEach((c) => c.remove());
      return copy.textContent;
    });
    assert.match(paragraph, /was the release of prisoners from camps ran by the GULAG \(Main/);
    await run.finish();
  });

  test("by keyboard: Shift+arrows select, C opens the composer with the quotation", async () => {
    // A keyboard reader selects text with caret browsing (F7 in Chromium), on here from the start.
    const browser = await launchChromium({ extraArgs: ["--enable-caret-browsing"] });
    const run = await openPage(browser);
    const { page } = run;
    await page.goto(postUrl());
    await page.locator("form.composer").waitFor();
    // Caret browsing puts a caret in the text; here it is placed where the passage starts.
    await page.evaluate((words) => {
      const walker = document.createTreeWalker(document.querySelector(".post-body"), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(words);
        if (at >= 0) {
          getSelection().collapse(node, at);
          return;
        }
      }
    }, LATER);
    for (let i = 0; i < "These prisoners".length; i++) await page.keyboard.press("Shift+ArrowRight");
    assert.equal(await page.evaluate(() => getSelection().toString()), "These prisoners");
    await page.getByRole("button", { name: "Comment on this passage", exact: true }).waitFor();
    await page.keyboard.press("c");
    const field = page.locator(".thread > form.composer").getByLabel("Comment", { exact: true });
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement.tagName), "TEXTAREA"));
    assert.equal(await field.inputValue(), "", "the C key is not typed into the comment");
    await postFromComposer(page, "These prisoners", "Kim", "Who were they?");
    await eventually(async () => assert.equal(await marksText(page), "These prisoners"));
    await run.finish();
    await browser.close();
  });

  test("on a touch screen the action is tapped", async () => {
    const context = await shared.browser.newContext({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    await page.goto(postUrl());
    await page.locator("form.composer").waitFor();
    await selectInPost(page, "mining operations");
    await page.getByRole("button", { name: "Comment on this passage", exact: true }).tap();
    await postFromComposer(page, "mining operations", "Tam", "Which mines?");
    await eventually(async () => assert.equal(await marksText(page), "mining operations"));
    await context.close();
  });

  test("overlapping passages are both highlighted, and the overlap leads to both comments", async () => {
    const run = await openPost();
    const { page } = run;
    await postQuoting(page, "forced labor camps became an important resource", "Ada", "On the camps.");
    await postQuoting(page, "an important resource for many industries", "Bo", "On the industries.");
    await eventually(async () => assert.equal(await page.locator(".post-body .passage-count").count(), 2));
    const overlap = page.locator(".post-body mark.passage", { hasText: "an important resource" });
    await overlap.waitFor();
    assert.equal((await overlap.getAttribute("data-comments")).split(" ").length, 2);
    await overlap.click();
    await eventually(async () => assert.equal(await page.locator("li.comment.is-passage-comment, .is-passage-comment").count(), 2));
    // Both counts are reachable by keyboard.
    for (const count of await page.locator(".post-body .passage-count").all()) {
      assert.equal(await count.evaluate((c) => c.tagName), "BUTTON");
    }
    await page.screenshot({ path: screenshotPath("passage-overlap") });
    await run.finish();
  });

  test("a passage the post no longer has shows as orphaned, with its quotation", async () => {
    const run = await openPost();
    const { page } = run;
    await postQuoting(page, PASSAGE, "Quinn", "About the release.");
    // The author rewrites the post: the passage is gone, and words are added before another.
    await rewritePost(page, (text) =>
      text
        .replace("was the release of prisoners from camps ran by the GULAG", "was an amnesty")
        .replace("The Soviet GULAG", "Indeed, as many have written, the Soviet GULAG"),
    );
    await page.reload();
    const comment = page.locator("li.comment", { hasText: "About the release." });
    await eventually(async () => assert.match(await comment.locator(".comment-passage").textContent(), /Orphaned/));
    assert.equal(await comment.locator(".comment-passage blockquote").textContent(), PASSAGE);
    assert.equal(await page.locator(".post-body mark.passage").count(), 0);
    await run.finish();
  });

  test("a passage stays anchored when words are inserted before it and inside it", async () => {
    const run = await openPost();
    const { page } = run;
    await postQuoting(page, PASSAGE, "Quinn", "Anchored?");
    await rewritePost(page, (text) =>
      text
        .replace("One of the most significant", "Surely one of the very most significant")
        .replace("camps ran by the GULAG", "camps that were ran by the GULAG"),
    );
    await page.reload();
    await eventually(async () => assert.equal(await marksText(page), "the release of prisoners from camps that were ran by the GULAG"));
    await run.finish();
  });

  test("axe-core finds no violations with highlights, a quoting composer and a quoted comment", async () => {
    const run = await openPost();
    const { page } = run;
    await postQuoting(page, PASSAGE, "Quinn", "Accessible?");
    await selectInPost(page, LATER);
    await page.getByRole("button", { name: "Comment on this passage", exact: true }).click();
    await page.locator(".thread > form.composer .composer-passage").waitFor();
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
    assert.deepEqual(violations, []);
    await run.finish();
  });
});

describe("passages with the REST store", () => {
  test("a passage comment reaches the server with its W3C selectors and another reader sees the highlight", async () => {
    const restPage = async () => {
      const run = await openPage(shared.browser);
      await run.context.route("**/config.json", (route) =>
        route.fulfill({ json: { store: { kind: "rest", url: server.url, pollSeconds: 1 } } }),
      );
      await run.page.goto(postUrl());
      await run.page.locator("form.composer").waitFor();
      return run;
    };
    const a = await restPage();
    const b = await restPage();
    await postQuoting(a.page, PASSAGE, "Ana", "Remote passage.");
    await eventually(async () => {
      const [record] = (await server.records("comments", `?postId=${POST}`)).filter((c) => c.body === "Remote passage.");
      assert.ok(record, "on the server");
      const quote = record.target.selector.find((s) => s.type === "TextQuoteSelector");
      const position = record.target.selector.find((s) => s.type === "TextPositionSelector");
      assert.equal(quote.exact, PASSAGE);
      assert.ok(position.end - position.start === PASSAGE.length);
    });
    // B reads from the top, so the new comment waits behind the "new comments" button.
    await b.page.getByRole("button", { name: /new comment/ }).click({ timeout: 6_000 });
    await eventually(async () => assert.equal(await marksText(b.page), PASSAGE));
    await a.finish();
    await b.finish();
  });
});
