// Draw every chart on the page from its JSON spec (plotly.js, served by the app).
// Pages work without this script: each chart has a data table as its text alternative.
(function () {
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) { return; }
      var spec = JSON.parse(source.textContent);
      // No toolbar: its buttons would sit inside the chart's image role, and one offers to
      // send the data to an outside service. Each chart has a data table to read instead.
      var config = { responsive: true, displayModeBar: false, showSendToCloud: false };
      window.Plotly.newPlot(el, spec.data, spec.layout, config);
      el.dataset.drawn = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
