// The run page: live progress from the API's server-sent events, and the steering buttons.
"use strict";

(function () {
  const head = document.getElementById("run");
  if (!head) return;
  const runId = head.dataset.runId;
  const { api, errorBox } = window.foundry;
  const finishedStates = ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "CANCELLED"];
  const samples = [];
  let lastFailed = Number(document.getElementById("count-failed").textContent);
  let source = null;

  function word(state) {
    return state.toLowerCase().replace(/_/g, " ");
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    if (seconds >= 3600) return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
    if (seconds >= 60) return Math.floor(seconds / 60) + " min " + (seconds % 60) + " s";
    return seconds + " s";
  }

  function showState(state) {
    head.dataset.state = state;
    const badge = document.getElementById("run-state");
    badge.textContent = word(state);
    badge.className = "badge large " + state.toLowerCase();
    const finished = finishedStates.includes(state);
    const allowed = {
      pause: state === "RUNNING" || state === "QUEUED",
      resume: state === "PAUSED",
      cancel: !finished,
      retry: Number(document.getElementById("count-failed").textContent) > 0 && state !== "CANCELLED",
    };
    document.querySelectorAll("[data-action]").forEach((button) => {
      button.hidden = !allowed[button.dataset.action];
    });
  }

  function chart() {
    const line = document.getElementById("throughput-line");
    if (samples.length < 2) return;
    const first = samples[0].at;
    const span = Math.max(1, samples[samples.length - 1].at - first);
    const top = Math.max(1, ...samples.map((sample) => sample.rate)) * 1.1;
    line.setAttribute("points", samples
      .map((sample) => ((sample.at - first) / span) * 300 + "," + (58 - (sample.rate / top) * 56))
      .join(" "));
  }

  function update(progress) {
    const counts = progress.counts;
    ["queued", "leased", "succeeded", "failed", "cancelled"].forEach((state) => {
      document.getElementById("count-" + state).textContent = counts[state];
    });
    const bar = document.getElementById("progress-bar");
    bar.value = progress.percent;
    bar.textContent = progress.percent.toFixed(1) + "%";
    document.getElementById("percent").textContent = progress.percent.toFixed(1) + "%";
    document.getElementById("rate").textContent = progress.throughput_per_second.toFixed(2) + " rows/s";
    document.getElementById("eta").textContent = duration(progress.eta_seconds);
    samples.push({ at: Date.now(), rate: progress.throughput_per_second });
    if (samples.length > 120) samples.shift();
    chart();
    if (counts.failed !== lastFailed) {
      lastFailed = counts.failed;
      window.htmx && window.htmx.trigger(document.body, "failed-changed");
    }
    showState(progress.state);
  }

  function follow() {
    if (source) source.close();
    source = new EventSource("/api/v1/runs/" + runId + "/events");
    source.addEventListener("progress", (event) => update(JSON.parse(event.data)));
    source.addEventListener("finished", (event) => {
      update(JSON.parse(event.data));
      source.close();
      source = null;
      head.dataset.followed = "finished";
      window.htmx && window.htmx.trigger(document.body, "failed-changed");
    });
    source.addEventListener("error", () => {
      // The stream ended without its last event (a restart, a proxy): EventSource retries by itself.
      head.dataset.followed = "reconnecting";
    });
  }

  document.querySelectorAll("[data-action]").forEach((button) => {
    button.addEventListener("click", async () => {
      const message = document.getElementById("steer-message");
      if (button.dataset.action === "cancel" && !window.confirm("Cancel this run? Rows not yet sent are not sent.")) return;
      button.disabled = true;
      const answer = await api("/api/v1/runs/" + runId + "/" + button.dataset.action, { method: "POST" });
      button.disabled = false;
      if (!answer.ok) {
        message.replaceChildren(errorBox(answer));
        return;
      }
      message.textContent = "Run " + word(answer.body.state) + ".";
      showState(answer.body.state);
      if (!finishedStates.includes(answer.body.state) && !source) follow();
    });
  });

  showState(head.dataset.state);
  if (!finishedStates.includes(head.dataset.state)) {
    follow();
  } else {
    head.dataset.followed = "finished";
  }
})();
