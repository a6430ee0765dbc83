// The model page's connection test: one sample row sent through the API, the exchange shown.
"use strict";

(function () {
  const section = document.getElementById("connection-test");
  if (!section) return;
  const form = document.getElementById("connection-form");
  const result = document.getElementById("connection-result");
  const { api, element, errorBox } = window.foundry;

  const json = (value) => element("pre", { class: "code" }, JSON.stringify(value, null, 2));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    result.replaceChildren(element("p", { class: "muted" }, "Sending…"));
    try {
      const answer = await api("/api/v1/models/" + section.dataset.modelId + "/test", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ data_row: { row_data: form.row_data.value, media_type: form.media_type.value } }),
      });
      if (!answer.ok) {
        result.replaceChildren(errorBox(answer));
        return;
      }
      show(answer.body);
    } finally {
      button.disabled = false;
    }
  });

  function show(test) {
    const outcome = test.outcome;
    const badge = outcome === "succeeded" ? "succeeded" : outcome === "partial" ? "paused" : "failed";
    const summary = element("div", { class: "outcome", id: "connection-outcome" },
      element("span", { class: "badge large " + badge }, outcome),
      test.error ? element("span", { class: "error-code" }, " " + test.error.code + ": " + test.error.message) : null,
      test.response ? element("span", { class: "muted" }, " HTTP " + test.response.status + " in " + test.response.latency_ms + " ms") : null);
    const report = test.report || { problems: [] };
    const unmapped = report.problems.length
      ? element("ul", { class: "problems", id: "connection-unmapped" },
          report.problems.map((problem) => element("li", {}, (problem.path ? problem.path + ": " : "") + problem.message)))
      : element("p", { class: "muted", id: "connection-unmapped" }, "Everything mapped onto the ontology.");
    result.replaceChildren(
      summary,
      element("div", { id: "connection-request" }, element("h3", {}, "Request sent"),
        element("p", { class: "muted" }, test.request.method + " " + test.request.url),
        json({ headers: test.request.headers, body: test.request.body })),
      element("div", { id: "connection-response" }, element("h3", {}, "Response"),
        test.response ? json(test.response.body) : element("p", { class: "muted" }, "No response.")),
      element("div", { id: "connection-predictions" }, element("h3", {}, "Predictions (" + (test.predictions || []).length + ")"),
        json(test.predictions || [])),
      element("div", {}, element("h3", {}, "Did not map"), unmapped));
  }
})();
