/**
 * The credentials s3rver checks signatures against (its documented defaults); dynalite accepts any.
 * Used only with the embedded local servers, never with AWS.
 */
export const EMBEDDED_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
