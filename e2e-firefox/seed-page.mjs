// What the Firefox tests do on the seed post: open it, read text and counts, post a comment,
// press keys on whatever has focus.
import assert from "node:assert/strict";
import { By } from "selenium-webdriver";
import { eventually } from "./firefox.mjs";

export const textOf = (driver, css) =>
  driver.executeScript((selector) => document.querySelector(selector)?.textContent.replace(/\s+/g, " ").trim() ?? null, css);
export const count = (driver, css) => driver.executeScript((selector) => document.querySelectorAll(selector).length, css);
export const activeId = (driver) => driver.executeScript(() => document.activeElement?.id ?? "");

/** Opens the seed post and waits for its thread (four seed comments) and composer. */
export async function openSeedPost(driver, url) {
  await driver.get(url);
  await eventually(async () => {
    assert.equal(await count(driver, "section.thread li.comment"), 4);
    assert.equal(await count(driver, "form.composer"), 1);
  }, 20_000);
}

/** Types a top-level comment as a reader would and posts it; waits for its number. */
export async function postComment(driver, { name, body, number }) {
  const composer = await driver.findElement(By.css("form.composer"));
  const nameField = await composer.findElements(By.css("input"));
  if (nameField.length) {
    await nameField[0].clear();
    await nameField[0].sendKeys(name);
  }
  await composer.findElement(By.css("textarea")).sendKeys(body);
  await composer.findElement(By.css('button[type="submit"]')).click();
  await eventually(async () => {
    assert.match((await textOf(driver, `li.comment[id="comment-${number}"] article`)) ?? "", new RegExp(body));
  });
}

/** Keys pressed on whatever has focus (not on an element, which would focus it first). */
export const press = (driver, ...keys) => driver.actions().sendKeys(...keys).perform();
