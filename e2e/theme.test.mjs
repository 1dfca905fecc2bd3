// Themes, reduced motion and print in Chromium: the header's theme control, its memory, the
// host's ?theme=, the system's colour scheme, no motion when the reader asks for none, and a
// printout of the post, bibliography and thread without the screen's controls.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, screenshotPath, useSiteAndBrowser } from "./harness.mjs";

const POST = "the-struggle-for-freedom";
const LIGHT_BG = "rgb(253, 252, 249)";
const DARK_BG = "rgb(22, 24, 28)";

const shared = useSiteAndBrowser();

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const dataTheme = (page) => page.locator("html").getAttribute("data-theme");
const themeControl = (page) => page.getByLabel("Theme", { exact: true });

async function openPost(run, query = "") {
  await run.page.goto(`${shared.url}?post=${POST}${query}`);
  await run.page.locator("ol.comments li.comment").first().waitFor();
  await eventually(async () => assert.match(await run.page.locator("#cite-1").textContent(), /Freeze, 2009/), 15_000);
}

describe("the theme control", () => {
  test("switches to Dark and back to System, changes the colours, and is remembered", async () => {
    const run = await openPage(shared.browser, { colorScheme: "light" });
    const { page } = run;
    await page.goto(shared.url);
    await themeControl(page).waitFor();
    assert.equal(await themeControl(page).inputValue(), "system");
    assert.equal(await dataTheme(page), null);
    assert.equal(await background(page), LIGHT_BG);

    await themeControl(page).selectOption("dark");
    assert.equal(await dataTheme(page), "dark");
    await eventually(async () => assert.equal(await background(page), DARK_BG));

    await page.reload();
    await themeControl(page).waitFor();
    assert.equal(await dataTheme(page), "dark", "remembered across a reload");
    assert.equal(await themeControl(page).inputValue(), "dark");
    assert.equal(await background(page), DARK_BG);

    await themeControl(page).selectOption("system");
    assert.equal(await dataTheme(page), null);
    await eventually(async () => assert.equal(await background(page), LIGHT_BG));
    await page.screenshot({ path: screenshotPath("theme-list-light") });
    await run.finish();
  });

  test("Light holds on a system that prefers dark", async () => {
    const run = await openPage(shared.browser, { colorScheme: "dark" });
    const { page } = run;
    await page.goto(shared.url);
    await themeControl(page).selectOption("light");
    assert.equal(await dataTheme(page), "light");
    await eventually(async () => assert.equal(await background(page), LIGHT_BG));
    await run.finish();
  });

  test("?theme=dark from the host overrides the saved choice, and links keep it", async () => {
    const run = await openPage(shared.browser, { colorScheme: "light" });
    const { page } = run;
    await page.goto(shared.url);
    await themeControl(page).selectOption("light");
    await page.goto(`${shared.url}?theme=dark`);
    await themeControl(page).waitFor();
    assert.equal(await dataTheme(page), "dark");
    assert.equal(await themeControl(page).inputValue(), "dark");
    assert.equal(await background(page), DARK_BG);
    const link = page.getByRole("link", { name: "The Struggle for Freedom" });
    assert.match(await link.getAttribute("href"), /[?&]theme=dark(&|$)/);
    await run.finish();
  });

  test("an unknown ?theme= is ignored", async () => {
    const run = await openPage(shared.browser, { colorScheme: "light" });
    await run.page.goto(`${shared.url}?theme=sepia`);
    await themeControl(run.page).waitFor();
    assert.equal(await dataTheme(run.page), null);
    assert.equal(await themeControl(run.page).inputValue(), "system");
    await run.finish();
  });

  test("System follows prefers-color-scheme, also when it changes", async () => {
    const run = await openPage(shared.browser, { colorScheme: "dark" });
    const { page } = run;
    await openPost(run);
    assert.equal(await dataTheme(page), null);
    assert.equal(await background(page), DARK_BG);
    await page.screenshot({ path: screenshotPath("theme-dark"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
    await eventually(async () => assert.equal(await background(page), LIGHT_BG));
    await page.screenshot({ path: screenshotPath("theme-light"), fullPage: true });
    await run.finish();
  });
});

describe("motion", () => {
  /** Every element's transition and animation durations that are not zero. */
  const moving = (page) =>
    page.evaluate(() =>
      [...document.querySelectorAll("*")].flatMap((el) => {
        const style = getComputedStyle(el);
        const durations = `${style.transitionDuration},${style.animationDuration}`.split(",").map((d) => parseFloat(d));
        const animated = style.animationName !== "none";
        return durations.some((d) => d > 0) || animated
          ? [`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ${style.transitionDuration} ${style.animationName}`]
          : [];
      }),
    );

  test("there are transitions by default (so the next test can fail)", async () => {
    const run = await openPage(shared.browser);
    await openPost(run);
    assert.ok((await moving(run.page)).length > 0);
    await run.finish();
  });

  test("prefers-reduced-motion turns every transition and animation off", async () => {
    const run = await openPage(shared.browser, { reducedMotion: "reduce" });
    const { page } = run;
    await page.goto(`${shared.url}?post=${POST}`);
    // The loading skeleton pulses by default: it must stand still.
    await page.locator(".skeleton, ol.comments").first().waitFor();
    assert.deepEqual(await moving(page), []);
    await openPost(run);
    assert.deepEqual(await moving(page), []);
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior), "auto");
    await run.finish();
  });
});

describe("print", () => {
  for (const theme of ["light", "dark"]) {
    test(`prints the post, bibliography and thread black on white, without controls (${theme})`, async () => {
      const run = await openPage(shared.browser, { colorScheme: theme });
      const { page } = run;
      await openPost(run, `&theme=${theme}`);
      await page.locator("#ref-freeze2009").waitFor();
      await page.emulateMedia({ media: "print" });

      for (const hidden of [".site-header", ".theme-picker select", ".composer", ".thread-tools", ".comment-actions", ".skip-link"]) {
        const count = await page.locator(hidden).count();
        assert.ok(count > 0, `${hidden} exists on screen`);
        for (let i = 0; i < count; i++) {
          assert.equal(await page.locator(hidden).nth(i).isVisible(), false, `${hidden} is not printed`);
        }
      }
      assert.equal(await page.locator("button:visible").count() - (await page.locator("button.citation:visible").count()), 0, "no buttons but citations");
      for (const shown of ["article.post h1", ".post-body", "#ref-freeze2009", "#thread-heading", 'li.comment[id="comment-1"] .comment-body']) {
        assert.ok(await page.locator(shown).first().isVisible(), `${shown} is printed`);
      }
      // Paper is read later: a comment prints its date and time, not "7 years ago".
      const time = page.locator('li.comment[id="comment-1"] .comment-header time').first();
      assert.equal(await time.locator(".time-relative").isVisible(), false);
      const printed = (await time.locator(".time-absolute").textContent()).trim();
      assert.ok(await time.locator(".time-absolute").isVisible());
      assert.equal(printed, (await time.getAttribute("title")).trim());
      assert.match(printed, /2019/);
      const colours = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        const text = getComputedStyle(document.querySelector(".post-body p"));
        return [body.backgroundColor, text.color];
      });
      assert.deepEqual(colours, ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]);
      await page.screenshot({ path: screenshotPath(`theme-print-${theme}`), fullPage: true });
      await run.finish();
    });
  }
});
