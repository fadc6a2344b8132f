import { createConversationsHandler } from '../handlers/conversations.js';
import { services } from './services.js';

export const handler = createConversationsHandler(services);
