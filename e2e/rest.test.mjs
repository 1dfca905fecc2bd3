// The REST store against a real json-server 0.17.4: live between browsers, nothing lost or
// doubled when the server goes away, and bad answers reported without breaking the thread.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, startJsonServer, useSiteAndBrowser } from "./harness.mjs";

const shared = useSiteAndBrowser();
let server;
before(async () => {
  server = await startJsonServer();
});
after(async () => {
  await server?.close();
});

const POST = "the-struggle-for-freedom";
const postUrl = () => `${shared.url}?post=${POST}`;

/** A page whose config.json points the thread at the json-server. */
async function restPage(options = {}) {
  const run = await openPage(shared.browser, {
    // A stopped server and injected faults make the browser log failed requests.
    allowConsole: [/Failed to load resource/, /ERR_CONNECTION_REFUSED/, /net::/],
    ...options,
  });
  await run.context.route("**/config.json", (route) =>
    route.fulfill({ json: { store: { kind: "rest", url: server.url, pollSeconds: 1 } } }),
  );
  return run;
}

async function post(page, name, body) {
  const composer = page.locator("form.composer").last();
  await composer.getByLabel("Name", { exact: true }).fill(name);
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  await composer.getByRole("button", { name: "Post comment" }).click();
}

const bodies = (page) => page.locator("li.comment .comment-body").allTextContents();
const onServer = async () => (await server.records("comments", `?postId=${POST}`)).map((c) => c.body);

describe("the REST store", () => {
  test("two browsers post and see each other's comments live", async () => {
    const a = await restPage();
    const b = await restPage();
    await a.page.goto(postUrl());
    await b.page.goto(postUrl());
    await a.page.locator("form.composer").waitFor();
    await b.page.locator("form.composer").waitFor();
    await post(a.page, "Ana", "From browser A.");
    await post(b.page, "Ben", "From browser B.");
    // Both readers are at the end of the thread, so new comments show without the button.
    await eventually(async () => assert.ok((await bodies(a.page)).some((t) => t.includes("From browser B."))), 4_000);
    await eventually(async () => assert.ok((await bodies(b.page)).some((t) => t.includes("From browser A."))), 4_000);
    await eventually(async () => assert.deepEqual((await onServer()).sort(), ["From browser A.", "From browser B."]));

    // A like is a record per browser: B sees A's like of B's comment; A's edit reaches B.
    const bOnA = a.page.locator("li.comment", { hasText: "From browser B." });
    await bOnA.locator("button.like").click();
    const likeOnB = b.page.locator("li.comment", { hasText: "From browser B." }).locator(".like-count");
    await eventually(async () => assert.equal(await likeOnB.textContent(), "1"), 4_000);
    const likes = await server.records("likes", `?postId=${POST}`);
    assert.equal(likes.length, 1);
    assert.equal(likes[0].liked, true);
    const aId = await a.page.locator("li.comment", { hasText: "From browser A." }).getAttribute("id");
    const aOnA = a.page.locator(`li.comment[id="${aId}"]`);
    await aOnA.getByRole("button", { name: "Edit" }).click();
    const editor = aOnA.locator("form.composer");
    await editor.getByLabel("Comment", { exact: true }).fill("From browser A, edited.");
    await editor.getByRole("button", { name: "Save changes" }).click();
    await eventually(async () => assert.ok((await bodies(b.page)).includes("From browser A, edited.")), 4_000);
    await eventually(async () => assert.ok((await onServer()).includes("From browser A, edited.")));
    await a.finish();
    await b.finish();
  });

  test("comments written while the server is down arrive exactly once when it is back", async () => {
    const run = await restPage();
    await run.page.goto(postUrl());
    await run.page.locator("form.composer").waitFor();
    const before = (await onServer()).length;
    await post(run.page, "Casey", "Online first.");
    await eventually(async () => assert.ok((await onServer()).includes("Online first.")));
    await server.stop();
    for (const body of ["Offline one.", "Offline two.", "Offline three."]) {
      await post(run.page, "Casey", body);
    }
    const waiting = run.page.locator(".delivery.is-waiting");
    await eventually(async () => assert.equal(await waiting.count(), 3), 8_000);
    // A reload while they wait in the outbox keeps them, still waiting; what the server had
    // sent before shows from the cache although the server is down.
    await run.page.reload();
    await eventually(async () => assert.equal(await waiting.count(), 3), 8_000);
    assert.ok((await bodies(run.page)).includes("Online first."), "the cached thread shows offline");
    await server.start();
    await run.page.evaluate(() => window.dispatchEvent(new Event("online")));
    await eventually(async () => {
      const stored = await onServer();
      assert.equal(stored.length, before + 4, `the server holds ${JSON.stringify(stored)}`);
      for (const body of ["Offline one.", "Offline two.", "Offline three."]) {
        assert.equal(stored.filter((b) => b === body).length, 1, `${body} exactly once`);
      }
    }, 15_000);
    await eventually(async () => assert.equal(await waiting.count(), 0), 5_000);
    await run.finish();
  });

  test("a tab closed while offline hands its waiting comment to another tab", async () => {
    const run = await restPage();
    const a = run.page;
    await a.goto(postUrl());
    await a.locator("form.composer").waitFor();
    const b = await run.context.newPage();
    await b.goto(postUrl());
    await b.locator("form.composer").waitFor();
    await server.stop();
    await post(a, "Ivy", "Tab A, offline.");
    await post(b, "Ivy", "Tab B, offline.");
    await eventually(async () => assert.equal(await b.locator(".delivery.is-waiting").count(), 1), 8_000);
    await b.close();
    // Tab A's next retry takes over what tab B left in the stored outbox.
    await server.start();
    await a.evaluate(() => window.dispatchEvent(new Event("online")));
    await eventually(async () => {
      const stored = await onServer();
      assert.equal(stored.filter((body) => body === "Tab A, offline.").length, 1);
      assert.equal(stored.filter((body) => body === "Tab B, offline.").length, 1);
    }, 20_000);
    await run.finish();
  });

  test("500s and a 429 with Retry-After are retried until the comment arrives", async () => {
    const run = await restPage();
    let failures = 0;
    await run.context.route(`${server.url}/comments`, async (route) => {
      if (route.request().method() === "POST" && failures < 2) {
        failures += 1;
        await route.fulfill(
          failures === 1
            ? { status: 500, body: "Internal Server Error" }
            : { status: 429, headers: { "Retry-After": "1" }, body: "" },
        );
        return;
      }
      await route.continue();
    });
    await run.page.goto(postUrl());
    await run.page.locator("form.composer").waitFor();
    await post(run.page, "Dana", "Through the faults.");
    await eventually(async () => assert.ok((await onServer()).filter((b) => b === "Through the faults.").length === 1), 20_000);
    assert.equal(failures, 2);
    await run.finish();
  });

  test("a refusal (4xx) is shown with the server's reason and not retried", async () => {
    const run = await restPage();
    let posts = 0;
    await run.context.route(`${server.url}/comments`, async (route) => {
      if (route.request().method() === "POST") {
        posts += 1;
        await route.fulfill({ status: 422, json: { message: "Comments are closed for this post" } });
        return;
      }
      await route.continue();
    });
    await run.page.goto(postUrl());
    await run.page.locator("form.composer").waitFor();
    await post(run.page, "Gil", "Refused one.");
    const failed = run.page.locator(".delivery.is-failed");
    await eventually(async () => assert.match(await failed.textContent({ timeout: 500 }), /Comments are closed for this post/), 8_000);
    assert.ok((await bodies(run.page)).includes("Refused one."), "the text stays recoverable");
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal(posts, 1, "a permanent failure is not retried");
    await run.finish();
  });

  test("a request that hangs is abandoned after 10 s and retried", { timeout: 60_000 }, async () => {
    const run = await restPage();
    let hung = false;
    await run.context.route(`${server.url}/comments`, async (route) => {
      if (route.request().method() === "POST" && !hung) {
        hung = true;
        return; // never answered
      }
      await route.continue();
    });
    await run.page.goto(postUrl());
    await run.page.locator("form.composer").waitFor();
    await post(run.page, "Hal", "Through a hang.");
    const waiting = run.page.locator(".delivery.is-waiting");
    await eventually(async () => assert.match(await waiting.textContent({ timeout: 500 }), /time|answer/i), 15_000);
    await eventually(async () => assert.equal((await onServer()).filter((b) => b === "Through a hang.").length, 1), 15_000);
    await run.finish();
  });

  test("an HTML error page, truncated JSON and wrong shapes are reported; valid comments still show", async () => {
    const run = await restPage();
    const answers = [
      { status: 502, contentType: "text/html", body: "<html><title>502 Bad Gateway</title><body>nginx</body></html>" },
      { status: 200, contentType: "application/json", body: '[{"id": "x", "postId": "' },
      { status: 200, contentType: "application/json", body: JSON.stringify({ data: [], total: 0 }) },
      {
        status: 200,
        contentType: "application/json",
        body: JSON.stringify([
          { id: "good-1", postId: POST, parentId: null, author: "Eli", body: "A valid remote comment.", createdAt: "2026-01-01T10:00:00.000Z", updatedAt: "2026-01-01T10:00:00.000Z", deleted: false },
          { id: "bad-1", postId: POST, parentId: null, body: "No author here.", createdAt: "2026-01-01T10:00:00.000Z" },
        ]),
      },
    ];
    // Each fault is served until the test has seen the app report it, then the next.
    let phase = 0;
    await run.context.route(`${server.url}/comments?*`, async (route) => {
      if (phase < answers.length) {
        await route.fulfill(answers[phase]);
        return;
      }
      await route.continue();
    });
    await run.page.goto(postUrl());
    const banner = run.page.locator(".store-problem");
    const bannerSays = (pattern) =>
      eventually(async () => assert.match((await banner.textContent({ timeout: 500 })) ?? "", pattern), 8_000);
    await bannerSays(/502/);
    phase = 1;
    await bannerSays(/JSON|EOF|parse/i);
    phase = 2;
    await bannerSays(/object/);
    phase = 3;
    await bannerSays(/author/);
    // The reader is at the top, so the valid comment waits behind the button.
    const newComments = run.page.locator("button.new-comments");
    await eventually(async () => assert.equal(await newComments.textContent({ timeout: 500 }), "1 new comment"), 8_000);
    await newComments.click();
    await eventually(async () => assert.ok((await bodies(run.page)).includes("A valid remote comment.")), 8_000);
    assert.equal((await bodies(run.page)).includes("No author here."), false);
    assert.ok((await bodies(run.page)).length >= 5, "the seed comments still show");
    // The server answers properly again: the banner goes, and posting works.
    phase = 4;
    await eventually(async () => assert.equal(await banner.count(), 0), 8_000);
    await post(run.page, "Fay", "After the faults.");
    await eventually(async () => assert.ok((await onServer()).includes("After the faults.")), 8_000);
    await run.finish();
  });
});

describe("config.json", () => {
  test("an unknown store kind is named and no thread is offered", async () => {
    const run = await openPage(shared.browser);
    await run.context.route("**/config.json", (route) => route.fulfill({ json: { store: { kind: "couch" } } }));
    await run.page.goto(postUrl());
    const error = run.page.locator(".config-error");
    await error.waitFor();
    assert.match(await error.textContent(), /store\.kind "couch" is not a store Colloquy knows/);
    assert.equal(await run.page.locator("form.composer").count(), 0);
    await run.finish();
  });
});
