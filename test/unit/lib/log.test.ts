import { describe, expect, it } from 'vitest';
import { createLogger, isSecretKey, memorySink, RateLimitedLog, SecretRegistry } from '../../../src/lib/log.js';

describe('logger', () => {
  it('prefixes lines with level and namespace and honours the level', () => {
    const sink = memorySink();
    const log = createLogger({ name: 'smartgrid-telemetry', level: 'info', sink });
    log.debug('hidden');
    log.child('queue').warn('segment recovered', { records: 12, file: '/mnt/ssd/q 1' });
    expect(sink.lines).toEqual(['warn: [smartgrid-telemetry.queue] segment recovered records=12 file="/mnt/ssd/q 1"']);
    log.setLevel('debug');
    log.debug('shown');
    expect(sink.lines[1]).toBe('debug: [smartgrid-telemetry] shown');
  });

  it('never writes secret fields or registered secret values', () => {
    const sink = memorySink();
    const secrets = new SecretRegistry();
    secrets.add('s3cr3t-token-value');
    const log = createLogger({ name: 'x', sink, secrets });
    log.info('connecting with s3cr3t-token-value', { access_token: 'abc123', sae_password: 'hunter22', tls_key_file: '/etc/k.pem', nested: { api_key: 'zzz' } });
    const line = sink.lines.join('\n');
    expect(line).not.toContain('s3cr3t-token-value');
    expect(line).not.toContain('abc123');
    expect(line).not.toContain('hunter22');
    expect(line).not.toContain('zzz');
    expect(line).toContain('tls_key_file=/etc/k.pem');
  });

  it('classifies option names', () => {
    for (const name of ['access_token', 'sae_password', 'network_key', 'pin', 'psk', 'api_key']) expect(isSecretKey(name), name).toBe(true);
    for (const name of ['ping_targets', 'tls_key_file', 'keepalive', 'broker', 'key_id', 'topic']) expect(isSecretKey(name), name).toBe(false);
  });

  it('rate-limits repeated warnings and reports the suppressed count', () => {
    const sink = memorySink();
    let now = 0;
    const limited = new RateLimitedLog(createLogger({ name: 'x', sink }), 1000, () => now);
    limited.warn('bad', 'rejected');
    limited.warn('bad', 'rejected');
    limited.warn('bad', 'rejected');
    now = 1500;
    limited.warn('bad', 'rejected');
    expect(sink.lines).toEqual(['warn: [x] rejected', 'warn: [x] rejected suppressed=2']);
  });
});

describe('stdio sink', () => {
  it('stops writing to a stream whose reader is gone instead of failing in a loop', async () => {
    const { PassThrough } = await import('node:stream');
    const { stdioSink } = await import('../../../src/lib/log.js');
    const out = new PassThrough();
    const err = new PassThrough();
    const written: string[] = [];
    out.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const log = createLogger({ name: 'x', sink: stdioSink({ out, err }) });
    log.info('first');
    out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    log.info('second');
    log.error('to stderr');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.join('')).toBe('info: [x] first\n');
    expect(err.read()?.toString()).toBe('error: [x] to stderr\n');
  });
});
