import { useEffect, useState } from 'preact/hooks';
import schemaJson from '../../lib/config/schemas/lte.schema.json';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import validateLte from 'smartgrid:validator/lte';
import { registerPage, useAccess, type PageProps } from '../components/app.js';
import { Alert } from '../components/cbi.js';
import { LteActions, SimulatorPanel } from '../components/lte-actions.js';
import { BearerSection, ModemSection, ProbeLadderSection, UsageSection } from '../components/lte-parts.js';
import { SchemaForm } from '../components/schema-form.js';
import { ConfigErrorsAlert } from '../components/service-state.js';
import { UplinksSection } from '../components/uplink-parts.js';
import { usePoll } from '../components/use-poll.js';
import { pick } from '../lib/format.js';
import { _ } from '../lib/i18n.js';
import { serviceStatus } from '../lib/services.js';
import { makeValidator } from '../lib/validate-browser.js';

const schema = schemaJson as SectionSchema;
const validate = makeValidator({ [schema.$id]: validateLte });

async function load(props: PageProps) {
  const status = await serviceStatus(props.rpc, 'lte');
  const history = status.status ? await props.rpc.call('smartgrid.lte', 'history', { limit: 50 }).catch(() => undefined) : undefined;
  return { ...status, history };
}

function Lte(props: PageProps) {
  const poll = usePoll(() => load(props), props.pollS);
  const access = useAccess(props.rpc, {
    config: ['uci', 'smartgrid', 'write'],
    reset: ['ubus', 'smartgrid.lte', 'reset'],
    probe: ['ubus', 'smartgrid.lte', 'probe'],
    sim: ['ubus', 'smartgrid.sim', 'modem_fault'],
  });
  const [simulated, setSimulated] = useState(false);
  useEffect(() => { void props.rpc.objects().then((names) => setSimulated(names.includes('smartgrid.sim'))).catch(() => undefined); }, []);
  const status = poll.data?.status;
  const entries = (pick(poll.data?.history, 'entries') ?? []) as unknown[];
  const days = (pick(poll.data?.history, 'usage_days') ?? []) as unknown[];
  return (
    <div id="sg-lte">
      {poll.error && <Alert kind="error">{_('Could not load the status: %s', poll.error)}</Alert>}
      {poll.data && !status && !poll.data.error && <Alert kind="warning">{_('The LTE service is not running.')}</Alert>}
      <ConfigErrorsAlert status={status} />
      <ModemSection status={status} />
      <BearerSection status={status} />
      <UplinksSection status={status} />
      <ProbeLadderSection status={status} history={entries} />
      <UsageSection status={status} days={days} />
      {access && <LteActions rpc={props.rpc} canReset={access.reset === true} canProbe={access.probe === true} onDone={poll.refresh} />}
      {simulated && access?.sim && <SimulatorPanel rpc={props.rpc} onDone={poll.refresh} />}
      {access && <SchemaForm rpc={props.rpc} schema={schema} section="lte" readonly={!access.config} validate={validate} timings={props.timings} />}
    </div>
  );
}

registerPage('lte', Lte);
