import { registerPage } from '../components/app.js';
import { placeholderPage } from '../components/placeholder.js';

registerPage('halow', placeholderPage('halow', 'HaLow')); // i18n
