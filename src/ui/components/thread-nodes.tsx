import type { ThreadNodeView, ThreadNodesReply } from '../../thread/contract.js';
import { Alert, Badge, Section, Table, ValueRow, type Tone } from './cbi.js';
import { DASH, since, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';

const STATE_TEXT: Record<ThreadNodeView['state'], () => string> = { active: () => _('active'), lost: () => _('lost'), configured: () => _('configured') };
const STATE_TONE: Record<ThreadNodeView['state'], Tone> = { active: 'ok', lost: 'bad', configured: 'off' };

function nodeRow(node: ThreadNodeView): (string | ReturnType<typeof Badge>)[] {
  return [
    node.meter, node.address ?? DASH, node.eui64 ?? DASH, `${node.region} / ${node.dcu}`,
    <Badge tone={STATE_TONE[node.state] ?? 'off'}>{STATE_TEXT[node.state]?.() ?? node.state}</Badge>,
    since(node.last_contact), `${node.readings} / ${node.rejected} / ${node.duplicates}`,
  ];
}

/** The CoAP bridge's nodes (`smartgrid.thread nodes`); a failed call is said, the rest of the page stays. */
export function NodesSection(props: { nodes?: ThreadNodesReply; error?: string }) {
  const { nodes } = props;
  const counters = nodes?.counters;
  return (
    <Section title={_('Nodes')} id="sg-thread-nodes">
      {props.error && <Alert kind="warning" id="sg-thread-nodes-error">{_('The node list is not available: %s', props.error)}</Alert>}
      {nodes && (
        <ValueRow title={_('Listening')}>{nodes.listening.length ? nodes.listening.map((l) => `[${l.address}]:${l.port}`).join(', ') : _('not listening')}</ValueRow>
      )}
      {counters && (
        <ValueRow title={_('Bridge counters')} id="sg-thread-bridge-counters">
          {_('%s received, %s forwarded, %s rejected, %s bad CRC, %s duplicates; downlink %s ok, %s timed out, %s unreachable', text(counters.received), text(counters.forwarded), text(counters.rejected), text(counters.bad_crc), text(counters.duplicates), text(counters.downlink_ok), text(counters.downlink_timeout), text(counters.downlink_unreachable))}
        </ValueRow>
      )}
      {nodes && (
        <Table id="sg-thread-nodes-table" headers={[_('Meter'), _('Address'), _('EUI-64'), _('Region / DCU'), _('State'), _('Last contact'), _('Readings / rejected / duplicates')]}
          rows={nodes.nodes.map(nodeRow)} empty={_('No node has been heard or configured')} />
      )}
    </Section>
  );
}
