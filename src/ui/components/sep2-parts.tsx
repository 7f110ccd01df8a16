import type { Sep2Client, Sep2StatusReply } from '../../sep2/contract.js';
import { Badge, Section, Table, ValueRow } from './cbi.js';
import { since, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';

const QUALITY: Record<number, () => string> = { 3: () => _('NTP-synchronised'), 5: () => _('not synchronised') };

const DISCOVERY: Record<Sep2StatusReply['discovery'], () => string> = {
  announced: () => _('announced through umdns'),
  'umdns-missing': () => _('umdns is not installed'),
  off: () => _('off'),
  failed: () => _('announcement failed'),
};

const ROLE: Record<Sep2Client['role'], () => string> = {
  utility: () => _('utility'), customer: () => _('customer'), device: () => _('device'), unregistered: () => _('unregistered'),
};

export function Sep2StatusSection(props: { status: Sep2StatusReply }) {
  const { status } = props;
  return (
    <Section title={_('Server')} id="sg-sep2-status">
      <ValueRow title={_('Listening')}>
        <Badge tone={status.listening ? 'ok' : 'bad'}>{status.listening ? _('yes') : _('no')}</Badge>{' '}
        <code>{`${status.address}:${status.port}`}</code>
      </ValueRow>
      <ValueRow title={_('Cipher suites')}><code>{status.ciphers.join(' ')}</code></ValueRow>
      <ValueRow title={_('Time quality')}>{status.time_quality ? `${status.time_quality} (${QUALITY[status.time_quality]?.() ?? status.time_quality})` : text(undefined)}</ValueRow>
      <ValueRow title={_('Local broker')}>{status.local_broker === 'connected' ? _('connected') : _('disconnected')}</ValueRow>
      <ValueRow title={_('DNS-SD')}>{DISCOVERY[status.discovery]()}</ValueRow>
      <ValueRow title={_('Usage points')}>{text(status.usage_points)}</ValueRow>
      <ValueRow title={_('Mirrors')}>{text(status.mirrors)}</ValueRow>
      <ValueRow title={_('Requests')}>{_('%s requests, %s errors, %s refused handshakes', String(status.requests), String(status.errors), String(status.tls_failures))}</ValueRow>
      <ValueRow title={_('Last error')}>{text(status.last_error)}</ValueRow>
    </Section>
  );
}

export function Sep2CertificateSection(props: { status: Sep2StatusReply }) {
  const certificate = props.status.certificate;
  if (!('subject' in certificate)) return <Section title={_('Certificates')}><p>{_('No server certificate is loaded.')}</p></Section>;
  return (
    <Section title={_('Certificates')} id="sg-sep2-certificate">
      <ValueRow title={_('Subject')}><code>{certificate.subject}</code></ValueRow>
      <ValueRow title={_('Issuer')}><code>{certificate.issuer}</code></ValueRow>
      <ValueRow title={_('Valid until')}>{certificate.valid_to}</ValueRow>
      <ValueRow title={_('Curve')}>{certificate.curve}</ValueRow>
      <ValueRow title={_('SHA-256 fingerprint')}><code>{certificate.fingerprint256}</code></ValueRow>
    </Section>
  );
}

export function Sep2ClientsSection(props: { clients: Sep2Client[] }) {
  const rows = props.clients.map((client) => [
    <code title={client.lfdi}>{client.lfdi}</code>,
    String(client.sfdi),
    <Badge tone={client.role === 'unregistered' ? 'warn' : 'ok'}>{ROLE[client.role]()}</Badge>,
    client.enabled ? _('yes') : _('no'),
    client.last_seen ? since(client.last_seen) : text(undefined),
    text(client.last_request),
    `${client.requests} / ${client.errors}`,
  ]);
  return (
    <Section title={_('Registered devices')} id="sg-sep2-clients">
      <Table
        headers={[_('LFDI'), _('SFDI'), _('Role'), _('Enabled'), _('Last seen'), _('Last request'), _('Requests / errors')]}
        rows={rows}
        empty={_('No client is listed or has connected yet.')}
      />
    </Section>
  );
}
