// Client-side search over labels and synonyms (window.DYSTONIA_KG_INDEX from search-index.js).
(function () {
  "use strict";
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.DYSTONIA_KG_INDEX || [];
  if (!input || !list) { return; }

  function normalise(text) {
    return text.toLowerCase().replace(/[^0-9a-z]+/g, " ").trim();
  }

  function search(query) {
    var wanted = normalise(query);
    if (wanted.length < 2) { return []; }
    var hits = [];
    index.forEach(function (entry) {
      var best = null;
      entry.names.forEach(function (name, position) {
        var normal = normalise(name);
        var at = normal.indexOf(wanted);
        if (at < 0) { return; }
        var score = (normal === wanted ? 0 : at === 0 ? 1 : 2) + (position === 0 ? 0 : 0.5);
        if (best === null || score < best.score) { best = { score: score, name: name }; }
      });
      if (best !== null) { hits.push({ entry: entry, score: best.score, matched: best.name }); }
    });
    hits.sort(function (a, b) { return a.score - b.score || a.entry.label.localeCompare(b.entry.label); });
    return hits.slice(0, 20);
  }

  function show(hits) {
    list.innerHTML = "";
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.entry.href;
      link.textContent = hit.entry.label + (hit.matched !== hit.entry.label ? " (" + hit.matched + ")" : "");
      link.title = hit.entry.curie;
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  input.addEventListener("input", function () { show(search(input.value)); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && list.firstChild) { window.location.href = list.firstChild.firstChild.href; }
  });
})();
