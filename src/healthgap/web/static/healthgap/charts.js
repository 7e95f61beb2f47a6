// Draw every chart on the page from its JSON spec (plotly.js, served by the app).
// Pages work without this script: each chart has a data table as its text alternative.
(function () {
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) { return; }
      var spec = JSON.parse(source.textContent);
      var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
      window.Plotly.newPlot(el, spec.data, spec.layout, config);
      el.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
