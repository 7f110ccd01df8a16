'use strict';
'require view';
'require smartgrid.page as page';

// The preact bundle smartgrid/halow.js, mounted by smartgrid/page.js.
return view.extend(page.bundleView('halow', _('HaLow')));
