import { useEffect, useState } from 'preact/hooks';
import schemaJson from '../../lib/config/schemas/thread.schema.json';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import type { ThreadTopologyReply } from '../../thread/contract.js';
import validateThread from 'smartgrid:validator/thread';
import { registerPage, useAccess, type PageProps } from '../components/app.js';
import { Alert } from '../components/cbi.js';
import { SchemaForm } from '../components/schema-form.js';
import { NodesSection } from '../components/thread-nodes.js';
import { BorderRouterSection, FaultsSection, RcpSection, ThreadActions, ThreadSimulatorPanel } from '../components/thread-parts.js';
import { TopologySection } from '../components/thread-topology.js';
import { usePoll } from '../components/use-poll.js';
import { _ } from '../lib/i18n.js';
import { loadThreadPage, optional, THREAD_OBJECT as OBJECT, type Optional } from '../lib/thread-data.js';
import { makeValidator } from '../lib/validate-browser.js';

const schema = schemaJson as SectionSchema;
const validate = makeValidator({ [schema.$id]: validateThread });

function Thread(props: PageProps) {
  const poll = usePoll(() => loadThreadPage(props.rpc), props.pollS);
  const access = useAccess(props.rpc, {
    config: ['uci', 'smartgrid', 'write'],
    restart: ['ubus', OBJECT, 'restart_radio'],
    probe: ['ubus', OBJECT, 'probe'],
    sim: ['ubus', 'smartgrid.sim', 'thread_fault'],
  });
  const [simulated, setSimulated] = useState(false);
  const [fresh, setFresh] = useState<Optional<ThreadTopologyReply> | undefined>();
  const [reading, setReading] = useState(false);
  useEffect(() => { void props.rpc.objects().then((names) => setSimulated(names.includes('smartgrid.sim'))).catch(() => undefined); }, []);
  useEffect(() => { setFresh(undefined); }, [poll.at]);
  const readNow = async () => {
    setReading(true);
    setFresh(await optional<ThreadTopologyReply>(() => props.rpc.call(OBJECT, 'topology', { refresh: true })));
    setReading(false);
  };
  const status = poll.data?.status;
  const topology = fresh ?? poll.data?.topology;
  return (
    <div id="sg-thread">
      {poll.error && <Alert kind="error">{_('Could not load the status: %s', poll.error)}</Alert>}
      {poll.data?.error && <Alert kind="error">{_('Could not load the status: %s', poll.data.error)}</Alert>}
      {poll.data && !status && !poll.data.error && <Alert kind="warning">{_('The Thread service is not running.')}</Alert>}
      {status?.state === 'config-error' && <Alert kind="error">{_('The Thread service has an invalid configuration.')}</Alert>}
      {status?.radio_state === 'failed' && <Alert kind="error">{_('The Thread radio could not be recovered: %s', status.radio_cause)}</Alert>}
      <BorderRouterSection status={status} />
      <RcpSection status={status}>
        {access && <ThreadActions rpc={props.rpc} canRestart={access.restart === true} canProbe={access.probe === true} onDone={poll.refresh} />}
      </RcpSection>
      {status && <TopologySection topology={topology?.reply} error={topology?.error} reading={reading} onRead={() => void readNow()} />}
      {status && <NodesSection nodes={poll.data?.nodes.reply} error={poll.data?.nodes.error} />}
      <FaultsSection status={status} />
      {simulated && access?.sim && <ThreadSimulatorPanel rpc={props.rpc} onDone={poll.refresh} />}
      {access && <SchemaForm rpc={props.rpc} schema={schema} section="thread" readonly={!access.config} validate={validate} timings={props.timings} />}
    </div>
  );
}

registerPage('thread', Thread);
