// Lighthouse 12.2.3 on the built site's post page, in Debian's Chromium: serves dist/ under a
// sub-path on a free loopback port (as the end-to-end tests do), prints the four category
// scores and writes the full JSON report to e2e/artifacts/lighthouse-post.json.
// A measuring tool, not a test: `trunk build --release && node scripts/lighthouse.mjs`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { ARTIFACTS, CHROMIUM_FLAGS, startSite } from "../e2e/harness.mjs";

const CHROME_FLAGS = ["--headless=new", ...CHROMIUM_FLAGS];
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

const site = await startSite();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  chromeFlags: CHROME_FLAGS,
});
try {
  // The page `colloquy build` wrote for the seed post (a ?post= link redirects there).
  const url = `${site.url}the-struggle-for-freedom.html`;
  const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES });
  const reportPath = join(ARTIFACTS, "lighthouse-post.json");
  writeFileSync(reportPath, result.report);
  const { lhr } = result;
  console.log(`Lighthouse ${lhr.lighthouseVersion}, ${lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0]}, ${url}`);
  for (const id of CATEGORIES) {
    console.log(`${lhr.categories[id].title.padEnd(16)} ${Math.round(lhr.categories[id].score * 100)}`);
  }
  const metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];
  console.log(`  (simulated mobile, slow 4G) ${metrics.map((m) => `${lhr.audits[m].title}: ${lhr.audits[m].displayValue}`).join("; ")}`);
  // What kept a category below 100, so it can be fixed.
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1 && id !== "performance") {
        console.log(`  ${id}: ${audit.id} (${audit.score}) ${audit.title}`);
      }
    }
  }
  console.log(`report: ${reportPath}`);
} finally {
  await chrome.kill();
  await site.close();
}
