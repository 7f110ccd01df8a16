// The topology parsers fed the captured bytes as the real otbr-agent printed them (ot-ctl tables with
// \r\n line ends, the cJSON body of /diagnostics), the topology built from network.json's 4 nodes and
// checked against what the nodes said about themselves, and the join with the CoAP bridge's nodes.
import { describe, expect, it } from 'vitest';
import type { ThreadNodeView } from '../../../src/thread/contract.js';
import { parseChildTable, parseCliTable, parseNeighborTable, parseRouterTable } from '../../../src/thread/otbr/cli-tables.js';
import { parseDiagnostics } from '../../../src/thread/otbr/diagnostics.js';
import { cliLines, OtCtlError } from '../../../src/thread/otbr/ot-ctl.js';
import { buildTopology, canonicalIpv6, joinNodeViews, type TopologyReadings } from '../../../src/thread/otbr/topology.js';
import { brOutputs, capturedDiagnostics, coap, network, nodeOutputs, otCtl, rest } from './otbr-captures.js';

const TABLES = ['router table', 'child table', 'neighbor table'] as const;
const PARSERS = { 'router table': parseRouterTable, 'child table': parseChildTable, 'neighbor table': parseNeighborTable };

/** Every captured table: the border router's (network.json, ot-ctl.json) and the simulated nodes' own. */
function capturedTables(table: (typeof TABLES)[number]): { where: string; stdout: string }[] {
  const br = brOutputs(table).map((e) => ({ where: `network.json BR t=${e.t_ms}`, stdout: e.stdout! }));
  const single = otCtl.session1.filter((e) => e.command === table).map((e) => ({ where: `ot-ctl.json t=${e.t_ms}`, stdout: e.stdout! }));
  const nodes = [2, 3, 4].flatMap((node) => nodeOutputs(node, table).map((stdout) => ({ where: `node ${node}`, stdout })));
  return [...br, ...single, ...nodes];
}

/** A parsed value as the CLI prints it in its cell. */
function cellText(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value === 'router') return 'R';
  if (value === 'child') return 'C';
  return String(value);
}

const PARSED_COLUMNS: Record<(typeof TABLES)[number], Record<string, string>> = {
  'router table': { ID: 'id', RLOC16: 'rloc16', 'Next Hop': 'nextHop', 'Path Cost': 'pathCost', 'LQ In': 'linkQualityIn', 'LQ Out': 'linkQualityOut', Age: 'ageS', 'Extended MAC': 'extAddress', Link: 'link' },
  'child table': { ID: 'id', RLOC16: 'rloc16', Timeout: 'timeoutS', Age: 'ageS', 'LQ In': 'linkQualityIn', R: 'rxOnWhenIdle', D: 'fullThreadDevice', N: 'fullNetworkData', Ver: 'version', 'Extended MAC': 'extAddress' },
  'neighbor table': { Role: 'role', RLOC16: 'rloc16', Age: 'ageS', 'Avg RSSI': 'averageRssi', 'Last RSSI': 'lastRssi', R: 'rxOnWhenIdle', D: 'fullThreadDevice', N: 'fullNetworkData', 'Extended MAC': 'extAddress', Version: 'version' },
};

describe('ot-ctl tables, as the captured agent and nodes printed them', () => {
  it.each(TABLES)('%s: every captured row parses, and each parsed value prints back as the captured cell', (table) => {
    const captures = capturedTables(table);
    expect(captures.length).toBeGreaterThanOrEqual(5);
    let rows = 0;
    for (const { where, stdout } of captures) {
      const lines = cliLines(table, stdout);
      const cells = parseCliTable(table, lines);
      const parsed = PARSERS[table](lines) as unknown as Record<string, unknown>[];
      expect(parsed.length, where).toBe(lines.filter((line) => line.startsWith('| ')).length - 1);
      parsed.forEach((row, index) => {
        for (const [header, field] of Object.entries(PARSED_COLUMNS[table])) expect(cellText(row[field]), `${where} ${header}`).toBe(cells[index]!.get(header));
      });
      rows += parsed.length;
    }
    expect(rows).toBeGreaterThanOrEqual(3);
  });

  it('tells the columns apart where the captures have equal values (LQ in/out, the R/D/N flags)', () => {
    const captured = brOutputs('router table').at(-1)!.stdout!.replace('|     3 |      3 |   3 | 3acdd6a010257805 |', '|     3 |      1 |   3 | 3acdd6a010257805 |');
    expect(parseRouterTable(cliLines('router table', captured))[0]).toMatchObject({ linkQualityIn: 3, linkQualityOut: 1 });
    const child = brOutputs('child table').at(-1)!.stdout!.replace('|1|1|1|  5|', '|0|1|0|  4|');
    expect(parseChildTable(cliLines('child table', child))[0]).toMatchObject({ rxOnWhenIdle: false, fullThreadDevice: true, fullNetworkData: false, version: 4 });
    const neighbour = brOutputs('neighbor table').at(-1)!.stdout!.replace('|      -20 |       -20 |1|1|1| 26e9', '|      -71 |       -64 |1|0|0| 26e9');
    expect(parseNeighborTable(cliLines('neighbor table', neighbour))[0]).toMatchObject({ averageRssi: -71, lastRssi: -64, rxOnWhenIdle: true, fullThreadDevice: false, fullNetworkData: false });
  });

  it("reads the border router's links in the 4-node network", () => {
    const last = (command: string) => cliLines(command, brOutputs(command).at(-1)!.stdout!);
    expect(parseRouterTable(last('router table'))).toEqual([
      { id: 23, rloc16: '0x5c00', nextHop: 44, pathCost: 1, linkQualityIn: 3, linkQualityOut: 3, ageS: 3, extAddress: '3acdd6a010257805', link: true },
      { id: 25, rloc16: '0x6400', nextHop: 63, pathCost: 0, linkQualityIn: 0, linkQualityOut: 0, ageS: 0, extAddress: '0000000000000000', link: false },
      { id: 44, rloc16: '0xb000', nextHop: 63, pathCost: 0, linkQualityIn: 3, linkQualityOut: 3, ageS: 8, extAddress: '4e8df1deae6e30f9', link: true },
    ]);
    expect(parseChildTable(last('child table'))).toEqual([{ id: 3, rloc16: '0x6403', timeoutS: 240, ageS: 7, linkQualityIn: 3, rxOnWhenIdle: true, fullThreadDevice: true, fullNetworkData: true, version: 5, extAddress: '26e9d42122526061' }]);
    expect(parseNeighborTable(last('neighbor table')).map((n) => [n.role, n.rloc16, n.averageRssi, n.lastRssi, n.ageS])).toEqual([['child', '0x6403', -20, -20, 7], ['router', '0x5c00', -20, -20, 3], ['router', '0xb000', -20, -20, 8]]);
  });

  it("agrees with ubus otbr neighbor (same links; its values are space-padded strings, see docs/thread.md)", () => {
    const ubus = network.ubus.find((u) => u.argv.join(' ') === 'ubus call otbr neighbor')!;
    const list = (ubus.reply_json!.neighbor_list as Record<string, string | number>[]);
    const table = parseNeighborTable(cliLines('neighbor table', brOutputs('neighbor table')[0]!.stdout!));
    expect(list.map((n) => [n.Role === 'R' ? 'router' : 'child', n.Rloc16, n.ExtAddress, Number(String(n.AvgRssi).trim())])).toEqual(table.map((n) => [n.role, n.rloc16, n.extAddress, n.averageRssi]));
    expect(list[0]!.AvgRssi).toBe('     -20');
  });

  it('takes ot-ctl\'s "Error N: Name" (exit 0) as a failure, with the code and name', () => {
    const errors = [...otCtl.session1, ...otCtl.session2].filter((e) => e.exit_code === 0 && /^Error \d+/m.test(e.stdout ?? ''));
    expect(errors.length).toBeGreaterThan(5);
    for (const entry of errors) {
      const [, code, name] = /Error (\d+): (\S+)/.exec(entry.stdout!)!;
      expect(() => cliLines(entry.command, entry.stdout!), entry.command).toThrow(OtCtlError);
      try { cliLines(entry.command, entry.stdout!); } catch (error) { expect((error as OtCtlError).otError).toEqual({ code: Number(code), name }); }
    }
    expect(cliLines('state', 'leader\r\nDone\r\n')).toEqual(['leader']);
  });
});

describe('REST /diagnostics', () => {
  it('parses the captured bodies byte for byte as sent (4 nodes in network.json, the lone leader in rest.json)', () => {
    const captured = capturedDiagnostics();
    expect(JSON.parse(captured.response.body!)).toEqual(captured.response.body_json);
    const nodes = parseDiagnostics(JSON.parse(captured.response.body!));
    expect(nodes.map((n) => [n.extAddress, n.rloc16, n.children?.length])).toEqual([['3acdd6a010257805', 23552, 0], ['26e9d42122526061', 25603, undefined], ['4e8df1deae6e30f9', 45056, 0], ['72eb61eb9f73bca1', 25600, 1]]);
    expect(nodes[3]).toMatchObject({ leaderRouterId: 25, rxOnWhenIdle: true, fullThreadDevice: true, children: [{ childId: 3, timeout: 12, rxOnWhenIdle: true }], addresses: ['fdca:9f7a:251e:1:da92:2b76:16c6:247c', 'fd11:22::ff:fe00:fc00', 'fd11:22::ff:fe00:6400', 'fd11:22::105f:4242:274e:c35c', 'fe80::70eb:61eb:9f73:bca1'] });
    const alone = rest.session1.find((e) => e.request.path === '/diagnostics' && e.response?.status === 200)!;
    expect(parseDiagnostics(JSON.parse(alone.response.body!)).map((n) => [n.extAddress, n.rloc16, n.routes.length])).toEqual([['befdcc83743fd9c6', 18432, 1]]);
  });
});

function capturedReadings(): TopologyReadings {
  const last = (command: string) => cliLines(command, brOutputs(command).filter((e) => e.t_ms < 192760).at(-1)!.stdout!);
  return {
    diagnostics: parseDiagnostics(JSON.parse(capturedDiagnostics().response.body!)),
    routerTable: parseRouterTable(last('router table')), childTable: parseChildTable(last('child table')), neighborTable: parseNeighborTable(last('neighbor table')),
  };
}

describe('the topology of network.json', () => {
  it('has the leader and two routers, the child under the leader, and the three links', () => {
    const topology = buildTopology(capturedReadings());
    expect(topology.routers.map((r) => [r.rloc16, r.role, r.router_id, r.ext_address])).toEqual([['0x5c00', 'router', 23, '3acdd6a010257805'], ['0x6400', 'leader', 25, '72eb61eb9f73bca1'], ['0xb000', 'router', 44, '4e8df1deae6e30f9']]);
    expect(topology.routers.map((r) => r.links)).toEqual([['0x6400', '0xb000'], ['0x5c00', '0xb000'], ['0x5c00', '0x6400']]);
    expect(topology.children).toEqual([{ rloc16: '0x6403', ext_address: '26e9d42122526061', role: 'child', parent: '0x6400', addresses: ['fdca:9f7a:251e:1:d430:707b:1630:b57f', 'fd11:22::ff:fe00:6403', 'fd11:22::9abd:36c4:16ba:a533', 'fe80::24e9:d421:2252:6061'] }]);
    expect(topology.neighbours).toEqual([
      { rloc16: '0x6403', ext_address: '26e9d42122526061', role: 'child', link_quality_in: 3, rssi_average: -20, rssi_last: -20, age_s: 182 },
      { rloc16: '0x5c00', ext_address: '3acdd6a010257805', role: 'router', link_quality_in: 3, rssi_average: -20, rssi_last: -20, age_s: 3 },
      { rloc16: '0xb000', ext_address: '4e8df1deae6e30f9', role: 'router', link_quality_in: 3, rssi_average: -20, rssi_last: -20, age_s: 0 },
    ]);
  });

  it('matches what each simulated node said about itself (rloc16, extaddr, ipaddr) and meshdiag topology', () => {
    const nodes = [...buildTopology(capturedReadings()).routers, ...buildTopology(capturedReadings()).children];
    for (const id of [2, 3, 4]) {
      const rloc16 = `0x${nodeOutputs(id, 'rloc16')[0]!.split('\r\n')[0]}`;
      const node = nodes.find((n) => n.rloc16 === rloc16)!;
      expect(node.ext_address).toBe(nodeOutputs(id, 'extaddr')[0]!.split('\r\n')[0]);
      const own = nodeOutputs(id, 'ipaddr')[0]!.split('\r\n').filter((line) => line.includes(':'));
      expect(node.addresses.map(canonicalIpv6).sort()).toEqual(own.map(canonicalIpv6).sort());
    }
    const meshdiag = brOutputs('meshdiag topology')[0]!.stdout!;
    const routers = [...meshdiag.matchAll(/id:(\d+) rloc16:(0x[0-9a-f]{4}) ext-addr:([0-9a-f]{16})[^\n]*\n\s*3-links:\{ ([\d ]+) \}/g)]
      .map((m) => [Number(m[1]), m[2], m[3], m[4]!.split(' ').map((id) => `0x${(Number(id) << 10).toString(16).padStart(4, '0')}`)]).sort();
    expect(routers).toHaveLength(3);
    expect(buildTopology(capturedReadings()).routers.map((r) => [r.router_id, r.rloc16, r.ext_address, r.links]).sort()).toEqual(routers);
  });

  it('still lists a child that only its parent names (a sleepy child does not answer diagnostics)', () => {
    const readings = capturedReadings();
    readings.diagnostics = readings.diagnostics.filter((n) => n.rloc16 !== 0x6403);
    expect(buildTopology(readings).children).toEqual([{ rloc16: '0x6403', ext_address: '26e9d42122526061', role: 'child', parent: '0x6400', addresses: [] }]);
  });
});

describe('joining the CoAP bridge nodes by address', () => {
  const view = (meter: string, address: string, last_contact: number): ThreadNodeView => ({ meter, address, region: 'es-mad', dcu: 'dcu-1', source: 'learned', state: 'active', last_contact, readings: 1, rejected: 0, duplicates: 0 });
  const received = coap.node_to_gateway_received;

  it('gives each node the meter that last sent from one of its addresses (coap.json sources, both spellings)', () => {
    const fromNode2 = received.find((r) => r.src_addr.startsWith('fd11:22::59a6'))!;
    const fromChild = received.find((r) => r.src_addr.startsWith('fd11:22::9abd'))!;
    const fromNode2Omr = received.find((r) => r.src_addr.startsWith('fdca:'))!;
    const bridge = [
      view('meter-2', fromNode2.src_addr, 100), view('meter-2-omr', fromNode2Omr.src_addr, 200),
      view('meter-4', 'fd11:22:0:0:9abd:36c4:16ba:a533', Math.floor(fromChild.t_ms)), view('meter-unknown', 'fd11:22::dead:beef', 300),
      { ...view('meter-configured', '', 0), address: undefined, state: 'configured' as const, last_contact: undefined },
    ];
    const topology = buildTopology(capturedReadings());
    const joined = joinNodeViews([...topology.routers, ...topology.children], bridge);
    expect(joined.map((n) => [n.rloc16, n.meter, n.last_coap_contact])).toEqual([['0x5c00', undefined, undefined], ['0x6400', undefined, undefined], ['0xb000', 'meter-2-omr', 200], ['0x6403', 'meter-4', Math.floor(fromChild.t_ms)]]);
  });

  it('spells one address one way', () => {
    expect(canonicalIpv6('fd11:22:0:0:0:ff:fe00:FC00')).toBe('fd11:22::ff:fe00:fc00');
    expect(canonicalIpv6('fe80:0:0:0:70eb:61eb:9f73:bca1%wpan0')).toBe('fe80::70eb:61eb:9f73:bca1');
  });
});
