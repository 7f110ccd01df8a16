import { agentRunning, type RadioSupervisor } from './otbr/radio-supervisor.js';
import type { RcpStatusView, ThreadProbeReply, ThreadStatusReply } from './contract.js';

type OtbrSupervisor = RadioSupervisor;

function rcpView(supervisor: OtbrSupervisor): RcpStatusView {
  const located = supervisor.located;
  const probe = located?.probe;
  const info = probe?.info;
  const health = supervisor.state === 'running' ? 'ok' : probe && !probe.ok ? probe.cause : supervisor.state;
  return {
    health,
    path: probe?.path, device: located?.selection.chosen?.device, selected_because: located?.selection.reason ?? '',
    usb_serial: located?.selection.chosen?.usb?.serial, hwaddr: info?.hwaddr, firmware: info?.ncpVersion, protocol: info?.protocol,
    rcp_api_version: info?.rcpApiVersion, min_host_api_version: info?.minHostApiVersion, baud: probe?.baud,
    probe: probe?.cause ?? 'not-run', probe_message: probe?.message ?? '',
  };
}

function threadView(supervisor: OtbrSupervisor, childCount: number | undefined): ThreadStatusReply['thread'] {
  const node = supervisor.node;
  return { role: supervisor.role, router_count: node?.routerCount, child_count: childCount, partition_id: node?.partitionId, leader_router_id: node?.leaderRouterId, rloc16: node?.rloc16, ext_address: node?.extAddress, network_name: node?.networkName };
}

/** `status`: nothing secret in it (the dataset is not shown, only its option names when changed). */
export function statusView(supervisor: OtbrSupervisor, childCount?: number): ThreadStatusReply {
  const agent = supervisor.agent;
  return {
    radio_state: supervisor.state,
    radio_cause: supervisor.cause,
    rcp: rcpView(supervisor),
    otbr_agent: { ...supervisor.supervision, pid: agent?.running ? agent.pid : undefined, running: agentRunning(supervisor), starts: supervisor.counters.agentStarts, last_exit_code: supervisor.lastExit?.code ?? undefined, last_exit: supervisor.lastExit?.meaning },
    thread: threadView(supervisor, childCount),
    faults: supervisor.faults.map((f) => ({ at: Math.floor(f.at / 1000), kind: f.kind, message: f.message, step: f.step })),
    counters: { faults: supervisor.counters.faults, recoveries: supervisor.counters.recoveries, dataset_writes: supervisor.counters.datasetWrites, last_recovery_ms: supervisor.lastRecoveryMs },
  };
}

export function probeView(supervisor: OtbrSupervisor): ThreadProbeReply {
  const located = supervisor.located;
  return {
    probe: located?.probe,
    candidates: (located?.selection.candidates ?? []).map((c) => ({ device: c.device, by_id: c.byId, usb: c.usb ? `${c.usb.vendorId}:${c.usb.productId}${c.usb.serial ? ` ${c.usb.serial}` : ''}` : undefined, dongle: c.dongle?.name })),
  };
}
