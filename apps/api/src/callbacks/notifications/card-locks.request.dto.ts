import { isoDateTime, LenientField } from '../../http/lenient-field';
import { parseOpaqueId } from '../../http/lenient';
import { parseReasonCode } from './notification-body';

/** `POST /notifications/cardUnlocked` (seeds: External Card Block Notifier). `dcCardId` may come as a number. */
export class CardUnlockedRequestDto {
  @LenientField(parseOpaqueId, { required: true }) dcCardId!: string;
  @LenientField(isoDateTime, { required: true }) date!: string;
}

/** `POST /notifications/cardLocked`: an unlock's fields and the lock's reason. */
export class CardLockedRequestDto extends CardUnlockedRequestDto {
  @LenientField(parseReasonCode, { required: true }) reason!: string;
}
