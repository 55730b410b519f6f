// Alongside: small progressive enhancements only. Every page works without this file.
(function () {
  "use strict";
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }
  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // "Select all" boxes (data-tick-all="<name>"): tick or untick every box of that name in the
  // form; unticking one of them unticks "select all". Without this file the server reads it.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.form) { return; }
    var name = box.getAttribute("data-tick-all");
    if (name) {
      box.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (one) {
        one.checked = box.checked;
      });
      return;
    }
    var all = box.form.querySelector('[data-tick-all="' + box.name + '"]');
    if (all && !box.checked) { all.checked = false; }
  });

  // "Get notifications on this phone" (preferences page): shown only where web push works and
  // the site has VAPID keys (the section carries the public key). Texts and e-mail still go.
  var box = document.querySelector("[data-push]");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) ||
      !("Notification" in window) || !window.isSecureContext) { return; }
  var on = box.querySelector("[data-push-on]");
  var off = box.querySelector("[data-push-off]");
  var status = box.querySelector("[data-push-status]");

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  function tell(words) { status.textContent = words; }
  function show(subscribed) { on.hidden = subscribed; off.hidden = !subscribed; }
  function post(body) {
    return fetch(box.getAttribute("data-push-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.getAttribute("data-csrf") },
      body: JSON.stringify(body),
    }).then(function (response) { if (!response.ok) { throw new Error("refused"); } });
  }

  navigator.serviceWorker.ready.then(function (registration) {
    box.hidden = false;
    registration.pushManager.getSubscription().then(function (existing) { show(!!existing); });
    on.addEventListener("click", function () {
      Notification.requestPermission().then(function (answer) {
        if (answer !== "granted") {
          tell("Your phone did not allow notifications. You can allow them in its settings.");
          return null;
        }
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(box.getAttribute("data-push-key")),
        }).then(function (subscription) {
          return post({ subscription: subscription.toJSON() }).then(function () {
            show(true);
            tell("Done. This phone will get notifications from Alongside.");
          });
        });
      }).catch(function () { tell("That did not work. Please try again later."); });
    });
    off.addEventListener("click", function () {
      registration.pushManager.getSubscription().then(function (subscription) {
        if (!subscription) { show(false); return null; }
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return post({ unsubscribe: true, endpoint: endpoint });
        }).then(function () { show(false); tell("This phone will not get notifications now."); });
      }).catch(function () { tell("That did not work. Please try again later."); });
    });
  });
})();
