// The new-run form: which rows field shows, and the browser's own checks of the parameter form.
"use strict";

(function () {
  function showRowsField() {
    const form = document.getElementById("run-form");
    if (!form) return;
    const chosen = form.querySelector('input[name="rows_from"]:checked');
    form.querySelectorAll("[data-rows-from]").forEach((field) => {
      field.hidden = !chosen || field.dataset.rowsFrom !== chosen.value;
    });
  }

  function checkJson(form) {
    form.querySelectorAll("textarea[data-json]").forEach((area) => {
      area.setCustomValidity("");
      if (area.value.trim() === "") return;
      try {
        JSON.parse(area.value);
      } catch (notJson) {
        area.setCustomValidity("Expected a JSON value: " + notJson.message);
      }
    });
  }

  document.addEventListener("change", (event) => {
    if (event.target.name === "rows_from") showRowsField();
  });
  document.addEventListener("input", (event) => {
    if (event.target.form && event.target.form.id === "run-form") checkJson(event.target.form);
  });

  // The browser checks types, bounds and required values before htmx sends the form; the server
  // checks them again against the schema.
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (form.id !== "run-form" || form.noValidate) return;
    checkJson(form);
    if (!form.checkValidity()) {
      event.preventDefault();
      form.reportValidity();
    }
  });

  showRowsField();
  document.body.addEventListener("htmx:afterSettle", showRowsField);
})();
