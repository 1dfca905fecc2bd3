// The colour theme, before the first paint: data-theme on <html> from ?theme= or the saved
// choice (none for System). Adds the header's picker in the words src/app.rs puts on it.
(() => {
  const KEY = "colloquy:theme";
  const NAMES = ["system", "light", "dark"];
  const known = (name) => (NAMES.includes(name) ? name : null);
  const root = document.documentElement;
  const apply = (name) => (name === "system" ? root.removeAttribute("data-theme") : root.setAttribute("data-theme", name));
  let saved = null;
  try {
    saved = known(localStorage.getItem(KEY));
  } catch {}
  const chosen = known(new URLSearchParams(location.search).get("theme")) ?? saved ?? "system";
  apply(chosen);

  function addPicker(header) {
    const words = header.dataset;
    // The label beside the select, not around it: around it, the name would take in the
    // selected option ("Theme System").
    const picker = document.createElement("span");
    picker.className = "theme-picker";
    const label = document.createElement("label");
    label.htmlFor = "theme-picker";
    label.textContent = words.themeLabel;
    const select = document.createElement("select");
    select.id = "theme-picker";
    for (const name of NAMES) {
      select.append(new Option(words["theme" + name[0].toUpperCase() + name.slice(1)], name, false, name === chosen));
    }
    select.addEventListener("change", () => {
      apply(select.value);
      try {
        localStorage.setItem(KEY, select.value);
      } catch {}
    });
    picker.append(label, select);
    header.append(picker);
  }

  const watch = new MutationObserver(() => {
    const header = document.querySelector(".site-header[data-theme-label]");
    if (header) {
      watch.disconnect();
      addPicker(header);
    }
  });
  watch.observe(root, { childList: true, subtree: true });
})();
