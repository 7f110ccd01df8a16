'use strict';
'require view';
'require smartgrid.page as page';

// The preact bundle smartgrid/telemetry.js, mounted by smartgrid/page.js.
return view.extend(page.bundleView('telemetry', _('Telemetry forwarder')));
