// The UI's language end to end: `?lang=ru` and a Russian browser give Russian words, Russian
// plural forms, Intl dates and relative times and `<html lang="ru">`; `?lang=en` overrides the
// browser; links within the site keep `?lang=`; right-to-left comments read right to left.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { eventually, expectText, pageTests, useSiteAndBrowser } from "./harness.mjs";

const POST = "the-struggle-for-freedom";
const SEED = JSON.parse(
  readFileSync(new URL(`../content/posts/${POST}/comments.json`, import.meta.url), "utf8"),
);

const shared = useSiteAndBrowser();

const it = pageTests(shared, "i18n");

const heading = (page) => page.locator("#thread-heading");
const topComposer = (page) => page.locator("form.composer:not(li.comment form)");
const htmlLang = (page) => page.locator("html").getAttribute("lang");
/** `<html lang>` is set when the app starts, after the page's load event. */
const expectLang = (page, lang) => eventually(async () => assert.equal(await htmlLang(page), lang));

/** Opens the post and waits for its thread's composer. */
async function gotoPost(page, query) {
  await page.goto(`${shared.url}?post=${POST}${query}`);
  await topComposer(page).waitFor();
}

it("?lang=ru: the post list, the post, the thread and the composer speak Russian", async ({ page }) => {
  await page.goto(`${shared.url}?lang=ru`);
  await expectLang(page, "ru");
  await expectText(page.locator("h1"), "Записи");
  const card = page.locator(".card").first();
  // The card's date and count: Intl's Russian month, and the "few" form for 4.
  await expectText(card.locator("time"), /^14 марта 2019/);
  await expectText(card.locator(".comment-count"), "4 комментария");

  await card.locator("h2 a").click();
  await topComposer(page).waitFor();
  assert.match(page.url(), /[?&]lang=ru(&|$)/);
  await expectLang(page, "ru");
  await expectText(page.locator(".reading-time"), /мин чтения$/);
  await expectText(heading(page), "4 комментария");
  await expectText(page.locator("article.post .comment-count"), "4 комментария");

  // Seed comments are from 2019: a relative time in Russian words, the full date in the title.
  const firstTime = page.locator("li.comment time").first();
  await expectText(firstTime.locator(".time-relative"), /лет назад$/);
  assert.match(await firstTime.getAttribute("title"), /мар\.? 2019/);

  const composer = topComposer(page);
  await composer.getByRole("button", { name: "Отправить комментарий", exact: true }).click();
  const errors = composer.locator(".composer-errors");
  await expectText(errors, /Пожалуйста, укажите своё имя\./);
  await expectText(errors, /Пожалуйста, напишите комментарий перед отправкой\./);
  assert.equal(await composer.getByLabel("Имя", { exact: true }).getAttribute("aria-invalid"), "true");
  assert.equal(await composer.getByLabel("Комментарий", { exact: true }).getAttribute("aria-invalid"), "true");

  await composer.getByLabel("Имя", { exact: true }).fill("Аня Смирнова");
  await composer.getByLabel("Комментарий", { exact: true }).fill("Спасибо, очень интересно!");
  await composer.getByRole("button", { name: "Отправить комментарий", exact: true }).click();
  await page.locator('li.comment[id="comment-5"]').waitFor();
  // 5 takes the "many" form.
  await expectText(heading(page), "5 комментариев");
  await expectText(page.locator("article.post .comment-count"), "5 комментариев");
  await expectText(page.locator('li.comment[id="comment-5"] time .time-relative'), "сейчас");
  await expectText(page.locator('li.comment[id="comment-5"] button.reply'), "Ответить");
  await expectText(page.locator(".thread-tools select option").first(), "Сначала старые");
});

it("?lang=ru: one comment takes the singular form, two the \"few\" form", async ({ page }) => {
  await page.route(`**/comments.json`, (route) =>
    route.fulfill({ contentType: "application/json", body: JSON.stringify(SEED.slice(0, 1)) }),
  );
  await gotoPost(page, "&lang=ru");
  await expectText(heading(page), "1 комментарий");
  const composer = topComposer(page);
  await composer.getByLabel("Имя", { exact: true }).fill("Иван");
  await composer.getByLabel("Комментарий", { exact: true }).fill("Согласен.");
  await composer.getByRole("button", { name: "Отправить комментарий", exact: true }).click();
  await expectText(heading(page), "2 комментария");
});

it("?lang=ru: a comment server's problem is told in Russian, with the server's status", async ({ page, context }) => {
  const server = "http://127.0.0.1:9/api";
  await context.route("**/config.json", (route) =>
    route.fulfill({ json: { store: { kind: "rest", url: server, pollSeconds: 1 } } }),
  );
  await context.route(`${server}/**`, (route) => route.fulfill({ status: 502, contentType: "text/plain", body: "" }));
  await page.goto(`${shared.url}?post=${POST}&lang=ru`);
  await expectText(page.locator(".store-problem"), /^Сервер комментариев ответил 502\.$/, 8_000);
}, { allowConsole: [/status of 502/] });

it("a Russian browser gets Russian without ?lang=, and ?lang=en overrides it", async ({ page }) => {
  await page.goto(shared.url);
  await expectLang(page, "ru");
  await expectText(page.locator("h1"), "Записи");
  await gotoPost(page, "");
  await expectText(heading(page), "4 комментария");

  await gotoPost(page, "&lang=en");
  await expectLang(page, "en");
  await expectText(heading(page), "4 comments");
  await expectText(page.locator("li.comment time .time-relative").first(), /years ago$/);
  assert.equal(await page.locator(".site-name").getAttribute("href"), "./?lang=en");
}, { locale: "ru-RU" });

it("links within the site keep ?lang=ru", async ({ page }) => {
  await page.goto(`${shared.url}?lang=ru`);
  const cardLink = page.locator(".card h2 a").first();
  // The post's page that `colloquy build` wrote in Russian.
  assert.equal(await cardLink.getAttribute("href"), `./${POST}.ru.html?lang=ru`);
  await eventually(async () =>
    assert.equal(await page.locator(".card .comment-count a").first().getAttribute("href"), `./${POST}.ru.html?lang=ru#comments`),
  );
  await cardLink.click();
  await topComposer(page).waitFor();
  const home = page.locator(".site-name");
  assert.equal(await home.getAttribute("href"), "./?lang=ru");
  await home.click();
  await expectText(page.locator("h1"), "Записи");
  assert.match(page.url(), /\?lang=ru$/);

  // An unknown post's error page, in Russian, links back keeping the language.
  await page.goto(`${shared.url}?post=no-such-post&lang=ru`);
  await expectText(page.locator("h1"), "Запись не найдена");
  const back = page.getByRole("link", { name: "← Все записи", exact: true });
  assert.equal(await back.getAttribute("href"), "./?lang=ru");
});

it("a comment in Arabic or Hebrew is shown right to left", async ({ page }) => {
  await gotoPost(page, "");
  const composer = topComposer(page);
  const nameInput = composer.getByLabel("Name", { exact: true });
  const bodyInput = composer.getByLabel("Comment", { exact: true });
  assert.equal(await nameInput.getAttribute("dir"), "auto");
  assert.equal(await bodyInput.getAttribute("dir"), "auto");
  await nameInput.fill("דנה לוי");
  await bodyInput.fill("هذا تعليق باللغة العربية.");
  assert.equal(await bodyInput.evaluate((element) => element.matches(":dir(rtl)")), true);
  await composer.getByRole("button", { name: "Post comment", exact: true }).click();
  const comment = page.locator('li.comment[id="comment-5"]');
  await comment.waitFor();
  const body = comment.locator(".comment-body");
  await expectText(body, "هذا تعليق باللغة العربية.");
  assert.equal(await body.getAttribute("dir"), "auto");
  // The body is drawn once its Markdown is rendered: wait for it.
  await eventually(async () => assert.equal(await body.locator("p").evaluate((element) => getComputedStyle(element).direction), "rtl"));
  const author = comment.locator(".comment-author");
  assert.equal(await author.getAttribute("dir"), "auto");
  assert.equal(await author.evaluate((element) => getComputedStyle(element).direction), "rtl");
  // An English comment beside it stays left to right.
  const english = page.locator('li.comment[id="comment-1"] .comment-body p').first();
  assert.equal(await english.evaluate((element) => getComputedStyle(element).direction), "ltr");
});
