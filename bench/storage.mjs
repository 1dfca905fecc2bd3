// 5. Storage: what a typical comment costs in localStorage, and how many fit, measured by
// filling this Chromium's localStorage until it refuses (QuotaExceededError). Since the local
// store moved to IndexedDB this is the capacity of its fallback (one localStorage key per
// thread, where IndexedDB cannot be opened); this writes its own data and reads no thread back.
import { generateComments, storedThread } from "./lib/threads.mjs";
import { POST, THREAD_KEY } from "./lib/page.mjs";

const FIVE_MB = 5 * 1024 * 1024;

export async function measureStorage(browser, site, { sample = 1000, most = 40_000 } = {}) {
  const comments = generateComments(sample, { postId: POST });
  const chars = (storedThread(POST, comments).length - storedThread(POST, []).length) / sample;
  const utf8 = (Buffer.byteLength(storedThread(POST, comments)) - Buffer.byteLength(storedThread(POST, []))) / sample;
  const pool = generateComments(most, { postId: POST });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}?post=${POST}`, { waitUntil: "domcontentloaded" });
  const fits = await page.evaluate(
    ([key, postId, all]) => {
      const save = (n) => {
        try {
          localStorage.setItem(key, JSON.stringify({ version: 2, postId, comments: all.slice(0, n), likes: [] }));
          return true;
        } catch (error) {
          if (error.name !== "QuotaExceededError") throw error;
          return false;
        }
      };
      let low = 0;
      let high = all.length;
      if (save(high)) return { most: high, capped: true };
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (save(middle)) low = middle;
        else high = middle;
      }
      return { most: low, capped: false, quotaChars: localStorage.getItem(key).length + key.length };
    },
    [THREAD_KEY, POST, pool],
  );
  await context.close();
  return {
    charsPerComment: Math.round(chars),
    utf8BytesPerComment: Math.round(utf8),
    utf16BytesPerComment: Math.round(chars * 2),
    fitIn5MBAsUtf16: Math.floor(FIVE_MB / (chars * 2)),
    fitIn5MBAsUtf8: Math.floor(FIVE_MB / utf8),
    fitInThisChromium: fits.most,
    thisChromiumQuotaChars: fits.quotaChars,
  };
}
