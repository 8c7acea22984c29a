// Typed errors for malformed input: the only exceptions the core library lets escape.

/** What went wrong, in three kinds, like a decoder's error taxonomy. */
export type BtfLensErrorKind = "truncated" | "malformed" | "unsupported";

/**
 * An error about the input file. `offset` is the byte offset in the file (or blob) where the
 * problem applies; `context` is a chain like ["datasec .data", "var foo"] that is prepended
 * to the message. `errno` is the libbpf-style negative error code bpftool would exit with.
 */
export class BtfLensError extends Error {
  override readonly name = "BtfLensError";
  readonly kind: BtfLensErrorKind;
  readonly offset: number | undefined;
  readonly errno: number;
  readonly detail: string;
  readonly context: readonly string[];

  constructor(
    kind: BtfLensErrorKind,
    detail: string,
    options: { offset?: number | undefined; errno?: number; context?: readonly string[] } = {},
  ) {
    const context = options.context ?? [];
    super(formatMessage(detail, options.offset, context));
    this.kind = kind;
    this.detail = detail;
    this.offset = options.offset;
    this.errno = options.errno ?? ERRNO.EINVAL;
    this.context = context;
  }

  /** The same error with one more level of context in front. */
  within(what: string): BtfLensError {
    const copy = new BtfLensError(this.kind, this.detail, {
      offset: this.offset,
      errno: this.errno,
      context: [what, ...this.context],
    });
    return copy;
  }
}

function formatMessage(detail: string, offset: number | undefined, context: readonly string[]): string {
  const where = offset === undefined ? "" : ` (at byte offset ${offset})`;
  const prefix = context.length > 0 ? `${context.join(": ")}: ` : "";
  return `${prefix}${detail}${where}`;
}

/** Linux errno values that libbpf returns and bpftool turns into exit codes. */
export const ERRNO = {
  ENOENT: 2,
  EIO: 5,
  ENOMEM: 12,
  EINVAL: 22,
  ENODATA: 61,
  EPROTO: 71,
  ELOOP: 40,
  E2BIG: 7,
  ENOTSUP: 95,
  ESRCH: 3,
  /**
   * Not an errno: where libbpf divides by zero, bpftool dies of SIGFPE, which a shell reports as status 136
   * (128 + 8). We fail cleanly instead, with that status (256 - 120).
   */
  BPFTOOL_SIGFPE: 120,
  /** libbpf.h: LIBBPF_ERRNO__FORMAT, __ENDIAN, __RELOC (the enum starts at 4000 with LIBELF). */
  LIBBPF_FORMAT: 4001,
  LIBBPF_ENDIAN: 4003,
  LIBBPF_RELOC: 4005,
} as const;

export function truncated(detail: string, offset?: number): BtfLensError {
  return new BtfLensError("truncated", detail, { offset, errno: ERRNO.EINVAL });
}

export function malformed(detail: string, offset?: number, errno: number = ERRNO.EINVAL): BtfLensError {
  return new BtfLensError("malformed", detail, { offset, errno });
}

export function unsupported(detail: string, offset?: number, errno: number = ERRNO.ENOTSUP): BtfLensError {
  return new BtfLensError("unsupported", detail, { offset, errno });
}

export function isBtfLensError(e: unknown): e is BtfLensError {
  return e instanceof BtfLensError;
}
