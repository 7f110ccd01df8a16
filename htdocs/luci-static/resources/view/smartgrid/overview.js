'use strict';
'require view';
'require smartgrid.page as page';

// The preact bundle smartgrid/overview.js, mounted by smartgrid/page.js.
return view.extend(page.bundleView('overview', _('Smart Grid status')));
