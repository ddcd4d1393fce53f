import { LenientField, text } from '../http/lenient-field';
import { parseOpaqueId } from '../http/lenient';

const positiveAmount = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
const nonEmpty = (max: number) => (value: unknown) => {
  const parsed = text(max)(value);
  return parsed?.trim() ? parsed : undefined;
};

/** `POST /operator/users`. */
export class RegisterUserRequestDto {
  @LenientField(parseOpaqueId, { required: true }) userId!: string;
  @LenientField(nonEmpty(254), { required: false }) email?: string;
  @LenientField(nonEmpty(100), { required: false }) firstName?: string;
  @LenientField(nonEmpty(100), { required: false }) lastName?: string;
  @LenientField(parseOpaqueId, { required: false }) corporationId?: string;
}

/** `POST /operator/balances/:balanceId/credits|debits`: an amount in minor units, why, and the bank's reference. */
export class MoneyMoveRequestDto {
  @LenientField(positiveAmount, { required: true }) amount!: number;
  @LenientField(nonEmpty(200), { required: true }) reason!: string;
  @LenientField(nonEmpty(200), { required: true }) reference!: string;
}
