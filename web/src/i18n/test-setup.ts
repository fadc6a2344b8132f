import { loadLocale } from './index';

// Component tests mount in either language with a synchronous createAppI18n: both are loaded first.
await loadLocale('fr');
