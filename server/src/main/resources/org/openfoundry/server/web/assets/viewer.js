// The predictions viewer: masks decoded onto canvases, shapes sized to the picture, the confidence
// slider, the feature toggles, and keyboard navigation.
"use strict";

(function () {
  const viewer = document.getElementById("viewer");
  if (!viewer) return;

  /** Paints a COCO mask (column-major run lengths, zeros first) in its feature's colour. */
  function paintMask(canvas) {
    const width = Number(canvas.width);
    const height = Number(canvas.height);
    const counts = canvas.dataset.counts.trim().split(/\s+/).map(Number);
    const hex = canvas.dataset.color.replace("#", "");
    const full = hex.length === 3 ? hex.split("").map((c) => c + c).join("") : hex;
    const red = parseInt(full.slice(0, 2), 16);
    const green = parseInt(full.slice(2, 4), 16);
    const blue = parseInt(full.slice(4, 6), 16);
    const context = canvas.getContext("2d");
    const image = context.createImageData(width, height);
    let at = 0;
    counts.forEach((run, index) => {
      if (index % 2 === 1) {
        for (let k = at; k < at + run; k++) {
          const x = Math.floor(k / height);
          const y = k % height;
          const offset = (y * width + x) * 4;
          image.data[offset] = red;
          image.data[offset + 1] = green;
          image.data[offset + 2] = blue;
          image.data[offset + 3] = 255;
        }
      }
      at += run;
    });
    context.putImageData(image, 0, 0);
    canvas.dataset.painted = "true";
  }

  function fitOverlay() {
    const image = document.getElementById("row-image");
    const svg = document.getElementById("overlay");
    if (!image || !svg) return;
    const width = image.naturalWidth || Number((document.querySelector("canvas.mask") || {}).width) || 100;
    const height = image.naturalHeight || Number((document.querySelector("canvas.mask") || {}).height) || 100;
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    const size = Math.max(10, Math.round(Math.max(width, height) / 45));
    svg.querySelectorAll(".shape-label").forEach((label) => {
      label.setAttribute("font-size", size);
      const y = Number(label.getAttribute("y"));
      if (y < size) label.setAttribute("y", y + size);
      else label.setAttribute("y", y - 4);
    });
    svg.querySelectorAll("circle").forEach((dot) => dot.setAttribute("r", Math.max(3, size / 3)));
    viewer.dataset.ready = "true";
  }

  const slider = document.getElementById("confidence");
  const shown = document.getElementById("confidence-value");
  const hiddenFeatures = new Set();

  function filter() {
    const minimum = Number(slider.value);
    shown.textContent = minimum.toFixed(2);
    viewer.querySelectorAll("[data-feature]").forEach((element) => {
      if (element.matches("input")) return;
      const score = element.dataset.score;
      const under = score !== undefined && score !== "" && Number(score) < minimum;
      element.classList.toggle("hidden-by-filter", under || hiddenFeatures.has(element.dataset.feature));
    });
  }

  slider.addEventListener("input", filter);
  document.querySelectorAll("[data-toggle-feature]").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      if (toggle.checked) hiddenFeatures.delete(toggle.dataset.toggleFeature);
      else hiddenFeatures.add(toggle.dataset.toggleFeature);
      filter();
    });
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.matches("input, textarea, select") && event.target.type !== "checkbox") return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const go = (id) => {
      const link = document.getElementById(id);
      if (link) window.location.assign(link.href);
    };
    if (event.key === "ArrowRight" || event.key === "j") { event.preventDefault(); go("next-row"); }
    if (event.key === "ArrowLeft" || event.key === "k") { event.preventDefault(); go("previous-row"); }
    if (event.key === "r") {
      const raw = document.getElementById("raw-response");
      raw.open = !raw.open;
    }
  });

  document.querySelectorAll("canvas.mask").forEach(paintMask);
  const image = document.getElementById("row-image");
  if (image) {
    if (image.complete) fitOverlay();
    image.addEventListener("load", fitOverlay);
    image.addEventListener("error", fitOverlay);
  }
  filter();
})();
