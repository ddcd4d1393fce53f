import { replay } from '@app/shared-kernel';
import type { OtpDeliveryCommand } from '../otp-delivery.commands';
import { otpDelivery } from '../otp-delivery.decider';
import type { OtpDeliveryEvent } from '../otp-delivery.events';
import type { OtpDeliveryState } from '../otp-delivery.state';

/** given(events).when(command).then(events), folding from a fresh initial state. */
export function given(history: readonly OtpDeliveryEvent[]) {
  return {
    when(command: OtpDeliveryCommand) {
      const before = replay(otpDelivery, history);
      const decide = () => otpDelivery.decide(command, before);
      return {
        then(expected: readonly OtpDeliveryEvent[]): OtpDeliveryState {
          const events = decide();
          expect(events).toEqual(expected);
          return replay(otpDelivery, [...history, ...events]);
        },
        thenThrows(message: RegExp): void {
          expect(decide).toThrow(message);
        },
      };
    },
  };
}
