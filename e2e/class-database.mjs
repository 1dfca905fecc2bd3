// A class's CouchDB for the accounts tests (Chromium and Firefox): a PouchDB Server 4.2.0 with
// an admin (no "admin party"), `_users` accounts with roles, the design document installed with
// the host's staff roles (`couch-install --config`), a members-only database and an open one.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeServer, eventually, startPouchServer } from "./harness.mjs";

const INSTALL = fileURLToPath(new URL("../scripts/couch-install.mjs", import.meta.url));
const ADMIN = { name: "admin", password: "admin-secret" };

/**
 * The LMS page of `examples/embed.html`, framing the thread at `threadUrl`, served from another
 * site (127.0.0.2): `{ url, close }`.
 */
export async function serveLmsPage(threadUrl) {
  const example = readFileSync(new URL("../examples/embed.html", import.meta.url), "utf8");
  const framed = example.replace("https://courses.example.edu/colloquy/?post=the-struggle-for-freedom", threadUrl);
  assert.notEqual(framed, example);
  const host = http.createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(framed));
  await new Promise((resolve) => host.listen(0, "127.0.0.2", resolve));
  return {
    url: `http://127.0.0.2:${host.address().port}/week-5.html`,
    close: () => closeServer(host),
  };
}

/** Lets no cookie reach the database from `context` (as with third-party cookies blocked). */
export async function withoutCookies(context, couchUrl) {
  await context.route(`${couchUrl}/**`, (route) => {
    const headers = { ...route.request().headers() };
    delete headers.cookie;
    return route.continue({ headers });
  });
}

/**
 * A copy of the built site (`dist`, linked) whose config.json is `config`, in a temporary
 * folder: `{ dir, remove }`.
 */
export function siteWithConfig(config, label) {
  const dist = fileURLToPath(new URL("../dist", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), `colloquy-${label}-`));
  for (const entry of readdirSync(dist)) {
    if (entry !== "config.json") symlinkSync(join(dist, entry), join(dir, entry));
  }
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const AXE = fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));

/** What axe (WCAG 2.2 AA) finds wrong in the thread of `page` (or of a frame), one line each. */
export async function threadAxeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document.querySelector("#comments"), {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
  });
}

export const basic = (name, password) => `Basic ${Buffer.from(`${name}:${password}`).toString("base64")}`;

/** One HTTP exchange with JSON: `{ status, json }`. */
export async function call(method, url, headers, body) {
  const response = await fetch(url, { method, headers, body: body && JSON.stringify(body) });
  return { status: response.status, json: await response.json().catch(() => undefined) };
}

/**
 * Starts the server. `users` maps names to `{ password, roles }`; `roles` is config.json's
 * `roles`; `memberRoles` are the roles the members-only database admits. Returns the server,
 * both databases' URLs (as the browser reaches them), the admin's headers, `as(name)` (a
 * user's headers, with their current password) and `close()`.
 */
export async function startClassDatabase({ users, roles, memberRoles }) {
  const couch = await startPouchServer();
  const asAdmin = { Authorization: basic(ADMIN.name, ADMIN.password), "Content-Type": "application/json" };
  // An admin ends the server's "admin party": from here on, who writes is checked.
  await fetch(`${couch.admin}/_config/admins/${ADMIN.name}`, { method: "PUT", body: JSON.stringify(ADMIN.password) });
  for (const [name, { password, roles: userRoles }] of Object.entries(users)) {
    const made = await call("PUT", `${couch.admin}/_users/org.couchdb.user:${name}`, asAdmin, { name, password, roles: userRoles, type: "user" });
    assert.equal(made.status, 201, JSON.stringify(made.json));
  }
  const dir = mkdtempSync(join(tmpdir(), "colloquy-class-"));
  const config = join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ roles }));
  async function createDb(name, security) {
    assert.equal((await call("PUT", `${couch.admin}/${name}`, asAdmin)).status, 201);
    const withAdmin = new URL(`${couch.admin}/${name}`);
    withAdmin.username = ADMIN.name;
    withAdmin.password = ADMIN.password;
    await new Promise((resolve, reject) =>
      execFile(process.execPath, [INSTALL, withAdmin.href, "--config", config], (error, stdout, stderr) =>
        error ? reject(new Error(stderr)) : resolve(stdout),
      ),
    );
    if (security) assert.equal((await call("PUT", `${couch.admin}/${name}/_security`, asAdmin, security)).status, 200);
    return `${couch.url}/${name}`;
  }
  const dbUrl = await createDb("hist232", {
    admins: { names: [], roles: [] },
    members: { names: [], roles: memberRoles },
  });
  const openDbUrl = await createDb("open-blog");
  return {
    couch,
    dbUrl,
    openDbUrl,
    asAdmin,
    as: (name) => ({ Authorization: basic(name, users[name].password), "Content-Type": "application/json" }),
    /** The comment documents of a database, read as the admin. */
    async commentDocs(url) {
      const { json } = await call("GET", `${url}/_all_docs?include_docs=true`, asAdmin);
      return json.rows.map((row) => row.doc).filter((doc) => doc.type === "comment");
    },
    /** The comment with `body` in a database, once it has reached it. */
    async reached(url, body) {
      return eventually(async () => {
        const written = (await this.commentDocs(url)).find((doc) => doc.body === body);
        assert.ok(written, `"${body}" has not reached the database`);
        return written;
      }, 15_000);
    },
    async close() {
      await couch.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
