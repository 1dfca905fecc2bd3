// Retakes the README's screenshot of the seed post (docs/screenshot-post.png) from the release
// build in dist/: its built page in Debian's Chromium at 1280 px, light theme, once the live
// thread has taken the page over, so it shows the formatted citation and the bibliography.
// `trunk build --release && node scripts/screenshot-post.mjs`
import { fileURLToPath } from "node:url";
import { launchChromium, startSite } from "../e2e/harness.mjs";

const out = fileURLToPath(new URL("../docs/screenshot-post.png", import.meta.url));
const site = await startSite();
const browser = await launchChromium();
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    colorScheme: "light",
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  await page.goto(`${site.url}the-struggle-for-freedom.html`);
  await page.locator("button.citation", { hasText: "(Freeze, 2009, p. 410)" }).waitFor();
  await page.locator(".bibliography select").waitFor();
  await page.locator("form.composer").waitFor();
  if (problems.length) throw new Error(`the page reported: ${problems.join("; ")}`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await site.close();
}
