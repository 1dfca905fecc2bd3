// Prints which browser versions Colloquy supports, from MDN's browser-compat-data (npm,
// pinned in package.json): for every web-platform feature the app uses, the first version of
// Chrome, Edge, Firefox, Safari and iOS Safari with it, and the oldest versions that have every
// feature the app needs (features with a fallback or that only enhance are listed, not counted).
// With a path to a built .wasm (default: dist's colloquy wasm) it also checks the wasm features
// list against the module's own `target_features` section, when the build kept it.
//
//   node scripts/browser-support.mjs            # markdown tables on stdout
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const bcd = createRequire(import.meta.url)("@mdn/browser-compat-data");
const BROWSERS = { chrome: "Chrome", edge: "Edge", firefox: "Firefox", safari: "Safari", safari_ios: "iOS Safari" };

/** What the app uses. `need`: required (no way around it), fallback (the app has one), enhancement. */
export const FEATURES = [
  { path: "webassembly.api", what: "WebAssembly", need: "required" },
  { path: "webassembly.reference-types", what: "wasm reference types (wasm-bindgen's externref table; Rust's default wasm features)", need: "required" },
  { path: "webassembly.multi-value", what: "wasm multi-value (Rust's default wasm features)", need: "required" },
  { path: "webassembly.bulk-memory-operations", what: "wasm bulk memory (Rust's default wasm features)", need: "required" },
  { path: "webassembly.non-trapping-float-to-int-conversions", what: "wasm non-trapping float-to-int (Rust's default wasm features)", need: "required" },
  { path: "webassembly.sign-extension-operations", what: "wasm sign extension (Rust's default wasm features)", need: "required" },
  { path: "webassembly.api.Global", what: "wasm mutable globals (Rust's default wasm features)", need: "required" },
  { path: "javascript.operators.optional_chaining", what: "optional chaining `?.` (wasm-bindgen's glue)", need: "required" },
  { path: "javascript.statements.import", what: "ES modules (Trunk's loader, wasm-bindgen's glue)", need: "required" },
  { path: "javascript.operators.import", what: "dynamic import() (the thread module after first paint)", need: "required" },
  { path: "javascript.operators.import_meta", what: "import.meta (wasm-bindgen finds its .wasm by it)", need: "required" },
  { path: "api.Worker", what: "Web Workers (content and citation workers, classic scripts)", need: "required" },
  { path: "javascript.builtins.Intl.DateTimeFormat", what: "Intl.DateTimeFormat (dates)", need: "required" },
  { path: "javascript.builtins.Intl.PluralRules", what: "Intl.PluralRules (counts)", need: "required" },
  { path: "javascript.builtins.Intl.RelativeTimeFormat", what: "Intl.RelativeTimeFormat (comment times)", need: "required" },
  { path: "api.AbortController", what: "AbortController (requests cancelled on cleanup)", need: "required" },
  { path: "api.ResizeObserver", what: "ResizeObserver (height sent to the framing page)", need: "required" },
  { path: "api.Window.localStorage", what: "localStorage (works in memory with a notice where it throws)", need: "fallback" },
  { path: "api.HTMLElement.popover", what: "Popover API (citation popover; `hidden` attribute without it)", need: "fallback" },
  { path: "css.selectors.popover-open", what: ":popover-open (in its own rule, so [hidden] still hides)", need: "fallback" },
  { path: "css.properties.content-visibility", what: "content-visibility: auto (long threads skip off-screen work)", need: "enhancement" },
  { path: "css.properties.contain-intrinsic-size", what: "contain-intrinsic-size (size of skipped comments)", need: "enhancement" },
  { path: "css.selectors.focus-visible", what: ":focus-visible (the browser's own focus ring without it)", need: "enhancement" },
  { path: "css.properties.inset", what: "inset (popover placement reset)", need: "enhancement" },
  { path: "css.types.min", what: "min() (popover width)", need: "enhancement" },
];

/** Each wasm feature a module may declare (`target_features`), as MDN names it. */
const WASM_FEATURES = {
  "bulk-memory": "webassembly.bulk-memory-operations",
  "bulk-memory-opt": "webassembly.bulk-memory-operations",
  "call-indirect-overlong": "webassembly.reference-types",
  multivalue: "webassembly.multi-value",
  "mutable-globals": "webassembly.api.Global",
  "nontrapping-fptoint": "webassembly.non-trapping-float-to-int-conversions",
  "reference-types": "webassembly.reference-types",
  "sign-ext": "webassembly.sign-extension-operations",
};

const lookup = (path) => path.split(".").reduce((node, key) => node?.[key], bcd);

/** The first release with the feature unflagged, unprefixed and not partial; null if none. */
export function firstVersion(path, browser) {
  const node = lookup(path);
  if (!node?.__compat) throw new Error(`browser-compat-data has no ${path}`);
  let statements = node.__compat.support[browser];
  if (statements === undefined) return null;
  statements = Array.isArray(statements) ? statements : [statements];
  const full = statements.filter((s) => !s.flags && !s.prefix && !s.alternative_name && !s.partial_implementation && !s.version_removed);
  const versions = full.map((s) => s.version_added).filter((v) => typeof v === "string" && v !== "preview");
  if (!versions.length) return null;
  return versions.map((v) => v.replace(/^≤/, "")).sort(compareVersions)[0];
}

function compareVersions(a, b) {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Per browser: the oldest version with every required feature, and the feature(s) setting it. */
export function minimums() {
  const result = {};
  for (const browser of Object.keys(BROWSERS)) {
    let oldest = "0";
    let setBy = [];
    for (const feature of FEATURES.filter((f) => f.need === "required")) {
      const version = firstVersion(feature.path, browser);
      if (version === null) {
        oldest = "none";
        setBy = [feature.what];
        break;
      }
      const order = compareVersions(version, oldest);
      if (order > 0) [oldest, setBy] = [version, [feature.what]];
      else if (order === 0) setBy.push(feature.what);
    }
    result[browser] = { version: oldest, setBy };
  }
  return result;
}

/** The wasm features a module declares in its `target_features` custom section, or null. */
export function wasmTargetFeatures(file) {
  const bytes = readFileSync(file);
  let at = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      value |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value >>> 0;
      shift += 7;
    }
  };
  const name = () => {
    const length = leb();
    const text = bytes.subarray(at, at + length).toString("utf8");
    at += length;
    return text;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 0 && name() === "target_features") {
      const features = [];
      for (let count = leb(); count > 0; count--) {
        const prefix = String.fromCharCode(bytes[at++]);
        features.push(`${prefix}${name()}`);
      }
      return features;
    }
    at = end;
  }
  return null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const browsers = Object.entries(BROWSERS);
  console.log(`MDN browser-compat-data ${bcd.__meta.version} (${bcd.__meta.timestamp.slice(0, 10)})\n`);
  console.log(`| feature | need | ${browsers.map(([, label]) => label).join(" | ")} |`);
  console.log(`|---|---|${browsers.map(() => "---").join("|")}|`);
  for (const feature of FEATURES) {
    const cells = browsers.map(([key]) => firstVersion(feature.path, key) ?? "no");
    console.log(`| ${feature.what} | ${feature.need} | ${cells.join(" | ")} |`);
  }
  console.log(`\n| browser | oldest supported | set by |\n|---|---|---|`);
  for (const [key, { version, setBy }] of Object.entries(minimums())) {
    console.log(`| ${BROWSERS[key]} | ${version} | ${setBy.join("; ")} |`);
  }
  const dist = process.argv[2] ?? "dist";
  const wasm = (() => {
    try {
      return readdirSync(dist).find((file) => /^colloquy-.*_bg\.wasm$/.test(file));
    } catch {
      return undefined;
    }
  })();
  if (wasm) {
    const features = wasmTargetFeatures(join(dist, wasm));
    console.log(`\n${wasm}: target_features ${features ? features.join(" ") : "section not kept by the build"}`);
    // A wasm feature the table does not count would make the minimums above wrong.
    const counted = new Set(FEATURES.filter((f) => f.need === "required").map((f) => f.path));
    const uncounted = (features ?? [])
      .filter((feature) => feature.startsWith("+"))
      .map((feature) => feature.slice(1))
      .filter((feature) => !counted.has(WASM_FEATURES[feature]));
    if (uncounted.length) {
      console.error(`wasm features the table does not count: ${uncounted.join(", ")}`);
      process.exitCode = 1;
    }
  }
}
