import { replay } from '@app/shared-kernel';
import { user, type AttachUserToCorporation, type UserEvent } from './user';

const registered = (corporationId: string | null = null): UserEvent => ({
  type: 'UserRegistered',
  data: { userId: 'u-1', email: null, firstName: null, lastName: null, corporationId },
});

const attach = (corporationId: string): AttachUserToCorporation => ({
  type: 'AttachUserToCorporation',
  userId: 'u-1',
  corporationId,
});

const given = (history: UserEvent[]) => replay(user, history);

describe('user: attaching to a corporation', () => {
  it('attaches a registered user without a corporation', () => {
    const events = user.decide(attach('corp-1'), given([registered()]));
    expect(events).toEqual([
      {
        type: 'UserAttachedToCorporation',
        data: { userId: 'u-1', corporationId: 'corp-1', previousCorporationId: null },
      },
    ]);
    expect(given([registered(), ...events]).details?.corporationId).toBe('corp-1');
  });

  it('moves a user to another corporation, naming the previous one', () => {
    const history = [registered('corp-1')];
    const events = user.decide(attach('corp-2'), given(history));
    expect(events).toEqual([
      {
        type: 'UserAttachedToCorporation',
        data: { userId: 'u-1', corporationId: 'corp-2', previousCorporationId: 'corp-1' },
      },
    ]);
    expect(given([...history, ...events]).details).toMatchObject({ corporationId: 'corp-2' });
  });

  it('changes nothing when the user is attached to its corporation again', () => {
    const attached: UserEvent = {
      type: 'UserAttachedToCorporation',
      data: { userId: 'u-1', corporationId: 'corp-1', previousCorporationId: null },
    };
    expect(user.decide(attach('corp-1'), given([registered(), attached]))).toEqual([]);
    expect(user.decide(attach('corp-1'), given([registered('corp-1')]))).toEqual([]);
  });

  it('decides nothing for a user that is not registered', () => {
    const state = given([]);
    expect(user.decide(attach('corp-1'), state)).toEqual([]);
    expect(state.registered).toBe(false);
  });

  it('keeps the other details when attaching', () => {
    const history: UserEvent[] = [
      {
        type: 'UserRegistered',
        data: {
          userId: 'u-1',
          email: 'jan@example.com',
          firstName: 'Jan',
          lastName: 'K',
          corporationId: null,
        },
      },
    ];
    const events = user.decide(attach('corp-1'), given(history));
    expect(given([...history, ...events]).details).toEqual({
      email: 'jan@example.com',
      firstName: 'Jan',
      lastName: 'K',
      corporationId: 'corp-1',
    });
  });
});
