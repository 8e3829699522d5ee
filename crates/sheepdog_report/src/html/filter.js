(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var files = Array.prototype.slice.call(document.querySelectorAll("section.file"));
  var shown = document.getElementById("shown");
  function apply() {
    var severity = form.elements.severity.value;
    var rule = form.elements.rule.value;
    var practice = form.elements.practice.value;
    var resource = form.elements.resource.value.trim().toLowerCase();
    var count = 0;
    findings.forEach(function (f) {
      var d = f.dataset;
      var keep = (!severity || d.severity === severity) &&
        (!rule || d.rule === rule) &&
        (!practice || d.practices.split(" ").indexOf(practice) >= 0) &&
        (!resource || d.resource.toLowerCase().indexOf(resource) >= 0);
      f.hidden = !keep;
      if (keep) { count += 1; }
    });
    files.forEach(function (s) {
      s.hidden = s.querySelector("article.finding:not([hidden])") === null;
    });
    shown.textContent = String(count);
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
  document.body.dataset.filters = "ready";
})();
