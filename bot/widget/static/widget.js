/*
 * Leadline chat widget: one script tag, no dependencies, no build step.
 *
 *   <script src="https://chat.example.com/widget.js" async
 *           data-server="https://chat.example.com"   (default: where this script is from)
 *           data-greeting="Hi! Any questions?"       (shown before the first message)
 *           data-title="Chat with us"
 *           data-color="#1f5fbf"
 *           data-position="right"                    (or "left")
 *           data-open="click"                        (default; the visitor opens it)
 *           data-open-after="10"                     (also open after 10 seconds)
 *           data-open-scroll="50"                    (also open at 50% scroll depth)
 *           data-open-exit="true"                    (also open when the mouse leaves the top)
 *           data-pages="/pricing*,/demo*"></script>  (only on matching paths)
 *
 * Everything the visitor or the bot wrote is inserted as text, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.Leadline) {
    return;
  }

  var KEY = "leadline:";
  var MAX_CHARS = 2000;
  var MAX_PAGES = 15;
  var MAX_URL = 500;
  var MAX_METADATA = 7000;
  var ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
  var URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;
  var ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  var UTM_FIELDS = ["source", "medium", "campaign", "term", "content"];

  // ---- configuration -------------------------------------------------------

  function readConfig(el) {
    var data = el.dataset;
    var server = data.server || new URL(el.src, location.href).origin;
    return {
      server: server.replace(/\/+$/, ""),
      greeting: data.greeting || "Hi! Have a question about Leadline? Ask me here.",
      title: data.title || "Chat with Leadline",
      color: /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(data.color || "") ? data.color : "#1f5fbf",
      position: data.position === "left" ? "left" : "right",
      openAfter: positiveNumber(data.openAfter),
      openScroll: positiveNumber(data.openScroll),
      openExit: data.openExit === "true",
      pages: (data.pages || "").split(",").map(function (p) { return p.trim(); }).filter(Boolean),
    };
  }

  function positiveNumber(value) {
    var number = Number(value);
    return value && isFinite(number) && number >= 0 ? number : null;
  }

  function pageAllowed(patterns, path) {
    if (!patterns.length) {
      return true;
    }
    return patterns.some(function (pattern) {
      var escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
      return new RegExp("^" + escaped + "$").test(path);
    });
  }

  // ---- storage (a blocked storage must not break the widget) ---------------

  function store(area) {
    var memory = {};
    return {
      get: function (key) {
        try { return window[area].getItem(KEY + key); } catch (e) { return memory[key] || null; }
      },
      set: function (key, value) {
        try { window[area].setItem(KEY + key, value); } catch (e) { memory[key] = value; }
      },
      remove: function (key) {
        try { window[area].removeItem(KEY + key); } catch (e) { delete memory[key]; }
      },
    };
  }

  var local = store("localStorage");
  var session = store("sessionStorage");

  function readJSON(area, key, fallback) {
    try {
      var value = JSON.parse(area.get(key));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  function randomId(length) {
    var bytes = new Uint8Array(length);
    window.crypto.getRandomValues(bytes);
    var id = "";
    for (var i = 0; i < bytes.length; i++) {
      id += ID_CHARS[bytes[i] & 63];
    }
    return id;
  }

  function senderId(create) {
    var sender = local.get("sender");
    if (!sender && create) {
      sender = randomId(32);
      local.set("sender", sender);
    }
    return sender;
  }

  // ---- page context sent as message metadata -------------------------------

  function recordVisit() {
    var params = new URLSearchParams(location.search);
    var utm = {};
    UTM_FIELDS.forEach(function (field) {
      var value = params.get("utm_" + field);
      if (value) {
        utm[field] = value.slice(0, 200);
      }
    });
    if (Object.keys(utm).length && !session.get("utm")) {
      session.set("utm", JSON.stringify(utm));
    }
    if (session.get("referrer") === null) {
      session.set("referrer", document.referrer.slice(0, MAX_URL));
    }
    var pages = readJSON(session, "pages", []);
    var here = location.href.slice(0, MAX_URL);
    if (pages[pages.length - 1] !== here) {
      pages.push(here);
    }
    session.set("pages", JSON.stringify(pages.slice(-MAX_PAGES)));
  }

  function pageMetadata() {
    var metadata = {
      page_url: location.href.slice(0, MAX_URL),
      referrer: session.get("referrer") || document.referrer.slice(0, MAX_URL),
      utm: readJSON(session, "utm", {}),
      timezone: timeZone(),
      pages_seen: readJSON(session, "pages", []),
    };
    while (JSON.stringify(metadata).length > MAX_METADATA && metadata.pages_seen.length) {
      metadata.pages_seen.shift();
    }
    return metadata;
  }

  function timeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch (e) {
      return null;
    }
  }

  // ---- colours --------------------------------------------------------------

  function luminance(hex) {
    var h = hex.length === 4 ? hex.replace(/([0-9a-f])/gi, "$1$1").slice(1) : hex.slice(1);
    var channels = [0, 2, 4].map(function (i) {
      var c = parseInt(h.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  function contrast(a, b) {
    var hi = Math.max(a, b);
    var lo = Math.min(a, b);
    return (hi + 0.05) / (lo + 0.05);
  }

  function palette(color) {
    var lum = luminance(color);
    // Whichever of white or near-black text reads better on the brand colour
    // always reaches 4.5:1.
    var ink = contrast(lum, 1) >= contrast(lum, luminance("#111111")) ? "#ffffff" : "#111111";
    var focus = contrast(lum, 1) >= 3 ? color : "#111111";
    return { brand: color, ink: ink, focus: focus };
  }

  // ---- styles ---------------------------------------------------------------

  function styles(colors, position) {
    var side = position === "left" ? "left" : "right";
    return [
      ":host{all:initial}",
      ".root{position:fixed;bottom:20px;" + side + ":20px;z-index:2147483000;",
      "font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1a1a1a}",
      "*{box-sizing:border-box}",
      ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
      "button,textarea{font:inherit;color:inherit}",
      ":focus-visible{outline:3px solid " + colors.focus + ";outline-offset:2px}",
      ".launcher{width:60px;height:60px;border-radius:50%;border:0;cursor:pointer;",
      "background:" + colors.brand + ";color:" + colors.ink + ";",
      "box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;position:relative}",
      ".launcher svg{width:28px;height:28px;fill:currentColor}",
      ".badge{position:absolute;top:2px;" + side + ":2px;min-width:20px;height:20px;border-radius:10px;",
      "background:#b00020;color:#fff;font-size:12px;line-height:20px;text-align:center;padding:0 5px}",
      ".panel{position:absolute;bottom:76px;" + side + ":0;width:380px;height:min(600px,calc(100vh - 110px));",
      "background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);",
      "display:flex;flex-direction:column;overflow:hidden}",
      ".panel[hidden]{display:none}",
      "header{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;",
      "background:" + colors.brand + ";color:" + colors.ink + "}",
      "h2{margin:0;font-size:16px;font-weight:600}",
      ".close{background:transparent;border:0;width:36px;height:36px;border-radius:8px;cursor:pointer;",
      "color:" + colors.ink + ";font-size:24px;line-height:1}",
      "header :focus-visible{outline-color:" + colors.ink + "}",
      ".status{margin:0;padding:6px 14px;font-size:13px;background:#fff4ce;color:#3d3000}",
      ".status:empty{display:none}",
      ".log{list-style:none;margin:0;padding:12px;flex:1;overflow-y:auto;display:flex;flex-direction:column;gap:8px}",
      ".msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}",
      ".bot{align-self:flex-start;background:#f1f3f5;color:#1a1a1a}",
      ".rep{border-left:4px solid " + colors.focus + "}",
      ".who{display:block;font-size:12px;color:#4a4a4a;margin-bottom:2px}",
      ".user{align-self:flex-end;background:" + colors.brand + ";color:" + colors.ink + "}",
      ".note{display:block;font-size:12px;margin-top:4px}",
      ".failed{outline:2px solid #b00020}",
      ".msg a{color:#0b4fbf;text-decoration:underline}",
      ".user a{color:inherit}",
      ".ics{display:inline-block;margin-top:6px;padding:4px 10px;border:1px solid #0b4fbf;border-radius:8px;text-decoration:none}",
      ".choices{display:flex;flex-wrap:wrap;gap:6px;margin:0;padding:0;list-style:none;align-self:flex-start;max-width:100%}",
      ".slots{flex-direction:column;width:85%}",
      ".choice{border:1px solid " + colors.focus + ";background:#fff;color:#1a1a1a;border-radius:16px;padding:6px 12px;cursor:pointer;text-align:left}",
      ".slots .choice{border-radius:8px;width:100%}",
      ".choice[aria-pressed=true]{background:" + colors.brand + ";color:" + colors.ink + "}",
      ".choice:disabled{cursor:default;border-color:#8a8a8a;color:#4a4a4a}",
      ".choice:disabled[aria-pressed=true]{border-color:" + colors.brand + ";color:" + colors.ink + "}",
      ".retry{margin-left:6px;border:1px solid currentColor;background:transparent;border-radius:6px;cursor:pointer;font-size:12px}",
      ".typing{padding:0 14px 6px;color:#4a4a4a;font-size:13px}",
      ".typing[hidden]{display:none}",
      ".dots span{display:inline-block;width:6px;height:6px;margin-right:3px;border-radius:50%;background:#4a4a4a;animation:blink 1.2s infinite}",
      ".dots span:nth-child(2){animation-delay:.2s}.dots span:nth-child(3){animation-delay:.4s}",
      "@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}",
      "@media (prefers-reduced-motion:reduce){.dots span{animation:none}}",
      ".error{margin:0;padding:6px 14px;font-size:13px;color:#b00020;background:#fff}",
      ".error:empty{display:none}",
      "form{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d4d9}",
      "textarea{flex:1;resize:none;border:1px solid #767676;border-radius:10px;padding:8px 10px;height:42px;max-height:120px;background:#fff}",
      ".send{border:0;border-radius:10px;padding:0 16px;cursor:pointer;background:" + colors.brand + ";color:" + colors.ink + "}",
      "@media (max-width:480px){",
      ".root.open .launcher{display:none}",
      ".panel{position:fixed;inset:0;width:100%;height:100%;border-radius:0}",
      "}",
    ].join("\n");
  }

  function applyStyles(shadow, css) {
    if (shadow.adoptedStyleSheets !== undefined && window.CSSStyleSheet) {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        shadow.adoptedStyleSheets = [sheet];
        return;
      } catch (e) {
        // Older engines: fall back to a style element below.
      }
    }
    shadow.appendChild(el("style", {}, [css]));
  }

  // ---- DOM helpers (text only) ---------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "className") {
        node.className = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }

  // Split text into text nodes and links; only http(s) URLs become links.
  function richText(text) {
    var nodes = [];
    var last = 0;
    text.replace(URL_IN_TEXT, function (match, offset) {
      var url = match.replace(/[.,;:!?)\]]+$/, "");
      var link = safeLink(url);
      if (!link) {
        return match;
      }
      nodes.push(document.createTextNode(text.slice(last, offset)));
      nodes.push(link);
      last = offset + url.length;
      return match;
    });
    nodes.push(document.createTextNode(text.slice(last)));
    return nodes;
  }

  function safeLink(raw) {
    var url;
    try {
      url = new URL(raw);
    } catch (e) {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return null;
    }
    var isCalendar = /\.ics$/i.test(url.pathname);
    var link = el("a", { href: url.href, rel: "noopener noreferrer", target: "_blank" }, [
      isCalendar ? "Add to calendar (.ics)" : raw,
    ]);
    if (isCalendar) {
      link.className = "ics";
      link.setAttribute("download", "leadline-demo.ics");
      link.removeAttribute("target");
    }
    return link;
  }

  // ---- the widget -----------------------------------------------------------

  function Widget(config) {
    this.config = config;
    this.seenIds = {};
    this.knownClientIds = {};
    this.unmatchedReplies = [];
    this.lastId = 0;
    this.queue = [];
    this.busy = false;
    this.unread = 0;
    this.wake = null;
    this.events = null;
    this.historyLoaded = false;
    this.greeted = false;
  }

  Widget.prototype.mount = function () {
    var colors = palette(this.config.color);
    var host = el("div", { "data-leadline": "widget" });
    var shadow = host.attachShadow({ mode: "open" });
    applyStyles(shadow, styles(colors, this.config.position));

    this.launcher = el("button", {
      type: "button", className: "launcher", "aria-label": "Open chat",
      "aria-expanded": "false", "aria-controls": "leadline-panel",
    }, [chatIcon()]);
    this.badge = el("span", { className: "badge", "aria-hidden": "true", hidden: "" });
    this.launcher.appendChild(this.badge);

    this.closeButton = el("button", { type: "button", className: "close", "aria-label": "Close chat" }, ["\u00d7"]);
    this.status = el("p", { className: "status", role: "status" });
    this.log = el("ol", { className: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": "Conversation" });
    this.typing = el("div", { className: "typing", hidden: "" }, [
      el("span", { className: "dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
      el("span", { className: "sr" }, ["The assistant is typing"]),
    ]);
    this.error = el("p", { className: "error", role: "alert" });
    this.input = el("textarea", { id: "leadline-input", rows: "1", placeholder: "Type your message", autocomplete: "off" });
    this.form = el("form", { "aria-label": "Send a message" }, [
      el("label", { className: "sr", for: "leadline-input" }, ["Message"]),
      this.input,
      el("button", { type: "submit", className: "send" }, ["Send"]),
    ]);
    this.panel = el("div", { id: "leadline-panel", className: "panel", role: "dialog", "aria-label": this.config.title, hidden: "" }, [
      el("header", {}, [el("h2", {}, [this.config.title]), this.closeButton]),
      this.status, this.log, this.typing, this.error, this.form,
    ]);
    this.root = el("div", { className: "root" }, [this.panel, this.launcher]);
    shadow.appendChild(this.root);
    document.body.appendChild(host);
    this.bind();
  };

  Widget.prototype.bind = function () {
    var self = this;
    this.launcher.addEventListener("click", function () {
      self.isOpen() ? self.close() : self.open(true);
    });
    this.closeButton.addEventListener("click", function () { self.close(); });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        self.close();
      }
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submitTyped();
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.submitTyped();
      }
    });
    window.addEventListener("online", function () { self.wakeUp(); });
    document.addEventListener("visibilitychange", function () {
      document.hidden ? self.stopStream() : self.startStream();
    });
  };

  Widget.prototype.isOpen = function () {
    return !this.panel.hidden;
  };

  Widget.prototype.open = function (byVisitor) {
    if (this.isOpen()) {
      return;
    }
    this.panel.hidden = false;
    this.root.classList.add("open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", "Close chat");
    session.set("open", "1");
    this.setUnread(0);
    this.showGreeting();
    this.scrollDown();
    // An automatic opening leaves the visitor's focus where it is.
    if (byVisitor) {
      this.input.focus();
    }
  };

  Widget.prototype.close = function () {
    if (!this.isOpen()) {
      return;
    }
    this.panel.hidden = true;
    this.root.classList.remove("open");
    this.launcher.setAttribute("aria-expanded", "false");
    session.set("open", "0");
    session.set("dismissed", "1");
    this.setUnread(0);
    this.launcher.focus();
  };

  Widget.prototype.setUnread = function (count) {
    this.unread = count;
    this.badge.textContent = String(count);
    this.badge.hidden = count === 0;
    var label = this.isOpen() ? "Close chat" : "Open chat";
    this.launcher.setAttribute("aria-label", count ? label + " (" + count + " new)" : label);
  };

  Widget.prototype.showGreeting = function () {
    if (this.greeted || !this.historyLoaded || this.log.querySelector(".msg")) {
      return;
    }
    this.greeted = true;
    this.renderBot({ text: this.config.greeting, buttons: [], rep: false, id: null });
  };

  Widget.prototype.scrollDown = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  // ---- rendering ------------------------------------------------------------

  Widget.prototype.render = function (message) {
    if (message.id !== null && message.id !== undefined) {
      if (this.seenIds[message.id]) {
        return;
      }
      this.seenIds[message.id] = true;
      this.lastId = Math.max(this.lastId, message.id);
    }
    if (message.role === "user") {
      if (message.client_id && this.knownClientIds[message.client_id]) {
        return;
      }
      if (message.client_id) {
        this.knownClientIds[message.client_id] = true;
      }
      this.renderUser(message.text || "");
      return;
    }
    this.renderBot(message);
  };

  Widget.prototype.renderUser = function (text) {
    this.disableChoices();
    var item = el("li", { className: "msg user" }, [el("span", { className: "sr" }, ["You: "]), text]);
    this.log.appendChild(item);
    this.scrollDown();
    return item;
  };

  Widget.prototype.renderBot = function (message) {
    var who = message.rep ? "Sales team" : "Assistant";
    if (message.text) {
      var item = el("li", { className: "msg bot" + (message.rep ? " rep" : "") }, [
        el("span", { className: message.rep ? "who" : "sr" }, [who + ": "]),
      ].concat(richText(message.text)));
      this.log.appendChild(item);
    }
    if (message.buttons && message.buttons.length) {
      this.log.appendChild(this.renderChoices(message.buttons));
    }
    if (!this.isOpen() && message.id !== null) {
      this.setUnread(this.unread + 1);
    }
    this.scrollDown();
  };

  Widget.prototype.renderChoices = function (buttons) {
    var self = this;
    var slots = buttons.some(function (b) { return ISO_TIME.test(b.payload); });
    var list = el("ul", {
      className: "choices" + (slots ? " slots" : ""),
      "aria-label": slots ? "Available times" : "Suggested replies",
    });
    buttons.forEach(function (button) {
      var choice = el("button", { type: "button", className: "choice", "aria-pressed": "false" }, [button.title]);
      if (ISO_TIME.test(button.payload)) {
        choice.setAttribute("data-slot", button.payload);
      }
      choice.addEventListener("click", function () {
        choice.setAttribute("aria-pressed", "true");
        self.send(button.payload, button.title);
      });
      list.appendChild(el("li", {}, [choice]));
    });
    return el("li", { className: "choice-row" }, [list]);
  };

  Widget.prototype.disableChoices = function () {
    var choices = this.log.querySelectorAll(".choice");
    for (var i = 0; i < choices.length; i++) {
      choices[i].disabled = true;
    }
  };

  Widget.prototype.note = function (item, text, retry) {
    var old = item.querySelector(".note");
    if (old) {
      old.remove();
    }
    item.classList.toggle("failed", Boolean(retry));
    if (!text) {
      return;
    }
    var note = el("span", { className: "note" }, [text]);
    if (retry) {
      var button = el("button", { type: "button", className: "retry" }, ["Retry"]);
      button.addEventListener("click", retry);
      note.appendChild(button);
    }
    item.appendChild(note);
  };

  Widget.prototype.showError = function (text) {
    this.error.textContent = text || "";
  };

  // ---- sending --------------------------------------------------------------

  Widget.prototype.submitTyped = function () {
    var text = this.input.value;
    if (!text.trim()) {
      return;
    }
    var length = Array.from(text).length;
    if (length > MAX_CHARS) {
      this.showError("Your message is " + length + " characters long; the limit is " + MAX_CHARS + ". Please shorten it and send it again.");
      return;
    }
    this.input.value = "";
    this.send(text, null);
  };

  Widget.prototype.send = function (message, shownAs) {
    var entry = { clientId: randomId(20), message: message, shownAs: shownAs, attempts: 0, tries: 0 };
    entry.item = this.renderUser(shownAs || message);
    this.knownClientIds[entry.clientId] = true;
    this.enqueue(entry);
  };

  Widget.prototype.enqueue = function (entry) {
    this.showError("");
    this.note(entry.item, "", null);
    this.queue.push(entry);
    this.savePending();
    this.pump();
  };

  // Queued messages survive a reload, and are retried with the same client id.
  Widget.prototype.savePending = function () {
    var pending = this.queue.map(function (e) {
      return { clientId: e.clientId, message: e.message, shownAs: e.shownAs };
    });
    pending.length ? local.set("pending", JSON.stringify(pending)) : local.remove("pending");
  };

  Widget.prototype.resumePending = function () {
    var self = this;
    readJSON(local, "pending", []).forEach(function (saved) {
      if (!saved || typeof saved.message !== "string" || self.knownClientIds[saved.clientId]) {
        return;
      }
      // It may have reached the server before the reload: send it as a retry.
      var entry = { clientId: saved.clientId, message: saved.message, shownAs: saved.shownAs, attempts: 0, tries: 1 };
      entry.item = self.renderUser(saved.shownAs || saved.message);
      self.knownClientIds[entry.clientId] = true;
      self.enqueue(entry);
    });
    self.savePending();
  };

  Widget.prototype.pump = async function () {
    if (this.busy) {
      return;
    }
    this.busy = true;
    try {
      while (this.queue.length) {
        await this.deliver(this.queue[0]);
      }
    } finally {
      this.busy = false;
      this.typing.hidden = true;
    }
  };

  Widget.prototype.deliver = async function (entry) {
    this.typing.hidden = false;
    var result = await this.post(entry);
    this.typing.hidden = true;
    if (result === null) {
      await this.backOff(entry);
      return;
    }
    this.queue.shift();
    this.savePending();
    this.status.textContent = "";
    entry.attempts = 0;
    this.settle(entry, result);
  };

  Widget.prototype.post = async function (entry) {
    entry.tries += 1;
    var body = {
      retry: entry.tries > 1,
      sender: senderId(true),
      message: entry.message,
      client_id: entry.clientId,
      shown_as: entry.shownAs || undefined,
      metadata: pageMetadata(),
    };
    try {
      var response = await fetch(this.config.server + "/chat/send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
      });
      var data = await response.json().catch(function () { return {}; });
      return { status: response.status, data: data };
    } catch (e) {
      return null;
    }
  };

  Widget.prototype.backOff = async function (entry) {
    entry.attempts += 1;
    this.status.textContent = "Reconnecting\u2026 your message will be sent when the connection is back.";
    this.note(entry.item, "Reconnecting\u2026", null);
    var delay = Math.min(30000, 1000 * Math.pow(2, entry.attempts - 1));
    var self = this;
    await new Promise(function (resolve) {
      var timer = setTimeout(resolve, delay * (0.8 + Math.random() * 0.4));
      self.wake = function () { clearTimeout(timer); resolve(); };
    });
    this.wake = null;
  };

  Widget.prototype.wakeUp = function () {
    if (this.wake) {
      this.wake();
    }
  };

  Widget.prototype.settle = function (entry, result) {
    var self = this;
    var message = (result.data && result.data.message) || "";
    if (result.status === 200) {
      this.note(entry.item, "", null);
      local.set("active", "1");
      (result.data.messages || []).forEach(function (reply) {
        if (reply.id === null) {
          self.unmatchedReplies.push(reply.text);
        }
        self.render(reply);
      });
      this.startStream();
      return;
    }
    if (result.status === 413 || result.status === 400) {
      entry.item.remove();
      if (!entry.shownAs && !this.input.value) {
        this.input.value = entry.message;
      }
      this.showError(message || "That message could not be sent.");
      return;
    }
    var retry = function () { self.enqueue(entry); };
    var fallback = result.status === 403
      ? "This chat is not available on this site."
      : "The assistant is unavailable right now. Your message was not sent.";
    this.note(entry.item, "Not sent.", retry);
    this.showError(message || fallback);
  };

  // ---- history and live messages -------------------------------------------

  Widget.prototype.loadHistory = async function () {
    var sender = senderId(false);
    if (!sender || !local.get("active")) {
      this.historyLoaded = true;
      return;
    }
    try {
      var response = await fetch(this.config.server + "/chat/history?sender=" + encodeURIComponent(sender), { credentials: "omit" });
      if (response.ok) {
        var data = await response.json();
        (data.messages || []).forEach(this.render, this);
        this.disableChoicesBeforeLast();
        this.setUnread(0);
        if (data.paused) {
          this.status.textContent = "You're chatting with our sales team.";
        }
      }
    } catch (e) {
      // The conversation still works; only the earlier messages are missing.
    }
    this.historyLoaded = true;
    this.startStream();
  };

  Widget.prototype.disableChoicesBeforeLast = function () {
    var rows = this.log.querySelectorAll(".choice-row");
    var last = this.log.lastElementChild;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i] !== last) {
        var buttons = rows[i].querySelectorAll("button");
        for (var j = 0; j < buttons.length; j++) {
          buttons[j].disabled = true;
        }
      }
    }
  };

  Widget.prototype.startStream = function () {
    var sender = senderId(false);
    if (this.events || !window.EventSource || document.hidden || !sender || !local.get("active")) {
      return;
    }
    var self = this;
    var url = this.config.server + "/chat/stream?sender=" + encodeURIComponent(sender) + "&after=" + this.lastId;
    var events = new EventSource(url);
    this.events = events;
    events.addEventListener("message", function (event) { self.onStreamMessage(event); });
    events.addEventListener("status", function (event) { self.onStreamStatus(event); });
    events.addEventListener("error", function () {
      if (events.readyState === EventSource.CLOSED) {
        self.events = null;
        setTimeout(function () { self.startStream(); }, 30000);
      }
    });
  };

  Widget.prototype.stopStream = function () {
    if (this.events) {
      this.events.close();
      this.events = null;
    }
  };

  Widget.prototype.onStreamMessage = function (event) {
    var message;
    try {
      message = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    // A reply the send call returned without a tracker id: skip its echo.
    var echo = this.unmatchedReplies.indexOf(message.text);
    if (message.role === "bot" && !message.rep && echo !== -1) {
      this.unmatchedReplies.splice(echo, 1);
      this.seenIds[message.id] = true;
      this.lastId = Math.max(this.lastId, message.id);
      return;
    }
    this.render(message);
  };

  Widget.prototype.onStreamStatus = function (event) {
    var data;
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    var text = data.paused ? "You're chatting with our sales team." : "";
    if (this.status.textContent !== text && !this.queue.length) {
      this.status.textContent = text;
    }
  };

  // ---- when to open ---------------------------------------------------------

  Widget.prototype.armTriggers = function () {
    var self = this;
    var config = this.config;
    var auto = function () {
      if (session.get("dismissed") !== "1") {
        self.open(false);
      }
    };
    if (session.get("open") === "1") {
      this.open(false);
    }
    if (config.openAfter !== null) {
      setTimeout(auto, config.openAfter * 1000);
    }
    if (config.openScroll !== null) {
      var onScroll = function () {
        var room = document.documentElement.scrollHeight - window.innerHeight;
        if (room > 0 && (window.scrollY / room) * 100 >= config.openScroll) {
          window.removeEventListener("scroll", onScroll);
          auto();
        }
      };
      window.addEventListener("scroll", onScroll, { passive: true });
    }
    if (config.openExit) {
      var onLeave = function (event) {
        if (!event.relatedTarget && event.clientY <= 0) {
          document.removeEventListener("mouseout", onLeave);
          auto();
        }
      };
      document.addEventListener("mouseout", onLeave);
    }
  };

  // ---- start ----------------------------------------------------------------

  function start() {
    var config = readConfig(script);
    if (!pageAllowed(config.pages, location.pathname)) {
      return;
    }
    recordVisit();
    var widget = new Widget(config);
    widget.mount();
    widget.armTriggers();
    widget.loadHistory().then(function () {
      widget.resumePending();
      if (widget.isOpen()) {
        widget.showGreeting();
      }
    });
    window.Leadline = {
      open: function () { widget.open(true); },
      close: function () { widget.close(); },
    };
  }

  window.Leadline = { pending: true };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
