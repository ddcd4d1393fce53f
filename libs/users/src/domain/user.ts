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

/** The operator attaches an existing user to a corporation (or moves it to another one). */
export interface AttachUserToCorporation {
  readonly type: 'AttachUserToCorporation';
  readonly userId: string;
  readonly corporationId: string;
}

export type UserCommand = RegisterUser | AttachUserToCorporation;

export type UserRegistered = DomainEvent<'UserRegistered', { userId: string } & UserDetails>;

/** From now on the corporation's transactional lock reasons apply to the user. */
export type UserAttachedToCorporation = DomainEvent<
  'UserAttachedToCorporation',
  { userId: string; corporationId: string; previousCorporationId: string | null }
>;

export type UserEvent = UserRegistered | UserAttachedToCorporation;

export interface UserState {
  /** False until the operator (or a KYC notification) registered the user. */
  readonly registered: boolean;
  readonly details: UserDetails | null;
}

/**
 * Registering is idempotent: a second registration of the same id changes nothing.
 * Attaching sets the corporation: again to the same one changes nothing, and a user that is
 * not registered cannot be attached (nothing is decided; the handler answers "not found").
 */
export const user: Decider<UserCommand, UserState, UserEvent> = {
  initialState: () => ({ registered: false, details: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'UserRegistered': {
        const { userId: _userId, ...details } = event.data;
        return { registered: true, details };
      }
      case 'UserAttachedToCorporation': {
        if (state.details === null)
          throw new Error(`User ${event.data.userId} attached before it was registered`);
        return { ...state, details: { ...state.details, corporationId: event.data.corporationId } };
      }
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterUser':
        return state.registered
          ? []
          : [{ type: 'UserRegistered', data: { userId: command.userId, ...command.details } }];
      case 'AttachUserToCorporation': {
        const previousCorporationId = state.details?.corporationId ?? null;
        if (!state.registered || previousCorporationId === command.corporationId) return [];
        const { userId, corporationId } = command;
        return [
          { type: 'UserAttachedToCorporation', data: { userId, corporationId, previousCorporationId } },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};
