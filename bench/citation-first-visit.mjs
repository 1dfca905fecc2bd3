// Citations on a first visit: time from the citation first appearing (provisional label) to
// its formatted label, over 7 fresh browser contexts. Needs a release build in dist/
// (`trunk build --release`); run with `node bench/citation-first-visit.mjs`. Not part of
// ./scripts/bench's table yet.
import { startSite, launchChromium } from "../e2e/harness.mjs";
const site = await startSite();
const browser = await launchChromium();
const results = [];
for (let i = 0; i < 7; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const b = document.querySelector("button.citation");
      if (b && !window.tFirst) window.tFirst = performance.now();
      if (b && b.getAttribute("aria-haspopup") && b.textContent.includes("Freeze") && !window.tFormatted) window.tFormatted = performance.now();
    }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  await page.goto(site.url + "?post=the-struggle-for-freedom");
  await page.waitForFunction(() => window.tFormatted, null, { timeout: 20000 });
  const [a, b] = await page.evaluate(() => [window.tFirst, window.tFormatted]);
  results.push(Math.round(b - a));
  await context.close();
}
results.sort((x, y) => x - y);
console.log("first paint -> formatted (ms), first visits:", results.join(", "), "median", results[3]);
await browser.close(); await site.close();
