// Retakes the README's screenshot of the post editor (docs/screenshot-editor.png) from the
// release build in dist/: a draft with a pasted .bib on a REST-configured site, in Debian's
// Chromium at 1440 px, once its preview shows the formatted citation and the bibliography.
// `trunk build --release && node scripts/screenshot-editor.mjs`
import { fileURLToPath } from "node:url";
import { launchChromium, startSite } from "../e2e/harness.mjs";

const out = fileURLToPath(new URL("../docs/screenshot-editor.png", import.meta.url));
const BIB = `@book{service2009,
  author    = {Service, Robert},
  title     = {A History of Modern Russia},
  publisher = {Harvard University Press},
  year      = {2009},
}`;
const BODY = `## Coming home

After 1953 the camps emptied in waves. Service describes how the returnees found their
cities changed and their neighbours wary [@service2009, p. 341].

> They came back as strangers to their own families.

What did release mean to those who had been away for a decade?`;

const site = await startSite();
const browser = await launchChromium();
try {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    colorScheme: "light",
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  // A shared store (never reached here: nothing is published) so the editor offers Publish.
  await context.route("**/config.json", (route) =>
    route.fulfill({ json: { store: { kind: "rest", url: "http://127.0.0.1:9" }, course: "HIST 232: Russia in the Twentieth Century" } }),
  );
  await page.goto(`${site.url}?write`);
  await page.getByLabel("Title", { exact: true }).fill("After the Camps");
  await page.getByLabel("Summary", { exact: true }).fill("What release meant to those who came home.");
  await page.getByLabel("Your name", { exact: true }).fill("Nadia Petrova");
  await page.getByLabel("Bibliography", { exact: true }).fill(BIB);
  await page.getByLabel("Post", { exact: true }).fill(BODY);
  await page.locator(".editor-preview button.citation", { hasText: "(Service, 2009, p. 341)" }).waitFor({ timeout: 30_000 });
  await page.locator(".editor-preview .bibliography li", { hasText: "Harvard University Press" }).waitFor();
  await page.getByText("Draft saved in this browser").waitFor();
  if (problems.length) throw new Error(`the page reported: ${problems.join("; ")}`);
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await site.close();
}
