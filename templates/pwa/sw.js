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
