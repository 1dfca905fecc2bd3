// Starts the citation worker: wasm-bindgen's no-modules glue, then its WebAssembly.
importScripts("./cite_worker.js");
wasm_bindgen({ module_or_path: "./cite_worker_bg.wasm" });
