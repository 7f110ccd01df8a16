// A minimal stand-in for LuCI's JS runtime (luci.js): enough of L, E, _, the `view` and `baseclass`
// classes and `'require a.b [as c]'` (resources/a/b.js) to load real LuCI view modules
// ('use strict'; 'require view'; return view.extend({...})) and the modules they require.
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

  // LuCI's class helper, as far as modules use it: extend() and isSubclass().
  function Class() {}
  Class.extend = function (members) {
    function Derived() {}
    Derived.prototype = Object.assign(Object.create(this.prototype), members);
    Derived.prototype.constructor = Derived;
    Derived.extend = Class.extend;
    Derived.isSubclass = Class.isSubclass;
    return Derived;
  };
  Class.isSubclass = function (candidate) {
    return typeof candidate === 'function' && candidate.prototype instanceof this;
  };

  var View = Class.extend({
    load: function () { return Promise.resolve(); },
    render: function () { return E('div'); },
    handleSaveApply: function () {}, handleSave: function () {}, handleReset: function () {}
  });

  function footer(instance) {
    var buttons = [];
    if (instance.handleSaveApply) buttons.push(E('button', { 'class': 'cbi-button cbi-button-apply' }, 'Save & Apply'));
    if (instance.handleSave) buttons.push(E('button', { 'class': 'cbi-button cbi-button-save' }, 'Save'));
    if (instance.handleReset) buttons.push(E('button', { 'class': 'cbi-button cbi-button-reset' }, 'Reset'));
    return buttons.length ? E('div', { 'class': 'cbi-page-actions' }, buttons) : null;
  }

  // LuCI's Poll: one 1 s tick for every poll function of the page; a function runs when the tick is a
  // multiple of its interval and not again before its promise settles. stop() pauses all of them.
  var Poll = {
    queue: [], tick: 0, timer: null,
    add: function (fn, interval) {
      if (!(interval > 0)) interval = env.pollinterval || 5;
      if (typeof fn !== 'function' || isNaN(interval)) throw new TypeError('Invalid argument to LuCI.poll.add()');
      if (this.queue.some(function (e) { return e.fn === fn; })) return false;
      this.queue.push({ r: true, i: interval, fn: fn });
      if (!this.active()) this.start();
      return true;
    },
    remove: function (fn) {
      var before = this.queue.length;
      this.queue = this.queue.filter(function (e) { return e.fn !== fn; });
      if (!this.queue.length) this.stop();
      return this.queue.length !== before;
    },
    start: function () {
      if (this.active()) return false;
      this.tick = 0;
      this.timer = window.setInterval(this.step.bind(this), 1000);
      document.dispatchEvent(new CustomEvent('poll-start'));
      return true;
    },
    stop: function () {
      if (!this.active()) return false;
      window.clearInterval(this.timer);
      this.timer = null;
      document.dispatchEvent(new CustomEvent('poll-stop'));
      return true;
    },
    step: function () {
      var tick = ++this.tick;
      this.queue.forEach(function (e) {
        if (!e.r || tick % e.i !== 0) return;
        e.r = false;
        Promise.resolve().then(e.fn).catch(function () {}).then(function () { e.r = true; });
      });
    },
    active: function () { return this.timer !== null; }
  };

  // Built-in classes and instances; any other 'require a.b' loads <resource>/a/b.js.
  var classes = {
    baseclass: Class,
    view: View,
    poll: Poll
  };

  function showModal(title, children) {
    var modal = E('div', { 'class': 'modal', 'role': 'dialog', 'aria-modal': 'true' }, [E('h4', {}, title), children]);
    document.body.appendChild(E('div', { 'id': 'modal_overlay' }, modal));
    document.body.classList.add('modal-overlay-active');
    return modal;
  }

  // What every LuCI page asks first (L.probeSystemFeatures); LuCI shows the RPCError when it is refused.
  function probeSystemFeatures() {
    var body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: [env.sessionid, 'luci', 'getFeatures', {}] });
    return fetch(env.ubuspath + '?' + Date.now(), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body })
      .then(function (response) { return response.json(); })
      .then(function (reply) {
        if (reply && reply.error)
          throw new Error('RPCError: RPC call to luci/getFeatures failed with error ' + reply.error.code + ': ' + reply.error.message);
      });
  }

  // The module's leading 'use strict' / 'require <name> [as <alias>]' strings, as LuCI reads them.
  function requires(source) {
    var found = [], literal = /(['"])((?:\\.|(?!\1)[^\\])*)\1/g, match;
    while ((match = literal.exec(source))) {
      var require = /^require[ \t]+(\S+)(?:[ \t]+as[ \t]+([a-zA-Z_]\S*))?$/.exec(match[2]);
      if (require) found.push({ name: require[1], alias: require[2] || require[1].replace(/[^a-zA-Z0-9_]/g, '_') });
      else if (!/^use[ \t]+strict$/.test(match[2])) break;
    }
    return found;
  }

  function fetchSource(path) {
    return fetch(env.resource + '/' + path + '.js?v=' + env.resource_version)
      .then(function (response) { if (!response.ok) throw new Error('HTTP ' + response.status + ' for ' + path + '.js'); return response.text(); });
  }

  // Runs a module with its dependencies as arguments; like LuCI, it must yield a class.
  function compile(name, source) {
    var deps = requires(source);
    return Promise.all(deps.map(function (dep) { return requireModule(dep.name); })).then(function (instances) {
      var params = ['window', 'document', 'L'].concat(deps.map(function (dep) { return dep.alias; }));
      var made = new Function(params.join(','), source).apply(window, [window, document, window.L].concat(instances));
      if (!Class.isSubclass(made)) throw new TypeError('"' + name + '" factory yields invalid constructor');
      return made;
    });
  }

  function requireModule(name) {
    if (!(name in classes))
      classes[name] = fetchSource(name.replace(/\./g, '/')).then(function (source) { return compile(name, source); })
        .then(function (Made) { return new Made(); });
    return Promise.resolve(classes[name]);
  }

  window.E = E;
  var catalogue = window.__LUCI_I18N__ || {};
  window._ = function (text) { return catalogue[text] || text; };
  window.L = {
    env: env,
    resource: function () { return [env.resource].concat([].slice.call(arguments)).join('/'); },
    url: function () { return [env.scriptname].concat([].slice.call(arguments)).join('/'); },
    Poll: Poll,
    ui: { showModal: showModal },
    // LuCI's own session expiry dialog (luci.js), raised when a call is refused and session.access fails too.
    notifySessionExpiry: function () {
      Poll.stop();
      showModal(_('Session expired'), [
        E('div', { 'class': 'alert-message warning' }, _('A new login is required since the authentication session expired.')),
        E('div', { 'class': 'right' }, E('div', { 'class': 'btn primary', 'id': 'luci-relogin', 'click': function () {
          window.location = location.protocol + '//' + location.host + location.pathname + location.search;
        } }, _('To login…')))
      ]);
      throw new Error('SessionError: Login session is expired');
    },
    loadView: function (path) {
      var target = document.getElementById('view');
      var failure = probeSystemFeatures().catch(function (error) {
        document.getElementById('maincontent').insertBefore(E('div', { 'class': 'alert-message error', 'id': 'luci-rpc-error' }, error.message), target);
      });
      return failure.then(function () { return fetchSource('view/' + path); })
        .then(function (source) { return compile('view.' + path.replace(/\//g, '.'), source); })
        .then(function (View) {
          var instance = new View();
          return Promise.resolve(instance.load()).then(function (data) { return instance.render(data); }).then(function (node) {
            target.innerHTML = '';
            target.appendChild(node);
            var actions = footer(instance);
            if (actions) target.appendChild(actions);
            // LuCI fires this once its DOM is set up; ui.tabs.init() and ui.changes.init() listen.
            document.dispatchEvent(new CustomEvent('luci-loaded'));
          });
        })
        .catch(function (error) {
          target.innerHTML = '';
          target.appendChild(E('div', { 'class': 'alert-message error' }, 'Unable to load the view: ' + error.message));
        });
    }
  };
})();
