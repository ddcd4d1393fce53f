import { LenientField } from '../http/lenient-field';
import { parseOpaqueId } from '../http/lenient';

/** `PUT /operator/users/:userId/corporation`. */
export class AttachToCorporationRequestDto {
  @LenientField(parseOpaqueId, { required: true }) corporationId!: string;
}
