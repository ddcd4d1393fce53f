import { assertNever, type Decider, type DomainEvent } from '@app/shared-kernel';

/** Stream of one user: `user-<userId>`. A user must exist before a balance is linked to it. */
export const userStream = (userId: string): string => `user-${userId}`;

export interface UserDetails {
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  /** The corporation whose transactional lock reasons also apply to this user. */
  readonly corporationId: string | null;
}

export interface RegisterUser {
  readonly type: 'RegisterUser';
  readonly userId: string;
  readonly details: UserDetails;
}

export type UserCommand = RegisterUser;

export type UserRegistered = DomainEvent<'UserRegistered', { userId: string } & UserDetails>;

export type UserEvent = UserRegistered;

export interface UserState {
  /** False until the operator (or a KYC notification) registered the user. */
  readonly registered: boolean;
  readonly details: UserDetails | null;
}

/** Registering is idempotent: a second registration of the same id changes nothing. */
export const user: Decider<UserCommand, UserState, UserEvent> = {
  initialState: () => ({ registered: false, details: null }),
  evolve: (_state, event) => {
    switch (event.type) {
      case 'UserRegistered': {
        const { userId: _userId, ...details } = event.data;
        return { registered: true, details };
      }
      default:
        return assertNever(event.type);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterUser':
        return state.registered
          ? []
          : [{ type: 'UserRegistered', data: { userId: command.userId, ...command.details } }];
      default:
        return assertNever(command.type);
    }
  },
};
