// Firefox for the end-to-end essentials: Debian's Firefox ESR, headless, driven by
// selenium-webdriver through the geckodriver that scripts/setup.sh installs (never a download),
// with WebDriver BiDi on so that every console error and uncaught exception of any page or
// frame is recorded, and so that scripts can run before a page's own (preload scripts).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { eventually as eventuallyIn, startSite } from "../e2e/harness.mjs";
import firefox from "selenium-webdriver/firefox.js";

export const FIREFOX_BINARY = process.env.FIREFOX ?? "/usr/bin/firefox-esr";

/** geckodriver from $GECKODRIVER, else from PATH; fails clearly when it is missing. */
export function geckodriverPath() {
  if (process.env.GECKODRIVER) return process.env.GECKODRIVER;
  try {
    return execFileSync("sh", ["-c", "command -v geckodriver"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("geckodriver is not on PATH: run scripts/setup.sh's ensure_geckodriver (cargo install geckodriver)");
  }
}

/**
 * A headless Firefox session. `prefs` are Firefox preferences (about:config) for this profile.
 * Returns `{ driver, problems, addPreloadScript, quit }`: `problems` collects every console
 * error and uncaught exception (but those matching `allowConsole`), from the moment it starts.
 */
export async function launchFirefox({ prefs = {}, allowConsole = [], width = 1280, height = 900 } = {}) {
  if (!existsSync(FIREFOX_BINARY)) throw new Error(`no Firefox at ${FIREFOX_BINARY}: run scripts/setup.sh's ensure_firefox`);
  const options = new firefox.Options()
    .setBinary(FIREFOX_BINARY)
    .addArguments("-headless", `--width=${width}`, `--height=${height}`)
    .enableBidi();
  const quiet = {
    // Nothing but loopback: no update checks, telemetry, safe-browsing lists or suggestions.
    "app.update.enabled": false,
    "browser.safebrowsing.malware.enabled": false,
    "browser.safebrowsing.phishing.enabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.enabled": false,
    "browser.search.suggest.enabled": false,
    "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false,
    // Anything else Firefox would fetch goes to a closed loopback port (loopback itself is
    // never proxied), so the browser reaches nothing but the test's own servers.
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.share_proxy_settings": true,
    // Assertions read the app's English words: ask for English whatever the machine's locale.
    "intl.accept_languages": "en-US",
  };
  for (const [key, value] of Object.entries({ ...quiet, ...prefs })) options.setPreference(key, value);
  const { driver, service } = await startSession(options);

  const problems = [];
  const bidi = await driver.getBidi();
  await bidi.subscribe("log.entryAdded");
  bidi.on("log.entryAdded", (entry) => {
    if (entry.level !== "error") return;
    const text = entry.text ?? "";
    if (entry.type === "javascript") problems.push(`uncaught: ${text}`);
    else if (!allowConsole.some((pattern) => pattern.test(text))) problems.push(`console: ${text}`);
  });

  return {
    driver,
    problems,
    /** Runs `source` (a function's text) in every new document before the page's scripts. */
    async addPreloadScript(source) {
      await bidi.send({ method: "script.addPreloadScript", params: { functionDeclaration: source } });
    },
    /** Throws with the recorded problems, if any. */
    assertNoProblems() {
      if (problems.length) throw new Error(`page errors in Firefox:\n${problems.join("\n")}`);
    },
    /** Ends the session; a Firefox that does not answer within 30 s has its geckodriver killed. */
    async quit() {
      const ended = await within(driver.quit().then(() => true), 30_000).catch(() => false);
      if (!ended) await service.kill();
    },
  };
}

/** `promise`, or a rejection naming `what` once `ms` have passed. */
function within(promise, ms, what = "the browser") {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A new geckodriver and Firefox session. A Firefox that has not started within 60 s is killed
 * with its geckodriver and started once more, so a stuck start recovers or fails instead of
 * holding the suite (a CI run once waited on this suite for ever, at a step never found).
 */
async function startSession(options, attempts = 2) {
  const service = new firefox.ServiceBuilder(geckodriverPath()).build();
  const driver = firefox.Driver.createSession(options, service);
  try {
    await within(driver.getSession(), 60_000, "Firefox's start");
    return { driver, service };
  } catch (error) {
    await service.kill().catch(() => {});
    if (attempts <= 1) throw error;
    return startSession(options, attempts - 1);
  }
}

/** The harness's `eventually`, with the longer wait a cold Firefox needs. */
export const eventually = (check, timeout = 10_000) => eventuallyIn(check, timeout);

/** Serves the site for a test file (before/after hooks); `postUrl()` is the seed post's address. */
export function useSeedSite() {
  let site;
  before(async () => {
    site = await startSite();
  });
  after(async () => {
    await site?.close();
  });
  return { postUrl: () => `${site.url}?post=the-struggle-for-freedom`, siteUrl: () => site.url };
}

/** A test with its own Firefox; fails on any page problem, also when the body passed. */
export function testInFirefox(name, body, launchOptions) {
  test(name, { timeout: 120_000 }, async () => {
    const firefox = await launchFirefox(launchOptions);
    try {
      await body(firefox);
      firefox.assertNoProblems();
    } catch (error) {
      if (firefox.problems.length) error.message += `\npage problems:\n${firefox.problems.join("\n")}`;
      throw error;
    } finally {
      await firefox.quit();
    }
  });
}
