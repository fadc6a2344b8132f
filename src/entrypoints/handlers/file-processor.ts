import { DomainError, fileNotFound } from '../../domain/errors.js';
import { formatBytes } from '../../domain/file-service.js';
import type { AppServices } from '../container.js';
import { createApiHandler } from '../http/api-handler.js';
import type { ApiHandler } from '../http/api-types.js';
import { parseBody, pathId } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import { inlineFileBody } from '../../contract/requests.js';

/** The routes that read a file's bytes and extract its text: the heavy work, in its own Lambda. */
export function createFileProcessorHandler(services: Pick<AppServices, 'config' | 'logger' | 'verifier' | 'files'>): ApiHandler {
  const { files } = services;
  const maxInline = services.config.files.maxInlineBytes;
  return createApiHandler(services, {
    'POST /files': async ({ event, identity }) => {
      const body = parseBody(event, inlineFileBody);
      // Refuse before decoding: base64 is 4 characters for every 3 bytes.
      if (Math.floor((body.data.length * 3) / 4) - 2 > maxInline) {
        throw new DomainError(
          'too_large',
          'FILE_TOO_LARGE',
          `The file is larger than ${formatBytes(maxInline)}. Send larger files through an upload URL (POST /files/uploads).`,
        );
      }
      const bytes = Buffer.from(body.data, 'base64');
      const file = await files.upload(identity.userId, { fileName: body.fileName, contentType: body.contentType, bytes });
      return jsonResponse(201, file);
    },
    'POST /files/{id}/process': async ({ event, identity }) =>
      jsonResponse(200, await files.process(identity.userId, pathId(event, fileNotFound))),
  });
}
