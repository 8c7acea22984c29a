// File input and all-or-nothing stdout output for the CLI.

import { readFileSync, writeSync } from "node:fs";
import { BtfLensError, ERRNO } from "../core/errors.js";

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
  private readonly chunks: string[] = [];
  readonly sink = (chunk: string): void => {
    this.chunks.push(chunk);
  };

  text(): string {
    return this.chunks.join("");
  }

  /** Writes everything to fd 1, looping over partial writes (pipes). */
  flush(): void {
    for (const chunk of this.chunks) writeAll(1, Buffer.from(chunk, "utf8"));
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
