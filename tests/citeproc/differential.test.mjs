// Colloquy's citations against citeproc-js (npm `citeproc`, the CSL processor Zotero uses),
// for every bundled style, on the same CSL files hayagriva's archive was built from
// (tests/citeproc/csl/, checked by the example before it prints anything) and a corpus of
// entry types (corpus.json, cited as citations.json says; the seed's own references.bib is
// formatted too and compared with the corpus's CSL-JSON freeze2009).
//
// `cargo run --example cite_corpus` prints Colloquy's in-text citations (a note style's
// notes) and bibliography entries as plain text; this test formats the same with citeproc-js
// and fails on any disagreement that known-differences.json does not list with its reason.
// A listed difference that no longer occurs fails too, so the list stays true.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import CSL from "citeproc";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const read = (file) => readFileSync(path.join(here, file), "utf8");

const STYLE_FILES = {
  apa: "apa.csl",
  mla: "modern-language-association.csl",
  "chicago-author-date": "chicago-author-date.csl",
  "chicago-notes": "chicago-notes-bibliography.csl",
};
// Colloquy's citation syntax already gives CSL's locator names ("p." is "page").
const LOCATOR_LABELS = new Set(["page", "chapter", "section", "paragraph", "volume"]);

const corpus = new Map(JSON.parse(read("corpus.json")).map((item) => [item.id, item]));
const locale = read("csl/locales-en-US.xml");
const known = JSON.parse(read("known-differences.json"));

/** The same text for both sides: whitespace runs (no-break spaces too) as one space. */
const normal = (text) => text.replace(/[\s\u00a0\u202f]+/g, " ").trim();

function citeproc(style, run) {
  const sys = {
    retrieveLocale: (lang) => (lang === "en-US" ? locale : false),
    retrieveItem: (id) => structuredClone(corpus.get(id)),
  };
  const engine = new CSL.Engine(sys, read(`csl/${STYLE_FILES[style]}`), "en-US", true);
  engine.setOutputFormat("text");
  const ids = [...new Set(run.citations.flatMap((c) => c.items.map((i) => i.key)))];
  engine.updateItems(ids);
  const texts = new Map();
  const before = [];
  for (const citation of run.citations) {
    const id = `c${citation.number}`;
    const noteIndex = run.note_style ? citation.number : 0;
    const items = citation.items.map((item) => {
      const cite = { id: item.key };
      if (item.locator) {
        assert.ok(LOCATOR_LABELS.has(item.label), `not a CSL locator: "${item.label}"`);
        Object.assign(cite, { locator: item.locator, label: item.label });
      }
      return cite;
    });
    const [, updated] = engine.processCitationCluster(
      { citationID: id, citationItems: items, properties: { noteIndex } },
      before,
      [],
    );
    before.push([id, noteIndex]);
    for (const [index, text] of updated) texts.set(before[index][0], text);
  }
  const [meta, entries] = engine.makeBibliography();
  return {
    citations: run.citations.map((c) => normal(texts.get(`c${c.number}`) ?? "")),
    entries: meta.entry_ids.map((ids, i) => ({ key: ids[0], text: normal(entries[i]) })),
  };
}

const output = JSON.parse(
  execFileSync("cargo", ["run", "--quiet", "--example", "cite_corpus"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  }),
);

/** Every comparison: where, what Colloquy wrote and what citeproc-js wrote. */
const comparisons = [];
for (const run of output.runs) {
  const reference = citeproc(run.style, run);
  run.citations.forEach((citation, i) => {
    comparisons.push({
      source: run.source,
      style: run.style,
      part: "citation",
      key: citation.items.map((item) => item.key).join(";"),
      colloquy: normal(citation.text),
      citeproc: reference.citations[i],
    });
  });
  const keys = new Set([...run.entries, ...reference.entries].map((e) => e.key));
  for (const key of keys) {
    comparisons.push({
      source: run.source,
      style: run.style,
      part: "entry",
      key,
      colloquy: normal(run.entries.find((e) => e.key === key)?.text ?? "(missing)"),
      citeproc: reference.entries.find((e) => e.key === key)?.text ?? "(missing)",
    });
  }
  // The bibliography's order is part of the style (both sort by the style's keys).
  if (run.source === "corpus.json") {
    comparisons.push({
      source: run.source,
      style: run.style,
      part: "order",
      key: "*",
      colloquy: run.entries.map((e) => e.key).join(" "),
      citeproc: reference.entries.map((e) => e.key).join(" "),
    });
  }
}

const sameSpot = (a, b) =>
  a.source === b.source && a.style === b.style && a.part === b.part && a.key === b.key;

test("the corpus was formatted by both, with no problems", () => {
  for (const run of output.runs) {
    assert.deepEqual(run.problems, [], `${run.source} ${run.style}`);
    assert.ok(run.citations.length > 0 && run.entries.length > 0);
  }
  assert.equal(output.runs.length, 8);
  assert.ok(comparisons.length > 90, `${comparisons.length} comparisons`);
});

test("every bundled style agrees with citeproc-js, except the listed differences", () => {
  const unexplained = [];
  for (const c of comparisons) {
    if (c.colloquy === c.citeproc) continue;
    const listed = known.find((k) => sameSpot(k, c));
    if (listed && listed.colloquy === c.colloquy && listed.citeproc === c.citeproc) continue;
    unexplained.push(c);
  }
  assert.deepEqual(
    unexplained,
    [],
    `${unexplained.length} disagreement(s) with citeproc-js that known-differences.json does not list:\n` +
      unexplained
        .map((c) => `${c.style} ${c.part} ${c.key} (${c.source})\n  colloquy: ${c.colloquy}\n  citeproc: ${c.citeproc}`)
        .join("\n"),
  );
});

test("every listed difference still occurs, and says why", () => {
  for (const k of known) {
    assert.ok(k.reason && k.reason.length > 20, `a reason for ${k.style} ${k.part} ${k.key}`);
    const found = comparisons.find((c) => sameSpot(k, c));
    assert.ok(found, `listed but not compared: ${k.style} ${k.part} ${k.key}`);
    assert.notEqual(found.colloquy, found.citeproc, `no longer differs, remove it: ${k.style} ${k.part} ${k.key}`);
    assert.equal(found.colloquy, k.colloquy, `${k.style} ${k.part} ${k.key}: Colloquy's text changed`);
    assert.equal(found.citeproc, k.citeproc, `${k.style} ${k.part} ${k.key}: citeproc-js's text changed`);
  }
});

test("the seed's editor-only book, in Chicago author-date, is what the issue asks for", () => {
  const get = (part) =>
    comparisons.find(
      (c) => c.source === "references.bib" && c.style === "chicago-author-date" && c.part === part,
    );
  assert.equal(get("citation").colloquy, "(Freeze 2009, 410)");
  assert.equal(
    get("entry").colloquy,
    "Freeze, Gregory L., ed. 2009. Russia: A History. 3rd ed. Oxford University Press.",
  );
  assert.equal(get("entry").citeproc, get("entry").colloquy);
});
