import { describe, expect, it } from 'vitest';
import { describeRules, ruleProblem, type RuleKeywords, type RuleName } from '../../../src/lib/config/rules.js';
import { validateSection, type SectionSchema } from '../../../src/lib/config/validate.js';

const XSS = '<img src=x onerror=alert(1)>';

const ACCEPTED: Record<RuleName, string[]> = {
  host: ['mqtt.example.com', 'localhost', '192.0.2.1', '2001:db8::1', '::1', 'fe80::1%eth0', 'a-b.c0'],
  hostname: ['openwrt.org', 'tb.example.com.', 'x'],
  'ip-address': ['1.1.1.1', '0.0.0.0', '2001:db8:0:0:0:0:0:1', '::ffff:192.0.2.1'],
  'host-port': ['9.9.9.9', '9.9.9.9#53', 'dns.example:5353', '[2001:db8::53]:53', '2001:db8::53#53'],
  url: ['http://192.0.2.1/generate_204', 'https://connectivity.example.com:8443/x?y=1', 'http://[2001:db8::1]/'],
  interface: ['wan', 'wwan', 'lan_6', 'LTE1'],
  netdev: ['eth0', 'eth0.2', 'br-lan', 'wwan0', 'wlan0@phy'],
  path: ['/etc/smartgrid/lte', '/mnt/ssd/smartgrid', '/srv/x+y@z_1.d'],
  topic: ['telemetry/r1/d1', 'alarms'],
  'topic-filter': ['telemetry/+/+/#', '#', '+', 'a/b'],
  text: ['Gateway 12', 'sub station north'],
};

const REFUSED: Record<RuleName, string[]> = {
  host: [XSS, 'a..b', 'host_name', '256.1.1.1', '1.2.3', 'exa mple.com', `${'a'.repeat(64)}.com`],
  hostname: ['1.1.1.1', '-bad', 'bad-.com'],
  'ip-address': ['example.com', '1.1.1', '2001:db8:::1', '1:2:3:4:5:6:7:8:9'],
  'host-port': ['9.9.9.9#0', '9.9.9.9#70000', 'dns.example:', '[example.com]:53'],
  url: ['ftp://x/', 'http://', 'http://user@host/', `http://x/${XSS}`, 'javascript:alert(1)'],
  interface: ['-a', 'wan.2', 'a-b', 'x'.repeat(16), XSS],
  netdev: ['-a', '..', 'eth 0', 'a/b', 'x'.repeat(16)],
  path: ['/', 'relative/dir', '/etc/../shadow', '/mnt//x', '/mnt/x/', '/mnt/-rf', '/mnt/a b', XSS],
  topic: ['a/+/b', 'a/#'],
  'topic-filter': ['a/b#', 'a/+b/c', 'a/#/b'],
  text: [XSS, 'a; reboot', ' padded', '$(id)'],
};

describe('the shared rule vocabulary', () => {
  for (const [name, values] of Object.entries(ACCEPTED)) {
    it.each(values)(`${name} accepts %s`, (value) => {
      expect(ruleProblem({ 'x-rule': name as RuleName }, value)).toBeUndefined();
    });
  }
  for (const [name, values] of Object.entries(REFUSED)) {
    it.each(values)(`${name} refuses %s`, (value) => {
      expect(ruleProblem({ 'x-rule': name as RuleName }, value)).toMatch(/^(is not|starts with|contains)/);
    });
  }

  it('treats an empty value as not set', () => {
    expect(ruleProblem({ 'x-rule': 'host' }, '')).toBeUndefined();
  });

  it('refuses control characters and a leading - whatever the rule', () => {
    expect(ruleProblem({ 'x-rule': 'text' }, 'a\nb')).toBe('contains control characters');
    expect(ruleProblem({ 'x-rule': ['host', 'url'] }, '-c1')).toBe("starts with '-' (it would be read as an option); it must be a host name or IP address or an http(s) URL");
  });

  it('keeps a path under its prefixes, not beside them', () => {
    const keywords: RuleKeywords = { 'x-rule': 'path', 'x-path-prefixes': ['/etc/smartgrid', '/mnt/'] };
    expect(ruleProblem(keywords, '/etc/smartgrid')).toBeUndefined();
    expect(ruleProblem(keywords, '/mnt/ssd')).toBeUndefined();
    expect(ruleProblem(keywords, '/etc/smartgrid-evil')).toBe('is not an absolute path under /etc/smartgrid or /mnt/');
    expect(ruleProblem(keywords, '/tmp/x')).toBe('is not an absolute path under /etc/smartgrid or /mnt/');
  });

  it('says which rule a schema names that does not exist', () => {
    expect(ruleProblem({ 'x-rule': 'nonsense' as RuleName }, 'x')).toBe("names the unknown rule 'nonsense'");
    expect(describeRules({ 'x-rule': ['host', 'url'] })).toBe('a host name or IP address or an http(s) URL');
  });
});

describe('rules in a section schema', () => {
  const schema: SectionSchema = {
    $id: 'smartgrid.sample',
    type: 'object',
    additionalProperties: false,
    properties: {
      server: { type: 'string', default: 'localhost', 'x-rule': 'host' },
      targets: { type: 'array', default: [], items: { type: 'string', 'x-rule': ['ip-address', 'url'] } },
      token: { type: 'string', default: '', 'x-rule': 'text', 'x-secret': true },
    },
  };

  it('refuses every bad value with the option, the value and the rule; keeps good ones', () => {
    const result = validateSection(schema, new Map<string, string | string[]>([['server', XSS], ['targets', ['1.1.1.1', '-f']]]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { path: 'smartgrid.sample.server', value: XSS, rule: 'rule host', message: `smartgrid.sample.server: value '${XSS}' is not a host name or IP address` },
      {
        path: 'smartgrid.sample.targets', value: '-f', rule: 'rule ip-address|url',
        message: "smartgrid.sample.targets: value '-f' starts with '-' (it would be read as an option); it must be an IPv4 or IPv6 address or an http(s) URL",
      },
    ]);
  });

  it('never shows a secret it refuses', () => {
    const result = validateSection(schema, new Map([['token', 'abc;def']]));
    expect(result.ok || result.issues[0]!.message).toBe("smartgrid.sample.token: value '***' is not plain text (no markup, quotes or shell characters)");
  });
});
