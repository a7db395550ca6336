// Charts of the portal: a <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">,
// written by Django's json_script; no inline scripts. A specification is either one series
// ({type, labels, label, values, horizontal}) or several ({type, labels, series: [{label,
// values}]}), the same that reports/charts.py draws as SVG in the PDF documents. Horizontal
// bars keep long labels whole, on as many lines as they need. Charts that come in a
// fragment (htmx) are drawn as it is swapped in.
(() => {
  // A label as lines of at most `width` characters, broken between words.
  const wrap = (label, width) => {
    const lines = [];
    label.split(" ").forEach((word) => {
      const last = lines[lines.length - 1];
      if (last !== undefined && `${last} ${word}`.length <= width) {
        lines[lines.length - 1] = `${last} ${word}`;
      } else {
        lines.push(word);
      }
    });
    return lines;
  };
  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "vi");
  // On time, late, returned, missing: the colours of the completeness badges.
  const palette = ["#198754", "#ffc107", "#dc3545", "#6c757d", "#0d6efd", "#6f42c1"];
  // Lines over the years: the colours of reports/charts.py (LINE_COLOURS).
  const lines = ["#a4161a", "#0d6efd", "#198754", "#6f42c1", "#fd7e14", "#495057", "#20c997"];
  const draw = (root) => root.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart || window.Chart.getChart(canvas)) return;
    const spec = JSON.parse(source.textContent);
    const type = spec.type || "bar";
    const round = type === "doughnut" || type === "pie";
    const options = {
      animation: false,
      // In a .chart-box the box gives the height (a wide chart stays as tall as on a phone).
      maintainAspectRatio: !canvas.parentElement.classList.contains("chart-box"),
      // A small multiple's one line is named by its caption: no legend.
      plugins: { legend: { display: spec.legend !== false, position: "bottom" } },
    };
    let labels = spec.labels;
    if (!round) {
      // Counts are whole numbers: no 0,5 on the axis.
      const counts = { beginAtZero: true, ticks: { precision: 0, callback: (v) => numberFormat.format(v) } };
      if (spec.horizontal) {
        options.indexAxis = "y";
        options.scales = { x: counts, y: { ticks: { autoSkip: false } } };
        labels = labels.map((label) => wrap(label, 22));
      } else {
        options.scales = { y: counts };
      }
    }
    const datasets = spec.series
      ? spec.series.map((s, i) => ({
          label: s.label,
          data: s.values,
          borderColor: lines[i % lines.length],
          backgroundColor: lines[i % lines.length],
          spanGaps: false,
        }))
      : [
          {
            label: spec.label,
            data: spec.values,
            backgroundColor: round ? palette : "#a4161a",
            borderColor: round ? "#fff" : "#a4161a",
          },
        ];
    new window.Chart(canvas, { type, data: { labels, datasets }, options });
  });
  document.addEventListener("DOMContentLoaded", () => draw(document));
  document.addEventListener("htmx:load", (event) => draw(event.detail.elt));
})();
