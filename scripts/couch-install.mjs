#!/usr/bin/env node
// Installs (or updates) Colloquy's design document in a CouchDB database:
//
//   node scripts/couch-install.mjs https://admin:secret@db.example.org/course-blog [--create] [--config config.json]
//
// --config names the site's config.json: its `roles` (which account roles are instructors and
// TAs) go into the rules; without it, the roles `instructor` and `ta`.
// Credentials come from the URL or from COUCHDB_USER and COUCHDB_PASSWORD; installing a
// design document needs a database admin. --create creates the database when it is missing.
// See docs/couchdb.md.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { designDocument, DESIGN_DOC_ID } from "../couchdb/design/colloquy.mjs";

/** The database URL without credentials, and the headers that carry them. */
function target(dbUrl) {
  const url = new URL(dbUrl);
  if (!/^https?:$/.test(url.protocol)) throw new Error(`${dbUrl} is not an http(s) URL`);
  const user = decodeURIComponent(url.username) || process.env.COUCHDB_USER;
  const password = decodeURIComponent(url.password) || process.env.COUCHDB_PASSWORD;
  url.username = "";
  url.password = "";
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (user) headers.Authorization = `Basic ${Buffer.from(`${user}:${password ?? ""}`).toString("base64")}`;
  return { db: url.href.replace(/\/+$/, ""), headers };
}

async function call(method, url, headers, body) {
  const response = await fetch(url, { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

function failure(what, answer) {
  const reason = answer.json?.reason ?? answer.json?.error ?? answer.text.slice(0, 200);
  return new Error(`${what}: HTTP ${answer.status} ${reason}`);
}

/**
 * Puts the design document into the database at `dbUrl`; returns "installed", "updated" or
 * "unchanged".
 */
export async function installDesignDocument(dbUrl, { create = false, staffRoles = {} } = {}) {
  const { db, headers } = target(dbUrl);
  const info = await call("GET", db, headers);
  if (info.status === 404 && create) {
    const created = await call("PUT", db, headers);
    if (created.status !== 201 && created.status !== 202) throw failure(`creating ${db}`, created);
  } else if (info.status !== 200) {
    throw failure(`reading ${db}${info.status === 404 ? " (add --create to create it)" : ""}`, info);
  }
  const ddocUrl = `${db}/${DESIGN_DOC_ID}`;
  const wanted = designDocument(staffRoles);
  const current = await call("GET", ddocUrl, headers);
  if (current.status === 200) {
    const { _rev, ...stored } = current.json;
    if (JSON.stringify(stored) === JSON.stringify(wanted)) return "unchanged";
    wanted._rev = _rev;
  } else if (current.status !== 404) {
    throw failure(`reading ${ddocUrl}`, current);
  }
  const put = await call("PUT", ddocUrl, headers, wanted);
  if (put.status !== 201 && put.status !== 202) throw failure(`writing ${ddocUrl}`, put);
  return wanted._rev ? "updated" : "installed";
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const create = args.includes("--create");
  const configAt = args.indexOf("--config");
  const configFile = configAt >= 0 ? args[configAt + 1] : undefined;
  const urls = args.filter((arg, i) => arg !== "--create" && i !== configAt && (configAt < 0 || i !== configAt + 1));
  if (urls.length !== 1 || (configAt >= 0 && !configFile)) {
    console.error("usage: node scripts/couch-install.mjs <database URL> [--create] [--config config.json]");
    process.exit(2);
  }
  try {
    const staffRoles = configFile ? (JSON.parse(readFileSync(configFile, "utf8")).roles ?? {}) : {};
    const result = await installDesignDocument(urls[0], { create, staffRoles });
    console.log(`${DESIGN_DOC_ID}: ${result}`);
  } catch (error) {
    console.error(`couch-install: ${error.message}`);
    process.exit(1);
  }
}
