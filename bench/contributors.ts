/**
 * What a bundle is made of, from esbuild's metafile: the bytes each input left in the output, grouped by
 * package (`node_modules/<pkg>`, scoped packages as `@scope/pkg`, the innermost node_modules winning), with
 * everything outside node_modules as one line, our own code. Pure: the bench measures, this only adds up.
 */

/** The part of an esbuild metafile output this reads: each input's bytes in that output. */
export interface MetafileOutput {
  bytes: number;
  inputs: Readonly<Record<string, { bytesInOutput: number }>>;
}

export interface Contributor {
  /** The package name, or OWN_CODE. */
  name: string;
  bytes: number;
}

/** The line that stands for every input outside node_modules. */
export const OWN_CODE = '(own code)';

/** Contributors listed per function unless asked otherwise. */
export const TOP_CONTRIBUTORS = 5;

/** The package an input path belongs to (the innermost `node_modules/`), or OWN_CODE. */
export function packageOf(inputPath: string): string {
  const parts = inputPath.replaceAll('\\', '/').split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at === -1 || at + 1 >= parts.length) return OWN_CODE;
  const first = parts[at + 1] ?? '';
  if (first.startsWith('@')) {
    const second = parts[at + 2];
    return second === undefined ? first : `${first}/${second}`;
  }
  return first;
}

/** Every package's bytes in the output, largest first (ties by name); inputs that left nothing are left out. */
export function contributors(output: MetafileOutput): Contributor[] {
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    if (input.bytesInOutput <= 0) continue;
    const name = packageOf(path);
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

/** The `count` largest contributors, as `stripe 241, @smithy/core 133, (own code) 103` (KiB). */
export function describeContributors(list: readonly Contributor[], count = TOP_CONTRIBUTORS): string {
  return list
    .slice(0, count)
    .map((contributor) => `${contributor.name} ${(contributor.bytes / 1024).toFixed(0)}`)
    .join(', ');
}
