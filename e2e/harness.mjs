// Shared end-to-end harness: serves the release build under a sub-path on a free loopback
// port, launches Debian's Chromium, and opens pages that fail on any page or console error.
import http from "node:http";
import net from "node:net";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import sirv from "sirv";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ARTIFACTS = join(root, "e2e", "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

/**
 * Serves `dist/` at `basePath` (e.g. "/course/blog/") on `host` (127.0.0.1) and a free port,
 * with `headers` (e.g. a Content-Security-Policy) on every answer.
 */
export async function startSite({
  basePath = "/course/blog/",
  dist = join(root, "dist"),
  headers = {},
  host = "127.0.0.1",
} = {}) {
  const files = sirv(dist, { dev: true, etag: true });
  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (!req.url.startsWith(basePath)) {
      res.writeHead(404).end("outside the site's sub-path");
      return;
    }
    req.url = "/" + req.url.slice(basePath.length);
    files(req, res, () => res.writeHead(404).end("not found"));
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  const url = `http://${host}:${server.address().port}${basePath}`;
  return { url, close: () => closeServer(server) };
}

/**
 * Closes an HTTP server and every connection it holds: a browser that is still loading (or was
 * killed mid-load) keeps its connections open, and close() alone would wait for them for ever.
 */
export function closeServer(server) {
  if (!server?.listening) return Promise.resolve();
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  return closed;
}

/** Flags for Debian's Chromium here: no sandbox as root, and no connections beyond loopback. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

export async function launchChromium({ extraArgs = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [...extraArgs, ...CHROMIUM_FLAGS],
  });
}

/**
 * A page in a fresh context that records every uncaught error and console error.
 * `allowConsole` lists patterns of console errors a test expects (a deliberate 404, say);
 * `locale` is the browser's language (navigator.language, Accept-Language), as "ru-RU";
 * `colorScheme` and `reducedMotion` emulate the reader's preferences ("dark", "reduce").
 */
export async function openPage(
  browser,
  { viewport = { width: 1280, height: 900 }, allowConsole = [], locale, colorScheme, reducedMotion } = {},
) {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion, ...(locale ? { locale } : {}) });
  const page = await context.newPage();
  const problems = [];
  watchPage(page, problems, { allowConsole });
  return {
    page,
    context,
    problems,
    /** Closes the context; throws if anything went wrong on the page. */
    async finish() {
      await context.close();
      if (problems.length) throw new Error(`page errors:\n${problems.join("\n")}`);
    },
  };
}

/**
 * Records a page's uncaught errors, console errors (but those matching `allowConsole`) and
 * dialogs into `problems`, each line prefixed with `label` when one is given.
 */
export function watchPage(page, problems, { label = "", allowConsole = [] } = {}) {
  const prefix = label ? `${label} ` : "";
  page.on("pageerror", (error) => problems.push(`${prefix}uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (!allowConsole.some((pattern) => pattern.test(text))) problems.push(`${prefix}console: ${text}`);
  });
  page.on("dialog", (dialog) => {
    problems.push(`${prefix}dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
}

/** Retries `check` (which asserts) until it passes or `timeout` ms have passed. */
/** Clicks the download button named `name` and reads the file it saves: `{ name, text }`. */
export async function download(page, name) {
  // Hidden buttons are not in the accessibility tree; find them anyway.
  const trigger = page.getByRole("button", { name, exact: true, includeHidden: true });
  await trigger.waitFor({ state: "attached" });
  // The export buttons may sit in a closed disclosure (<details>): open it first.
  if (!(await trigger.isVisible())) {
    await page.locator("details", { has: trigger }).locator("summary").first().click();
  }
  const [file] = await Promise.all([page.waitForEvent("download"), trigger.click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

export async function eventually(check, timeout = 5_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export function screenshotPath(name) {
  return join(ARTIFACTS, `${name}.png`);
}

/**
 * Registers before/after hooks that serve the site and launch Chromium for a test file, and
 * returns an object whose `url` and `browser` are set once they are up.
 */
export function useSiteAndBrowser(options) {
  const shared = { url: undefined, browser: undefined };
  let site;
  before(async () => {
    site = await startSite(options);
    shared.url = site.url;
    shared.browser = await launchChromium();
  });
  after(async () => {
    await shared.browser?.close();
    await site?.close();
  });
  return shared;
}

/**
 * Returns `it(name, body, pageOptions)`: a test with a page in a fresh context of
 * `shared.browser` (options as `openPage`), 10 s default waits, and on failure a screenshot of
 * each of the context's pages, `<prefix>-fail-<name>-<n>.png`, and the page problems.
 */
export function pageTests(shared, prefix) {
  return (name, body, pageOptions = {}) =>
    test(name, { timeout: 90_000 }, async () => {
      const run = await openPage(shared.browser, pageOptions);
      run.context.setDefaultTimeout(10_000);
      try {
        await body(run);
      } catch (error) {
        const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase().slice(0, 60);
        for (const [index, page] of run.context.pages().entries()) {
          await page.screenshot({ path: screenshotPath(`${prefix}-fail-${slug}-${index}`), fullPage: true }).catch(() => {});
        }
        await run.context.close().catch(() => {});
        if (run.problems.length) error.message += `\npage problems:\n${run.problems.join("\n")}`;
        throw error;
      }
      await run.finish();
    });
}

/** An element's text with its white space collapsed. */
export const text = async (locator) => (await locator.textContent())?.replace(/\s+/g, " ").trim();

/** Waits until an element's text equals `expected` (a string) or matches it (a RegExp). */
export const expectText = (locator, expected, timeout) =>
  eventually(async () => {
    const actual = await text(locator);
    if (expected instanceof RegExp) assert.match(actual, expected);
    else assert.equal(actual, expected);
  }, timeout);

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it right after). */
async function freePort() {
  const probe = http.createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Stops a server process: SIGTERM, then SIGKILL if it has not exited within 5 s. */
async function terminate(child, exited = new Promise((resolve) => child.once("exit", resolve))) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * A real json-server 0.17.4 (npm) on a free loopback port with a fresh db file. `stop()` and
 * `start()` take it down and bring it back on the same port with the same data.
 */
export async function startJsonServer() {
  const dir = mkdtempSync(join(tmpdir(), "colloquy-json-server-"));
  const db = join(dir, "db.json");
  writeFileSync(db, JSON.stringify({ comments: [], likes: [], posts: [] }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child;
  const server = {
    url,
    async start() {
      child = spawn(join(root, "node_modules", ".bin", "json-server"), [db, "--port", String(port), "--host", "127.0.0.1", "--quiet"], {
        stdio: ["ignore", "ignore", "inherit"],
      });
      await eventually(async () => {
        const response = await fetch(`${url}/comments`);
        if (!response.ok) throw new Error(`json-server answered ${response.status}`);
      }, 15_000);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      // json-server writes db.json after it answers: wait until the file holds what it
      // served, so a restart brings back everything it acknowledged.
      const served = JSON.stringify(await (await fetch(`${url}/db`)).json());
      await eventually(async () => {
        if (JSON.stringify(JSON.parse(readFileSync(db, "utf8"))) !== served) throw new Error("db.json not written yet");
      }, 5_000);
      await terminate(child);
    },
    /** What the server holds for a collection, straight from its API. */
    async records(collection, query = "") {
      const response = await fetch(`${url}/${collection}${query}`);
      return response.json();
    },
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/**
 * A real PouchDB Server 4.2.0 (npm) in memory, CORS open to every origin, behind a loopback
 * gate: `stop()` closes the gate (connections refused, as from a server that is down) and
 * `start()` opens it again on the same port, while the data stays in the server's memory.
 * `url` is the server as the browser sees it; `admin` reaches it directly.
 */
export async function startPouchServer() {
  const dir = mkdtempSync(join(tmpdir(), "colloquy-pouchdb-"));
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({
      httpd: { enable_cors: "true" },
      cors: {
        origins: "*",
        credentials: "true",
        methods: "GET, PUT, POST, HEAD, DELETE",
        headers: "accept, authorization, content-type, origin, referer",
      },
      log: { file: join(dir, "log.txt") },
    }),
  );
  const [innerPort, port] = [await freePort(), await freePort()];
  const admin = `http://127.0.0.1:${innerPort}`;
  const child = spawn(
    join(root, "node_modules", ".bin", "pouchdb-server"),
    ["--in-memory", "--host", "127.0.0.1", "--port", String(innerPort), "--config", join(dir, "config.json"), "--no-stdout-logs"],
    { cwd: dir, stdio: ["ignore", "ignore", "inherit"] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await eventually(async () => {
    const response = await fetch(admin);
    if (!response.ok) throw new Error(`pouchdb-server answered ${response.status}`);
  }, 20_000);

  const sockets = new Set();
  const gate = net.createServer((socket) => {
    const upstream = net.connect(innerPort, "127.0.0.1");
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on("close", () => sockets.delete(end));
      end.on("error", () => {
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  const server = {
    url: `http://127.0.0.1:${port}`,
    admin,
    async start() {
      await new Promise((resolve) => gate.listen(port, "127.0.0.1", resolve));
    },
    async stop() {
      if (!gate.listening) return;
      const closed = new Promise((resolve) => gate.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    /** Creates a database; `design` installs the design document with the documented command. */
    async createDb(name, { design = true } = {}) {
      const created = await fetch(`${admin}/${name}`, { method: "PUT" });
      if (created.status !== 201) throw new Error(`creating ${name}: ${created.status}`);
      if (design) {
        await new Promise((resolve, reject) =>
          execFile(process.execPath, [join(root, "scripts", "couch-install.mjs"), `${admin}/${name}`], (error, stdout, stderr) =>
            error ? reject(new Error(`couch-install: ${stderr}`)) : resolve(stdout),
          ),
        );
      }
      return `${server.url}/${name}`;
    },
    /** Every document of the database but design documents, straight from the server. */
    async docs(name) {
      const response = await fetch(`${admin}/${name}/_all_docs?include_docs=true`);
      const { rows } = await response.json();
      return rows.map((row) => row.doc).filter((doc) => !doc._id.startsWith("_design/"));
    },
    async close() {
      await server.stop();
      await terminate(child, exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/**
 * The records kept under `space`, read in `page` from IndexedDB (database `colloquy`, object
 * stores `comments` and `likes`, keys starting with the space; src/store/records.rs): the local
 * store's thread of a post is its post id, a remote store's cached copy `rest-cache:<post>` or
 * `couch-cache:<post>`. `{ databaseVersion, comments, likes }` (each list in key order), or
 * `null` when the page's origin has no such database yet (the read never makes one).
 */
export const readStoredThread = (page, space) =>
  page.evaluate(
    (space) =>
      new Promise((resolve, reject) => {
        const opening = indexedDB.open("colloquy");
        opening.onupgradeneeded = () => opening.transaction.abort();
        opening.onerror = (event) => {
          event.preventDefault();
          resolve(null);
        };
        opening.onsuccess = () => {
          const db = opening.result;
          const range = IDBKeyRange.bound([space], [space, []]);
          const transaction = db.transaction(["comments", "likes"]);
          const thread = { databaseVersion: db.version };
          transaction.objectStore("comments").getAll(range).onsuccess = (e) => (thread.comments = e.target.result);
          transaction.objectStore("likes").getAll(range).onsuccess = (e) => (thread.likes = e.target.result);
          transaction.oncomplete = () => {
            db.close();
            resolve(thread);
          };
          transaction.onabort = () => {
            db.close();
            reject(transaction.error);
          };
        };
      }),
    space,
  );

/** The localStorage keys in `page` that start with `prefix`, sorted. */
export const storageKeys = (page, prefix) =>
  page.evaluate((prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix)).sort(), prefix);

/** Empties the local store of every post in `page`'s origin (IndexedDB records), as clearing site data would. */
export const clearStoredThreads = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const opening = indexedDB.open("colloquy");
        opening.onupgradeneeded = () => opening.transaction.abort();
        opening.onerror = (event) => {
          event.preventDefault();
          resolve();
        };
        opening.onsuccess = () => {
          const db = opening.result;
          const transaction = db.transaction(["comments", "likes"], "readwrite");
          transaction.objectStore("comments").clear();
          transaction.objectStore("likes").clear();
          transaction.oncomplete = () => {
            db.close();
            resolve();
          };
          transaction.onabort = () => reject(transaction.error);
        };
      }),
  );

/**
 * Selects the first occurrence of `words` in the post body's text, as a mouse drag would,
 * across the text nodes that highlights split it into.
 */
export async function selectInPost(page, words) {
  const found = await page.evaluate((words) => {
    const body = document.querySelector(".post-body");
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement.closest(".passage-count, .citation-anchor") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const nodes = [];
    let text = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push([node, text.length]);
      text += node.data;
    }
    const at = text.indexOf(words);
    if (at < 0) return false;
    const position = (offset) => {
      const [node, start] = nodes.findLast(([, start]) => start <= offset);
      return [node, offset - start];
    };
    const range = document.createRange();
    range.setStart(...position(at));
    range.setEnd(...position(at + words.length));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return true;
  }, words);
  assert.ok(found, `"${words}" is in the post`);
}
