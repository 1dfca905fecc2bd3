// Fallbacks in Firefox ESR, each forced where Firefox has the feature: the citation popover
// without the Popover API (shown and hidden by the `hidden` attribute), and the thread framed
// by another site with third-party storage blocked (localStorage throws SecurityError: the
// thread works in memory and says so). Fails on any console error or uncaught exception.
import { describe } from "node:test";
import assert from "node:assert/strict";
import { By, Key } from "selenium-webdriver";
import { eventually, testInFirefox, useSeedSite } from "./firefox.mjs";
import { startHostPage } from "./host-page.mjs";
import { count, press } from "./seed-page.mjs";

const { postUrl } = useSeedSite();

const it = testInFirefox;

/** The popover's state as the fallback sets it, and whether it takes room on screen. */
const popoverState = (driver) =>
  driver.executeScript(() => {
    const popover = document.getElementById("cite-pop-1");
    const rect = popover.getBoundingClientRect();
    return {
      hasPopoverAttribute: popover.hasAttribute("popover"),
      hidden: popover.hidden,
      shown: popover.getClientRects().length > 0 && rect.width > 0 && rect.height > 0,
      inViewport: rect.top >= 0 && rect.bottom <= innerHeight && rect.left >= 0 && rect.right <= innerWidth,
    };
  });

describe("Firefox fallbacks", () => {
  it("without the Popover API, the citation popover opens by Enter, closes by Escape and returns focus", async ({ driver, addPreloadScript }) => {
    // Firefox ESR has the Popover API; take it away before the app starts.
    await addPreloadScript(`() => {
      HTMLElement.prototype.showPopover = undefined;
      HTMLElement.prototype.hidePopover = undefined;
      HTMLElement.prototype.togglePopover = undefined;
    }`);
    await driver.get(postUrl());
    const citation = await eventually(async () => {
      const button = await driver.findElement(By.id("cite-1"));
      assert.equal(await button.getAttribute("aria-haspopup"), "dialog");
      return button;
    }, 20_000);
    const closed = await popoverState(driver);
    assert.deepEqual([closed.hasPopoverAttribute, closed.hidden, closed.shown], [false, true, false], "closed: hidden, no popover attribute");
    await driver.executeScript((button) => button.focus(), citation);
    // The focus preview opens it too; wait for that, close it, then open it on purpose.
    await eventually(async () => assert.ok((await popoverState(driver)).shown));
    await press(driver, Key.ESCAPE);
    await eventually(async () => assert.ok(!(await popoverState(driver)).shown));
    await press(driver, Key.ENTER);
    await eventually(async () => {
      const open = await popoverState(driver);
      assert.ok(open.shown && !open.hidden, JSON.stringify(open));
      assert.ok(open.inViewport, `placed inside the viewport: ${JSON.stringify(open)}`);
    });
    assert.equal(await citation.getAttribute("aria-expanded"), "true");
    await press(driver, Key.ESCAPE);
    await eventually(async () => assert.ok((await popoverState(driver)).hidden));
    assert.equal(await driver.executeScript(() => document.activeElement?.id), "cite-1");
  });

  it(
    "framed by another site with third-party storage blocked, the thread works in memory and says so",
    async ({ driver }) => {
      const host = await startHostPage(postUrl(), { hostname: "localhost" });
      try {
        await driver.get(host.url);
        await driver.switchTo().frame(await driver.findElement(By.id("colloquy")));
        // The engine really blocks it here (not a stub): reading localStorage throws.
        await eventually(async () => {
          const blocked = await driver.executeScript(() => {
            try {
              void window.localStorage.length;
              return "available";
            } catch (error) {
              return error.name;
            }
          });
          assert.equal(blocked, "SecurityError");
        });
        await eventually(async () => {
          assert.equal(await count(driver, "section.thread li.comment"), 4);
          const notice = await driver.executeScript(() => document.querySelector(".store-notice")?.textContent ?? "");
          assert.match(notice, /will not be kept/);
        }, 20_000);
        const composer = await driver.findElement(By.css("form.composer"));
        await composer.findElement(By.css("input")).sendKeys("Blocked Storage");
        await composer.findElement(By.css("textarea")).sendKeys("Kept in memory only.");
        await composer.findElement(By.css('button[type="submit"]')).click();
        await eventually(async () => assert.equal(await count(driver, "section.thread li.comment"), 5));
        assert.equal(await driver.executeScript(() => document.querySelector("article.post h1")?.textContent), "The Struggle for Freedom");
      } finally {
        await host.close();
      }
    },
    // Firefox's "block third-party cookies" setting, which also blocks framed storage.
    { prefs: { "network.cookie.cookieBehavior": 1 } },
  );
});
