// Boai: the little behaviour the pages need, without inline scripts (the CSP forbids them).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    // Ask before anything irreversible: <button data-confirm="...">
    var confirmable = event.target.closest("[data-confirm]");
    if (confirmable && !window.confirm(confirmable.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A button that was just used to send an SMS code waits before it can be pressed again:
  // <button data-countdown="60" data-countdown-label="Send again in {s} s">. The server keeps its own limits.
  function startCountdowns(root) {
    var buttons = (root.querySelectorAll ? root.querySelectorAll("[data-countdown]") : []);
    Array.prototype.forEach.call(buttons, function (button) {
      if (button.dataset.countdownStarted) { return; }
      button.dataset.countdownStarted = "1";
      var left = parseInt(button.getAttribute("data-countdown"), 10) || 0;
      var label = button.getAttribute("data-countdown-label") || "{s}";
      var original = button.textContent;
      function tick() {
        if (left <= 0 || !button.isConnected) {
          button.disabled = false;
          button.textContent = original;
          return;
        }
        button.disabled = true;
        button.textContent = label.replace("{s}", String(left));
        left -= 1;
        window.setTimeout(tick, 1000);
      }
      tick();
    });
  }
  // Enter in a field presses the form's first button. A field that names another button presses that one
  // instead: the SMS code field, whose form's first button would send another code, <input data-enter="...">.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing || !event.target.getAttribute) { return; }
    var selector = event.target.getAttribute("data-enter");
    var target = selector && event.target.form && event.target.form.querySelector(selector);
    if (target && !target.disabled) {
      event.preventDefault();
      target.click();
    }
  });

  // Offline collection (outreach) keeps its page in "boai-collect-page-<hash of the user id>" caches and
  // its key in sessionStorage. At logout both go (the entries waiting in IndexedDB stay, encrypted);
  // on every workspace page the pages kept for another account go. Harmless where nothing is kept.
  var COLLECT = "boai-collect-", PAGES = "boai-collect-page-";
  function dropCaches(keep) {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(keep === undefined ? COLLECT : PAGES) === 0 && name !== keep;
      }).map(function (name) { return caches.delete(name); }));
    });
  }
  function ownerOf(userId) {
    var text = new TextEncoder().encode("boai-collect:" + userId);
    return crypto.subtle.digest("SHA-256", text).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) { return ("0" + b.toString(16)).slice(-2); })
        .join("").slice(0, 16);
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-logout") || form.dataset.cleared) { return; }
    event.preventDefault();
    form.dataset.cleared = "1";
    try {
      Object.keys(sessionStorage).forEach(function (k) { if (k.indexOf(COLLECT + "key-") === 0) { sessionStorage.removeItem(k); } });
    } catch (e) { /* storage unavailable */ }
    var sent = false;
    var submit = function () { if (!sent) { sent = true; form.submit(); } };
    window.setTimeout(submit, 1500); // never keep anyone from logging out
    dropCaches().then(submit, submit);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var logout = document.querySelector("form[data-logout][data-user]");
    if (!logout || !window.caches || !(window.crypto && crypto.subtle)) { return; }
    ownerOf(logout.getAttribute("data-user")).then(function (owner) { return dropCaches(PAGES + owner); })
      .catch(function () { /* nothing kept */ });
  });

  // htmx keeps no copies of pages in the tab's sessionStorage ("historyCacheSize": 0 in base.html):
  // they held the lists a user had seen (names, masked numbers), outlived the logout, and Back showed
  // a copy's rows under the filters of another moment. Back reloads the page from the server instead.
  // A copy kept before that setting is dropped here.
  try { sessionStorage.removeItem("htmx-history-cache"); } catch (e) { /* storage unavailable */ }

  // The language switch goes back to the address shown now, not the one the page was loaded at: a list
  // filtered in place (htmx) has moved the address on since. A "clear" in it would forget the search.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("lang-form") || !form.elements.next) { return; }
    var params = new URLSearchParams(location.search);
    params.delete("clear");
    var query = params.toString();
    form.elements.next.value = location.pathname + (query ? "?" + query : "");
  });

  // htmx:load fires for the page when htmx starts and for every piece of content it swaps in.
  document.addEventListener("htmx:load", function (event) { startCountdowns(event.target); });
  document.addEventListener("DOMContentLoaded", function () { startCountdowns(document); });
})();
