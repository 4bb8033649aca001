/* Kiosk helpers (the page works without them: a hand scanner types into the focused field).
   - Focus the check-in field, so a hand scanner's keystrokes land there.
   - Where the browser has the BarcodeDetector API, offer scanning the appointment's QR code
     with the tablet's camera; the code read is put in the field and the form sent.
   - On the ticket page: print, and return to the start after a minute. */
(function () {
  "use strict";
  var form = document.querySelector("[data-scan-form]");
  if (form) {
    var field = form.querySelector("input[type=text]");
    if (field && !document.querySelector(".usa-form-group--error")) field.focus();
    var box = form.querySelector("[data-camera]");
    if (box && "BarcodeDetector" in window && navigator.mediaDevices) {
      box.hidden = false;
      var video = box.querySelector("[data-camera-video]");
      var status = box.querySelector("[data-camera-status]");
      box.querySelector("[data-camera-start]").addEventListener("click", function () {
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
          .then(function (stream) {
            video.srcObject = stream;
            video.hidden = false;
            return video.play().then(function () {
              function look() {
                detector.detect(video).then(function (codes) {
                  if (codes.length) {
                    stream.getTracks().forEach(function (t) { t.stop(); });
                    field.value = codes[0].rawValue;
                    form.submit();
                  } else {
                    window.requestAnimationFrame(look);
                  }
                }).catch(function () { window.setTimeout(look, 300); });
              }
              look();
            });
          })
          .catch(function () {
            if (status) status.textContent = status.getAttribute("data-error") || "";
          });
      });
    }
  }
  var print = document.querySelector("[data-print]");
  if (print) print.addEventListener("click", function () { window.print(); });
  var note = document.querySelector("[data-return-url]");
  if (note) {
    window.setTimeout(function () {
      window.location.href = note.getAttribute("data-return-url");
    }, (parseInt(note.getAttribute("data-return-seconds"), 10) || 60) * 1000);
  }
})();
