// A post page built by `colloquy build` is whole without this script: the post, its formatted
// citations, bibliography and seed comments are HTML. This script adds what only a program
// can: once the page has painted, it loads the thread module (thread_app.js and its wasm) and
// lets it take the page over in place (src/bin/thread_app.rs, `start_post`).
(function () {
  "use strict";
  var article = document.querySelector("article.post[data-slug]");
  var slot = document.querySelector(".thread-slot");
  if (!article || !slot) return;

  // The build writes a page per language; a visit that asks for another (`?lang=`) goes to
  // that language's page, keeping its parameters and #fragment.
  var root = document.documentElement;
  var asked = (new URLSearchParams(location.search).get("lang") || "").split(/[-_]/)[0].toLowerCase();
  var offered = (root.getAttribute("data-languages") || "").split(" ");
  if (asked && offered.indexOf(asked) >= 0 && asked !== root.lang) {
    var slug = article.getAttribute("data-slug");
    var file = asked === offered[0] ? slug + ".html" : slug + "." + asked + ".html";
    location.replace("./" + encodeURIComponent(file) + location.search + location.hash);
    return;
  }

  function fail(what) {
    var message = document.createElement("p");
    message.className = "thread-error";
    message.setAttribute("role", "alert");
    message.textContent = (slot.getAttribute("data-failed") || "{what}").replace("{what}", what);
    slot.insertBefore(message, slot.firstChild);
  }

  function start() {
    var script = document.createElement("script");
    script.src = "./thread_app.js";
    script.onerror = function () { fail("its script did not load"); };
    script.onload = function () {
      // The no-modules glue declares `wasm_bindgen` as a global binding, not a property of window.
      if (typeof wasm_bindgen !== "function") return fail("its script did not define it");
      wasm_bindgen({ module_or_path: "./thread_app_bg.wasm" }).then(
        function () { wasm_bindgen.start_post(article, slot); },
        function () { fail("its WebAssembly did not start"); }
      );
    };
    document.head.appendChild(script);
  }

  // FNV-1a, 64 bits, over the UTF-8 bytes, in hex: `content::fingerprint` in the crate.
  function fingerprint(text) {
    var hash = 0xcbf29ce484222325n;
    var bytes = new TextEncoder().encode(text);
    for (var i = 0; i < bytes.length; i++) {
      hash = ((hash ^ BigInt(bytes[i])) * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    return hash.toString(16).padStart(16, "0");
  }

  // Content is data: a host may edit a post without building the site again. When the source
  // is no longer the one this page was built from, the app renders the post as it is now.
  function checkSource() {
    var built = article.getAttribute("data-source-fingerprint");
    if (!built || typeof BigInt !== "function") return;
    fetch("./content/" + article.getAttribute("data-source"), { cache: "no-cache" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null || fingerprint(text) === built) return;
        var params = new URLSearchParams(location.search);
        params.set("post", article.getAttribute("data-slug"));
        if (root.lang !== offered[0]) params.set("lang", root.lang);
        params.set("built", "stale");
        location.replace("./?" + params.toString() + location.hash);
      })
      .catch(function () {});
  }

  // Not before the post is on screen: the module must not share the bandwidth or the main
  // thread with the first paint. A hidden frame paints nothing, so 250 ms is the limit.
  var started = false;
  function once() {
    if (started) return;
    started = true;
    checkSource();
    start();
  }
  requestAnimationFrame(function () { setTimeout(once, 0); });
  setTimeout(once, 250);
})();
