// The dataset page's import panel: rows files and media files go to the API itself.
"use strict";

(function () {
  const section = document.getElementById("import");
  if (!section) return;
  const dataset = section.dataset.datasetId;
  const result = document.getElementById("import-result");
  const { api, element, errorBox } = window.foundry;

  function report(answer) {
    if (!answer.ok) {
      result.replaceChildren(errorBox(answer));
      return;
    }
    const body = answer.body;
    const problems = (body.problems || []).map((problem) =>
      element("li", {}, "line " + (problem.line || "?") + (problem.path ? " " + problem.path : "") + ": " + problem.message));
    result.replaceChildren(element("div", { class: body.rejected ? "error-box" : "notice", role: "status", id: "import-report" },
      element("p", {}, element("strong", {}, body.imported + " imported"), ", " + body.rejected + " refused. ",
        element("a", { href: window.location.pathname }, "Show the rows")),
      problems.length ? element("ul", {}, problems) : null));
  }

  document.getElementById("import-rows").addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = document.getElementById("rows-file").files[0];
    if (!file) return;
    result.replaceChildren(element("p", { class: "muted" }, "Importing " + file.name + "…"));
    const type = file.name.endsWith(".json") ? "application/json" : "application/x-ndjson";
    report(await api("/api/v1/datasets/" + dataset + "/data-rows", { method: "POST", headers: { "Content-Type": type }, body: file }));
  });

  document.getElementById("upload-files").addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = Array.from(document.getElementById("media-files").files);
    const rows = [];
    for (let index = 0; index < files.length; index++) {
      const file = files[index];
      result.replaceChildren(element("p", { class: "muted" }, "Uploading " + (index + 1) + " of " + files.length + ": " + file.name));
      const form = new FormData();
      form.append("file", file);
      const uploaded = await api("/api/v1/files", { method: "POST", body: form });
      if (!uploaded.ok) {
        result.replaceChildren(errorBox(uploaded));
        return;
      }
      const media = file.type.startsWith("image/") ? "image" : file.type === "text/html" ? "html" : "text";
      rows.push(JSON.stringify({ row_data: uploaded.body.row_data, global_key: file.name, media_type: media }));
    }
    report(await api("/api/v1/datasets/" + dataset + "/data-rows", {
      method: "POST", headers: { "Content-Type": "application/x-ndjson" }, body: rows.join("\n") + "\n" }));
  });
})();
