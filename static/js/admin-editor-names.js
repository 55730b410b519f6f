// Wagtail's rich-text editor (Draftail) is a text box with no name: a screen reader says only
// "edit text". Name each one after the block or field it belongs to ("The story: paragraph").
(function () {
  "use strict";
  function label(editor) {
    var field = editor.closest("[data-contentpath], .w-field, [data-field]");
    var block = editor.closest("[data-streamfield-child], .w-panel");
    var heading = block && block.querySelector("h2, [data-panel-heading-text], label");
    var text = (heading && heading.textContent) || (field && field.getAttribute("data-contentpath")) || "";
    text = text.replace(/\*/g, "").replace(/\s+/g, " ").trim();
    return text ? text + ": " + "rich text" : "Rich text";
  }
  function name() {
    document.querySelectorAll(".public-DraftEditor-content:not([aria-label])").forEach(function (editor) {
      editor.setAttribute("aria-label", label(editor));
    });
  }
  document.addEventListener("DOMContentLoaded", name);
  new MutationObserver(name).observe(document.documentElement, { childList: true, subtree: true });
})();
