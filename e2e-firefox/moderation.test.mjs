// The staff's tools on CouchDB in Firefox ESR: an instructor pins and hides a comment and locks
// the discussion (each checked in the database); a student then sees the comment first and
// labelled, the hidden one's placeholder, the lock's notice, her progress on the checkpoints
// set and no staff button, and reports a comment. Against a PouchDB Server with `_users` accounts.
import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { By } from "selenium-webdriver";
import { startSite } from "../e2e/harness.mjs";
import { call, siteWithConfig, startClassDatabase } from "../e2e/class-database.mjs";
import { eventually, testInFirefox } from "./firefox.mjs";
import { count, textOf } from "./seed-page.mjs";

const POST = "the-struggle-for-freedom";
const USERS = {
  olga: { password: "olga-pw-5120", roles: ["student"] },
  prof: { password: "prof-pw-7741", roles: ["instructor"] },
};
const shared = {};

before(async () => {
  shared.classDb = await startClassDatabase({ users: USERS, roles: {}, memberRoles: ["student", "instructor"] });
  // The built site with its config.json naming the members-only database.
  shared.copy = siteWithConfig({ store: { kind: "couchdb", url: shared.classDb.dbUrl } }, "firefox-moderation");
  shared.site = await startSite({ dist: shared.copy.dir });
});
after(async () => {
  await shared.site?.close();
  await shared.classDb?.close();
  shared.copy?.remove();
});

/** The button named `name`, in the comment card holding `text` if given. */
const button = (driver, name, text = null) =>
  driver.executeScript(
    (name, text) => {
      const scope = text ? [...document.querySelectorAll("article.comment-card")].find((card) => card.textContent.includes(text)) : document;
      return [...(scope?.querySelectorAll("button") ?? [])].find((b) => b.textContent.trim() === name && !b.closest("[hidden]")) ?? null;
    },
    name,
    text,
  );

async function signIn(driver, name) {
  await eventually(async () => assert.ok(await button(driver, "Sign in")), 20_000);
  await (await button(driver, "Sign in")).click();
  const form = await driver.findElement(By.css("form.sign-in-form"));
  await form.findElement(By.id("sign-in-username")).sendKeys(name);
  await form.findElement(By.id("sign-in-password")).sendKeys(USERS[name].password);
  await form.findElement(By.css('button[type="submit"]')).click();
  await eventually(async () => assert.match((await textOf(driver, ".account-status")) ?? "", new RegExp(`^Signed in as ${name}`)), 15_000);
}

async function post(driver, body) {
  const composer = await driver.findElement(By.css("section.thread > form.composer"));
  await composer.findElement(By.css("textarea")).sendKeys(body);
  await composer.findElement(By.css('button[type="submit"]')).click();
  await shared.classDb.reached(shared.classDb.dbUrl, body);
  // Posting ends (the field emptied, Post enabled again) after the comment may have reached
  // the database: the next comment is typed once it has.
  await eventually(async () => {
    const state = await driver.executeScript(() => {
      const form = document.querySelector("section.thread > form.composer");
      return [form.querySelector("textarea").value, form.querySelector('button[type="submit"]').disabled];
    });
    assert.deepEqual(state, ["", false]);
  });
}

const decisions = async () => {
  const { json } = await call("GET", `${shared.classDb.dbUrl}/_all_docs?include_docs=true`, shared.classDb.asAdmin);
  return json.rows.map((row) => row.doc).filter((doc) => doc.type === "moderation" || doc.type === "report");
};

/** The text of the top-level comments' cards, in the order shown. */
const rootTexts = (driver) =>
  driver.executeScript(() => [...document.querySelectorAll("ol.comments > li.comment > article.comment-card")].map((card) => card.textContent));

describe("Firefox: the staff's tools on CouchDB", () => {
  testInFirefox(
    "an instructor pins, hides and locks; a student sees each, has no staff button, and reports a comment",
    async ({ driver }) => {
      await driver.get(`${shared.site.url}?post=${POST}`);
      await signIn(driver, "olga");
      await post(driver, "Olga's view: the thaw was partial.");
      await post(driver, "Olga's off-topic note.");
      await (await button(driver, "Sign out")).click();

      await signIn(driver, "prof");
      await eventually(async () => assert.ok(await button(driver, "Pin", "the thaw was partial")), 15_000);
      await (await button(driver, "Pin", "the thaw was partial")).click();
      await (await button(driver, "Hide", "off-topic note")).click();
      await (await button(driver, "Lock")).click();
      // Checkpoints, through Firefox's own date and time fields (their values set, as a picker
      // would: typing into them follows the locale's segment order).
      await (await button(driver, "Set checkpoints")).click();
      const checkpoints = await driver.findElement(By.css("form.checkpoints-form"));
      await driver.executeScript(() => {
        const due = new Date(Date.now() + 86_400_000);
        const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
        document.getElementById("checkpoint-comment-due").value = local(due);
        document.getElementById("checkpoint-replies-due").value = local(new Date(due.getTime() + 86_400_000));
      });
      await checkpoints.findElement(By.id("checkpoint-replies-required")).sendKeys("2");
      await checkpoints.findElement(By.css('button[type="submit"]')).click();
      await eventually(async () => {
        const docs = await decisions();
        assert.ok(docs.some((doc) => doc.pinned && doc.account === "prof"));
        assert.ok(docs.some((doc) => doc.hidden));
        assert.ok(docs.some((doc) => doc._id === `${POST}:settings` && doc.locked && doc.checkpoints?.repliesRequired === 2));
      }, 15_000);
      await (await button(driver, "Sign out")).click();

      await signIn(driver, "olga");
      await eventually(async () => {
        const roots = await rootTexts(driver);
        assert.match(roots[0] ?? "", /the thaw was partial/);
        assert.match(roots[0], /Pinned/);
      }, 15_000);
      assert.equal(await count(driver, "li.comment.is-deleted .comment-hidden"), 1);
      assert.equal(await textOf(driver, ".comment-hidden"), "Hidden by the instructor");
      assert.equal(await textOf(driver, ".locked-notice"), "This discussion is locked: no new comments or replies.");
      assert.equal(await driver.executeScript(() => document.querySelector("section.thread > form.composer").hidden), true);
      // Her progress: two comments in, no reply to a classmate yet.
      const progress = await driver.executeScript(() =>
        [...document.querySelectorAll(".checkpoints .checkpoint-progress")].map((p) => p.textContent),
      );
      assert.deepEqual(progress, ["1 of 1 comment", "0 of 2 replies"]);
      for (const name of ["Pin", "Endorse", "Hide", "Unhide", "Lock", "Unlock", "Reply", "Set checkpoints"]) {
        assert.equal(await button(driver, name), null, `a student has ${name}`);
      }

      // A report, with its reason.
      await (await button(driver, "Report")).click();
      const form = await driver.findElement(By.css("form.report-form"));
      await form.findElement(By.css('input[value="offensive"]')).click();
      await form.findElement(By.css('button[type="submit"]')).click();
      await eventually(async () => {
        const reports = (await decisions()).filter((doc) => doc.type === "report");
        assert.equal(reports.length, 1);
        assert.equal(reports[0].account, "olga");
        assert.equal(reports[0].reason, "offensive");
      }, 15_000);
    },
    { allowConsole: [/401/, /Unauthorized/i] },
  );
});
