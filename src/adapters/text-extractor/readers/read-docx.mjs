/**
 * The one place that calls mammoth. Plain JavaScript for the same reason as read-pdf.mjs. HTML
 * rather than mammoth's raw text: it keeps what a reader needs (headings, list items, table cells),
 * which html-to-text.ts turns into Markdown-like text.
 */

/** @returns {Promise<import('./read-docx.d.mts').DocxReadResult>} */
export async function readDocx(bytes) {
  const { default: mammoth } = await import('mammoth');
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // Images are never decompressed: an <img> keeps only its alt text, which mammoth adds itself.
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    return { outcome: 'ok', html: result.value };
  } catch (error) {
    return { outcome: 'failed', message: String(error?.message ?? error) };
  }
}
