// Shared by every page: the CSRF token on htmx requests and API calls, feature colours, confirmations.
"use strict";

(function () {
  const token = () => document.querySelector('meta[name="csrf-token"]').content;

  document.body.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["X-CSRF-Token"] = token();
  });

  // Colours come from data attributes: the content security policy allows no inline styles.
  function paint(root) {
    root.querySelectorAll("[data-color]").forEach((element) => {
      element.style.setProperty("--feature", element.dataset.color);
    });
  }
  paint(document);
  document.body.addEventListener("htmx:afterSwap", (event) => paint(event.target));

  document.addEventListener("submit", (event) => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  /** Calls the API with the session cookie and the CSRF token; answers {ok, status, body}. */
  async function api(path, options = {}) {
    const headers = Object.assign({ "X-CSRF-Token": token() }, options.headers || {});
    const response = await fetch(path, Object.assign({}, options, { headers, credentials: "same-origin" }));
    const text = await response.text();
    let body = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (notJson) {
      body = text;
    }
    return { ok: response.ok, status: response.status, body };
  }

  /** Builds an element; children are nodes or strings (always set as text, never as HTML). */
  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes).forEach(([name, value]) => {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    });
    children.flat().forEach((child) => {
      if (child === null || child === undefined) return;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    });
    return node;
  }

  /** The API's error body as a box: its message and every detail with its place. */
  function errorBox(result) {
    const error = result.body && result.body.error;
    if (!error) {
      return element("div", { class: "error-box", role: "alert" }, "The server answered " + result.status + ".");
    }
    const details = (error.details || []).map((detail) => {
      const where = detail.line ? (detail.source || "") + ":" + detail.line + (detail.column ? ":" + detail.column : "") + " " : "";
      return element("li", {}, where + (detail.path ? detail.path + ": " : "") + detail.message);
    });
    return element("div", { class: "error-box", role: "alert" },
      element("p", {}, element("strong", {}, error.code), " " + error.message),
      details.length ? element("ul", {}, details) : null);
  }

  window.foundry = { api, element, errorBox, token };
})();
