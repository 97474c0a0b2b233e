// The dashboards' charts (Chart.js from npm, static/vendor/chartjs), each drawn from the JSON
// the page holds in the script named by its canvas's data-chart: {labels, dates ("day",
// "weekday" or "month": the labels are ISO days shown so), stacked, datasets: [{label, data,
// type, color}]}. The table beside each
// chart holds the same numbers for whoever cannot see it.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  const language = document.documentElement.lang || "fr";
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const shown = {
      day: { day: "numeric", month: "short", year: "2-digit" },
      weekday: { weekday: "short", day: "numeric", month: "short" },
      month: { month: "short", year: "2-digit" },
    }[spec.dates];
    const labels = shown
      ? spec.labels.map(function (day) {
          return new Date(day + "T12:00:00").toLocaleDateString(language, shown);
        })
      : spec.labels;
    const datasets = spec.datasets.map(function (set) {
      return { label: set.label, data: set.data, type: set.type || "bar",
               backgroundColor: set.color, borderColor: set.color, spanGaps: false,
               pointRadius: set.type === "line" ? 1.5 : undefined,
               stack: set.type === "line" ? undefined : "bars" };
    });
    const axis = { stacked: Boolean(spec.stacked) };
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 scales: { x: axis, y: Object.assign({ beginAtZero: true }, axis) },
                 plugins: { legend: { position: "bottom" } } },
    });
  });
})();
