/**
 * The sandbox SMART server's signing key (RS256, made once per process) and
 * what it signs: the id_token (token.ts) and the JWKS that lets a client
 * check it.
 */
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

let signingKey: { privateKey: KeyObject; jwk: Record<string, unknown> } | undefined;

function key() {
  if (!signingKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    signingKey = {
      privateKey,
      jwk: { ...publicKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' },
    };
  }
  return signingKey;
}

export function idToken(claims: Record<string, unknown>): string {
  const { privateKey, jwk } = key();
  const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${enc({ alg: 'RS256', typ: 'JWT', kid: jwk['kid'] })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url');
  return `${head}.${signature}`;
}

export function jwks(): Record<string, unknown> {
  return { keys: [key().jwk] };
}
