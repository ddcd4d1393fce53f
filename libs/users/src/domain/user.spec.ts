import { replay } from '@app/shared-kernel';
import { user, type RegisterUser, type UserEvent } from './user';

const register = (userId = 'u-1'): RegisterUser => ({
  type: 'RegisterUser',
  userId,
  details: { email: 'jan@example.com', firstName: 'Jan', lastName: 'Kowalski', corporationId: null },
});

describe('user', () => {
  it('registers a user that does not exist yet', () => {
    expect(user.decide(register(), user.initialState())).toEqual([
      {
        type: 'UserRegistered',
        data: {
          userId: 'u-1',
          email: 'jan@example.com',
          firstName: 'Jan',
          lastName: 'Kowalski',
          corporationId: null,
        },
      },
    ]);
  });

  it('changes nothing when the user is registered again', () => {
    const given = replay<ReturnType<typeof user.initialState>, UserEvent>(
      user,
      user.decide(register(), user.initialState()),
    );
    expect(given.registered).toBe(true);
    expect(user.decide(register(), given)).toEqual([]);
  });
});
