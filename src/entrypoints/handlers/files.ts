import { fileNotFound } from '../../domain/errors.js';
import type { AppServices } from '../container.js';
import { createApiHandler } from '../http/api-handler.js';
import type { ApiHandler } from '../http/api-types.js';
import { parseBody, parseQuery, pathId } from '../http/request.js';
import { jsonResponse, noContent } from '../http/responses.js';
import { fileListQuery, uploadRequestBody } from '../../contract/requests.js';

/** `/files` reads, deletes and upload URLs: quick calls that never touch a file's bytes. */
export function createFilesHandler(services: Pick<AppServices, 'config' | 'logger' | 'verifier' | 'files'>): ApiHandler {
  const { files } = services;
  return createApiHandler(services, {
    'GET /files': async ({ event, identity }) => {
      const { cursor } = parseQuery(event, fileListQuery);
      return jsonResponse(200, await files.list(identity.userId, cursor === undefined ? {} : { cursor }));
    },
    'GET /files/{id}': async ({ event, identity }) =>
      jsonResponse(200, await files.get(identity.userId, pathId(event, fileNotFound))),
    'DELETE /files/{id}': async ({ event, identity }) => {
      await files.delete(identity.userId, pathId(event, fileNotFound));
      return noContent();
    },
    'POST /files/uploads': async ({ event, identity }) => {
      const request = parseBody(event, uploadRequestBody);
      return jsonResponse(201, await files.createUpload(identity.userId, request));
    },
  });
}
