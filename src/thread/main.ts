// smartgrid-thread placeholder: registers ubus `smartgrid.thread` and answers `status` with
// state "not-implemented": the Thread RCP bridge is not written yet, and nothing here pretends to work.
import { threadSchema } from '../lib/config/schemas/index.js';
import { runPlaceholderService } from '../lib/placeholder-service.js';

runPlaceholderService('thread', threadSchema, 'the Thread RCP bridge (RCP probe and recovery, otbr-agent network formation, CoAP to MQTT bridge)');
