import type { RenderedConfig } from '../render/types.js';

/** What OpenWrt runs after a config changes; `wifi reload` only when nothing reloads netifd anyway. */
export function reloadCommands(changed: ReadonlySet<RenderedConfig>): string[][] {
  const commands: string[][] = [];
  if (changed.has('network')) commands.push(['/etc/init.d/network', 'reload']);
  else if (changed.has('wireless')) commands.push(['wifi', 'reload']);
  if (changed.has('dhcp')) commands.push(['/etc/init.d/dnsmasq', 'reload']);
  if (changed.has('firewall')) commands.push(['/etc/init.d/firewall', 'reload']);
  if (changed.has('mesh11sd')) commands.push(['/etc/init.d/mesh11sd', 'restart']);
  if (changed.has('prplmesh')) commands.push(['/etc/init.d/prplmesh', 'restart']);
  return commands;
}
