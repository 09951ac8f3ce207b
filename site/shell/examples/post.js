// The example post's host script: what a blog would add to size its nnweb embeds.
// An embed posts {type: "nnweb:resize", height} (CSS pixels) whenever its content needs a
// different height; the frame it came from is found by its window. Nothing else is read.
"use strict";
addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "nnweb:resize" || !Number.isFinite(data.height)) return;
  for (const frame of document.querySelectorAll("iframe.nnweb-embed")) {
    if (frame.contentWindow === event.source) frame.style.height = Math.min(4000, Math.max(200, data.height)) + "px";
  }
});
