import { createChatHandler } from '../handlers/chat.js';
import { services } from './services.js';

/** `POST /chat` for an API without response streaming: the whole answer in one response. */
export const handler = createChatHandler(services);
