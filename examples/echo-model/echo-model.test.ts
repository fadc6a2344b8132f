import { chatModelContract } from '../../test/contracts/chat-model.contract.js';
import echoModel from './echo-model.js';

chatModelContract('echo-model.ts', () => echoModel({}));
