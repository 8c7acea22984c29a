// File input and all-or-nothing stdout output for the CLI.

import { readFileSync, writeSync } from "node:fs";
import { BtfLensError, ERRNO } from "../core/errors.js";
import { decodeLossless, encodeLossless } from "../core/text/lossless-utf8.js";

/** Reads a whole file; a missing or unreadable file becomes a BtfLensError with the errno bpftool reports. */
export function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const errno = code === "ENOENT" ? ERRNO.ENOENT : code === "EISDIR" ? 21 : code === "EACCES" ? 13 : ERRNO.EIO;
    const what = code === "ENOENT" ? "No such file or directory" : code === "EISDIR" ? "Is a directory" : code === "EACCES" ? "Permission denied" : `cannot read (${code ?? "I/O error"})`;
    throw new BtfLensError("malformed", what, { errno });
  }
}

/** Collects output so that nothing reaches stdout unless the command succeeds. */
export class OutputBuffer {
  // Chunks are encoded at once: holding the (rope) strings would keep them on the JS heap until
  // the end and make the garbage collector copy them around; Buffers live outside that heap.
  private readonly chunks: Uint8Array[] = [];
  readonly sink = (chunk: string): void => {
    // Names from an object keep their bytes (lossless-utf8): as bpftool prints them.
    this.chunks.push(encodeLossless(chunk));
  };
  /** For producers that already have UTF-8 bytes; the buffer is kept, not copied. */
  readonly sinkBytes = (chunk: Uint8Array): void => {
    this.chunks.push(chunk);
  };

  text(): string {
    return decodeLossless(Buffer.concat(this.chunks));
  }

  /** Writes everything to fd 1, looping over partial writes (pipes). */
  flush(): void {
    for (const chunk of this.chunks) writeAll(1, chunk);
    this.chunks.length = 0;
  }
}

export function writeAll(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
      throw e;
    }
  }
}
