#!/usr/bin/env node
// How long another reader waits for a new comment with the CouchDB store: the time from a
// click on "Post comment" in one browser context to the comment's text in another, over
// PouchDB Server 4.2.0 on loopback. Needs the release build in dist/ (trunk build --release).
//
//   node scripts/bench-couch-live.mjs [rounds]
import { eventually, launchChromium, openPage, startPouchServer, startSite } from "../e2e/harness.mjs";

const rounds = Number(process.argv[2] ?? 10);
const site = await startSite();
const server = await startPouchServer();
const browser = await launchChromium();
const db = await server.createDb("bench");
const readers = [];
for (let i = 0; i < 2; i += 1) {
  const run = await openPage(browser, { allowConsole: [/Failed to load resource/] });
  await run.context.route("**/config.json", (route) => route.fulfill({ json: { store: { kind: "couchdb", url: db } } }));
  await run.page.goto(`${site.url}?post=the-struggle-for-freedom`);
  await run.page.locator("form.composer").waitFor();
  readers.push(run);
}
const [writer, reader] = readers;
const times = [];
for (let round = 0; round < rounds; round += 1) {
  const body = `Benchmark comment ${round}.`;
  const composer = writer.page.locator("form.composer").last();
  await composer.getByLabel("Name", { exact: true }).fill("Bench");
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  const seen = reader.page.waitForFunction(
    (text) => {
      document.querySelector("button.new-comments")?.click();
      return [...document.querySelectorAll("li.comment .comment-body")].some((node) => node.textContent === text);
    },
    body,
    { polling: 10, timeout: 30_000 },
  );
  const started = performance.now();
  await composer.getByRole("button", { name: "Post comment" }).click();
  await seen;
  times.push(performance.now() - started);
  await eventually(async () => {
    if ((await writer.page.locator(".delivery.is-waiting, .delivery").filter({ hasText: "Sending" }).count()) > 0) throw new Error("still sending");
  });
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(0);
console.log(`${rounds} comments: median ${at(0.5)} ms, max ${at(1)} ms, min ${at(0)} ms (click in one context to text in another)`);
for (const run of readers) await run.finish();
await browser.close();
await server.close();
await site.close();
