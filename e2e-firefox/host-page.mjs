// A stand-in for an LMS page that frames Colloquy: a tiny loopback server whose one page holds
// the app in an iframe and a listener that follows its resize messages, both as Canvas sends
// them (a JSON string {"subject":"lti.frameResize","height":…}) and as {type:"colloquy:resize",
// height}. Every message it accepts is kept in `window.resizeMessages` for the test to read.
import http from "node:http";

const hostPage = (appUrl) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Course page (test host)</title></head>
<body>
<h1>Week 6 discussion</h1>
<iframe id="colloquy" title="Discussion" src="${appUrl.replace(/"/g, "&quot;")}"
        style="display:block;width:100%;height:150px;border:0"></iframe>
<script>
  window.resizeMessages = [];
  const frame = document.getElementById("colloquy");
  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow) return;
    let data = event.data;
    if (typeof data === "string") {
      try { data = JSON.parse(data); } catch { return; }
    }
    const isResize = data && (data.type === "colloquy:resize" || data.subject === "lti.frameResize");
    if (!isResize || typeof data.height !== "number" || !Number.isFinite(data.height)) return;
    window.resizeMessages.push({ kind: data.type ?? data.subject, height: data.height });
    frame.style.height = Math.ceil(data.height) + "px";
  });
</script>
</body>
</html>`;

/**
 * Serves the host page for `appUrl` on a free loopback port. `hostname` is the name the page
 * is reached by: "localhost" makes it another site than the app at 127.0.0.1, so the framed
 * app is third-party as in a real LMS.
 */
export async function startHostPage(appUrl, { hostname = "localhost" } = {}) {
  const server = http.createServer((req, res) => {
    if (req.url !== "/") {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(hostPage(appUrl));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://${hostname}:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
