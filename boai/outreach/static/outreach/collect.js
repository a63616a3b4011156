/* Boai — offline collection at events (outreach). The page works without network once it has been
   opened with network: the service worker keeps it; entries wait in IndexedDB, encrypted with AES-GCM
   under a key the server derives for this staff member and event (kept only in sessionStorage and in
   memory, as a non-extractable CryptoKey; each record stores the key's short version id, so the page
   knows which entries the key it holds can read); "Sync now" (or the network coming back) sends them in
   batches, each with its own key, so a batch sent twice never doubles an entry. An entry that cannot
   be read (taken under an older key) is shown as such and never holds up the others. */
(function () {
  "use strict";

  var root = document.getElementById("collect");
  if (!root) { return; }

  var EVENT = root.getAttribute("data-event");
  var USER = root.getAttribute("data-user");
  var KEY_URL = root.getAttribute("data-key-url");
  var SYNC_URL = root.getAttribute("data-sync-url");
  var BATCH = parseInt(root.getAttribute("data-batch"), 10) || 20;
  var MAX_BYTES = 1500000;
  var CONSENT_VERSION = root.getAttribute("data-consent-version");
  var DB_NAME = "boai-collect";
  var STORE = "entries";
  var KEY_SLOT = "boai-collect-key-" + USER + "-" + EVENT;

  var MSG = {};
  Array.prototype.forEach.call(document.querySelectorAll("#collect-messages [data-msg]"), function (li) {
    MSG[li.getAttribute("data-msg")] = li.textContent;
  });
  function msg(name, values) {
    var text = MSG[name] || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  var $ = function (id) { return document.getElementById(id); };
  var form = $("collect-form");
  var done = []; // landed or held in this visit: shown, no longer stored
  var cryptoKey = null;
  var keyVersion = null;
  var syncing = false;
  var csrf = null;

  // ---- the manifest (in the head, where browsers look for it) ----------------------------------
  (function () {
    var link = document.createElement("link");
    link.rel = "manifest";
    link.href = root.getAttribute("data-manifest-url");
    link.crossOrigin = "use-credentials";
    document.head.appendChild(link);
  })();

  // ---- the key ---------------------------------------------------------------------------------
  function b64ToBytes(text) {
    var raw = atob(text), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }
  function importKey(text) {
    return crypto.subtle.importKey("raw", b64ToBytes(text), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  }
  function fetchKey() {
    return fetch(KEY_URL, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.redirected || r.status === 401 || r.status === 403) { throw new Error("login"); }
        if (!r.ok) { throw new Error("failed"); }
        return r.json();
      })
      .then(function (data) {
        csrf = data.csrf;
        sessionStorage.setItem(KEY_SLOT, JSON.stringify({ key: data.key, version: data.version }));
        keyVersion = data.version;
        return importKey(data.key);
      });
  }
  function keptKey() {
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(KEY_SLOT) || "null"); } catch (e) { kept = null; }
    if (!kept || typeof kept.key !== "string") { return fetchKey(); }
    keyVersion = kept.version || null;
    return importKey(kept.key);
  }
  function getKey() {
    if (cryptoKey) { return Promise.resolve(cryptoKey); }
    return keptKey().then(function (key) { cryptoKey = key; return key; });
  }
  function encrypt(value) {
    return getKey().then(function (key) {
      var iv = crypto.getRandomValues(new Uint8Array(12));
      var plain = new TextEncoder().encode(JSON.stringify(value));
      return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain).then(function (data) {
        return { iv: iv, data: data };
      });
    });
  }
  function decrypt(record) {
    return getKey().then(function (key) {
      if (record.kv && keyVersion && record.kv !== keyVersion) { throw new Error("unreadable"); }
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, key, record.data);
    }).then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }
  // The records, decrypted one at a time: one that cannot be read is marked so, and the others go on.
  function readAll(records) {
    var rows = [];
    return records.reduce(function (chain, r) {
      return chain.then(function () {
        return decrypt(r).then(function (entry) { rows.push({ r: r, entry: entry }); }, function (error) {
          if (error && error.message === "login") { throw error; }
          rows.push({ r: r, entry: null });
        });
      });
    }, Promise.resolve()).then(function () { return rows; });
  }

  // ---- IndexedDB -------------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function tx(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var t = database.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function allRecords() { return tx("readonly", function (s) { return s.getAll(); }); }
  function putRecord(record) { return tx("readwrite", function (s) { s.put(record); }); }
  function deleteRecord(key) { return tx("readwrite", function (s) { s.delete(key); }); }
  function mine(records) {
    return records.filter(function (r) { return r.event === EVENT && r.user === USER; });
  }

  // ---- the list and the counters ---------------------------------------------------------------
  function label(state, extra) {
    if (state === "landed") { return msg("landed", { number: extra.number }); }
    if (state === "held") { return msg("held", { reference: extra.reference }); }
    if (state === "returned") { return msg("returned", { reason: extra.reason || "" }); }
    if (state === "unreadable") { return msg("unreadable"); }
    return msg("waiting");
  }
  function item(name, state, text, key) {
    var li = document.createElement("li");
    li.setAttribute("data-state", state);
    if (key) { li.setAttribute("data-key", key); }
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = name;
    var badge = document.createElement("span");
    badge.className = "badge badge-" + state;
    badge.textContent = msg("badge_" + state);
    var detail = document.createElement("span");
    detail.className = "state";
    detail.textContent = text;
    li.appendChild(who);
    li.appendChild(badge);
    li.appendChild(detail);
    if ((state === "returned" || state === "unreadable") && key) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "danger";
      remove.textContent = msg("remove");
      remove.addEventListener("click", function () {
        if (window.confirm(msg("remove_confirm"))) { deleteRecord(key).then(render); }
      });
      li.appendChild(remove);
    }
    return li;
  }
  function render() {
    return allRecords().then(function (records) {
      var own = mine(records);
      var others = records.filter(function (r) { return r.event === EVENT && r.user !== USER; }).length;
      $("collect-others").hidden = !others;
      $("collect-others").textContent = others ? msg("others", { n: others }) : "";
      return readAll(own);
    }).then(function (rows) {
      var list = $("collect-list");
      list.textContent = "";
      $("collect-waiting").textContent = String(rows.filter(function (row) {
        return row.entry && row.r.state === "waiting";
      }).length);
      rows.sort(function (a, b) { return a.r.created < b.r.created ? 1 : -1; });
      rows.forEach(function (row) {
        var state = row.entry ? row.r.state : "unreadable";
        var name = row.entry && row.entry.person ? row.entry.person.name : "—";
        list.appendChild(item(name, state, label(state, row.r), row.r.key));
      });
      done.forEach(function (d) { list.appendChild(item(d.name, d.state, label(d.state, d), null)); });
      $("collect-empty").hidden = list.children.length > 0;
    }).catch(function () {
      $("collect-empty").hidden = false;
    });
  }

  // ---- online / offline ------------------------------------------------------------------------
  function showOnline() {
    var on = navigator.onLine;
    var badge = $("collect-online");
    badge.textContent = on ? msg("online") : msg("offline");
    badge.className = "badge badge-" + (on ? "online" : "offline");
  }
  window.addEventListener("online", function () { showOnline(); sync(); });
  window.addEventListener("offline", showOnline);

  // ---- the signature pad -----------------------------------------------------------------------
  var canvas = $("c-signature");
  var pad = canvas.getContext("2d");
  var drawn = false, drawing = false, last = null;
  function sizeCanvas() {
    var ratio = window.devicePixelRatio || 1;
    var box = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(box.width * ratio));
    canvas.height = Math.max(1, Math.round(box.height * ratio));
    pad.setTransform(ratio, 0, 0, ratio, 0, 0);
    clearPad();
  }
  function clearPad() {
    pad.save();
    pad.setTransform(1, 0, 0, 1, 0, 0);
    pad.fillStyle = "#fff";
    pad.fillRect(0, 0, canvas.width, canvas.height);
    pad.restore();
    pad.lineWidth = 3;
    pad.lineCap = "round";
    pad.lineJoin = "round";
    pad.strokeStyle = "#111";
    drawn = false;
  }
  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }
  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    drawing = true;
    last = point(event);
    if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
    pad.beginPath();
    pad.arc(last.x, last.y, 1.2, 0, Math.PI * 2);
    pad.fillStyle = "#111";
    pad.fill();
    drawn = true;
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    event.preventDefault();
    var p = point(event);
    pad.beginPath();
    pad.moveTo(last.x, last.y);
    pad.lineTo(p.x, p.y);
    pad.stroke();
    last = p;
    drawn = true;
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
    canvas.addEventListener(name, function () { drawing = false; });
  });
  $("c-signature-clear").addEventListener("click", clearPad);
  window.addEventListener("resize", function () { if (!drawn) { sizeCanvas(); } });

  // ---- the form and its checks -----------------------------------------------------------------
  var body = $("c-body");
  body.addEventListener("change", function () { $("c-executor").hidden = !body.checked; });

  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";
  function checkId(raw, today) {
    var number = (raw || "").replace(/\s+/g, "").toUpperCase();
    if (!number) { return "required"; }
    if (number.length !== 18) { return "id_length"; }
    if (!/^[0-9]{17}[0-9X]$/.test(number)) { return "id_format"; }
    var sum = 0;
    for (var i = 0; i < 17; i++) { sum += parseInt(number.charAt(i), 10) * WEIGHTS[i]; }
    if (CHECK.charAt(sum % 11) !== number.charAt(17)) { return "id_checksum"; }
    var y = parseInt(number.substr(6, 4), 10), m = parseInt(number.substr(10, 2), 10), d = parseInt(number.substr(12, 2), 10);
    var born = new Date(y, m - 1, d);
    if (born.getFullYear() !== y || born.getMonth() !== m - 1 || born.getDate() !== d || born > today || y < 1900) {
      return "id_birth";
    }
    var age = today.getFullYear() - y - ((today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) ? 1 : 0);
    if (age < 18) { return "id_minor"; }
    return null;
  }
  // Only the counties the page offers (the staff member's own area); the server checks it again.
  function countyOffered(code) {
    return Array.prototype.some.call($("c-region").options, function (o) { return o.value && o.value === code; });
  }
  function phoneOk(value) { return /^1[0-9]{10}$/.test((value || "").replace(/[\s-]/g, "")); }
  function values(name) {
    return Array.prototype.map.call(form.querySelectorAll("input[name=" + name + "]:checked"), function (i) { return i.value; });
  }
  function field(name) { return form.querySelector("[data-field=" + name + "]"); }
  function setError(name, text) {
    var box = field(name);
    var error = box.querySelector(".field-error");
    box.classList.toggle("has-error", !!text);
    error.hidden = !text;
    error.textContent = text || "";
    var input = box.querySelector("input, select, canvas");
    if (input && input.tagName !== "CANVAS") { input.setAttribute("aria-invalid", text ? "true" : "false"); }
  }
  function collect() {
    var get = function (name) { return (form.elements[name].value || "").trim(); };
    var organs = values("organs_all").length ? ["all"] : values("organs");
    return {
      name: get("name"),
      id_type: "resident_id",
      id_number: get("id_number").replace(/\s+/g, "").toUpperCase(),
      phone: get("phone").replace(/[\s-]/g, ""),
      region: get("region"),
      address: get("address"),
      organs: organs,
      tissues: values("tissues"),
      body: body.checked,
      executor_name: body.checked ? get("executor_name") : "",
      executor_relationship: body.checked ? get("executor_relationship") : "",
      executor_phone: body.checked ? get("executor_phone").replace(/[\s-]/g, "") : ""
    };
  }
  function validate(person) {
    var errors = {};
    if (!person.name) { errors.name = msg("required"); }
    var idProblem = checkId(person.id_number, new Date());
    if (idProblem) { errors.id_number = msg(idProblem); }
    if (!phoneOk(person.phone)) { errors.phone = person.phone ? msg("phone") : msg("required"); }
    if (!person.region) { errors.region = msg("region"); } else if (!countyOffered(person.region)) { errors.region = msg("region_area"); }
    if (!person.organs.length && !person.tissues.length && !person.body) { errors.organs = msg("organs"); }
    if (person.body && !person.executor_name) { errors.executor_name = msg("executor"); }
    if (person.body && !phoneOk(person.executor_phone)) { errors.executor_phone = msg("phone"); }
    if (!$("c-attested").checked) { errors.attested = msg("attested"); }
    if (!$("c-consent").checked) { errors.consent = msg("consent"); }
    if (!drawn) { errors.signature = msg("signature"); }
    ["name", "id_number", "phone", "region", "organs", "executor_name", "executor_phone", "attested", "consent", "signature"]
      .forEach(function (name) { setError(name, errors[name]); });
    return errors;
  }
  function formMessage(text, ok) {
    var box = $("collect-form-error");
    box.hidden = !text;
    box.textContent = text || "";
    box.className = "msg " + (ok ? "msg-success" : "msg-error");
    box.setAttribute("role", ok ? "status" : "alert");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    formMessage("", true); // the message of the previous entry goes
    var person = collect();
    var errors = validate(person);
    var first = Object.keys(errors)[0];
    if (first) {
      formMessage(msg("fix"), false);
      var target = field(first).querySelector("input, select, canvas");
      if (target) { target.focus(); }
      return;
    }
    var entry = {
      key: crypto.randomUUID(),
      collected_at: new Date().toISOString(),
      consent_version: CONSENT_VERSION,
      attested: true,
      signature: canvas.toDataURL("image/png"),
      person: person
    };
    encrypt(entry).then(function (sealed) {
      return putRecord({
        key: entry.key, event: EVENT, user: USER, state: "waiting", created: entry.collected_at,
        kv: keyVersion, iv: sealed.iv, data: sealed.data
      });
    }).then(function () {
      form.reset();
      $("c-executor").hidden = true;
      clearPad();
      return render();
    }).then(function () {
      formMessage(msg("saved"), true); // after the list and the counter show the new entry
      window.scrollTo(0, 0);
      if (navigator.onLine) { sync(); }
    }).catch(function (error) {
      formMessage(msg(error && error.message === "login" ? "login" : "nokey"), false);
    });
  });

  // ---- sync ------------------------------------------------------------------------------------
  function syncMessage(text) { $("collect-sync-message").textContent = text || ""; }
  function send(batch) {
    return fetch(SYNC_URL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf || "" },
      body: JSON.stringify({ entries: batch })
    }).then(function (r) {
      if (r.status === 401 || r.status === 403) { throw new Error("login"); }
      if (!r.ok) { throw new Error("failed"); }
      return r.json();
    });
  }
  // Each answer is matched to its entry by its place in the batch (the server answers in order).
  function answer(batch, results, names) {
    return batch.reduce(function (chain, sent, i) {
      return chain.then(function () {
        var result = results[i];
        if (!result || (result.key && result.key !== sent.key)) { return null; } // no answer: stays waiting
        if (result.state === "landed" || result.state === "held") {
          done.push({ name: names[sent.key] || "—", state: result.state, number: result.number, reference: result.reference });
          return deleteRecord(sent.key);
        }
        return tx("readwrite", function (s) {
          var get = s.get(sent.key);
          get.onsuccess = function () {
            if (get.result) { get.result.state = "returned"; get.result.reason = result.reason || ""; s.put(get.result); }
          };
        });
      });
    }, Promise.resolve());
  }
  function sync() {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    syncMessage(msg("syncing"));
    var names = {};
    var failed = false;
    return fetchKey().then(function (key) {
      cryptoKey = key;
      return allRecords();
    }).then(function (records) {
      var waiting = mine(records).filter(function (r) { return r.state === "waiting"; });
      return readAll(waiting);
    }).then(function (rows) {
      var entries = rows.filter(function (row) { return row.entry; }).map(function (row) { return row.entry; });
      if (!entries.length) { return "nothing"; }
      entries.forEach(function (e) { names[e.key] = e.person ? e.person.name : "—"; });
      // batches of at most BATCH entries and about 1.5 MB (the server reads at most 2.5 MB at once)
      var batches = [], batch = [], size = 0;
      entries.forEach(function (e) {
        var bytes = JSON.stringify(e).length;
        if (batch.length && (batch.length >= BATCH || size + bytes > MAX_BYTES)) { batches.push(batch); batch = []; size = 0; }
        batch.push(e);
        size += bytes;
      });
      if (batch.length) { batches.push(batch); }
      // a batch the server refuses does not hold up the next ones; no network or no session stops here
      return batches.reduce(function (chain, b) {
        return chain.then(function () {
          return send(b).then(function (data) { return answer(b, data.results || [], names); }, function (error) {
            if (error && error.message === "failed") { failed = true; return null; }
            throw error;
          });
        });
      }, Promise.resolve()).then(function () { return failed ? "failed" : "synced"; });
    }).then(function (outcome) {
      syncMessage(msg(outcome));
    }, function (error) {
      var reason = error && error.message;
      syncMessage(msg(reason === "login" ? "login" : (reason === "failed" ? "failed" : "network")));
    }).then(function () {
      syncing = false;
      return render();
    });
  }
  $("collect-sync").addEventListener("click", function () { sync(); });

  // ---- the service worker: the page opens again without network --------------------------------
  function offlineReady() { $("collect-offline-ready").hidden = false; root.setAttribute("data-offline-ready", "1"); }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: root.getAttribute("data-sw-scope") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { if (event.data && event.data.cached) { offlineReady(); } };
        registration.active.postMessage({ type: "cache-page", url: location.pathname }, [channel.port2]);
      })
      .catch(function () { /* no service worker: the page works while it stays open */ });
  }

  // ---- start -----------------------------------------------------------------------------------
  if (!(window.crypto && crypto.subtle && window.indexedDB)) {
    formMessage(msg("unsupported"), false);
    $("collect-save").disabled = true;
    return;
  }
  showOnline();
  sizeCanvas();
  getKey().then(render).then(function () {
    if (navigator.onLine && $("collect-waiting").textContent !== "0") { sync(); } // left from an earlier visit
  }, function () {
    formMessage(msg("nokey"), false);
    render();
  });
})();
