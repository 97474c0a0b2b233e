// The dashboard's "Drive" charts (Chart.js, loaded by the page): orders per opening day and
// the stock's value week by week, drawn from the page's JSON; the tables hold the numbers.
(function () {
  "use strict";
  function short(day, language, withWeekday) {
    const options = { day: "numeric", month: "short" };
    if (withWeekday) options.weekday = "short";
    return new Date(day + "T12:00:00").toLocaleDateString(language, options);
  }
  function draw() {
    const source = document.getElementById("drive-data");
    if (!source || typeof window.Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const language = document.documentElement.lang || "fr";
    const options = { responsive: true, maintainAspectRatio: false, animation: false,
                      plugins: { legend: { position: "bottom" } } };
    const days = document.getElementById("drive-days-chart");
    if (days) {
      new window.Chart(days, {
        type: "bar",
        data: {
          labels: data.days.map(function (day) { return short(day, language, true); }),
          datasets: [{ label: days.dataset.ordersLabel || "", data: data.orders,
                       backgroundColor: "#2e7d4f" }],
        },
        options: options,
      });
    }
    const stock = document.getElementById("drive-stock-chart");
    if (stock) {
      new window.Chart(stock, {
        type: "line",
        data: {
          labels: data.weeks.map(function (day) { return short(day, language, false); }),
          datasets: [{ label: stock.dataset.valueLabel || "", data: data.stock_value.map(Number),
                       borderColor: "#b26a00", backgroundColor: "#b26a00" }],
        },
        options: options,
      });
    }
  }
  // Deferred like Chart.js, which the page loads after this script: deferred scripts run
  // while the document is "interactive", all of them before DOMContentLoaded.
  if (document.readyState === "complete") draw();
  else document.addEventListener("DOMContentLoaded", draw);
})();
