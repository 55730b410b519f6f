// Live chat for the room page: a small upgrade over the page that already works without it.
// Protocol: docs/chat-protocol.md. Message text is only ever put in the page as text nodes.
(function () {
  "use strict";
  var log = document.getElementById("chat-log");
  if (!log || !log.hasAttribute("data-live") || !("WebSocket" in window)) { return; }
  var form = document.getElementById("chat-form");
  var statusEl = document.getElementById("chat-status");
  var supportEl = document.getElementById("chat-support");
  var userId = Number(log.getAttribute("data-user"));
  var roomId = log.getAttribute("data-room");
  var reportUrl = log.getAttribute("data-report-url");
  var editUrl = log.getAttribute("data-edit-url");
  var deleteUrl = log.getAttribute("data-delete-url");
  var muteUrl = log.getAttribute("data-mute-url");
  var readOnly = log.hasAttribute("data-read-only");
  // Whether the viewer moderates this room: only to draw the controls. The server checks
  // every action again.
  var moderating = log.getAttribute("data-moderator") === "1";
  var moderateUrl = log.getAttribute("data-moderate-url");
  var sanctionUrl = log.getAttribute("data-sanction-url");
  var concernUrl = log.getAttribute("data-concern-url");
  var muted = {}; // author ids this person muted for themselves: their messages fold
  (log.getAttribute("data-muted") || "").split(" ").forEach(function (id) { if (id) { muted[id] = true; } });
  var hands = document.getElementById("raised-hands");
  var lastId = 0;
  var lastChange = Number(log.getAttribute("data-last-change")) || 0;
  var socket = null;
  var retries = 0;
  var stopped = false;
  var pending = {}; // client_id -> body, until the server acknowledges it
  var readTimer = null;

  Array.prototype.forEach.call(log.querySelectorAll("li[data-id]"), function (li) {
    if (li.getAttribute("data-state") === "visible") { lastId = Math.max(lastId, Number(li.getAttribute("data-id"))); }
  });

  function say(text) { if (statusEl) { statusEl.textContent = text; } }

  function linkified(parent, text) {
    // Only http(s) links become anchors; everything else stays text.
    var pattern = /\bhttps?:\/\/[^\s<>"']+/gi;
    var at = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var url = match[0].replace(/[.,;:!?)]+$/, "");
      parent.appendChild(document.createTextNode(text.slice(at, match.index)));
      var a = document.createElement("a");
      a.href = url;
      a.rel = "nofollow noopener noreferrer ugc";
      a.textContent = url;
      parent.appendChild(a);
      at = match.index + url.length;
      pattern.lastIndex = at;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function withId(url, marker, id) { return url.replace(marker, marker.replace("0", String(id))); }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // A form that posts to the server, as the page's own forms do (so each still works without
  // the socket, and the server decides).
  function postForm(action, className) {
    var form = el("form", { method: "post", action: action });
    if (className) { form.className = className; }
    form.appendChild(el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrfToken() }));
    return form;
  }

  function button(text, attrs) { return el("button", Object.assign({ type: "submit" }, attrs), text); }

  // The "More" menu of a message, as chat/_message.html draws it.
  function moreMenu(m) {
    var name = m.author.name;
    var more = el("details", { "class": "chat-msg__more" });
    var summary = el("summary", {}, "More");
    summary.appendChild(el("span", { "class": "visually-hidden" }, " about the message from " + name));
    more.appendChild(summary);
    var actions = el("div", { "class": "actions" });
    if (m.author.id === userId) {
      actions.appendChild(el("a", { href: withId(editUrl, "/0/", m.id) }, "Change"));
      var del = postForm(withId(deleteUrl, "/0/", m.id), "inline-form");
      del.setAttribute("data-confirm", "Delete your message?");
      del.appendChild(button("Delete", { "class": "button--link" }));
      actions.appendChild(del);
    } else {
      actions.appendChild(el("a", { href: withId(reportUrl, "/0/", m.id) }, "Report"));
      var mute = postForm(withId(muteUrl, "/members/0/", m.author.id), "inline-form");
      var on = muted[String(m.author.id)] ? "0" : "1";
      mute.appendChild(button((on === "1" ? "Mute " : "Unmute ") + name + " for me",
        { name: "on", value: on, "class": "button--link" }));
      actions.appendChild(mute);
    }
    if (moderating) {
      var mod = postForm(withId(moderateUrl, "/0/", m.id), "chat-mod-form");
      mod.appendChild(el("input", { type: "hidden", name: "next", value: "room" }));
      mod.appendChild(el("label", { "for": "reason-" + m.id }, "Why (for the log)"));
      mod.appendChild(el("input", { id: "reason-" + m.id, name: "reason", required: "", maxlength: "300" }));
      mod.appendChild(button("Hide", { name: "action", value: "hide", "class": "button--secondary" }));
      if (m.author.id !== userId) {
        mod.appendChild(button("Warn " + name, {
          formaction: withId(sanctionUrl, "/members/0/", m.author.id),
          name: "level", value: "warning", "class": "button--secondary"
        }));
      }
      mod.appendChild(button("Delete message", { name: "action", value: "delete", "class": "button--danger" }));
      actions.appendChild(mod);
      actions.appendChild(el("a", { href: withId(concernUrl, "/0/", m.id) }, "Raise a safeguarding concern"));
    }
    more.appendChild(actions);
    return more;
  }

  function render(m) {
    var li = document.createElement("li");
    li.className = "chat-msg";
    li.id = "m" + m.id;
    li.setAttribute("data-id", String(m.id));
    li.setAttribute("data-state", "visible");
    var meta = document.createElement("p");
    meta.className = "chat-msg__meta";
    var who = document.createElement("strong");
    who.textContent = m.author.name;
    var when = document.createElement("time");
    when.setAttribute("datetime", m.created);
    when.textContent = new Date(m.created).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    meta.appendChild(who);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(when);
    var body = document.createElement("p");
    body.className = "chat-msg__body";
    linkified(body, m.body);
    li.appendChild(meta);
    if (muted[String(m.author.id)]) {
      // Muted for this person only: folded away, as on the page itself.
      var fold = el("details", { "class": "chat-msg__muted" });
      fold.appendChild(el("summary", {}, "You muted this person: show the message"));
      fold.appendChild(body);
      li.appendChild(fold);
    } else {
      li.appendChild(body);
    }
    if (!readOnly) { li.appendChild(moreMenu(m)); }
    return li;
  }

  // --- Held messages, live for the room's moderators ------------------------------------------
  // A held message as a moderator's screen shows it: marked as waiting, with why, and Approve and
  // Hide right there (the same endpoint as every moderation form; the server decides). Approving
  // it reaches every screen as a change, which replaces this one in place.
  function renderHeld(m) {
    var li = el("li", { "class": "chat-msg chat-msg--held", id: "m" + m.id, "data-id": String(m.id), "data-state": "held" });
    var meta = el("p", { "class": "chat-msg__meta" });
    meta.appendChild(el("strong", {}, m.author.name));
    meta.appendChild(document.createTextNode(" "));
    var when = el("time", { datetime: m.created },
      new Date(m.created).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    meta.appendChild(when);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(el("span", { "class": "badge" }, "Waiting for a moderator"));
    li.appendChild(meta);
    if (typeof m.reason === "string" && m.reason) { li.appendChild(el("p", { "class": "muted" }, m.reason)); }
    var body = el("p", { "class": "chat-msg__body" });
    linkified(body, m.body);
    li.appendChild(body);
    var mod = postForm(withId(moderateUrl, "/0/", m.id), "chat-mod-form");
    mod.appendChild(el("input", { type: "hidden", name: "next", value: "room" }));
    mod.appendChild(el("label", { "for": "reason-" + m.id }, "Why (for the log, needed to hide it)"));
    mod.appendChild(el("input", { id: "reason-" + m.id, name: "reason", required: "", maxlength: "300" }));
    var actions = el("div", { "class": "actions" });
    // Approving speaks for itself: no reason needed.
    actions.appendChild(button("Approve", { name: "action", value: "approve", formnovalidate: "" }));
    actions.appendChild(button("Hide", { name: "action", value: "hide", "class": "button--secondary" }));
    mod.appendChild(actions);
    li.appendChild(mod);
    return li;
  }

  // Into the list in id order, whenever it arrives.
  function place(li, id) {
    var empty = document.getElementById("chat-empty");
    if (empty) { empty.remove(); }
    var after = null;
    var items = log.querySelectorAll("li[data-id]");
    for (var i = items.length - 1; i >= 0; i--) {
      if (Number(items[i].getAttribute("data-id")) < id) { after = items[i]; break; }
    }
    if (after) { after.after(li); } else { log.prepend(li); }
  }

  function addHeld(m) {
    // Already on screen (from the page, an earlier frame, or approved already): leave it be.
    if (!moderating || !m || document.getElementById("m" + m.id)) { return; }
    place(renderHeld(m), m.id);
    say("A message from " + m.author.name + " is waiting for a moderator.");
  }

  // --- Meeting mode: the chair's list of raised hands, kept live ----------------------------------

  function handRow(id, name) {
    var li = el("li", { "data-hand": String(id) });
    li.appendChild(el("strong", {}, name));
    var actions = el("div", { "class": "actions" });
    var give = postForm(hands.getAttribute("data-floor-url"), "inline-form");
    give.appendChild(button("Give " + name + " the word", { name: "user", value: String(id) }));
    var lower = postForm(hands.getAttribute("data-lower-url"), "inline-form");
    lower.appendChild(button("Lower " + name + "'s hand",
      { name: "user", value: String(id), "class": "button--secondary" }));
    actions.appendChild(give);
    actions.appendChild(lower);
    li.appendChild(actions);
    return li;
  }

  function showHand(id, name, raised) {
    if (!hands) { return; }
    var row = hands.querySelector('li[data-hand="' + Number(id) + '"]');
    if (raised && !row && name) {
      hands.appendChild(handRow(Number(id), name));
      say(name + " raised a hand.");
    } else if (!raised && row) {
      row.remove();
    }
    var none = document.getElementById("no-hands");
    if (none) { none.hidden = hands.children.length > 0; }
  }

  function noteChange(frame) {
    if (frame.change) { lastChange = Math.max(lastChange, frame.change); }
  }

  function resume() {
    send({ type: "resume", after: lastId, changes_after: lastChange });
  }

  function add(m) {
    var shown = document.getElementById("m" + m.id);
    if (shown && shown.getAttribute("data-state") === "held") {
      // A held message approved: it becomes an ordinary message where it is (no second copy).
      shown.replaceWith(render(m));
      lastId = Math.max(lastId, m.id);
      scheduleRead();
      return;
    }
    if (shown) {
      // A change to a message already on screen (edited): show its words now.
      var text = shown.querySelector(".chat-msg__body");
      text.textContent = "";
      linkified(text, m.body);
      return;
    }
    // Keep id order even when a message arrives late.
    place(render(m), m.id);
    lastId = Math.max(lastId, m.id);
    scheduleRead();
  }

  function scheduleRead() {
    if (readTimer || document.hidden) { return; }
    readTimer = window.setTimeout(function () {
      readTimer = null;
      send({ type: "read", up_to: lastId });
    }, 2000);
  }

  // The header's count of new notifications, kept live while the room is open.
  function showUnread(count) {
    var badge = document.querySelector("[data-unread-count]");
    if (!badge) { return; }
    var n = Math.max(0, Number(count) || 0);
    badge.hidden = n === 0;
    var parts = badge.querySelectorAll("span");
    if (parts.length === 2) { parts[0].textContent = String(n); parts[1].textContent = n + " new"; }
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function handle(frame) {
    switch (frame.type) {
      case "hello":
        retries = 0;
        say("Live.");
        resume();
        Object.keys(pending).forEach(function (cid) { send({ type: "send", body: pending[cid], client_id: cid }); });
        break;
      case "message": noteChange(frame); add(frame.message); break;
      case "removed": {
        noteChange(frame);
        var gone = document.getElementById("m" + frame.id);
        if (gone) { gone.remove(); }
        break;
      }
      case "held": addHeld(frame.message); break;
      case "held_decided": {
        // Hidden or deleted by a moderator before anyone saw it.
        var decided = document.getElementById("m" + frame.id);
        if (decided && decided.getAttribute("data-state") === "held") { decided.remove(); }
        break;
      }
      case "resumed": if (frame.last_change) { noteChange({ change: frame.last_change }); } break;
      case "ack":
        delete pending[frame.client_id];
        if (frame.state === "held") { say("Thanks. A moderator will look at your message before others see it."); }
        if (frame.support && supportEl) { supportEl.hidden = false; supportEl.scrollIntoView(); }
        break;
      case "error":
        if ((frame.code === "slow_down" || frame.code === "rate_limited") && frame.client_id &&
            pending[frame.client_id] !== undefined && frame.retry_after) {
          // Not saved yet: send it again, with the same client id, when there is room.
          var again = frame.client_id;
          window.setTimeout(function () {
            if (pending[again] !== undefined) { send({ type: "send", body: pending[again], client_id: again }); }
          }, Math.ceil(frame.retry_after * 1000));
          say(frame.message);
          break;
        }
        if (frame.client_id && pending[frame.client_id] !== undefined) {
          // Not saved: give the words back so nothing typed is lost.
          var box = form && form.querySelector("textarea[name=body]");
          if (box && !box.value) { box.value = pending[frame.client_id]; }
          delete pending[frame.client_id];
        }
        say(frame.message);
        break;
      case "room":
        if (frame.room.read_only) { say("This room is read-only for now."); }
        else if (frame.room.meeting_mode && frame.room.floor === userId) { say("You have the floor."); }
        else if (frame.room.meeting_mode) { say("A meeting has started: raise your hand to speak."); }
        // Given the floor: their raised hand is lowered.
        if (frame.room.floor) { showHand(frame.room.floor, "", false); }
        break;
      case "hand":
        if (typeof frame.name === "string") { showHand(frame.user, frame.name, frame.raised === true); }
        if (frame.user === userId && frame.raised === false && !hands) { say("Your hand is lowered."); }
        break;
      case "unread": showUnread(frame.count); break;
      case "alert": {
        say("Someone may be in danger. ");
        // The link opens the crisis item itself (a same-site path from the server).
        if (statusEl && typeof frame.url === "string" && /^\/[^\/]/.test(frame.url)) {
          var open = document.createElement("a");
          open.href = frame.url;
          open.textContent = "Open the crisis item";
          statusEl.appendChild(open);
        }
        break;
      }
      case "closing":
        stopped = true;
        say(frame.reason === "session_ended" ? "You have been logged out." : "You are no longer in this room.");
        break;
      default: break;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/chat/" + roomId + "/");
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handle(frame);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (stopped || event.code === 4401 || event.code === 4403) {
        if (!stopped) { say("You cannot use live chat here any more. Reload the page."); }
        return;
      }
      retries += 1;
      var delay = Math.min(10000, 500 * Math.pow(2, retries)) + Math.random() * 500;
      say("Reconnecting…");
      window.setTimeout(connect, delay);
    });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      var textarea = form.querySelector("textarea[name=body]");
      var body = textarea.value.trim();
      if (!body || !socket || socket.readyState !== WebSocket.OPEN) { return; } // plain post
      event.preventDefault();
      var cid = String(Date.now()) + "-" + Math.random().toString(36).slice(2, 10);
      pending[cid] = body;
      send({ type: "send", body: body, client_id: cid });
      textarea.value = "";
      textarea.focus();
    });
  }

  // The channel layer may drop a broadcast while the socket stays open (Redis restarting):
  // ask for anything missed now and then, and whenever the page becomes visible again.
  window.setInterval(resume, 60000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { scheduleRead(); resume(); }
  });
  connect();
})();
