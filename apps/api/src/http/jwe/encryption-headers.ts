import type { FastifyRequest } from 'fastify';

/** The media type of an encrypted body (seeds, P2P JWE section). */
export const JWE_CONTENT_TYPE = 'application/x-jwe-encryption-body+json';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

/** `Encrypted-Request: true` (both directions) or the JWE content type (request only). */
export function isEncryptedRequest(request: FastifyRequest): boolean {
  const contentType = header(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  return isTrue(header(request, 'encrypted-request')) || contentType === JWE_CONTENT_TYPE;
}

/** `Encrypted-Request: true` or `Encrypt-Response: true`: a 2xx body goes back encrypted. */
export function wantsEncryptedResponse(request: FastifyRequest): boolean {
  return isTrue(header(request, 'encrypted-request')) || isTrue(header(request, 'encrypt-response'));
}

export function publicKeyHeader(request: FastifyRequest): string | undefined {
  return header(request, 'public-key');
}
