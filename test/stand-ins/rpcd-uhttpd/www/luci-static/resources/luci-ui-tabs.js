// Stand-in for LuCI 24.10's `ui.tabs` (luci-base ui.js): on 'luci-loaded' it takes every
// `[data-tab]` element of the page (except `li` of a `ul.cbi-tabmenu`) for a tab pane, groups panes
// by parent, inserts a `ul.cbi-tabmenu` before each group and selects the tab remembered in
// sessionStorage. Same grouping, selection and failure modes as the real one: markup that is not
// LuCI's own tab panes gets a stray tab menu, and a remembered index with no pane behind it throws
// the TypeError real LuCI throws (reading 'classList'). Test stand-in only.
(function () {
  'use strict';

  function isEmpty(node, ignore) {
    for (var child = node ? node.firstElementChild : null; child != null; child = child.nextElementSibling)
      if (!child.classList.contains('hidden') && !(ignore && ignore(child))) return false;
    return true;
  }

  var tabs = {
    init: function () {
      var groups = [], prevGroup = null, currGroup = null;
      document.querySelectorAll('[data-tab]').forEach(function (tab) {
        var parent = tab.parentNode;
        if (tab.matches('li') && parent.matches('ul.cbi-tabmenu')) return;
        if (!parent.hasAttribute('data-tab-group')) parent.setAttribute('data-tab-group', groups.length);
        currGroup = +parent.getAttribute('data-tab-group');
        if (currGroup !== prevGroup) { prevGroup = currGroup; if (!groups[currGroup]) groups[currGroup] = []; }
        groups[currGroup].push(tab);
      });
      for (var i = 0; i < groups.length; i++) this.initTabGroup(groups[i]);
    },

    initTabGroup: function (panes) {
      if (!panes || panes.length === 0) return;
      var menu = E('ul', { 'class': 'cbi-tabmenu' }), group = panes[0].parentNode, selected = null;
      if (group.getAttribute('data-initialized') === 'true') return;
      for (var i = 0, pane; (pane = panes[i]); i++) {
        var active = pane.getAttribute('data-tab-active') === 'true';
        menu.appendChild(E('li', {
          'style': this.isEmptyPane(pane) ? 'display:none' : null,
          'class': active ? 'cbi-tab' : 'cbi-tab-disabled',
          'data-tab': pane.getAttribute('data-tab')
        }, E('a', { 'href': '#' }, pane.getAttribute('data-tab-title'))));
        if (active) selected = i;
      }
      group.parentNode.insertBefore(menu, group);
      group.setAttribute('data-initialized', true);
      if (selected === null) {
        selected = this.getActiveTabId(panes[0]);
        if (selected < 0 || selected >= panes.length || this.isEmptyPane(panes[selected]))
          for (var j = 0; j < panes.length; j++) if (!this.isEmptyPane(panes[j])) { selected = j; break; }
        menu.childNodes[selected].classList.add('cbi-tab');
        menu.childNodes[selected].classList.remove('cbi-tab-disabled');
        panes[selected].setAttribute('data-tab-active', 'true');
        this.setActiveTabId(panes[selected], selected);
      }
    },

    isEmptyPane: function (pane) {
      return isEmpty(pane, function (n) { return n.classList.contains('cbi-tab-descr'); });
    },

    getPathForPane: function (pane) {
      var path = [];
      for (var node = pane ? pane.parentNode : null; node != null && node.hasAttribute != null; node = node.parentNode) {
        if (node.hasAttribute('data-tab')) path.unshift(node.getAttribute('data-tab'));
        else if (node.hasAttribute('data-section-id')) path.unshift(node.getAttribute('data-section-id'));
      }
      return path.join('/');
    },

    getActiveTabState: function () {
      var page = document.body.getAttribute('data-page');
      try {
        var state = JSON.parse(window.sessionStorage.getItem('tab'));
        if (state.page === page && state.paths && typeof state.paths === 'object') return state;
      } catch (e) { /* no state yet */ }
      window.sessionStorage.removeItem('tab');
      return { page: page, paths: {} };
    },

    getActiveTabId: function (pane) {
      return +this.getActiveTabState().paths[this.getPathForPane(pane)] || 0;
    },

    setActiveTabId: function (pane, index) {
      var state = this.getActiveTabState();
      state.paths[this.getPathForPane(pane)] = index;
      window.sessionStorage.setItem('tab', JSON.stringify(state));
    }
  };

  L.ui = Object.assign(L.ui || {}, { tabs: tabs });
  document.addEventListener('luci-loaded', function () { tabs.init(); });
})();
