// A stand-in for an LMS page that frames Colloquy: examples/embed.html (the host page the
// README points hosts to, with its resize listener) served by a tiny loopback server, its
// iframe pointed at the app under test.
import http from "node:http";
import { readFileSync } from "node:fs";
import { closeServer } from "../e2e/harness.mjs";

const EXAMPLE = readFileSync(new URL("../examples/embed.html", import.meta.url), "utf8");
const EXAMPLE_SRC = "https://courses.example.edu/colloquy/?post=the-struggle-for-freedom";

/**
 * Serves the example host page framing `appUrl` on a free loopback port. `hostname` is the
 * name the page is reached by: "localhost" makes it another site than the app at 127.0.0.1,
 * so the framed app is third-party as in a real LMS.
 */
export async function startHostPage(appUrl, { hostname = "localhost" } = {}) {
  const page = EXAMPLE.replace(EXAMPLE_SRC, appUrl);
  if (page === EXAMPLE) throw new Error("examples/embed.html no longer has the src this host page replaces");
  const server = http.createServer((req, res) => {
    if (req.url !== "/") {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://${hostname}:${server.address().port}/`,
    close: () => closeServer(server),
  };
}

/**
 * A preload script (for `addPreloadScript`) that keeps every message a top-level page
 * receives in `window.heard`, before the page's own scripts run.
 */
export const RECORD_MESSAGES = `() => {
  if (window.top !== window) return;
  window.heard = [];
  window.addEventListener("message", (event) => window.heard.push(event.data));
}`;
