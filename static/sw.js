// The service worker keeps the lesson's files, so that a page that started once also starts offline. build.py writes
// in this build's files and a digest of them: a new build is a new worker, whose cache replaces the old one. Cache
// names start with the worker's scope, so two lessons on one host keep apart (the page's snapshot has its own cache).
const CACHE = `${registration.scope} /*BUILD*/`, FILES = [/*FILES*/];
// A new build's worker takes over at once: it has kept all of its own files before it can take over.
addEventListener("install", (event) => { skipWaiting(); event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES))); });
// Once it has, the copies of older builds of this lesson go.
addEventListener("activate", (event) => event.waitUntil(caches.keys().then((names) => Promise.all(
  names.filter((name) => name.startsWith(registration.scope) && name !== CACHE).map((name) => caches.delete(name))))));
// Network first: with a network every file comes from the server, so a new build never mixes with the old one; without
// one, the kept copy (a link's ?query does not matter: the page is one file).
addEventListener("fetch", (event) => event.respondWith(fetch(event.request).catch(() => caches.match(event.request, { ignoreSearch: true }))));
