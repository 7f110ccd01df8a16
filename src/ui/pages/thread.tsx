import { registerPage } from '../components/app.js';
import { placeholderPage } from '../components/placeholder.js';

registerPage('thread', placeholderPage('thread', 'Thread')); // i18n
