import schemaJson from '../../lib/config/schemas/halow.schema.json';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import validateHalow from 'smartgrid:validator/halow';
import { registerPage, useAccess, type PageProps } from '../components/app.js';
import { Alert } from '../components/cbi.js';
import { ChannelsSection, DcuSection, DryRunSection, PlanSection, StationsSection } from '../components/halow-parts.js';
import { PlannerSection } from '../components/halow-planner.js';
import { SchemaForm } from '../components/schema-form.js';
import { usePoll } from '../components/use-poll.js';
import { pick } from '../lib/format.js';
import { _ } from '../lib/i18n.js';
import { serviceStatus } from '../lib/services.js';
import { makeValidator } from '../lib/validate-browser.js';

const schema = schemaJson as SectionSchema;
const validate = makeValidator({ [schema.$id]: validateHalow });

async function load(props: PageProps) {
  const status = await serviceStatus(props.rpc, 'halow');
  if (!status.status) return { ...status, stations: [], dcus: [], unknown: [] };
  const [stations, dcus] = await Promise.all([
    props.rpc.call('smartgrid.halow', 'stations', {}).catch(() => undefined),
    props.rpc.call('smartgrid.halow', 'dcus', {}).catch(() => undefined),
  ]);
  return {
    ...status,
    stations: (pick(stations, 'stations') ?? []) as Array<Record<string, unknown>>,
    dcus: (pick(dcus, 'dcus') ?? []) as Array<Record<string, unknown>>,
    unknown: (pick(dcus, 'unknown') ?? []) as string[],
  };
}

function Halow(props: PageProps) {
  const poll = usePoll(() => load(props), props.pollS);
  const access = useAccess(props.rpc, { config: ['uci', 'smartgrid', 'write'], apply: ['ubus', 'smartgrid.halow', 'apply'] });
  const status = poll.data?.status;
  return (
    <div id="sg-halow">
      {poll.error && <Alert kind="error">{_('Could not load the status: %s', poll.error)}</Alert>}
      {poll.data && !status && !poll.data.error && <Alert kind="warning">{_('The HaLow service is not running.')}</Alert>}
      {pick(status, 'state') === 'config-error' && <Alert kind="error">{_('The HaLow service has an invalid configuration.')}</Alert>}
      {Boolean(pick(status, 'inventory_error')) && <Alert kind="error">{String(pick(status, 'inventory_error'))}</Alert>}
      <PlanSection status={status} />
      <ChannelsSection rpc={props.rpc} country={pick(status, 'plan.country') as string | undefined} />
      {access && <DryRunSection rpc={props.rpc} canApply={access.apply === true} onDone={poll.refresh} />}
      <DcuSection dcus={poll.data?.dcus ?? []} unknown={poll.data?.unknown ?? []} summary={pick(status, 'presence')} />
      <StationsSection stations={poll.data?.stations ?? []} />
      <PlannerSection />
      {access && <SchemaForm rpc={props.rpc} schema={schema} section="halow" readonly={!access.config} validate={validate} timings={props.timings} />}
    </div>
  );
}

registerPage('halow', Halow);
