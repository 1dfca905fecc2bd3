// 4. Live latency: from pressing "Post comment" in one page to the comment painted in another.
// Across tabs: two pages of one browser context (the local store: IndexedDB and a BroadcastChannel).
// Remote: two contexts sharing a json-server through the REST store, polling every `pollSeconds`.
import { startJsonServer } from "../e2e/harness.mjs";
import { AFTER_PAINT, PAINTED, POST, failOnErrors, markTime } from "./lib/page.mjs";
import { percentile, summary } from "./lib/stats.mjs";

async function openPost(context, site, problems) {
  const page = await context.newPage();
  failOnErrors(page, problems);
  await page.goto(`${site.url}?post=${POST}`);
  await markTime(page, PAINTED);
  await page.locator("form.composer").last().waitFor();
  return page;
}

/** Posts `count` comments in `writer`; each time, the ms until `reader` has painted it. */
async function latencies(writer, reader, count, timeout) {
  const out = [];
  const composer = writer.locator("form.composer").last();
  await composer.getByLabel("Name", { exact: true }).fill("Bench Writer");
  for (let i = 0; i < count; i++) {
    const text = `Live bench ${i} ${Date.now()}`;
    await composer.getByLabel("Comment", { exact: true }).fill(text);
    // The reader stays at the end of the thread, where new comments show at once.
    await reader.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const seen = reader.evaluate(
      ([wanted, afterPaint, limit]) =>
        new Promise((resolve, reject) => {
          const found = () =>
            [...document.querySelectorAll("li.comment .comment-body")].some((n) => n.textContent.includes(wanted));
          const timer = setTimeout(() => reject(new Error(`not seen in ${limit} ms: ${wanted}`)), limit);
          const observer = new MutationObserver(() => {
            if (!found()) return;
            observer.disconnect();
            clearTimeout(timer);
            eval(afterPaint).then(() => resolve(performance.timeOrigin + performance.now()));
          });
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        }),
      [text, AFTER_PAINT, timeout],
    );
    const sent = await writer.evaluate(() => {
      const at = performance.timeOrigin + performance.now();
      const forms = document.querySelectorAll("form.composer");
      forms[forms.length - 1].querySelector("button[type=submit]").click();
      return at;
    });
    out.push((await seen) - sent);
  }
  return out;
}

function describe(values) {
  return { ...summary(values), p50: Number(percentile(values, 0.5).toFixed(1)), p95: Number(percentile(values, 0.95).toFixed(1)) };
}

export async function measureLive(browser, site, { count = 50, pollSeconds = 1 } = {}) {
  const problems = [];
  const tabs = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const writer = await openPost(tabs, site, problems);
  const reader = await openPost(tabs, site, problems);
  const acrossTabs = await latencies(writer, reader, count, 10_000);
  await tabs.close();

  const server = await startJsonServer();
  const config = { store: { kind: "rest", url: server.url, pollSeconds } };
  const contexts = [];
  for (let i = 0; i < 2; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route("**/config.json", (route) => route.fulfill({ json: config }));
    contexts.push(context);
  }
  const remoteWriter = await openPost(contexts[0], site, problems);
  const remoteReader = await openPost(contexts[1], site, problems);
  let remote;
  try {
    remote = await latencies(remoteWriter, remoteReader, count, 10_000 + pollSeconds * 5_000);
  } finally {
    for (const context of contexts) await context.close();
    await server.close();
  }
  if (problems.length) throw new Error(problems.join("\n"));
  return {
    comments: count,
    acrossTabsMs: describe(acrossTabs),
    remote: { pollSeconds, ms: describe(remote), p95OfPollInterval: Number((percentile(remote, 0.95) / (pollSeconds * 1000)).toFixed(2)) },
  };
}
