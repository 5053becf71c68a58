/* The alert queue refreshes itself: every N seconds (data-refresh-seconds on #queue-region)
 * it fetches the same URL with ?fragment=1 and swaps the region's content, keeping the
 * filters (they are in the query string), the scroll position and the keyboard focus.
 * Without JavaScript the page is an ordinary page: reload it to refresh.
 */
(function () {
  "use strict";
  var region = document.getElementById("queue-region");
  var status = document.getElementById("queue-updated");
  if (!region || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var seconds = parseInt(region.getAttribute("data-refresh-seconds"), 10) || 20;
  var baseTitle = document.title;
  var busy = false;

  function fragmentUrl() {
    var params = new URLSearchParams(window.location.search);
    params.set("fragment", "1");
    return window.location.pathname + "?" + params.toString();
  }

  function showCount() {
    var count = region.querySelector("[data-count]");
    if (count) {
      document.title = "(" + count.getAttribute("data-count") + ") " + baseTitle;
    }
  }

  function focusedKey() {
    var active = document.activeElement;
    return active && region.contains(active) ? active.getAttribute("data-focus-key") : null;
  }

  function swap(html) {
    var x = window.scrollX;
    var y = window.scrollY;
    var key = focusedKey();
    region.innerHTML = html;
    if (key) {
      var again = region.querySelector('[data-focus-key="' + key + '"]');
      if (again) {
        again.focus({ preventScroll: true });
      }
    }
    window.scrollTo(x, y);
    showCount();
    if (status) {
      status.textContent = status.getAttribute("data-updated") + " " +
        new Date().toLocaleTimeString(document.documentElement.lang || undefined);
      status.classList.remove("text-danger");
    }
  }

  // Keep trying: a network blip passes; after a log-out the message says what to do.
  function fail() {
    if (status) {
      status.textContent = status.getAttribute("data-failed");
      status.classList.add("text-danger");
    }
  }

  function refresh() {
    if (busy || document.hidden) {
      return;
    }
    busy = true;
    window.fetch(fragmentUrl(), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      // After the session expires the answer is the log-in page: never swap that in.
      if (!response.ok || response.headers.get("X-Queue-Fragment") !== "1") {
        throw new Error("not a queue fragment");
      }
      return response.text();
    }).then(swap, fail).then(function () {
      busy = false;
    });
  }

  showCount();
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      refresh();
    }
  });
}());
