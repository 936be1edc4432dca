// Trend chart of the dashboards: SLA compliance (%) and IKM per month, from the page's JSON (the same
// figures are in the table under the chart, for readers without JavaScript).
document.addEventListener("DOMContentLoaded", function () {
  var kanvas = document.getElementById("grafik-tren");
  var sumber = document.getElementById("data-tren");
  if (!kanvas || !sumber || typeof Chart === "undefined") return;
  var bulan = JSON.parse(sumber.textContent);
  new Chart(kanvas, {
    type: "line",
    data: {
      labels: bulan.map(function (b) { return b.bulan; }),
      datasets: [
        { label: kanvas.dataset.labelKepatuhan, yAxisID: "persen", spanGaps: true,
          data: bulan.map(function (b) { return b.kepatuhan_sla === null ? null : Math.round(b.kepatuhan_sla * 1000) / 10; }) },
        { label: kanvas.dataset.labelIkm, yAxisID: "persen", spanGaps: true,
          data: bulan.map(function (b) { return b.ikm; }) }
      ]
    },
    options: {
      animation: false,
      scales: {
        // One axis: SLA compliance (%) and IKM (25–100) share the 0–100 scale; the table below has the figures.
        persen: { type: "linear", position: "left", min: 0, max: 100 }
      }
    }
  });
});
