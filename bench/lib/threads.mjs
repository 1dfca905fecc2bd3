// Generated comment threads of realistic shape for the benchmarks: a seeded random stream, so
// every run measures the same threads. Bodies run from one line to a few paragraphs (median
// about 45 words), 30 % of comments are replies, mostly to recent comments.

const WORDS = (
  "the a of to and in that is was for it with as he his on be at by this had not are but from or have an they which one you were her all she there would their we him been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three"
).split(" ");
const NAMES = [
  "Parker Nguyen", "Maya Chen", "Sam Okafor", "Alex Romero", "Jordan Ellis", "Priya Raman",
  "Lena Fischer", "Tomás Herrera", "Aiko Tanaka", "Noah Williams", "Fatima Haddad",
  "Olusegun Adeyemi", "Chloé Martin", "Dmitri Volkov", "Hana Kim", "Lucas Silva",
  "Grace O'Brien", "Ravi Patel", "Sofia Rossi", "Ethan Brown", "Amara Diallo", "Mei Lin",
  "Jonas Berg", "Isabel Cruz", "Kwame Mensah", "Elena Popescu", "Yusuf Demir", "Zoe Taylor",
  "Arjun Mehta", "Nadia Kowalski",
];

/** A small seeded PRNG (mulberry32): the same seed gives the same thread. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words per comment: log-normal, median ~45, clamped to 3..400. */
function wordCount(rand) {
  const normal = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Math.max(3, Math.min(400, Math.round(Math.exp(Math.log(45) + 0.8 * normal))));
}

function sentence(rand, words) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]);
  const text = out.join(" ");
  return text[0].toUpperCase() + text.slice(1) + ".";
}

function body(rand) {
  const total = wordCount(rand);
  const paragraphs = [];
  let left = total;
  while (left > 0) {
    const words = Math.min(left, 30 + Math.floor(rand() * 60));
    const sentences = [];
    let inParagraph = words;
    while (inParagraph > 0) {
      const n = Math.min(inParagraph, 6 + Math.floor(rand() * 14));
      sentences.push(sentence(rand, n));
      inParagraph -= n;
    }
    paragraphs.push(sentences.join(" "));
    left -= words;
  }
  // Some Markdown, as students write it: emphasis, a link, a quote.
  if (rand() < 0.15) paragraphs[0] = `*${paragraphs[0]}*`;
  if (rand() < 0.05) paragraphs.push("See https://en.wikipedia.org/wiki/Gulag for more.");
  if (rand() < 0.05) paragraphs.unshift(`> ${sentence(rand, 8)}`);
  return paragraphs.join("\n\n");
}

const hex = (rand, n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
const uuid = (rand) => `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`;

/**
 * `count` comments for `postId` in posting order (schema version 2 fields), 30 % replies.
 * Times start at `start` (ms) and advance a few minutes each.
 */
export function generateComments(count, { postId, seed = 8, replyShare = 0.3, start = Date.parse("2026-01-05T08:00:00Z") } = {}) {
  const rand = random(seed + count);
  const authorKeys = NAMES.map(() => uuid(rand));
  const comments = [];
  let time = start;
  for (let i = 0; i < count; i++) {
    time += 1_000 + Math.floor(rand() * 300_000);
    const who = Math.floor(rand() * NAMES.length);
    let parentId = null;
    if (i > 0 && rand() < replyShare) {
      // Replies mostly answer one of the last 20 comments.
      const back = Math.floor(Math.pow(rand(), 2) * Math.min(i, 20)) + 1;
      parentId = comments[i - back].id;
    }
    const created = new Date(time).toISOString();
    comments.push({
      id: uuid(rand),
      postId,
      parentId,
      author: NAMES[who],
      authorKey: authorKeys[who],
      body: body(rand),
      createdAt: created,
      updatedAt: created,
      deleted: false,
    });
  }
  return comments;
}

/** The stored thread (`colloquy:thread:<slug>`, schema version 2, src/model/schema.rs). */
export function storedThread(postId, comments, likes = []) {
  return JSON.stringify({ version: 2, postId, comments, likes });
}
