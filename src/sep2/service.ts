import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Service, ServiceContext } from '../lib/lifecycle.js';
import type { UbusArgs, UbusMethod } from '../lib/ubus/types.js';
import { GatewayClock } from './clock.js';
import { clientView } from './client-view.js';
import type { Sep2Config } from './config.js';
import { SEP2_EVENTS, type Sep2ClientsReply, type Sep2StatusReply } from './contract.js';
import { DeviceRegistry, type EndDeviceRecord } from './devices.js';
import { Discovery } from './discovery.js';
import { route, type RouterContext } from './http/router.js';
import { createSep2Server, type IncomingSep2 } from './http/server.js';
import { ReadingIngest } from './ingest.js';
import { LocalBrokerLink } from '../lib/local-broker.js';
import { MirrorTopic } from './mirrors/forward.js';
import { MirrorStore } from './mirrors/store.js';
import { parsePosixTz } from './time-zone.js';
import { loadServerCredentials, type CertificateSummary } from './tls/credentials.js';
import { profileTlsOptions } from './tls/server-options.js';
import { UsagePointStore } from './usage-points.js';

/** Options whose change needs a new listener or a new broker session (the rest apply in place). */
const LISTENER_OPTIONS = ['listen_address', 'port', 'cert_file', 'key_file', 'ca_file', 'ciphers'] as const;
const BROKER_OPTIONS = ['broker_host', 'broker_port', 'broker_username', 'broker_password', 'reading_topic'] as const;

function changed(before: Sep2Config, after: Sep2Config, keys: readonly (keyof Sep2Config)[]): boolean {
  return keys.some((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

export class Sep2Service implements Service<Sep2Config> {
  private config: Sep2Config;
  private readonly devices: DeviceRegistry;
  private readonly usagePoints: UsagePointStore;
  private readonly mirrors: MirrorStore;
  private mirrorTopic: MirrorTopic;
  private clock: GatewayClock;
  private ingest: ReadingIngest;
  private broker: LocalBrokerLink | undefined;
  private server: Server | undefined;
  private certificate: CertificateSummary | undefined;
  private readonly discovery: Discovery;
  private readonly counters = { requests: 0, errors: 0, tlsFailures: 0, lastError: '' };

  constructor(private readonly context: ServiceContext<Sep2Config>) {
    this.config = context.config;
    this.checkConfig(context.config);
    this.devices = new DeviceRegistry(context.config);
    this.usagePoints = new UsagePointStore(context.config.pen);
    this.mirrors = new MirrorStore(context.config.max_mirrors);
    this.mirrorTopic = new MirrorTopic(context.config.mirror_topic);
    this.clock = this.makeClock(context.config);
    this.ingest = new ReadingIngest(context.config.reading_topic, this.usagePoints, () => this.mirrorTopic);
    this.discovery = new Discovery({ ubus: context.ubus, log: context.log.child('discovery') });
  }

  async start(): Promise<void> {
    if (!this.config.enabled) {
      this.context.log.notice('disabled by smartgrid.sep2.enabled');
      return;
    }
    this.startBroker();
    await this.clock.read();
    await this.listen();
  }

  async reload(config: Sep2Config): Promise<void> {
    this.checkConfig(config);
    const before = this.config;
    this.config = config;
    this.devices.apply(config);
    this.mirrors.capacity = config.max_mirrors;
    this.mirrorTopic = new MirrorTopic(config.mirror_topic);
    this.clock = this.makeClock(config);
    if (!config.enabled) { await this.shutdown(); return; }
    if (!this.broker || changed(before, config, BROKER_OPTIONS)) {
      await this.broker?.stop();
      this.ingest = new ReadingIngest(config.reading_topic, this.usagePoints, () => this.mirrorTopic);
      this.startBroker();
    }
    if (!this.server || changed(before, config, LISTENER_OPTIONS)) {
      await this.closeListener();
      await this.listen();
    } else if (before.mdns !== config.mdns) {
      await this.announce();
    }
  }

  async stop(): Promise<void> {
    await this.shutdown();
  }

  status(): UbusArgs {
    return { ...this.statusReply() };
  }

  statusReply(): Sep2StatusReply {
    const seen = this.devices.list().filter((device) => device.lastSeen !== undefined);
    const address = this.server?.address() as AddressInfo | null | undefined;
    return {
      listening: !!address,
      address: address?.address ?? this.config.listen_address,
      port: address?.port ?? this.config.port,
      ciphers: [...this.config.ciphers],
      certificate: this.certificate ?? {},
      clients_seen: seen.length,
      clients_registered: this.devices.list().filter((device) => device.role).length,
      requests: this.counters.requests,
      errors: this.counters.errors,
      tls_failures: this.counters.tlsFailures,
      last_error: this.counters.lastError,
      usage_points: this.usagePoints.size,
      mirrors: this.mirrors.size,
      local_broker: this.broker?.connected ? 'connected' : 'disconnected',
      time_quality: this.clock.lastQuality,
      discovery: this.discovery.state,
      recent: seen.sort((a, b) => (b.lastSeen ?? 0) - (a.lastSeen ?? 0)).slice(0, 5).map(clientView),
    };
  }

  methods(): Record<string, UbusMethod> {
    return {
      clients: { handler: (): UbusArgs => ({ ...this.clientsReply() }) },
    };
  }

  clientsReply(): Sep2ClientsReply {
    return { clients: this.devices.list().map(clientView) };
  }

  /** What the schema cannot see: the client lists as a whole and the time zone's rules. */
  private checkConfig(config: Sep2Config): void {
    const problems = DeviceRegistry.problems(config);
    if (config.timezone) {
      try { parsePosixTz(config.timezone); } catch (error) { problems.push(`timezone: ${(error as Error).message}`); }
    }
    if (problems.length) throw new Error(problems.join('; '));
  }

  private makeClock(config: Sep2Config): GatewayClock {
    return new GatewayClock({ ntpStateFile: config.ntp_state_file, ntpMaxAgeS: config.ntp_max_age, timezone: config.timezone });
  }

  private startBroker(): void {
    const { config } = this;
    this.broker = new LocalBrokerLink({
      host: config.broker_host, port: config.broker_port, username: config.broker_username, password: config.broker_password,
      clientId: `smartgrid-sep2-${process.pid}`, filters: [this.ingest.filter], log: this.context.log.child('broker'),
      onMessage: (topic, payload) => this.ingest.take(topic, payload),
    });
    this.broker.start();
  }

  private routerContext(): RouterContext {
    const broker = () => this.broker;
    return {
      devices: this.devices,
      unknownClients: () => this.config.unknown_clients,
      read: {
        devices: this.devices, usagePoints: this.usagePoints, mirrors: this.mirrors, clock: this.clock,
        pollRate: () => this.config.poll_rate, postRate: () => this.config.post_rate,
      },
      mirrors: {
        mirrors: this.mirrors, topic: () => this.mirrorTopic, now: () => Math.floor(Date.now() / 1000),
        publisher: { publish: (topic, payload) => broker()!.publish(topic, payload) },
      },
      onAnswered: (client, request, status) => this.answered(client, request, status),
    };
  }

  private answered(client: EndDeviceRecord | undefined, request: IncomingSep2, status: number): void {
    this.counters.requests++;
    if (status >= 400) {
      this.counters.errors++;
      this.counters.lastError = `${status} ${request.method} ${request.url.pathname} from ${request.identity.lfdi}`;
    }
    if (!client) return;
    const first = client.lastSeen === undefined;
    client.lastSeen = Math.floor(Date.now() / 1000);
    client.lastRequest = `${request.method} ${request.url.pathname} ${status}`;
    client.requests++;
    if (status >= 400) client.errors++;
    if (first && !client.role) {
      this.context.log.notice('unknown client registered itself', { lfdi: client.lfdi, sfdi: client.sfdi });
      this.context.emit(SEP2_EVENTS.clientRegistered, { lfdi: client.lfdi, sfdi: client.sfdi });
    }
  }

  private async listen(): Promise<void> {
    const { config, context } = this;
    const credentials = await loadServerCredentials(config);
    this.certificate = credentials.summary;
    const router = this.routerContext();
    const server = createSep2Server({
      tls: profileTlsOptions(credentials, config.ciphers),
      maxBodyBytes: () => this.config.max_body_bytes,
      log: context.log,
      handle: (request) => route(router, request),
      onTlsError: (message) => {
        this.counters.tlsFailures++;
        context.log.debug('TLS handshake refused', { error: message });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.listen_address, () => { server.off('error', reject); resolve(); });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    context.log.info('listening', { address: address.address, port: address.port, ciphers: config.ciphers.join(':') });
    await this.announce();
  }

  private async announce(): Promise<void> {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return;
    await this.discovery.apply(this.config.mdns ? address.port : undefined);
  }

  private async closeListener(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async shutdown(): Promise<void> {
    await this.discovery.apply(undefined);
    await this.closeListener();
    await this.broker?.stop();
    this.broker = undefined;
  }
}
