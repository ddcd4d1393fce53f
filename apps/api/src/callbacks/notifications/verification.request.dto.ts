import {
  isRejectionReason,
  type NotifiedUser,
  type VerificationStatus,
  type VerificationVerdict,
} from '@app/verification';
import { LenientField, text } from '../../http/lenient-field';
import { parseOpaqueId, parseUuid } from '../../http/lenient';
import { validateDto } from '../../http/validate-dto';

const nonBlank = (max: number) => (value: unknown) => {
  const parsed = text(max)(value);
  return parsed?.trim() ? parsed : undefined;
};

/**
 * The fields of `POST /notifications/verification{InProgress,Accepted,Rejected}` that are bound.
 * `status` and `reason` are read against the route (see `parseVerificationNotification`).
 * The seeds mark email and names required; they are only recorded (and used to register an
 * unknown user), so a missing one is accepted, a wrong-typed one is not.
 */
class VerificationNotificationRequestDto {
  @LenientField(parseUuid, { required: true }) verificationId!: string;
  @LenientField(parseOpaqueId, { required: true }) userId!: string;
  @LenientField(nonBlank(254), { required: false }) email?: string;
  @LenientField(nonBlank(200), { required: false }) firstName?: string;
  @LenientField(nonBlank(200), { required: false }) lastName?: string;
}

export type ParsedVerificationNotification =
  | {
      readonly kind: 'valid';
      readonly verificationId: string;
      readonly userId: string;
      readonly verdict: VerificationVerdict;
      readonly user: NotifiedUser;
    }
  | { readonly kind: 'invalid'; readonly fields: string[] };

/**
 * The route says what Antaca decided; the body's `status` must agree with it (any case).
 * A body without `status` (or `null`) takes the route's; one that says another status is a
 * contradiction we cannot resolve, so it is refused (400 naming `status`) and nothing is
 * recorded. REJECTED needs one of the five reasons of the seeds (any case); for ACCEPTED and
 * IN_PROGRESS the reason is `null` whatever was sent (kept in the recorded body), because
 * refusing an acceptance over a stray field would keep a verified user blocked.
 */
export function parseVerificationNotification(
  body: unknown,
  routeStatus: VerificationStatus,
): ParsedVerificationNotification {
  const dto = validateDto(VerificationNotificationRequestDto, body);
  if (!dto.ok && dto.fields.includes('body')) return { kind: 'invalid', fields: dto.fields };
  const raw = body as Record<string, unknown>;
  const fields = dto.ok ? [] : [...dto.fields];
  if (!agreesWithRoute(raw.status, routeStatus)) fields.push('status');
  const reason = upperCaseText(raw.reason);
  const rejectionReason = reason !== undefined && isRejectionReason(reason) ? reason : undefined;
  if (routeStatus === 'REJECTED' && rejectionReason === undefined) fields.push('reason');
  if (!dto.ok || fields.length > 0) return { kind: 'invalid', fields };

  const { verificationId, userId, email, firstName, lastName } = dto.value;
  const verdict: VerificationVerdict =
    routeStatus === 'REJECTED'
      ? { status: routeStatus, reason: rejectionReason! }
      : { status: routeStatus, reason: null };
  return {
    kind: 'valid',
    verificationId,
    userId,
    verdict,
    user: { email: email ?? null, firstName: firstName ?? null, lastName: lastName ?? null },
  };
}

function agreesWithRoute(status: unknown, routeStatus: VerificationStatus): boolean {
  if (status === undefined || status === null) return true;
  return upperCaseText(status) === routeStatus;
}

function upperCaseText(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 64 ? value.toUpperCase() : undefined;
}
