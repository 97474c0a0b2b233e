// Simple bar charts (Chart.js from npm, static/vendor/chartjs): every canvas with a
// data-bars attribute, drawn from the JSON script it names ({labels: ["2026-05-01", …],
// values: [number or text, …]}, months); the table beside it holds the same numbers.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  const language = document.documentElement.lang || "fr";
  document.querySelectorAll("canvas[data-bars]").forEach(function (canvas) {
    const source = document.getElementById(canvas.dataset.bars);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const labels = data.labels.map(function (day) {
      return new Date(day + "T12:00:00").toLocaleDateString(language, { month: "short", year: "2-digit" });
    });
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [{ label: canvas.dataset.label || "", data: data.values.map(Number),
                     backgroundColor: "#2e7d4f" }],
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
                 plugins: { legend: { position: "bottom" } } },
    });
  });
})();
