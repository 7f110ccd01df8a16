'use strict';
'require view';
'require smartgrid.page as page';

// The preact bundle smartgrid/thread.js, mounted by smartgrid/page.js.
return view.extend(page.bundleView('thread', _('Thread')));
