// Charts of the portal: a <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">
// ({type, labels, label, values}), written by Django's json_script; no inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "vi");
  // On time, late, returned, missing: the colours of the completeness badges.
  const palette = ["#198754", "#ffc107", "#dc3545", "#6c757d", "#0d6efd", "#6f42c1"];
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) return;
    const spec = JSON.parse(source.textContent);
    const type = spec.type || "bar";
    const round = type === "doughnut" || type === "pie";
    const options = {
      animation: false,
      plugins: { legend: { display: true, position: "bottom" } },
    };
    if (!round) {
      // Counts are whole numbers: no 0,5 on the axis.
      options.scales = {
        y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => numberFormat.format(v) } },
      };
    }
    new window.Chart(canvas, {
      type,
      data: {
        labels: spec.labels,
        datasets: [
          {
            label: spec.label,
            data: spec.values,
            backgroundColor: round ? palette : "#a4161a",
            borderColor: round ? "#fff" : "#a4161a",
          },
        ],
      },
      options,
    });
  });
});
