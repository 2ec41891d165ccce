/** A one-node, TLS-only Redis Cluster owned by one test file (see private-tls-cluster.mjs). */
export declare class PrivateTlsCluster {
  readonly port: number;
  /** `localhost:<port>`, the value of `REDIS_CLUSTER_NODES`. */
  get nodes(): string;
  /** The CA certificate's path (for `NODE_EXTRA_CA_CERTS`). */
  get caFile(): string;
  cli(...args: string[]): Promise<string>;
  static start(): Promise<PrivateTlsCluster>;
  stop(): Promise<void>;
}
