// Accounts on CouchDB in Firefox ESR: a members-only database asks to sign in; a wrong password
// is said plainly; signed in, a comment is written as the account (checked in the database);
// signing out brings the name field back. Against a PouchDB Server with `_users` accounts.
import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { By } from "selenium-webdriver";
import { startSite } from "../e2e/harness.mjs";
import { siteWithConfig, startClassDatabase } from "../e2e/class-database.mjs";
import { eventually, testInFirefox } from "./firefox.mjs";
import { count, textOf } from "./seed-page.mjs";

const USERS = { nadia: { password: "nadia-pw-3381", roles: ["student"] } };
const shared = {};

before(async () => {
  shared.classDb = await startClassDatabase({ users: USERS, roles: {}, memberRoles: ["student"] });
  // The built site with its config.json naming the members-only database.
  shared.copy = siteWithConfig({ store: { kind: "couchdb", url: shared.classDb.dbUrl } }, "firefox-accounts");
  shared.site = await startSite({ dist: shared.copy.dir });
});
after(async () => {
  await shared.site?.close();
  await shared.classDb?.close();
  shared.copy?.remove();
});

const button = (driver, name) =>
  driver.executeScript((name) => [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === name) ?? null, name);

describe("Firefox: accounts on CouchDB", () => {
  testInFirefox(
    "a members-only discussion asks to sign in; signed in, the comment is written as the account; signing out brings the name back",
    async ({ driver }) => {
      await driver.get(`${shared.site.url}?post=the-struggle-for-freedom`);
      await eventually(async () => {
        assert.equal(await textOf(driver, ".sign-in-prompt"), "This discussion is for members of the class. Sign in to read and join it.");
      }, 20_000);
      assert.equal(await count(driver, ".store-problem"), 0);

      await (await button(driver, "Sign in")).click();
      const form = await driver.findElement(By.css("form.sign-in-form"));
      await form.findElement(By.id("sign-in-username")).sendKeys("nadia");
      await form.findElement(By.id("sign-in-password")).sendKeys("wrong");
      await form.findElement(By.css('button[type="submit"]')).click();
      await eventually(async () => assert.equal(await textOf(driver, "#sign-in-error"), "Wrong username or password."));
      assert.equal(await driver.executeScript(() => document.activeElement?.id), "sign-in-password");
      await form.findElement(By.id("sign-in-password")).sendKeys(USERS.nadia.password);
      await form.findElement(By.css('button[type="submit"]')).click();
      await eventually(async () => assert.match((await textOf(driver, ".account-status")) ?? "", /^Signed in as nadia/));

      const composer = await driver.findElement(By.css("form.composer"));
      assert.equal(await count(driver, "form.composer input"), 0, "no name to type when signed in");
      await composer.findElement(By.css("textarea")).sendKeys("Written in Firefox as my account.");
      await composer.findElement(By.css('button[type="submit"]')).click();
      const doc = await shared.classDb.reached(shared.classDb.dbUrl, "Written in Firefox as my account.");
      assert.equal(doc.author, "nadia");
      assert.equal(doc.account, "nadia");
      // Posting ends by focusing the new comment (it may reach the database first): sign out
      // after that, so the focus checked below is the sign-out's.
      await eventually(async () =>
        assert.match(await driver.executeScript(() => document.activeElement?.textContent ?? ""), /Written in Firefox as my account\./),
      );
      const kept = await driver.executeScript(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
      assert.ok(!kept.includes(USERS.nadia.password), "the password is in the browser's storage");

      await (await button(driver, "Sign out")).click();
      await eventually(async () => assert.equal(await count(driver, "form.composer input"), 1));
      assert.equal(await driver.executeScript(() => document.activeElement?.textContent), "Sign in");
    },
    { allowConsole: [/401/, /Unauthorized/i] },
  );
});
