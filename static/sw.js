// The service worker keeps the lesson's files, so that a page that started once also starts offline. build.py writes
// in this build's files and a digest of them: a new build is a new worker, whose cache replaces the old one.
const CACHE = `${registration.scope} /*BUILD*/`, FILES = [/*FILES*/];
addEventListener("install", (event) => { skipWaiting(); event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES))); });
addEventListener("activate", (event) => event.waitUntil(caches.keys().then((names) => Promise.all(
  names.filter((name) => name.startsWith(registration.scope) && name !== CACHE).map((name) => caches.delete(name))))));
// Network first: with a network every file comes from the server, so a new build never mixes with the old one.
addEventListener("fetch", (event) => event.respondWith(fetch(event.request).catch(() => caches.match(event.request, { ignoreSearch: true }))));
