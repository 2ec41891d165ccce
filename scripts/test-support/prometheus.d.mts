/** One sample of the Prometheus text format. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}
/** Every sample of `text`. */
export declare function parsePrometheus(text: string): PrometheusSample[];
/** The sum of the samples named `name` whose labels include `match` (0 when none). */
export declare function sampleSum(
  samples: readonly PrometheusSample[],
  name: string,
  match?: Readonly<Record<string, string>>,
): number;
