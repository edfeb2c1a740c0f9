// The manager dashboard's charts. The numbers come from the JSON data island the page renders
// (json_script), the same numbers as the tables beside each chart; a suppressed count ("<5")
// arrives as null and is not drawn. Loaded as a file: the CSP forbids inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  const island = document.getElementById("dashboard-data");
  if (!island || typeof window.Chart === "undefined") return;
  const data = JSON.parse(island.textContent);
  const Chart = window.Chart;

  const green = "#0b6e4f";
  const grey = "#9aa5ad";
  const amber = "#f0a202";
  const number = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 1 });
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.locale = "nl-NL";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  if (reduceMotion) Chart.defaults.animation = false;

  const tooltip = (unit) => ({
    callbacks: {
      label: (context) => {
        const value = context.parsed[context.chart.options.indexAxis === "y" ? "x" : "y"];
        const shown = value === null ? "<5" : number.format(value) + (unit ? " " + unit : "");
        return `${context.dataset.label}: ${shown}`;
      },
    },
  });

  const draw = (id, config) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, config);
  };

  // Horizontal charts with many products need room per bar.
  const fitHeight = (id, count) => {
    const canvas = document.getElementById(id);
    if (canvas) canvas.parentElement.style.height = `${Math.max(18, 2 + count * 1.8)}rem`;
  };

  const valueAxis = (title) => ({
    beginAtZero: true,
    title: { display: true, text: title },
    ticks: { callback: (value) => number.format(value) },
  });

  draw("chart-months", {
    type: "bar",
    data: {
      labels: data.months.labels,
      datasets: [
        { label: "Gerealiseerd", data: data.months.hours, backgroundColor: green },
        {
          label: "Begroot",
          data: data.months.budget,
          type: "line",
          borderColor: amber,
          backgroundColor: amber,
          pointRadius: 3,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      scales: { y: valueAxis("uren") },
      plugins: { tooltip: tooltip("uur") },
    },
  });

  fitHeight("chart-products", data.products.labels.length);
  draw("chart-products", {
    type: "bar",
    data: {
      labels: data.products.labels,
      datasets: [
        { label: "Gerealiseerd", data: data.products.hours, backgroundColor: green },
        { label: "Begroot", data: data.products.budget, backgroundColor: grey },
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: { x: valueAxis("uren") },
      plugins: { tooltip: tooltip("uur") },
    },
  });

  draw("chart-areas", {
    type: "bar",
    data: {
      labels: data.areas.labels,
      datasets: [
        { label: "Uren", data: data.areas.hours, backgroundColor: green, yAxisID: "y" },
        { label: "Bereikte inwoners", data: data.areas.clients, backgroundColor: grey, yAxisID: "y1" },
      ],
    },
    options: {
      maintainAspectRatio: false,
      scales: {
        y: valueAxis("uren"),
        y1: { ...valueAxis("inwoners"), position: "right", grid: { drawOnChartArea: false } },
      },
      plugins: { tooltip: tooltip("") },
    },
  });

  fitHeight("chart-outcomes", data.outcomes.labels.length);
  draw("chart-outcomes", {
    type: "bar",
    data: {
      labels: data.outcomes.labels,
      datasets: [
        { label: "Afgesloten trajecten", data: data.outcomes.closed, backgroundColor: green },
      ],
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: { x: valueAxis("trajecten") },
      plugins: { tooltip: tooltip("") },
    },
  });
});
