import { useEffect, useState } from 'preact/hooks';
import schemaJson from '../../lib/config/schemas/thread.schema.json';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import validateThread from 'smartgrid:validator/thread';
import { registerPage, useAccess, type PageProps } from '../components/app.js';
import { Alert } from '../components/cbi.js';
import { SchemaForm } from '../components/schema-form.js';
import { BorderRouterSection, FaultsSection, RcpSection, ThreadActions, ThreadSimulatorPanel } from '../components/thread-parts.js';
import { usePoll } from '../components/use-poll.js';
import { pick } from '../lib/format.js';
import { _ } from '../lib/i18n.js';
import { serviceStatus } from '../lib/services.js';
import { makeValidator } from '../lib/validate-browser.js';

const schema = schemaJson as SectionSchema;
const validate = makeValidator({ [schema.$id]: validateThread });

function Thread(props: PageProps) {
  const poll = usePoll(() => serviceStatus(props.rpc, 'thread'), props.pollS);
  const access = useAccess(props.rpc, {
    config: ['uci', 'smartgrid', 'write'],
    restart: ['ubus', 'smartgrid.thread', 'restart_radio'],
    probe: ['ubus', 'smartgrid.thread', 'probe'],
    sim: ['ubus', 'smartgrid.sim', 'thread_fault'],
  });
  const [simulated, setSimulated] = useState(false);
  useEffect(() => { void props.rpc.objects().then((names) => setSimulated(names.includes('smartgrid.sim'))).catch(() => undefined); }, []);
  const status = poll.data?.status;
  return (
    <div id="sg-thread">
      {poll.error && <Alert kind="error">{_('Could not load the status: %s', poll.error)}</Alert>}
      {poll.data && !status && !poll.data.error && <Alert kind="warning">{_('The Thread service is not running.')}</Alert>}
      {pick(status, 'state') === 'config-error' && <Alert kind="error">{_('The Thread service has an invalid configuration.')}</Alert>}
      {pick(status, 'radio_state') === 'failed' && <Alert kind="error">{_('The Thread radio could not be recovered: %s', String(pick(status, 'radio_cause') ?? ''))}</Alert>}
      <BorderRouterSection status={status} />
      <RcpSection status={status} />
      <FaultsSection status={status} />
      {access && <ThreadActions rpc={props.rpc} canRestart={access.restart === true} canProbe={access.probe === true} onDone={poll.refresh} />}
      {simulated && access?.sim && <ThreadSimulatorPanel rpc={props.rpc} onDone={poll.refresh} />}
      {access && <SchemaForm rpc={props.rpc} schema={schema} section="thread" readonly={!access.config} validate={validate} timings={props.timings} />}
    </div>
  );
}

registerPage('thread', Thread);
