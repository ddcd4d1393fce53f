import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for the codes waiting in the outbox. The delivery id is bound as associated
 * data, so a sealed code copied onto another row does not open. Layout: iv | tag | ciphertext.
 *
 * What it protects: a copy of the outbox file alone (a backup, a support dump) shows no code.
 * What it does not: someone who can read both the outbox and the key file under DATA_DIR;
 * keep DATA_DIR private to the service's user (the key file is created 0600).
 */
export class OtpCodeCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new RangeError(`The OTP outbox key must be ${KEY_BYTES} bytes`);
  }

  static newKey(): Buffer {
    return randomBytes(KEY_BYTES);
  }

  seal(code: string, deliveryId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(deliveryId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  /** Throws when the sealed bytes were altered, or sealed for another delivery or key. */
  open(sealed: Buffer, deliveryId: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(deliveryId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }
}
