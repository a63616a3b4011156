/* Boai — the service worker of offline collection (served by Django at /workspace/outreach/collect-sw.js,
   which puts BOAI_SHELL, the static files to keep, BOAI_CACHE, the cache's versioned name, and
   BOAI_FONTS, where the fonts are, above this text, in strict mode). The collection page: network
   first, then the copy kept here; its static files: from the cache first. The page is kept in a cache
   of its own per staff member ("boai-collect-page-" + the hash the server sends in X-Boai-Cache-Owner):
   keeping one account's page deletes the others', the workspace's logout deletes them all (boai.js), so
   the page is never served offline with another account's name. It holds no entry and no key. Nothing else is touched: the API and the key always go to the network, and the key is
   never kept here (nor is any entry: they wait in IndexedDB, encrypted). */
/* global BOAI_SHELL, BOAI_CACHE, BOAI_FONTS */

var PAGE = /^\/workspace\/outreach\/events\/[0-9]+\/collect\/$/;
var PREFIX = "boai-collect-";
var PAGES = "boai-collect-page-";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(BOAI_CACHE).then(function (cache) { return cache.addAll(BOAI_SHELL); }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0 && name !== BOAI_CACHE && name.indexOf(PAGES) !== 0;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// Keep the page of the account that just received it, and forget every other account's page.
function store(path, response) {
  var owner = response.headers.get("X-Boai-Cache-Owner") || "";
  if (!/^[0-9a-f]{16}$/.test(owner)) { return Promise.resolve(false); }
  var mine = PAGES + owner;
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PAGES) === 0 && name !== mine;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return caches.open(mine); }).then(function (cache) {
    return cache.put(path, response);
  }).then(function () { return true; });
}

function keepPage(url) {
  return fetch(url, { credentials: "same-origin", redirect: "follow" }).then(function (response) {
    if (!response.ok || response.redirected) { return false; }
    return store(url, response);
  });
}

// The page asks to be kept as soon as the worker is ready (its first visit is not yet controlled).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "cache-page" || !PAGE.test(data.url || "")) { return; }
  var port = event.ports && event.ports[0];
  event.waitUntil(keepPage(data.url).then(function (cached) {
    if (port) { port.postMessage({ cached: cached }); }
  }, function () {
    if (port) { port.postMessage({ cached: false }); }
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && PAGE.test(url.pathname)) {
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && !response.redirected) {
          store(url.pathname, response.clone()).catch(function () { /* kept next time */ });
        }
        return response;
      }, function () {
        return caches.match(url.pathname).then(function (kept) {
          return kept || Response.error();
        });
      })
    );
    return;
  }
  if (BOAI_SHELL.indexOf(url.pathname) !== -1 || url.pathname.indexOf(BOAI_FONTS) === 0) {
    event.respondWith(
      caches.match(url.pathname).then(function (kept) {
        return kept || fetch(request).then(function (response) {
          if (response.ok) {
            var copy = response.clone();
            caches.open(BOAI_CACHE).then(function (cache) { cache.put(url.pathname, copy); });
          }
          return response;
        });
      })
    );
  }
});
