// Side by side: one conversation to several models through the comparison API, read as NDJSON so
// each column fills as its answer comes; each round is judged through the same API.
"use strict";

(function () {
  const page = document.getElementById("compare");
  if (!page) return;
  const { element, token } = window.foundry;
  const chat = window.foundryChat;
  const conversation = document.getElementById("conversation");
  const empty = document.getElementById("conversation-empty");
  const settings = document.getElementById("settings");
  const continueField = document.getElementById("continue-field");
  const continueWith = document.getElementById("continue-with");
  const KINDS = [
    ["single_selection", "Pick the best"],
    ["multi_selection", "Mark every good one"],
    ["ranking", "Rank them"],
  ];
  // Each round: the user's message, the answers (by column), and which answer the next turn follows.
  let rounds = [];
  let imageBytes = 0;
  const box = chat.composer(document.getElementById("composer"), () => imageBytes, send);

  document.getElementById("new-conversation").addEventListener("click", () => {
    rounds = [];
    imageBytes = 0;
    conversation.replaceChildren(empty);
    continueField.hidden = true;
    lockModels(false);
    box.clear();
    box.showError("");
  });

  continueWith.addEventListener("change", () => {
    if (rounds.length) rounds[rounds.length - 1].follow = Number(continueWith.value);
  });

  const chosenModels = () => [...settings.querySelectorAll('input[name="models"]:checked')];

  function lockModels(locked) {
    settings.querySelectorAll('input[name="models"]').forEach((choice) => {
      choice.disabled = locked;
    });
  }

  function history() {
    const messages = [];
    rounds.forEach((round) => {
      messages.push(round.message);
      if (round.follow !== null) messages.push(chat.assistantMessage(round.answers[round.follow]));
    });
    return messages;
  }

  function readSettings() {
    const models = chosenModels();
    if (models.length < 2 || models.length > 10) {
      return { problem: "Pick two to ten models to compare; " + models.length + " picked." };
    }
    const text = document.getElementById("shared-params").value.trim();
    let params = {};
    if (text) {
      try {
        params = JSON.parse(text);
      } catch (notJson) {
        return { problem: "The inference parameters are not JSON: " + notJson.message };
      }
      if (params === null || typeof params !== "object" || Array.isArray(params)) {
        return { problem: "The inference parameters must be a JSON object, like {\"max_new_tokens\": 256}." };
      }
    }
    return { models, params };
  }

  async function send() {
    box.showError("");
    const text = box.text();
    const images = box.images();
    if (!text && !images.length) {
      box.showError("Write a message or add an image.");
      return;
    }
    const read = readSettings();
    if (read.problem) {
      box.showError(read.problem);
      return;
    }
    const roundsBefore = rounds.length;
    const message = chat.userMessage(text, images);
    const system = document.getElementById("system-prompt").value.trim();
    const prompt = system ? [{ role: "system", parts: [{ text: system }] }] : [];
    prompt.push(...history(), message);
    const body = { models: read.models.map((model) => model.value), prompt, inference_params: read.params };
    const key = document.getElementById("global-key").value.trim();
    if (key) body.global_key = key;

    empty.remove();
    const columns = read.models.map((model) => element("section", { class: "column pending", "data-model-id": model.value },
      element("h3", { class: "column-head" }, model.dataset.name, element("span", { class: "muted" }, " v" + model.dataset.version)),
      element("div", { class: "column-body" }, element("p", { class: "muted" }, "Waiting…"))));
    const round = element("li", { class: "round", "data-round": String(roundsBefore + 1) },
      chat.userBubble(text, images),
      element("div", { class: "columns", "data-count": String(columns.length) }, columns));
    conversation.append(round);
    box.clear();
    box.busy(true);
    lockModels(true);
    const state = { message, answers: [], follow: null, comparison: null };
    try {
      await stream(body, round, columns, state);
    } finally {
      box.busy(false);
    }
    if (!state.comparison) {
      box.restore(text, images);
      if (!rounds.length) lockModels(false);
      return;
    }
    imageBytes += images.reduce((sum, image) => sum + image.size, 0);
    rounds.push(state);
    offerContinuation(state, read.models);
    round.append(judge(state, columns));
  }

  /** Reads the NDJSON answer line by line as it comes. */
  async function stream(body, round, columns, state) {
    let response;
    try {
      response = await fetch("/api/v1/chat/comparisons", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/x-ndjson", "X-CSRF-Token": token() },
        body: JSON.stringify(body),
      });
    } catch (unreachable) {
      refused(round, columns, { ok: false, status: 0, body: null, reason: unreachable.message });
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || !type.startsWith("application/x-ndjson")) {
      const text = await response.text();
      let parsed = null;
      try {
        parsed = JSON.parse(text);
      } catch (notJson) {
        parsed = null;
      }
      refused(round, columns, { ok: false, status: response.status, body: parsed });
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.substring(0, newline).trim();
        buffered = buffered.substring(newline + 1);
        if (line) event(JSON.parse(line), round, columns, state);
      }
    }
    if (!state.comparison && !round.querySelector(".round-error")) {
      round.append(element("div", { class: "error-box round-error", role: "alert" }, "The answer ended before the comparison was stored."));
    }
  }

  function event(line, round, columns, state) {
    if (line.event === "answer") {
      const answer = line.answer;
      const column = columns[line.index];
      column.classList.remove("pending");
      column.classList.add(answer.outcome === "failed" ? "failed" : "answered");
      column.dataset.messageId = answer.message_id;
      column.querySelector(".column-head .muted").textContent = " v" + answer.model_version;
      column.querySelector(".column-body").replaceChildren(chat.answerView(answer));
      state.answers[line.index] = answer;
    } else if (line.event === "comparison") {
      state.comparison = line.comparison;
      round.dataset.comparisonId = line.comparison.id;
      line.comparison.answers.forEach((answer, index) => {
        state.answers[index] = answer;
      });
    } else if (line.event === "error") {
      round.append(element("div", { class: "round-error" }, chat.failedView(line.error)));
    }
  }

  function refused(round, columns, result) {
    columns.forEach((column) => column.classList.remove("pending"));
    round.querySelector(".columns").remove();
    round.append(element("div", { class: "round-error" }, chat.requestFailure(result)));
    round.classList.add("unsent");
  }

  function offerContinuation(state, models) {
    const answered = state.answers.map((answer, index) => ({ answer, index })).filter((item) => item.answer.outcome === "answered");
    if (!answered.length) {
      state.follow = null;
      continueField.hidden = true;
      return;
    }
    state.follow = answered[0].index;
    continueWith.replaceChildren(...answered.map((item) => element("option", { value: String(item.index) },
      models[item.index].dataset.name + " v" + item.answer.model_version)));
    continueWith.value = String(state.follow);
    continueField.hidden = false;
  }

  /** The judgment of one round: its kind, a control on each answered column, and saving it. */
  function judge(state, columns) {
    const round = state.comparison.id;
    const answered = columns.filter((column, index) => state.answers[index].outcome === "answered");
    const panel = element("div", { class: "judge", role: "group", "aria-label": "Judge this round" });
    if (!answered.length) {
      panel.append(element("p", { class: "muted" }, "No model answered, so there is nothing to judge."));
      return panel;
    }
    const kinds = element("div", { class: "radio-row judge-kinds" }, KINDS
      .filter(([kind]) => kind !== "ranking" || answered.length > 1)
      .map(([kind, label], index) => element("label", {},
        element("input", { type: "radio", name: "kind-" + round, value: kind, checked: index === 0 ? "" : null }), " " + label)));
    answered.forEach((column) => {
      const id = column.dataset.messageId;
      column.append(element("div", { class: "column-judge" },
        element("label", { class: "check judge-single" }, element("input", { type: "radio", name: "best-" + round, value: id }), " Best"),
        element("label", { class: "check judge-multi" }, element("input", { type: "checkbox", name: "good-" + round, value: id }), " Good"),
        element("label", { class: "judge-rank" }, "Place ",
          element("select", { name: "rank-" + round, "data-message-id": id },
            answered.map((ignored, place) => element("option", { value: String(place + 1) }, String(place + 1)))))));
    });
    answered.forEach((column, index) => {
      column.querySelector(".judge-rank select").value = String(index + 1);
    });
    const status = element("output", { class: "judge-status", "aria-live": "polite" });
    const save = element("button", { type: "button", class: "button primary small" }, "Save judgment");
    panel.append(element("span", { class: "strong" }, "Judge this round"), kinds, save, status);
    const roundElement = columns[0].closest(".round");
    const kind = () => panel.querySelector('input[name="kind-' + round + '"]:checked').value;
    const show = () => {
      roundElement.dataset.kind = kind();
    };
    kinds.addEventListener("change", show);
    show();
    save.addEventListener("click", async () => {
      const body = verdict(kind(), roundElement, round);
      if (body.problem) {
        status.replaceChildren(element("span", { class: "field-error" }, body.problem));
        return;
      }
      save.disabled = true;
      const result = await chat.call("/api/v1/chat/comparisons/" + round + "/judgments", body);
      save.disabled = false;
      if (!result.ok) {
        status.replaceChildren(chat.requestFailure(result));
        return;
      }
      if (body.kind === "single_selection" && state === rounds[rounds.length - 1]) {
        const picked = state.answers.findIndex((answer) => answer.message_id === body.selected);
        state.follow = picked;
        continueWith.value = String(picked);
      }
      status.replaceChildren(element("span", { class: "notice-inline" }, "Saved: " + KINDS.find(([k]) => k === body.kind)[1].toLowerCase() + " · "),
        element("a", { href: "/chat/comparisons" }, "see the win rates"));
      roundElement.dataset.judged = String(Number(roundElement.dataset.judged || 0) + 1);
    });
    return panel;
  }

  function verdict(kind, roundElement, round) {
    if (kind === "single_selection") {
      const picked = roundElement.querySelector('input[name="best-' + round + '"]:checked');
      return picked ? { kind, selected: picked.value } : { problem: "Pick the best answer first." };
    }
    if (kind === "multi_selection") {
      const marked = [...roundElement.querySelectorAll('input[name="good-' + round + '"]:checked')].map((box) => box.value);
      return marked.length ? { kind, selected: marked } : { problem: "Mark at least one good answer." };
    }
    const places = [...roundElement.querySelectorAll('select[name="rank-' + round + '"]')]
      .map((select) => ({ id: select.dataset.messageId, place: Number(select.value) }));
    if (new Set(places.map((item) => item.place)).size !== places.length) {
      return { problem: "Give each answer its own place." };
    }
    return { kind, ranking: places.sort((a, b) => a.place - b.place).map((item) => item.id) };
  }
})();
