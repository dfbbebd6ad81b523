// godiag serve: the pages' small script (no dependencies, nothing from the network).
// Theme: the system's unless the user picked one; the choice is kept in localStorage.
(function () {
  'use strict';
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem('godiag-theme');
    if (saved === 'light' || saved === 'dark') { root.setAttribute('data-theme', saved); }
  } catch (e) { /* storage disabled: the system's theme */ }
  document.addEventListener('DOMContentLoaded', function () {
    var t = document.getElementById('theme-toggle');
    if (!t) { return; }
    t.addEventListener('click', function () {
      var dark = root.getAttribute('data-theme') === 'dark' ||
        (!root.hasAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
      var next = dark ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem('godiag-theme', next); } catch (e) { /* not kept */ }
    });
  });
})();
