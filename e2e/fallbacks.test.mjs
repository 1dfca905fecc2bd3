// Fallbacks forced in Chromium, which has every feature the app can do without: the citation
// popover with the Popover API taken away (the `hidden` attribute shows and hides it, the same
// placement code keeps it in view), by keyboard and by mouse. The same fallback runs in Firefox
// in e2e-firefox/fallbacks.test.mjs.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, screenshotPath, useSiteAndBrowser } from "./harness.mjs";

const POST = "the-struggle-for-freedom";
const shared = useSiteAndBrowser();

/** A page whose documents have no Popover API (deleted before any script of the app runs). */
async function openWithoutPopoverApi() {
  const run = await openPage(shared.browser);
  await run.context.addInitScript(() => {
    delete HTMLElement.prototype.showPopover;
    delete HTMLElement.prototype.hidePopover;
    delete HTMLElement.prototype.togglePopover;
  });
  await run.page.goto(`${shared.url}?post=${POST}`);
  await eventually(async () => {
    assert.equal(await run.page.locator("#cite-1").getAttribute("aria-haspopup"), "dialog");
  }, 15_000);
  return run;
}

const state = (page) =>
  page.locator("#cite-pop-1").evaluate((popover) => {
    const rect = popover.getBoundingClientRect();
    return {
      hasPopoverAttribute: popover.hasAttribute("popover"),
      hidden: popover.hidden,
      shown: rect.width > 0 && rect.height > 0,
      inViewport: rect.top >= 0 && rect.bottom <= innerHeight && rect.left >= 0 && rect.right <= innerWidth,
    };
  });

describe("the citation popover without the Popover API", () => {
  test("is hidden until opened, opens by Enter in view, closes by Escape and returns focus", async () => {
    const run = await openWithoutPopoverApi();
    const { page } = run;
    assert.equal(await page.evaluate(() => typeof HTMLElement.prototype.showPopover), "undefined");
    assert.deepEqual(await state(page), { hasPopoverAttribute: false, hidden: true, shown: false, inViewport: true });
    await page.locator("#cite-1").focus();
    // Focus resting on the citation previews it; close that, then open it on purpose.
    await eventually(async () => assert.ok((await state(page)).shown));
    await page.keyboard.press("Escape");
    await eventually(async () => assert.ok(!(await state(page)).shown));
    await page.keyboard.press("Enter");
    await eventually(async () => {
      const open = await state(page);
      assert.ok(open.shown && !open.hidden && open.inViewport, JSON.stringify(open));
    });
    // The worker may still be formatting on a busy machine: the popover says so until then.
    await eventually(async () => assert.match(await page.locator("#cite-pop-1").textContent(), /Freeze/), 15_000);
    await page.screenshot({ path: screenshotPath("fallback-popover-no-api") });
    await page.keyboard.press("Escape");
    await eventually(async () => assert.ok((await state(page)).hidden));
    assert.equal(await page.evaluate(() => document.activeElement?.id), "cite-1");
    await run.finish();
  });

  test("opens by click and closes by a click elsewhere", async () => {
    const run = await openWithoutPopoverApi();
    const { page } = run;
    await page.locator("#cite-1").click();
    await eventually(async () => assert.ok((await state(page)).shown));
    assert.equal(await page.locator("#cite-1").getAttribute("aria-expanded"), "true");
    await page.locator("article.post h1").click();
    await eventually(async () => assert.ok((await state(page)).hidden));
    assert.equal(await page.locator("#cite-1").getAttribute("aria-expanded"), "false");
    await run.finish();
  });
});
