import schemaJson from '../../lib/config/schemas/sep2.schema.json';
import type { SectionSchema } from '../../lib/config/schema-types.js';
import type { Sep2ClientsReply, Sep2StatusReply } from '../../sep2/contract.js';
import { SEP2_OBJECT } from '../../sep2/contract.js';
import validateSep2 from 'smartgrid:validator/sep2';
import { registerPage, useAccess, type PageProps } from '../components/app.js';
import { Alert } from '../components/cbi.js';
import { SchemaForm } from '../components/schema-form.js';
import { Sep2CertificateSection, Sep2ClientsSection, Sep2StatusSection } from '../components/sep2-parts.js';
import { usePoll } from '../components/use-poll.js';
import { _ } from '../lib/i18n.js';
import { RpcError } from '../lib/rpc.js';
import { makeValidator } from '../lib/validate-browser.js';

const schema = schemaJson as SectionSchema;
const validate = makeValidator({ [schema.$id]: validateSep2 });

type ServiceState = { state?: string };

/** status and clients of smartgrid.sep2; a missing object is "not running", not an error. */
async function load(props: PageProps): Promise<{ status?: Sep2StatusReply & ServiceState; clients: Sep2ClientsReply['clients'] }> {
  try {
    const status = await props.rpc.call(SEP2_OBJECT, 'status') as unknown as Sep2StatusReply & ServiceState;
    const clients = status.state === 'running' ? (await props.rpc.call(SEP2_OBJECT, 'clients') as unknown as Sep2ClientsReply).clients : [];
    return { status, clients };
  } catch (error) {
    if (error instanceof RpcError && error.code === -32000) return { status: undefined, clients: [] };
    throw error;
  }
}

function Sep2(props: PageProps) {
  const poll = usePoll(() => load(props), props.pollS);
  const access = useAccess(props.rpc, { config: ['uci', 'smartgrid', 'write'] });
  const status = poll.data?.status;
  const running = status?.state === 'running' && 'listening' in status;
  return (
    <div id="sg-sep2">
      {poll.error && <Alert kind="error">{_('Could not load the status: %s', poll.error)}</Alert>}
      {poll.data && !status && <Alert kind="warning">{_('The IEEE 2030.5 server is not running.')}</Alert>}
      {status?.state === 'config-error' && <Alert kind="error">{_('The IEEE 2030.5 server has an invalid configuration.')}</Alert>}
      {status?.state === 'start-failed' && <Alert kind="error">{_('The IEEE 2030.5 server could not start: %s', String((status as { last_error?: string }).last_error ?? ''))}</Alert>}
      {running && <Sep2StatusSection status={status} />}
      {running && <Sep2CertificateSection status={status} />}
      {running && <Sep2ClientsSection clients={poll.data?.clients ?? []} />}
      {access && <SchemaForm rpc={props.rpc} schema={schema} section="sep2" readonly={!access.config} validate={validate} timings={props.timings} />}
    </div>
  );
}

registerPage('sep2', Sep2);
