// 1. Transfer size of the release build: gzip -9 and brotli (quality 11) per file, grouped by
// file-name prefix into the first load and the modules loaded after it.
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

/** Modules loaded after the first load, by file-name prefix; anything else is first load. */
export const LATER_GROUPS = [
  { group: "content worker", prefix: "content_worker" },
  { group: "thread module", prefix: "thread_app" },
  { group: "citation worker", prefix: "cite_worker" },
];
export const FIRST_LOAD_LIMIT_GZIP = 100 * 1024;
const SHIPPED = /\.(html|js|wasm|css)$/;

export function groupOf(name) {
  return LATER_GROUPS.find(({ prefix }) => name.startsWith(prefix))?.group ?? "first load";
}

export function measureSizes(dist) {
  const files = readdirSync(dist)
    .filter((name) => SHIPPED.test(name))
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dist, name));
      return {
        file: name,
        group: groupOf(name),
        raw: bytes.length,
        // The same measure as scripts/size-check.mjs.
        gzip: execFileSync("gzip", ["-9", "-n", "-c", join(dist, name)], { maxBuffer: 1 << 28 }).length,
        brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    });
  const groups = {};
  for (const file of files) {
    const total = (groups[file.group] ??= { raw: 0, gzip: 0, brotli: 0, files: [] });
    total.raw += file.raw;
    total.gzip += file.gzip;
    total.brotli += file.brotli;
    total.files.push(file.file);
  }
  const first = groups["first load"];
  return {
    files,
    groups,
    firstLoad: {
      gzip: first.gzip,
      brotli: first.brotli,
      limitGzip: FIRST_LOAD_LIMIT_GZIP,
      ratio: Number((first.gzip / FIRST_LOAD_LIMIT_GZIP).toFixed(3)),
    },
  };
}
