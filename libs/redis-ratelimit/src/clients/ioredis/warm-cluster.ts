// A Cluster is `ready` once it has the slot map from one node; ioredis creates the connection to
// every other node with `lazyConnect` (ioredis `cluster/ConnectionPool.js`,
// `createRedisFromOptions`), so each waits for its first command. Starting those connections as
// soon as the Cluster is ready, and whenever a slots refresh adds a node, means a burst of calls
// seldom finds a node still connecting. It is only a head start: the adapter's `whenReady` is
// what makes a call wait for a node that is not ready yet.
import type { IoredisConnection, IoredisLike } from './ioredis-shape.js';

const warmed = new WeakSet<object>();

const noop = (): void => undefined;

/** Connects `cluster`'s primaries in the background now (if ready) and whenever it adds one. */
export function warmCluster(cluster: IoredisLike): void {
  if (warmed.has(cluster)) return;
  warmed.add(cluster);
  // Never before `ready`: the Cluster's ready check (`CLUSTER INFO` to a random primary) fails
  // on a node that is still connecting, and the Cluster would then reconnect.
  const connect = (node: IoredisConnection) => {
    if (cluster.status === 'ready' && node.status === 'wait' && !node.options.readOnly) {
      node.connect().catch(noop); // failures surface as node errors, and to the calls that need the node
    }
  };
  const connectAll = () => cluster.nodes?.('master').forEach(connect);
  cluster.on('+node', connect);
  cluster.on('ready', connectAll);
  connectAll();
}
