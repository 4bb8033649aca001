/* Live updates for the waiting-room display and the citizen's phone page (plain fetch polling;
   the pages work without it). An element with data-poll-url is refreshed every
   data-poll-seconds with the HTML the server renders. On the display, a new call is written
   into the ARIA live region and, once sound is switched on (browsers require a gesture),
   spoken with the Web Speech API after a short chime made with the Web Audio API. */
(function () {
  "use strict";
  var region = document.querySelector("[data-poll-url]");
  if (!region || !window.fetch) return;
  var url = region.getAttribute("data-poll-url");
  var seconds = parseInt(region.getAttribute("data-poll-seconds"), 10) || 10;
  var announce = document.querySelector("[data-announce]");
  var toggle = document.querySelector("[data-sound-toggle]");
  var soundOn = false;
  var audio = null;
  var lang = document.documentElement.lang === "en" ? "en-CA" : "id-ID";

  function latest() {
    var el = region.querySelector("[data-latest]");
    return el ? { key: el.getAttribute("data-latest"), say: el.getAttribute("data-say") } : {};
  }

  function chime() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    audio = audio || new Ctx();
    [880, 660].forEach(function (freq, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var start = audio.currentTime + i * 0.35;
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.32);
    });
  }

  function speak(text) {
    if (!("speechSynthesis" in window) || !text) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    window.setTimeout(function () { window.speechSynthesis.speak(utterance); }, 800);
  }

  if (toggle) {
    toggle.addEventListener("click", function () {
      soundOn = !soundOn;
      toggle.setAttribute("aria-pressed", soundOn ? "true" : "false");
      if (soundOn) chime();
    });
  }

  var current = latest().key;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        if (html !== region.innerHTML) region.innerHTML = html;
        var now = latest();
        if (now.key && now.key !== current) {
          current = now.key;
          if (announce && now.say) announce.textContent = now.say;
          if (soundOn) { chime(); speak(now.say); }
        }
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () { window.setTimeout(poll, seconds * 3000); });
  }
  window.setTimeout(poll, seconds * 1000);
})();
