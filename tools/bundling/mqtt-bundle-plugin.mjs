// esbuild plugin for the service bundles: trims mqtt.js to what the services use on a gateway.
// - `rfdc/default` (mqtt.js's packet clone) -> cloneSharingBuffers below.
// - `ws`, `socks` and `worker-timers`: mqtt.js evaluates its websocket, SOCKS proxy and browser
//   web-worker timer support when it loads or connects; the services speak mqtt:// and mqtts:// only,
//   so these become small modules that fail with a clear message if they are ever used.
// - `readable-stream` (mqtt.js, mqtt-packet, bl): node's own `stream`, exported as readable-stream 4
//   exports it when READABLE_STREAM=disable. Its bundled copy of node's streams is 116 KB of source
//   that every service would load and keep (idle RSS), for what node >= 18 already has.

/**
 * Stands in for `rfdc/default` inside mqtt.js. mqtt.js deep-clones every QoS>0 PUBLISH before putting it
 * into its outgoing store, and rfdc copies Buffers: each 60 KB telemetry batch would be copied once
 * more and left to the garbage collector, the largest source of transient memory in a backlog drain.
 * This clone copies plain objects and arrays (what mqtt.js changes on its copy: the topic and MQTT 5
 * properties) and shares Buffers and every other value. That is safe for the services: they never
 * change a payload before its acknowledgement and never reuse a client after its connection closed.
 */
export function cloneSharingBuffers(value) {
  if (Array.isArray(value)) return value.map(cloneSharingBuffers);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out = {};
  for (const key of Object.keys(value)) out[key] = cloneSharingBuffers(value[key]);
  return out;
}

const STUBS = {
  ws: `function WebSocket() { throw new Error('mqtt over websockets is not included in the smartgrid bundles (use mqtt:// or mqtts://)'); }
module.exports = WebSocket; module.exports.default = WebSocket; module.exports.WebSocket = WebSocket;`,
  socks: `class SocksClient { constructor() { throw new Error('SOCKS proxies are not supported by the smartgrid bundles (unset MQTTJS_SOCKS_PROXY)'); } }
module.exports = { SocksClient };`,
  'worker-timers': `module.exports = { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (id) => clearInterval(id) };`,
  'readable-stream': `const Stream = require('stream');
for (const name of ['_uint8ArrayToBuffer', '_isUint8Array', 'isDisturbed', 'isErrored', 'isReadable', 'Readable', 'Writable', 'Duplex', 'Transform',
  'PassThrough', 'addAbortSignal', 'finished', 'destroy', 'pipeline', 'compose', 'promises', 'Stream']) module.exports[name] = Stream[name];`,
};

const CLONE = `${cloneSharingBuffers.toString()}
module.exports = cloneSharingBuffers; module.exports.default = cloneSharingBuffers;`;

const MODULES = { ...STUBS, 'rfdc/default': CLONE };

export function mqttBundlePlugin() {
  return {
    name: 'smartgrid-mqtt-bundle',
    setup(build) {
      build.onResolve({ filter: /^rfdc\/default$/ }, (args) => (/[\\/]node_modules[\\/]mqtt[\\/]/.test(args.importer) ? { path: 'rfdc/default', namespace: 'smartgrid-mqtt-stub' } : undefined));
      build.onResolve({ filter: new RegExp(`^(${Object.keys(STUBS).join('|')})$`) }, (args) => ({ path: args.path, namespace: 'smartgrid-mqtt-stub' }));
      build.onLoad({ filter: /.*/, namespace: 'smartgrid-mqtt-stub' }, (args) => ({ contents: MODULES[args.path], loader: 'js' }));
    },
  };
}
