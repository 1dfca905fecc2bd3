// Browser-side helpers the benchmarks share: contexts with instruments installed, the app's
// performance marks, waiting for the main thread to go quiet, heap and wasm memory.

export const POST = "the-struggle-for-freedom";
export const THREAD_KEY = `colloquy:thread:${POST}`;
export const MOUNT = "colloquy:thread-mount";
export const PAINTED = "colloquy:thread-painted";

/**
 * Runs in every page before its scripts: records long tasks and every WebAssembly memory the
 * page instantiates, so memory can be read without help from the app.
 */
function instruments() {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  window.__wasmMemories = [];
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    for (const value of Object.values(instance?.exports ?? {})) {
      if (value instanceof WebAssembly.Memory) window.__wasmMemories.push(value);
    }
    return result;
  };
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
  }
}

/** A fresh context (empty storage, cold cache) whose pages carry the instruments. */
export async function instrumentedContext(browser, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(instruments);
  return context;
}

/** Fails the benchmark on an uncaught error in the page: a broken run is not a measure. */
export function failOnErrors(page, problems) {
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
}

/** The start time (ms since navigation) of the first mark named `name`, waiting for it. */
export async function markTime(page, name, timeout = 180_000) {
  const handle = await page.waitForFunction(
    (mark) => performance.getEntriesByName(mark)[0]?.startTime,
    name,
    { timeout, polling: 20 },
  );
  return handle.jsonValue();
}

/**
 * Waits until no long task has been seen for `quietMs`, and returns the end (ms since
 * navigation) of the last long task after `since`, or `since` if there was none.
 */
export async function quietAfter(page, since, { quietMs = 1_000, timeout = 180_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const { now, lastEnd } = await page.evaluate(() => ({
      now: performance.now(),
      lastEnd: Math.max(0, ...window.__longTasks.map(([start, duration]) => start + duration)),
    }));
    if (now - Math.max(lastEnd, since) >= quietMs) return Math.max(lastEnd, since);
    if (Date.now() > deadline) throw new Error("the page never went quiet");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Resolves in the page after the next frame has been painted (a frame, then a task). */
export const AFTER_PAINT = "new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))";

/** JS heap (V8 and Blink's), and the wasm memories, after a full garbage collection. */
export async function memory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  const wasm = await page.evaluate(() => window.__wasmMemories.reduce((sum, m) => sum + m.buffer.byteLength, 0));
  return { jsHeap: heap.usedSize, blinkHeap: heap.embedderHeapUsedSize ?? 0, wasm };
}
