// Polling waits while its page is out of sight. Every poll (the count beside "my to-dos", the warning board, a job's
// progress) is sent with the X-Background header; in a tab that is hidden or minimised it is not sent at all, which
// is most of a province's open pages at any moment. When the page is shown again, each poll that was held back asks
// at once (its element answers to the "resume" event), so nothing shown is older than the page's last glance away.
(function () {
  "use strict";
  var held = new Set();

  document.addEventListener("htmx:beforeRequest", function (event) {
    var headers = (event.detail.requestConfig || {}).headers || {};
    if (headers["X-Background"] === "1" && document.visibilityState === "hidden") {
      event.preventDefault();
      held.add(event.detail.elt);
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible" || !window.htmx) { return; }
    held.forEach(function (elt) {
      if (document.body.contains(elt)) { window.htmx.trigger(elt, "resume"); }
    });
    held.clear();
  });
})();
