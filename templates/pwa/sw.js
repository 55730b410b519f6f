{% load static %}// Alongside service worker: keeps the offline page and the stylesheet, nothing personal.
// Pages for signed-in people are never cached (they may show private things).
const CACHE = "alongside-v1";
const OFFLINE_URL = "{% url 'offline' %}";
const PRECACHE = [OFFLINE_URL, "{% static 'css/alongside.css' %}", "{% static 'icons/icon.svg' %}"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
  );
  self.clients.claim();
});

self.addEventListener("fetch", (event) => {
  if (event.request.mode === "navigate") {
    event.respondWith(fetch(event.request).catch(() => caches.match(OFFLINE_URL)));
  }
});

// Phone notifications (web push): optional, and never the only way we tell someone. The payload
// says only what the person chose (discreet by default) and the address to open.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  const title = data.title || "Alongside";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "You have a new message",
      tag: data.tag || undefined,
      icon: "{% static 'icons/icon.svg' %}",
      data: { url: data.url || "/me/notifications/" },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  let target = new URL("/me/notifications/", self.location.origin);
  try {
    const url = new URL(event.notification.data && event.notification.data.url, self.location.origin);
    if (url.origin === self.location.origin) { target = url; } // only ever our own pages
  } catch (e) { /* keep the inbox */ }
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const win of windows) {
        if (win.url === target.href && "focus" in win) { return win.focus(); }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
