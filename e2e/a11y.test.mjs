// WCAG 2.2 AA in Chromium: axe-core on every view in both themes, the post page by keyboard
// alone with a visible focus ring, targets of at least 24×24 px, and the one polite live region
// that announces new comments and save states.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { eventually, openPage, screenshotPath, useSiteAndBrowser } from "./harness.mjs";

const AXE = fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));
const WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const POST = "the-struggle-for-freedom";
const THEMES = ["light", "dark"];

const shared = useSiteAndBrowser();

/** Opens `query` (e.g. "?post=x") in `theme`, with the system preference set to match. */
async function openIn(theme, query = "", options = {}) {
  const run = await openPage(shared.browser, { colorScheme: theme, ...options });
  run.context.setDefaultTimeout(15_000);
  const separator = query ? "&" : "?";
  await run.page.goto(`${shared.url}${query}${separator}theme=${theme}`);
  return run;
}

/** The seed post with its citation formatted and its thread on screen. */
async function openPost(theme, options) {
  const run = await openIn(theme, `?post=${POST}`, options);
  await run.page.locator("ol.comments li.comment").first().waitFor();
  await eventually(async () => assert.match(await run.page.locator("#cite-1").textContent(), /Freeze, 2009/), 15_000);
  return run;
}

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary}`).join(" | ")}`,
    );
  }, WCAG_22_AA);
}

async function expectNoViolations(run, view, theme) {
  const violations = await axeViolations(run.page);
  if (violations.length) {
    await run.page.screenshot({ path: screenshotPath(`a11y-fail-${view}-${theme}`), fullPage: true });
  }
  assert.deepEqual(violations, [], `${view} in ${theme}`);
}

describe("axe-core (WCAG 2.2 AA) finds nothing", () => {
  for (const theme of THEMES) {
    test(`on the post list, ${theme}`, async () => {
      const run = await openIn(theme);
      await run.page.locator(".card").first().waitFor();
      await run.page.locator(".card a", { hasText: /comment/ }).first().waitFor();
      assert.equal(await run.page.locator("html").getAttribute("data-theme"), theme);
      await expectNoViolations(run, "list", theme);
      await run.finish();
    });

    test(`on the post and its thread, ${theme}`, async () => {
      const run = await openPost(theme);
      await expectNoViolations(run, "post", theme);
      await run.finish();
    });

    test(`with a citation popover open, ${theme}`, async () => {
      const run = await openPost(theme);
      await run.page.locator("#cite-1").click();
      await run.page.locator(".cite-popover").waitFor({ state: "visible" });
      await expectNoViolations(run, "popover", theme);
      await run.finish();
    });

    test(`on the thread with a reply open and a comment of one's own, ${theme}`, async () => {
      const run = await openPost(theme);
      const { page } = run;
      await page.getByLabel("Name", { exact: true }).fill("Ada Reader");
      await page.getByLabel("Comment", { exact: true }).fill("A comment of my own, to show Edit and Delete.");
      await page.getByRole("button", { name: "Post comment" }).click();
      await page.locator('li.comment[id="comment-5"]').waitFor();
      await page.locator('li.comment[id="comment-1"]').getByRole("button", { name: "Reply" }).first().click();
      await page.locator('li.comment[id="comment-1"] .composer').waitFor();
      await expectNoViolations(run, "thread", theme);
      await run.finish();
    });

    test(`on the composer showing a validation error, ${theme}`, async () => {
      const run = await openPost(theme);
      await run.page.getByRole("button", { name: "Post comment" }).click();
      await run.page.locator(".composer-errors li").first().waitFor();
      assert.equal(await run.page.getByLabel("Comment", { exact: true }).getAttribute("aria-invalid"), "true");
      await expectNoViolations(run, "composer-error", theme);
      await run.finish();
    });

    test(`on the error page of an unknown post, ${theme}`, async () => {
      const run = await openIn(theme, "?post=nope");
      await run.page.locator(".error-page").waitFor();
      await expectNoViolations(run, "not-found", theme);
      await run.finish();
    });

    test(`on the error page of a post whose file fails, ${theme}`, async () => {
      const run = await openPage(shared.browser, { colorScheme: theme, allowConsole: [/500/] });
      await run.page.route("**/content/posts.json", async (route) => {
        const response = await route.fetch();
        const posts = await response.json();
        posts.push({ slug: "broken", source: "posts/broken.md" });
        await route.fulfill({ response, json: posts });
      });
      await run.page.route("**/posts/broken.md", (route) => route.fulfill({ status: 500, body: "" }));
      await run.page.goto(`${shared.url}?post=broken&theme=${theme}`);
      await run.page.locator(".error-page").waitFor();
      await expectNoViolations(run, "post-failed", theme);
      await run.finish();
    });
  }
});

/** WCAG relative luminance of a computed `rgb(...)` colour. */
function luminance(color) {
  const [r, g, b] = color.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe("by keyboard alone", () => {
  for (const theme of THEMES) {
    test(`Tab reaches the theme control, a citation, the composer and its button, each with a visible focus ring (${theme})`, async () => {
      const run = await openPost(theme);
      const { page } = run;
      const wanted = {
        theme: (el) => el.matches(".theme-picker select"),
        citation: (el) => el.matches("button.citation"),
        composer: (el) => el.matches(".composer textarea"),
        post: (el) => el.matches('.composer button[type="submit"]'),
      };
      const reached = new Map();
      for (let presses = 0; presses < 400 && reached.size < Object.keys(wanted).length; presses++) {
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const style = getComputedStyle(el);
          // What the ring is drawn against: the nearest ancestor with a background.
          let back = el.parentElement;
          while (back && getComputedStyle(back).backgroundColor.match(/rgba\(.*, 0\)$|transparent/)) back = back.parentElement;
          const background = getComputedStyle(back ?? document.body).backgroundColor;
          return {
            matches: {
              theme: el.matches(".theme-picker select"),
              citation: el.matches("button.citation"),
              composer: el.matches(".composer textarea"),
              post: el.matches('.composer button[type="submit"]'),
            },
            focusVisible: el.matches(":focus-visible"),
            outlineStyle: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth),
            outlineColor: style.outlineColor,
            background,
          };
        });
        if (!focused) continue;
        for (const name of Object.keys(wanted)) {
          if (focused.matches[name] && !reached.has(name)) reached.set(name, focused);
        }
      }
      assert.deepEqual([...reached.keys()].sort(), Object.keys(wanted).sort(), "every control is reached by Tab");
      for (const [name, ring] of reached) {
        assert.ok(ring.focusVisible, `${name} matches :focus-visible`);
        assert.notEqual(ring.outlineStyle, "none", `${name} has an outline`);
        assert.ok(ring.outlineWidth >= 2, `${name}'s outline is ${ring.outlineWidth}px`);
        const ratio = contrast(ring.outlineColor, ring.background);
        assert.ok(ratio >= 3, `${name}'s ring ${ring.outlineColor} on ${ring.background} is ${ratio.toFixed(2)}:1`);
      }
      // The ring is what focus adds: without focus the same control has none.
      await page.evaluate(() => document.activeElement.blur());
      const unfocused = await page.locator(".composer button[type=submit]").evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.equal(unfocused, "none");
      await run.finish();
    });
  }
});

describe("targets", () => {
  test("every interactive element on the post page is at least 24×24 px, or spaced as WCAG 2.5.8 allows", async () => {
    const run = await openPost("light");
    const { page } = run;
    // One's own comment on a passage brings every kind of control on screen: Edit and
    // Delete, the passage's count in the post and its link back.
    await page.evaluate(() => {
      const walker = document.createTreeWalker(document.querySelector(".post-body"), NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf("railways and roads");
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + "railways and roads".length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        return;
      }
    });
    await page.getByRole("button", { name: "Comment on this passage", exact: true }).click();
    await page.getByLabel("Name", { exact: true }).fill("Ada Reader");
    await page.getByLabel("Comment", { exact: true }).fill("Mine.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await page.locator('li.comment[id="comment-5"]').waitFor();
    await page.locator(".post-body .passage-count").waitFor();
    const report = await page.evaluate(() => {
      const selector = 'a[href], button, select, input, textarea, summary, [tabindex]:not([tabindex="-1"]), [role="button"]';
      const targets = [...document.querySelectorAll(selector)]
        .map((el) => ({ el, rect: el.getBoundingClientRect() }))
        .filter(({ el, rect }) => rect.width > 0 && rect.height > 0 && getComputedStyle(el).visibility !== "hidden")
        .filter(({ el }) => !el.closest(".visually-hidden"));
      const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} "${el.textContent.trim().slice(0, 30)}"`;
      // A link inside a sentence is exempt (WCAG 2.5.8 "inline").
      const inline = (el) =>
        el.tagName === "A" &&
        getComputedStyle(el).display === "inline" &&
        [...el.parentElement.childNodes].some((n) => n !== el && n.nodeType === Node.TEXT_NODE && n.textContent.trim());
      const small = targets.filter(({ rect }) => rect.width < 24 - 0.01 || rect.height < 24 - 0.01);
      const center = (r) => [r.x + r.width / 2, r.y + r.height / 2];
      const circleHitsRect = ([cx, cy], r) => {
        const dx = Math.max(r.left - cx, 0, cx - r.right);
        const dy = Math.max(r.top - cy, 0, cy - r.bottom);
        return dx * dx + dy * dy < 12 * 12;
      };
      const failures = [];
      for (const target of small) {
        if (inline(target.el)) continue;
        const c = center(target.rect);
        const crowded = targets.some((other) => {
          if (other === target || other.el.contains(target.el) || target.el.contains(other.el)) return false;
          if (small.includes(other)) {
            const [ox, oy] = center(other.rect);
            return Math.hypot(ox - c[0], oy - c[1]) < 24;
          }
          return circleHitsRect(c, other.rect);
        });
        if (crowded) failures.push(`${describe(target.el)} is ${target.rect.width.toFixed(1)}×${target.rect.height.toFixed(1)}`);
      }
      return { checked: targets.length, failures };
    });
    assert.ok(report.checked > 20, `checked ${report.checked} targets`);
    assert.deepEqual(report.failures, []);
    await run.finish();
  });
});

describe("the polite live region", () => {
  /** Every text the thread's live region says, recorded as it changes. */
  async function recordAnnouncements(page) {
    await page.locator('#comments [aria-live="polite"]').waitFor({ state: "attached" });
    await page.evaluate(() => {
      const region = document.querySelector('#comments [aria-live="polite"]');
      window.__announced = [];
      new MutationObserver(() => window.__announced.push(region.textContent.trim())).observe(region, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    return () => page.evaluate(() => window.__announced.filter(Boolean));
  }

  test("is the thread's one live region, and announces a comment from another tab and one's own", async () => {
    const run = await openPost("light");
    const { page } = run;
    // The composer's errors are an alert of their own; everything else speaks politely here.
    const regions = await page.locator('#comments [aria-live="polite"], #comments [role="status"], #comments [role="log"]').count();
    assert.equal(regions, 1, "one polite live region in the thread");
    assert.equal(await page.locator('#comments [aria-live="polite"]').getAttribute("aria-atomic"), "true");
    const announced = await recordAnnouncements(page);

    const other = await run.context.newPage();
    await other.goto(`${shared.url}?post=${POST}`);
    await other.getByLabel("Name", { exact: true }).fill("Other Tab");
    await other.getByLabel("Comment", { exact: true }).fill("Written in another tab.");
    await other.getByRole("button", { name: "Post comment" }).click();
    await other.locator('li.comment[id="comment-5"]').waitFor();
    await eventually(async () => assert.ok((await announced()).includes("1 new comment"), JSON.stringify(await announced())));

    await page.getByLabel("Name", { exact: true }).fill("Ada Reader");
    await page.getByLabel("Comment", { exact: true }).fill("Mine.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await eventually(async () => {
      const said = await announced();
      assert.ok(said.includes("Saving…"), JSON.stringify(said));
      assert.equal(said.at(-1), "Your comment was posted.");
    });
    await other.close();
    await run.finish();
  });

  test("announces that a comment will be sent when the remote store is back", async () => {
    const run = await openPage(shared.browser, { allowConsole: [/ERR_CONNECTION_REFUSED|Failed to load resource/] });
    run.context.setDefaultTimeout(15_000);
    const { page } = run;
    // A remote store on a port nothing listens on: every write waits to be retried.
    await page.route("**/config.json", (route) =>
      route.fulfill({ json: { store: { kind: "rest", url: "http://127.0.0.1:9", pollSeconds: 60 } } }),
    );
    await page.goto(`${shared.url}?post=${POST}`);
    await page.getByRole("button", { name: "Post comment" }).waitFor();
    const announced = await recordAnnouncements(page);
    await page.getByLabel("Name", { exact: true }).fill("Offline Reader");
    await page.getByLabel("Comment", { exact: true }).fill("Written with the server down.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await eventually(async () => {
      const said = await announced();
      assert.ok(said.some((text) => /^Not sent yet \(.+\)\. It will be sent when the connection is back\.$/.test(text)), JSON.stringify(said));
    }, 15_000);
    // The comment's own line says the same, but is not a second live region.
    const line = page.locator(".delivery").first();
    await line.waitFor();
    assert.equal(await line.getAttribute("role"), null);
    await run.finish();
  });
});
