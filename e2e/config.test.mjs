// config.json: the host's edit window for one's own comments, and a bad file reported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useSiteAndBrowser } from "./harness.mjs";

const shared = useSiteAndBrowser();

async function postOne(page) {
  await page.goto(`${shared.url}?post=the-struggle-for-freedom`);
  await page.getByLabel("Name", { exact: true }).fill("Config Tester");
  await page.getByLabel("Comment", { exact: true }).fill("Checking the edit window.");
  await page.getByRole("button", { name: "Post comment" }).click();
  const mine = page.locator("#comment-5");
  await mine.waitFor();
  return mine;
}

test("the shipped config gives 15 minutes to edit one's own comment", async () => {
  const run = await openPage(shared.browser);
  const mine = await postOne(run.page);
  assert.equal(await mine.getByRole("button", { name: "Edit" }).count(), 1);
  await run.finish();
});

test("editWindowMinutes 0 turns editing off but keeps Delete", async () => {
  const run = await openPage(shared.browser);
  await run.page.route("**/config.json", (route) =>
    route.fulfill({ json: { thread: { editWindowMinutes: 0 } } }),
  );
  const mine = await postOne(run.page);
  assert.equal(await mine.getByRole("button", { name: "Edit" }).count(), 0);
  assert.equal(await mine.getByRole("button", { name: "Delete" }).count(), 1);
  await run.finish();
});

test("a config.json that is wrong is named above the thread", async () => {
  const run = await openPage(shared.browser);
  await run.page.route("**/config.json", (route) =>
    route.fulfill({ json: { thread: { editWindowMinutes: 100000 } } }),
  );
  await run.page.goto(`${shared.url}?post=the-struggle-for-freedom`);
  const notice = run.page.locator(".store-notice");
  await notice.waitFor();
  assert.match(await notice.textContent(), /config\.json sets thread\.editWindowMinutes to 100000/);
  await run.finish();
});
