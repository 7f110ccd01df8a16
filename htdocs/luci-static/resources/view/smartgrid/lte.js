'use strict';
'require view';
'require smartgrid.page as page';

// The preact bundle smartgrid/lte.js, mounted by smartgrid/page.js.
return view.extend(page.bundleView('lte', _('LTE watchdog')));
