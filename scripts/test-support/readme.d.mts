/** One ```ts block of a Markdown document and the heading above it. */
export interface ReadmeExample {
  readonly heading: string;
  readonly code: string;
}

/** Every ```ts block, in order, with the nearest heading above it. */
export declare function readmeExamples(markdown: string): ReadmeExample[];
/** The package names given to `npm install` in the ```sh blocks (comments and flags left out). */
export declare function readmeInstallPackages(markdown: string): string[];
