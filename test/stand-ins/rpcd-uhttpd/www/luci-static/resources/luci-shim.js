// A minimal stand-in for LuCI's JS runtime (luci.js): enough of L, E, _ and the `view` class
// to load real LuCI view modules ('use strict'; 'require view'; return view.extend({...})).
// Test stand-in only; on the device LuCI's own runtime does this.
(function () {
  'use strict';
  var env = window.__LUCI_ENV__ || {};

  function E(tag, attrs, children) {
    if (attrs !== undefined && (Array.isArray(attrs) || typeof attrs !== 'object' || attrs instanceof Node)) { children = attrs; attrs = {}; }
    var node = Array.isArray(tag) ? document.createDocumentFragment() : document.createElement(tag);
    if (!Array.isArray(tag)) {
      Object.keys(attrs || {}).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined) return;
        if (typeof value === 'function') node.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
        else node.setAttribute(key, typeof value === 'object' ? JSON.stringify(value) : value);
      });
    }
    (function append(items) {
      if (items === null || items === undefined) return;
      if (Array.isArray(items)) { items.forEach(append); return; }
      node.appendChild(items instanceof Node ? items : document.createTextNode(String(items)));
    })(children);
    return node;
  }

  function extend(proto) {
    function View() {}
    View.prototype = Object.assign({
      load: function () { return Promise.resolve(); },
      render: function () { return E('div'); },
      handleSaveApply: function () {}, handleSave: function () {}, handleReset: function () {}
    }, proto);
    return View;
  }

  function footer(instance) {
    var buttons = [];
    if (instance.handleSaveApply) buttons.push(E('button', { 'class': 'cbi-button cbi-button-apply' }, 'Save & Apply'));
    if (instance.handleSave) buttons.push(E('button', { 'class': 'cbi-button cbi-button-save' }, 'Save'));
    if (instance.handleReset) buttons.push(E('button', { 'class': 'cbi-button cbi-button-reset' }, 'Reset'));
    return buttons.length ? E('div', { 'class': 'cbi-page-actions' }, buttons) : null;
  }

  var modules = {
    view: { extend: extend },
    poll: { add: function (fn, s) { return setInterval(fn, (s || env.pollinterval || 5) * 1000); }, remove: clearInterval }
  };

  window.E = E;
  var catalogue = window.__LUCI_I18N__ || {};
  window._ = function (text) { return catalogue[text] || text; };
  window.L = {
    env: env,
    resource: function () { return [env.resource].concat([].slice.call(arguments)).join('/'); },
    url: function () { return [env.scriptname].concat([].slice.call(arguments)).join('/'); },
    loadView: function (path) {
      var target = document.getElementById('view');
      return fetch(env.resource + '/view/' + path + '.js?v=' + env.resource_version)
        .then(function (response) { if (!response.ok) throw new Error('HTTP ' + response.status); return response.text(); })
        .then(function (source) {
          var names = [], args = [];
          source.replace(/^\s*'require\s+([\w.]+)';/gm, function (_m, name) {
            var short = name.split('.').pop();
            names.push(short);
            args.push(modules[short] || {});
          });
          var View = new Function(names.join(','), source).apply(window, args);
          var instance = new View();
          return Promise.resolve(instance.load()).then(function (data) { return instance.render(data); }).then(function (node) {
            target.innerHTML = '';
            target.appendChild(node);
            var actions = footer(instance);
            if (actions) target.appendChild(actions);
          });
        })
        .catch(function (error) {
          target.innerHTML = '';
          target.appendChild(E('div', { 'class': 'alert-message error' }, 'Unable to load the view: ' + error.message));
        });
    }
  };
})();
