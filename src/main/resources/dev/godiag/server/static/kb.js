// godiag serve: the knowledge base's filter as you type (the same rule as the server's ?q=: every
// word must appear in the card's text). Without script the search form still filters on the server.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var input = document.getElementById('kb-q');
    var count = document.getElementById('kb-count');
    var none = document.getElementById('kb-none');
    if (!input || !count) { return; }
    var items = Array.prototype.slice.call(document.querySelectorAll('li.card-item'));
    var topics = Array.prototype.slice.call(document.querySelectorAll('section.kb-topic'));
    var total = count.getAttribute('data-total');
    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
      var shown = 0;
      items.forEach(function (li) {
        var text = li.getAttribute('data-search') || '';
        var ok = terms.every(function (t) { return text.indexOf(t) >= 0; });
        li.hidden = !ok;
        if (ok) { shown++; }
      });
      topics.forEach(function (s) {
        var visible = s.querySelectorAll('li.card-item:not([hidden])').length;
        s.hidden = visible === 0;
        var c = s.querySelector('.count');
        if (c) { c.textContent = String(visible); }
      });
      count.textContent = terms.length === 0 ? total + ' cards' : shown + ' of ' + total + ' cards match';
      if (none) { none.hidden = shown !== 0; }
    }
    input.addEventListener('input', apply);
  });
})();
