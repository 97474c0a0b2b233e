// The dashboard's charts (Chart.js from npm, static/vendor/chartjs): drawn from the page's
// JSON data; the table beside each chart holds the same numbers for whoever cannot see it.
(function () {
  "use strict";
  const canvas = document.getElementById("weekly-chart");
  const source = document.getElementById("weekly-data");
  if (!canvas || !source || typeof window.Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const language = document.documentElement.lang || "fr";
  const labels = data.labels.map(function (day) {
    return new Date(day + "T12:00:00").toLocaleDateString(language, { day: "numeric", month: "short" });
  });
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: labels,
      datasets: [
        { label: canvas.dataset.ordersLabel || "", data: data.orders, backgroundColor: "#2e7d4f" },
        { label: canvas.dataset.lastYearLabel || "", data: data.last_year, type: "line",
          borderColor: "#b26a00", backgroundColor: "#b26a00", spanGaps: false },
      ],
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false,
               plugins: { legend: { position: "bottom" } } },
  });
})();
