// Moment-to-moment behaviour in Firefox ESR (issue 18): where focus goes after posting,
// replying, editing and deleting; the delete confirmation in tab order; a long comment's fold;
// a link to a comment that is not there; a citation preview that closes when focus moves on.
import { describe } from "node:test";
import assert from "node:assert/strict";
import { By, Key } from "selenium-webdriver";
import { eventually, testInFirefox, useSeedSite } from "./firefox.mjs";
import { count, openSeedPost, postComment, press, textOf } from "./seed-page.mjs";

const { postUrl } = useSeedSite();

const it = testInFirefox;

/** What has focus: its tag, role and text, and the comment it is in. */
const focused = (driver) =>
  driver.executeScript(() => {
    const element = document.activeElement;
    return {
      tag: element?.tagName ?? "",
      role: element?.getAttribute("role") ?? "",
      text: element?.textContent?.trim() ?? "",
      comment: element?.closest("li.comment")?.id ?? "",
      autocomplete: element?.getAttribute("autocomplete") ?? "",
    };
  });
const focusIs = (driver, expected) =>
  eventually(async () => {
    const now = await focused(driver);
    for (const [key, value] of Object.entries(expected)) assert.equal(now[key], value, JSON.stringify(now));
  });
/** The button named `name` in comment `number`'s own card. */
const cardButton = (driver, number, name) =>
  driver.executeScript(
    (id, name) =>
      [...document.getElementById(id).querySelector(":scope > article").querySelectorAll("button")].find(
        (button) => button.textContent.trim() === name,
      ),
    `comment-${number}`,
    name,
  );

describe("Firefox: focus in the thread", () => {
  it("an empty name takes focus; posting, replying and saving focus the comment; Save follows the text", async ({ driver }) => {
    await openSeedPost(driver, postUrl());
    await driver.findElement(By.css('form.composer button[type="submit"]')).click();
    await focusIs(driver, { tag: "INPUT", autocomplete: "name" });
    await postComment(driver, { name: "Fox Focus", body: "Posted in Firefox.", number: "5" });
    await focusIs(driver, { tag: "ARTICLE", comment: "comment-5" });

    await (await cardButton(driver, "1", "Reply")).click();
    await focusIs(driver, { tag: "TEXTAREA", comment: "comment-1" });
    assert.equal(await textOf(driver, 'li.comment[id="comment-1"] .composer-context'), "Reply to Parker Nguyen, as Fox Focus. Change name");
    assert.equal(await count(driver, 'li.comment[id="comment-1"] form.composer input'), 0, "no second ask for the name");
    await press(driver, "A reply from Firefox.");
    await driver.findElement(By.css('li.comment[id="comment-1"] form.composer button[type="submit"]')).click();
    await focusIs(driver, { tag: "ARTICLE", comment: "comment-1.1" });

    await (await cardButton(driver, "5", "Edit")).click();
    await focusIs(driver, { tag: "TEXTAREA", comment: "comment-5" });
    assert.equal(await driver.executeScript(() => document.querySelector('li.comment[id="comment-5"] .comment-actions').getClientRects().length), 0);
    await press(driver, " Edited.", Key.TAB);
    await focusIs(driver, { tag: "BUTTON", text: "Save changes" });
    await press(driver, Key.ENTER);
    await eventually(async () => assert.match(await textOf(driver, 'li.comment[id="comment-5"] .comment-body'), /Edited\.$/));
    await focusIs(driver, { tag: "ARTICLE", comment: "comment-5" });
  });

  it("the delete confirmation takes focus, Tab reaches its buttons, deleting focuses the comment before", async ({ driver }) => {
    await openSeedPost(driver, postUrl());
    await postComment(driver, { name: "Fox Delete", body: "To be deleted.", number: "5" });
    await driver.executeScript((button) => button.focus(), await cardButton(driver, "5", "Delete"));
    await press(driver, Key.ENTER);
    await focusIs(driver, { role: "group", comment: "comment-5" });
    await press(driver, Key.TAB);
    await focusIs(driver, { tag: "BUTTON", text: "Delete comment" });
    await press(driver, Key.ENTER);
    await eventually(async () => assert.equal(await count(driver, 'li.comment[id="comment-5"]'), 0));
    await focusIs(driver, { tag: "ARTICLE", comment: "comment-4" });
  });
});

describe("Firefox: long comments, missing links and previews", () => {
  it("a long comment folds with Show more; a link to a missing comment says so", async ({ driver }) => {
    await openSeedPost(driver, postUrl());
    const long = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of a long comment.`).join(" ");
    await postComment(driver, { name: "Fox Long", body: long, number: "5" });
    const folded = () =>
      driver.executeScript(() => {
        const body = document.querySelector('li.comment[id="comment-5"] .comment-body');
        return body.scrollHeight > body.clientHeight + 1;
      });
    assert.ok(await folded());
    await (await cardButton(driver, "5", "Show more")).click();
    await eventually(async () => assert.equal(await folded(), false));
    assert.ok(await cardButton(driver, "5", "Show less"));

    await driver.executeScript(() => (location.hash = "#comment-99"));
    await eventually(async () =>
      assert.equal(await textOf(driver, ".missing-comment"), "This link is to comment #99, which is not in this thread: it may have been deleted."),
    );
  });

  it("a citation's focus preview closes when focus moves on to the comments", async ({ driver }) => {
    await openSeedPost(driver, postUrl());
    const citation = await driver.findElement(By.id("cite-1"));
    await eventually(async () => assert.equal(await citation.getAttribute("aria-haspopup"), "dialog"), 20_000);
    const shown = () =>
      driver.executeScript(() => {
        const popover = document.getElementById("cite-pop-1");
        return popover.getClientRects().length > 0 && getComputedStyle(popover).visibility !== "hidden";
      });
    await driver.executeScript((button) => button.focus(), citation);
    await eventually(async () => assert.ok(await shown(), "focus resting on the citation previews it"));
    await driver.executeScript(() => document.querySelector("form.composer textarea").focus());
    await eventually(async () => assert.equal(await shown(), false, "the preview closes once focus has left"));
    // Escape in the comment box leaves focus there.
    await press(driver, Key.ESCAPE);
    assert.equal(await driver.executeScript(() => document.activeElement.tagName), "TEXTAREA");
  });
});
