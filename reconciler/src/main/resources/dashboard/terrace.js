// The dashboard's script: no build step, no library. It keeps the page current without reloading
// it (a small poll of /api/version, then the page's live parts swapped in), applies the fleet's
// filters as they change, keeps relative times current, and asks before an action is posted.
(function () {
  'use strict';
  var version = null;
  var POLL_MS = 2000;

  function relative(iso) {
    var s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    var future = s < 0;
    s = Math.abs(s);
    if (!future && s < 5) { return 'just now'; }
    var span = s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min'
      : s < 86400 ? Math.floor(s / 3600) + ' h' : Math.floor(s / 86400) + ' d';
    return future ? 'in ' + span : span + ' ago';
  }

  function tick() {
    document.querySelectorAll('time[datetime]').forEach(function (t) {
      t.textContent = relative(t.getAttribute('datetime'));
    });
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    document.querySelectorAll('[data-live]').forEach(function (el) {
      var fresh = doc.getElementById(el.id);
      if (fresh) { el.innerHTML = fresh.innerHTML; }
    });
    tick();
  }

  function reload(url) {
    return fetch(url || location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(swap);
  }

  function poll() {
    fetch('/api/version', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        var running = document.querySelector('.progress') !== null;
        if ((version !== null && j.version !== version) || running) { return reload().then(function () { version = j.version; }); }
        version = j.version;
      })
      .catch(function () { /* the daemon restarts: try again */ })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  function filtersUrl(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) { params.append(key, value); } });
    var q = params.toString();
    return '/' + (q ? '?' + q : '');
  }

  function applyFilters(form) {
    var url = filtersUrl(form);
    history.replaceState(null, '', url);
    reload(url);
  }

  var filters = document.getElementById('filters');
  if (filters) {
    var timer = null;
    filters.addEventListener('change', function () { applyFilters(filters); });
    filters.addEventListener('input', function (e) {
      if (e.target.type !== 'search') { return; }
      clearTimeout(timer);
      timer = setTimeout(function () { applyFilters(filters); }, 250);
    });
    filters.addEventListener('submit', function (e) { e.preventDefault(); applyFilters(filters); });
  }

  // An action form (data-confirm) is posted only once the dialog is confirmed.
  var dialog = document.getElementById('confirm');
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.hasAttribute('data-confirm') || !dialog || typeof dialog.showModal !== 'function') { return; }
    e.preventDefault();
    document.getElementById('confirm-text').textContent = form.getAttribute('data-confirm');
    dialog.returnValue = '';
    dialog.onclose = function () {
      if (dialog.returnValue !== 'ok') { return; }
      fetch(form.action, { method: 'POST', credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function () { return reload(); });
    };
    dialog.showModal();
  });

  tick();
  setInterval(tick, 15000);
  poll();
}());
