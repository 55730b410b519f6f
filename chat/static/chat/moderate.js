// The moderation queue: "Select all" ticks every message for the bulk buttons. Without
// JavaScript each message is ticked by hand (the box stays hidden).
(function () {
  "use strict";
  var wrap = document.querySelector("[data-select-all]");
  var all = document.getElementById("select-all");
  if (!wrap || !all) { return; }
  var boxes = document.querySelectorAll('input[type=checkbox][name=message][form="bulk-form"]');
  wrap.hidden = false;
  all.addEventListener("change", function () {
    Array.prototype.forEach.call(boxes, function (box) { box.checked = all.checked; });
  });
  Array.prototype.forEach.call(boxes, function (box) {
    box.addEventListener("change", function () {
      var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  });
})();
