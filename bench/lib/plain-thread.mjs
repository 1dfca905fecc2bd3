// The plain-JS comparison: the thread's markup (the same elements, classes and attributes as
// src/ui/comment.rs) built with DOM calls from the stored JSON, without a framework or wasm.
// Bodies become paragraphs split at blank lines (no Markdown parser: the cheap upper bound).

/**
 * Runs in the page: reads the stored thread at `key` (or from `url` when it is too big for
 * localStorage, as the app then reads it from the seed file), builds the list after the app's thread
 * and resolves with the milliseconds until it is painted. `append` adds one more comment to
 * a list built before and stores it, as posting would.
 */
export async function plainThread({ key, url, mode, afterPaint }) {
  const start = performance.now();
  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  const colour = (name) => {
    let hash = 0;
    for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    return `hsl(${hash % 360} 60% 35%)`;
  };
  const initials = (name) =>
    name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("");
  const card = (comment, number, depth) => {
    const created = new Date(comment.createdAt);
    const days = Math.round((created - Date.now()) / 86_400_000);
    const body = el("div", { class: "comment-body", dir: "auto" });
    for (const paragraph of comment.body.split(/\n\s*\n/)) body.append(el("p", {}, paragraph));
    return el(
      "li",
      { class: "comment", id: `comment-${number}`, "data-depth": String(depth) },
      el(
        "article",
        { class: "comment-card", "aria-label": `Comment ${number} by ${comment.author}` },
        el(
          "header",
          { class: "comment-header" },
          el("span", { class: "avatar", "aria-hidden": "true", style: `background:${colour(comment.author)}` }, initials(comment.author)),
          el("bdi", { class: "comment-author" }, comment.author),
          el("time", { datetime: comment.createdAt, title: absolute.format(created) }, relative.format(days, "day")),
          el("a", { class: "comment-permalink", href: `#comment-${number}`, "aria-label": `Link to comment ${number}` }, `#${number}`),
        ),
        body,
        el(
          "div",
          { class: "comment-actions" },
          el("button", { type: "button", class: "reply" }, "Reply"),
          el("button", { type: "button", class: "like", "aria-pressed": "false" }, "Like ", el("span", { class: "like-count" }, "0")),
        ),
      ),
    );
  };

  if (mode === "append") {
    const stored = JSON.parse(localStorage.getItem(key));
    const now = new Date().toISOString();
    const comment = {
      id: crypto.randomUUID(), postId: stored.postId, parentId: null, author: "Bench Reader",
      authorKey: null, body: `Plain comment ${now}`, createdAt: now, updatedAt: now, deleted: false,
    };
    stored.comments.push(comment);
    localStorage.setItem(key, JSON.stringify(stored));
    const list = document.querySelector("ol.plain-comments");
    const number = String(list.children.length + 1);
    list.append(card(comment, number, 1));
    return eval(afterPaint).then(() => performance.now() - start);
  }

  const { comments } = JSON.parse(url ? await (await fetch(url)).text() : localStorage.getItem(key));
  comments.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  const byId = new Map(comments.map((c) => [c.id, { comment: c, children: [], depth: 1, number: "" }]));
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.comment.parentId && byId.get(node.comment.parentId);
    if (!parent) {
      roots.push(node);
      continue;
    }
    // A reply to a comment at the deepest level (5) is shown beside it.
    const shownUnder = parent.depth < 5 ? parent : parent.shownUnder;
    node.depth = Math.min(parent.depth + 1, 5);
    node.shownUnder = shownUnder;
    if (shownUnder) shownUnder.children.push(node);
    else roots.push(node);
  }
  const build = (nodes, prefix) =>
    nodes.map((node, index) => {
      node.number = prefix ? `${prefix}.${index + 1}` : String(index + 1);
      const li = card(node.comment, node.number, node.depth);
      if (node.children.length) {
        li.append(
          el("button", { class: "collapse-toggle", type: "button", "aria-expanded": "true" }, "Hide replies"),
          el("ol", { class: "replies" }, ...build(node.children, node.number)),
        );
      }
      return li;
    });
  const list = el("ol", { class: "comments plain-comments" }, ...build(roots, ""));
  list.addEventListener("click", () => {});
  const section = el("section", { class: "thread plain-thread" }, list);
  document.querySelector("main, body").append(section);
  return eval(afterPaint).then(() => performance.now() - start);
}
