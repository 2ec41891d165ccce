/** The monorepo root. */
export declare const REPO_ROOT: string;
/** Runs npm in `cwd`, quietly, and returns its stdout. */
export declare function npm(args: readonly string[], cwd: string): string;
/** Builds a library with its own `build` script, then packs it into `into`. */
export declare function packLibrary(libDir: string, into: string): { tarball: string; files: string[] };
/** `npm install`s `specs` (tarballs, registry packages) into a project. */
export declare function npmInstall(dir: string, specs: readonly string[]): void;
/** A new ESM project at `dir` with `specs` installed and `files` written into it. */
export declare function freshProject(
  dir: string,
  specs: readonly string[],
  files?: Readonly<Record<string, string>>,
): string;
/** A strict consumer's compiler settings: the monorepo's own strictness, no skipLibCheck. */
export declare const STRICT_CONSUMER_OPTIONS: Readonly<Record<string, unknown>>;
/** Type-checks a project and resolves with its error lines (less those inside the packages in `ignore`). */
export declare function typeErrors(
  dir: string,
  options?: {
    compilerOptions?: Readonly<Record<string, unknown>>;
    include?: readonly string[];
    ignore?: readonly string[];
  },
): Promise<string[]>;
/** publint --strict on a tarball: its errors and warnings, formatted. */
export declare function publintProblems(tarball: string): Promise<string[]>;
