// Watches the directories of the objects the server has parsed, so that a rebuild is seen at once.
//
// The editor's file events (workspace/didChangeWatchedFiles) arrive a few hundred ms after the
// compiler writes an object in VS Code, and not at all from editors that cannot register watchers;
// the server's own watch covers both. Directories, not files: compilers write a temporary file and
// rename it over the object, which replaces the inode a file watch would follow.

import { isObjectFileName } from "./discovery.js";
import { type FileAccessor, paths } from "./files.js";

/** Most directories watched at once (the least recently used one is dropped first). */
export const MAX_WATCHED_DIRS = 64;

export class ObjectDirWatcher {
  private readonly dirs = new Map<string, () => void>();

  constructor(
    private readonly fs: FileAccessor,
    /** Called with the path of an object file that was created, changed or removed. */
    private readonly onObject: (path: string) => void,
    private readonly maxDirs = MAX_WATCHED_DIRS,
  ) {}

  /** Starts watching the directory of `objectPath` (a no-op when it is already watched). */
  watchObjectDir(objectPath: string): void {
    if (!this.fs.watchDir) return;
    const dir = paths.dirname(objectPath);
    const known = this.dirs.get(dir);
    if (known) {
      this.dirs.delete(dir);
      this.dirs.set(dir, known);
      return;
    }
    const stop = this.fs.watchDir(dir, (name) => {
      if (isObjectFileName(name)) this.onObject(paths.join(dir, name));
    });
    if (!stop) return;
    this.dirs.set(dir, stop);
    for (const [oldest, stopOldest] of this.dirs) {
      if (this.dirs.size <= this.maxDirs) break;
      stopOldest();
      this.dirs.delete(oldest);
    }
  }

  get watched(): string[] {
    return [...this.dirs.keys()];
  }

  dispose(): void {
    for (const stop of this.dirs.values()) stop();
    this.dirs.clear();
  }
}
