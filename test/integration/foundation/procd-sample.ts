// The captured `ubus call service list` outputs of a real procd (../shared/conformance/procd/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type ServiceList = Record<string, { instances: Record<string, Record<string, unknown>> }>;

export const serviceListSample = JSON.parse(
  readFileSync(join(__dirname, '../../../../shared/conformance/procd/service-list.json'), 'utf8'),
) as { list_name: ServiceList; after_kill_before_respawn: ServiceList; after_respawn: ServiceList };

export function listedInstance(list: ServiceList, service: string, instance: string): Record<string, unknown> {
  const found = list[service]?.instances[instance];
  if (!found) throw new Error(`no ${service}::${instance} in the sample`);
  return found;
}
