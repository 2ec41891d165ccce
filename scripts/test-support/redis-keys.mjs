// The keys of one test's namespace on the shared Redis: found with SCAN (never KEYS), on every
// primary of a Cluster, and deleted by the test itself; never FLUSHDB, other suites share the server.

/** The nodes to scan: a Cluster's primaries, or the one standalone client (ioredis). */
function nodesOf(client) {
  return typeof client.nodes === 'function' ? client.nodes('master') : [client];
}

/** Every key matching `pattern` (`prefix*`), from every node. */
export async function keysMatching(client, pattern) {
  const keys = [];
  for (const node of nodesOf(client)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  return keys;
}

/**
 * Deletes every key matching `pattern`, node by node, one UNLINK per key in a pipeline (a Cluster
 * node refuses a multi-key command across hash slots, even for keys it owns).
 */
export async function deleteKeysMatching(client, pattern) {
  for (const node of nodesOf(client)) {
    const keys = await keysMatching(node, pattern);
    if (keys.length > 0) await node.pipeline(keys.map((key) => ['unlink', key])).exec();
  }
}
