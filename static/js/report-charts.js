// The statistics report's charts, drawn with ECharts (served from static/vendor) from the figures the page carries.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-charts").textContent);
  const words = JSON.parse(document.getElementById("report-labels").textContent);
  const colours = { green: "#198754", yellow: "#ffc107", red: "#dc3545" };
  const options = {
    trend: {
      tooltip: { trigger: "axis" },
      legend: { data: [words.green, words.yellow, words.red] },
      xAxis: { type: "category", data: data.trend.map((row) => row.month) },
      yAxis: { type: "value" },
      series: ["green", "yellow", "red"].map((key) => ({
        name: words[key], type: "line", stack: "lights", areaStyle: {}, color: colours[key],
        data: data.trend.map((row) => row[key]),
      })),
    },
    matrix: {
      tooltip: { position: "top" },
      xAxis: { type: "category", name: words.impact, data: ["1", "2", "3", "4", "5"] },
      yAxis: { type: "category", name: words.likelihood, data: ["1", "2", "3", "4", "5"] },
      visualMap: { min: 0, max: Math.max(1, ...data.matrix.map((cell) => cell[2])), calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#f8f9fa", "#ffc107", "#dc3545"] } },
      grid: { bottom: 70 },
      series: [{ type: "heatmap", label: { show: true }, data: data.matrix.map(([likelihood, impact, n]) => [impact - 1, likelihood - 1, n]) }],
    },
    warnings: {
      tooltip: {},
      xAxis: { type: "category", data: data.warnings.map((row) => row[0]) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: data.warnings.map((row) => row[1]), color: "#dc3545" }],
    },
    outcomes: {
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.outcomes.map(([name, value]) => ({ name, value })) }],
    },
  };
  document.querySelectorAll(".report-chart").forEach((element) => {
    const chart = echarts.init(element);
    chart.setOption(options[element.dataset.chart]);
    window.addEventListener("resize", () => chart.resize());
  });
})();
