/* unspin HTML report: link the findings list to the highlighted spans. No network, no libraries. */
(function () {
  "use strict";
  var body = document.body;
  var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function marksOf(fid) {
    return Array.prototype.slice.call(document.querySelectorAll('mark.f[data-finding="' + fid + '"]'));
  }

  function flash(els) {
    els.forEach(function (el) {
      el.classList.remove("flash");
      void el.offsetWidth; // restart the animation
      el.classList.add("flash");
    });
    window.setTimeout(function () {
      els.forEach(function (el) { el.classList.remove("flash"); });
    }, 1900);
  }

  function pageTop(el) {
    return el.getBoundingClientRect().top + window.pageYOffset;
  }

  /* Bring both spans into view when they fit on one screen, else the candidate (or, for an
     omission, the source) span. */
  function reveal(els, instant) {
    if (!els.length) return;
    var cand = els.filter(function (m) { return m.getAttribute("data-side") === "c"; });
    var src = els.filter(function (m) { return m.getAttribute("data-side") === "s"; });
    var primary = cand[0] || src[0];
    var group = [cand[0], src[0]].filter(Boolean);
    var top = Math.min.apply(null, group.map(pageTop));
    var bottom = Math.max.apply(null, group.map(function (m) { return pageTop(m) + m.getBoundingClientRect().height; }));
    var room = window.innerHeight - 80;
    var target = bottom - top < room ? (top + bottom) / 2 : pageTop(primary) + primary.getBoundingClientRect().height / 2;
    window.scrollTo({ top: Math.max(0, target - window.innerHeight / 2), behavior: reduce || instant ? "auto" : "smooth" });
  }

  function select(fid, fromText, instant) {
    var cards = document.querySelectorAll(".finding.active, mark.f.active");
    Array.prototype.forEach.call(cards, function (el) { el.classList.remove("active"); });
    var card = document.getElementById(fid);
    var els = marksOf(fid);
    if (card) {
      card.classList.add("active");
      if (fromText) card.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
    }
    els.forEach(function (m) { m.classList.add("active"); });
    if (!fromText) reveal(els, instant);
    flash(els);
    if (history.replaceState) history.replaceState(null, "", "#" + fid);
  }

  // findings list: the whole card is the target; the id button keeps it reachable by keyboard
  var cards = document.querySelectorAll(".finding");
  var located = 0;
  Array.prototype.forEach.call(cards, function (card) {
    var fid = card.getAttribute("data-finding");
    var n = marksOf(fid).length;
    card.setAttribute("data-marks", String(n));
    if (n) located += 1;
    card.addEventListener("click", function (ev) {
      if (window.getSelection && String(window.getSelection()).length) return; // let people copy text
      ev.preventDefault();
      select(fid, false);
    });
  });

  // highlights in the text: select their finding in the list
  Array.prototype.forEach.call(document.querySelectorAll("mark.f"), function (m) {
    m.addEventListener("click", function (ev) {
      ev.stopPropagation();
      select(m.getAttribute("data-finding"), true);
    });
  });

  // legend: show or hide a finding type
  Array.prototype.forEach.call(document.querySelectorAll(".legend-item"), function (btn) {
    btn.addEventListener("click", function () {
      var type = btn.getAttribute("data-type");
      var on = btn.getAttribute("aria-pressed") !== "false";
      btn.setAttribute("aria-pressed", on ? "false" : "true");
      body.classList.toggle("hide-" + type, on);
    });
  });

  body.classList.remove("no-js");
  body.classList.add("js-ready");
  body.setAttribute("data-findings", String(cards.length));
  body.setAttribute("data-located", String(located));

  if (location.hash && /^#F\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1))) {
    select(location.hash.slice(1), false, true);
  }
})();
