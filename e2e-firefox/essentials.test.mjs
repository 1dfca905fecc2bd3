// The end-to-end essentials in Firefox ESR (WebDriver, geckodriver): the seed post renders with
// no console error, a comment survives a reload, a citation popover works by keyboard, and the
// framed app tells its host page its height. Each test has a fresh Firefox profile (empty
// storage) and fails on any console error or uncaught exception recorded over WebDriver BiDi.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { By, Key } from "selenium-webdriver";
import { eventually, launchFirefox, testInFirefox, useSeedSite } from "./firefox.mjs";
import { activeId, count, openSeedPost, postComment, press, textOf } from "./seed-page.mjs";
import { RECORD_MESSAGES, startHostPage } from "./host-page.mjs";

const { postUrl } = useSeedSite();

const it = testInFirefox;

const popoverShown = (driver) =>
  driver.executeScript(() => {
    const popover = document.getElementById("cite-pop-1");
    return Boolean(popover) && popover.getClientRects().length > 0 && getComputedStyle(popover).visibility !== "hidden";
  });

describe("Firefox: the problem watcher", () => {
  test("records a console error and an uncaught exception (so the other tests can fail)", { timeout: 60_000 }, async () => {
    const firefox = await launchFirefox();
    try {
      await firefox.driver.get(postUrl());
      await firefox.driver.executeScript(() => {
        console.error("watcher check: console");
        setTimeout(() => {
          throw new Error("watcher check: uncaught");
        });
      });
      await eventually(() => {
        assert.ok(firefox.problems.some((line) => line.includes("watcher check: console")), firefox.problems.join("\n"));
        assert.ok(firefox.problems.some((line) => line.startsWith("uncaught:") && line.includes("watcher check: uncaught")), firefox.problems.join("\n"));
      });
      assert.throws(() => firefox.assertNoProblems(), /watcher check/);
    } finally {
      await firefox.quit();
    }
  });
});

describe("Firefox: the seed post", () => {
  it("renders its title, every paragraph and the four seed comments with no console error", async ({ driver }) => {
    await openSeedPost(driver, postUrl());
    assert.equal(await textOf(driver, "article.post h1"), "The Struggle for Freedom");
    const paragraphs = await driver.executeScript(() =>
      [...document.querySelectorAll("article.post p")].map((p) => p.textContent.trim()).filter(Boolean),
    );
    assert.ok(paragraphs.length >= 5, `paragraphs: ${paragraphs.length}`);
    assert.ok(paragraphs.some((p) => p.includes("Stalin")), "the post's text is there");
    const authors = await driver.executeScript(() =>
      [...document.querySelectorAll("section.thread li.comment")].map((c) => c.textContent),
    );
    for (const author of ["Parker Nguyen", "Maya Chen", "Sam Okafor", "Alex Romero"]) {
      assert.ok(authors.some((text) => text.includes(author)), `${author}'s comment`);
    }
    // Let late work (the citation worker, the thread module) finish inside the watched window.
    await eventually(async () => assert.equal(await driver.findElement(By.id("cite-1")).getAttribute("aria-haspopup"), "dialog"), 20_000);
  });

  it("keeps a posted comment across a reload (localStorage)", async ({ driver }) => {
    await openSeedPost(driver, postUrl());
    await postComment(driver, { name: "Firefox Reader", body: "Posted from Firefox ESR.", number: "5" });
    assert.equal(await textOf(driver, "#thread-heading"), "5 comments");
    await driver.navigate().refresh();
    await eventually(async () => {
      assert.equal(await count(driver, "section.thread li.comment"), 5);
      assert.match(await textOf(driver, 'li.comment[id="comment-5"] article'), /Firefox Reader.*Posted from Firefox ESR\./);
    }, 20_000);
  });

  it("opens the citation's popover by keyboard, closes it with Escape and returns focus", async ({ driver }) => {
    await openSeedPost(driver, postUrl());
    const citation = await driver.findElement(By.css("button.citation"));
    await eventually(async () => assert.equal(await citation.getAttribute("aria-haspopup"), "dialog"), 20_000);
    await driver.executeScript((button) => button.focus(), citation);
    assert.equal(await activeId(driver), "cite-1");
    // Focus resting on the citation previews it; Escape closes the preview.
    await eventually(async () => assert.ok(await popoverShown(driver)));
    await press(driver, Key.ESCAPE);
    await eventually(async () => assert.ok(!(await popoverShown(driver))));
    await press(driver, Key.ENTER);
    await eventually(async () => {
      assert.ok(await popoverShown(driver));
      assert.equal(await citation.getAttribute("aria-expanded"), "true");
    });
    // The reference is formatted by the citation worker, which may still be at it.
    await eventually(async () => assert.match(await textOf(driver, "#cite-pop-1"), /Freeze/), 20_000);
    // Tab goes into the popover; Escape from there closes it and focus comes back.
    await press(driver, Key.TAB);
    assert.equal(await driver.executeScript(() => document.activeElement.closest(".cite-popover")?.id), "cite-pop-1");
    await press(driver, Key.ESCAPE);
    await eventually(async () => assert.ok(!(await popoverShown(driver))));
    assert.equal(await citation.getAttribute("aria-expanded"), "false");
    assert.equal(await activeId(driver), "cite-1");
  });
});

describe("Firefox: framed in a host page", () => {
  it("tells examples/embed.html its height (both messages), and the frame grows when a comment is posted", async ({ driver, addPreloadScript }) => {
    await addPreloadScript(RECORD_MESSAGES);
    const host = await startHostPage(postUrl());
    try {
      await driver.get(host.url);
      /** The heights heard so far, per message kind. */
      const heard = () =>
        driver.executeScript(() =>
          window.heard.flatMap((data) => {
            if (typeof data === "string") {
              try {
                const parsed = JSON.parse(data);
                return parsed?.subject === "lti.frameResize" ? [{ kind: "lti.frameResize", height: parsed.height }] : [];
              } catch {
                return [];
              }
            }
            return data?.type === "colloquy:resize" ? [{ kind: "colloquy:resize", height: data.height }] : [];
          }),
        );
      // The content box (the example gives the frame a border), which the listener sets.
      const frameHeight = () => driver.executeScript(() => document.getElementById("colloquy").clientHeight);
      const frame = await driver.findElement(By.id("colloquy"));
      await driver.switchTo().frame(frame);
      await openSeedPostInFrame(driver);
      await driver.switchTo().defaultContent();
      const latest = async (kind) => (await heard()).filter((message) => message.kind === kind).at(-1)?.height;
      const before = await eventually(async () => {
        for (const kind of ["colloquy:resize", "lti.frameResize"]) {
          const height = await latest(kind);
          assert.equal(typeof height, "number", `no ${kind} message with a numeric height reached the host page`);
          assert.ok(height > 0);
        }
        const height = await latest("colloquy:resize");
        // The example's listener set the frame to the reported height.
        assert.ok(Math.abs((await frameHeight()) - height) <= 1, `frame ${await frameHeight()} px, reported ${height} px`);
        return height;
      }, 20_000);
      await driver.switchTo().frame(frame);
      await postComment(driver, { name: "Framed Reader", body: "A long comment that makes the thread taller. ".repeat(6).trim(), number: "5" });
      await driver.switchTo().defaultContent();
      await eventually(async () => {
        const after = await latest("colloquy:resize");
        assert.ok(after > before, `height after posting ${after}, before ${before}`);
        assert.equal(await latest("lti.frameResize"), after);
        assert.ok(Math.abs((await frameHeight()) - after) <= 1, `the frame follows the message: ${await frameHeight()} vs ${after}`);
      });
    } finally {
      await host.close();
    }
  });
});

/** Like openSeedPost, for the app already loading in the current frame. */
async function openSeedPostInFrame(driver) {
  await eventually(async () => {
    assert.equal(await count(driver, "section.thread li.comment"), 4);
    assert.equal(await count(driver, "form.composer"), 1);
  }, 20_000);
}
