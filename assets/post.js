// A post page built by `colloquy build` is whole without this script: the post, its formatted
// citations, bibliography and seed comments are HTML. This script adds what only a program
// can: once the page has painted, it reads config.json and loads the thread module built for
// its store (thread_app for the local store, thread_app_shared for REST and CouchDB; each a
// .js and its wasm) and lets it take the page over in place (src/bin/shared/thread_exports.rs,
// `start_post`).
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

  // config.json's text, null when there is none (the defaults: the local store), undefined
  // when it could not be read (the module reads it again and says what is wrong).
  function readConfig() {
    return fetch("./config.json", { cache: "no-cache" })
      .then(function (response) {
        if (response.status === 404) return null;
        return response.ok ? response.text() : undefined;
      })
      .catch(function () { return undefined; });
  }

  // Only the local store's module is small; any other or unreadable store takes the module
  // with every store, which also explains a config.json it cannot use.
  function moduleFor(config) {
    if (config === null) return "thread_app";
    try {
      var store = JSON.parse(config).store;
      if (!store || store.kind === "local") return "thread_app";
    } catch (error) {}
    return "thread_app_shared";
  }

  function load(name, config) {
    // The wasm is fetched beside its script, not after it: the glue takes a pending response.
    var wasm = fetch("./" + name + "_bg.wasm");
    wasm.catch(function () {}); // a failed fetch is told once, by the start below
    var script = document.createElement("script");
    script.src = "./" + name + ".js";
    script.onerror = function () { fail("its script did not load"); };
    script.onload = function () {
      // The no-modules glue declares `wasm_bindgen` as a global binding, not a property of window.
      if (typeof wasm_bindgen !== "function") return fail("its script did not define it");
      wasm_bindgen({ module_or_path: wasm }).then(
        function () { wasm_bindgen.start_post(article, slot, config); },
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
    readConfig().then(function (config) { load(moduleFor(config), config); });
  }
  requestAnimationFrame(function () { setTimeout(once, 0); });
  setTimeout(once, 250);
})();
