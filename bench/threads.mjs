// 3. Large threads: render time, memory and adding one comment, the app against the same
// markup built in plain JS in the same page (src/ui/comment.rs's elements, bench/lib/plain-thread.mjs).
import { generateComments, storedThread } from "./lib/threads.mjs";
import { plainThread } from "./lib/plain-thread.mjs";
import {
  AFTER_PAINT, MOUNT, PAINTED, POST, failOnErrors, instrumentedContext, markTime, memory, quietAfter,
} from "./lib/page.mjs";
import { summary } from "./lib/stats.mjs";

export const LIMITS = { ratio1000: 1.3, usable10000Ms: 1000, firstScreen10000Ms: 300, memory10000Ratio: 2, addOneMs: 4, likeOneMs: 2 };
const PLAIN_KEY = "colloquy:bench:plain";
/** Chromium's localStorage takes about 5 M characters per origin (see the storage part). */
const FITS_IN_STORAGE = 4_500_000;

/** Where the plain-JS page reads a thread of this size: localStorage when it fits, else a file. */
const plainSourceOf = (stored) => (stored.length <= FITS_IN_STORAGE ? "localStorage" : "file");

/**
 * Writes a stored thread (schema v2 JSON) into the app's local store as a returning reader's
 * browser holds it: one IndexedDB record per comment and like (src/store/records.rs), all in
 * one transaction, in the origin of `page`, which has opened the store once already.
 */
const writeRecords = (page, post, stored) =>
  page.evaluate(
    ([post, stored]) =>
      new Promise((resolve, reject) => {
        const { comments, likes } = JSON.parse(stored);
        const opening = indexedDB.open("colloquy");
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const db = opening.result;
          const transaction = db.transaction(["comments", "likes"], "readwrite");
          for (const c of comments) transaction.objectStore("comments").put(c, [post, c.id]);
          for (const l of likes) transaction.objectStore("likes").put(l, [post, l.commentId, l.browserId]);
          transaction.oncomplete = () => {
            db.close();
            resolve();
          };
          transaction.onabort = () => reject(transaction.error);
        };
      }),
    [post, stored],
  );

/** A fresh browser context on the post, with `stored` (if any) in its local store. */
async function seededPage(browser, site, stored, problems) {
  const context = await instrumentedContext(browser);
  const page = await context.newPage();
  failOnErrors(page, problems);
  if (stored) {
    // The first visit opens (creates) the store; the thread is written into it after.
    await page.goto(`${site.url}?post=${POST}`);
    await page.locator("section.thread li.comment").first().waitFor({ timeout: 60_000 });
    await writeRecords(page, POST, stored);
  }
  return { context, page };
}

/** Opens the post with `count` comments stored; times from mount to painted and to usable. */
async function appRun(browser, site, count, stored, { scrollAll = true } = {}) {
  const problems = [];
  const { context, page } = await seededPage(browser, site, stored, problems);
  await page.goto(`${site.url}?post=${POST}`, { waitUntil: "commit" });
  // Every comment on screen, the post's 4 seed comments with them.
  const expected = count + 4;
  const painted = await markTime(page, PAINTED);
  const mount = await markTime(page, MOUNT);
  const quiet = await quietAfter(page, painted);
  // The app renders what the reader sees and nears (src/ui/reveal.rs): "all on screen" is
  // the reader scrolling to the end (once a frame) from the moment the thread is usable:
  // the time to usable plus the scrolling's.
  const complete = !scrollAll ? null : await page.evaluate(
    (n) =>
      new Promise((resolve, reject) => {
        // A live list (only the comment's <li> has the class `comment`): counting it each
        // frame costs nothing, where querySelectorAll would walk the whole page every frame.
        const comments = document.getElementsByClassName("comment");
        const started = performance.now();
        const deadline = started + 180_000;
        const step = () => {
          if (comments.length >= n) return resolve(performance.now() - started);
          if (performance.now() > deadline) return reject(new Error("not all comments came on screen"));
          window.scrollTo(0, document.documentElement.scrollHeight);
          requestAnimationFrame(step);
        };
        step();
      }),
    expected,
  );
  const shown = await page.locator("li.comment").count();
  const used = await memory(page);
  if (problems.length) throw new Error(problems.join("\n"));
  return { context, page, paintedMs: painted - mount, usableMs: quiet - mount, completeMs: complete === null ? null : quiet - mount + complete, scrollMs: complete, shown, memory: used };
}

/** The same comments built in plain JS in the app's page (post and 4 seed comments shown). */
async function plainRun(browser, site, stored) {
  const problems = [];
  const context = await instrumentedContext(browser);
  const source = plainSourceOf(stored);
  if (source === "localStorage") {
    await context.addInitScript(([key, json]) => localStorage.setItem(key, json), [PLAIN_KEY, stored]);
  } else {
    await context.route("**/bench/plain-thread.json", (route) => route.fulfill({ body: stored, contentType: "application/json" }));
  }
  const page = await context.newPage();
  failOnErrors(page, problems);
  await page.goto(`${site.url}?post=${POST}`);
  const painted = await markTime(page, PAINTED);
  await quietAfter(page, painted);
  const before = await memory(page);
  const ms = await page.evaluate(plainThread, {
    key: PLAIN_KEY,
    url: source === "localStorage" ? null : "bench/plain-thread.json",
    mode: "build",
    afterPaint: AFTER_PAINT,
  });
  const after = await memory(page);
  if (problems.length) throw new Error(problems.join("\n"));
  return { context, page, ms, memory: { jsHeap: after.jsHeap - before.jsHeap, blinkHeap: after.blinkHeap - before.blinkHeap, wasm: 0 } };
}

const megabytes = (bytes) => Number((bytes / 1048576).toFixed(1));

/** Memory the app holds for the thread: its page with `count` comments minus the page with none. */
function memoryDelta(withThread, empty) {
  return {
    jsHeapMB: megabytes(withThread.jsHeap - empty.jsHeap),
    blinkHeapMB: megabytes(withThread.blinkHeap - empty.blinkHeap),
    wasmMB: megabytes(withThread.wasm - empty.wasm),
    totalMB: megabytes(
      withThread.jsHeap + withThread.blinkHeap + withThread.wasm - empty.jsHeap - empty.blinkHeap - empty.wasm,
    ),
  };
}

/** Posts one comment in the app's composer and times click to painted, and to usable. */
async function addOne(page, index) {
  const composer = page.locator("form.composer").last();
  const body = `Bench comment ${index} ${Date.now()}`;
  const name = composer.getByLabel("Name", { exact: true });
  if (await name.count()) await name.fill("Bench Reader");
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  const started = await page.evaluate(
    ([text, afterPaint]) =>
      new Promise((resolve) => {
        // Found before the clock starts: searching a page of 5,000 comments is not the app's time.
        const forms = document.querySelectorAll("form.composer");
        const submit = forms[forms.length - 1].querySelector("button[type=submit]");
        const t0 = performance.now();
        // Only the added nodes are looked at: scanning the whole thread on every mutation
        // would time the benchmark's own check (about 5,000 textContent reads a batch).
        const seen = (records) =>
          records.some((r) => [...r.addedNodes].some((n) => n.textContent?.includes(text)));
        const observer = new MutationObserver((records) => {
          if (!seen(records)) return;
          observer.disconnect();
          eval(afterPaint).then(() => resolve({ t0, painted: performance.now() }));
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        window.__benchClick = t0;
        submit.click();
      }),
    [body, AFTER_PAINT],
  );
  const quiet = await quietAfter(page, started.painted, { quietMs: 500 });
  return { paintedMs: started.painted - started.t0, usableMs: quiet - started.t0 };
}

/** Likes one comment in the app and times the click to its count painted. */
async function likeOne(page, index) {
  return page.evaluate(
    ([index, afterPaint]) =>
      new Promise((resolve) => {
        const buttons = document.querySelectorAll("ol.comments > li.comment > article button.like");
        const button = buttons[buttons.length - 1 - index];
        const count = button.querySelector(".like-count");
        const before = count.textContent;
        const observer = new MutationObserver(() => {
          if (count.textContent === before) return;
          observer.disconnect();
          eval(afterPaint).then(() => resolve(performance.now() - t0));
        });
        observer.observe(count, { childList: true, subtree: true, characterData: true });
        const t0 = performance.now();
        button.click();
      }),
    [index, AFTER_PAINT],
  );
}

export async function measureThreads(browser, site, { sizes = [100, 1000, 10000], runs = { 100: 5, 1000: 5, 10000: 3 }, addCount = 5000, adds = 5, hundredThousand = false, log = () => {} } = {}) {
  const out = { sizes: {}, limits: LIMITS };
  // The page with no stored comments (the post and its 4 seed comments): the memory baseline.
  const empty = await appRun(browser, site, 0, null);
  const emptyMemory = empty.memory;
  await empty.context.close();
  for (const count of sizes) {
    const stored = storedThread(POST, generateComments(count, { postId: POST }));
    const app = [];
    const plain = [];
    for (let run = 0; run < (runs[count] ?? 3); run++) {
      const a = await appRun(browser, site, count, stored);
      await a.context.close();
      if (a.shown < Math.min(count, 50)) throw new Error(`${count} comments stored, ${a.shown} shown`);
      app.push(a);
      const p = await plainRun(browser, site, stored);
      await p.context.close();
      plain.push(p);
      log(`  ${count} comments (IndexedDB), run ${run + 1}: app painted ${a.paintedMs.toFixed(0)} ms, usable ${a.usableMs.toFixed(0)} ms, complete ${a.completeMs.toFixed(0)} ms, ${a.shown} li; plain ${p.ms.toFixed(0)} ms`);
    }
    const appComplete = summary(app.map((r) => r.completeMs));
    const plainMs = summary(plain.map((r) => r.ms));
    out.sizes[count] = {
      source: "IndexedDB",
      storedChars: stored.length,
      appPaintedMs: summary(app.map((r) => r.paintedMs)),
      appUsableMs: summary(app.map((r) => r.usableMs)),
      appCompleteMs: appComplete,
      plainMs,
      vsPlain: Number((appComplete.median / plainMs.median).toFixed(2)),
      appMemory: memoryDelta(app[app.length - 1].memory, emptyMemory),
      plainMemory: memoryDelta(plain[plain.length - 1].memory, { jsHeap: 0, blinkHeap: 0, wasm: 0 }),
      liShown: app[app.length - 1].shown,
    };
  }

  // 100,000 comments: stored (written into the local store in one transaction), opened and
  // usable; not scrolled through, and no plain-JS page of that size.
  if (hundredThousand) {
    const count = 100_000;
    const stored = storedThread(POST, generateComments(count, { postId: POST }));
    const started = Date.now();
    const a = await appRun(browser, site, count, stored, { scrollAll: false });
    const wholeMs = Date.now() - started;
    log(`  ${count} comments (IndexedDB): painted ${a.paintedMs.toFixed(0)} ms, usable ${a.usableMs.toFixed(0)} ms, ${a.shown} li`);
    out.hundredThousand = {
      storedChars: stored.length,
      appPaintedMs: a.paintedMs,
      appUsableMs: a.usableMs,
      liShown: a.shown,
      appMemory: memoryDelta(a.memory, emptyMemory),
      wholeRunMs: wholeMs,
    };
    await a.context.close();
  }

  // Adding one comment to a thread of `addCount`.
  const stored = storedThread(POST, generateComments(addCount, { postId: POST }));
  const a = await appRun(browser, site, addCount, stored);
  await a.page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const appAdds = [];
  for (let i = 0; i < adds; i++) {
    appAdds.push(await addOne(a.page, i));
    log(`  add one to ${addCount}: painted ${appAdds[i].paintedMs.toFixed(1)} ms, usable ${appAdds[i].usableMs.toFixed(1)} ms`);
  }
  const appLikes = [];
  for (let i = 0; i < adds; i++) {
    appLikes.push(await likeOne(a.page, i));
    log(`  like one of ${addCount}: painted ${appLikes[i].toFixed(1)} ms`);
  }
  await a.context.close();
  const p = await plainRun(browser, site, stored);
  const plainAdds = [];
  for (let i = 0; i < adds; i++) {
    plainAdds.push(await p.page.evaluate(plainThread, { key: PLAIN_KEY, mode: "append", afterPaint: AFTER_PAINT }));
  }
  await p.context.close();
  out.addOne = {
    threadSize: addCount,
    appPaintedMs: summary(appAdds.map((r) => r.paintedMs)),
    appUsableMs: summary(appAdds.map((r) => r.usableMs)),
    plainMs: summary(plainAdds),
  };
  out.likeOne = { threadSize: addCount, appPaintedMs: summary(appLikes) };
  return out;
}
