// The first-load size budget: index.html, JS, wasm and CSS of the release build, each
// compressed with `gzip -9`. Fails above the budget; prints a table per file. The content
// worker (Markdown and front matter parsing), the citation worker (hayagriva) and the thread
// module start after the page and are reported apart.
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const BUDGET_BYTES = 150 * 1024;
const dist = process.argv[2] ?? "dist";
const firstLoad = /\.(html|js|wasm|css)$/;

// Loaded after the page starts: the content worker, the citation worker, the thread module.
const LATER = ["content_worker", "cite_worker", "thread_app"];
const isWorker = (name) => LATER.some((prefix) => name.startsWith(prefix));
const files = readdirSync(dist).filter((name) => firstLoad.test(name)).sort();
if (!files.includes("index.html") || !files.some((n) => n.endsWith(".wasm"))) {
  console.error(`size check: ${dist} has no release build (index.html and a .wasm)`);
  process.exit(1);
}
const measure = (name) => ({
  file: name,
  raw: readFileSync(join(dist, name)).length,
  gzip9: execFileSync("gzip", ["-9", "-c", join(dist, name)], { maxBuffer: 1 << 28 }).length,
});
const sum = (rows) => rows.reduce((total, row) => total + row.gzip9, 0);
const kb = (bytes) => (bytes / 1024).toFixed(1);

const first = files.filter((name) => !isWorker(name)).map(measure);
const worker = files.filter(isWorker).map(measure);
console.log("first load:");
console.table(first);
console.log("loaded after the page starts (content worker, thread module):");
console.table(worker);
const total = sum(first);
console.log(`loaded later: ${kb(sum(worker))} KB gzip -9`);
console.log(`first load: ${kb(total)} KB gzip -9 (budget ${kb(BUDGET_BYTES)} KB)`);
if (total > BUDGET_BYTES) {
  console.error(`size check failed: ${kb(total)} KB is over the ${kb(BUDGET_BYTES)} KB budget`);
  process.exit(1);
}
