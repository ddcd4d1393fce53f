import { randomUUID } from 'node:crypto';
import { CompactEncrypt, importSPKI, type KeyLike } from 'jose';

/** A debit as Antaca sends it, one hold of `amountMinor` on `balanceId`. */
export function debitBody(balanceId: string, sequence: number, amountMinor: number): object {
  return {
    id: randomUUID(),
    balanceId,
    resourceId: '9d673932-3291-11ed-a261-0242ac120002',
    resource: 'card',
    transactionId: String(sequence),
    type: 'POS',
    amount: amountMinor,
    currency: 'PLN',
    status: 'AUTHORIZED',
    description: 'bench',
    date: '2023-01-01T10:10:54+00:00',
    transactionData: { mcc: '5942', cardId: '222' },
  };
}

/** The service's JWE key as `GET /public-key` gives it: base64 of a PEM SPKI. */
export async function importServiceKey(publicKeyBase64: string): Promise<KeyLike> {
  return importSPKI(Buffer.from(publicKeyBase64, 'base64').toString('utf8'), 'RSA-OAEP-256');
}

/**
 * Encrypted debit bodies made before the load starts: autocannon builds requests
 * synchronously, and the bench measures the service's decryption, not the client's encryption.
 */
export async function encryptedDebitBodies(
  key: KeyLike,
  balanceIds: readonly string[],
  count: number,
  amountMinor: number,
): Promise<string[]> {
  const bodies: string[] = [];
  for (let sequence = 0; sequence < count; sequence++) {
    const plaintext = JSON.stringify(
      debitBody(balanceIds[sequence % balanceIds.length]!, sequence, amountMinor),
    );
    const payload = await new CompactEncrypt(new TextEncoder().encode(plaintext))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })
      .encrypt(key);
    bodies.push(JSON.stringify({ payload }));
  }
  return bodies;
}
