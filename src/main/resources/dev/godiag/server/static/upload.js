// godiag serve: the upload, history, report and compare pages' behaviour (no dependencies, nothing
// from the network). Every string from the server or a file goes on screen as textContent.
(function () {
  'use strict';
  var TOKEN_KEY = 'godiag-token';
  var POLL_MS = 700;

  function byId(id) { return document.getElementById(id); }

  function token() {
    try { return localStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }
  function keepToken(t) {
    try {
      if (t) { localStorage.setItem(TOKEN_KEY, t); } else { localStorage.removeItem(TOKEN_KEY); }
    } catch (e) { /* storage disabled: asked again next time */ }
  }
  function authorize(xhr) {
    var t = token();
    if (t) { xhr.setRequestHeader('Authorization', 'Bearer ' + t); }
  }

  // The server's one-line error of an answer, or what the status says.
  function errorOf(xhr) {
    try {
      var body = JSON.parse(xhr.responseText);
      if (body && typeof body.error === 'string') { return body.error; }
    } catch (e) { /* not JSON */ }
    return xhr.status ? 'the server answered HTTP ' + xhr.status : 'the server could not be reached';
  }

  function request(method, url, body, onDone, onProgress) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, url);
    authorize(xhr);
    if (onProgress) { xhr.upload.addEventListener('progress', onProgress); }
    xhr.addEventListener('load', function () { onDone(xhr); });
    xhr.addEventListener('error', function () { onDone(xhr); });
    xhr.send(body);
    return xhr;
  }

  // On a 401: show the token box once; saving the token runs retry.
  function askToken(retry) {
    var box = byId('token-box'), input = byId('token'), save = byId('token-save');
    keepToken(null);
    box.hidden = false;
    input.focus();
    save.onclick = function () {
      var t = input.value.trim();
      if (!t) { input.focus(); return; }
      keepToken(t);
      input.value = '';
      box.hidden = true;
      retry();
    };
    // Enter in the box saves the token (it would otherwise submit the form without it)
    input.onkeydown = function (e) {
      if (e.key === 'Enter') { e.preventDefault(); save.onclick(); }
    };
  }

  function size(b) {
    return b >= 1048576 ? (b / 1048576).toFixed(1) + ' MiB' : b >= 1024 ? (b / 1024).toFixed(1) + ' KiB' : b + ' B';
  }

  // Polls an upload until it is no longer pending; says where it stands meanwhile.
  function follow(id, say, done) {
    function poll() {
      request('GET', '/api/uploads/' + encodeURIComponent(id), null, function (xhr) {
        if (xhr.status !== 200) {
          say(null, errorOf(xhr));
          setTimeout(poll, POLL_MS * 3);
          return;
        }
        var u = JSON.parse(xhr.responseText);
        if (u.status === 'pending') {
          say(u.progress || 'waiting for the analysis');
          setTimeout(poll, POLL_MS);
        } else {
          done(u);
        }
      });
    }
    poll();
  }

  // ---- the upload page

  function uploadPage(form) {
    var picked = [];
    var input = byId('files'), list = byId('picked'), drop = byId('drop');
    var bar = byId('upload-progress'), text = byId('upload-text'), error = byId('upload-error');
    var button = byId('upload-button');

    function show() {
      list.textContent = '';
      picked.forEach(function (f, i) {
        var li = document.createElement('li');
        li.textContent = f.name + ' (' + size(f.size) + ') ';
        var x = document.createElement('button');
        x.type = 'button';
        x.className = 'remove';
        x.textContent = '×';
        x.title = 'remove ' + f.name;
        x.addEventListener('click', function () { picked.splice(i, 1); show(); });
        li.appendChild(x);
        list.appendChild(li);
      });
      drop.classList.toggle('has-files', picked.length > 0);
    }
    function add(files) {
      for (var i = 0; i < files.length; i++) { picked.push(files[i]); }
      show();
    }
    function fail(message) {
      error.textContent = message;
      error.hidden = false;
      bar.hidden = true;
      text.textContent = '';
      button.disabled = false;
    }

    input.addEventListener('change', function () { add(input.files); input.value = ''; });
    ['dragenter', 'dragover'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove('over'); });
    });
    drop.addEventListener('drop', function (e) {
      if (e.dataTransfer && e.dataTransfer.files) { add(e.dataTransfer.files); }
    });

    function send() {
      error.hidden = true;
      if (!picked.length) { fail('choose one or more files first'); return; }
      var body = new FormData();
      picked.forEach(function (f) { body.append('file', f, f.name); });
      ['service', 'version', 'labels'].forEach(function (n) {
        var v = byId(n).value.trim();
        if (v) { body.append(n, v); }
      });
      button.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      text.textContent = 'sending…';
      request('POST', '/api/uploads', body, function (xhr) {
        if (xhr.status === 401) {
          fail(errorOf(xhr));
          askToken(send);
          return;
        }
        if (xhr.status !== 201) {
          fail(errorOf(xhr));
          var failed = null;
          try { failed = JSON.parse(xhr.responseText).url; } catch (e) { /* no record */ }
          if (failed && /^\/uploads\/[a-z0-9]+$/.test(failed)) {
            var a = document.createElement('a');
            a.href = failed;
            a.textContent = 'open the failed upload';
            error.appendChild(document.createTextNode(' — '));
            error.appendChild(a);
          }
          return;
        }
        var u = JSON.parse(xhr.responseText);
        bar.value = 1; // all sent; the analysis's progress is the text
        form.dataset.upload = u.id;
        var go = function () { location.href = '/uploads/' + encodeURIComponent(u.id); };
        if (u.status !== 'pending') { go(); return; }
        text.textContent = 'stored; ' + (u.progress || 'queued');
        follow(u.id, function (progress, problem) {
          text.textContent = problem ? problem : 'stored; ' + progress;
        }, go);
      }, function (e) {
        if (e.lengthComputable && e.total > 0) {
          bar.value = e.loaded / e.total;
          text.textContent = 'sending ' + size(e.loaded) + ' of ' + size(e.total) + ' ('
            + Math.floor(100 * e.loaded / e.total) + '%)';
        }
      });
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); send(); });
  }

  // ---- an upload's page

  function reportPage(head) {
    var id = head.dataset.id;
    if (head.dataset.status === 'pending') {
      var progress = byId('progress');
      follow(id, function (p, problem) { progress.textContent = problem ? problem : p; },
        function () { location.reload(); });
    }
    var again = byId('reanalyse-form'), error = byId('action-error');
    if (again) {
      var reanalyse = function () {
        error.hidden = true;
        request('POST', '/api/uploads/' + encodeURIComponent(id) + '/reanalyse', null, function (xhr) {
          if (xhr.status === 202) { location.reload(); return; }
          error.textContent = errorOf(xhr);
          error.hidden = false;
          if (xhr.status === 401) { askToken(reanalyse); }
        });
      };
      again.addEventListener('submit', function (e) { e.preventDefault(); reanalyse(); });
    }
  }

  // ---- the history: exactly two ticked rows make a compare

  function historyPage(form) {
    var button = byId('compare-ticked'), hint = byId('compare-hint');
    function update() {
      var n = form.querySelectorAll('input.pick:checked').length;
      button.disabled = n !== 2;
      hint.textContent = n === 2 ? 'the older is the base' : 'tick two analysed uploads (' + n + ' ticked)';
    }
    form.addEventListener('change', update);
    update();
  }

  document.addEventListener('DOMContentLoaded', function () {
    var f = byId('upload-form');
    if (f) { uploadPage(f); }
    var head = byId('upload');
    if (head) { reportPage(head); }
    var c = byId('compare-form');
    if (c) { historyPage(c); }
  });
})();
