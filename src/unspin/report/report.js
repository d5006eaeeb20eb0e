/* unspin HTML report: link the findings list and the passage map to the text. No network, no libraries. */
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

  function each(sel, fn) { Array.prototype.forEach.call(document.querySelectorAll(sel), fn); }

  function clearPassage() {
    each(".p-on", function (el) { el.classList.remove("p-on"); });
  }

  function select(fid, fromText, instant) {
    clearPassage();
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

  // passages: a block of the map, a ribbon, a table row or a tag in the text selects the passage
  // on both sides; the sentences it covers carry data-passages="P1 P2"
  function sentsOf(pid) {
    return Array.prototype.slice.call(document.querySelectorAll('.sent[data-passages~="' + pid + '"]'));
  }

  /* Bring the start of a passage into view on both sides: its first candidate and first source
     sentence, below the sticky column heads; the candidate wins when both do not fit. */
  function revealPassage(cand, src, instant) {
    var group = [cand, src].filter(Boolean);
    if (!group.length) return;
    var top = Math.min.apply(null, group.map(pageTop));
    var bottom = Math.max.apply(null, group.map(function (el) { return pageTop(el) + Math.min(el.getBoundingClientRect().height, 120); }));
    var head = 64;
    if (cand && bottom - top > window.innerHeight - head - 40) top = pageTop(cand);
    window.scrollTo({ top: Math.max(0, top - head), behavior: reduce || instant ? "auto" : "smooth" });
  }

  function selectPassage(pid, instant) {
    var active = document.querySelectorAll(".finding.active, mark.f.active");
    Array.prototype.forEach.call(active, function (el) { el.classList.remove("active"); });
    clearPassage();
    var sents = sentsOf(pid);
    each('[data-passage="' + pid + '"]', function (el) { el.classList.add("p-on"); });
    sents.forEach(function (el) {
      el.classList.add("p-on");
      el.classList.remove("p-flash");
      void el.offsetWidth; // restart the animation
      el.classList.add("p-flash");
    });
    window.setTimeout(function () { sents.forEach(function (el) { el.classList.remove("p-flash"); }); }, 1700);
    var cand = sents.filter(function (el) { return el.id.charAt(0) === "c"; })[0];
    // on the source side, the passage's sentence (or "as above" reference) nearest the candidate's
    var src = null;
    sents.forEach(function (el) {
      if (el.id.charAt(0) === "c") return;
      if (!src || (cand && Math.abs(pageTop(el) - pageTop(cand)) < Math.abs(pageTop(src) - pageTop(cand)))) src = el;
    });
    revealPassage(cand, src, instant);
    body.setAttribute("data-passage", pid);
    if (history.replaceState) history.replaceState(null, "", "#" + pid);
  }

  each(".pblock, .ptag, .pid, .ribbon", function (el) {
    var pid = el.getAttribute("data-passage");
    el.addEventListener("click", function (ev) {
      ev.preventDefault();
      ev.stopPropagation();
      selectPassage(pid, false);
    });
    if (el.classList.contains("pblock") || el.classList.contains("ribbon")) {
      var hover = function (on) {
        each('.pblock[data-passage="' + pid + '"], .ribbon[data-passage="' + pid + '"]', function (x) {
          x.classList.toggle("p-hover", on);
        });
      };
      el.addEventListener("mouseenter", function () { hover(true); });
      el.addEventListener("mouseleave", function () { hover(false); });
      el.addEventListener("focus", function () { hover(true); });
      el.addEventListener("blur", function () { hover(false); });
    }
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

  body.setAttribute("data-passages", String(document.querySelectorAll(".pm-table tbody tr").length));

  if (location.hash && /^#F\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1))) {
    select(location.hash.slice(1), false, true);
  } else if (location.hash && /^#P\d+$/.test(location.hash) && sentsOf(location.hash.slice(1)).length) {
    selectPassage(location.hash.slice(1), true);
  }
})();
