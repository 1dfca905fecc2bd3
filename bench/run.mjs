// The benchmark run (`./scripts/bench`): measures the release build in dist/ and the native
// criterion results, writes bench/results.json and refreshes the table in BENCHMARKS.md.
// `node bench/run.mjs [sizes] [paint] [threads] [live] [storage] [native]` runs a subset and
// keeps the other parts of results.json from the last run.
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../e2e/harness.mjs";
import { startBenchSite } from "./lib/site.mjs";
import { measureSizes } from "./sizes.mjs";
import { measurePaint } from "./paint.mjs";
import { measureThreads } from "./threads.mjs";
import { measureLive } from "./live.mjs";
import { measureStorage } from "./storage.mjs";
import { readCriterion } from "./native.mjs";
import { writeReport } from "./report.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const resultsPath = join(root, "bench", "results.json");
const PARTS = ["sizes", "paint", "threads", "live", "storage", "native"];
const asked = process.argv.slice(2);
for (const part of asked) if (!PARTS.includes(part)) throw new Error(`unknown part ${part}; parts: ${PARTS.join(" ")}`);
const parts = asked.length ? asked : PARTS;
const quick = process.env.BENCH_QUICK === "1";
const log = (line) => console.log(line);

const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, "utf8")) : {};
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
results.machine = {
  nproc: Number(execFileSync("nproc").toString().trim()),
  cpu: cpus()[0]?.model ?? "unknown",
  loadAverageAtStart: Number(execFileSync("cat", ["/proc/loadavg"]).toString().split(" ")[0]),
  chromium: execFileSync(chromium, ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim(),
  node: process.version,
  commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim(),
  date: new Date().toISOString(),
};

// BENCH_DIST measures another build (a copy of dist/ kept from an earlier commit, say).
const dist = process.env.BENCH_DIST ?? join(root, "dist");
if (parts.includes("sizes")) {
  log("1. first-load transfer sizes");
  results.sizes = measureSizes(dist);
}
const browserParts = parts.filter((p) => ["paint", "threads", "live", "storage"].includes(p));
if (browserParts.length) {
  const site = await startBenchSite({ dist });
  const browser = await launchChromium();
  try {
    if (parts.includes("paint")) {
      log("2. navigation to post and thread painted, app vs static");
      results.paint = await measurePaint(browser, site, { loads: quick ? 5 : 20 });
    }
    if (parts.includes("threads")) {
      log("3. large threads");
      results.threads = await measureThreads(browser, site, {
        sizes: quick ? [100, 1000] : [100, 1000, 10000],
        runs: quick ? { 100: 2, 1000: 2 } : { 100: 5, 1000: 5, 10000: 3 },
        adds: quick ? 3 : 5,
        hundredThousand: !quick,
        log,
      });
    }
    if (parts.includes("live")) {
      log("4. live latency");
      results.live = await measureLive(browser, site, { count: quick ? 10 : 50 });
    }
    if (parts.includes("storage")) {
      log("5. storage");
      results.storage = await measureStorage(browser, site);
    }
  } finally {
    await browser.close();
    await site.close();
  }
}
if (parts.includes("native")) {
  log("6. native (criterion results)");
  results.native = readCriterion(join(root, "target"));
}
// Each part keeps when, where and under what load it was measured: a partial run replaces
// only its own parts.
for (const part of parts) {
  if (results[part]) {
    results[part].measured = { date: results.machine.date, commit: results.machine.commit, loadAverageAtStart: results.machine.loadAverageAtStart };
  }
}
writeFileSync(resultsPath, JSON.stringify(results, null, 2) + "\n");
writeReport(results, join(root, "BENCHMARKS.md"));
log(`wrote bench/results.json and BENCHMARKS.md`);
