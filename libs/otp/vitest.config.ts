import { sharedConfig } from '../../vitest.shared.ts';

// Two test files at a time: every file isolates itself (a random key prefix on the shared Redis
// and Cluster, its own private redis-server or cluster for outages), and most of the suite's
// time is spent waiting for windows to pass, so a second file halves the wall time on two cores.
export default sharedConfig({ fileParallelism: true, maxWorkers: 2 });
