// Colloquy framed by a host page on another site, as in an LMS: examples/embed.html with the
// app in its iframe. The frame follows the content's height, the LMS message is sent too,
// popovers stay by their citation, and a localStorage-only thread says where comments stay.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import { closeServer, eventually, launchChromium, openPage, screenshotPath, startSite } from "./harness.mjs";

const example = readFileSync(new URL("../examples/embed.html", import.meta.url), "utf8");
const EXAMPLE_SRC = "https://courses.example.edu/colloquy/?post=the-struggle-for-freedom";

const shared = {};

before(async () => {
  shared.site = await startSite();
  // Another address is another site: the frame is cross-site, as an LMS's is.
  const page = example.replace(EXAMPLE_SRC, `${shared.site.url}?post=the-struggle-for-freedom`);
  assert.notEqual(page, example, "examples/embed.html no longer has the src the test replaces");
  // The same page with the frame hidden, as in an LMS module that is collapsed.
  const hidden = page.replace('<iframe\n      id="colloquy"', '<iframe\n      style="display: none"\n      id="colloquy"');
  assert.notEqual(hidden, page, "examples/embed.html no longer has the iframe the test hides");
  shared.host = http.createServer((req, res) => {
    const body = req.url.startsWith("/hidden/") ? hidden : page;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
  });
  await new Promise((resolve) => shared.host.listen(0, "127.0.0.2", resolve));
  shared.hostUrl = `http://127.0.0.2:${shared.host.address().port}/week-5.html`;
  // The same page from the app's own site (another port), where the frame may keep storage:
  // Chromium denies a cross-site frame localStorage.
  shared.sameSiteHost = http.createServer(shared.host.listeners("request")[0]);
  await new Promise((resolve) => shared.sameSiteHost.listen(0, "127.0.0.1", resolve));
  shared.sameSiteHostUrl = `http://127.0.0.1:${shared.sameSiteHost.address().port}/week-5.html`;
  shared.browser = await launchChromium();
});

after(async () => {
  await shared.browser?.close();
  await closeServer(shared.host);
  await closeServer(shared.sameSiteHost);
  await shared.site?.close();
});

/** Opens the host page, recording every message the frame posts to it. */
async function openHost(options) {
  const run = await openPage(shared.browser, options);
  await run.page.addInitScript(() => {
    window.heard = [];
    window.addEventListener("message", (event) => window.heard.push(event.data));
  });
  await run.page.goto(shared.hostUrl);
  const frame = run.page.frameLocator("#colloquy");
  await frame.locator("article.post h1").waitFor();
  await frame.locator(".thread .comments > li").first().waitFor();
  return { ...run, frame };
}

/** The iframe's height on the host page, and the height of the document inside it. */
async function heights(run) {
  const outer = await run.page.locator("#colloquy").evaluate((el) => el.getBoundingClientRect().height);
  const inner = await run.frame.locator("html").evaluate((html) => ({
    content: html.getBoundingClientRect().height,
    scrollHeight: html.scrollHeight,
    clientHeight: html.clientHeight,
  }));
  return { outer, ...inner };
}

async function assertFrameFitsContent(run) {
  await eventually(async () => {
    const { outer, content, scrollHeight, clientHeight } = await heights(run);
    // The frame has a 1px border on each side, around the content box the app reports into.
    assert.ok(Math.abs(outer - 2 - Math.ceil(content)) <= 1, `frame ${outer}, content ${content}`);
    assert.ok(scrollHeight <= clientHeight, `inner scrollbar: ${scrollHeight} > ${clientHeight}`);
  }, 10_000);
}

describe("framed in a host page (examples/embed.html)", () => {
  test("the frame's height follows the content as comments are added", async () => {
    const run = await openHost();
    await assertFrameFitsContent(run);
    const before = (await heights(run)).outer;
    assert.ok(before > 1500, `the whole post should be shown, frame is ${before}px`);

    for (const n of [1, 2]) {
      const composer = run.frame.locator(".composer").last();
      await composer.getByLabel("Name", { exact: true }).fill("Framed Reader");
      await composer.getByLabel("Comment", { exact: true }).fill(
        `Comment ${n} from inside the LMS frame.\n\nIt has a second paragraph, so it is tall.`,
      );
      await composer.getByRole("button", { name: "Post comment" }).click();
      await run.frame.getByText(`Comment ${n} from inside the LMS frame.`).waitFor();
    }
    await assertFrameFitsContent(run);
    const after = (await heights(run)).outer;
    assert.ok(after > before + 100, `two comments should grow the frame: ${before} → ${after}`);
    await run.page.screenshot({ path: screenshotPath("embed-host"), fullPage: true });
    await run.finish();
  });

  test("sends both the LMS message and colloquy:resize, each height a whole number", async () => {
    const run = await openHost();
    await assertFrameFitsContent(run);
    // The two messages of a change arrive as two tasks in the host page, so a read may fall
    // between them; the pairs must match once both are in.
    await eventually(async () => {
      const heard = await run.page.evaluate(() => window.heard);
      const canvas = heard
        .filter((data) => typeof data === "string")
        .map((data) => JSON.parse(data))
        .filter((data) => data.subject === "lti.frameResize");
      const ours = heard.filter((data) => data?.type === "colloquy:resize");
      assert.ok(canvas.length >= 1 && ours.length >= 1, JSON.stringify(heard));
      assert.equal(canvas.length, ours.length, JSON.stringify(heard));
      for (const [lms, own] of canvas.map((message, i) => [message, ours[i]])) {
        assert.ok(Number.isInteger(lms.height) && lms.height > 0, JSON.stringify(heard));
        assert.equal(lms.height, own.height, JSON.stringify(heard));
      }
      // Only changes are sent: no two messages in a row repeat a height.
      for (let i = 1; i < ours.length; i++) assert.notEqual(ours[i].height, ours[i - 1].height, JSON.stringify(heard));
    });
    await run.finish();
  });

  test("a frame that paints nothing (display: none) still loads its thread", async () => {
    // Browsers paint no frames in a hidden cross-site iframe (as in a background tab), so
    // work waiting for a paint must not wait for ever.
    const run = await openPage(shared.browser);
    await run.page.goto(shared.hostUrl.replace("/week-5.html", "/hidden/week-5.html"));
    const frame = run.page.frameLocator("#colloquy");
    assert.equal(await run.page.locator("#colloquy").isVisible(), false);
    await frame.locator(".thread .comments > li").first().waitFor({ state: "attached", timeout: 10_000 });
    // Shown at last, it reports its height and the host fits the frame to it.
    await run.page.locator("#colloquy").evaluate((iframe) => (iframe.style.display = "block"));
    await assertFrameFitsContent({ ...run, frame });
    await run.finish();
  });

  test("with localStorage only, says plainly that comments stay in this browser; the host's advice is in the console", async () => {
    const consoleLines = [];
    const run = await openPage(shared.browser);
    run.page.on("console", (message) => consoleLines.push(message.text()));
    await run.page.goto(shared.sameSiteHostUrl);
    const frame = run.page.frameLocator("#colloquy");
    const notice = frame.locator(".framed-notice");
    await notice.waitFor();
    assert.equal(
      await notice.textContent(),
      "Comments here are saved in this browser only, and some browsers clear them when you close this page.",
    );
    assert.equal(await frame.locator(".store-notice").count(), 1, "one message");
    assert.ok(consoleLines.some((line) => line.includes("docs/hosting.md")), JSON.stringify(consoleLines));
    await run.finish();
  });

  test("with storage blocked in the frame (as Chromium blocks a cross-site frame's), one message says the true thing", async () => {
    const run = await openPage(shared.browser);
    await run.context.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        configurable: true,
        get() {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
    });
    await run.page.goto(shared.hostUrl);
    const frame = run.page.frameLocator("#colloquy");
    await frame.locator(".thread .comments > li").first().waitFor();
    const notices = frame.locator(".store-notice");
    await eventually(async () => assert.equal(await notices.count(), 1));
    assert.match(await notices.textContent(), /will not be kept/);
    assert.equal(await frame.locator(".framed-notice").count(), 0);
    assert.doesNotMatch(await frame.locator("body").textContent(), /hosting\.md/);
    await run.finish();
  });

  test("on a phone, a citation's popover opens next to it inside the frame", async () => {
    const run = await openHost({ viewport: { width: 375, height: 700 } });
    await assertFrameFitsContent(run);
    const citation = run.frame.locator("button.citation").first();
    await citation.scrollIntoViewIfNeeded();
    await citation.click();
    const popover = run.frame.locator(".cite-popover:visible");
    await popover.waitFor();
    const [button, box] = await Promise.all([citation.boundingBox(), popover.boundingBox()]);
    const frameBox = await run.page.locator("#colloquy").boundingBox();
    assert.notEqual(await popover.getAttribute("data-placement"), "sheet");
    // Next to the citation (not at the far bottom of a frame thousands of pixels tall)...
    const gap = Math.min(Math.abs(box.y - (button.y + button.height)), Math.abs(button.y - (box.y + box.height)));
    assert.ok(gap < 20, `popover ${JSON.stringify(box)} is not next to the citation ${JSON.stringify(button)}`);
    // ...and inside the frame.
    assert.ok(box.x >= frameBox.x && box.x + box.width <= frameBox.x + frameBox.width, JSON.stringify({ box, frameBox }));
    await run.page.screenshot({ path: screenshotPath("embed-popover-375") });
    await run.finish();
  });
});

describe("not framed", () => {
  test("sends no resize messages and shows no framed notice", async () => {
    const run = await openPage(shared.browser);
    await run.page.goto(`${shared.site.url}?post=the-struggle-for-freedom`);
    await run.page.locator(".thread .comments > li").first().waitFor();
    assert.equal(await run.page.locator("html").getAttribute("data-framed"), null);
    assert.equal(await run.page.locator(".framed-notice").count(), 0);
    await run.finish();
  });
});
