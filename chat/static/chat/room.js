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
    var link = document.createElement("a");
    if (m.author.id === userId) {
      link.href = editUrl.replace("/0/", "/" + m.id + "/");
      link.textContent = "Change";
    } else {
      link.href = reportUrl.replace("/0/", "/" + m.id + "/");
      link.textContent = "Report";
    }
    link.className = "chat-msg__action";
    li.appendChild(meta);
    li.appendChild(body);
    li.appendChild(link);
    return li;
  }

  function noteChange(frame) {
    if (frame.change) { lastChange = Math.max(lastChange, frame.change); }
  }

  function resume() {
    send({ type: "resume", after: lastId, changes_after: lastChange });
  }

  function add(m) {
    var shown = document.getElementById("m" + m.id);
    if (shown) {
      // A change to a message already on screen (edited): show its words now.
      var text = shown.querySelector(".chat-msg__body");
      text.textContent = "";
      linkified(text, m.body);
      return;
    }
    var empty = document.getElementById("chat-empty");
    if (empty) { empty.remove(); }
    var li = render(m);
    // Keep id order even when a message arrives late.
    var after = null;
    var items = log.querySelectorAll("li[data-id]");
    for (var i = items.length - 1; i >= 0; i--) {
      if (Number(items[i].getAttribute("data-id")) < m.id) { after = items[i]; break; }
    }
    if (after) { after.after(li); } else { log.prepend(li); }
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
        else if (frame.room.meeting_mode) { say("A meeting has started: raise your hand to speak."); }
        break;
      case "unread": showUnread(frame.count); break;
      case "alert": say("A message may show someone in crisis: see the moderation page."); break;
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
