// Serves the release build (dist/) under /course/blog/ on a free loopback port, as the e2e
// harness does, plus pages the benchmarks generate (static comparisons) under bench/.
import http from "node:http";
import { join } from "node:path";
import sirv from "sirv";

export async function startBenchSite({ dist, basePath = "/course/blog/" }) {
  const files = sirv(dist, { dev: true, etag: true });
  const pages = new Map();
  const server = http.createServer((req, res) => {
    if (!req.url.startsWith(basePath)) {
      res.writeHead(404).end("outside the site's sub-path");
      return;
    }
    const path = req.url.slice(basePath.length).split("?")[0];
    if (pages.has(path)) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(pages.get(path));
      return;
    }
    req.url = "/" + req.url.slice(basePath.length);
    files(req, res, () => res.writeHead(404).end("not found"));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}${basePath}`;
  return {
    url,
    /** Serves `html` at `<url>bench/<name>` and returns that URL. */
    page(name, html) {
      pages.set(join("bench", name), html);
      return `${url}bench/${name}`;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
