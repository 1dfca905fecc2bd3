// Static-first pages in Firefox with JavaScript off (`javascript.enabled` false): the post list
// links to the seed post's built page, which shows its text word for word, the Freeze citation
// formatted in APA and linked to its bibliography entry, the bibliography and the four seed
// comments. Read through WebDriver, which needs no script of the page's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { By } from "selenium-webdriver";
import { testInFirefox, useSeedSite } from "./firefox.mjs";

const seed = readFileSync(new URL("../tests/fixtures/the-struggle-for-freedom.txt", import.meta.url), "utf8");
const normal = (text) => text.replace(/\s+/g, " ").replace(/ ([.,])/g, "$1").trim();
const seedParagraphs = seed.split("\n\n").slice(1, 4).map(normal);
const seedComments = seed
  .split("\n\n")
  .map((p) => p.trim())
  .filter((p) => /^[1-4]\. /.test(p))
  .map((p) => normal(p.slice(3)));

const { siteUrl } = useSeedSite();

testInFirefox(
  "with JavaScript off: the list links to the seed post, which reads with its citation, bibliography and comments",
  async ({ driver }) => {
    await driver.get(siteUrl());
    const link = await driver.findElement(By.linkText("The Struggle for Freedom"));
    assert.equal(await link.getAttribute("href"), `${siteUrl()}the-struggle-for-freedom.html`);
    await link.click();
    await driver.wait(async () => (await driver.getCurrentUrl()).endsWith("the-struggle-for-freedom.html"), 10_000);
    assert.equal(await driver.findElement(By.css("article.post h1")).getText(), "The Struggle for Freedom");

    const citation = await driver.findElement(By.css("a.citation"));
    const label = await citation.getText();
    assert.equal(label, "(Freeze, 2009, p. 410)");
    assert.equal(await citation.getAttribute("href"), `${siteUrl()}the-struggle-for-freedom.html#ref-freeze2009`);
    const paragraphs = await driver.findElements(By.css(".post-body > p"));
    const texts = [];
    for (const paragraph of paragraphs) texts.push(normal((await paragraph.getText()).replace(label, "")));
    assert.deepEqual(texts, seedParagraphs);

    const entry = await driver.findElement(By.id("ref-freeze2009"));
    assert.match(await entry.getText(), /^Freeze, G\. L\. \(Ed\.\)\. \(2009\)\. Russia: A History/);
    const comments = await driver.findElements(By.css("section.thread-static li.static-comment .comment-body"));
    assert.equal(comments.length, 4);
    for (const [index, body] of seedComments.entries()) assert.equal(normal(await comments[index].getText()), body);
  },
  { prefs: { "javascript.enabled": false } },
);
