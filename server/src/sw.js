// Sao's service worker. CACHE and PRECACHE are prepended by the server.
// PRECACHE is the shell only (the home page, the first load's script, WASM and
// style, the icons): what every visitor needs. A role's own chunks are kept
// when a page of that role loads them (`keep` below), so a producer on 3G never
// downloads the council's tablet code.

// Each file on its own: one that answers 404 (a site replaced under a running
// server) is skipped, not the whole install, so the worker still installs.
const keep = (cache, paths) => Promise.all(paths.map((path) =>
  cache.match(path).then((hit) => hit || fetch(path).then((response) => (response.ok ? cache.put(path, response) : undefined)))
    .catch(() => undefined)
));

// The site's hashed files never change under one name: kept once, served from the cache.
const isSiteFile = (path) => path.startsWith('/pkg/') || path.startsWith('/icons/');

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => keep(cache, PRECACHE)).then(() => self.skipWaiting())
  );
});

// Before the old caches go, what they hold for offline use besides the old
// release's own files (the session packet's pages, rule data, dossier files)
// moves into this worker's cache: after an upgrade a tablet still opens its
// sheets offline. A page is fetched anew (it names this release's files), its
// old copy kept only when the network fails. Nothing is moved once a log-out
// has begun (`generation`, below).
const carry = (cache, born) => caches.keys().then((names) => Promise.all(names.filter((k) => k.startsWith('sao-') && k !== CACHE).map((name) =>
  caches.open(name).then((old) => old.keys().then((requests) => Promise.all(requests
    .filter((request) => { const path = new URL(request.url).pathname; return !isSiteFile(path) && !PRECACHE.includes(path); })
    .map((request) => old.match(request).then((kept) => {
      const page = kept && (kept.headers.get('content-type') || '').includes('text/html');
      const fresh = page ? fetch(request.url, { credentials: 'same-origin' }).then((r) => (r.ok ? r : kept)).catch(() => kept) : Promise.resolve(kept);
      return fresh.then((response) => (response && born === generation ? cache.put(request, response) : undefined));
    }).catch(() => undefined)))))
    .then(() => caches.delete(name)))));

self.addEventListener('activate', (event) => {
  const born = generation;
  event.waitUntil(caches.open(CACHE).then((cache) => carry(cache, born)).then(() => self.clients.claim()));
});

// Bumped at each log-out: a copy whose fetch began before it is not kept, and
// one stored while the log-out was clearing is deleted again, so a page of the
// last member cannot come back into the cache after they logged out.
let generation = 0;
// The fetches and copies under way now: a log-out clears once at once, then
// again when every one of them has settled (or after 15 s), so nothing that was
// under way when it began can land after it.
const writing = new Set();
const settled = (job) => {
  const done = job.catch(() => undefined);
  writing.add(done);
  done.then(() => writing.delete(done));
};

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const born = generation;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const dossierFile = /^\/tai-lieu\/[^/]+\/tep$/.test(url.pathname) || url.pathname.endsWith('/mau-03.pdf');
  const tabletPage = url.pathname.startsWith('/cham-diem/');
  if (request.mode === 'navigate' || url.pathname.startsWith('/rules/') || dossierFile || tabletPage) {
    // Pages, rule data, and the sheet pages and dossier files a council member's
    // tablet fetched while online (its session packet): the network first
    // (fresh), a copy kept for offline use.
    const fetched = fetch(request);
    settled(fetched);
    event.respondWith(
      fetched
        .then((response) => {
          if (response.ok && born === generation) {
            const copy = response.clone();
            const job = caches.open(CACHE)
              .then((cache) => cache.put(request, copy).then(() => (born === generation ? undefined : cache.delete(request))))
              .catch(() => undefined);
            settled(job);
            try { event.waitUntil(job); } catch (_) { /* the event has ended: the write still runs */ }
          }
          return response;
        })
        .catch(() =>
          caches.match(request, { ignoreVary: true }).then((hit) => hit || (request.mode === 'navigate' ? caches.match('/') : Response.error()))
        )
    );
    return;
  }
  if (PRECACHE.includes(url.pathname) || isSiteFile(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok && isSiteFile(url.pathname)) {
        const copy = response.clone();
        const job = caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => undefined);
        try { event.waitUntil(job); } catch (_) { /* the write still runs */ }
      }
      return response;
    })));
  }
});

// Log-out on a shared device: the copies of signed-in content (pages, sheet pages,
// evidence files, PDFs) go; the site's own files and the public rule data stay.
const clearSignedIn = () => caches.keys().then((names) => Promise.all(names.filter((name) => name.startsWith('sao-')).map((name) =>
  caches.open(name).then((cache) => cache.keys().then((requests) => Promise.all(requests
    .filter((request) => {
      const path = new URL(request.url).pathname;
      return !PRECACHE.includes(path) && !isSiteFile(path) && !path.startsWith('/rules/');
    })
    .map((request) => cache.delete(request)))))
)));

self.addEventListener('message', (event) => {
  // A page's own chunks, loaded before this worker controlled it: kept now.
  if (event.data && Array.isArray(event.data.keep)) {
    const paths = event.data.keep.filter((path) => typeof path === 'string' && isSiteFile(path));
    event.waitUntil(caches.open(CACHE).then((cache) => keep(cache, paths)));
    return;
  }
  if (event.data !== 'sao-log-out') return;
  generation += 1;
  const underWay = Promise.all([...writing]);
  const atMost = new Promise((resolve) => setTimeout(resolve, 15000));
  event.waitUntil(
    clearSignedIn()
      .then(() => Promise.race([underWay, atMost]))
      .then(clearSignedIn)
  );
});
