// The README's serve command itself: ./scripts/serve builds the release and serves it on a free
// loopback port; the seed post and its thread load in Chromium with no page or console error.
// ./scripts/test runs this file as its release build: the dist/ it leaves is what the other
// suites test, so the serve command's build is the one under test, and it is built once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, openPage } from "../e2e/harness.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Starts ./scripts/serve on any free port; resolves with its printed address once it listens. */
function startServeCommand(env = {}) {
  // Its own process group, so stopping it stops the build or server it is running.
  const child = spawn("./scripts/serve", [], {
    cwd: root,
    env: { ...process.env, PORT: "0", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const address = new Promise((resolve, reject) => {
    const read = (chunk) => {
      output += chunk;
      const found = output.match(/serving dist on (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (found) resolve(found[1]);
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error(`./scripts/serve exited with ${code} before serving:\n${output.slice(-4000)}`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on("exit", resolve);
      process.kill(-child.pid, "SIGTERM");
    });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  return { address, exited, stop, output: () => output };
}

test("./scripts/serve builds and serves the app: the seed post and its thread load with no errors", { timeout: 30 * 60_000 }, async () => {
  const serve = startServeCommand();
  let browser;
  try {
    const url = await serve.address;
    browser = await launchChromium();
    const run = await openPage(browser);
    await run.page.goto(url);
    await run.page.getByRole("link", { name: "The Struggle for Freedom" }).click();
    await run.page.locator("article.post h1").waitFor({ timeout: 30_000 });
    assert.equal(await run.page.locator("article.post h1").textContent(), "The Struggle for Freedom");
    const comments = run.page.locator("li.comment");
    await comments.nth(3).waitFor({ timeout: 30_000 });
    assert.equal(await comments.count(), 4);
    await run.finish();
  } finally {
    await browser?.close();
    await serve.stop();
  }
  assert.doesNotMatch(serve.output(), /ERROR|error from build pipeline/, "the build reported an error");
});

test("a build that fails stops ./scripts/serve with the build's error, and nothing is served", { timeout: 10 * 60_000 }, async () => {
  // A page Trunk builds but the strict-CSP hook refuses (a second inline script, as Trunk's
  // auto-reload script was): the failure a fresh machine met, made in seconds, not minutes.
  const dir = mkdtempSync(join(tmpdir(), "colloquy-serve-fail-"));
  writeFileSync(join(dir, "index.html"), '<!DOCTYPE html><html><head><script>let extra = 1;</script></head><body></body></html>');
  writeFileSync(
    join(dir, "Trunk.toml"),
    `[build]\ntarget = "index.html"\ndist = "dist"\n\n[[hooks]]\nstage = "post_build"\ncommand = "node"\ncommand_arguments = [${JSON.stringify(join(root, "scripts", "externalize-loader.mjs"))}]\n`,
  );
  // dist/ from the suite's build is there, as an earlier build would be on a developer's machine.
  const serve = startServeCommand({ TRUNK_CONFIG: join(dir, "Trunk.toml") });
  const code = await serve.exited;
  await serve.address.catch(() => {});
  assert.notEqual(code, 0, "the serve command must fail when its build fails");
  assert.match(serve.output(), /externalize-loader: index\.html must have exactly one inline script/);
  assert.doesNotMatch(serve.output(), /serving dist on/, "an address was printed for a failed build");
});
