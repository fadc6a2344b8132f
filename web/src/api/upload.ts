import { ApiError } from './client';
import type { UploadSlot } from './types';

/**
 * PUTs a file to its presigned URL with progress events. fetch cannot report upload progress, so
 * this one call uses XMLHttpRequest; the factory is a parameter so tests can give their own.
 */
export function putWithProgress(
  slot: UploadSlot,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
  makeRequest: () => XMLHttpRequest = () => new XMLHttpRequest(),
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = makeRequest();
    xhr.open(slot.method, slot.uploadUrl);
    for (const [name, value] of Object.entries(slot.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(xhr.status, 'UPLOAD_FAILED', `The upload was refused (${xhr.status}). Try again.`));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', 'The upload was interrupted. Check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** Base64 of a file's bytes, for `POST /files`. */
export async function toBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}
