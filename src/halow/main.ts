// smartgrid-halow placeholder: registers ubus `smartgrid.halow` and answers `status` with
// state "not-implemented": the HaLow AP manager is not written yet, and nothing here pretends to work.
import { halowSchema } from '../lib/config/schemas/index.js';
import { runPlaceholderService } from '../lib/placeholder-service.js';

runPlaceholderService('halow', halowSchema, 'the HaLow AP manager (S1G channel plans, AP/STA/mesh profiles, WPA3-SAE, DCU monitoring)');
