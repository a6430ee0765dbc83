// The chat pages: the composer (text, images picked or dropped), answers and errors as they show in
// the conversation, and the one-model playground. Everything a model wrote is set as text.
"use strict";

(function () {
  const { api, element, errorBox } = window.foundry;
  const MIB = 1024 * 1024;

  const sizeText = (bytes) => (bytes >= MIB ? (bytes / MIB).toFixed(1) + " MiB" : Math.max(1, Math.round(bytes / 1024)) + " KiB");

  /** Reads a file as base64 (without the data: prefix) and as a data URL for its thumbnail. */
  function readFile(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  /**
   * The composer: a message, images from the file picker or dropped onto it (checked for type and
   * size, shown as removable thumbnails), and its own error line. {@code usedBytes} tells how many
   * image bytes the conversation already carries.
   */
  function composer(form, usedBytes, onSend) {
    const message = form.querySelector("#message");
    const list = form.querySelector("#attachments");
    const error = form.querySelector("#composer-error");
    const input = form.querySelector("#image-input");
    const maxImage = Number(form.dataset.maxImageBytes);
    const maxConversation = Number(form.dataset.maxConversationImageBytes);
    const types = form.dataset.imageTypes.split(",");
    let images = [];

    const showError = (text) => {
      error.textContent = text;
      error.hidden = !text;
    };

    function draw() {
      list.replaceChildren(...images.map((image, index) => {
        const remove = element("button", { type: "button", class: "remove", "aria-label": "Remove " + image.name, title: "Remove" }, "×");
        remove.addEventListener("click", () => {
          images.splice(index, 1);
          draw();
        });
        return element("li", { class: "attachment", "data-name": image.name },
          element("img", { src: image.url, alt: image.name }),
          element("span", { class: "attachment-name" }, image.name),
          element("span", { class: "muted small" }, sizeText(image.size)),
          remove);
      }));
    }

    async function add(files) {
      showError("");
      for (const file of files) {
        if (!types.includes(file.type)) {
          showError(file.name + " is " + (file.type || "of an unknown type") + "; images may be PNG, JPEG, GIF or WebP.");
          continue;
        }
        if (file.size > maxImage) {
          showError(file.name + " is " + sizeText(file.size) + "; an image may be at most " + sizeText(maxImage) + ".");
          continue;
        }
        const total = usedBytes() + images.reduce((sum, image) => sum + image.size, 0) + file.size;
        if (total > maxConversation) {
          showError("With " + file.name + " the conversation's images would come to " + sizeText(total)
            + "; one conversation may carry at most " + sizeText(maxConversation) + " of images. Start a new conversation to send more.");
          continue;
        }
        try {
          const url = await readFile(file);
          images.push({ name: file.name, type: file.type, size: file.size, url, base64: url.substring(url.indexOf(",") + 1) });
        } catch (unreadable) {
          showError(file.name + " could not be read: " + unreadable.message);
        }
      }
      draw();
    }

    input.addEventListener("change", async () => {
      await add([...input.files]);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach((name) => form.addEventListener(name, (event) => {
      event.preventDefault();
      form.classList.add("dragging");
    }));
    ["dragleave", "dragend"].forEach((name) => form.addEventListener(name, (event) => {
      if (event.target === form) form.classList.remove("dragging");
    }));
    form.addEventListener("drop", (event) => {
      event.preventDefault();
      form.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) add([...event.dataTransfer.files]);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      onSend();
    });
    message.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        onSend();
      }
    });

    return {
      text: () => message.value.trim(),
      images: () => images.slice(),
      showError,
      clear() {
        message.value = "";
        images = [];
        draw();
      },
      restore(text, kept) {
        message.value = text;
        images = kept;
        draw();
      },
      busy(on) {
        form.querySelector("#send").disabled = on;
        form.setAttribute("aria-busy", on ? "true" : "false");
      },
    };
  }

  /** The user's message as the API takes it. */
  function userMessage(text, images) {
    const parts = text ? [{ text }] : [];
    images.forEach((image) => parts.push({ image: image.base64, media_type: image.type }));
    return { role: "user", parts };
  }

  /** The reply as the next turn sends it back: the assistant's text, else the raw response. */
  function assistantMessage(answer) {
    const text = answer.assistant_text !== undefined ? answer.assistant_text : JSON.stringify(answer.raw_response);
    return { role: "assistant", parts: [{ text }] };
  }

  function userBubble(text, images) {
    return element("li", { class: "turn user" },
      element("div", { class: "bubble" },
        text ? element("p", { class: "message-text" }, text) : null,
        images.length ? element("div", { class: "thumbs" }, images.map((image) => element("img", { src: image.url, alt: image.name }))) : null));
  }

  const HEADINGS = {
    ADAPTER_TIMEOUT: "The model took too long to answer",
    ADAPTER_ENDPOINT_FAILED: "The model's endpoint failed",
    ADAPTER_RESPONSE_INVALID: "The model's answer could not be read",
    ADAPTER_MAPPING_FAILED: "The model's answer could not be read",
    UNAVAILABLE: "The model could not be reached",
    INVALID_PARAMETERS: "The inference parameters were refused",
    PAYLOAD_TOO_LARGE: "The conversation is too large",
    OUTBOUND_BLOCKED: "The model's address is not allowed",
  };

  function heading(code) {
    return HEADINGS[code] || "The request failed";
  }

  /** A model's answer: its text, then version, latency, tokens and attempts, and the raw response. */
  function answerView(answer) {
    if (answer.outcome === "failed") {
      return failedView(answer.error, answer.status);
    }
    const usage = answer.usage;
    const facts = [
      answer.model_name + " v" + answer.model_version,
      answer.latency_ms + " ms",
      usage ? usage.input_tokens + " in · " + usage.output_tokens + " out · " + usage.total_tokens + " tokens" : "no token usage reported",
      answer.attempts + (answer.attempts === 1 ? " attempt" : " attempts"),
    ];
    return element("div", { class: "answer" },
      answer.assistant_text !== undefined
        ? element("div", { class: "answer-text" }, answer.assistant_text)
        : element("p", { class: "muted" }, "The adapter found no assistant text in the response; the raw response is below."),
      element("p", { class: "answer-meta muted small" }, facts.join(" · ")),
      element("details", { class: "raw" },
        element("summary", {}, "Raw response"),
        element("pre", { class: "code" }, JSON.stringify(answer.raw_response, null, 2))));
  }

  /** A failure the model or the server reported: what happened, its code and message, no more. */
  function failedView(error, status) {
    const code = error ? error.code : "";
    return element("div", { class: "error-box answer-error", role: "alert" },
      element("p", {}, element("strong", {}, heading(code))),
      element("p", { class: "small" },
        element("span", { class: "error-code" }, code), " " + (error ? error.message : ""),
        status ? element("span", { class: "muted" }, " (HTTP " + status + ")") : null),
      error && error.details && error.details.length
        ? element("ul", {}, error.details.map((detail) => element("li", {}, (detail.path ? detail.path + ": " : "") + detail.message)))
        : null);
  }

  /** An API answer that was not a success, or a request that never reached the server. */
  function requestFailure(result) {
    if (result.status === 0) {
      return failedView({ code: "", message: "The server could not be reached: " + result.reason });
    }
    if (result.body && result.body.error) {
      return failedView(result.body.error, result.status);
    }
    return errorBox(result);
  }

  /** Calls the API; a network failure becomes a result too, with status 0. */
  async function call(path, body) {
    try {
      return await api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    } catch (unreachable) {
      return { ok: false, status: 0, body: null, reason: unreachable.message };
    }
  }

  /** The parameter form as JSON, typed by each control and the schema's choices. */
  function readParameters(fieldset) {
    const values = {};
    const problems = [];
    if (!fieldset) return { values, problems };
    const properties = JSON.parse(fieldset.dataset.schema || "{}").properties || {};
    fieldset.querySelectorAll("[data-parameter]").forEach((field) => {
      const name = field.dataset.parameter;
      const control = field.dataset.control;
      if (control === "CHECKBOX") {
        values[name] = field.querySelector('input[type="checkbox"]').checked;
        return;
      }
      const text = field.querySelector('select, textarea, input:not([type="hidden"])').value;
      if (text.trim() === "") return;
      if (control === "NUMBER" || control === "INTEGER") {
        values[name] = Number.isFinite(Number(text)) ? Number(text) : text;
      } else if (control === "SELECT") {
        const choices = (properties[name] && properties[name].enum) || [];
        const match = choices.find((choice) => (typeof choice === "string" ? choice : JSON.stringify(choice)) === text);
        values[name] = match !== undefined ? match : text;
      } else if (control === "JSON") {
        try {
          values[name] = JSON.parse(text);
        } catch (notJson) {
          problems.push({ path: name, message: "expected a JSON value: " + notJson.message });
        }
      } else {
        values[name] = text;
      }
    });
    return { values, problems };
  }

  /** Puts each problem under its parameter's field; answers the problems that named no field. */
  function markParameters(fieldset, problems) {
    const left = [];
    problems.forEach((problem) => {
      const name = (problem.path || "").replace(/^inference_params[./]?/, "").split(/[.[/]/)[0];
      const field = fieldset && name ? fieldset.querySelector('[data-parameter="' + CSS.escape(name) + '"]') : null;
      if (!field) {
        left.push(problem);
        return;
      }
      field.querySelectorAll("input, select, textarea").forEach((control) => control.setAttribute("aria-invalid", "true"));
      field.append(element("p", { class: "field-error", "data-from": "chat" }, problem.message));
    });
    return left;
  }

  function clearMarks(root) {
    root.querySelectorAll('.field-error[data-from="chat"]').forEach((error) => error.remove());
    root.querySelectorAll('[aria-invalid="true"]').forEach((control) => control.removeAttribute("aria-invalid"));
  }

  /** The browser's own checks of a settings form: the first problem as a sentence, or "". */
  function checkSettings(form) {
    if (form.checkValidity()) return "";
    const invalid = form.querySelector("input:invalid, select:invalid, textarea:invalid");
    const field = invalid.closest("[data-parameter]");
    const label = field ? field.dataset.parameter : (form.querySelector('label[for="' + invalid.id + '"]') || {}).textContent || invalid.id;
    invalid.setAttribute("aria-invalid", "true");
    return "Check the settings: " + label + ": " + invalid.validationMessage;
  }

  window.foundryChat = {
    composer, userMessage, assistantMessage, userBubble, answerView, failedView, requestFailure,
    call, readParameters, markParameters, clearMarks, checkSettings, sizeText,
  };

  // The playground: one model, the whole history sent on every turn.
  const page = document.getElementById("playground");
  if (!page || !document.getElementById("composer")) return;
  const conversation = document.getElementById("conversation");
  const empty = document.getElementById("conversation-empty");
  const settings = document.getElementById("settings");
  const parameters = document.getElementById("parameters");
  const system = document.getElementById("system-prompt");
  let history = [];
  let historyImageBytes = 0;
  const box = composer(document.getElementById("composer"), () => historyImageBytes, send);

  document.getElementById("new-conversation").addEventListener("click", () => {
    history = [];
    historyImageBytes = 0;
    conversation.replaceChildren(empty);
    box.clear();
    box.showError("");
  });

  async function send() {
    box.showError("");
    clearMarks(settings);
    const text = box.text();
    const images = box.images();
    if (!text && !images.length) {
      box.showError("Write a message or add an image.");
      return;
    }
    const invalid = checkSettings(settings);
    if (invalid) {
      box.showError(invalid);
      return;
    }
    const read = readParameters(parameters);
    if (read.problems.length) {
      markParameters(parameters, read.problems);
      box.showError("Check the inference parameters: " + read.problems.map((p) => p.path + ": " + p.message).join("; "));
      return;
    }
    const message = userMessage(text, images);
    const prompt = system.value.trim() ? [{ role: "system", parts: [{ text: system.value.trim() }] }] : [];
    prompt.push(...history, message);
    empty.remove();
    const turn = userBubble(text, images);
    const reply = element("li", { class: "turn assistant pending" },
      element("div", { class: "bubble" }, element("p", { class: "muted" }, "Waiting for " + page.dataset.modelName + "…")));
    conversation.append(turn, reply);
    box.clear();
    box.busy(true);
    const result = await call("/api/v1/models/" + page.dataset.modelId + "/chat", { prompt, inference_params: read.values });
    box.busy(false);
    reply.classList.remove("pending");
    if (result.ok) {
      history.push(message, assistantMessage(result.body));
      historyImageBytes += images.reduce((sum, image) => sum + image.size, 0);
      reply.querySelector(".bubble").replaceChildren(answerView(result.body));
    } else {
      reply.classList.add("failed");
      reply.querySelector(".bubble").replaceChildren(requestFailure(result));
      turn.classList.add("unsent");
      turn.append(element("p", { class: "muted small" }, "Not kept in the conversation; the message is back in the composer."));
      if (result.body && result.body.error && result.body.error.code === "INVALID_PARAMETERS") {
        markParameters(parameters, result.body.error.details || []);
      }
      box.restore(text, images);
    }
    reply.scrollIntoView({ block: "nearest" });
  }
})();
