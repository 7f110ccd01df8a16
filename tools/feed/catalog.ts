/**
 * The one description of every package this feed ships: names, dependencies, texts, conffiles,
 * services. `make ipk` builds from it and test/unit/pkg checks the OpenWrt recipes in package/
 * against it, so the two ways of building cannot drift apart.
 */

export type ServiceName = 'thread' | 'halow' | 'lte' | 'telemetry' | 'sep2';

export interface ServiceSpec {
  /** UCI section (type and name) in /etc/config/smartgrid and ubus object `smartgrid.<name>`. */
  name: ServiceName;
  /** Seconds procd waits after SIGTERM before SIGKILL; the daemon drains within this bound. */
  termTimeout: number;
  /** node options on the procd command line, before the bundle. */
  nodeFlags: readonly string[];
  /** The bundle's command-line subcommands, offered as `/usr/bin/smartgrid-<name> <subcommand> ...`. */
  subcommands?: readonly string[];
}

export interface PackageSpec {
  name: string;
  /** `files`: the tree under package/<name>/files/ as it is (no bundle, no service). */
  kind: 'base' | 'service' | 'luci' | 'i18n' | 'files';
  /** Makefile TITLE, one line. */
  title: string;
  /** Control Description: first line is the summary. */
  description: string;
  section: string;
  /** OpenWrt package names, without the implicit libc. */
  depends: readonly string[];
  conffiles: readonly string[];
  service?: ServiceSpec;
  /** Source package (SourceName, Source) when it differs from `name`, as for LuCI translations. */
  sourceName?: string;
  /** Language code of a translation package. */
  lang?: string;
}

export const FEED_NAME = 'smartgrid';
export const LICENSE = 'Apache-2.0';
export const DEFAULT_MAINTAINER = 'smartgrid maintainers <smartgrid@example.invalid>';
export const UCI_CONFIG_PATH = '/etc/config/smartgrid';
/** The secret options (x-secret), mode 0600, write-only for the LuCI write group. */
export const UCI_SECRETS_PATH = '/etc/config/smartgrid_secrets';
export const BUNDLE_DIR = '/usr/lib/smartgrid';
export const SCHEMA_DIR = '/usr/share/smartgrid/schemas';
export const NODE_BINARY = '/usr/bin/node';
/** The oldest node the bundles run on (esbuild target node18; OpenWrt 23.05 ships node 18). */
export const NODE_MIN_MAJOR = 18;

/**
 * The LTE watchdog runs without V8's optimizing compiler: its work (mmcli JSON every few seconds, route
 * polls, probes) never gets hot, and the first optimization maps ~3.5 MB more of the node binary into
 * its RSS (bench/rss.bench.ts, bench/lte.bench.ts: idle peak 50 -> 47 MB, CPU unchanged at ~0.5 %).
 */
export const LTE_NODE_FLAGS: readonly string[] = ['--no-opt'];

/**
 * The telemetry forwarder runs on V8's interpreter only. A backlog drain is what sets its peak memory, and
 * the optimizing compiler alone costs ~13 MB there: its code pages in the node binary, compile zones and
 * per-thread malloc arenas (bench/telemetry.bench.ts, 1,000,000-reading drain on the 2-core x86_64 test
 * machine: 73.7 MB and 228,000 readings/s with TurboFan, 63.3 MB / 67,000/s with only the Sparkplug
 * baseline compiler (--no-opt), 60.3 MB / 48,000/s (73,000/s after the CRC change) interpreted; target
 * < 64 MB and >= 10,000/s). --optimize-for-size keeps the heap small, --no-expose-wasm silences node's
 * warning that --jitless turns WebAssembly off (nothing in the bundle uses it). Figures in
 * src/telemetry/README.md.
 */
export const TELEMETRY_NODE_FLAGS: readonly string[] = ['--optimize-for-size', '--jitless', '--no-expose-wasm'];

/**
 * The HaLow manager idles on V8's interpreter (bench/halow.bench.ts, 20 DCUs, broker connected, 2-core
 * x86_64: 67.9 MB RSS with no flags, 65.6 MB with --no-opt, 56.0 MB with these; 46.7 MB once mqtt.js stopped
 * pre-building its 65,536 message-id buffers (writeCache: false) and the bundle carried only its own section's
 * validator; CPU 0.05-0.25 %).
 */
export const HALOW_NODE_FLAGS: readonly string[] = ['--optimize-for-size', '--jitless', '--no-expose-wasm'];

/**
 * smartgrid-sep2 (IEEE 2030.5 server): V8's optimizing compiler stays on (TLS and XML per request are its
 * hot path), --optimize-for-size keeps the heap small (bench/sep2.bench.ts: requests/s and idle RSS).
 */
export const SEP2_NODE_FLAGS: readonly string[] = ['--optimize-for-size'];

/**
 * smartgrid-thread runs otbr-agent (OpenWrt package openthread-br, built from ot-br-posix; tested
 * against 72bd9dc / OpenThread 34bb0e4ab, RCP API 11) and sets the RCP's baud rate with stty, which
 * stock busybox lacks (coreutils-stty).
 */
export const THREAD_DEPENDS: readonly string[] = ['openthread-br', 'coreutils-stty'];

/**
 * The Thread bridge's work is a probe at start and a REST query every few seconds: it runs on the
 * interpreter with a small heap (bench/thread.bench.ts, serving a leader network on the 2-core test
 * machine: peak RSS 55 MB bare, 47-48 MB with these flags; target < 48 MB; idle CPU ~0.3 % either way).
 */
export const THREAD_NODE_FLAGS: readonly string[] = ['--optimize-for-size', '--jitless', '--no-expose-wasm'];

function servicePackage(name: ServiceName, title: string, description: string, termTimeout = 10, nodeFlags: readonly string[] = [], subcommands?: readonly string[]): PackageSpec {
  return {
    name: `smartgrid-${name}`,
    kind: 'service',
    title,
    description,
    section: 'net',
    depends: ['node', 'smartgrid-base'],
    conffiles: [],
    service: { name, termTimeout, nodeFlags, ...(subcommands ? { subcommands } : {}) },
  };
}

export const PACKAGES: readonly PackageSpec[] = [
  {
    name: 'smartgrid-base',
    kind: 'base',
    title: 'smartgrid shared configuration and schemas',
    description:
      'Shared files of the smartgrid edge-gateway services: the UCI configuration\n' +
      '/etc/config/smartgrid (one section per service), its secrets in\n' +
      '/etc/config/smartgrid_secrets (mode 0600) and the JSON Schemas.\n' +
      'Installing or removing any service package never replaces this configuration.',
    section: 'net',
    depends: [],
    conffiles: [UCI_CONFIG_PATH, UCI_SECRETS_PATH],
  },
  {
    ...servicePackage(
      'thread',
      'smartgrid Thread RCP bridge',
      'Thread RCP bridge of the smartgrid gateway: finds the OpenThread RCP dongle by identity,\n' +
        'probes it, runs otbr-agent on it with the Thread network from UCI and recovers it\n' +
        '(restart, re-probe, USB reset) when it hangs, resets or re-enumerates. Publishes ubus\n' +
        'smartgrid.thread. Needs openthread-br (otbr-agent) and coreutils-stty (baud rate).',
      10,
      THREAD_NODE_FLAGS,
    ),
    depends: ['node', 'smartgrid-base', ...THREAD_DEPENDS],
  },
  servicePackage(
    'halow',
    'smartgrid HaLow access point manager',
    'Wi-Fi HaLow (802.11ah) manager of the smartgrid gateway: regulatory S1G channel plans,\n' +
      'AP/STA/mesh/EasyMesh profiles rendered to UCI, WPA3-SAE with PMF, DCU presence from hostapd\n' +
      'and a site placement planner (smartgrid-halow plan). Publishes ubus smartgrid.halow.',
    10,
    HALOW_NODE_FLAGS,
    ['plan'],
  ),
  servicePackage(
    'lte',
    'smartgrid LTE/ModemManager watchdog',
    'LTE watchdog of the smartgrid gateway: modem, SIM, signal and bearer state from\n' +
      'ModemManager, connectivity probes, a bounded recovery ladder, failover timing and a\n' +
      'monthly data quota. Publishes ubus smartgrid.lte. Works with modemmanager and\n' +
      'luci-proto-modemmanager installed (recommended, not required: without a modem it reports so).',
    10,
    LTE_NODE_FLAGS,
  ),
  servicePackage(
    'telemetry',
    'smartgrid telemetry forwarder',
    'Telemetry forwarder of the smartgrid gateway: meter readings from local MQTT are\n' +
      'validated, normalised (OBIS), checked by edge rules, stored durably and forwarded to\n' +
      'ThingsBoard over MQTT/TLS with QoS 1. Publishes ubus smartgrid.telemetry.',
    15,
    TELEMETRY_NODE_FLAGS,
  ),
  servicePackage(
    'sep2',
    'smartgrid IEEE 2030.5 server',
    'IEEE 2030.5 (Smart Energy Profile 2.0) server of the smartgrid gateway: DeviceCapability,\n' +
      'Time, EndDevice, UsagePoint and MirrorUsagePoint resources over mutual TLS 1.2 with\n' +
      'ECDHE-ECDSA-AES128-CCM8, per-LFDI roles, mirrored readings into the telemetry path,\n' +
      'DNS-SD through umdns when installed. Publishes ubus smartgrid.sep2.',
    10,
    SEP2_NODE_FLAGS,
  ),
  {
    name: 'prometheus-node-exporter-lua-smartgrid',
    kind: 'files',
    title: 'Prometheus collector for the smartgrid services',
    description:
      'smartgrid health for prometheus-node-exporter-lua: telemetry queue, oldest reading,\n' +
      'readings in and out, upstream state, LTE signal, data and failover, Thread role and RCP,\n' +
      'HaLow DCU presence, as smartgrid_* metrics read from the services\' ubus status.',
    section: 'net',
    depends: ['prometheus-node-exporter-lua', 'libubus-lua'],
    conffiles: [],
  },
  {
    name: 'luci-app-smartgrid',
    kind: 'luci',
    title: 'LuCI support for the smartgrid gateway services',
    description:
      'LuCI pages to configure and monitor the smartgrid services (Thread, HaLow, LTE,\n' +
      'telemetry) through rpcd, UCI and their ubus objects.',
    section: 'luci',
    depends: ['luci-base', 'rpcd', 'smartgrid-base'],
    conffiles: [],
  },
];

export function packageSpec(name: string): PackageSpec {
  const spec = PACKAGES.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`unknown package '${name}' (known: ${PACKAGES.map((p) => p.name).join(', ')})`);
  return spec;
}

export type PackageFormat = 'ipk' | 'apk';

/**
 * Dependencies as the OpenWrt build writes them for each format: libc first, then the declared ones,
 * node with the oldest major the bundles run on. OpenWrt's node package versions carry node's 'v'
 * (v18.20.4-1), which opkg compares as text before the digits; apk versions have none (node>=18).
 */
export function packageDepends(spec: PackageSpec, format: PackageFormat): string[] {
  const node = format === 'ipk' ? `node (>= v${NODE_MIN_MAJOR})` : `node>=${NODE_MIN_MAJOR}`;
  return ['libc', ...spec.depends].map((dep) => (dep === 'node' ? node : dep));
}

/** The ipk Depends field. */
export function controlDepends(spec: PackageSpec): string[] {
  return packageDepends(spec, 'ipk');
}

/** What OpenWrt writes as Source for a package of this feed added with src-link. */
export function controlSource(spec: PackageSpec): string {
  return `feeds/${FEED_NAME}/${spec.sourceName ?? spec.name}`;
}

export const SERVICES: readonly ServiceName[] = ['thread', 'halow', 'lte', 'telemetry', 'sep2'];
