// 2. Navigation to the post's built page (`colloquy build`): the post painted (largest
// contentful paint) and the post with its live thread painted (the app's
// `colloquy:thread-painted` mark), each against a static HTML file with the same post and
// comments: the page as the app leaves it, saved without its scripts, which sets the same
// mark the same way (a frame, then a task).
import { AFTER_PAINT, POST, PAINTED, instrumentedContext, failOnErrors, markTime } from "./lib/page.mjs";
import { summary } from "./lib/stats.mjs";

export const PAINT_LIMIT_RATIO = 1.5;
export const LCP_LIMIT_RATIO = 1.1;

/** The page's largest contentful paint so far (ms since navigation), waiting for one. */
async function largestPaint(page) {
  const handle = await page.waitForFunction(
    () =>
      new Promise((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]?.startTime);
        }).observe({ type: "largest-contentful-paint", buffered: true });
      }),
    null,
    { timeout: 60_000 },
  );
  return handle.jsonValue();
}

/** The app's page as painted, as a static file: no scripts, no preloads, same stylesheet. */
async function staticCopy(browser, url) {
  const context = await instrumentedContext(browser);
  const page = await context.newPage();
  await page.goto(url);
  await markTime(page, PAINTED);
  const html = await page.evaluate((afterPaint) => {
    const copy = document.documentElement.cloneNode(true);
    for (const node of copy.querySelectorAll("script, link[rel=modulepreload], link[rel=preload]")) {
      node.remove();
    }
    const mark = document.createElement("script");
    mark.textContent = `${afterPaint}.then(() => performance.mark("colloquy:thread-painted"));`;
    copy.querySelector("body").append(mark);
    const base = '<base href="../">';
    return `<!DOCTYPE html>\n${copy.outerHTML.replace("<head>", `<head>${base}`)}`;
  }, AFTER_PAINT);
  await context.close();
  return html;
}

async function loadOnce(browser, url) {
  const context = await instrumentedContext(browser);
  const page = await context.newPage();
  const problems = [];
  failOnErrors(page, problems);
  await page.goto(url, { waitUntil: "commit" });
  const painted = await markTime(page, PAINTED);
  const lcp = await largestPaint(page);
  const comments = await page.locator("li.comment").count();
  await context.close();
  if (problems.length) throw new Error(problems.join("\n"));
  return { painted, lcp, comments };
}

export async function measurePaint(browser, site, { loads = 20 } = {}) {
  const appUrl = `${site.url}${POST}.html`;
  const staticUrl = site.page("static-post.html", await staticCopy(browser, appUrl));
  const app = [];
  const plain = [];
  const appLcp = [];
  const plainLcp = [];
  for (let i = 0; i < loads; i++) {
    const a = await loadOnce(browser, appUrl);
    const s = await loadOnce(browser, staticUrl);
    if (a.comments !== s.comments || a.comments === 0) {
      throw new Error(`the app showed ${a.comments} comments, the static copy ${s.comments}`);
    }
    app.push(a.painted);
    plain.push(s.painted);
    appLcp.push(a.lcp);
    plainLcp.push(s.lcp);
  }
  const appSummary = summary(app);
  const staticSummary = summary(plain);
  const appLcpSummary = summary(appLcp);
  const staticLcpSummary = summary(plainLcp);
  return {
    loads,
    page: `${POST}.html`,
    appLcpMs: appLcpSummary,
    staticLcpMs: staticLcpSummary,
    lcpLimitRatio: LCP_LIMIT_RATIO,
    lcpRatio: Number((appLcpSummary.median / staticLcpSummary.median).toFixed(2)),
    appMs: appSummary,
    staticMs: staticSummary,
    limitRatio: PAINT_LIMIT_RATIO,
    ratio: Number((appSummary.median / staticSummary.median).toFixed(2)),
  };
}
