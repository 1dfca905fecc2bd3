// The post list page's first script, before it paints: a link to `./?post=<slug>` (every link
// shared before posts were built as pages) goes straight to the post's page that
// `colloquy build` wrote in the reader's language (`./<slug>.html` in English,
// `./<slug>.<lang>.html` otherwise), keeping the visit's other parameters and the #fragment.
// A post the build did not see (added to posts.json since) is rendered by the app at run time.
(function () {
  "use strict";
  var built = document.querySelector('meta[name="colloquy:built-pages"]');
  var params = new URLSearchParams(location.search);
  var slug = (params.get("post") || "").trim();
  // `built=stale`: the built page found its post's source changed since the build.
  if (!built || !slug || params.get("built") === "stale" || built.content.split(" ").indexOf(slug) < 0) return;
  var languages = (built.getAttribute("data-languages") || "").split(" ");
  function known(tag) {
    var primary = String(tag || "").split(/[-_]/)[0].toLowerCase();
    return languages.indexOf(primary) >= 0 ? primary : null;
  }
  // As the app chooses (src/web/locale.rs): ?lang=, then the browser's languages, then English.
  var lang = known(params.get("lang"));
  var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (var i = 0; !lang && i < wanted.length; i++) lang = known(wanted[i]);
  lang = lang || built.getAttribute("data-lang");
  var file = lang === built.getAttribute("data-lang") ? slug + ".html" : slug + "." + lang + ".html";
  params.delete("post");
  var query = params.toString();
  location.replace("./" + encodeURIComponent(file) + (query ? "?" + query : "") + location.hash);
})();
