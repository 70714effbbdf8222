// Leadline console: hot-lead notifications and the embed copy button.
// Loaded as a static file so the Content-Security-Policy can forbid inline script.
"use strict";

function showHotLead(lead) {
  const banner = document.getElementById("hot-banner");
  const label = (lead.company || "A new lead") + " is hot";
  if (banner) {
    // Newest first; each entry links to the lead so the rep can act at once.
    const link = document.createElement("a");
    link.href = lead.url;
    link.textContent = label + (lead.score == null ? "" : " (score " + lead.score + ")");
    const entry = document.createElement("div");
    entry.appendChild(link);
    banner.prepend(entry);
    banner.hidden = false;
  }
  if ("Notification" in window && Notification.permission === "granted") {
    const note = new Notification("Hot lead", { body: label, tag: "lead-" + lead.id });
    note.onclick = () => { window.focus(); window.location.assign(lead.url); };
  }
}

function listenForHotLeads() {
  if (!("EventSource" in window)) {
    return;
  }
  const source = new EventSource("/console/events");
  source.addEventListener("lead.hot", (event) => {
    try {
      showHotLead(JSON.parse(event.data));
    } catch (error) {
      console.warn("ignored a malformed lead.hot event", error);
    }
  });
}

function setUpNotificationButton() {
  const button = document.getElementById("enable-notifications");
  if (!button) {
    return;
  }
  if (!("Notification" in window) || Notification.permission !== "default") {
    button.hidden = true;
  }
  button.addEventListener("click", () => {
    Notification.requestPermission().then(() => { button.hidden = true; });
  });
  listenForHotLeads();
}

function setUpCopyButton() {
  const button = document.getElementById("copy-snippet");
  if (!button) {
    return;
  }
  button.addEventListener("click", () => {
    const text = document.getElementById(button.dataset.target).textContent;
    const status = document.getElementById("copy-status");
    navigator.clipboard.writeText(text).then(
      () => { status.textContent = "Copied."; },
      () => { status.textContent = "Select the text and copy it by hand."; }
    );
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpNotificationButton();
  setUpCopyButton();
});
