// Typing in a 50,000-word draft stays responsive: no main-thread task over 50 ms while typing,
// measured with a long-task observer. The test command runs this directory alone, after the
// Chromium and Firefox suites that run side by side: on a two-core machine the other browser's
// work would be counted as this page's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage, useSiteAndBrowser } from "../e2e/harness.mjs";

const shared = useSiteAndBrowser();

test("a 50,000-word draft keeps typing responsive: no task over 50 ms while typing", async () => {
  const run = await openPage(shared.browser);
  const { page } = run;
  await page.goto(`${shared.url}?write`);
  const paragraph = "The returnees found their cities changed, their families scattered, and their neighbours wary of them. ";
  const words = paragraph.split(" ").length - 1;
  const body = Array.from({ length: Math.ceil(50_000 / words / 5) }, (_, i) => `## Part ${i + 1}\n\n${paragraph.repeat(5)}`).join("\n\n");
  assert.ok(body.split(/\s+/).length >= 50_000);
  const id = "5a5a5a5a5a5a";
  await page.evaluate(
    ([id, body]) =>
      localStorage.setItem(
        `colloquy:post-draft:${id}`,
        JSON.stringify({ id, title: "A Long Draft", summary: "", body, author: "Nadia", bibliography: "", style: "apa", updatedAt: new Date().toISOString() }),
      ),
    [id, body],
  );
  await page.goto(`${shared.url}?write=${id}`);
  await page.locator(".editor-preview").getByRole("heading", { name: "Part 1", exact: true }).waitFor({ timeout: 30_000 });
  const area = page.getByLabel("Post", { exact: true });
  await area.click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(Math.round(entry.duration));
    }).observe({ type: "longtask" });
  });
  await area.pressSequentially(" And then the thaw ended.", { delay: 60 });
  const longTasks = await page.evaluate(() => window.__longTasks);
  assert.deepEqual(longTasks, [], `tasks over 50 ms while typing: ${longTasks.join(", ")} ms`);
  assert.match(await area.inputValue(), /And then the thaw ended\.$/);
  await run.finish();
});

