// The first-load size budget: index.html, JS, wasm and CSS of the release build, each
// compressed with `gzip -9`. Fails above the budget; prints a table per file.
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const BUDGET_BYTES = 150 * 1024;
const dist = process.argv[2] ?? "dist";
const firstLoad = /\.(html|js|wasm|css)$/;

const files = readdirSync(dist).filter((name) => firstLoad.test(name)).sort();
if (!files.includes("index.html") || !files.some((n) => n.endsWith(".wasm"))) {
  console.error(`size check: ${dist} has no release build (index.html and a .wasm)`);
  process.exit(1);
}
let total = 0;
const rows = files.map((name) => {
  const raw = readFileSync(join(dist, name)).length;
  const gzip = execFileSync("gzip", ["-9", "-c", join(dist, name)], { maxBuffer: 1 << 28 }).length;
  total += gzip;
  return { file: name, raw, gzip9: gzip };
});
console.table(rows);
const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(`first load: ${kb(total)} KB gzip -9 (budget ${kb(BUDGET_BYTES)} KB)`);
if (total > BUDGET_BYTES) {
  console.error(`size check failed: ${kb(total)} KB is over the ${kb(BUDGET_BYTES)} KB budget`);
  process.exit(1);
}
