// consumeAll when the keys live in different Redis Cluster slots, so no single script can see
// them all. The compensating path (README "Cluster"):
//   1. peek every rule; if one is exhausted, deny without counting (countDenied rules still count);
//   2. consume every rule, each atomically (a rule never goes past its limit);
//   3. if a concurrent caller exhausted a rule in between, refund the rules this call took.
// Over-consumption is impossible (step 2 is atomic per rule); the cost of a race is that a rule
// briefly holds a hit that is then given back, which may deny another caller early.
// Every step gets the call's deadline: nothing is counted once the caller has had its timeout.
// The refunds get a deadline of their own, as they only ever give back what this call took.
// With a shield, a refunded key is forgotten there: a concurrent call may have been denied by the
// hit this call held for a moment.
import type { RateLimitAllDecision, RateLimitItem } from '../types.js';
import {
  combineDecisions,
  consumeDecision,
  peekDecision,
  unpackConsume,
  windowDecision,
} from './decisions.js';
import type { StoreCaller } from './store-caller.js';
import type { WindowReply, WindowSpec } from './store.js';

export async function consumeAcrossSlots(
  caller: StoreCaller,
  items: readonly RateLimitItem[],
  keys: readonly string[],
  specs: readonly WindowSpec[],
  deadline: number,
  forget?: (key: string) => void,
): Promise<RateLimitAllDecision> {
  const { store } = caller;
  const peeked = await Promise.all(keys.map((key) => store.peekWindow(key, deadline)));
  if (performance.now() >= deadline) throw caller.timeoutError();
  if (peeked.some((r, i) => r[0] >= specs[i]!.limit)) {
    const decisions = await Promise.all(
      items.map(async (_item, i) => {
        const spec = specs[i]!;
        if (!spec.countDenied) return peekDecision(peeked[i]![0], peeked[i]![1], spec.limit);
        const reply = await store.consumeWindow(keys[i]!, spec.limit, spec.windowMs, true, deadline);
        return consumeDecision(reply, spec.limit);
      }),
    );
    return combineDecisions(items, decisions);
  }

  const settled = await Promise.allSettled(
    keys.map((key, i) =>
      store
        .consumeWindow(key, specs[i]!.limit, specs[i]!.windowMs, specs[i]!.countDenied, deadline)
        .then(unpackConsume),
    ),
  );
  const taken = settled.map((s) => s.status === 'fulfilled' && s.value[0] > 0);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const lostRace = settled.some((s) => s.status === 'fulfilled' && s.value[0] < 0);
  if (!failed && !lostRace) {
    return combineDecisions(
      items,
      settled.map((s, i) => {
        const [n, ttl] = (s as PromiseFulfilledResult<WindowReply>).value;
        return windowDecision(n, ttl, specs[i]!.limit);
      }),
    );
  }

  // Compensate: give back what this call took, then report (or rethrow the fault).
  const refundBy = performance.now() + caller.timeoutMs;
  const refunded = await Promise.all(
    keys.map((key, i) => (taken[i] ? store.refundWindow(key, 1, specs[i]!.windowMs, refundBy) : undefined)),
  );
  if (forget !== undefined) keys.forEach((key, i) => taken[i] && forget(key));
  if (failed) throw failed.reason;
  return combineDecisions(
    items,
    settled.map((s, i) => {
      const [n, ttl] = (s as PromiseFulfilledResult<WindowReply>).value;
      if (n < 0) return windowDecision(n, ttl, specs[i]!.limit);
      const after = refunded[i]!;
      return peekDecision(after[0], after[1], specs[i]!.limit);
    }),
  );
}
