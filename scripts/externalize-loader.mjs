// Trunk post-build hook: moves the inline module script Trunk writes into index.html to its
// own content-hashed file, so the site runs under a Content-Security-Policy with no
// 'unsafe-inline' (script-src 'self' 'wasm-unsafe-eval'). Fails the build if there is not
// exactly one inline script, so a Trunk upgrade that changes its output cannot slip past.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("externalize-loader: run me as a Trunk post_build hook (TRUNK_STAGING_DIR unset)");
  process.exit(1);
}
const htmlPath = join(staging, "index.html");
const html = readFileSync(htmlPath, "utf8");
// Quoted or not: a release build minifies index.html first.
const inline = [...html.matchAll(/<script type="?module"?>([\s\S]*?)<\/script>/g)];
const otherInline = (inline.length ? html.replace(inline[0][0], "") : html).match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [];
if (inline.length !== 1 || otherInline.length) {
  console.error(
    `externalize-loader: index.html must have exactly one inline script, Trunk's module loader; ` +
      `found ${inline.length} inline module script(s) and ${otherInline.length} other inline script(s).`,
  );
  if (/\.well-known\/trunk\/ws|__TRUNK_ADDRESS__/.test(html)) {
    console.error("externalize-loader: one is Trunk's auto-reload script: serve with ./scripts/serve (or trunk serve --no-autoreload)");
  }
  process.exit(1);
}
const body = inline[0][1].trim() + "\n";
const hash = createHash("sha256").update(body).digest("hex").slice(0, 16);
const file = `loader-${hash}.js`;
const integrity = "sha384-" + createHash("sha384").update(body).digest("base64");
writeFileSync(join(staging, file), body);
writeFileSync(
  htmlPath,
  html.replace(inline[0][0], `<script type="module" src="./${file}" integrity="${integrity}"></script>`),
);
console.log(`externalize-loader: index.html now loads ${file}`);
