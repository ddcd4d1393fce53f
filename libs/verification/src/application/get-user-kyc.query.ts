import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { replay } from '@app/shared-kernel';
import {
  kycStatusOf,
  userKyc,
  userKycStream,
  type KycStatus,
  type KycVerification,
  type UserKycEvent,
} from '../domain/user-kyc.decider';

export interface UserKycView extends KycStatus {
  /** Every verification seen for the user, in the order the first notification of each arrived. */
  readonly verifications: readonly KycVerification[];
}

/**
 * A user's KYC, folded from their `kyc-<userId>` stream rather than a read model: a debit
 * right after a 204 to a verification notification must see it (read-your-writes, on any
 * instance). The stream is short: a few events per verification.
 */
export class GetUserKycQuery extends Query<UserKycView> {
  constructor(readonly userId: string) {
    super();
  }
}

@QueryHandler(GetUserKycQuery)
export class GetUserKycHandler implements IQueryHandler<GetUserKycQuery, UserKycView> {
  constructor(private readonly store: EventStore) {}

  async execute({ userId }: GetUserKycQuery): Promise<UserKycView> {
    const recorded = await this.store.readStream(userKycStream(userId));
    const state = replay(
      userKyc,
      recorded.map((event) => ({ type: event.type, data: event.data }) as UserKycEvent),
    );
    return { ...kycStatusOf(state), verifications: [...state.verifications.values()] };
  }
}
