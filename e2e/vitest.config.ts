import { sharedConfig } from '../vitest.shared.ts';

// The browser and load-guarantee tests start the real service and worker: give hooks room.
export default sharedConfig({ testTimeout: 60_000, hookTimeout: 120_000 });
