// The design document `_design/colloquy` of a Colloquy CouchDB database (docs/couchdb.md):
// `validate_doc_update` holds every written document to the comment, like and published-post
// schema (posts: src/content/published.rs, `post~<slug>`) and lets only the holder of a
// comment's or a post's author lock (src/store/author_lock.rs) edit, delete or unpublish it,
// only staff accounts (config.json `roles`) write moderation (pin, endorse, hide, lock), and
// only a reporting account writes its report (which staff may only mark reviewed);
// `filters.post` passes one post's comments and likes to the change feed
// (`_changes?filter=colloquy/post&post=<slug>`; a post's own document is not among them).
//
// The functions run inside CouchDB (or PouchDB Server), not in Node: each is sent as its
// source text, so each must stand alone (ES5, no closures over this module).

/* eslint-disable no-var */

// CouchDB calls it for every write but replication by an admin; a thrown {forbidden} refuses it.
function validateDocUpdate(newDoc, oldDoc, userCtx) {
  var MAX_ID_BYTES = 200;
  var MAX_FIELD_BYTES = 100 * 1024;
  var TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var LOCK = /^[0-9a-f]{64}$/;
  var DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
  // A published post's limits (src/content/published.rs): characters are Unicode code points.
  var MAX_TITLE_CHARS = 200;
  var MAX_SUMMARY_CHARS = 600;
  var MAX_AUTHOR_CHARS = 100;
  var MAX_COURSE_CHARS = 200;
  var MAX_BODY_BYTES = 512 * 1024;
  var MAX_BIBLIOGRAPHY_BYTES = 512 * 1024;
  var BIBLIOGRAPHY_NAME = /\.(bib|bibtex|json|ya?ml)$/i;
  var STYLES = ["apa", "mla", "chicago-author-date", "chicago-notes"];
  // Which account roles are staff: config.json's `roles`, written in by scripts/couch-install.mjs.
  var STAFF_ROLES = {"instructor":["instructor"],"ta":["ta"]};
  var ROLES = userCtx.roles || [];
  var ADMIN = ROLES.indexOf("_admin") >= 0;

  function refuse(reason) {
    throw { forbidden: reason };
  }
  function bytes(text) {
    return unescape(encodeURIComponent(text)).length;
  }
  function text(key, maxBytes, optional) {
    var value = newDoc[key];
    if (optional && (value === null || value === undefined)) return;
    if (typeof value !== "string") refuse("`" + key + "` must be text");
    if (bytes(value) > maxBytes) refuse("`" + key + "` is longer than " + maxBytes + " bytes");
  }
  function id(key, optional) {
    text(key, MAX_ID_BYTES, optional);
    if (newDoc[key] === "") refuse("`" + key + "` must not be empty");
  }
  function time(key) {
    if (typeof newDoc[key] !== "string" || !TIME.test(newDoc[key])) {
      refuse("`" + key + "` must be an RFC 3339 time");
    }
  }
  // Text of at most `maxChars` code points (each at most 4 bytes), empty only if `optional`
  // allows it (then null or absent too); white space alone counts as empty.
  function words(key, maxChars, optional) {
    var value = newDoc[key];
    if (optional && (value === null || value === undefined)) return;
    text(key, maxChars * 4);
    if (value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, "_").length > maxChars) {
      refuse("`" + key + "` is longer than " + maxChars + " characters");
    }
    if (!optional && !/\S/.test(value)) refuse("`" + key + "` must not be empty");
  }
  function flag(key) {
    if (typeof newDoc[key] !== "boolean") refuse("`" + key + "` must be true or false");
  }
  function only(keys) {
    for (var key in newDoc) {
      if (key === "_id" || key === "_rev" || key === "_revisions") continue;
      if (keys.indexOf(key) < 0) refuse("a " + newDoc.type + " has no field `" + key + "`");
    }
  }
  // A comment's passage of the post: a Web Annotation target with a TextQuoteSelector and
  // perhaps a TextPositionSelector (src/model/anchor.rs); as text, to compare two of them.
  function passage(target) {
    if (target === null || target === undefined) return "";
    if (typeof target !== "object" || !(target.selector instanceof Array)) refuse("`target` must have a `selector` list");
    var quote = null;
    var position = "";
    for (var i = 0; i < target.selector.length; i++) {
      var selector = target.selector[i];
      if (selector && selector.type === "TextQuoteSelector") {
        var parts = [selector.exact, selector.prefix || "", selector.suffix || ""];
        if (typeof parts[0] !== "string" || parts[0] === "" || typeof parts[1] !== "string" || typeof parts[2] !== "string") {
          refuse("a TextQuoteSelector has text `exact`, `prefix` and `suffix`");
        }
        if (bytes(parts.join("")) > 16 * 1024) refuse("the quoted passage is too long");
        quote = JSON.stringify(parts);
      } else if (selector && selector.type === "TextPositionSelector") {
        if (!(selector.start >= 0 && selector.end >= selector.start && selector.end % 1 === 0 && selector.start % 1 === 0)) {
          refuse("a TextPositionSelector has whole numbers `start` <= `end`");
        }
        position = selector.start + "-" + selector.end;
      } else {
        refuse("`target` selectors are TextQuoteSelector or TextPositionSelector");
      }
    }
    if (quote === null) refuse("`target` needs a TextQuoteSelector");
    return quote + position;
  }
  function holdsAny(names) {
    for (var i = 0; i < names.length; i++) if (ROLES.indexOf(names[i]) >= 0) return true;
    return false;
  }
  // A comment's `account` and `accountRole`: the writer's own account name and, if claimed, a
  // staff role the writer holds. Readers who are not signed in write without (open databases).
  function checkAccount(isNew) {
    var name = newDoc.account;
    var role = newDoc.accountRole;
    if (name !== undefined && name !== null && (typeof name !== "string" || name === "")) refuse("`account` must be an account name");
    if (role !== undefined && role !== null && role !== "instructor" && role !== "ta") {
      refuse("`accountRole` is \"instructor\" or \"ta\"");
    }
    if (role && !name) refuse("an `accountRole` needs an `account`");
    if (ADMIN) return;
    if (!isNew) {
      if ((name || null) !== (oldDoc.account || null) || (role || null) !== (oldDoc.accountRole || null)) {
        refuse("`account` and `accountRole` cannot change");
      }
      if (oldDoc.account && oldDoc.account !== userCtx.name) refuse("only " + oldDoc.account + " can edit or delete this comment");
      return;
    }
    if (userCtx.name === null || userCtx.name === undefined) {
      if (name) refuse("sign in to write as an account");
      return;
    }
    if (name !== userCtx.name || newDoc.author !== userCtx.name) {
      refuse("a signed-in reader writes as their own account: `author` and `account` are " + userCtx.name);
    }
    if (role === "instructor" && !holdsAny(STAFF_ROLES.instructor)) refuse("only an instructor writes as one");
    if (role === "ta" && !holdsAny(STAFF_ROLES.ta)) refuse("only a TA writes as one");
  }
  function unchanged(keys) {
    for (var i = 0; i < keys.length; i++) {
      if (oldDoc[keys[i]] !== newDoc[keys[i]]) refuse("`" + keys[i] + "` cannot change");
    }
  }
  // SHA-256 (FIPS 180-4) of ASCII text, as lower-case hex.
  function sha256(ascii) {
    var K = [
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var i;
    var bytesIn = [];
    for (i = 0; i < ascii.length; i++) bytesIn.push(ascii.charCodeAt(i) & 0xff);
    var bitLength = bytesIn.length * 8;
    bytesIn.push(0x80);
    while (bytesIn.length % 64 !== 56) bytesIn.push(0);
    // The length as a 64-bit big-endian number; texts here are far below 2^32 bits.
    bytesIn.push(0, 0, 0, 0, (bitLength >>> 24) & 0xff, (bitLength >>> 16) & 0xff, (bitLength >>> 8) & 0xff, bitLength & 0xff);
    function rotr(x, n) {
      return (x >>> n) | (x << (32 - n));
    }
    var w = new Array(64);
    for (var block = 0; block < bytesIn.length; block += 64) {
      for (i = 0; i < 16; i++) {
        var at = block + i * 4;
        w[i] = (bytesIn[at] << 24) | (bytesIn[at + 1] << 16) | (bytesIn[at + 2] << 8) | bytesIn[at + 3];
      }
      for (i = 16; i < 64; i++) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g;
        g = f;
        f = e;
        e = (d + t1) | 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      H = [(H[0] + a) | 0, (H[1] + b) | 0, (H[2] + c) | 0, (H[3] + d) | 0, (H[4] + e) | 0, (H[5] + f) | 0, (H[6] + g) | 0, (H[7] + h) | 0];
    }
    var hex = "";
    for (i = 0; i < 8; i++) hex += ("00000000" + (H[i] >>> 0).toString(16)).slice(-8);
    return hex;
  }

  if (newDoc._deleted === true) {
    // Removing a document outright is for the database's admins (moderation); a reader's
    // delete is an edit that sets `deleted`.
    if (!ADMIN) refuse("only a database admin can remove a document");
    return;
  }
  if (newDoc._attachments) refuse("documents have no attachments");
  if (typeof newDoc.postId !== "string" || !SLUG.test(newDoc.postId)) refuse("`postId` must be a post's slug");
  if (newDoc.type === "comment") {
    only(["type", "id", "postId", "parentId", "author", "authorKey", "body", "createdAt", "updatedAt", "deleted", "authorLock", "target", "account", "accountRole"]);
    id("id");
    id("parentId", true);
    id("authorKey", true);
    text("author", MAX_FIELD_BYTES);
    if (newDoc.author === "") refuse("`author` must not be empty");
    text("body", MAX_FIELD_BYTES);
    time("createdAt");
    time("updatedAt");
    flag("deleted");
    passage(newDoc.target);
    if (newDoc._id !== newDoc.postId + ":" + newDoc.id) refuse("a comment's id is <postId>:<id>");
    if (typeof newDoc.authorLock !== "string" || !LOCK.test(newDoc.authorLock)) {
      refuse("`authorLock` must be 64 lower-case hex digits");
    }
    checkAccount(!oldDoc || oldDoc._deleted);
    if (oldDoc && !oldDoc._deleted) {
      unchanged(["type", "id", "postId", "parentId", "authorKey", "createdAt"]);
      if (passage(newDoc.target) !== passage(oldDoc.target)) refuse("`target` cannot change");
      if (sha256(newDoc.authorLock) !== oldDoc.authorLock) {
        refuse("only the author of this comment can edit or delete it");
      }
      if (oldDoc.deleted && !newDoc.deleted) refuse("a deleted comment stays deleted");
    }
  } else if (newDoc.type === "like") {
    only(["type", "id", "postId", "commentId", "browserId", "liked", "updatedAt"]);
    id("commentId");
    id("browserId");
    flag("liked");
    time("updatedAt");
    if (newDoc._id !== newDoc.postId + ":like:" + newDoc.commentId + ":" + newDoc.browserId) {
      refuse("a like's id is <postId>:like:<commentId>:<browserId>");
    }
    if (newDoc.id !== newDoc.commentId + ":" + newDoc.browserId) refuse("a like's `id` is <commentId>:<browserId>");
    if (oldDoc && !oldDoc._deleted) unchanged(["type", "id", "postId", "commentId", "browserId"]);
  } else if (newDoc.type === "moderation") {
    // A staff decision (src/model/moderation.rs): about one comment (`<postId>:mod:<commentId>`:
    // pinned, endorsed, hidden) or the discussion (`<postId>:settings`: locked, post first,
    // anonymous to classmates, checkpoints).
    only(["type", "id", "postId", "commentId", "pinned", "endorsed", "hidden", "locked", "postFirst", "anonymous", "checkpoints", "updatedAt", "account", "accountRole"]);
    id("commentId", true);
    flag("pinned");
    flag("endorsed");
    flag("hidden");
    flag("locked");
    if (newDoc.postFirst !== undefined) flag("postFirst");
    if (newDoc.anonymous !== undefined) flag("anonymous");
    time("updatedAt");
    id("account");
    var checkpoints = newDoc.checkpoints;
    if (checkpoints !== undefined && checkpoints !== null) {
      // src/model/checkpoint.rs: a first comment due, and 0 to 20 replies due no earlier.
      if (typeof checkpoints !== "object" || Array.isArray(checkpoints)) refuse("`checkpoints` is an object");
      for (var field in checkpoints) {
        if (["commentDue", "repliesRequired", "repliesDue"].indexOf(field) < 0) refuse("`checkpoints` has no field `" + field + "`");
      }
      var replies = checkpoints.repliesRequired;
      if (typeof replies !== "number" || replies % 1 !== 0 || replies < 0 || replies > 20) refuse("`checkpoints.repliesRequired` is a whole number from 0 to 20");
      if (typeof checkpoints.commentDue !== "string" || !TIME.test(checkpoints.commentDue)) refuse("`checkpoints.commentDue` must be an RFC 3339 time");
      if (replies > 0) {
        if (typeof checkpoints.repliesDue !== "string" || !TIME.test(checkpoints.repliesDue)) refuse("`checkpoints.repliesDue` must be an RFC 3339 time");
        if (Date.parse(checkpoints.repliesDue) < Date.parse(checkpoints.commentDue)) refuse("`checkpoints.repliesDue` is not before `commentDue`");
      }
    }
    var about = newDoc.commentId;
    if (about === null || about === undefined) {
      if (newDoc._id !== newDoc.postId + ":settings" || newDoc.id !== "settings") refuse("the discussion's decisions have the id <postId>:settings");
      if (newDoc.pinned || newDoc.endorsed || newDoc.hidden) refuse("only a comment is pinned, endorsed or hidden");
    } else {
      if (newDoc._id !== newDoc.postId + ":mod:" + about || newDoc.id !== "mod:" + about) refuse("a comment's decisions have the id <postId>:mod:<commentId>");
      if (newDoc.locked || newDoc.postFirst || newDoc.anonymous || checkpoints) refuse("only the discussion is locked, asks for a post first, is anonymous or has checkpoints");
    }
    if (newDoc.accountRole !== "instructor" && newDoc.accountRole !== "ta") refuse("`accountRole` is \"instructor\" or \"ta\"");
    if (ADMIN) return;
    if (!holdsAny(STAFF_ROLES.instructor) && !holdsAny(STAFF_ROLES.ta)) refuse("only an instructor or a TA pins, endorses, hides or locks");
    if (newDoc.account !== userCtx.name) refuse("staff decide as their own account: `account` is " + userCtx.name);
    if (newDoc.accountRole === "instructor" && !holdsAny(STAFF_ROLES.instructor)) refuse("only an instructor decides as one");
  } else if (newDoc.type === "report") {
    // A reader's report of a comment (src/model/report.rs), `<postId>:report:<commentId>:<account>`:
    // written by the reporting account only; the staff mark it `reviewed` and change nothing else.
    only(["type", "id", "postId", "commentId", "account", "reason", "details", "reviewed", "updatedAt"]);
    id("commentId");
    id("account");
    if (["inappropriate", "offensive", "other"].indexOf(newDoc.reason) < 0) refuse("`reason` is \"inappropriate\", \"offensive\" or \"other\"");
    text("details", 4000);
    if (newDoc.reason === "other" && !/\S/.test(newDoc.details)) refuse("a report for another reason says what it is in `details`");
    flag("reviewed");
    time("updatedAt");
    if (newDoc._id !== newDoc.postId + ":report:" + newDoc.commentId + ":" + newDoc.account || newDoc.id !== "report:" + newDoc.commentId + ":" + newDoc.account) {
      refuse("a report's id is <postId>:report:<commentId>:<account>");
    }
    if (ADMIN) return;
    var staff = holdsAny(STAFF_ROLES.instructor) || holdsAny(STAFF_ROLES.ta);
    if (newDoc.account === userCtx.name) {
      if (newDoc.reviewed && !(staff && oldDoc && !oldDoc._deleted)) refuse("a new report is not reviewed yet");
    } else {
      if (!staff) refuse("a reader reports as their own account: `account` is " + userCtx.name);
      if (!oldDoc || oldDoc._deleted) refuse("staff review a report a reader wrote");
      unchanged(["reason", "details"]);
    }
  } else if (newDoc.type === "post") {
    only(["type", "postId", "slug", "title", "summary", "course", "author", "body", "bibliography", "style", "date", "createdAt", "updatedAt", "authorLock", "unpublished"]);
    id("slug");
    if (!SLUG.test(newDoc.slug)) refuse("`slug` must be lower-case letters and digits in hyphen-separated runs");
    if (newDoc.postId !== newDoc.slug) refuse("a post's `postId` is its `slug`");
    if (newDoc._id !== "post~" + newDoc.slug) refuse("a post's id is post~<slug>");
    words("title", MAX_TITLE_CHARS);
    words("summary", MAX_SUMMARY_CHARS, true);
    words("course", MAX_COURSE_CHARS, true);
    words("author", MAX_AUTHOR_CHARS);
    text("body", MAX_BODY_BYTES);
    if (!/\S/.test(newDoc.body)) refuse("`body` must not be empty");
    var bibliography = newDoc.bibliography;
    if (bibliography !== null && bibliography !== undefined) {
      if (typeof bibliography !== "object" || bibliography instanceof Array) {
        refuse("`bibliography` must be null or { name, text }");
      }
      for (var key in bibliography) {
        if (key !== "name" && key !== "text") refuse("a bibliography has no field `" + key + "`");
      }
      if (typeof bibliography.name !== "string" || typeof bibliography.text !== "string") {
        refuse("a bibliography has text `name` and `text`");
      }
      if (bytes(bibliography.name) > MAX_ID_BYTES || !BIBLIOGRAPHY_NAME.test(bibliography.name)) {
        refuse("a bibliography's `name` ends in .bib, .bibtex, .json, .yaml or .yml (at most " + MAX_ID_BYTES + " bytes)");
      }
      if (bytes(bibliography.text) > MAX_BIBLIOGRAPHY_BYTES) {
        refuse("a bibliography's `text` is longer than " + MAX_BIBLIOGRAPHY_BYTES + " bytes");
      }
    }
    if (STYLES.indexOf(newDoc.style) < 0) refuse("`style` must be one of " + STYLES.join(", "));
    if (typeof newDoc.date !== "string" || !DATE.test(newDoc.date)) refuse("`date` must be YYYY-MM-DD");
    time("createdAt");
    time("updatedAt");
    flag("unpublished");
    if (typeof newDoc.authorLock !== "string" || !LOCK.test(newDoc.authorLock)) {
      refuse("`authorLock` must be 64 lower-case hex digits");
    }
    if (oldDoc && !oldDoc._deleted) {
      unchanged(["type", "postId", "slug", "createdAt"]);
      if (sha256(newDoc.authorLock) !== oldDoc.authorLock) {
        refuse("only the author of this post can edit or unpublish it");
      }
    }
  } else {
    refuse("`type` must be \"comment\", \"like\", \"moderation\", \"report\" or \"post\"");
  }
}

// The change filter of one post: `_changes?filter=colloquy/post&post=<slug>`.
function postFilter(doc, req) {
  return typeof doc._id === "string" && typeof req.query.post === "string" && doc._id.indexOf(req.query.post + ":") === 0;
}

export const DESIGN_DOC_ID = "_design/colloquy";

/**
 * The design document as it is stored (without `_rev`). `staffRoles` is config.json's `roles`
 * (`{ instructor: [...], ta: [...] }`, each optional): the account roles that may write as staff.
 */
export function designDocument(staffRoles = {}) {
  const staff = { instructor: staffRoles.instructor ?? ["instructor"], ta: staffRoles.ta ?? ["ta"] };
  const rules = validateDocUpdate.toString().replace(/var STAFF_ROLES = [^;]*;/, () => `var STAFF_ROLES = ${JSON.stringify(staff)};`);
  return {
    _id: DESIGN_DOC_ID,
    language: "javascript",
    validate_doc_update: rules,
    filters: { post: postFilter.toString() },
  };
}
