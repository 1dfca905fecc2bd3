// Accounts on the CouchDB store, against a real PouchDB Server 4.2.0 with `_users`, an admin
// and a members-only database: signing in and out with the Authorization header (no password
// kept), comments written as the account with the instructor's badge, the database refusing
// forged writes, a launcher's bearer token, and all of it inside a cross-site LMS frame.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { eventually, openPage, useSiteAndBrowser } from "./harness.mjs";
import { basic, call, serveLmsPage, startClassDatabase, threadAxeViolations, withoutCookies } from "./class-database.mjs";

const POST = "the-struggle-for-freedom";
const USERS = {
  alice: { password: "alice-pw-7731", roles: ["student"] },
  boris: { password: "boris-pw-1208", roles: ["student"] },
  prof: { password: "prof-pw-5590", roles: ["professor"] },
  outsider: { password: "outsider-pw-4410", roles: [] },
};
// The host names its instructors' role in config.json; the rules are installed with it.
const ROLES = { instructor: ["professor"] };

const shared = useSiteAndBrowser();
let couch;
let dbUrl;
let openDbUrl;
let asAdmin;
let as;
let classDb;
before(async () => {
  classDb = await startClassDatabase({ users: USERS, roles: ROLES, memberRoles: ["student", "professor"] });
  ({ couch, dbUrl, openDbUrl, asAdmin, as } = classDb);
});
after(async () => {
  await classDb?.close();
});

/** A reader's own browser, its config.json naming the database (and the host's roles). */
async function reader(url = dbUrl) {
  const run = await openPage(shared.browser, {
    // The members-only database answers 401 to a reader who has not signed in.
    allowConsole: [/Failed to load resource/, /net::/, /401/],
  });
  await run.context.route("**/config.json", (route) =>
    route.fulfill({ json: { store: { kind: "couchdb", url }, roles: ROLES } }),
  );
  return run;
}

async function openThread(page, hash = "") {
  await page.goto(`${shared.url}?post=${POST}${hash}`);
  await page.locator("form.composer").waitFor();
}

async function signIn(scope, name, password = USERS[name].password) {
  await scope.getByRole("button", { name: "Sign in", exact: true }).click();
  const form = scope.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Username").fill(name);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

async function post(scope, body) {
  const composer = scope.locator("form.composer").last();
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  await composer.getByRole("button", { name: "Post comment" }).click();
  await scope.locator("li.comment .comment-body").getByText(body, { exact: true }).waitFor();
}

/** A comment document as the app writes it, for forging by hand. */
const commentDoc = (id, fields) => ({
  _id: `${POST}:${id}`,
  type: "comment",
  id,
  postId: POST,
  parentId: null,
  author: "alice",
  authorKey: "browser-forged",
  body: "Forged.",
  createdAt: "2026-12-02T10:00:00.000Z",
  updatedAt: "2026-12-02T10:00:00.000Z",
  deleted: false,
  authorLock: "0".repeat(64),
  ...fields,
});

describe("accounts on CouchDB", () => {
  test("a members-only discussion asks to sign in; signed in, a student writes as their account and sees the instructor's badge live; signing out forgets them", async () => {
    const student = await reader();
    const { page } = student;
    const requests = [];
    page.on("request", (request) => requests.push(request));
    await openThread(page);

    // Not signed in and not a member: a prompt, not an error.
    await page.locator(".sign-in-prompt").getByText("This discussion is for members of the class. Sign in to read and join it.").waitFor();
    assert.equal(await page.locator(".store-problem").count(), 0);
    assert.deepEqual(await threadAxeViolations(page), []);

    // A wrong password: said plainly, the password field emptied, focus back in it.
    await signIn(page, "alice", "not-her-password");
    await page.getByRole("alert").getByText("Wrong username or password.").waitFor();
    const form = page.getByRole("form", { name: "Sign in" });
    assert.equal(await form.getByLabel("Password").inputValue(), "");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "sign-in-password");
    assert.deepEqual(await threadAxeViolations(page), []);
    await form.getByLabel("Password").fill(USERS.alice.password);
    await form.getByRole("button", { name: "Sign in" }).click();

    await page.locator(".account-status").getByText("Signed in as alice").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Sign out");
    await page.locator(".sign-in-prompt").waitFor({ state: "detached" });
    // The composer writes as the account: no name to type.
    const composer = page.locator("form.composer").last();
    await composer.getByText("Commenting as alice.").waitFor();
    assert.equal(await composer.getByLabel("Name", { exact: true }).count(), 0);
    await post(page, "Is release the same as rehabilitation?");
    const written = await classDb.reached(dbUrl, "Is release the same as rehabilitation?");
    assert.equal(written.author, "alice");
    assert.equal(written.account, "alice");
    assert.equal(written.accountRole, undefined);

    // The credential travels in the Authorization header, no cookie; no password is kept.
    const toDb = requests.filter((request) => request.url().startsWith(couch.url) && request.method() !== "OPTIONS");
    const signedIn = toDb.filter((request) => request.headers().authorization === basic("alice", USERS.alice.password));
    assert.ok(signedIn.some((request) => request.method() === "PUT"), "the comment's PUT carries the account");
    assert.ok(toDb.every((request) => !request.headers().cookie));
    const kept = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
    assert.ok(!kept.includes(USERS.alice.password), "a password is in the browser's storage");
    assert.ok(!kept.includes(Buffer.from(`alice:${USERS.alice.password}`).toString("base64")), "a credential is in the browser's storage");

    // The instructor, in a browser of their own, replies; the student sees the badge live.
    const instructor = await reader();
    await openThread(instructor.page);
    await signIn(instructor.page, "prof");
    await instructor.page.locator(".account-status").getByText("Signed in as prof").waitFor();
    assert.equal(await instructor.page.locator(".account-status .role-badge").textContent(), "Instructor");
    await instructor.page.locator("li.comment .comment-body").getByText("Is release the same as rehabilitation?").waitFor();
    await post(instructor.page, "Not in law: read Applebaum on 1956.");
    const theirs = page.locator("article.comment-card").filter({ hasText: "Not in law: read Applebaum on 1956." });
    await theirs.waitFor({ timeout: 15_000 });
    assert.equal(await theirs.locator(".comment-author").textContent(), "prof");
    assert.equal(await theirs.locator(".role-badge").textContent(), "Instructor");
    const mine = page.locator("article.comment-card").filter({ hasText: "Is release the same as rehabilitation?" });
    assert.equal(await mine.locator(".role-badge").count(), 0);
    assert.deepEqual(await threadAxeViolations(page), []);

    // Signing out: the name field is back, and what is sent carries no account.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Sign in");
    await page.locator("form.composer").last().getByLabel("Name", { exact: true }).waitFor();
    await instructor.finish();
    await student.finish();
  });

  test("the database refuses what a student forges: another author, an instructor's badge, another's comment, a non-member's write", async () => {
    // Another author than the writer.
    let answer = await call("PUT", `${dbUrl}/${POST}:forged-1`, as("alice"), commentDoc("forged-1", { author: "prof", account: "prof" }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:forged-2`, as("alice"), commentDoc("forged-2", { author: "Prof. Smith", account: "alice" }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    // A signed-in writer cannot leave the account out.
    answer = await call("PUT", `${dbUrl}/${POST}:forged-3`, as("alice"), commentDoc("forged-3", {}));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    // The instructor's badge, claimed by a student.
    answer = await call("PUT", `${dbUrl}/${POST}:forged-4`, as("alice"), commentDoc("forged-4", { account: "alice", accountRole: "instructor" }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    assert.match(answer.json.reason, /only an instructor/);
    // ...which the instructor's own account may carry (the host's role name, "professor").
    answer = await call("PUT", `${dbUrl}/${POST}:by-prof`, as("prof"), commentDoc("by-prof", { author: "prof", account: "prof", accountRole: "instructor" }));
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    // Editing another account's comment, even with its lock.
    const { json: profs } = await call("GET", `${dbUrl}/${POST}:by-prof`, as("alice"));
    answer = await call("PUT", `${dbUrl}/${POST}:by-prof`, as("alice"), { ...profs, body: "Changed by alice." });
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    // Not a member: refused before any rule.
    answer = await call("PUT", `${dbUrl}/${POST}:forged-5`, as("outsider"), commentDoc("forged-5", { author: "outsider", account: "outsider" }));
    assert.equal(answer.status, 401, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:forged-6`, { "Content-Type": "application/json" }, commentDoc("forged-6", {}));
    assert.equal(answer.status, 401, JSON.stringify(answer.json));
    const bodies = (await classDb.commentDocs(dbUrl)).map((doc) => doc.body);
    assert.ok(!bodies.includes("Changed by alice."));
  });

  test("an open database keeps the open mode: a reader who has not signed in types a name, and cannot claim an account", async () => {
    const run = await reader(openDbUrl);
    const { page } = run;
    await openThread(page);
    assert.equal(await page.locator(".sign-in-prompt").count(), 0);
    const composer = page.locator("form.composer").last();
    await composer.getByLabel("Name", { exact: true }).fill("Vera");
    await post(page, "No account needed here.");
    const doc = await classDb.reached(openDbUrl, "No account needed here.");
    assert.equal(doc.author, "Vera");
    assert.equal(doc.account, undefined);
    const forged = await call("PUT", `${openDbUrl}/${POST}:forged-7`, { "Content-Type": "application/json" }, commentDoc("forged-7", { account: "prof" }));
    assert.equal(forged.status, 403, JSON.stringify(forged.json));
    await run.finish();
  });

  test("a launcher's bearer token signs the reader in, leaves the address, and lasts a reload of the tab; a refused one says so", async () => {
    const run = await reader(openDbUrl);
    const { page } = run;
    // PouchDB Server has no JWT: the server's session answer for the token stands in for
    // CouchDB's (jwt_authentication), and every request is checked for the header.
    const sessionHeaders = [];
    await run.context.route(`${couch.url}/_session`, (route) => {
      const authorization = route.request().headers().authorization;
      sessionHeaders.push(authorization);
      if (authorization === "Bearer launch.token.1") {
        return route.fulfill({ json: { ok: true, userCtx: { name: "boris", roles: ["student"] } } });
      }
      return route.fulfill({ status: 401, json: { error: "unauthorized", reason: "Token expired." } });
    });
    const dbRequests = [];
    page.on("request", (request) => {
      if (request.url().startsWith(openDbUrl)) dbRequests.push(request.headers().authorization);
    });
    await openThread(page, "#colloquy-token=launch.token.1");
    await page.locator(".account-status").getByText("Signed in as boris").waitFor();
    assert.ok(!page.url().includes("colloquy-token"), page.url());
    assert.deepEqual(sessionHeaders, ["Bearer launch.token.1"]);
    await eventually(() => assert.ok(dbRequests.includes("Bearer launch.token.1")));
    await page.reload();
    await page.locator(".account-status").getByText("Signed in as boris").waitFor();

    const expired = await reader(openDbUrl);
    await expired.context.route(`${couch.url}/_session`, (route) =>
      route.fulfill({ status: 401, json: { error: "unauthorized", reason: "Token expired." } }),
    );
    await openThread(expired.page, "#colloquy-token=old.token");
    await expired.page.getByRole("alert").getByText("Your sign-in is no longer accepted. Sign in again: what you typed is kept.").waitFor();
    await expired.page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await expired.finish();
    await run.finish();
  });

  test("a sign-in that ends mid-session (the password changed) signs the reader out, says so, and the comment waits to be sent after signing in again", async () => {
    const run = await reader();
    const { page } = run;
    await openThread(page);
    // Live once signed in: the change feed is followed (before, the database refused reads).
    const live = page.waitForRequest((request) => request.url().includes("/_changes"));
    await signIn(page, "boris");
    await page.locator(".account-status").getByText("Signed in as boris").waitFor();
    await live;
    // The refusal under test is the comment's write: the feed's next request is held, so it
    // cannot find the password changed first (then the composer would ask for a name).
    await page.route(/\/_changes/, () => {});
    // An admin changes boris's password while he is on the page.
    const { json: user } = await call("GET", `${couch.admin}/_users/org.couchdb.user:boris`, asAdmin);
    const changed = await call("PUT", `${couch.admin}/_users/org.couchdb.user:boris`, asAdmin, { ...user, password: "boris-new-pw-9" });
    assert.equal(changed.status, 201, JSON.stringify(changed.json));
    // The server may take the old password a moment longer: the test starts once it does not.
    const oldPassword = { Authorization: basic("boris", USERS.boris.password) };
    await eventually(async () => assert.equal((await call("GET", dbUrl, oldPassword)).status, 401), 10_000);
    USERS.boris.password = "boris-new-pw-9";

    const composer = page.locator("form.composer").last();
    await composer.getByLabel("Comment", { exact: true }).fill("Sent after my password changed.");
    await composer.getByRole("button", { name: "Post comment" }).click();
    await page.getByRole("alert").getByText("Your sign-in is no longer accepted. Sign in again: what you typed is kept.").waitFor({ timeout: 10_000 });
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    // Nothing is lost: the comment is on the page, waiting to be sent.
    const card = page.locator("li.comment").filter({ hasText: "Sent after my password changed." });
    await eventually(async () => assert.match((await card.locator(".delivery").textContent()) ?? "", /sign in/), 30_000);
    assert.equal((await classDb.commentDocs(dbUrl)).filter((doc) => doc.body === "Sent after my password changed.").length, 0);

    await signIn(page, "boris");
    await page.locator(".account-status").getByText("Signed in as boris").waitFor();
    const doc = await classDb.reached(dbUrl, "Sent after my password changed.");
    assert.equal(doc.account, "boris");
    await run.finish();
  });

  test("inside a cross-site LMS frame, with third-party cookies blocked, a student signs in and comments", async () => {
    const lms = await serveLmsPage(`${shared.url}?post=${POST}`);
    const run = await reader();
    // No cookie at all reaches the frame's requests (as with third-party cookies blocked).
    await withoutCookies(run.context, couch.url);
    await run.page.goto(lms.url);
    const frame = run.page.frameLocator("#colloquy");
    await frame.locator(".sign-in-prompt").waitFor();
    await signIn(frame, "boris");
    await frame.locator(".account-status").getByText("Signed in as boris").waitFor();
    await post(frame, "Written from inside the LMS.");
    const doc = await classDb.reached(dbUrl, "Written from inside the LMS.");
    assert.equal(doc.account, "boris");
    await run.finish();
    await lms.close();
  });
});
