// bpftool-style argument matching: keywords may be abbreviated to any prefix ("btf d f X f c").

/** True when `arg` is a non-empty prefix of `keyword`, like bpftool's is_prefix(). */
export function isPrefix(arg: string | undefined, keyword: string): boolean {
  return arg !== undefined && arg.length > 0 && keyword.startsWith(arg);
}

/** A usage error: printed as `Error: ...`, exit code 255 like bpftool's -1. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly exitCode: number;
  constructor(message: string, exitCode = 255) {
    super(message);
    this.exitCode = exitCode;
  }
}
