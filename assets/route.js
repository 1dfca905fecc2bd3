// The post list page's first script, before it paints: a link to `./?post=<slug>` (every link
// shared before posts were built as pages) goes straight to the post's built page,
// `./<slug>.html`, keeping the visit's other parameters and the #fragment, when
// `colloquy build` rendered that post in the reader's language. Otherwise the app renders the
// post at run time, as it does for a post added after the build.
(function () {
  "use strict";
  var built = document.querySelector('meta[name="colloquy:built-pages"]');
  var params = new URLSearchParams(location.search);
  var slug = (params.get("post") || "").trim();
  if (!built || !slug || built.content.split(" ").indexOf(slug) < 0) return;
  var languages = (built.getAttribute("data-languages") || "").split(" ");
  function known(tag) {
    var primary = String(tag || "").split(/[-_]/)[0].toLowerCase();
    return languages.indexOf(primary) >= 0 ? primary : null;
  }
  // As the app chooses (src/web/locale.rs): ?lang=, then the browser's languages, then English.
  var lang = known(params.get("lang"));
  var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  for (var i = 0; !lang && i < wanted.length; i++) lang = known(wanted[i]);
  if ((lang || "en") !== built.getAttribute("data-lang")) return;
  params.delete("post");
  var query = params.toString();
  location.replace("./" + encodeURIComponent(slug) + ".html" + (query ? "?" + query : "") + location.hash);
})();
