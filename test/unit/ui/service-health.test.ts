import { describe, expect, it } from 'vitest';
import { modemStaleAt, telemetryHealth } from '../../../src/ui/lib/services.js';

const healthy = { state: 'running', connection: 'connected', local_broker: 'connected', ingest_blocked: '' };

describe('what the overview says about a service', () => {
  it('judges telemetry from ingest and delivery, not from the upstream socket alone', () => {
    expect(telemetryHealth(healthy)).toBe('ok');
    expect(telemetryHealth({ ...healthy, local_broker: 'disconnected' })).toBe('local broker down');
    expect(telemetryHealth({ ...healthy, ingest_blocked: 'disk full' })).toBe('queue-full');
    expect(telemetryHealth({ ...healthy, connection: 'backoff' })).toBe('upstream down');
    expect(telemetryHealth({ ...healthy, config_errors: [{ message: 'x' }] })).toBe('config-error');
    expect(telemetryHealth({ state: 'start-failed' })).toBe('start-failed');
    expect(telemetryHealth(undefined)).toBeUndefined();
  });

  it('modem values are stale from the first failed read on, with when they were read', () => {
    expect(modemStaleAt({ modem_read_at: 1000 })).toBeUndefined();
    expect(modemStaleAt({ modem_read_at: 1000, modem_error: { kind: 'timeout' } })).toBe(1000);
    expect(modemStaleAt({ modem_read_at: null, modem_error: { kind: 'timeout' } })).toBe(0);
  });
});
