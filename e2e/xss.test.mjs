// Cross-site scripting: well-known payloads (OWASP filter-evasion cheat sheet, PortSwigger,
// PayloadsAllTheThings kinds) posted through the composer and planted in localStorage must
// show as text and never become markup, event handlers or script URLs.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { openPage, screenshotPath, useSiteAndBrowser, eventually } from "./harness.mjs";

const POST = "the-struggle-for-freedom";
const THREAD_KEY = `colloquy:thread:${POST}`;
const PAYLOADS = JSON.parse(readFileSync(new URL("./xss-payloads.json", import.meta.url), "utf8"));
const payload = (name) => {
  const found = PAYLOADS.find((p) => p.name === name);
  assert.ok(found, `no payload called ${name}`);
  return found.payload;
};

const shared = useSiteAndBrowser();

const postUrl = () => `${shared.url}?post=${POST}`;

function it(name, body) {
  test(name, { timeout: 120_000 }, async () => {
    const run = await openPage(shared.browser);
    run.context.setDefaultTimeout(15_000);
    // Every payload that runs counts here (or opens a dialog, which the harness records).
    await run.context.addInitScript(() => {
      window.__xss = 0;
    });
    try {
      await body(run);
    } catch (error) {
      const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase().slice(0, 60);
      await run.page.screenshot({ path: screenshotPath(`xss-fail-${slug}`) }).catch(() => {});
      await run.context.close().catch(() => {});
      if (run.problems.length) error.message += `\npage problems:\n${run.problems.join("\n")}`;
      throw error;
    }
    await run.finish();
  });
}

const byNumber = (page, number) => page.locator(`li.comment[id="comment-${number}"]`);
const topComposer = (page) => page.locator("form.composer:not(li.comment form)");
const button = (scope, name) => scope.getByRole("button", { name, exact: true });

/** Removes what browsers ignore in a URL scheme and what the composer strips: C0/C1 controls, DEL, whitespace. */
const squeeze = (s) => s.replace(/[\u0000-\u0020\u007f-\u009f\s]/g, "");
/** Text as shown: controls removed, whitespace runs as one space, trimmed. */
const shown = (s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").replace(/\s+/g, " ").trim();

/** Everything that would let a payload run, found anywhere in the document. */
async function dangerousMarkup(page) {
  return page.evaluate(() => {
    const found = [];
    const describe = (el) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.split(/\s+/).join(".")}` : ""}>`;
    const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"];
    const squeeze = (s) => s.replace(/[\u0000-\u0020\u007f-\u009f\s]/g, "").toLowerCase();
    for (const el of document.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) found.push(`${describe(el)} has handler ${name}=${attr.value.slice(0, 80)}`);
        if (name === "srcdoc") found.push(`${describe(el)} has srcdoc`);
        if (urlAttributes.includes(name) || name.endsWith(":href")) {
          const value = squeeze(attr.value);
          if (/^(javascript|data|vbscript):/.test(value)) {
            found.push(`${describe(el)} has ${name}=${attr.value.slice(0, 80)}`);
          }
        }
      }
    }
    const thread = document.querySelector("section.thread");
    if (!thread) return [...found, "no section.thread"];
    const forbidden =
      "script, iframe, object, embed, img, svg, style, meta, base, form, link, frame, frameset, applet, video, audio, source, math, template";
    for (const el of thread.querySelectorAll(forbidden)) {
      if (el.matches("form.composer")) continue;
      found.push(`${describe(el)} inside section.thread`);
    }
    return found;
  });
}

async function assertSafe(page) {
  const found = await dangerousMarkup(page);
  assert.deepEqual(found, [], `dangerous markup:\n${found.join("\n")}`);
  assert.equal(await page.evaluate(() => window.__xss), 0, "a payload ran (window.__xss was incremented)");
}

describe("payloads posted through the composer", () => {
  const chosen = [
    "script tag",
    "img onerror",
    "markdown link javascript",
    "autolink javascript",
    "markdown image onerror breakout",
    "reference link javascript",
    "svg onload",
    "textarea breakout",
  ];

  it("show as text as name and comment, in the preview, in a restored draft and after a reload", async ({
    page,
  }) => {
    await page.goto(postUrl());
    await page.locator("li.comment").nth(3).waitFor();
    const composer = topComposer(page);
    await composer.waitFor();
    const nameField = composer.getByLabel("Name", { exact: true });
    const commentField = composer.getByLabel("Comment", { exact: true });

    for (const [index, name] of chosen.entries()) {
      const text = payload(name);
      await nameField.fill([...text].slice(0, 80).join(""));
      // What the field holds (a text input drops line breaks), as the thread should show it.
      const author = shown(await nameField.inputValue());
      await commentField.fill(text);
      if (index === 0) {
        // The preview renders the payload too.
        await button(composer, "Preview").click();
        await composer.locator(".composer-preview").waitFor();
        await assertSafe(page);
        await button(composer, "Preview").click();
      }
      await button(composer, "Post comment").click();
      const number = String(5 + index);
      const article = byNumber(page, number).locator("article").first();
      await article.waitFor();
      assert.equal(shown(await article.locator(".comment-author").textContent()), author, `author of ${name}`);
      assert.equal(await article.getAttribute("aria-label"), `Comment ${number} by ${author}`);
    }
    await assertSafe(page);

    // Plain text survives as text (HTML in Markdown is shown, not parsed).
    const bodyOf = async (number) => shown(await byNumber(page, number).locator(".comment-body").first().textContent());
    assert.equal(await bodyOf("5"), payload("script tag"));
    assert.equal(await bodyOf("6"), payload("img onerror"));
    assert.equal(await bodyOf("11"), payload("svg onload"));
    assert.equal(await bodyOf("12"), payload("textarea breakout"));
    // Refused links keep their text (once the content worker has rendered the Markdown).
    await eventually(async () => assert.equal(await bodyOf("7"), "x"));
    assert.equal(await byNumber(page, "7").locator(".comment-body a").count(), 0);

    // A draft holding a payload comes back as the textarea's value, not as markup.
    const draft = payload("polyglot (javascript URL)");
    await commentField.fill(draft);
    await page.waitForFunction(
      (needle) => Object.keys(localStorage).some((k) => (localStorage.getItem(k) ?? "").includes(needle)),
      draft.slice(0, 40),
    );
    await page.reload();
    await byNumber(page, "12").waitFor();
    await topComposer(page).waitFor();
    assert.equal(await topComposer(page).getByLabel("Comment", { exact: true }).inputValue(), draft);
    await eventually(async () => assert.equal(await bodyOf("7"), "x"));
    await assertSafe(page);
    await page.waitForTimeout(300);
    await assertSafe(page);
  });
});

describe("payloads planted in localStorage", () => {
  it("every payload renders as text as author and body, including replies, likes and odd fields", async ({
    page,
    context,
  }) => {
    const base = Date.parse("2026-11-20T00:00:00.000Z");
    const at = (i) => new Date(base + i * 60_000).toISOString();
    const comments = PAYLOADS.map((p, i) => ({
      id: `xss-${i}`,
      postId: POST,
      // Every seventh comment replies to the one before it.
      parentId: i > 0 && i % 7 === 0 ? `xss-${i - 1}` : null,
      author: p.payload,
      authorKey: null,
      body: p.payload,
      createdAt: at(i),
      updatedAt: at(i),
      deleted: false,
    }));
    const n = PAYLOADS.length;
    comments.push(
      // A comment whose id, author key and times are payloads.
      {
        id: '"><img src=x onerror=window.__xss++>',
        postId: POST,
        parentId: null,
        author: "Odd Fields",
        authorKey: '"><svg onload=window.__xss++>',
        body: "odd fields body",
        createdAt: `${at(n)}" onmouseover="window.__xss++`,
        updatedAt: "<script>window.__xss++</script>",
        deleted: false,
      },
      // A deleted comment with a reply: its placeholder must not show the payload either.
      {
        id: "xss-deleted",
        postId: POST,
        parentId: null,
        author: "<img src=x onerror=window.__xss++>",
        authorKey: null,
        body: "<script>window.__xss++</script>",
        createdAt: at(n + 1),
        updatedAt: at(n + 2),
        deleted: true,
      },
      {
        id: "xss-under-deleted",
        postId: POST,
        parentId: "xss-deleted",
        author: "Under Deleted",
        authorKey: null,
        body: "[x](javascript:window.__xss++)",
        createdAt: at(n + 3),
        updatedAt: at(n + 3),
        deleted: false,
      },
    );
    const likes = [
      { commentId: "xss-0", browserId: "<script>window.__xss++</script>", liked: true, updatedAt: at(n + 4) },
      { commentId: "xss-1", browserId: '"><img src=x onerror=alert(1)>', liked: true, updatedAt: at(n + 4) },
      { commentId: "<img src=x onerror=alert(1)>", browserId: "b", liked: true, updatedAt: at(n + 4) },
    ];
    const thread = JSON.stringify({ version: 2, postId: POST, comments, likes });
    await context.addInitScript(
      ({ key, thread }) => {
        if (location.protocol !== "http:" || sessionStorage.getItem("planted")) return;
        sessionStorage.setItem("planted", "1");
        localStorage.setItem(key, thread);
      },
      { key: THREAD_KEY, thread },
    );

    await page.goto(postUrl());
    const authorsLocator = page.locator("section.thread .comment-author");
    // The thread renders what the reader nears: scroll to its end until all are rendered.
    await page.waitForFunction((count) => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      return document.querySelectorAll("section.thread li.comment").length >= count;
    }, PAYLOADS.length + 2);
    assert.equal(await page.locator(".store-notice").count(), 0, "the planted data is readable");
    await assertSafe(page);
    // Bodies are empty placeholders until the content worker has rendered their Markdown; wait for
    // the rendered form of the longest one (its refused links shrink to their text).
    await page.waitForFunction(() =>
      [...document.querySelectorAll("section.thread .comment-body")].some(
        (b) => b.textContent.length >= 80_000 && !b.textContent.includes("[x](javascript:"),
      ),
    );
    await assertSafe(page);

    // Every payload is somebody's name, as text.
    const authors = new Set((await authorsLocator.allTextContents()).map(shown));
    const missing = PAYLOADS.filter((p) => !authors.has(shown(p.payload))).map((p) => p.name);
    assert.deepEqual(missing, [], "payloads not shown as an author's name");

    // Spot checks of bodies that Markdown leaves as text.
    const bodies = (await page.locator("section.thread .comment-body").allTextContents()).map(shown);
    for (const name of [
      "script tag",
      "img onerror",
      "svg onload",
      "iframe srcdoc script",
      "body onload",
      "meta refresh javascript",
      "form action javascript",
      "textarea breakout",
    ]) {
      assert.ok(bodies.includes(shown(payload(name))), `body of ${name} shown as text`);
    }
    const long = PAYLOADS.find((p) => p.payload.length === 100_000);
    assert.ok(long, "a 100,000-character payload is in the list");
    // Its refused Markdown links shrink to their text, so the shown body is a little shorter.
    assert.ok(
      bodies.some((b) => b.length >= 80_000 && b.startsWith("<img src=x onerror=window.__xss++> x ")),
      "the 100,000-character body is shown",
    );
    assert.ok(bodies.includes("odd fields body"), "a comment with hostile id and times is shown");

    const deleted = page.locator("li.comment.is-deleted");
    assert.equal(await deleted.count(), 1);
    assert.match(await deleted.locator("article").first().textContent(), /Comment deleted/);

    // Interaction does not wake anything up: hover and focus every link in the thread.
    for (const link of await page.locator("section.thread .comment-body a").all()) {
      await link.hover().catch(() => {});
      await link.focus().catch(() => {});
    }
    await page.waitForTimeout(300);
    await assertSafe(page);
  });
});
