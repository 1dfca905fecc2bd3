// Every student an author: the post editor (`?write`) with its live preview, citation keys and
// drafts; publishing to json-server and to PouchDB Server; classmates reading, discussing,
// and the author editing and unpublishing; payloads that must stay text; axe on the editor.
// (A long draft keeping typing responsive is measured in e2e-quiet/long-draft.test.mjs.)
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { eventually, openPage, selectInPost, startJsonServer, startPouchServer, useSiteAndBrowser } from "./harness.mjs";

const AXE = fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url));
const PAYLOADS = JSON.parse(readFileSync(new URL("./xss-payloads.json", import.meta.url), "utf8"));

const shared = useSiteAndBrowser();
let rest;
let couch;
before(async () => {
  [rest, couch] = await Promise.all([startJsonServer(), startPouchServer()]);
});
after(async () => {
  await rest?.close();
  await couch?.close();
});

const BIB = `@book{service2009,
  author    = {Service, Robert},
  title     = {A History of Modern Russia},
  publisher = {Harvard University Press},
  year      = {2009},
}

@article{applebaum2003,
  author  = {Applebaum, Anne},
  title   = {Gulag: A History},
  journal = {Granta},
  year    = {2003},
}
`;

const CSL_JSON = JSON.stringify([
  {
    id: "figes2007",
    type: "book",
    title: "The Whisperers: Private Life in Stalin's Russia",
    author: [{ family: "Figes", given: "Orlando" }],
    issued: { "date-parts": [[2007]] },
    publisher: "Metropolitan Books",
  },
]);

/** A page whose config.json names `store` (and the course). */
async function pageWith(store, options = {}) {
  const run = await openPage(shared.browser, {
    allowConsole: [/Failed to load resource/, /net::/],
    ...options,
  });
  await run.context.route("**/config.json", (route) => route.fulfill({ json: { store, course: "HIST 232: Soviet Russia" } }));
  return run;
}

const restStore = () => ({ kind: "rest", url: rest.url, pollSeconds: 1 });

async function writeDraft(page, { title, summary = "", author = "Nadia Petrova", body, bibliography = "" }) {
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Summary", { exact: true }).fill(summary);
  await page.getByLabel("Your name", { exact: true }).fill(author);
  if (bibliography) await page.getByLabel("Bibliography", { exact: true }).fill(bibliography);
  await page.getByLabel("Post", { exact: true }).fill(body);
}

const preview = (page) => page.locator(".editor-preview");

describe("the post editor", () => {
  test("writes, cites, previews, keeps the draft over a reload, publishes to json-server; a classmate reads, cites and comments; the author edits and unpublishes", async () => {
    const author = await pageWith(restStore());
    const { page } = author;
    await page.goto(shared.url);
    await page.getByRole("link", { name: "Write a post" }).click();
    await page.getByRole("heading", { level: 1, name: "Write a post" }).waitFor();
    assert.match(await page.locator(".editor-course").textContent(), /HIST 232: Soviet Russia/);
    await writeDraft(page, {
      title: "After the Camps",
      summary: "What release meant to those who came home.",
      body: "## Coming home\n\nService describes the returns [@service2009, p. 341].\n",
      bibliography: BIB,
    });
    // The preview renders the Markdown and formats the citation from the pasted .bib.
    await preview(page).getByRole("heading", { name: "Coming home" }).waitFor();
    assert.equal(await preview(page).locator("h1").textContent(), "After the Camps");
    await eventually(async () => assert.match(await preview(page).locator("#cite-1").textContent(), /Service, 2009, p\. 341/), 20_000);
    await eventually(async () => assert.match(await preview(page).locator(".bibliography").textContent(), /A History of Modern Russia/), 5_000);
    // The preview follows the text, and the citations of the preview before are unmounted,
    // not kept alive beside the new ones.
    await page.evaluate(() => {
      window.__oldCitation = document.querySelector(".editor-preview #cite-anchor-1 > *");
    });
    await page.getByLabel("Post", { exact: true }).fill("## Coming home\n\nService describes the returns [@service2009, p. 341].\n\nA second paragraph.\n");
    await preview(page).getByText("A second paragraph.").waitFor();
    await eventually(async () => assert.match(await preview(page).locator("#cite-1").textContent(), /Service, 2009, p\. 341/), 20_000);
    assert.deepEqual(
      await page.evaluate(() => [window.__oldCitation !== null, window.__oldCitation?.isConnected, window.__oldCitation?.parentNode ?? null]),
      [true, false, null],
      "the first preview's citation is still mounted in its detached article",
    );
    await page.getByText("Draft saved in this browser").waitFor();
    assert.match(page.url(), /\?write=[0-9a-f]{12}/);

    // A reload (or a crash) loses nothing, and the list offers the draft.
    await page.reload();
    assert.equal(await page.getByLabel("Title", { exact: true }).inputValue(), "After the Camps");
    assert.match(await page.getByLabel("Post", { exact: true }).inputValue(), /A second paragraph\./);
    assert.match(await page.getByLabel("Bibliography", { exact: true }).inputValue(), /service2009/);
    await page.goto(shared.url);
    const drafts = page.getByRole("region", { name: "My drafts" });
    await drafts.getByRole("link", { name: "After the Camps" }).click();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published: your classmates can read it now.").waitFor();
    const [record] = await rest.records("posts");
    assert.equal(record.title, "After the Camps");
    assert.equal(record.course, "HIST 232: Soviet Russia");
    assert.equal(record.bibliography.name, "bibliography.bib");
    assert.match(record.slug, /^after-the-camps-[0-9a-f]{6}$/);

    // A classmate in another browser finds it on the list, reads it with its citation, and comments.
    const reader = await pageWith(restStore());
    await reader.page.goto(shared.url);
    await reader.page.getByRole("link", { name: "After the Camps" }).click();
    await reader.page.getByRole("heading", { level: 1, name: "After the Camps" }).waitFor();
    assert.match(await reader.page.locator(".post-course").textContent(), /HIST 232/);
    await eventually(async () => assert.match(await reader.page.locator("#cite-1").textContent(), /Service, 2009, p\. 341/), 20_000);
    await reader.page.locator("#cite-1").click();
    await eventually(async () => assert.match(await reader.page.locator(".bibliography").textContent(), /Harvard University Press/), 5_000);
    assert.equal(await reader.page.getByRole("link", { name: "Edit this post" }).count(), 0, "only the author may edit");
    const composer = reader.page.locator("form.composer").last();
    await composer.getByLabel("Name", { exact: true }).fill("Ivan");
    await composer.getByLabel("Comment", { exact: true }).fill("Welcome home, everyone.");
    await composer.getByRole("button", { name: "Post comment" }).click();
    await eventually(async () => {
      const comments = await rest.records("comments", `?postId=${record.slug}`);
      assert.deepEqual(comments.map((c) => c.body), ["Welcome home, everyone."]);
    }, 10_000);
    // A passage of the published post, commented on and highlighted like a built post's.
    await selectInPost(reader.page, "Service describes the returns");
    await reader.page.getByRole("button", { name: "Comment on this passage", exact: true }).click();
    const quoting = reader.page.locator(".thread > form.composer");
    await eventually(async () => assert.equal(await quoting.locator(".composer-passage blockquote").textContent(), "Service describes the returns"));
    await quoting.getByLabel("Name", { exact: true }).fill("Ivan");
    await quoting.getByLabel("Comment", { exact: true }).fill("This is the heart of it.");
    await quoting.getByRole("button", { name: "Post comment" }).click();
    await eventually(async () =>
      assert.equal(
        await reader.page.locator(".post-body mark.passage").evaluateAll((marks) => marks.map((m) => m.textContent).join("")),
        "Service describes the returns",
      ),
    );
    await eventually(async () => {
      const comments = await rest.records("comments", `?postId=${record.slug}`);
      const quoted = comments.find((c) => c.body === "This is the heart of it.");
      assert.ok(quoted?.target, "the comment keeps its passage");
    }, 10_000);

    // The author edits from the post's page; the classmate sees the new version.
    await page.goto(`${shared.url}?post=${record.slug}`);
    await page.getByRole("link", { name: "Edit this post" }).click();
    await page.getByLabel("Title", { exact: true }).fill("After the Camps, Revised");
    await page.getByRole("button", { name: "Update post" }).click();
    await page.getByText("Published: your classmates can read it now.").waitFor();
    await reader.page.goto(shared.url);
    await reader.page.getByRole("link", { name: "After the Camps, Revised" }).waitFor();

    // Unpublishing asks first, then takes the post off every list.
    await page.getByRole("button", { name: "Unpublish" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    assert.equal((await rest.records("posts"))[0].unpublished, false);
    await page.getByRole("button", { name: "Unpublish" }).click();
    await page.getByRole("button", { name: "Yes, unpublish" }).click();
    await page.getByText(/Unpublished: the post is no longer listed/).waitFor();
    assert.equal((await rest.records("posts"))[0].unpublished, true);
    await reader.page.reload();
    await reader.page.locator(".card").first().waitFor();
    assert.equal(await reader.page.getByRole("link", { name: /After the Camps/ }).count(), 0);
    await reader.page.goto(`${shared.url}?post=${record.slug}`);
    await reader.page.getByRole("heading", { name: "Post not found" }).waitFor();
    await author.finish();
    await reader.finish();
  });

  test("offers the bibliography's keys after [@, names unknown keys, and will not publish a bibliography that does not parse", async () => {
    const run = await pageWith(restStore());
    const { page } = run;
    await page.goto(`${shared.url}?write`);
    await writeDraft(page, { title: "Keys", body: "", bibliography: BIB });
    const body = page.getByLabel("Post", { exact: true });
    await body.click();
    await eventually(async () => {
      await body.fill("");
      await body.pressSequentially("As Applebaum shows [@app");
      await page.getByRole("listbox", { name: "Citation keys" }).waitFor({ timeout: 1_000 });
    }, 15_000);
    const option = page.getByRole("option", { name: /@applebaum2003/ });
    assert.match(await option.textContent(), /Applebaum, A\. \(2003\)/);
    assert.equal(await option.getAttribute("aria-selected"), "true");
    assert.equal(await body.getAttribute("aria-activedescendant"), await option.getAttribute("id"));
    await body.press("Enter");
    assert.equal(await body.inputValue(), "As Applebaum shows [@applebaum2003");
    assert.equal(await page.getByRole("listbox", { name: "Citation keys" }).count(), 0);
    await body.pressSequentially("] and [@nobody2020].");
    await page.getByText("Not in the bibliography: nobody2020").waitFor({ timeout: 10_000 });

    // A .bib that does not parse is named with its line, and nothing is published.
    await page.getByLabel("Bibliography", { exact: true }).fill("@book{broken,\n  title = {Unclosed\n");
    await page.getByRole("alert").filter({ hasText: /line \d+/ }).first().waitFor({ timeout: 15_000 });
    const before = (await rest.records("posts")).length;
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText(/Fix the bibliography before publishing/).waitFor();
    // Missing fields are named too.
    await page.getByLabel("Title", { exact: true }).fill("");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Give your post a title.").waitFor();
    assert.equal((await rest.records("posts")).length, before);
    await run.finish();
  });

  test("a bibliography file chosen from disk (CSL-JSON, as Zotero exports it) fills the field, formats the preview and is published under its name", async () => {
    const run = await pageWith(restStore());
    const { page } = run;
    await page.goto(`${shared.url}?write`);
    await writeDraft(page, { title: "The Whisperers", body: "Families kept silent [@figes2007, p. 12].\n" });
    await page.getByLabel("Bibliography file").setInputFiles({ name: "zotero.json", mimeType: "application/json", buffer: Buffer.from(CSL_JSON) });
    await eventually(async () => assert.match(await page.getByLabel("Bibliography", { exact: true }).inputValue(), /"figes2007"/));
    await eventually(async () => assert.match(await preview(page).locator("#cite-1").textContent(), /Figes, 2007, p\. 12/), 20_000);
    await eventually(async () => assert.match(await preview(page).locator(".bibliography").textContent(), /whisperers/i), 5_000);
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published: your classmates can read it now.").waitFor();
    const record = (await rest.records("posts")).find((post) => post.title === "The Whisperers");
    assert.equal(record.bibliography.name, "zotero.json");
    assert.match(record.bibliography.text, /"figes2007"/);
    await run.finish();
  });

  test("on the local store a draft is kept but not published, and it can be deleted; only the editor's page loads the editor's module", async () => {
    const run = await openPage(shared.browser);
    const { page } = run;
    const wasm = [];
    page.on("request", (request) => {
      if (request.url().endsWith(".wasm")) wasm.push(new URL(request.url()).pathname.split("/").pop().replace(/-[0-9a-f]+_bg/, "_bg"));
    });
    await page.goto(shared.url);
    await page.locator(".card .comment-count a").first().waitFor();
    assert.ok(!wasm.includes("editor_app_bg.wasm"), `the list fetched ${wasm}`);
    wasm.length = 0;
    await page.goto(`${shared.url}?write`);
    await writeDraft(page, { title: "Only Mine", body: "Just notes." });
    await page.getByText("Draft saved in this browser").waitFor();
    assert.ok(wasm.includes("editor_app_bg.wasm"), `the editor page fetched ${wasm}`);
    assert.deepEqual(wasm.filter((name) => name.startsWith("thread_app")), [], "the editor page loads no thread module");
    await page.getByText(/posts cannot be published from it/).waitFor();
    assert.equal(await page.getByRole("button", { name: "Publish" }).count(), 0);
    await page.getByRole("button", { name: "Delete draft" }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await page.waitForURL((url) => !url.search.includes("write"));
    await page.locator(".card").first().waitFor();
    assert.equal(await page.getByRole("region", { name: "My drafts" }).count(), 0);
    await run.finish();
  });

  test("publishes to PouchDB Server: a classmate reads it and comments; the lock keeps it the author's", async () => {
    const db = await couch.createDb("authoring");
    const store = { kind: "couchdb", url: db, pollSeconds: 1 };
    const author = await pageWith(store);
    await author.page.goto(`${shared.url}?write`);
    await writeDraft(author.page, {
      title: "Letters From Kolyma",
      body: "The camps emptied slowly [@applebaum2003].\n",
      bibliography: BIB,
    });
    await author.page.getByRole("button", { name: "Publish" }).click();
    await author.page.getByText("Published: your classmates can read it now.").waitFor();
    const [doc] = (await couch.docs("authoring")).filter((d) => d.type === "post");
    assert.match(doc._id, /^post~letters-from-kolyma-[0-9a-f]{6}$/);

    const reader = await pageWith(store);
    await reader.page.goto(shared.url);
    await reader.page.getByRole("link", { name: "Letters From Kolyma" }).click();
    await eventually(async () => assert.match(await reader.page.locator("#cite-1").textContent(), /Applebaum, 2003/), 20_000);
    const composer = reader.page.locator("form.composer").last();
    await composer.getByLabel("Name", { exact: true }).fill("Olga");
    await composer.getByLabel("Comment", { exact: true }).fill("My grandmother wrote such letters.");
    await composer.getByRole("button", { name: "Post comment" }).click();
    await eventually(async () => {
      const comments = (await couch.docs("authoring")).filter((d) => d.type === "comment");
      assert.deepEqual(comments.map((c) => [c.postId, c.body]), [[doc.slug, "My grandmother wrote such letters."]]);
    }, 10_000);
    // Another browser cannot take the post over: the editor says so, and the database agrees.
    await reader.page.goto(`${shared.url}?edit=${doc.slug}`);
    await reader.page.getByText(/published from another browser/).waitFor();
    const forged = await fetch(`${couch.url}/authoring/${encodeURIComponent(doc._id)}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...doc, title: "Taken over", authorLock: "0".repeat(64) }),
    });
    assert.equal(forged.status, 403);

    await author.page.getByLabel("Title", { exact: true }).fill("Letters From Kolyma (2)");
    await author.page.getByRole("button", { name: "Update post" }).click();
    await author.page.getByText("Published: your classmates can read it now.").waitFor();
    await eventually(async () => {
      const [now] = (await couch.docs("authoring")).filter((d) => d.type === "post");
      assert.equal(now.title, "Letters From Kolyma (2)");
    });
    await author.finish();
    await reader.finish();
  });

  test("payloads in the title, summary, body and bibliography stay text, in the preview and once published", async () => {
    const run = await pageWith(restStore());
    const { page } = run;
    await page.addInitScript(() => {
      window.__xss = 0;
    });
    const payloads = PAYLOADS.map((p) => p.payload);
    const joined = payloads.join("\n\n");
    await page.goto(`${shared.url}?write`);
    await writeDraft(page, {
      title: `XSS ${payloads[0]}`,
      summary: payloads.slice(0, 5).join(" "),
      body: joined,
      bibliography: `@book{x,\n  title = {${payloads[3].replace(/[{}]/g, "")}},\n  author = {<img src=x onerror=window.__xss++>},\n  year = {2001},\n}\n`,
    });
    await preview(page).locator("h1").waitFor();
    assert.equal(await preview(page).locator("h1").textContent(), `XSS ${payloads[0]}`);
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published: your classmates can read it now.").waitFor();
    const record = (await rest.records("posts")).find((p) => p.title.startsWith("XSS"));
    const reader = await pageWith(restStore());
    await reader.page.addInitScript(() => {
      window.__xss = 0;
    });
    await reader.page.goto(shared.url);
    await reader.page.locator(".published-cards .card").first().waitFor();
    await reader.page.goto(`${shared.url}?post=${record.slug}`);
    await reader.page.getByRole("heading", { level: 1, name: /^XSS/ }).waitFor();
    await reader.page.locator("form.composer").waitFor();
    for (const p of [page, reader.page]) {
      assert.equal(await p.evaluate(() => window.__xss), 0, "a payload ran");
      assert.equal(await p.locator("article.post script, article.post iframe, article.post [onerror], article.post [onload]").count(), 0);
    }
    await run.finish();
    await reader.finish();
  });

  test("axe-core (WCAG 2.2 AA) finds nothing on the editor with its preview and citation keys", async () => {
    const run = await pageWith(restStore());
    const { page } = run;
    await page.goto(`${shared.url}?write`);
    await writeDraft(page, { title: "Accessible", body: "Text [@service2009].", bibliography: BIB });
    await eventually(async () => assert.match(await preview(page).locator("#cite-1").textContent(), /Service/), 20_000);
    const body = page.getByLabel("Post", { exact: true });
    await body.click();
    await page.keyboard.press("ControlOrMeta+End");
    await body.pressSequentially(" [@");
    await page.getByRole("listbox", { name: "Citation keys" }).waitFor();
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        resultTypes: ["violations"],
      });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
    });
    assert.deepEqual(violations, []);
    await run.finish();
  });
});
