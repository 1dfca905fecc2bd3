// 1. Transfer size of the release build: gzip -9 and brotli (quality 11) per file, grouped by
// file-name prefix into the first load and the modules loaded after it.
import { readdirSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

/**
 * Groups by what a reader of a built post page (`<slug>.html`) waits for: the critical path
 * (the page, its stylesheet and theme script), then what makes the composer work (post.js and
 * the thread module: `thread_app` on the default local store, `thread_app_shared` on REST or
 * CouchDB); the app's first load from index.html serves posts rendered at run time;
 * the workers, and the post editor's module at `?write`, load on demand.
 */
export const GROUPS = [
  { group: "content worker", test: (name) => name.startsWith("content_worker") },
  { group: "citation worker", test: (name) => name.startsWith("cite_worker") },
  { group: "post editor (?write)", test: (name) => name.startsWith("editor_app") },
  { group: "thread module, shared stores", test: (name) => name.startsWith("thread_app_shared") },
  { group: "thread module", test: (name) => name.startsWith("thread_app") },
  { group: "built page, after paint", test: (name) => name === "post.js" },
  { group: "run-time app (index.html)", test: (name) => /^(index\.html|route-|loader-|colloquy_app-)/.test(name) },
  { group: "built page, critical path", test: (name) => /\.html$|^main-.*\.css$|^theme-.*\.js$/.test(name) },
];
export const CRITICAL_PATH_LIMIT_GZIP = 25 * 1024;
export const TO_COMPOSER_LIMIT_GZIP = 250 * 1024;
const SHIPPED = /\.(html|js|wasm|css)$/;

export function groupOf(name) {
  return GROUPS.find(({ test }) => test(name))?.group ?? "other";
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
  const sum = (names, key) => names.reduce((total, name) => total + (groups[name]?.[key] ?? 0), 0);
  const critical = ["built page, critical path"];
  const toComposer = [...critical, "built page, after paint", "thread module"];
  const toComposerShared = [...critical, "built page, after paint", "thread module, shared stores"];
  return {
    files,
    groups,
    criticalPath: {
      gzip: sum(critical, "gzip"),
      brotli: sum(critical, "brotli"),
      limitGzip: CRITICAL_PATH_LIMIT_GZIP,
      ratio: Number((sum(critical, "gzip") / CRITICAL_PATH_LIMIT_GZIP).toFixed(3)),
    },
    toComposer: {
      gzip: sum(toComposer, "gzip"),
      brotli: sum(toComposer, "brotli"),
      limitGzip: TO_COMPOSER_LIMIT_GZIP,
      ratio: Number((sum(toComposer, "gzip") / TO_COMPOSER_LIMIT_GZIP).toFixed(3)),
    },
    toComposerShared: {
      gzip: sum(toComposerShared, "gzip"),
      brotli: sum(toComposerShared, "brotli"),
      limitGzip: TO_COMPOSER_LIMIT_GZIP,
      ratio: Number((sum(toComposerShared, "gzip") / TO_COMPOSER_LIMIT_GZIP).toFixed(3)),
    },
  };
}
