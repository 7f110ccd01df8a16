import type { ThreadNeighbourView, ThreadTopologyNode, ThreadTopologyReply, ThreadTopologySource } from '../../thread/contract.js';
import { Alert, Badge, Button, Section, Table, ValueRow, type Tone } from './cbi.js';
import { DASH, since, text } from '../lib/format.js';
import { _ } from '../lib/i18n.js';

const SOURCE_TEXT: Record<ThreadTopologySource, () => string> = {
  ok: () => _('current'),
  'not-read-yet': () => _('not read yet'),
  disabled: () => _('Thread is disabled'),
  'agent-down': () => _('otbr-agent is down'),
  detached: () => _('not attached to a network'),
  timeout: () => _('no answer in time'),
  error: () => _('read failed'),
};

const SOURCE_TONE: Record<ThreadTopologySource, Tone> = { ok: 'ok', 'not-read-yet': 'off', disabled: 'off', 'agent-down': 'bad', detached: 'warn', timeout: 'warn', error: 'bad' };

const ROLE_TEXT: Record<ThreadTopologyNode['role'], () => string> = { leader: () => _('leader'), router: () => _('router'), child: () => _('child') };

const W = 480;
const H = 320;
const ROUTER_RING = 85;
const CHILD_OFFSET = 50;
/** A little below the middle: the leader's children, drawn above it, keep their labels inside. */
const CY = H / 2 + 15;

/** `angle`: the direction away from the centre, where a child's label goes. */
interface Placed { node: ThreadTopologyNode; x: number; y: number; angle: number }

/** Routers on a ring (the leader first, at the top), each router's children further out beside it. */
function layout(routers: ThreadTopologyNode[], children: ThreadTopologyNode[]): Placed[] {
  const ordered = [...routers.filter((r) => r.role === 'leader'), ...routers.filter((r) => r.role !== 'leader')];
  const placed: Placed[] = [];
  const angles = new Map<string, number>();
  ordered.forEach((node, index) => {
    const angle = ordered.length === 1 ? -Math.PI / 2 : -Math.PI / 2 + (2 * Math.PI * index) / ordered.length;
    angles.set(node.rloc16, angle);
    const ring = ordered.length === 1 ? 0 : ROUTER_RING;
    placed.push({ node, x: W / 2 + ring * Math.cos(angle), y: CY + ring * Math.sin(angle), angle });
  });
  const byParent = new Map<string, ThreadTopologyNode[]>();
  for (const child of children) byParent.set(child.parent ?? '', [...(byParent.get(child.parent ?? '') ?? []), child]);
  for (const [parent, list] of byParent) {
    const base = angles.get(parent) ?? Math.PI / 2;
    const from = placed.find((p) => p.node.rloc16 === parent) ?? { x: W / 2, y: CY };
    list.forEach((node, index) => {
      const angle = base + (index - (list.length - 1) / 2) * 0.45;
      placed.push({ node, x: from.x + CHILD_OFFSET * Math.cos(angle), y: from.y + CHILD_OFFSET * Math.sin(angle), angle });
    });
  }
  return placed;
}

function edges(placed: Placed[]): { from: Placed; to: Placed; kind: 'link' | 'child' }[] {
  const at = new Map(placed.map((p) => [p.node.rloc16, p]));
  const found: { from: Placed; to: Placed; kind: 'link' | 'child' }[] = [];
  for (const p of placed) {
    for (const link of p.node.links ?? []) {
      const other = at.get(link);
      if (other && p.node.rloc16 < link) found.push({ from: p, to: other, kind: 'link' });
    }
    const parent = p.node.parent ? at.get(p.node.parent) : undefined;
    if (parent) found.push({ from: parent, to: p, kind: 'child' });
  }
  return found;
}

/** A small SVG of the mesh: routers (leader marked) with their links, children hanging off their parent. */
export function TopologyGraph(props: { routers: ThreadTopologyNode[]; children: ThreadTopologyNode[] }) {
  const placed = layout(props.routers, props.children);
  return (
    <figure class="sg-topology" id="sg-thread-graph">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={_('Thread mesh: %s routers, %s children', props.routers.length, props.children.length)}>
        {edges(placed).map((edge) => <line class={`sg-topology-${edge.kind}`} x1={edge.from.x} y1={edge.from.y} x2={edge.to.x} y2={edge.to.y} />)}
        {placed.map(({ node, x, y, angle }) => (
          <g class={`sg-topology-node sg-topology-${node.role}`} data-rloc16={node.rloc16}>
            <title>{`${ROLE_TEXT[node.role]()} ${node.rloc16} ${node.ext_address}${node.meter ? ` ${node.meter}` : ''}`}</title>
            {node.role === 'child' ? <rect x={x - 9} y={y - 9} width="18" height="18" rx="3" /> : <circle cx={x} cy={y} r={node.role === 'leader' ? 16 : 13} />}
            {node.role === 'child'
              ? <text x={x + 24 * Math.cos(angle)} y={y + 24 * Math.sin(angle) + 4} text-anchor={Math.cos(angle) < -0.3 ? 'end' : Math.cos(angle) > 0.3 ? 'start' : 'middle'}>{node.meter ?? node.rloc16}</text>
              : <text x={x} y={y + 30} text-anchor="middle">{node.meter ?? node.rloc16}</text>}
          </g>
        ))}
      </svg>
      <figcaption>{_('Circles: routers (the large one is the leader), lines: links between routers; squares: children, dashed to their parent.')}</figcaption>
    </figure>
  );
}

function nodeRow(node: ThreadTopologyNode): string[] {
  return [node.rloc16, ROLE_TEXT[node.role](), node.ext_address || DASH, node.parent ?? (node.links?.length ? node.links.join(' ') : DASH), node.meter ?? DASH, since(node.last_coap_contact), node.addresses.join(' ') || DASH];
}

function neighbourRow(link: ThreadNeighbourView): string[] {
  return [link.rloc16, link.role === 'router' ? _('router') : _('child'), link.ext_address, text(link.link_quality_in), text(link.rssi_average, 'dBm'), text(link.rssi_last, 'dBm'), text(link.age_s, 's')];
}

/** Where the topology comes from and how old it is, the graph, the nodes and the border router's own links. */
export function TopologySection(props: { topology?: ThreadTopologyReply; error?: string; reading: boolean; onRead(): void }) {
  const topology = props.topology;
  const nodes = topology ? [...topology.routers, ...topology.children] : [];
  return (
    <Section title={_('Topology')} id="sg-thread-topology">
      {props.error && <Alert kind="error">{_('The topology could not be loaded: %s', props.error)}</Alert>}
      {topology && (
        <ValueRow title={_('Source')} id="sg-thread-topology-source">
          <Badge tone={SOURCE_TONE[topology.source] ?? 'bad'}>{SOURCE_TEXT[topology.source]?.() ?? topology.source}</Badge>{' '}
          {topology.source_detail ?? ''}{' '}
          {topology.updated_at ? _('(read %s)', since(topology.updated_at)) : ''}{' '}
          <Button kind="action" id="sg-thread-topology-read" disabled={props.reading} onClick={props.onRead}>{props.reading ? _('Reading…') : _('Read now')}</Button>
        </ValueRow>
      )}
      {nodes.length > 0 && <TopologyGraph routers={topology!.routers} children={topology!.children} />}
      <Table id="sg-thread-topology-nodes" headers={[_('RLOC16'), _('Role'), _('Extended address'), _('Parent / links'), _('Meter'), _('Last CoAP contact'), _('Addresses')]}
        rows={nodes.map(nodeRow)} empty={_('No Thread node known')} />
      <h4>{_('Links of the border router')}</h4>
      <Table id="sg-thread-topology-links" headers={[_('RLOC16'), _('Role'), _('Extended address'), _('Link quality in'), _('Average RSSI'), _('Last RSSI'), _('Age')]}
        rows={(topology?.neighbours ?? []).map(neighbourRow)} empty={_('No neighbour')} />
    </Section>
  );
}
