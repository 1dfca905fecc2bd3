// The REST store against a real json-server 0.17.4: live between browsers, nothing lost or
// doubled when the server goes away, and bad answers reported without breaking the thread.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, readStoredThread, startJsonServer, storageKeys, useSiteAndBrowser } from "./harness.mjs";

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
async function restPage({ pollSeconds = 1, ...options } = {}) {
  const run = await openPage(shared.browser, {
    // A stopped server and injected faults make the browser log failed requests.
    allowConsole: [/Failed to load resource/, /ERR_CONNECTION_REFUSED/, /net::/],
    ...options,
  });
  await run.context.route("**/config.json", (route) =>
    route.fulfill({ json: { store: { kind: "rest", url: server.url, pollSeconds } } }),
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

/** Puts a comment on the server directly, as another reader's browser would have. */
async function serverComment(id, author, body, minutesAgo) {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const record = { id, postId: POST, parentId: null, author, body, createdAt: at, updatedAt: at, deleted: false };
  const response = await fetch(`${server.url}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(record),
  });
  assert.equal(response.status, 201);
}

const shownOnServer = async () => (await server.records("comments", `?postId=${POST}`)).filter((c) => !c.deleted).length;

describe("the REST store", () => {
  test("a first-time visitor sees the comments already on the server at once, counted on the post and its card", async (t) => {
    // The other tests expect the server to hold only their own comments.
    t.after(async () => {
      for (const id of ["first-visit-1", "first-visit-2", "first-visit-3"]) {
        await fetch(`${server.url}/comments/${id}`, { method: "DELETE" });
      }
    });
    await serverComment("first-visit-1", "Early Bird", "Already here, one.", 30);
    await serverComment("first-visit-2", "Early Bird", "Already here, two.", 20);
    const total = 4 + (await shownOnServer());
    const run = await restPage();
    await run.page.goto(shared.url);
    const card = run.page.locator(".card").filter({ has: run.page.getByRole("link", { name: "The Struggle for Freedom" }) });
    await eventually(async () => assert.equal(await card.locator(".comment-count").textContent({ timeout: 500 }), `${total} comments`), 8_000);
    await run.page.goto(postUrl());
    await run.page.locator("form.composer").waitFor();
    // The reader is at the top of the post, yet these are the thread, not news (drawn once the
    // content worker has rendered them).
    await eventually(async () => {
      const shown = await bodies(run.page);
      assert.ok(shown.includes("Already here, one.") && shown.includes("Already here, two."), JSON.stringify(shown));
    }, 8_000);
    assert.equal(await run.page.locator("#thread-heading").textContent(), `${total} comments`);
    assert.equal(await run.page.locator("article.post .comment-count").textContent(), `${total} comments`);
    await run.page.waitForTimeout(2_500);
    assert.equal(await run.page.locator("button.new-comments").count(), 0, "no 'new comments' button for what was there");
    // A comment that arrives while reading is news.
    await serverComment("first-visit-3", "Late Comer", "Arrived while you read.", 0);
    await eventually(async () => assert.equal(await run.page.locator("button.new-comments").textContent({ timeout: 500 }), "1 new comment"), 8_000);
    // On a shared store, Import JSON is not offered: a file does not overwrite the class's thread.
    await run.page.locator("details.export summary").click();
    await run.page.getByRole("button", { name: "Download JSON" }).waitFor();
    assert.equal(await run.page.getByRole("button", { name: "Import JSON" }).count(), 0);
    await run.finish();
  });

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
    // Polled rarely, so only "Retry now" can send them soon after the server is back.
    const run = await restPage({ pollSeconds: 60 });
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
    // Said in a student's words: no browser error names, each with a way to try again now.
    for (const line of await waiting.allTextContents()) {
      assert.match(line, /^Waiting to retry: could not reach the server Retry now$/, line);
    }
    assert.doesNotMatch(await run.page.locator("section.thread").textContent(), /TypeError|Failed to fetch|\.json|\.wasm/);
    // A reload while they wait in the outbox keeps them, still waiting; what the server had
    // sent before shows from the cache although the server is down.
    await run.page.reload();
    await eventually(async () => assert.equal(await waiting.count(), 3), 8_000);
    await eventually(async () => assert.ok((await bodies(run.page)).includes("Online first."), "the cached thread shows offline"), 8_000);
    await server.start();
    // "Retry now" sends them at once (no online event, no backoff wait).
    await run.page.getByRole("button", { name: "Retry now" }).first().click();
    await eventually(async () => {
      const stored = await onServer();
      assert.equal(stored.length, before + 4, `the server holds ${JSON.stringify(stored)}`);
      for (const body of ["Offline one.", "Offline two.", "Offline three."]) {
        assert.equal(stored.filter((b) => b === body).length, 1, `${body} exactly once`);
      }
    }, 15_000);
    await eventually(async () => assert.equal(await waiting.count(), 0), 5_000);
    // "Sent" shows for a moment after delivery, then the line goes.
    await eventually(async () => assert.equal(await run.page.locator(".delivery").count(), 0), 8_000);
    await run.finish();
  });

  test("comments waiting for a server that comes back go within seconds, with no event from the browser", async () => {
    const run = await restPage();
    await run.page.goto(postUrl());
    await run.page.locator("form.composer").waitFor();
    await server.stop();
    await post(run.page, "Quinn", "Sent when the server is back.");
    await eventually(async () => assert.equal(await run.page.locator(".delivery.is-waiting").count(), 1), 8_000);
    // The banner says it in a student's words (the browser's are in the console).
    await eventually(async () => assert.equal(await run.page.locator(".store-problem").textContent({ timeout: 500 }), "The comment server cannot be reached; showing the saved copy."), 8_000);
    // Failures grow the backoff: wait until the next attempt is due well after the server's return.
    const nextAttempt = () =>
      run.page.evaluate((key) => {
        const entries = JSON.parse(localStorage.getItem(key) ?? "{}").entries ?? [];
        return entries.find((entry) => entry.state.status === "waiting")?.state.retryAt ?? 0;
      }, `colloquy:outbox:${POST}`);
    await eventually(async () => assert.ok((await nextAttempt()) - Date.now() > 6_000, "a long backoff"), 30_000);
    const due = await nextAttempt();
    await server.start();
    // The next poll (every second here) finds the server back and sends what waits.
    await eventually(async () => assert.ok((await onServer()).includes("Sent when the server is back.")), 10_000);
    const early = due - Date.now();
    assert.ok(early > 2_000, `sent only ${early} ms before its backoff was due`);
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

  test("the saved copy is kept per record: an old whole copy moves in, and a post writes its one record", async (t) => {
    const ids = [];
    // The other tests expect the server to hold only their own comments.
    t.after(async () => {
      for (const id of ids) await fetch(`${server.url}/comments/${encodeURIComponent(id)}`, { method: "DELETE" });
    });
    const at = "2026-01-01T00:00:00.000Z";
    const old = { id: "old-copy-1", postId: POST, parentId: null, author: "Earlier Visit", authorKey: null, body: "From the old saved copy.", createdAt: at, updatedAt: at, deleted: false };
    const oldKey = `colloquy:rest-cache:${POST}`;
    const space = `rest-cache:${POST}`;
    const run = await restPage();
    await run.context.addInitScript(
      ([key, json]) => {
        if (location.protocol !== "http:" || sessionStorage.getItem("seeded")) return;
        sessionStorage.setItem("seeded", "1");
        localStorage.setItem(key, json);
      },
      [oldKey, JSON.stringify({ version: 2, postId: POST, comments: [old], likes: [] })],
    );
    const { page } = run;
    await page.goto(postUrl());
    await page.locator("form.composer").waitFor();
    await eventually(async () => assert.ok((await bodies(page)).includes("From the old saved copy.")));
    await eventually(async () => assert.equal(await page.evaluate((key) => localStorage.getItem(key), oldKey), null, "the whole copy goes once its records are written"));
    const before = await readStoredThread(page, space);
    assert.deepEqual(before.comments.find((c) => c.id === old.id), old);

    await page.evaluate(() => {
      window.__puts = [];
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (value, key) {
        // The records' database only: rendered bodies have their own (colloquy-bodies).
        if (this.transaction.db.name === "colloquy") window.__puts.push(key);
        return put.call(this, value, key);
      };
    });
    await post(page, "Per Record", "Cached as one record.");
    await eventually(async () => assert.ok((await onServer()).includes("Cached as one record.")));
    let mine;
    await eventually(async () => {
      const cache = await readStoredThread(page, space);
      mine = cache.comments.find((c) => c.body === "Cached as one record.");
      assert.ok(mine);
      assert.equal(cache.comments.length, before.comments.length + 1);
    });
    ids.push(mine.id);
    // A poll or two bring the comment back from the server meanwhile.
    await page.waitForTimeout(2_500);
    const puts = await page.evaluate(() => window.__puts);
    assert.ok(puts.some(([where, id]) => where === space && id === mine.id), JSON.stringify(puts));
    assert.deepEqual(
      puts.filter(([where, id]) => !(where === space && id === mine.id)),
      [],
      "no other record is written again",
    );
    assert.deepEqual(await storageKeys(page, "colloquy:rest-cache:"), [], "no whole-thread key");
    assert.deepEqual(await storageKeys(page, "colloquy:c:"), [], "the records are in IndexedDB");

    // The next visit starts from the records, even before the server answers.
    await run.context.route(`${server.url}/**`, (route) => route.abort());
    await page.reload();
    await eventually(async () => {
      const shown = await bodies(page);
      assert.ok(shown.includes("From the old saved copy.") && shown.includes("Cached as one record."), JSON.stringify(shown));
    }, 10_000);
    await run.finish();
  });
});

describe("config.json", () => {
  /** The thread module files and config.json reads a page makes until its composer works. */
  async function modulesFetched(run, url) {
    const fetched = [];
    run.page.on("request", (request) => {
      const name = new URL(request.url()).pathname.split("/").pop();
      if (/^thread_app|^config\.json$/.test(name)) fetched.push(name);
    });
    await run.page.goto(url);
    await run.page.locator("form.composer").waitFor();
    return fetched.sort();
  }

  test("a built page loads the thread module for its store, reading config.json once", async () => {
    const page = `${shared.url}${POST}.html`;
    const local = await openPage(shared.browser);
    assert.deepEqual(await modulesFetched(local, page), ["config.json", "thread_app.js", "thread_app_bg.wasm"]);
    await local.finish();
    const rest = await restPage();
    assert.deepEqual(await modulesFetched(rest, page), ["config.json", "thread_app_shared.js", "thread_app_shared_bg.wasm"]);
    await rest.finish();
  });

  test("the post list counts comments with the thread module for its store", async () => {
    for (const [run, module] of [[await openPage(shared.browser), "thread_app_bg.wasm"], [await restPage(), "thread_app_shared_bg.wasm"]]) {
      const wasm = [];
      run.page.on("request", (request) => {
        if (request.url().endsWith(".wasm")) wasm.push(new URL(request.url()).pathname.split("/").pop());
      });
      await run.page.goto(shared.url);
      await run.page.locator(".card .comment-count a").first().waitFor();
      assert.ok(wasm.includes(module), JSON.stringify(wasm));
      assert.equal(wasm.filter((name) => name.startsWith("thread_app")).length, 1, JSON.stringify(wasm));
      await run.finish();
    }
  });

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
