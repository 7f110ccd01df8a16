import type { Service, ServiceContext } from '../lib/lifecycle.js';
import type { UbusArgs, UbusMethod } from '../lib/ubus/types.js';
import { UBUS_STATUS, UbusError } from '../lib/ubus/types.js';
import { TELEMETRY_MODES, type TelemetryConfig, type TelemetryMode } from './config.js';
import { RpcRouter } from './downlink/rpc-router.js';
import { HISTORY_WINDOW_MS, historyIntervalFromEnv, TelemetryHistory } from './history.js';
import { IngestPipeline } from './ingest/pipeline.js';
import type { TopicVars } from './ingest/topic.js';
import { Intake } from './intake.js';
import { LocalBroker } from './local/client.js';
import type { QueueStats, TelemetryQueue } from './queue-port.js';
import { RuleEngine } from './rules/engine.js';
import { BoundedMap } from './rules/types.js';
import { TelemetryMetrics } from './status.js';
import { Forwarder } from './upstream/forwarder.js';
import { gatewayId } from './upstream/session.js';
import { UpstreamResolver } from './upstream/resolver.js';

export type QueueOpener = (config: TelemetryConfig, context: ServiceContext<TelemetryConfig>) => Promise<TelemetryQueue>;

/** Room for `{"<meter>":[` framing around one entry in a batch. */
const BATCH_FRAMING_BYTES = 96;
/** A dead letter carries at most this much of the rejected payload (`truncated`, `payload_bytes` say so). */
const DEAD_LETTER_PAYLOAD_BYTES = 4096;
/** Packets up to max_payload_bytes plus this (topic, message id) are parsed; larger ones are skipped unread. */
const PACKET_MARGIN_BYTES = 1024;

/** `durable: false` is a queue in RAM (tmpfs/ramfs); `limited_by_disk`: free space, not queue_max_mb, is the limit. */
function capacityStatus(capacity: QueueStats['capacity']): UbusArgs {
  if (!capacity) return {};
  return {
    durable: capacity.durable, file_system: capacity.fileSystem, limit_bytes: capacity.limitBytes,
    limited_by_disk: capacity.limitedByDisk, free_bytes: capacity.freeBytes,
  };
}

/** Records lost with damaged queue files at the last open, with when they had been enqueued (s). */
function lossStatus(recovery: NonNullable<QueueStats['recovery']>): UbusArgs {
  return {
    records: recovery.lostRecords,
    ranges: recovery.lostRanges.map((range) => ({ count: range.count, from: Math.floor(range.fromMs / 1000), to: Math.ceil(range.toMs / 1000) })),
  };
}

/** The forwarder: local broker -> intake -> disk queue -> ThingsBoard, plus downlink RPC. */
export class TelemetryService implements Service<TelemetryConfig> {
  private config: TelemetryConfig;
  private modeOverride: TelemetryMode | undefined;
  private queue: TelemetryQueue | undefined;
  private local: LocalBroker | undefined;
  private intake: Intake | undefined;
  private forwarder: Forwarder | undefined;
  private rpc: RpcRouter | undefined;
  private resolver: UpstreamResolver | undefined;
  private readonly meters: BoundedMap<TopicVars>;
  private readonly metrics: TelemetryMetrics;
  private readonly history: TelemetryHistory;
  private lastError = '';

  constructor(private readonly context: ServiceContext<TelemetryConfig>, private readonly openQueue: QueueOpener, options: { historyIntervalMs?: number } = {}) {
    this.config = context.config;
    this.meters = new BoundedMap(context.config.dedup_max_meters);
    this.metrics = new TelemetryMetrics(context.metrics);
    this.history = new TelemetryHistory({
      readingsIn: () => this.metrics.readingsIn.get(),
      readingsOut: () => this.metrics.readingsOut.get(),
      rejects: () => this.metrics.rejectsTotal(),
      depth: () => ({ alarm: 0, event: 0, telemetry: 0, ...this.queue?.stats().depth }),
      oldestAgeS: () => { const age = this.queue?.stats().oldestAgeMs; return age ? Math.round(age / 1000) : 0; },
    }, { intervalMs: options.historyIntervalMs ?? historyIntervalFromEnv() });
  }

  get mode(): TelemetryMode { return this.modeOverride ?? this.config.mode; }

  async start(): Promise<void> {
    if (!this.config.enabled) { this.history.start(); this.context.log.notice('disabled in configuration'); return; }
    if (!this.queue) {
      this.queue = await this.openQueue(this.config, this.context);
      await this.raiseLossAlarms(this.queue);
    }
    this.history.start();
    this.build();
  }

  async stop(): Promise<void> {
    this.history.stop();
    await this.teardown();
    await this.queue?.close();
    this.queue = undefined;
  }

  /** procd reloads every smartgrid service on any commit to the package: an unchanged section is a no-op. */
  async reload(config: TelemetryConfig): Promise<void> {
    if (JSON.stringify(config) === JSON.stringify(this.config) && (this.forwarder || !config.enabled)) return;
    const queueChanged = ['queue_dir', 'queue_mount_point', 'queue_max_mb', 'queue_min_free_mb', 'queue_max_age', 'queue_fsync_interval_ms', 'enabled'].some(
      (key) => config[key as keyof TelemetryConfig] !== this.config[key as keyof TelemetryConfig]);
    await this.teardown();
    if (queueChanged) { await this.queue?.close(); this.queue = undefined; }
    this.config = config;
    await this.start().catch((error: Error) => { this.lastError = error.message; throw error; });
  }

  /**
   * ubus `set_mode`. The LTE watchdog calls it when the uplink changes (WAN lost -> data-saving, WAN
   * back -> normal) or the LTE quota runs out (critical-only), so every call is also taken as a hint
   * that the path to ThingsBoard may have changed: the upstream session is checked at once.
   */
  setMode(mode: TelemetryMode, uplinkMoved = false): void {
    const previous = this.mode;
    this.modeOverride = mode;
    this.forwarder?.update(this.forwarderTiming());
    this.context.log.notice('mode changed', { mode, previous });
    void this.forwarder?.checkUplink(`set_mode ${mode}${uplinkMoved ? ' (uplink moved)' : ''}`, uplinkMoved);
  }

  status(): UbusArgs {
    const queue = this.queue?.stats();
    const state = !this.config.enabled ? 'disabled' : this.forwarder?.state ?? 'starting';
    return {
      mode: this.mode,
      connection: state,
      uplink_check: this.forwarder?.lastUplinkCheck ? { ...this.forwarder.lastUplinkCheck, at: Math.round(this.forwarder.lastUplinkCheck.at / 1000) } : {},
      upstream: this.forwarder?.url ?? '',
      upstream_address: this.resolver?.last ? { ...this.resolver.last, error: this.resolver.lastError } : {},
      connected_since: this.forwarder?.connectedSince ? Math.round(this.forwarder.connectedSince / 1000) : 0,
      local_broker: this.local?.connected ? 'connected' : 'disconnected',
      queue: queue ? {
        state: this.intake?.blockedReason ? 'queue-full' : queue.state,
        depth: { ...queue.depth },
        oldest_age_s: queue.oldestAgeMs === null ? 0 : Math.round(queue.oldestAgeMs / 1000),
        bytes: queue.bytes,
        disk_bytes: queue.diskBytes,
        segments: queue.segments,
        ...capacityStatus(queue.capacity),
        ...(queue.recovery?.lostRecords ? { lost: lossStatus(queue.recovery) } : {}),
      } : { state: 'closed' },
      ingest_blocked: this.intake?.blockedReason ?? '',
      ingest_pending: this.intake?.waitingMessages ?? 0,
      ...this.metrics.rates(),
      rejects: this.metrics.rejectsByReason(),
      duplicates: this.metrics.duplicates.get(),
      ...this.metrics.recent(),
      last_error: this.intake?.blockedReason || queue?.lastError || this.forwarder?.lastError || this.local?.lastError || this.lastError,
    };
  }

  methods(): Record<string, UbusMethod> {
    return {
      flush: { handler: () => { this.forwarder?.flush(); return { flushed: true, queued: this.queueDepth() }; } },
      set_mode: {
        signature: { mode: 'string', reconnect: 'boolean' },
        handler: (args) => {
          const mode = TELEMETRY_MODES.find((known) => known === args.mode);
          if (!mode) throw new UbusError(UBUS_STATUS.INVALID_ARGUMENT, `mode must be one of ${TELEMETRY_MODES.join(', ')}`);
          this.setMode(mode, args.reconnect === true);
          return { mode: this.mode };
        },
      },
      history: {
        signature: { since: 'int64' },
        handler: (args) => {
          if (args.since !== undefined && typeof args.since !== 'number') throw new UbusError(UBUS_STATUS.INVALID_ARGUMENT, 'since must be a time in ms');
          return { interval_s: this.history.intervalMs / 1000, window_s: HISTORY_WINDOW_MS / 1000, samples: this.history.samples(args.since as number | undefined) as unknown as UbusArgs[] };
        },
      },
      stats: { handler: () => ({ ...this.metrics.totals(), rpc_calls: this.rpc?.calls ?? 0, rpc_timeouts: this.rpc?.timeouts ?? 0, queue: this.queue?.stats() as unknown as UbusArgs ?? {} }) },
    };
  }

  /**
   * Records lost with damaged queue files go upstream as alarm records of the gateway device (one per
   * lost range, its time the range's start, so a repeat after a restart overwrites the same point) and
   * as a `queue-loss` event.
   */
  private async raiseLossAlarms(queue: TelemetryQueue): Promise<void> {
    const recovery = queue.stats().recovery;
    if (!recovery?.lostRecords) return;
    const device = gatewayId(this.config);
    const records = recovery.lostRanges.map((range) => ({
      priority: 'alarm' as const, key: device,
      payload: Buffer.from(JSON.stringify({ ts: range.fromMs, values: {
        alarm_rule: 'queue-loss', alarm_key: 'queued_records', alarm_value: range.count, lost_from: range.fromMs, lost_to: range.toMs,
        alarm_reason: `${range.count} queued records lost with a damaged queue file (enqueued ${new Date(range.fromMs).toISOString()}..${new Date(range.toMs).toISOString()})`,
      } })),
    }));
    this.context.emit('queue-loss', { records: recovery.lostRecords, ranges: recovery.lostRanges.length });
    await queue.append(records).catch((error: Error) => this.context.log.error('could not queue the loss alarm', { error: error.message }));
  }

  private queueDepth(): number {
    const depth = this.queue?.stats().depth;
    return depth ? depth.alarm + depth.event + depth.telemetry : 0;
  }

  private forwarderTiming() {
    const saving = this.mode === 'data-saving';
    return {
      lingerMs: saving ? this.config.data_saving_interval * 1000 : this.config.batch_interval_ms,
      dropUnchanged: saving && this.config.data_saving_drop_unchanged,
      criticalOnly: this.mode === 'critical-only',
    };
  }

  private build(): void {
    const { config, context } = this;
    const log = context.log;
    const queue = this.queue!;
    const warnInvalid = (entry: string) => log.warn('ignoring malformed list entry', { entry });
    const pipeline = new IngestPipeline({
      topicPatterns: config.topic_pattern, obisMap: config.obis_map, maxPayloadBytes: config.max_payload_bytes,
      dedupWindow: config.dedup_window, dedupMaxMeters: config.dedup_max_meters, onInvalidObisEntry: warnInvalid,
      allowedMeters: config.meter_allow, newMetersPerSecond: config.new_meter_rate,
    });
    const rules = new RuleEngine({
      range: config.rule_range, rate: config.rule_rate, zscoreKeys: config.zscore_keys, zscoreWindow: config.zscore_window,
      zscoreThreshold: config.zscore_threshold, maxMeters: config.dedup_max_meters, onInvalid: warnInvalid,
    });
    const resolver = new UpstreamResolver({ host: config.upstream_host, resolvFile: config.upstream_resolv_file, timeoutMs: 2000 });
    this.resolver = resolver;
    const forwarder = new Forwarder({
      queue, upstream: config, resolver, log: log.child('upstream'), batchMaxBytes: config.batch_max_bytes, batchMaxReadings: config.batch_max_readings,
      maxInflight: config.max_inflight, maxAnnounced: config.dedup_max_meters, backoffInitialMs: config.backoff_initial_ms, backoffMaxMs: config.backoff_max_ms, ...this.forwarderTiming(),
      onConnect: () => context.emit('connect', { upstream: forwarder.url }),
      onDisconnect: (reason) => context.emit('disconnect', { upstream: forwarder.url, reason }),
      onRpc: (payload) => this.rpc?.handleRequest(payload),
      onSent: (readings, bytes) => this.metrics.sent(readings, bytes),
    });
    const local = new LocalBroker({
      host: config.broker_host, port: config.broker_port, clientId: config.broker_client_id,
      username: config.broker_username, password: config.broker_password, filters: [...new Set(pipeline.patterns.map((p) => p.wideFilter))], log: log.child('local'),
      maxPacketBytes: config.max_payload_bytes + PACKET_MARGIN_BYTES,
    });
    const rpc = new RpcRouter({
      commandTopic: config.command_topic, replyTopic: config.command_reply_topic, timeoutMs: config.rpc_timeout_ms, log: log.child('rpc'),
      lookup: (meter) => this.meters.get(meter),
      publishLocal: (topic, payload) => local.publish(topic, payload),
      publishUpstream: (payload) => forwarder.publishRpc(payload),
    });
    local.subscribe([rpc.replyPattern.filter]);
    const intake = new Intake({
      pipeline, rules, queue, log: log.child('ingest'), maxEntryBytes: config.batch_max_bytes - BATCH_FRAMING_BYTES,
      deadLetter: (topic, payload, rejection) => {
        if (!this.metrics.deadLetters.allow()) return;
        const truncated = payload.length > DEAD_LETTER_PAYLOAD_BYTES;
        local.publish(config.dead_letter_topic, JSON.stringify({
          topic, reason: rejection.reason, detail: rejection.detail, index: rejection.index, received_at: Date.now(),
          payload: payload.subarray(0, DEAD_LETTER_PAYLOAD_BYTES).toString('base64'), ...(truncated ? { truncated: true, payload_bytes: payload.length } : {}),
        }));
      },
      onReject: (topic, rejection) => this.metrics.rejected(topic, rejection),
      onDuplicate: (count) => this.metrics.duplicates.inc(count),
      onAnomaly: (anomaly) => { this.metrics.anomaly(anomaly); if (this.metrics.allowAnomalyEvent()) context.emit('anomaly', { ...anomaly }); },
      onAccepted: (count) => { this.metrics.accepted(count); forwarder.notify(); },
      onMeter: (meter, vars) => { if (this.meters.get(meter)?.dcu !== vars.dcu || this.meters.get(meter)?.region !== vars.region) this.meters.set(meter, vars); },
      onBlocked: (error) => { if (error) context.emit('queue-full', { error }); },
      onPressure: (high) => (high ? local.pause() : local.resume()),
    });
    local.on('oversized', (publish, ack) => {
      const detail = `packet of ${publish.packetBytes} bytes exceeds max_payload_bytes ${config.max_payload_bytes}: skipped unread`;
      intake.refuse(publish.topic, publish.head, { reason: 'too-large', detail }, ack);
    });
    local.on('message', (topic, payload, ack) => {
      if (rpc.handleReply(topic, payload)) { ack(); return; }
      // Our own dead letters and commands may fall under a wide ingest filter: never ingest them.
      if (topic === config.dead_letter_topic || rpc.isCommandTopic(topic)) { ack(); return; }
      intake.handle(topic, payload, ack);
    });
    this.local = local;
    this.intake = intake;
    this.forwarder = forwarder;
    this.rpc = rpc;
    forwarder.start();
    local.start();
  }

  private async teardown(): Promise<void> {
    this.intake?.close();
    this.rpc?.stop();
    await Promise.all([this.local?.stop(), this.forwarder?.stop()]);
    this.local = this.intake = this.forwarder = this.rpc = undefined;
  }
}
