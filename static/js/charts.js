// Charts of the portal: a <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">
// ({type, labels, label, values}), written by Django's json_script; no inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "vi");
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) return;
    const spec = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: [{ label: spec.label, data: spec.values, backgroundColor: "#a4161a" }],
      },
      options: {
        animation: false,
        plugins: { legend: { display: true, position: "bottom" } },
        // Counts are whole numbers: no 0,5 on the axis.
        scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => numberFormat.format(v) } } },
      },
    });
  });
});
