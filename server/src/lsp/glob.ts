// A small glob matcher for btfLens.objectSearchPaths: `*`, `?`, `**` and `{a,b}` over POSIX paths.

export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else {
        re += "[^/]*";
      }
    } else if (c === "?") {
      re += "[^/]";
    } else if (c === "{") {
      const close = glob.indexOf("}", i);
      if (close < 0) {
        re += "\\{";
        continue;
      }
      const alts = glob.slice(i + 1, close).split(",").map((a) => a.replace(/[.+^$()|[\]\\*?]/g, "\\$&"));
      re += `(?:${alts.join("|")})`;
      i = close;
    } else {
      re += c.replace(/[.+^$(){}|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${re}$`);
}

export function hasGlobChars(s: string): boolean {
  return /[*?{]/.test(s);
}
