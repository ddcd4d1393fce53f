import { LenientField } from '../../http/lenient-field';
import { parseCurrency, parseUuid } from '../../http/lenient';

/** `POST /users/:id/balances` body. */
export class LinkBalanceRequestDto {
  @LenientField(parseUuid, { required: true }) balanceId!: string;
  @LenientField(parseCurrency, { required: true }) currency!: string;
}
