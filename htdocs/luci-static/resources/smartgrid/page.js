'use strict';
'require baseclass';

// Shared by the thin LuCI views in view/smartgrid/: each one loads its preact bundle
// smartgrid/<name>.js and mounts it. The bundle talks JSON-RPC to /ubus itself, polls, and saves
// configuration with uci apply/confirm, so LuCI's own Save/Apply/Reset footer is switched off
// (as status pages do).

// The app's stylesheet (shipped beside the bundles), once per page.
function loadStyle() {
	if (document.querySelector('link[data-smartgrid-style]'))
		return;

	document.head.appendChild(E('link', {
		'rel': 'stylesheet',
		'href': L.resource('smartgrid/smartgrid.css') + '?v=' + encodeURIComponent(L.env.resource_version || ''),
		'data-smartgrid-style': 'true'
	}));
}

function loadBundle(name) {
	if (window.SmartGrid && window.SmartGrid[name])
		return Promise.resolve();

	return new Promise(function(resolve, reject) {
		var script = document.createElement('script');
		script.src = L.resource('smartgrid/' + name + '.js') + '?v=' + encodeURIComponent(L.env.resource_version || '');
		script.onload = function() { resolve(); };
		script.onerror = function() { reject(new Error('Cannot load ' + script.src)); };
		document.head.appendChild(script);
	});
}

return baseclass.extend({
	// Members for view.extend(): a page that mounts bundle `name` under the heading `title`.
	bundleView: function(name, title) {
		return {
			load: function() {
				loadStyle();
				return loadBundle(name);
			},

			render: function() {
				var root = E('div', { 'class': 'smartgrid-page', 'id': 'smartgrid-' + name });

				window.SmartGrid[name].mount(root, {
					ubuspath: L.env.ubuspath,
					sessionid: L.env.sessionid,
					pollinterval: L.env.pollinterval,
					apply_rollback: L.env.apply_rollback,
					apply_holdoff: L.env.apply_holdoff,
					nodespec: L.env.nodespec
				});

				return E([], [
					E('h2', { 'name': 'content' }, title),
					root
				]);
			},

			handleSaveApply: null,
			handleSave: null,
			handleReset: null
		};
	}
});
