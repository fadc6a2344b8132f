import { conversationNotFound } from '../../domain/errors.js';
import type { AppServices } from '../container.js';
import { createApiHandler } from '../http/api-handler.js';
import type { ApiHandler } from '../http/api-types.js';
import { parseBody, parseQuery, pathId } from '../http/request.js';
import { jsonResponse, noContent } from '../http/responses.js';
import { conversationQuery, listQuery, renameBody } from '../../contract/requests.js';

/** `/conversations` and `/conversations/{id}`: the history. */
export function createConversationsHandler(services: Pick<AppServices, 'config' | 'logger' | 'verifier' | 'conversations'>): ApiHandler {
  const { conversations } = services;
  return createApiHandler(services, {
    'GET /conversations': async ({ event, identity }) => {
      const query = parseQuery(event, listQuery);
      const page = await conversations.list(identity.userId, query);
      return jsonResponse(200, page);
    },
    'GET /conversations/{id}': async ({ event, identity }) => {
      const id = pathId(event, conversationNotFound);
      const { before } = parseQuery(event, conversationQuery);
      const conversation = await conversations.get(identity.userId, id, before === undefined ? {} : { before });
      return jsonResponse(200, conversation);
    },
    'PATCH /conversations/{id}': async ({ event, identity }) => {
      const id = pathId(event, conversationNotFound);
      const { title } = parseBody(event, renameBody);
      return jsonResponse(200, await conversations.rename(identity.userId, id, title));
    },
    'DELETE /conversations/{id}': async ({ event, identity }) => {
      await conversations.delete(identity.userId, pathId(event, conversationNotFound));
      return noContent();
    },
  });
}
