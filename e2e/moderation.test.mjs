// The staff's tools on the CouchDB store, against a real PouchDB Server 4.2.0 with `_users`
// and a members-only database: an instructor pins, endorses, hides and locks, each seen live
// by a student who has none of the buttons; a student reports a comment and the instructor
// reviews it; and the database refuses decisions and reports that a student forges
// (validate_doc_update, couchdb/design/colloquy.mjs).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { download, eventually, openPage, useSiteAndBrowser } from "./harness.mjs";
import { call, serveLmsPage, startClassDatabase, threadAxeViolations, withoutCookies } from "./class-database.mjs";

const POST = "the-struggle-for-freedom";
const USERS = {
  alice: { password: "alice-pw-7731", roles: ["student"] },
  boris: { password: "boris-pw-1208", roles: ["student"] },
  carla: { password: "carla-pw-6604", roles: ["student"] },
  prof: { password: "prof-pw-5590", roles: ["professor"] },
  tina: { password: "tina-pw-3302", roles: ["assistant"] },
};
// The host's names for its staff roles in config.json; the rules are installed with them.
const ROLES = { instructor: ["professor"], ta: ["assistant"] };
const STAFF_BUTTONS = ["Pin", "Endorse", "Hide", "Unhide", "Lock", "Unlock"];

const shared = useSiteAndBrowser();
let couch;
let dbUrl;
let as;
let classDb;
before(async () => {
  classDb = await startClassDatabase({ users: USERS, roles: ROLES, memberRoles: ["student", "professor", "assistant"] });
  ({ couch, dbUrl, as } = classDb);
});
after(async () => {
  await classDb?.close();
});

/** A reader's browser on the thread, signed in as `name`. */
async function signedIn(name) {
  const run = await openPage(shared.browser, {
    // The members-only database answers 401 until the reader has signed in.
    allowConsole: [/Failed to load resource/, /net::/, /401/],
  });
  await run.context.route("**/config.json", (route) =>
    route.fulfill({ json: { store: { kind: "couchdb", url: dbUrl }, roles: ROLES } }),
  );
  await run.page.goto(`${shared.url}?post=${POST}`);
  await signIn(run.page, name);
  return run;
}

/** Signs the page's reader in (the password is kept in the page's memory only). */
async function signIn(page, name) {
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Username").fill(name);
  await form.getByLabel("Password").fill(USERS[name].password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".account-status").getByText(`Signed in as ${name}`).waitFor();
  await page.locator("form.composer").waitFor();
}

async function post(page, body) {
  const composer = page.locator("form.composer").last();
  await composer.getByLabel("Comment", { exact: true }).fill(body);
  await composer.getByRole("button", { name: "Post comment" }).click();
  await card(page, body).waitFor();
}

/** The card of the comment whose text includes `text` (its replies are outside it). */
const card = (page, text) => page.locator("article.comment-card").filter({ hasText: text });

/** The text of the top-level comments' cards, in the order shown. */
const rootTexts = (page) => page.locator("ol.comments > li.comment > article.comment-card").allTextContents();

async function staffButtonCount(page) {
  let count = 0;
  for (const name of STAFF_BUTTONS) count += await page.getByRole("button", { name, exact: true }).count();
  return count;
}

/** A time as a `datetime-local` field takes it, in this machine's zone (the browser's). */
function localInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Gives account `name` these roles, as an admin would, and waits until the server says so. */
async function setRoles(name, roles) {
  const url = `${couch.admin}/_users/org.couchdb.user:${name}`;
  const { json: user } = await call("GET", url, classDb.asAdmin);
  const changed = await call("PUT", url, classDb.asAdmin, { ...user, roles });
  assert.equal(changed.status, 201, JSON.stringify(changed.json));
  await eventually(async () => {
    const { json } = await call("GET", `${couch.url}/_session`, as(name));
    assert.deepEqual(json.userCtx.roles, roles);
  }, 10_000);
}

/** The documents of `type` in the database, read as the admin. */
async function docsOfType(type) {
  const { json } = await call("GET", `${dbUrl}/_all_docs?include_docs=true`, classDb.asAdmin);
  return json.rows.map((row) => row.doc).filter((doc) => doc.type === type);
}
const decisions = () => docsOfType("moderation");

describe("the staff's tools on CouchDB", () => {
  test("an instructor pins, endorses, hides and locks; the student sees each live and has none of the buttons", async () => {
    const student = await signedIn("alice");
    const { page } = student;
    await post(page, "Release was not rehabilitation.");
    await post(page, "Does anyone have the reading list?");
    await post(page, "Khrushchev's speech came first.");
    // A reply under the comment the instructor will hide: it stays.
    await card(page, "Does anyone have the reading list?").getByRole("button", { name: "Reply" }).click();
    const reply = page.locator("li.comment form.composer");
    await reply.getByLabel("Comment", { exact: true }).fill("Found it: it is on the course page.");
    await reply.getByRole("button", { name: "Post comment" }).click();
    await card(page, "Found it: it is on the course page.").waitFor();
    assert.equal(await staffButtonCount(page), 0, "a student sees no staff button");

    const instructor = await signedIn("prof");
    const staff = instructor.page;
    await card(staff, "Khrushchev's speech came first.").waitFor();
    assert.equal(await staff.locator(".account-status .role-badge").textContent(), "Instructor");

    // Pin: shown first, labelled, for everyone.
    const pinned = card(staff, "Khrushchev's speech came first.");
    await pinned.getByRole("button", { name: "Pin", exact: true }).click();
    await eventually(async () => assert.match((await rootTexts(page))[0], /Khrushchev's speech came first\./), 15_000);
    await card(page, "Khrushchev's speech came first.").locator(".mod-mark").getByText("Pinned").waitFor();
    assert.equal(await pinned.getByRole("button", { name: "Pin", exact: true }).getAttribute("aria-pressed"), "true");
    assert.match((await rootTexts(staff))[0], /Khrushchev's speech came first\./);

    // Endorse: labelled for everyone.
    await card(staff, "Release was not rehabilitation.").getByRole("button", { name: "Endorse", exact: true }).click();
    await card(page, "Release was not rehabilitation.").getByText("Endorsed by the instructor").waitFor({ timeout: 15_000 });

    // Hide: students see a placeholder in its place, the reply kept; the instructor sees it
    // dimmed, marked, with Unhide.
    const hidden = card(staff, "Does anyone have the reading list?");
    await hidden.getByRole("button", { name: "Hide", exact: true }).click();
    await page.getByText("Hidden by the instructor").waitFor({ timeout: 15_000 });
    assert.equal(await card(page, "Does anyone have the reading list?").count(), 0, "the student still sees the hidden text");
    await card(page, "Found it: it is on the course page.").waitFor();
    await hidden.getByText("Hidden from students").waitFor();
    await hidden.getByRole("button", { name: "Unhide", exact: true }).waitFor();
    assert.equal(await staff.locator("li.comment.is-hidden").count(), 1);

    assert.equal(await staffButtonCount(page), 0, "a student sees no staff button");
    assert.deepEqual(await threadAxeViolations(staff), []);
    assert.deepEqual(await threadAxeViolations(page), []);

    // Lock: no composer and no Reply for the student, a notice saying so; the instructor
    // can still write, and unlocks.
    await page.locator("form.composer").getByLabel("Comment", { exact: true }).fill("Typed before the lock.");
    await staff.getByRole("button", { name: "Lock", exact: true }).click();
    await page.getByText("This discussion is locked: no new comments or replies.").waitFor({ timeout: 15_000 });
    // Hidden, not taken away: what the student had typed is still there when it opens.
    await page.locator("form.composer").waitFor({ state: "hidden" });
    assert.equal(await page.getByRole("button", { name: "Reply" }).count(), 0);
    assert.equal(await page.getByRole("form", { name: /comment/i }).count(), 0);
    await staff.getByText("This discussion is locked: students cannot comment or reply until you unlock it.").waitFor();
    await staff.locator("form.composer").waitFor();
    await staff.getByRole("button", { name: "Unlock", exact: true }).click();
    await page.locator("form.composer").waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("form.composer").getByLabel("Comment", { exact: true }).inputValue(), "Typed before the lock.");
    assert.equal(await page.getByText("This discussion is locked").count(), 0);

    // Unhide: the comment is back for the student.
    await hidden.getByRole("button", { name: "Unhide", exact: true }).click();
    await card(page, "Does anyone have the reading list?").waitFor({ timeout: 15_000 });

    // Stored as the staff's own records, beside the comments, written as the instructor.
    const stored = await decisions();
    const byId = Object.fromEntries(stored.map((doc) => [doc._id, doc]));
    assert.equal(byId[`${POST}:settings`].locked, false);
    const pinDoc = stored.find((doc) => doc.pinned);
    assert.ok(pinDoc, "the pin is stored");
    assert.equal(pinDoc.account, "prof");
    assert.equal(pinDoc.accountRole, "instructor");
    assert.ok(stored.some((doc) => doc.endorsed));

    // A reload keeps every decision (it is the server's, not the page's).
    await page.reload();
    await signIn(page, "alice");
    await card(page, "Khrushchev's speech came first.").locator(".mod-mark").getByText("Pinned").waitFor({ timeout: 15_000 });
    await card(page, "Release was not rehabilitation.").getByText("Endorsed by the instructor").waitFor();
    assert.match((await rootTexts(page))[0], /Khrushchev's speech came first\./);
    await instructor.finish();
    await student.finish();
  });

  test("a student reports a comment; the instructor sees the count and the list, hides one and dismisses another", async () => {
    const writer = await signedIn("boris");
    await post(writer.page, "Buy cheap essays at example.com");
    await post(writer.page, "I think Applebaum overstates it.");
    const student = await signedIn("alice");
    const { page } = student;
    // No Report on one's own comment.
    await post(page, "My own view on 1956.");
    assert.equal(await card(page, "My own view on 1956.").getByRole("button", { name: "Report" }).count(), 0);

    // "Other" needs words; the message says so, and nothing is sent.
    const spam = card(page, "Buy cheap essays at example.com");
    await spam.getByRole("button", { name: "Report" }).click();
    const form = page.getByRole("form", { name: /^Report comment / });
    await form.getByRole("radio", { name: "Other" }).check();
    await form.getByRole("button", { name: "Send report" }).click();
    await form.getByRole("alert").getByText("Say in Details what is wrong with it.").waitFor();
    assert.deepEqual(await threadAxeViolations(page), []);
    await form.getByLabel("Details").fill("An advert for essay mills.");
    await form.getByRole("button", { name: "Send report" }).click();
    await form.waitFor({ state: "detached" });
    const reportedButton = spam.getByRole("button", { name: "Reported" });
    await reportedButton.waitFor();
    assert.ok(await reportedButton.isDisabled());
    await card(page, "I think Applebaum overstates it.").getByRole("button", { name: "Report" }).click();
    await page.getByRole("form", { name: /^Report comment / }).getByRole("radio", { name: "Offensive" }).check();
    await page.getByRole("form", { name: /^Report comment / }).getByRole("button", { name: "Send report" }).click();
    await card(page, "I think Applebaum overstates it.").getByRole("button", { name: "Reported" }).waitFor();
    // A student has no review list.
    assert.equal(await page.getByRole("button", { name: /^Reports/ }).count(), 0);
    const stored = await eventually(async () => {
      const reports = await docsOfType("report");
      assert.equal(reports.length, 2);
      return reports;
    }, 15_000);
    assert.ok(stored.every((doc) => doc.account === "alice" && doc.reviewed === false));
    assert.deepEqual(stored.map((doc) => doc.reason).sort(), ["offensive", "other"]);

    const instructor = await signedIn("prof");
    const staff = instructor.page;
    const toggle = staff.getByRole("button", { name: "Reports 2" });
    await toggle.waitFor({ timeout: 15_000 });
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    const review = staff.getByRole("region", { name: "Reports" });
    const spamItem = review.locator(".report-item").filter({ hasText: "Buy cheap essays" });
    await spamItem.getByText("Other, reported by alice").waitFor();
    await spamItem.getByText("An advert for essay mills.").waitFor();
    assert.deepEqual(await threadAxeViolations(staff), []);
    await spamItem.getByRole("button", { name: "Hide" }).click();
    // Hidden for the students, live; the report reviewed, so the count goes down.
    await card(page, "Buy cheap essays at example.com").waitFor({ state: "detached", timeout: 15_000 });
    await page.getByText("Hidden by the instructor").first().waitFor();
    await staff.getByRole("button", { name: "Reports 1" }).waitFor();
    const other = review.locator(".report-item").filter({ hasText: "I think Applebaum overstates it." });
    await other.getByText("Offensive, reported by alice").waitFor();
    await other.getByRole("button", { name: "Dismiss" }).click();
    await staff.getByRole("button", { name: "Reports 0" }).waitFor();
    await review.getByText("No reports to review.").waitFor();
    // Dismissed: the comment stays for everyone.
    await card(page, "I think Applebaum overstates it.").waitFor();
    await eventually(async () => {
      const reports = await docsOfType("report");
      assert.ok(reports.every((doc) => doc.reviewed), "both reports are reviewed");
    }, 15_000);
    await instructor.finish();
    await student.finish();
    await writer.finish();
  });

  test("post before seeing replies: a student who has not posted sees the composer and a notice, then the discussion once they post", async () => {
    const instructor = await signedIn("prof");
    const staff = instructor.page;
    const toggle = staff.getByRole("button", { name: "Post before seeing replies" });
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    await toggle.click();
    await staff.getByText("Students see the others' comments once they have posted their own.").waitFor({ timeout: 15_000 });
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    assert.ok(await staff.locator("ol.comments").isVisible(), "staff always see the discussion");

    const student = await signedIn("carla");
    const { page } = student;
    await page.getByText("The discussion opens after your first comment: post yours to see the others'.").waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("ol.comments").isVisible(), false);
    assert.equal(await page.locator("article.comment-card").filter({ hasText: "Release was not rehabilitation." }).isVisible(), false);
    assert.deepEqual(await threadAxeViolations(page), []);
    const composer = page.locator("section.thread > form.composer");
    await composer.getByLabel("Comment", { exact: true }).fill("My own reading first: the amnesty was political.");
    await composer.getByRole("button", { name: "Post comment" }).click();
    await card(page, "Release was not rehabilitation.").waitFor({ timeout: 15_000 });
    await card(page, "My own reading first: the amnesty was political.").waitFor();
    assert.equal(await page.getByText("The discussion opens after your first comment").count(), 0);

    await toggle.click();
    await staff.getByText("Students see the others' comments once they have posted their own.").waitFor({ state: "detached", timeout: 15_000 });
    const settings = (await decisions()).find((doc) => doc._id === `${POST}:settings`);
    assert.equal(settings.postFirst, false);
    await student.finish();
    await instructor.finish();
  });

  test("anonymous to classmates: a student sees classmates as Student N and their own name; staff see names", async () => {
    const instructor = await signedIn("prof");
    const staff = instructor.page;
    const student = await signedIn("alice");
    const { page } = student;
    const author = (scope, text) => card(scope, text).locator(".comment-author").textContent();
    assert.equal(await author(page, "I think Applebaum overstates it."), "boris");

    const toggle = staff.getByRole("button", { name: "Anonymous to classmates" });
    await toggle.click();
    await staff.getByText("Students see one another as “Student 1”, “Student 2” and so on; you see their names.").waitFor({ timeout: 15_000 });
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    await eventually(async () => assert.match(await author(page, "I think Applebaum overstates it."), /^Student \d+$/), 15_000);
    const pseudonym = await author(page, "I think Applebaum overstates it.");
    // The student's own comments keep her name; staff see the names.
    assert.equal(await author(page, "Release was not rehabilitation."), "alice");
    assert.equal(await card(page, "I think Applebaum overstates it.").locator(".avatar").textContent(), "S" + pseudonym.split(" ")[1].slice(0, 1));
    assert.equal(await page.locator("article.comment-card .comment-author").getByText("boris", { exact: true }).count(), 0);
    assert.equal(await author(staff, "I think Applebaum overstates it."), "boris");
    assert.deepEqual(await threadAxeViolations(page), []);

    await toggle.click();
    await eventually(async () => assert.equal(await author(page, "I think Applebaum overstates it."), "boris"), 15_000);
    await student.finish();
    await instructor.finish();
  });

  test("checkpoints: the instructor sets one comment and 2 replies by two dates; a student sees their progress live; the participation CSV says who met them", async () => {
    const instructor = await signedIn("prof");
    const staff = instructor.page;
    const student = await signedIn("carla");
    const { page } = student;
    await card(page, "My own reading first: the amnesty was political.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Set checkpoints" }).count(), 0, "students do not set checkpoints");

    const open = staff.getByRole("button", { name: "Set checkpoints" });
    await open.click();
    assert.equal(await open.getAttribute("aria-expanded"), "true");
    const form = staff.getByRole("form", { name: "Set checkpoints" });
    // Nothing set, and replies due before the comment: each refused with its reason.
    await form.getByRole("button", { name: "Save checkpoints" }).click();
    await form.getByRole("alert").getByText("Set the date and time the first comment is due.").waitFor();
    const day = 86_400_000;
    await form.getByLabel("First comment due").fill(localInput(Date.now() + 2 * day));
    await form.getByLabel("Replies to classmates required").fill("2");
    await form.getByRole("button", { name: "Save checkpoints" }).click();
    await form.getByRole("alert").getByText("Set the date and time the replies are due.").waitFor();
    await form.getByLabel("Replies due").fill(localInput(Date.now() + day));
    await form.getByRole("button", { name: "Save checkpoints" }).click();
    await form.getByRole("alert").getByText("Replies cannot be due before the first comment.").waitFor();
    assert.deepEqual(await threadAxeViolations(staff), []);
    await form.getByLabel("Replies due").fill(localInput(Date.now() + 3 * day));
    await form.getByRole("button", { name: "Save checkpoints" }).click();
    await form.waitFor({ state: "detached" });
    await staff.getByText("Checkpoints saved.").waitFor({ timeout: 15_000 });

    // Every reader sees the goals; staff are not graded, so no progress of their own.
    const goals = (scope) => scope.getByRole("region", { name: "Checkpoints" });
    await goals(staff).getByText(/^One comment by /).waitFor();
    await goals(staff).getByText(/^2 replies to classmates by /).waitFor();
    assert.deepEqual(await goals(staff).locator(".checkpoint-progress").allTextContents(), ["", ""]);
    const settings = (await decisions()).find((doc) => doc._id === `${POST}:settings`);
    assert.equal(settings.checkpoints.repliesRequired, 2);
    assert.ok(Date.parse(settings.checkpoints.commentDue) < Date.parse(settings.checkpoints.repliesDue));

    // The student: her comment is in, no reply to a classmate yet; one reply moves it live.
    const progress = () => goals(page).locator(".checkpoint").allTextContents();
    await eventually(async () => {
      const [comment, replies] = await progress();
      assert.match(comment, /1 of 1 comment\s*Met/);
      assert.match(replies, /0 of 2 replies/);
    }, 15_000);
    assert.deepEqual(await threadAxeViolations(page), []);
    await card(page, "I think Applebaum overstates it.").getByRole("button", { name: "Reply" }).click();
    const reply = page.locator("li.comment form.composer");
    await reply.getByLabel("Comment", { exact: true }).fill("Overstates, but the numbers hold.");
    await reply.getByRole("button", { name: "Post comment" }).click();
    await eventually(async () => assert.match((await progress())[1], /1 of 2 replies/), 15_000);

    // The export says who met what as soon as the reply has reached the instructor's page, even
    // while it still waits behind "1 new comment" (the instructor has not shown it).
    const newComment = staff.getByRole("button", { name: "1 new comment" });
    await newComment.waitFor({ timeout: 15_000 });
    assert.equal(await card(staff, "Overstates, but the numbers hold.").count(), 0, "the reply is not shown yet");
    const csv = await download(staff, "Download participation CSV");
    const rows = csv.text.trim().split("\r\n").map((line) => line.split(","));
    assert.deepEqual(rows[0], [
      "author", "comments", "replies", "words", "likes", "first", "last",
      "comments_on_time", "replies_on_time", "comment_checkpoint_met", "replies_checkpoint_met",
    ]);
    const carla = rows.find((row) => row[0] === "carla");
    assert.deepEqual([carla[1], carla[2], ...carla.slice(7)], ["1", "1", "1", "1", "yes", "no"]);
    await newComment.click();
    await card(staff, "Overstates, but the numbers hold.").waitFor();

    // A comment due date already past: her comment came after it, so that checkpoint is missed.
    await open.click();
    const again = staff.getByRole("form", { name: "Set checkpoints" });
    assert.equal(await again.getByLabel("Replies to classmates required").inputValue(), "2", "the form opens with what is set");
    await again.getByLabel("First comment due").fill("2020-01-01T09:00");
    await again.getByRole("button", { name: "Save checkpoints" }).click();
    await eventually(async () => assert.match((await progress())[0], /0 of 1 comment\s*Missed \(1 after the date\)/), 15_000);

    // Removed: the goals go for everyone.
    await open.click();
    await staff.getByRole("form", { name: "Set checkpoints" }).getByRole("button", { name: "Remove checkpoints" }).click();
    await goals(page).waitFor({ state: "detached", timeout: 15_000 });
    assert.equal(await goals(staff).count(), 0);
    await student.finish();
    await instructor.finish();
  });

  test("inside a cross-site LMS frame, with no cookie reaching the database, the instructor pins and the student sees it", async () => {
    const lms = await serveLmsPage(`${shared.url}?post=${POST}`);
    const inFrame = async (name) => {
      const run = await openPage(shared.browser, { allowConsole: [/Failed to load resource/, /net::/, /401/] });
      await run.context.route("**/config.json", (route) =>
        route.fulfill({ json: { store: { kind: "couchdb", url: dbUrl }, roles: ROLES } }),
      );
      await withoutCookies(run.context, couch.url);
      await run.page.goto(lms.url);
      const frame = run.page.frameLocator("#colloquy");
      await frame.locator(".sign-in-prompt").waitFor();
      await signIn(frame, name);
      return { run, frame };
    };
    const student = await inFrame("alice");
    await post(student.frame, "Asked from inside the LMS.");
    const instructor = await inFrame("prof");
    await card(instructor.frame, "Asked from inside the LMS.").getByRole("button", { name: "Endorse", exact: true }).click();
    await card(student.frame, "Asked from inside the LMS.").getByText("Endorsed by the instructor").waitFor({ timeout: 15_000 });
    assert.ok((await decisions()).some((doc) => doc.endorsed && doc.account === "prof"));
    await instructor.run.finish();
    await student.run.finish();
    await lms.close();
  });

  test("the database refuses decisions a student forges, and takes a TA's as a TA's", async () => {
    const decision = (id, fields) => ({
      _id: `${POST}:mod:${id}`,
      type: "moderation",
      id: `mod:${id}`,
      postId: POST,
      commentId: id,
      pinned: true,
      endorsed: false,
      hidden: false,
      locked: false,
      updatedAt: "2026-12-02T10:00:00.000Z",
      account: "alice",
      accountRole: "instructor",
      ...fields,
    });
    // A student pins, claiming the instructor's role, or a TA's.
    let answer = await call("PUT", `${dbUrl}/${POST}:mod:c1`, as("alice"), decision("c1", {}));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:mod:c1`, as("alice"), decision("c1", { accountRole: "ta" }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    // A student locks the discussion.
    const settings = { ...decision("x", { pinned: false, locked: true }), _id: `${POST}:settings`, id: "settings", commentId: null };
    answer = await call("PUT", `${dbUrl}/${POST}:settings`, as("alice"), settings);
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:settings`, as("alice"), { ...settings, locked: false, postFirst: false });
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    // A student sets `pinned` on a comment of their own.
    answer = await call("PUT", `${dbUrl}/${POST}:self-pin`, as("alice"), {
      _id: `${POST}:self-pin`,
      type: "comment",
      id: "self-pin",
      postId: POST,
      parentId: null,
      author: "alice",
      authorKey: "browser-forged",
      body: "Pinned by me.",
      createdAt: "2026-12-02T10:00:00.000Z",
      updatedAt: "2026-12-02T10:00:00.000Z",
      deleted: false,
      authorLock: "0".repeat(64),
      account: "alice",
      pinned: true,
    });
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    // A student sets checkpoints; the instructor puts them on a comment, or asks for 50 replies.
    const checkpoints = { commentDue: "2026-12-09T10:00:00.000Z", repliesRequired: 2, repliesDue: "2026-12-16T10:00:00.000Z" };
    answer = await call("PUT", `${dbUrl}/${POST}:settings`, as("alice"), { ...settings, locked: false, checkpoints });
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:mod:c4`, as("prof"), decision("c4", { account: "prof", pinned: false, checkpoints }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    const { json: current } = await call("GET", `${dbUrl}/${POST}:settings`, classDb.asAdmin);
    answer = await call("PUT", `${dbUrl}/${POST}:settings`, as("prof"), {
      ...current,
      account: "prof",
      checkpoints: { ...checkpoints, repliesRequired: 50 },
    });
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    assert.match(answer.json.reason, /repliesRequired/);
    // The instructor decides only as their own account.
    answer = await call("PUT", `${dbUrl}/${POST}:mod:c1`, as("prof"), decision("c1", { account: "alice" }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    // A TA decides as a TA, not as an instructor.
    answer = await call("PUT", `${dbUrl}/${POST}:mod:c2`, as("tina"), decision("c2", { account: "tina" }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    assert.match(answer.json.reason, /only an instructor decides as one/);
    answer = await call("PUT", `${dbUrl}/${POST}:mod:c2`, as("tina"), decision("c2", { account: "tina", accountRole: "ta" }));
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    // Not signed in: refused before any rule (the database is for members).
    answer = await call("PUT", `${dbUrl}/${POST}:mod:c3`, { "Content-Type": "application/json" }, decision("c3", {}));
    assert.equal(answer.status, 401, JSON.stringify(answer.json));
    const forged = (await decisions()).filter((doc) => ["c1", "c2", "c3"].includes(doc.commentId));
    assert.deepEqual(forged.map((doc) => doc._id), [`${POST}:mod:c2`]);

    // Reports: only as one's own account; another reader's report cannot be changed by a
    // student; staff only mark one reviewed.
    const report = (account, fields) => ({
      _id: `${POST}:report:c9:${account}`,
      type: "report",
      id: `report:c9:${account}`,
      postId: POST,
      commentId: "c9",
      account,
      reason: "offensive",
      details: "",
      reviewed: false,
      updatedAt: "2026-12-02T10:00:00.000Z",
      ...fields,
    });
    answer = await call("PUT", `${dbUrl}/${POST}:report:c9:boris`, as("alice"), report("boris", {}));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:report:c9:alice`, as("alice"), report("alice", { reviewed: true }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:report:c9:alice`, as("alice"), report("alice", { reason: "other" }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json), "other needs details");
    answer = await call("PUT", `${dbUrl}/${POST}:report:c9:alice`, as("alice"), report("alice", {}));
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    const rev = answer.json.rev;
    answer = await call("PUT", `${dbUrl}/${POST}:report:c9:alice`, as("boris"), report("alice", { _rev: rev, reviewed: true }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:report:c9:alice`, as("prof"), report("alice", { _rev: rev, reviewed: true, details: "Changed." }));
    assert.equal(answer.status, 403, JSON.stringify(answer.json));
    answer = await call("PUT", `${dbUrl}/${POST}:report:c9:alice`, as("prof"), report("alice", { _rev: rev, reviewed: true }));
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
  });
  test("a TA whose role is taken away mid-session loses the staff tools at her next refused decision, is told so, and keeps what she typed", async () => {
    const assistant = await signedIn("tina");
    const { page } = assistant;
    await page.locator(".account-status .role-badge").getByText("TA", { exact: true }).waitFor();
    const target = card(page, "I think Applebaum overstates it.");
    const endorse = target.getByRole("button", { name: "Endorse", exact: true });
    await endorse.waitFor();
    const composer = page.locator("section.thread > form.composer");
    await composer.getByLabel("Comment", { exact: true }).fill("A note to the class, half written.");

    // An admin takes the TA role away while she is on the page.
    await setRoles("tina", ["student"]);
    const before = (await decisions()).length;
    await endorse.click();
    await page
      .getByRole("alert")
      .getByText("The server no longer gives you the TA role, so the staff tools are gone. What you typed is kept.")
      .waitFor({ timeout: 15_000 });
    await eventually(async () => assert.equal(await staffButtonCount(page), 0), 5_000);
    assert.equal(await page.locator(".account-status .role-badge").count(), 0);
    await page.locator(".account-status").getByText("Signed in as tina").waitFor();
    assert.equal(await composer.getByLabel("Comment", { exact: true }).inputValue(), "A note to the class, half written.");
    assert.equal((await decisions()).length, before, "the refused decision is not stored");
    assert.deepEqual(await threadAxeViolations(page), []);

    await setRoles("tina", ["assistant"]);
    await assistant.finish();
  });
});
