import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isRetryableStatus } from '../domain/otp-retry-policy';

/** What one webhook call came to. */
export type WebhookResult =
  | { readonly kind: 'delivered' }
  /** Worth another try: network error, timeout, 408/425/429/5xx. */
  | { readonly kind: 'retry'; readonly error: string }
  /** A final no from the receiver (other 4xx, or a redirect: a code is not sent where we were not told to). */
  | { readonly kind: 'rejected'; readonly error: string }
  /** The service is shutting down: the call was abandoned and is not counted against the receiver. */
  | { readonly kind: 'interrupted' };

export const SIGNATURE_HEADER = 'x-otp-signature';
export const TIMESTAMP_HEADER = 'x-otp-timestamp';
export const DELIVERY_ID_HEADER = 'x-otp-delivery-id';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`: the receiver recomputes it with the shared
 * secret over the exact body bytes, compares in constant time, and rejects a timestamp older
 * than a few minutes (a replayed call).
 */
export function signOtpWebhook(secret: Buffer | string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface OtpWebhookOptions {
  readonly url: string;
  readonly secret: Buffer;
  /** The whole call, connect to last byte. */
  readonly timeoutMs: number;
}

/**
 * POSTs one OTP as JSON to `OTP_WEBHOOK_URL`, signed. No connection reuse (`agent: false`): a
 * call is rare, and nothing is left open to keep the process alive after shutdown. The
 * answer's body is discarded unread beyond draining.
 */
export class OtpWebhook {
  constructor(private readonly options: OtpWebhookOptions) {}

  send(deliveryId: string, body: string, nowMs: number, signal: AbortSignal): Promise<WebhookResult> {
    const url = new URL(this.options.url);
    const timestamp = String(Math.floor(nowMs / 1000));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<WebhookResult>((resolve) => {
      let settled = false;
      const settle = (result: WebhookResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        signal.removeEventListener('abort', abort);
        resolve(result);
      };
      const call = send(
        url,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            [DELIVERY_ID_HEADER]: deliveryId,
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signOtpWebhook(this.options.secret, timestamp, body),
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          response.resume();
          response.on('error', () => undefined);
          response.on('end', () => settle(classify(status)));
        },
      );
      const deadline = setTimeout(
        () => call.destroy(new Error(`timed out after ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      const abort = () => {
        settle({ kind: 'interrupted' });
        call.destroy();
      };
      signal.addEventListener('abort', abort);
      call.on('error', (error: NodeJS.ErrnoException) =>
        settle({ kind: 'retry', error: error.code ?? error.message.slice(0, 200) }),
      );
      if (signal.aborted) abort();
      else call.end(body);
    });
  }
}

function classify(status: number): WebhookResult {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const error = `HTTP ${status}`;
  return isRetryableStatus(status) ? { kind: 'retry', error } : { kind: 'rejected', error };
}
