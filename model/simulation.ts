import { z } from 'zod';
import { CustomerInput } from './customer';
import { Duration } from './duration';

/** The customer a simulation runs for: a customer as `PUT /v1/customers` takes it, with an optional id. */
export const SimulatedCustomer = CustomerInput.extend({ id: z.string().min(1).default('sim-customer') });
export type SimulatedCustomer = z.infer<typeof SimulatedCustomer>;

/** Events the simulated customer causes, each a time after the start: `{ after: 2d, type: ..., data: ... }`. */
export const SimulatedEvents = z.array(
  z
    .object({
      after: Duration,
      type: z.string().min(1),
      data: z.record(z.string(), z.unknown()).default({}),
    })
    .strict(),
);
export type SimulatedEvents = z.infer<typeof SimulatedEvents>;
