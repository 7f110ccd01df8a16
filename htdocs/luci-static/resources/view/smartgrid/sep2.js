'use strict';
'require view';
'require smartgrid.page as page';

// The preact bundle smartgrid/sep2.js, mounted by smartgrid/page.js.
return view.extend(page.bundleView('sep2', _('IEEE 2030.5 server')));
