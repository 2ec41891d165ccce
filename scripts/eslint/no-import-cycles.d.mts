import type { Rule } from 'eslint';

/** ESLint rule `tses/no-import-cycles` (see no-import-cycles.mjs). */
export declare const noImportCycles: Rule.RuleModule;
