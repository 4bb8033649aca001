/* Reload a plan page once its search has finished (the page works without this script). */
(function () {
  "use strict";
  var el = document.querySelector("[data-poll-url]");
  if (!el || !window.fetch) return;
  var url = el.getAttribute("data-poll-url");
  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.solved || data.status !== "draft") {
          window.location.reload();
        } else {
          window.setTimeout(check, 2000);
        }
      })
      .catch(function () { window.setTimeout(check, 5000); });
  }
  window.setTimeout(check, 1500);
})();
