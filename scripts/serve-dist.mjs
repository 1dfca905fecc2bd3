// Serves a finished build (dist/ by default) on loopback, as plain static files: what
// ./scripts/serve runs once `trunk build --release` has succeeded. It prints the address only
// once it is listening, so a URL on screen always means a site that answers.
//   node scripts/serve-dist.mjs [--dir dist] [--host 127.0.0.1] [--port 8080]   (port 0: any free)
import http from "node:http";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import sirv from "sirv";

const { values } = parseArgs({
  options: {
    dir: { type: "string", default: "dist" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8080" },
  },
});
const dir = resolve(values.dir);
if (!existsSync(join(dir, "index.html"))) {
  console.error(`serve: ${dir} holds no index.html; build first (trunk build --release)`);
  process.exit(1);
}
// dev: read files from disk on every request, so a rebuild in another terminal shows on reload.
const files = sirv(dir, { dev: true, etag: true });
const server = http.createServer((req, res) => files(req, res, () => res.writeHead(404).end("not found")));
server.on("error", (error) => {
  console.error(`serve: cannot listen on ${values.host}:${values.port}: ${error.message}`);
  process.exit(1);
});
server.listen(Number(values.port), values.host, () => {
  console.log(`serving ${values.dir} on http://${values.host}:${server.address().port}/ (Ctrl+C stops)`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
