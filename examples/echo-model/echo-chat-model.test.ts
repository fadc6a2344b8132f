import { chatModelContract } from '../../test/contracts/chat-model.contract.js';
import { EchoChatModel } from './echo-chat-model.js';

// Every ChatModel passes the same suite: this file is all a new adapter needs to join `npm test`.
chatModelContract('EchoChatModel', () => new EchoChatModel());
