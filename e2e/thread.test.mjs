// The comment thread end to end: posting, replying, editing, deleting, likes, sorting, live
// updates across tabs, drafts, validation, preview, mentions, permalinks, storage failures,
// exports and comment counts. Every test starts from empty storage (a fresh browser context).
import { describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  clearStoredThreads,
  download,
  eventually,
  expectText,
  pageTests,
  readStoredThread,
  storageKeys,
  text,
  useSiteAndBrowser,
  watchPage,
} from "./harness.mjs";
import { generateComments, storedThread } from "../bench/lib/threads.mjs";

const POST = "the-struggle-for-freedom";
const THREAD_KEY = `colloquy:thread:${POST}`;
const SEED = JSON.parse(
  readFileSync(new URL(`../content/posts/${POST}/comments.json`, import.meta.url), "utf8"),
);
const SEED_AUTHORS = ["Parker Nguyen", "Maya Chen", "Sam Okafor", "Alex Romero"];
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const shared = useSiteAndBrowser();

const postUrl = () => `${shared.url}?post=${POST}`;

// ---------------------------------------------------------------------------------------------
// Helpers

const it = pageTests(shared, "thread");

/** `li.comment` of a number such as "5" or "5.1" (the dot makes `#comment-5.1` invalid CSS). */
const byNumber = (page, number) => page.locator(`li.comment[id="comment-${number}"]`);
/** The comment's own article (its replies' articles come later in the same `li`). */
const own = (page, number) => byNumber(page, number).locator("article").first();
const button = (scope, name) => scope.getByRole("button", { name, exact: true });
const heading = (page) => page.locator("#thread-heading");
/** The top-level composer: the `form.composer` that is not inside a comment. */
const topComposer = (page) => page.locator("form.composer:not(li.comment form)");
const nameField = (composer) => composer.getByLabel("Name", { exact: true });
const commentField = (composer) => composer.getByLabel("Comment", { exact: true });
const replyComposer = (page, number) => byNumber(page, number).locator("form.composer").first();

async function gotoPost(page, hash = "") {
  await page.goto(postUrl() + hash);
  await page.locator("li.comment").nth(3).waitFor();
  await topComposer(page).waitFor();
}

/** Fills a composer and presses "Post comment"; waits for the new comment if `number` is given. */
async function post(page, { name, body, composer = topComposer(page), number }) {
  const nameInput = nameField(composer);
  if (name !== undefined && (await nameInput.count())) await nameInput.fill(name);
  await commentField(composer).fill(body);
  await button(composer, "Post comment").click();
  if (number) await byNumber(page, number).waitFor();
}

async function reply(page, parent, { name, body, number }) {
  await button(own(page, parent), "Reply").click();
  const composer = replyComposer(page, parent);
  await composer.waitFor();
  // A reply does not ask again for a name the composer knows; another one goes in through
  // "Change name".
  const asksName = (await nameField(composer).count()) > 0;
  if (name !== undefined && !asksName && !(await text(composer.locator(".composer-context"))).includes(`, as ${name}.`)) {
    await button(composer, "Change name").click();
  }
  await post(page, { name, body, composer, number });
}

/** Numbers of the top-level comments in display order. */
const topLevelNumbers = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("section.thread li.comment")]
      .filter((li) => !li.parentElement.closest("li.comment"))
      .map((li) => li.id.replace(/^comment-/, "")),
  );

/** The post's records in the local store (IndexedDB; see `readStoredThread`). */
const stored = (page) => readStoredThread(page, POST);
/** The layout version of the local store's records (src/store/records.rs, `VERSION`). */
const RECORDS_VERSION = 1;

/** Waits until some localStorage value contains `needle` (drafts may be saved after a pause). */
const waitForStored = (page, needle) =>
  page.waitForFunction(
    (needle) => Object.keys(localStorage).some((key) => (localStorage.getItem(key) ?? "").includes(needle)),
    needle,
  );

const scrollToEnd = (page) => page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
const scrollToTop = (page) => page.evaluate(() => window.scrollTo(0, 0));

/** Tab A and tab B of one browser on the post, B scrolled by `scroll` (to the end or top). */
async function twoTabs(run, scroll) {
  const a = run.page;
  const b = await run.context.newPage();
  watchPage(b, run.problems, { label: "tab B" });
  await gotoPost(a);
  await gotoPost(b);
  await scroll(b);
  return { a, b };
}

const words = (body) => body.split(/\s+/).filter(Boolean).length;

// ---------------------------------------------------------------------------------------------

describe("the seed thread", () => {
  it("shows four numbered comments with avatar, author, time, body, reply and like", async ({ page }) => {
    await gotoPost(page);
    await expectText(heading(page), "4 comments");
    assert.equal(await page.locator("section.thread li.comment").count(), 4);
    for (const [index, author] of SEED_AUTHORS.entries()) {
      const number = String(index + 1);
      const article = own(page, number);
      assert.equal(await article.getAttribute("aria-label"), `Comment ${number} by ${author}`);
      assert.equal(await text(article.locator(".comment-author")), author);
      const initials = author.split(" ").map((w) => w[0]).join("");
      assert.equal(await text(article.locator(".avatar")), initials);
      const time = article.locator("time");
      const datetime = await time.getAttribute("datetime");
      assert.match(datetime, RFC3339);
      assert.equal(Date.parse(datetime), Date.parse(SEED[index].createdAt));
      const title = await time.getAttribute("title");
      assert.ok(title && title.includes("2019"), `absolute time in title: ${title}`);
      // Whole years of 365.25 days, as the app counts them.
      const years = Math.trunc((Date.now() - Date.parse(SEED[index].createdAt)) / (365.25 * 86_400_000));
      assert.equal(await text(time.locator(".time-relative")), `${years} years ago`);
      assert.equal(await time.locator(".time-relative").isVisible(), true);
      assert.equal(await time.locator(".time-absolute").isVisible(), false, "the date and time are for print");
      assert.equal(await text(article.locator(".comment-body")), SEED[index].body);
      assert.equal(await button(article, "Reply").count(), 1);
      assert.equal(await article.locator("button.like").getAttribute("aria-pressed"), "false");
      assert.equal(await text(article.locator(".like-count")), "0");
    }
  });

  it("offers no Edit or Delete on comments written elsewhere", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Own Writer", body: "Mine to change.", number: "5" });
    await button(own(page, "5"), "Edit").waitFor();
    await button(own(page, "5"), "Delete").waitFor();
    for (const number of ["1", "2", "3", "4"]) {
      assert.equal(await button(own(page, number), "Edit").count(), 0, `Edit on seed comment ${number}`);
      assert.equal(await button(own(page, number), "Delete").count(), 0, `Delete on seed comment ${number}`);
    }
  });

  it("shows the comment count on the post byline and on the post's card", async ({ page }) => {
    await page.goto(shared.url);
    const card = page.locator(".card").filter({ has: page.getByRole("link", { name: "The Struggle for Freedom" }) });
    await expectText(card.locator(".comment-count"), "4 comments");
    await gotoPost(page);
    await expectText(page.locator("article.post .comment-count"), "4 comments");
    await post(page, { name: "Counter", body: "One more.", number: "5" });
    await expectText(page.locator("article.post .comment-count"), "5 comments");
    await page.goto(shared.url);
    await expectText(card.locator(".comment-count"), "5 comments");
  });
});

describe("posting", () => {
  it("posts a comment and a reply that survive a reload", async ({ page }) => {
    await gotoPost(page);
    const before = Date.now();
    await post(page, { name: "Test Writer", body: "A new *top-level* comment.", number: "5" });
    await expectText(heading(page), "5 comments");
    const article = own(page, "5");
    assert.equal(await article.getAttribute("aria-label"), "Comment 5 by Test Writer");
    assert.equal(await text(article.locator(".comment-author")), "Test Writer");
    assert.equal(await text(article.locator(".avatar")), "TW");
    assert.equal(await text(article.locator(".comment-body em")), "top-level");
    const time = article.locator("time");
    const datetime = await time.getAttribute("datetime");
    assert.match(datetime, RFC3339);
    assert.ok(Math.abs(Date.parse(datetime) - before) < 60_000, `posted at ${datetime}`);
    assert.ok(await time.getAttribute("title"), "absolute time in title");
    // Intl.RelativeTimeFormat (numeric: "auto") says "now" in English for the last 45 seconds.
    assert.equal(await text(time.locator(".time-relative")), "now");
    assert.equal(await commentField(topComposer(page)).inputValue(), "", "the composer is emptied");

    // Cancel closes a reply composer without posting.
    await button(own(page, "2"), "Reply").click();
    await button(replyComposer(page, "2"), "Post comment").waitFor();
    await button(replyComposer(page, "2"), "Cancel").click();
    await eventually(async () => assert.equal(await byNumber(page, "2").locator("form.composer").count(), 0));

    await reply(page, "5", { name: "Reply Writer", body: "A reply to five.", number: "5.1" });
    await expectText(heading(page), "6 comments");
    assert.equal(await page.locator('li.comment[id="comment-5"] > ol.replies > li.comment[id="comment-5.1"]').count(), 1);
    assert.equal(await own(page, "5.1").getAttribute("aria-label"), "Comment 5.1 by Reply Writer");

    const saved = await stored(page);
    assert.equal(saved.databaseVersion, RECORDS_VERSION);
    assert.ok(saved.comments.every((c) => c.postId === POST), "every record is this post's");
    assert.ok(Array.isArray(saved.likes));
    const top = saved.comments.find((c) => c.body === "A new *top-level* comment.");
    const child = saved.comments.find((c) => c.body === "A reply to five.");
    assert.ok(top && child, "both comments are stored");
    assert.equal(top.parentId, null);
    assert.equal(child.parentId, top.id);
    for (const comment of [top, child]) {
      assert.equal(comment.postId, POST);
      assert.match(comment.createdAt, ISO_MILLIS);
      assert.match(comment.updatedAt, ISO_MILLIS);
      assert.equal(comment.deleted, false);
      assert.ok(comment.id && comment.authorKey, "id and authorKey are set");
    }

    await page.reload();
    await byNumber(page, "5.1").waitFor();
    await expectText(heading(page), "6 comments");
    assert.equal(await own(page, "5").getAttribute("aria-label"), "Comment 5 by Test Writer");
    assert.equal(await own(page, "5.1").getAttribute("aria-label"), "Comment 5.1 by Reply Writer");
    assert.equal(await text(own(page, "5.1").locator(".comment-body")), "A reply to five.");
    assert.equal(await page.locator('li.comment[id="comment-5"] ol.replies li.comment[id="comment-5.1"]').count(), 1);
  });

  it("posts with Ctrl+Enter and Meta+Enter in the Comment field", async ({ page }) => {
    await gotoPost(page);
    const composer = topComposer(page);
    await nameField(composer).fill("Key Board");
    await commentField(composer).fill("Posted from the keyboard.");
    await commentField(composer).press("Control+Enter");
    await byNumber(page, "5").waitFor();
    assert.equal(await text(own(page, "5").locator(".comment-body")), "Posted from the keyboard.");

    await button(own(page, "5"), "Reply").click();
    const replyForm = replyComposer(page, "5");
    if (await nameField(replyForm).count()) await nameField(replyForm).fill("Key Board");
    await commentField(replyForm).fill("Replied with Meta+Enter.");
    await commentField(replyForm).press("Meta+Enter");
    await byNumber(page, "5.1").waitFor();
    assert.equal(await text(own(page, "5.1").locator(".comment-body")), "Replied with Meta+Enter.");
  });

  it("explains an empty name, an empty comment and a comment over 5,000 characters", async ({ page }) => {
    await gotoPost(page);
    const composer = topComposer(page);
    const errors = composer.locator(".composer-errors");
    const counter = composer.locator(".char-count");

    await button(composer, "Post comment").click();
    await errors.waitFor();
    assert.equal(await errors.getAttribute("role"), "alert");
    await expectText(errors, /Please enter your name\./);
    await expectText(errors, /Please write a comment before posting\./);

    await nameField(composer).fill("Valid Name");
    await commentField(composer).fill("   \n\n  ");
    await button(composer, "Post comment").click();
    await expectText(errors, "Please write a comment before posting.");

    await commentField(composer).fill("Twelve chars");
    await expectText(counter, "12 / 5,000");

    const tooLong = "word ".repeat(1000) + "x";
    assert.equal(tooLong.length, 5001);
    await commentField(composer).fill(tooLong);
    await expectText(counter, "5,001 / 5,000");
    await button(composer, "Post comment").click();
    await expectText(errors, "The comment is 5,001 characters; the limit is 5,000.");

    await nameField(composer).fill("");
    await commentField(composer).fill("Fine text");
    await button(composer, "Post comment").click();
    await expectText(errors, "Please enter your name.");

    await page.waitForTimeout(500);
    assert.equal(await page.locator("section.thread li.comment").count(), 4, "no comment was posted");
    await expectText(heading(page), "4 comments");

    await nameField(composer).fill("Valid Name");
    await button(composer, "Post comment").click();
    await byNumber(page, "5").waitFor();
    await eventually(async () => {
      const shown = (await errors.count()) ? await text(errors) : "";
      assert.equal(shown, "", "errors clear after a successful post");
    });
  });

  it("previews the comment's Markdown", async ({ page }) => {
    await gotoPost(page);
    const composer = topComposer(page);
    await commentField(composer).fill("Some **bold** and *em* text with [a link](https://example.com/).");
    const preview = button(composer, "Preview");
    assert.equal(await preview.getAttribute("aria-pressed"), "false");
    await preview.click();
    assert.equal(await preview.getAttribute("aria-pressed"), "true");
    const shown = composer.locator(".composer-preview");
    await shown.waitFor();
    assert.equal(await text(shown.locator("strong")), "bold");
    assert.equal(await text(shown.locator("em")), "em");
    assert.equal(await shown.locator("a").getAttribute("href"), "https://example.com/");
    assert.doesNotMatch(await text(shown), /\*\*/);
    await preview.click();
    assert.equal(await preview.getAttribute("aria-pressed"), "false");
    await eventually(async () => assert.equal(await shown.isVisible(), false));
    assert.equal(
      await commentField(composer).inputValue(),
      "Some **bold** and *em* text with [a link](https://example.com/).",
    );
  });

  it("remembers the name across reloads", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Remembered Name", body: "Remember me.", number: "5" });
    await page.reload();
    await topComposer(page).waitFor();
    await eventually(async () => assert.equal(await nameField(topComposer(page)).inputValue(), "Remembered Name"));
  });

  it("keeps a name typed and not yet posted over a reload, with the comment's draft; posting settles it", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Posted Name", body: "First, under one name.", number: "5" });
    await nameField(topComposer(page)).fill("Typed Name");
    await commentField(topComposer(page)).fill("Not sent yet.");
    await waitForStored(page, "Typed Name");
    await page.reload();
    await topComposer(page).waitFor();
    await eventually(async () => assert.equal(await nameField(topComposer(page)).inputValue(), "Typed Name"));
    assert.equal(await commentField(topComposer(page)).inputValue(), "Not sent yet.");
    // Cleared, the field offers the name last posted with again.
    await nameField(topComposer(page)).fill("");
    await page.reload();
    await topComposer(page).waitFor();
    await eventually(async () => assert.equal(await nameField(topComposer(page)).inputValue(), "Posted Name"));
  });

  it("restores top-level and reply drafts after a reload, each in its own composer", async ({ page }) => {
    await gotoPost(page);
    await commentField(topComposer(page)).fill("Top-level draft text");
    await waitForStored(page, "Top-level draft text");
    await button(own(page, "2"), "Reply").click();
    await commentField(replyComposer(page, "2")).fill("Reply draft text");
    await waitForStored(page, "Reply draft text");

    await page.reload();
    await topComposer(page).waitFor();
    await eventually(async () =>
      assert.equal(await commentField(topComposer(page)).inputValue(), "Top-level draft text"),
    );
    await byNumber(page, "2").waitFor();
    if (!(await replyComposer(page, "2").isVisible())) await button(own(page, "2"), "Reply").click();
    await eventually(async () =>
      assert.equal(await commentField(replyComposer(page, "2")).inputValue(), "Reply draft text"),
    );
    await button(own(page, "3"), "Reply").click();
    assert.equal(await commentField(replyComposer(page, "3")).inputValue(), "", "drafts are per reply target");

    // A posted draft is gone: after posting, a reload shows an empty composer.
    await post(page, { name: "Drafter", body: "Top-level draft text, finished.", number: "5" });
    await page.reload();
    await topComposer(page).waitFor();
    await byNumber(page, "5").waitFor();
    await page.waitForTimeout(300);
    assert.equal(await commentField(topComposer(page)).inputValue(), "");
  });
});

describe("editing and deleting", () => {
  it("edits and deletes one's own comments; a deleted comment with replies stays as a placeholder", async ({
    page,
  }) => {
    await gotoPost(page);
    await post(page, { name: "Editor", body: "First version.", number: "5" });

    // Cancel leaves the comment as it was.
    await button(own(page, "5"), "Edit").click();
    let editor = byNumber(page, "5").locator("form.composer").first();
    await button(editor, "Save changes").waitFor();
    assert.equal(await commentField(editor).inputValue(), "First version.");
    await commentField(editor).fill("Not saved.");
    await button(editor, "Cancel").click();
    await eventually(async () => assert.equal(await button(page, "Save changes").count(), 0));
    assert.equal(await text(own(page, "5").locator(".comment-body")), "First version.");

    await button(own(page, "5"), "Edit").click();
    editor = byNumber(page, "5").locator("form.composer").first();
    await commentField(editor).fill("Second version, *edited*.");
    await button(editor, "Save changes").click();
    await expectText(own(page, "5").locator(".comment-body"), "Second version, edited.");
    assert.equal(await text(own(page, "5").locator(".comment-body em")), "edited");

    await reply(page, "5", { name: "Editor", body: "A reply that outlives its parent.", number: "5.1" });
    await post(page, { name: "Editor", body: "Short-lived.", number: "6" });
    await expectText(heading(page), "7 comments");

    // Keep cancels the delete.
    await button(own(page, "6"), "Delete").click();
    await button(byNumber(page, "6"), "Keep").click();
    await eventually(async () => assert.equal(await button(byNumber(page, "6"), "Delete comment").count(), 0));
    assert.equal(await byNumber(page, "6").count(), 1);

    await button(own(page, "6"), "Delete").click();
    await button(byNumber(page, "6"), "Delete comment").click();
    await eventually(async () => assert.equal(await byNumber(page, "6").count(), 0));
    await expectText(heading(page), "6 comments");

    await button(own(page, "5"), "Delete").click();
    await button(byNumber(page, "5"), "Delete comment").first().click();
    const placeholder = page.locator('li.comment.is-deleted[id="comment-5"]');
    await placeholder.waitFor();
    await expectText(heading(page), "5 comments");
    await assertPlaceholder(page);

    await page.reload();
    await byNumber(page, "5.1").waitFor();
    await expectText(heading(page), "5 comments");
    await assertPlaceholder(page);
    assert.equal(await byNumber(page, "6").count(), 0);
    const saved = await stored(page);
    assert.ok(saved.comments.some((c) => c.deleted), "the delete is stored");
  });
});

async function assertPlaceholder(page) {
  const placeholder = page.locator('li.comment.is-deleted[id="comment-5"]');
  const article = placeholder.locator("article").first();
  const articleText = await text(article);
  assert.match(articleText, /Comment deleted/);
  assert.doesNotMatch(articleText, /Editor|Second version/);
  assert.equal(await article.locator(".comment-author").count(), 0);
  assert.equal(await button(article, "Edit").count(), 0);
  assert.equal(await button(article, "Delete").count(), 0);
  const child = placeholder.locator('ol.replies > li.comment[id="comment-5.1"]');
  await child.waitFor();
  assert.equal(await own(page, "5.1").getAttribute("aria-label"), "Comment 5.1 by Editor");
  assert.equal(await text(own(page, "5.1").locator(".comment-body")), "A reply that outlives its parent.");
}

describe("focus", () => {
  /** What has focus: its tag, role, text and the number of the comment it is in. */
  const focused = (page) =>
    page.evaluate(() => {
      const element = document.activeElement;
      return {
        tag: element?.tagName ?? "",
        role: element?.getAttribute("role") ?? "",
        label: element?.getAttribute("aria-label") ?? "",
        text: element?.textContent?.trim() ?? "",
        comment: element?.closest("li.comment")?.id ?? "",
        autocomplete: element?.getAttribute("autocomplete") ?? "",
      };
    });
  const focusIs = async (page, expected) =>
    eventually(async () => {
      const now = await focused(page);
      for (const [key, value] of Object.entries(expected)) assert.equal(now[key], value, JSON.stringify(now));
    });

  it("an empty field takes focus with its message; posting, replying and saving focus the comment", async ({ page }) => {
    await gotoPost(page);
    const composer = topComposer(page);
    await button(composer, "Post comment").click();
    await expectText(composer.locator(".composer-errors"), /Please enter your name\./);
    await focusIs(page, { tag: "INPUT", autocomplete: "name" });
    await nameField(composer).fill("Focus Keeper");
    await button(composer, "Post comment").click();
    await expectText(composer.locator(".composer-errors"), "Please write a comment before posting.");
    await focusIs(page, { tag: "TEXTAREA", comment: "" });

    await commentField(composer).fill("Mine.");
    await button(composer, "Post comment").click();
    await focusIs(page, { tag: "ARTICLE", comment: "comment-5", label: "Comment 5 by Focus Keeper" });

    // A reply says whom it answers and, knowing the name, does not ask for it again.
    await button(own(page, "1"), "Reply").click();
    const replyForm = replyComposer(page, "1");
    await expectText(replyForm.locator(".composer-context"), "Reply to Parker Nguyen, as Focus Keeper. Change name");
    assert.equal(await nameField(replyForm).count(), 0);
    await commentField(replyForm).fill("A reply.");
    await button(replyForm, "Post comment").click();
    await focusIs(page, { tag: "ARTICLE", comment: "comment-1.1" });
    assert.equal((await stored(page)).comments.find((c) => c.body === "A reply.").author, "Focus Keeper");
    // "Change name" asks for it after all.
    await button(own(page, "2"), "Reply").click();
    await button(replyComposer(page, "2"), "Change name").click();
    await focusIs(page, { tag: "INPUT", autocomplete: "name", comment: "comment-2" });
    assert.equal(await nameField(replyComposer(page, "2")).inputValue(), "Focus Keeper");
    await button(replyComposer(page, "2"), "Cancel").click();

    // While editing, the comment's own actions give way to the form's, and Save follows the text.
    await button(own(page, "5"), "Edit").click();
    const editor = byNumber(page, "5").locator("form.composer").first();
    await focusIs(page, { tag: "TEXTAREA", comment: "comment-5" });
    assert.equal(await own(page, "5").locator(".comment-actions").isVisible(), false);
    assert.equal(await own(page, "5").getByRole("button", { name: "Reply" }).count(), 0);
    await commentField(editor).fill("Mine, edited.");
    await page.keyboard.press("Tab");
    await focusIs(page, { tag: "BUTTON", text: "Save changes" });
    await page.keyboard.press("Enter");
    await expectText(own(page, "5").locator(".comment-body"), "Mine, edited.");
    await focusIs(page, { tag: "ARTICLE", comment: "comment-5" });
    assert.equal(await own(page, "5").locator(".comment-actions").isVisible(), true);
  });

  it("the delete confirmation takes focus in order; Escape keeps; deleting focuses the next comment", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Deleter", body: "First of mine.", number: "5" });
    await post(page, { name: "Deleter", body: "Second of mine.", number: "6" });
    await own(page, "5").getByRole("button", { name: "Delete", exact: true }).focus();
    await page.keyboard.press("Enter");
    await focusIs(page, { role: "group", label: "Delete this comment?", comment: "comment-5" });
    await page.keyboard.press("Escape");
    await focusIs(page, { tag: "BUTTON", text: "Delete", comment: "comment-5" });
    await page.keyboard.press("Enter");
    await focusIs(page, { role: "group", comment: "comment-5" });
    await page.keyboard.press("Tab");
    await focusIs(page, { tag: "BUTTON", text: "Delete comment", comment: "comment-5" });
    await page.keyboard.press("Tab");
    await focusIs(page, { tag: "BUTTON", text: "Keep", comment: "comment-5" });
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal(await byNumber(page, "5").count(), 0));
    // Comment 5 went; the comment after it has focus.
    await focusIs(page, { tag: "ARTICLE", comment: "comment-6" });
    // The last comment's delete focuses the one before it.
    await button(own(page, "6"), "Delete").click();
    await button(byNumber(page, "6"), "Delete comment").click();
    await eventually(async () => assert.equal(await byNumber(page, "6").count(), 0));
    await focusIs(page, { tag: "ARTICLE", comment: "comment-4" });
  });
  it("what is typed while a comment is on its way stays; posting takes no focus the reader moved", async ({ page }) => {
    // Posting waits for the content worker to draw the body, so holding back the worker's
    // wasm keeps a comment on its way for as long as the test needs.
    let gate = null;
    const hold = () => {
      let open;
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = null;
        open();
      };
    };
    await page.route("**/content_worker_bg.wasm", async (route) => {
      if (gate) await gate;
      await route.continue();
    });
    let release = hold();
    await gotoPost(page);
    const composer = topComposer(page);
    await nameField(composer).fill("Quick Typist");
    await commentField(composer).fill("First thought.");
    await button(composer, "Post comment").click();
    await eventually(async () => assert.equal(await button(composer, "Post comment").isDisabled(), true));
    await commentField(composer).press("End");
    await commentField(composer).pressSequentially(" And a second one.");
    release();
    await expectText(own(page, "5").locator(".comment-body"), "First thought.");
    await eventually(async () => assert.equal(await button(composer, "Post comment").isDisabled(), false));
    assert.equal(await commentField(composer).inputValue(), "And a second one.");
    assert.equal(await page.evaluate(() => localStorage.getItem("colloquy:draft:the-struggle-for-freedom:new")), "And a second one.");
    // The reader is still typing: focus stays in the field.
    await focusIs(page, { tag: "TEXTAREA", comment: "" });

    // A reader who moves on while a comment is on its way keeps their place.
    release = hold();
    await page.reload();
    await page.locator("li.comment").nth(4).waitFor();
    assert.equal(await commentField(topComposer(page)).inputValue(), "And a second one.");
    await button(topComposer(page), "Post comment").click();
    await own(page, "1").getByRole("button", { name: "Reply", exact: true }).focus();
    release();
    await expectText(own(page, "6").locator(".comment-body"), "And a second one.");
    await eventually(async () => assert.equal(await commentField(topComposer(page)).inputValue(), ""));
    await focusIs(page, { tag: "BUTTON", text: "Reply", comment: "comment-1" });
  });
});

describe("long comments and missing links", () => {
  it("a long comment folds with Show more, and unfolds", async ({ page }) => {
    await gotoPost(page);
    const long = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of a long comment, said at length.`).join("\n\n");
    assert.ok(long.length > 2_000);
    await post(page, { name: "Long Writer", body: long, number: "5" });
    const body = own(page, "5").locator(".comment-body");
    const toggle = own(page, "5").getByRole("button", { name: "Show more" });
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    const clipped = () => body.evaluate((element) => element.scrollHeight > element.clientHeight + 1);
    assert.ok(await clipped(), "folded");
    assert.ok((await body.boundingBox()).height < 400);
    await toggle.click();
    const less = own(page, "5").getByRole("button", { name: "Show less" });
    assert.equal(await less.getAttribute("aria-expanded"), "true");
    assert.equal(await clipped(), false, "unfolded");
    // A short comment has no toggle.
    assert.equal(await own(page, "1").getByRole("button", { name: "Show more" }).count(), 0);
  });

  it("a link to a comment that is not there says so; a link to one that is highlights it", async ({ page }) => {
    await page.goto(`${postUrl()}#comment-99`);
    const missing = page.locator(".missing-comment");
    await expectText(missing, "This link is to comment #99, which is not in this thread: it may have been deleted.");
    await eventually(async () => {
      const box = await missing.boundingBox();
      assert.ok(box && box.y >= 0 && box.y < (await page.evaluate(() => window.innerHeight)), "the message is in view");
    });
    await page.evaluate(() => (location.hash = "#comment-2"));
    await inViewAndHighlighted(page, "comment-2");
    assert.equal(await missing.count(), 0);
  });
});

describe("the clock", () => {
  it("the minute's tick reformats only the times under an hour old", async ({ page, context }) => {
    // Counts the relative times the page formats (each comment's "now", "3 days ago"…).
    await context.addInitScript(() => {
      const format = Intl.RelativeTimeFormat.prototype.format;
      window.relativeTimesFormatted = 0;
      Intl.RelativeTimeFormat.prototype.format = function (...args) {
        window.relativeTimesFormatted += 1;
        return format.apply(this, args);
      };
    });
    await page.clock.install();
    await gotoPost(page);
    await post(page, { name: "Clock Watcher", body: "Just now.", number: "5" });
    await expectText(own(page, "5").locator(".time-relative"), "now");
    await page.evaluate(() => (window.relativeTimesFormatted = 0));
    await page.clock.fastForward(61_000);
    await expectText(own(page, "5").locator(".time-relative"), "1 minute ago");
    // The seed comments are years old: their words do not change by the minute.
    assert.equal(await page.evaluate(() => window.relativeTimesFormatted), 1);
  });
});

describe("likes, sorting and collapsing", () => {
  it("Reply and Edit put focus in the opened field; saving an unchanged edit marks nothing edited", async ({ page }) => {
    await gotoPost(page);
    const focusIsIn = (number) =>
      page.evaluate(
        (id) => document.activeElement?.tagName === "TEXTAREA" && document.activeElement.closest("li.comment")?.id === id,
        `comment-${number}`,
      );
    await button(own(page, "1"), "Reply").click();
    await replyComposer(page, "1").waitFor();
    await eventually(async () => assert.ok(await focusIsIn("1"), "Reply puts focus in the reply's Comment field"));
    await page.keyboard.type("Typed straight away.");
    assert.equal(await commentField(replyComposer(page, "1")).inputValue(), "Typed straight away.");

    await post(page, { name: "Focus Tester", body: "Mine.", number: "5" });
    await button(own(page, "5"), "Edit").click();
    await eventually(async () => assert.ok(await focusIsIn("5"), "Edit puts focus in the Comment field"));
    await button(byNumber(page, "5").locator("form.composer").first(), "Save changes").click();
    await eventually(async () => assert.equal(await byNumber(page, "5").locator("form.composer").count(), 0));
    assert.equal(await own(page, "5").locator(".comment-edited").count(), 0, "an unchanged edit is not marked");
    assert.equal(await text(own(page, "5").locator(".comment-body")), "Mine.");
  });

  it("toggles a like with aria-pressed and a count that survive reloads", async ({ page }) => {
    await gotoPost(page);
    const like = () => own(page, "2").locator("button.like");
    const count = () => own(page, "2").locator(".like-count");
    assert.equal(await like().getAttribute("aria-pressed"), "false");
    await expectText(count(), "0");
    await like().click();
    await eventually(async () => assert.equal(await like().getAttribute("aria-pressed"), "true"));
    await expectText(count(), "1");
    assert.equal(await text(own(page, "1").locator(".like-count")), "0", "only comment 2 is liked");

    await page.reload();
    await byNumber(page, "2").waitFor();
    await eventually(async () => assert.equal(await like().getAttribute("aria-pressed"), "true"));
    await expectText(count(), "1");
    const likes = (await stored(page)).likes;
    assert.equal(likes.length, 1);
    assert.equal(likes[0].liked, true);
    assert.match(likes[0].updatedAt, ISO_MILLIS);
    assert.ok(likes[0].commentId && likes[0].browserId);

    await like().click();
    await eventually(async () => assert.equal(await like().getAttribute("aria-pressed"), "false"));
    await expectText(count(), "0");
    await page.reload();
    await byNumber(page, "2").waitFor();
    await eventually(async () => assert.equal(await like().getAttribute("aria-pressed"), "false"));
    await expectText(count(), "0");
  });

  it("sorts top-level comments oldest first, newest first and most liked; numbers stay", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Sorter", body: "The newest comment.", number: "5" });
    await reply(page, "1", { name: "Sorter", body: "A reply to the first.", number: "1.1" });
    const sort = page.getByLabel("Sort comments");
    assert.equal(await sort.inputValue(), "oldest");
    const options = await sort.locator("option").evaluateAll((os) => os.map((o) => [o.value, o.textContent.trim()]));
    assert.deepEqual(options, [
      ["oldest", "Oldest first"],
      ["newest", "Newest first"],
      ["liked", "Most liked"],
    ]);
    assert.deepEqual(await topLevelNumbers(page), ["1", "2", "3", "4", "5"]);

    await sort.selectOption("newest");
    await eventually(async () => assert.deepEqual(await topLevelNumbers(page), ["5", "4", "3", "2", "1"]));
    assert.equal(await own(page, "4").getAttribute("aria-label"), "Comment 4 by Alex Romero");
    assert.equal(await page.locator('li.comment[id="comment-1"] li.comment[id="comment-1.1"]').count(), 1);

    await own(page, "3").locator("button.like").click();
    await expectText(own(page, "3").locator(".like-count"), "1");
    await sort.selectOption("liked");
    await eventually(async () => assert.deepEqual(await topLevelNumbers(page), ["3", "1", "2", "4", "5"]));

    await sort.selectOption("oldest");
    await eventually(async () => assert.deepEqual(await topLevelNumbers(page), ["1", "2", "3", "4", "5"]));
  });

  it("collapses and expands a comment's replies", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Folder", body: "A parent.", number: "5" });
    await reply(page, "5", { name: "Folder", body: "First reply.", number: "5.1" });
    await reply(page, "5", { name: "Folder", body: "Second reply.", number: "5.2" });
    for (const number of ["1", "2", "3", "4"]) {
      assert.equal(await byNumber(page, number).locator("button[aria-expanded]").count(), 0, `toggle on ${number}`);
    }
    const toggle = byNumber(page, "5").locator("button[aria-expanded]").first();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    await expectText(toggle, "Hide replies");
    await toggle.click();
    await eventually(async () => assert.equal(await toggle.getAttribute("aria-expanded"), "false"));
    await expectText(toggle, "Show 2 replies");
    await eventually(async () => {
      assert.equal(await byNumber(page, "5.1").isVisible(), false);
      assert.equal(await byNumber(page, "5.2").isVisible(), false);
    });
    assert.equal(await own(page, "5").isVisible(), true);
    await toggle.click();
    await eventually(async () => assert.equal(await toggle.getAttribute("aria-expanded"), "true"));
    await expectText(toggle, "Hide replies");
    await byNumber(page, "5.1").waitFor({ state: "visible" });
    await byNumber(page, "5.2").waitFor({ state: "visible" });
  });
});

describe("live across tabs", () => {
  it("shows a comment posted in another tab within a second; likes, edits and deletes apply", async (run) => {
    const { a, b } = await twoTabs(run, scrollToEnd);

    await post(a, { name: "Tab A", body: "Written in tab A.", number: "5" });
    await byNumber(b, "5").waitFor({ timeout: 1_000 });
    assert.equal(await text(own(b, "5").locator(".comment-body")), "Written in tab A.");
    await expectText(heading(b), "5 comments");
    assert.equal(await b.locator("button.new-comments").count(), 0, "B was at the end: no button");

    await scrollToEnd(a);
    await post(b, { name: "Tab B", body: "Written in tab B.", number: "6" });
    await byNumber(a, "6").waitFor({ timeout: 1_000 });
    await expectText(heading(a), "6 comments");

    await own(a, "1").locator("button.like").click();
    await expectText(own(b, "1").locator(".like-count"), "1", 1_000);
    assert.equal(await own(b, "1").locator("button.like").getAttribute("aria-pressed"), "true");

    await button(own(a, "5"), "Edit").click();
    const editor = byNumber(a, "5").locator("form.composer").first();
    await commentField(editor).fill("Edited in tab A.");
    await button(editor, "Save changes").click();
    await expectText(own(b, "5").locator(".comment-body"), "Edited in tab A.", 1_000);

    await button(own(a, "5"), "Delete").click();
    await button(byNumber(a, "5"), "Delete comment").click();
    await eventually(async () => assert.equal(await byNumber(b, "5").count(), 0), 1_000);
    await expectText(heading(b), "5 comments");
  });

  it("a like or an edit from another tab changes only its own card, in place; an open reply keeps focus and text", async (run) => {
    const { a, b } = await twoTabs(run, scrollToEnd);
    await post(a, { name: "Tab A", body: "Mine to edit.", number: "5" });
    await byNumber(b, "5").waitFor({ timeout: 1_000 });

    // B starts a reply to comment 2, then watches every node added to or removed from the page.
    await button(own(b, "2"), "Reply").click();
    const replyField = commentField(replyComposer(b, "2"));
    await replyField.fill("Half-written reply");
    await replyField.focus();
    await b.evaluate(() => {
      window.__cards = Object.fromEntries(
        ["2", "5"].map((n) => [n, document.getElementById(`comment-${n}`)]),
      );
      window.__articles = Object.fromEntries(
        ["2", "5"].map((n) => [n, document.getElementById(`comment-${n}`).querySelector("article")]),
      );
      window.__changed = [];
      new MutationObserver((records) => {
        for (const record of records) {
          if (record.type !== "childList") continue;
          if (record.addedNodes.length + record.removedNodes.length === 0) continue;
          const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
          window.__changed.push(target.closest("li.comment")?.id ?? target.outerHTML.slice(0, 80));
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const changedOutside = (number) =>
      b.evaluate((id) => window.__changed.filter((where) => where !== id), `comment-${number}`);
    const sameNodes = (number) =>
      b.evaluate(
        (n) =>
          window.__cards[n] === document.getElementById(`comment-${n}`) &&
          window.__articles[n] === document.getElementById(`comment-${n}`).querySelector("article"),
        number,
      );

    await own(a, "2").locator("button.like").click();
    await expectText(own(b, "2").locator(".like-count"), "1", 1_000);
    assert.deepEqual(await changedOutside("2"), [], "a like adds or removes nothing outside its card");
    assert.ok(await sameNodes("2"), "the liked card and its article are the same elements");
    assert.equal(await replyField.inputValue(), "Half-written reply");
    assert.ok(
      await b.evaluate(() => document.activeElement?.closest("li.comment")?.id === "comment-2" &&
        document.activeElement.tagName === "TEXTAREA"),
      "the reply composer keeps focus",
    );

    await b.evaluate(() => { window.__changed = []; });
    await button(own(a, "5"), "Edit").click();
    const editor = byNumber(a, "5").locator("form.composer").first();
    await commentField(editor).fill("Mine, edited.");
    await button(editor, "Save changes").click();
    await expectText(own(b, "5").locator(".comment-body"), "Mine, edited.", 1_000);
    await expectText(own(b, "5").locator(".comment-edited"), "(edited)", 1_000);
    assert.deepEqual(await changedOutside("5"), [], "an edit adds or removes nothing outside its card");
    assert.ok(await sameNodes("5"), "the edited card and its article are the same elements");
    assert.equal(await replyField.inputValue(), "Half-written reply");
  });

  it("offers an 'N new comments' button to a reader who is not at the end", async (run) => {
    const { a, b } = await twoTabs(run, scrollToTop);

    await post(a, { name: "Tab A", body: "First new one.", number: "5" });
    const newComments = b.locator("button.new-comments");
    await expectText(newComments, "1 new comment", 1_500);
    assert.equal(await byNumber(b, "5").count(), 0, "the new comment waits for the button");
    await post(a, { name: "Tab A", body: "Second new one.", number: "6" });
    await expectText(newComments, "2 new comments", 1_500);
    assert.equal(await byNumber(b, "6").count(), 0);

    await newComments.click();
    await byNumber(b, "5").waitFor({ state: "visible" });
    await byNumber(b, "6").waitFor({ state: "visible" });
    await expectText(heading(b), "6 comments");
    await eventually(async () => assert.equal(await newComments.isVisible(), false));

    // Likes, edits and deletes from another tab apply directly even when the reader is not at
    // the end.
    await scrollToTop(b);
    await own(a, "2").locator("button.like").click();
    await expectText(own(b, "2").locator(".like-count"), "1", 1_000);
    await button(own(a, "5"), "Edit").click();
    const editor = byNumber(a, "5").locator("form.composer").first();
    await commentField(editor).fill("First new one, edited.");
    await button(editor, "Save changes").click();
    await expectText(own(b, "5").locator(".comment-body"), "First new one, edited.", 1_000);
    await button(own(a, "6"), "Delete").click();
    await button(byNumber(a, "6"), "Delete comment").click();
    await eventually(async () => assert.equal(await byNumber(b, "6").count(), 0), 1_000);
    await expectText(heading(b), "5 comments");
    assert.equal(await newComments.isVisible(), false);
  }, { viewport: { width: 1280, height: 400 } });
});

describe("mentions and permalinks", () => {
  it("suggests commenters after @ and links a posted mention to their comment", async ({ page }) => {
    await gotoPost(page);
    const composer = topComposer(page);
    await nameField(composer).fill("Mentioner");
    const field = commentField(composer);
    await field.click();
    await field.pressSequentially("Thanks @Pa");
    const listbox = page.locator("[role=listbox]");
    await listbox.waitFor();
    const names = await listbox.locator("[role=option]").allTextContents();
    assert.ok(names.some((n) => n.includes("Parker Nguyen")), `options: ${names}`);
    assert.ok(!names.some((n) => n.includes("Maya Chen")), `options: ${names}`);
    await listbox.locator("[role=option]").filter({ hasText: "Parker Nguyen" }).click();
    assert.equal(await field.inputValue(), "Thanks @Parker Nguyen ");
    await eventually(async () => assert.equal(await listbox.isVisible(), false));
    await field.press("End");
    await field.pressSequentially("for the question.");
    await button(composer, "Post comment").click();
    await byNumber(page, "5").waitFor();
    const mention = own(page, "5").locator(".comment-body a.mention");
    await mention.waitFor();
    assert.equal(await mention.getAttribute("href"), "#comment-1");
    assert.equal(await text(mention), "@Parker Nguyen");
    assert.equal(await text(own(page, "5").locator(".comment-body")), "Thanks @Parker Nguyen for the question.");
  });

  it("a permalink scrolls to the comment and highlights it, replies included", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 600 });
    await page.goto(`${postUrl()}#comment-3`);
    await inViewAndHighlighted(page, "comment-3");

    await gotoPost(page);
    await post(page, { name: "Linker", body: "Parent.", number: "5" });
    await reply(page, "5", { name: "Linker", body: "Reply to link to.", number: "5.1" });
    await page.goto("about:blank");
    await page.goto(`${postUrl()}#comment-5.1`);
    await inViewAndHighlighted(page, "comment-5.1");
  });
});

async function inViewAndHighlighted(page, id) {
  await page.locator(`li.comment[id="${id}"]`).waitFor();
  await page.waitForFunction((id) => {
    const element = document.getElementById(id);
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight;
  }, id);
  await eventually(async () => {
    const highlighted = await page.evaluate(() => [...document.querySelectorAll(".is-highlighted")].map((e) => e.id));
    assert.deepEqual(highlighted, [id]);
  });
}

describe("storage", () => {
  for (const where of ["IndexedDB", "localStorage (IndexedDB missing)"]) {
    it(`keeps the typed comment and shows an error when storage is full: ${where}`, async ({ page, context }) => {
      await context.addInitScript((indexedDbMissing) => {
        if (indexedDbMissing) Object.defineProperty(window, "indexedDB", { configurable: true, get: () => undefined });
        // Where IndexedDB cannot be opened, each record is a localStorage key of its own.
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
          if (/^colloquy:(c|l|thread):/.test(String(key))) throw new DOMException("full", "QuotaExceededError");
          return setItem.call(this, key, value);
        };
        // The local store's records live in IndexedDB: a full disk refuses its puts too.
        IDBObjectStore.prototype.put = function () {
          throw new DOMException("full", "QuotaExceededError");
        };
      }, where !== "IndexedDB");
      await gotoPost(page);
      const composer = topComposer(page);
      await post(page, { name: "Full Disk", body: "This cannot be saved." });
      const errors = composer.locator(".composer-errors");
      await expectText(errors, /storage is full/);
      assert.equal(await commentField(composer).inputValue(), "This cannot be saved.");
      await page.waitForTimeout(500);
      assert.equal(await page.locator("section.thread li.comment").count(), 4);
      assert.equal(await byNumber(page, "5").count(), 0);
      await expectText(heading(page), "4 comments");
      assert.deepEqual(await storageKeys(page, "colloquy:c:"), [], "nothing half-written");
    });
  }

  it("shows a like at once, and takes it back and says why when storage refuses it", async ({ page, context }) => {
    await context.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        // Only the like is refused: it is shown before IndexedDB answers.
        if (window.__refuseLikes && this.name === "likes") throw new DOMException("full", "QuotaExceededError");
        return put.apply(this, args);
      };
    });
    await gotoPost(page);
    const count = own(page, "1").locator(".like-count");
    const before = await count.textContent();
    await page.evaluate(() => {
      window.__refuseLikes = true;
      window.__likeCounts = [];
      const count = document.querySelector("li.comment .like-count");
      new MutationObserver(() => window.__likeCounts.push(count.textContent)).observe(count, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await own(page, "1").locator("button.like").click();
    await expectText(page.locator("section.thread [aria-live=polite]"), /storage is full/);
    await expectText(count, before);
    // It was shown (one more), then taken back.
    assert.deepEqual(await page.evaluate(() => window.__likeCounts), [String(Number(before || 0) + 1), before]);
    await page.reload();
    await expectText(own(page, "1").locator(".like-count"), before);
  });

  it("works in memory when storage is blocked, and says comments will not be kept", async ({ page, context }) => {
    await context.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        configurable: true,
        get() {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
      Object.defineProperty(window, "indexedDB", {
        configurable: true,
        get() {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
    });
    await gotoPost(page);
    await expectText(page.locator(".store-notice"), /will not be kept/);
    await expectText(heading(page), "4 comments");
    await post(page, { name: "No Storage", body: "Only in memory.", number: "5" });
    await expectText(heading(page), "5 comments");
    await reply(page, "5", { name: "No Storage", body: "Also in memory.", number: "5.1" });
    await own(page, "1").locator("button.like").click();
    await expectText(own(page, "1").locator(".like-count"), "1");
  });

  it("sets aside stored data that cannot be read and starts from the seed", async ({ page, context }) => {
    const damaged = `{"version":2,"postId":"${POST}","comments":[{"id":"x","au`;
    await context.addInitScript(
      ({ key, damaged }) => {
        if (location.protocol !== "http:" || sessionStorage.getItem("damaged-once")) return;
        sessionStorage.setItem("damaged-once", "1");
        localStorage.setItem(key, damaged);
      },
      { key: THREAD_KEY, damaged },
    );
    await gotoPost(page);
    await expectText(page.locator(".store-notice"), /could not be read/);
    await expectText(heading(page), "4 comments");
    const backups = await page.evaluate(
      (prefix) =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith(prefix))
          .map((key) => localStorage.getItem(key)),
      `${THREAD_KEY}:backup:`,
    );
    assert.deepEqual(backups, [damaged]);

    await post(page, { name: "Fresh Start", body: "After the damage.", number: "5" });
    const saved = await stored(page);
    assert.equal(saved.databaseVersion, RECORDS_VERSION);
    assert.ok(saved.comments.some((c) => c.body === "After the damage."));
    await page.reload();
    await byNumber(page, "5").waitFor();
    const backupsAfter = await page.evaluate(
      (prefix) => Object.keys(localStorage).filter((key) => key.startsWith(prefix)).length,
      `${THREAD_KEY}:backup:`,
    );
    assert.equal(backupsAfter, 1, "the backup is kept");
  });
});

describe("the local store's records (IndexedDB) and where they fall back", () => {
  /** Seeds the old localStorage key once per tab session, before the app starts. */
  const seedOldKey = (context, json, extra = {}) =>
    context.addInitScript(
      ({ key, json, extra }) => {
        if (location.protocol !== "http:" || sessionStorage.getItem("seeded")) return;
        sessionStorage.setItem("seeded", "1");
        localStorage.setItem(key, json);
        for (const [name, value] of Object.entries(extra)) localStorage.setItem(name, value);
      },
      { key: THREAD_KEY, json, extra },
    );
  const oldKey = (page) => page.evaluate((key) => localStorage.getItem(key), THREAD_KEY);
  // The thread renders what the reader nears: scrolling to its end renders every comment.
  const allComments = (page, count) =>
    eventually(async () => {
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      assert.equal(await page.locator("section.thread li.comment").count(), count);
    }, 30_000);

  it("a 1,000-comment schema-v2 localStorage thread moves to IndexedDB with every comment, like and draft", async ({ page, context }) => {
    context.setDefaultTimeout(30_000);
    const comments = generateComments(1_000, { postId: POST });
    const first = comments[0];
    const likes = [
      { commentId: first.id, browserId: "browser-1", liked: true, updatedAt: "2026-02-01T00:00:00.000Z" },
      { commentId: first.id, browserId: "browser-2", liked: true, updatedAt: "2026-02-01T00:00:00.000Z" },
      { commentId: first.id, browserId: "browser-3", liked: false, updatedAt: "2026-02-01T00:00:00.000Z" },
      { commentId: comments[1].id, browserId: "browser-1", liked: true, updatedAt: "2026-02-01T00:00:00.000Z" },
    ];
    await seedOldKey(context, storedThread(POST, comments, likes), {
      [`colloquy:draft:${POST}:new`]: "A draft written before the move.",
    });
    await page.goto(postUrl());
    await allComments(page, 1_004);
    await expectText(heading(page), /^1,?004 comments$/);
    // comments[0] is the first generated top-level comment, after the four seed comments.
    await expectText(own(page, "5").locator(".like-count"), "2");
    assert.equal(await commentField(topComposer(page)).inputValue(), "A draft written before the move.");
    assert.equal(await page.locator(".store-notice").count(), 0);

    const saved = await stored(page);
    assert.equal(saved.comments.length, 1_000);
    assert.deepEqual(
      new Set(saved.comments.map((c) => c.id)),
      new Set(comments.map((c) => c.id)),
    );
    assert.deepEqual(saved.comments.find((c) => c.id === first.id), first);
    assert.equal(saved.likes.length, 4);
    assert.equal(await oldKey(page), null, "the old key goes once the records have committed");

    await page.reload();
    await allComments(page, 1_004);
    await expectText(own(page, "5").locator(".like-count"), "2");
    assert.equal(await oldKey(page), null);
  });

  it("a version-1 seed array in localStorage moves to IndexedDB with its fields filled in", async ({ page, context }) => {
    const v1 = [
      { id: "v1-a", author: "Old Format", body: "From a seed file.", createdAt: "2026-01-01T10:00:00Z" },
      { id: "v1-b", author: "Old Format", body: "Its reply.", createdAt: "2026-01-01T11:00:00Z", parentId: "v1-a" },
    ];
    await seedOldKey(context, JSON.stringify(v1));
    await gotoPost(page);
    await byNumber(page, "5.1").waitFor();
    await expectText(heading(page), "6 comments");
    await expectText(own(page, "5").locator(".comment-body"), "From a seed file.");
    const saved = await stored(page);
    assert.deepEqual(saved.comments.map((c) => [c.id, c.postId, c.updatedAt, c.deleted]), [
      ["v1-a", POST, "2026-01-01T10:00:00Z", false],
      ["v1-b", POST, "2026-01-01T11:00:00Z", false],
    ]);
    assert.equal(await oldKey(page), null);
  });

  it("keeps the old key, and shows its comments, while moving them fails; moves them once it can", async ({ page, context }) => {
    const comments = generateComments(40, { postId: POST, replyShare: 0 });
    const json = storedThread(POST, comments);
    await seedOldKey(context, json);
    // Every put aborts its transaction (until the test lets it commit): nothing is committed.
    await context.addInitScript(() => {
      if (sessionStorage.getItem("let-it-commit")) return;
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (...args) {
        const request = put.apply(this, args);
        this.transaction.abort();
        return request;
      };
    });
    await page.goto(postUrl());
    await allComments(page, 44);
    assert.equal(await text(own(page, "44").locator(".comment-author")), comments[39].author);
    assert.equal(await oldKey(page), json, "the old key stays: the move did not commit");
    assert.equal((await stored(page)).comments.length, 0, "nothing half-moved");

    await page.evaluate(() => sessionStorage.setItem("let-it-commit", "1"));
    await page.reload();
    await allComments(page, 44);
    await eventually(async () => assert.equal(await oldKey(page), null));
    assert.equal((await stored(page)).comments.length, 40);
  });

  it("a thread key written again after the move is merged in at the next load", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Moved", body: "Already in IndexedDB.", number: "5" });
    const late = generateComments(1, { postId: POST, start: Date.parse("2030-01-01T00:00:00Z") });
    await page.evaluate(([key, json]) => localStorage.setItem(key, json), [THREAD_KEY, storedThread(POST, late)]);
    await page.reload();
    await byNumber(page, "6").waitFor();
    await expectText(own(page, "5").locator(".comment-body"), "Already in IndexedDB.");
    await expectText(heading(page), "6 comments");
    assert.equal(await oldKey(page), null);
    assert.equal((await stored(page)).comments.length, 2);
  });

  for (const [why, block] of [
    ["missing", () => Object.defineProperty(window, "indexedDB", { configurable: true, get: () => undefined })],
    [
      "refusing to open",
      () => {
        IDBFactory.prototype.open = () => {
          throw new DOMException("IndexedDB is off in this mode", "InvalidStateError");
        };
      },
    ],
  ]) {
    it(`with IndexedDB ${why}, keeps the thread in localStorage, one key per record, with no notice`, async ({ page, context }) => {
      await context.addInitScript(block);
      await gotoPost(page);
      assert.deepEqual(await storageKeys(page, "colloquy:c:"), []);
      await post(page, { name: "Fallback", body: "Kept in localStorage.", number: "5" });
      const commentKeys = await storageKeys(page, "colloquy:c:");
      assert.equal(commentKeys.length, 1, "a post writes one key");
      const saved = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), commentKeys[0]));
      assert.equal(commentKeys[0], `colloquy:c:${POST}:${saved.id}`);
      assert.equal(saved.body, "Kept in localStorage.");
      assert.equal(saved.postId, POST);
      await own(page, "1").locator("button.like").click();
      await expectText(own(page, "1").locator(".like-count"), "1");
      const likeKeys = await storageKeys(page, "colloquy:l:");
      assert.equal(likeKeys.length, 1);
      const like = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), likeKeys[0]));
      assert.equal(likeKeys[0], `colloquy:l:${POST}:${like.commentId}:${like.browserId}`);
      assert.equal(like.liked, true);
      assert.equal(await storageKeys(page, "colloquy:c:").then((keys) => keys.length), 1, "a like leaves the comments alone");
      assert.equal(await oldKey(page), null, "no whole-thread key");
      await page.reload();
      await byNumber(page, "5").waitFor();
      await expectText(own(page, "1").locator(".like-count"), "1");
      assert.equal(await page.locator(".store-notice").count(), 0);
      assert.equal(await page.evaluate(() => typeof window.indexedDB?.open), why === "missing" ? "undefined" : "function");
    });
  }

  const noIndexedDb = () => Object.defineProperty(window, "indexedDB", { configurable: true, get: () => undefined });

  it("with IndexedDB missing, the old thread key moves into one localStorage key per record", async ({ page, context }) => {
    const comments = generateComments(3, { postId: POST, replyShare: 0 });
    const likes = [{ commentId: comments[0].id, browserId: "browser-1", liked: true, updatedAt: "2026-02-01T00:00:00.000Z" }];
    await seedOldKey(context, storedThread(POST, comments, likes));
    await context.addInitScript(noIndexedDb);
    await gotoPost(page);
    await allComments(page, 7);
    await expectText(own(page, "5").locator(".like-count"), "1");
    assert.equal(await page.locator(".store-notice").count(), 0);
    assert.deepEqual(
      await storageKeys(page, "colloquy:c:"),
      comments.map((c) => `colloquy:c:${POST}:${c.id}`).sort(),
    );
    assert.deepEqual(await storageKeys(page, "colloquy:l:"), [`colloquy:l:${POST}:${comments[0].id}:browser-1`]);
    const first = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), `colloquy:c:${POST}:${comments[0].id}`);
    assert.deepEqual(first, comments[0]);
    assert.equal(await oldKey(page), null, "the old key goes once the records are written");
    await page.reload();
    await allComments(page, 7);
  });

  it("with IndexedDB missing, another tab's comment and like arrive through their keys", async (run) => {
    await run.context.addInitScript(noIndexedDb);
    const { a, b } = await twoTabs(run, scrollToEnd);
    await post(a, { name: "Tab A", body: "Through a storage event.", number: "5" });
    await byNumber(b, "5").waitFor({ timeout: 2_000 });
    await expectText(own(b, "5").locator(".comment-body"), "Through a storage event.");
    await own(a, "1").locator("button.like").click();
    await expectText(own(b, "1").locator(".like-count"), "1", 2_000);
  });
});

/** Rows of an RFC 4180 CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += c;
  }
  return rows;
}

describe("import", () => {
  it("Import JSON, a button like the others on this browser's store, brings an exported thread back", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Archivist", body: "Kept in a file.", number: "5" });
    const json = await download(page, "Download JSON");
    await page.evaluate(() => localStorage.clear());
    await clearStoredThreads(page);
    await page.reload();
    await byNumber(page, "4").waitFor();
    assert.equal(await byNumber(page, "5").count(), 0);
    await page.locator("details.export summary").click();
    const importButton = page.getByRole("button", { name: "Import JSON", exact: true });
    assert.equal(await importButton.evaluate((element) => element.tagName), "BUTTON");
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), importButton.click()]);
    await chooser.setFiles({ name: json.name, mimeType: "application/json", buffer: Buffer.from(json.text) });
    await expectText(page.locator(".import-result"), /^Imported 5 comments from /);
    await expectText(own(page, "5").locator(".comment-body"), "Kept in a file.");
  });
});

describe("exports", () => {
  it("downloads the thread as JSON, CSV and participation CSV", async ({ page }) => {
    await gotoPost(page);
    await post(page, { name: "Exporter", body: "Export me, please", number: "5" });
    await reply(page, "5", { name: "Exporter", body: "And me.", number: "5.1" });
    await page.locator('li.comment[id="comment-1"] .comment-actions button.like').click();
    await eventually(async () => assert.equal(await page.locator('li.comment[id="comment-1"] .like-count').first().textContent(), "1"));

    const json = await download(page, "Download JSON");
    assert.match(json.name, /\.json$/);
    const data = JSON.parse(json.text);
    assert.equal(data.version, 2);
    assert.equal(data.postId, POST);
    assert.ok(Array.isArray(data.likes));
    const top = data.comments.find((c) => c.body === "Export me, please");
    const child = data.comments.find((c) => c.body === "And me.");
    assert.ok(top && child);
    assert.equal(child.parentId, top.id);
    // The seed comments carry their post id and times like any other.
    for (const comment of data.comments) {
      assert.equal(comment.postId, POST, JSON.stringify(comment));
      assert.match(comment.createdAt, RFC3339);
    }

    const csv = await download(page, "Download CSV");
    assert.match(csv.name, /\.csv$/);
    assert.ok(csv.text.endsWith("\r\n"), "rows end in CRLF");
    const rows = parseCsv(csv.text);
    assert.deepEqual(rows[0], ["number", "author", "time", "text", "words", "likes", "parent", "edited", "deleted", "passage"]);
    const body = rows.slice(1);
    assert.deepEqual(
      body.map((r) => [r[0], r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[9]]),
      [
        ...SEED.map((c, i) => [String(i + 1), c.author, c.body, String(words(c.body)), i === 0 ? "1" : "0", "", "no", "no", ""]),
        ["5", "Exporter", "Export me, please", "3", "0", "", "no", "no", ""],
        ["5.1", "Exporter", "And me.", "2", "0", "5", "no", "no", ""],
      ],
    );
    for (const [index, row] of body.entries()) {
      assert.match(row[2], RFC3339);
      if (index < 4) assert.equal(Date.parse(row[2]), Date.parse(SEED[index].createdAt));
    }
    assert.equal(body[4][2], top.createdAt);

    const participation = await download(page, "Download participation CSV");
    assert.match(participation.name, /\.csv$/);
    const time = (i) => SEED[i].createdAt;
    const expected = [
      "author,comments,replies,words,likes,first,last",
      `Alex Romero,1,0,${words(SEED[3].body)},0,${time(3)},${time(3)}`,
      // A reply to one's own comment is a comment, not a reply to others.
      `Exporter,2,0,5,0,${top.createdAt},${child.createdAt}`,
      `Maya Chen,1,0,${words(SEED[1].body)},0,${time(1)},${time(1)}`,
      `Parker Nguyen,1,0,${words(SEED[0].body)},1,${time(0)},${time(0)}`,
      `Sam Okafor,1,0,${words(SEED[2].body)},0,${time(2)},${time(2)}`,
      "",
    ];
    assert.equal(participation.text, expected.join("\r\n"));
  });
});
