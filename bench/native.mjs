// 6. Native benchmarks: reads criterion's samples (target/criterion/<name>/new/sample.json)
// into per-iteration medians with min and max.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { summary } from "./lib/stats.mjs";

export const NATIVE_BENCHES = ["parse seed post", "parse 50000-word post", "merge two 10000-comment threads"];

export function readCriterion(targetDir) {
  const out = {};
  for (const name of NATIVE_BENCHES) {
    const file = join(targetDir, "criterion", name, "new", "sample.json");
    if (!existsSync(file)) throw new Error(`no criterion result at ${file}: run cargo bench first`);
    const { iters, times } = JSON.parse(readFileSync(file, "utf8"));
    const perIterationMs = times.map((t, i) => t / iters[i] / 1e6);
    out[name] = { ms: summary(perIterationMs, 3) };
  }
  return out;
}
