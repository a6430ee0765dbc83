// The comparisons page: win rates per model version from the report export, and the comparisons a
// page at a time, both read from the API with the session.
"use strict";

(function () {
  const report = document.getElementById("report");
  if (!report) return;
  const { api, element, errorBox } = window.foundry;
  const list = document.getElementById("comparisons");
  const more = document.getElementById("more-comparisons");
  const PAGE = 25;
  let table = null;
  let cursor = null;

  const percent = (rate) => (rate === null || rate === undefined ? "–" : (rate * 100).toFixed(1) + "%");

  async function loadReport() {
    const result = await api("/api/v1/chat/comparisons/export?format=report");
    if (!result.ok) {
      report.replaceChildren(errorBox(result));
      return;
    }
    const models = result.body.models;
    if (!models.length) {
      report.replaceChildren(element("p", { class: "muted" }, "No comparisons yet."));
      return;
    }
    const rows = models.map((model) => {
      const meter = element("meter", { min: "0", max: "1", value: String(model.win_rate === null ? 0 : model.win_rate), "aria-hidden": "true" });
      return element("tr", { "data-model-id": model.model_id, "data-model-version": String(model.model_version) },
        element("td", {}, element("a", { href: "/models/" + encodeURIComponent(model.model_id) }, model.model_name)),
        element("td", {}, "v" + model.model_version),
        element("td", { class: "num win-rate" }, percent(model.win_rate), " ", meter),
        element("td", { class: "num" }, String(model.wins)),
        element("td", { class: "num" }, String(model.appearances)),
        element("td", { class: "num" }, model.mean_rank === undefined ? "–" : model.mean_rank.toFixed(2)),
        element("td", { class: "num" }, String(model.failed_answers)));
    });
    report.replaceChildren(
      element("p", { class: "muted small", id: "report-totals" },
        result.body.comparisons + " comparisons, " + result.body.judgments + " judgments"),
      element("div", { class: "table-wrap" }, element("table", { class: "table", id: "win-rates" },
        element("thead", {}, element("tr", {}, ["Model", "Version", "Win rate", "Wins", "Judged", "Mean rank", "Failed"]
          .map((name) => element("th", { scope: "col" }, name)))),
        element("tbody", {}, rows))));
  }

  async function loadComparisons() {
    more.disabled = true;
    const result = await api("/api/v1/chat/comparisons?limit=" + PAGE + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
    more.disabled = false;
    if (!result.ok) {
      list.replaceChildren(errorBox(result));
      return;
    }
    cursor = result.body.next_cursor || null;
    more.hidden = !cursor;
    if (!table) {
      if (!result.body.items.length) {
        list.replaceChildren(element("p", { class: "muted" }, "No comparisons yet. Start one side by side."));
        return;
      }
      table = element("tbody", {});
      list.replaceChildren(element("div", { class: "table-wrap" }, element("table", { class: "table", id: "comparisons-table" },
        element("thead", {}, element("tr", {}, ["Comparison", "Created", "Answers", "Judgments", ""]
          .map((name) => element("th", { scope: "col" }, name)))),
        table)));
    }
    result.body.items.forEach((comparison) => table.append(row(comparison)));
  }

  function row(comparison) {
    const answers = comparison.answers.map((answer) => element("li", { class: answer.outcome === "failed" ? "failed" : "answered" },
      answer.model_name + " v" + answer.model_version + (answer.outcome === "failed" ? " (failed: " + answer.error.code + ")" : "")));
    const judgments = comparison.judgments.map((judgment) => judgment.kind.replace("_", " "));
    return element("tr", { "data-comparison-id": comparison.id },
      element("td", {}, element("span", { class: "strong" }, comparison.global_key || comparison.id),
        comparison.global_key ? element("div", { class: "muted small mono" }, comparison.id) : null),
      element("td", {}, comparison.created_at.replace("T", " ").replace(/\.\d+Z$/, "Z")),
      element("td", {}, element("ul", { class: "answer-list" }, answers)),
      element("td", {}, judgments.length ? judgments.length + ": " + judgments.join(", ") : element("span", { class: "muted" }, "none")),
      element("td", {}, element("a", { href: "/api/v1/chat/comparisons/" + encodeURIComponent(comparison.id) }, "JSON")));
  }

  more.addEventListener("click", loadComparisons);
  loadReport();
  loadComparisons();
})();
