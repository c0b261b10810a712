// The idle timeout, told before it ends: the server ends a session after SESSION_IDLE_MINUTES without a user
// request (polling does not count). Two minutes before, a notice offers to stay signed in; when the time is up the
// page goes to the login page instead of failing on the next click.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.idleSeconds || "0", 10);
  if (!idle) { return; }
  var notice = document.getElementById("idle-notice");
  var warnAt = Math.max(idle - 120, 0) * 1000;
  var warnTimer, endTimer;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    if (notice) { notice.hidden = true; }
    warnTimer = setTimeout(function () { if (notice) { notice.hidden = false; } }, warnAt);
    endTimer = setTimeout(function () { window.location.assign(body.dataset.loginUrl); }, idle * 1000);
  }

  if (notice) {
    notice.querySelector("button").addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, { credentials: "same-origin" }).then(schedule);
    });
  }
  // Any request the user makes (htmx or not) keeps the session: restart the count after each one.
  document.addEventListener("htmx:afterRequest", function (event) {
    var headers = (event.detail.requestConfig || {}).headers || {};
    if (headers["X-Background"] !== "1") { schedule(); }
  });
  schedule();
})();
