// Starts the content worker: wasm-bindgen's no-modules glue, then its WebAssembly.
importScripts("./content_worker.js");
wasm_bindgen({ module_or_path: "./content_worker_bg.wasm" });
