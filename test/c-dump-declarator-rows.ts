// One row per C declarator shape for the C dumper's table test: how to build the type, and the declaration libbpf prints.

import { type BtfBuilder, KIND } from "./helpers/btf-writer.js";

export interface DeclRow {
  readonly shape: string;
  /** Adds the types for this row to `b` and returns the id to declare. */
  readonly build: (b: BtfBuilder) => number;
  /** Expected `btf_dump__emit_type_decl` output for field name `x` at indent level 1 (profile 7.7). */
  readonly want: string;
  /** Expected output under profile 7.1, when it differs. */
  readonly want71?: string;
  /** Expected output with strip_mods (skeleton fields), when it differs from `want`. */
  readonly stripped?: string;
}

const int = (b: BtfBuilder): number => b.int("int", 4, { signed: true });
const char = (b: BtfBuilder): number => b.int("char", 1, { signed: true, char: true });
const idx = (b: BtfBuilder): number => b.int("__ARRAY_SIZE_TYPE__", 4);
const voidProto = (b: BtfBuilder, params: readonly (readonly [string, number])[]): number => b.funcProto(0, params);

export const DECL_ROWS: readonly DeclRow[] = [
  { shape: "int", build: int, want: "int x" },
  { shape: "float", build: (b) => b.float("double", 8), want: "double x" },
  { shape: "void pointer", build: (b) => b.ptr(0), want: "void *x" },
  { shape: "pointer to const void", build: (b) => b.ptr(b.const(0)), want: "const void *x", stripped: "void *x" },
  { shape: "pointer", build: (b) => b.ptr(int(b)), want: "int *x" },
  { shape: "pointer to pointer", build: (b) => b.ptr(b.ptr(b.ptr(int(b)))), want: "int ***x" },
  { shape: "const int", build: (b) => b.const(int(b)), want: "const int x", stripped: "int x" },
  { shape: "const volatile int", build: (b) => b.const(b.volatile(int(b))), want: "volatile const int x", stripped: "int x" },
  { shape: "pointer to const", build: (b) => b.ptr(b.const(int(b))), want: "const int *x", stripped: "int *x" },
  { shape: "const pointer", build: (b) => b.const(b.ptr(int(b))), want: "int * const x", stripped: "int *x" },
  {
    shape: "volatile const pointer to const",
    build: (b) => b.volatile(b.const(b.ptr(b.const(int(b))))),
    want: "const int * const volatile x",
    stripped: "int *x",
  },
  { shape: "restrict pointer", build: (b) => b.restrict(b.ptr(int(b))), want: "int * restrict x", stripped: "int *x" },
  { shape: "pointer to const pointer", build: (b) => b.ptr(b.const(b.ptr(char(b)))), want: "char * const *x", stripped: "char **x" },
  { shape: "array", build: (b) => b.array(int(b), idx(b), 10), want: "int x[10]" },
  { shape: "zero-length array", build: (b) => b.array(int(b), idx(b), 0), want: "int x[0]" },
  { shape: "2-D array", build: (b) => b.array(b.array(int(b), idx(b), 3), idx(b), 2), want: "int x[2][3]" },
  { shape: "array of pointers", build: (b) => b.array(b.ptr(int(b)), idx(b), 4), want: "int *x[4]" },
  { shape: "pointer to array", build: (b) => b.ptr(b.array(int(b), idx(b), 4)), want: "int (*x)[4]" },
  { shape: "const array (qualifier dropped)", build: (b) => b.const(b.array(int(b), idx(b), 4)), want: "int x[4]" },
  { shape: "array of const", build: (b) => b.array(b.const(char(b)), idx(b), 16), want: "const char x[16]", stripped: "char x[16]" },
  {
    shape: "function pointer",
    build: (b) => {
      const i = int(b);
      return b.ptr(b.funcProto(i, [["a", i], ["b", b.ptr(char(b))]]));
    },
    want: "int (*x)(int a, char *b)",
  },
  { shape: "function pointer, no parameters", build: (b) => b.ptr(voidProto(b, [])), want: "void (*x)(void)" },
  { shape: "function pointer, single void parameter", build: (b) => b.ptr(voidProto(b, [["", 0]])), want: "void (*x)(void)" },
  {
    shape: "function pointer, varargs",
    build: (b) => {
      const i = int(b);
      return b.ptr(b.funcProto(i, [["fmt", b.ptr(b.const(char(b)))], ["", 0]]));
    },
    want: "int (*x)(const char *fmt, ...)",
    // strip_mods applies to parameters too.
    stripped: "int (*x)(char *fmt, ...)",
  },
  { shape: "function pointer, unnamed parameters", build: (b) => b.ptr(voidProto(b, [["", int(b)], ["", b.ptr(0)]])), want: "void (*x)(int, void *)" },
  { shape: "array of function pointers", build: (b) => b.array(b.ptr(voidProto(b, [["", int(b)]])), idx(b), 3), want: "void (*x[3])(int)" },
  {
    shape: "function pointer returning a function pointer",
    build: (b) => {
      const i = int(b);
      const inner = b.ptr(b.funcProto(i, [["c", char(b)]]));
      return b.ptr(b.funcProto(inner, [["n", i]]));
    },
    want: "int (* (*x)(int n))(char c)",
  },
  {
    shape: "pointer to function pointer",
    build: (b) => b.ptr(b.ptr(voidProto(b, []))),
    want: "void (**x)(void)",
  },
  {
    shape: "const function pointer",
    build: (b) => b.const(b.ptr(voidProto(b, []))),
    want: "void (* const x)(void)",
    stripped: "void (*x)(void)",
  },
  {
    shape: "function pointer taking a function pointer",
    build: (b) => b.ptr(voidProto(b, [["cb", b.ptr(voidProto(b, [["", b.ptr(0)]]))]])),
    want: "void (*x)(void (*cb)(void *))",
  },
  { shape: "function prototype (no pointer)", build: (b) => b.funcProto(int(b), [["a", int(b)]]), want: "int x(int a)" },
  { shape: "typedef", build: (b) => b.typedef("u32_t", b.int("unsigned int", 4)), want: "u32_t x" },
  { shape: "pointer to typedef", build: (b) => b.ptr(b.const(b.typedef("u32_t", b.int("unsigned int", 4)))), want: "const u32_t *x", stripped: "u32_t *x" },
  { shape: "named struct", build: (b) => b.struct("foo", 4, [{ name: "a", type: int(b), bitOffset: 0 }]), want: "struct foo x" },
  { shape: "pointer to named union", build: (b) => b.ptr(b.union("u", 4, [{ name: "a", type: int(b), bitOffset: 0 }])), want: "union u *x" },
  { shape: "struct forward declaration", build: (b) => b.ptr(b.fwd("opaque")), want: "struct opaque *x" },
  { shape: "union forward declaration", build: (b) => b.fwd("uopaque", true), want: "union uopaque x" },
  { shape: "named enum", build: (b) => b.enum("color", 4, [["RED", 0]]), want: "enum color x" },
  {
    shape: "anonymous struct, inline",
    build: (b) => b.struct("", 8, [{ name: "a", type: int(b), bitOffset: 0 }, { name: "p", type: b.ptr(0), bitOffset: 0 }]),
    want: "struct {\n\t\tint a;\n\t\tvoid *p;\n\t} x",
  },
  {
    shape: "anonymous union with a bitfield, inline",
    build: (b) => b.union("", 4, [{ name: "flags", type: int(b), bitOffset: 0, bitfieldSize: 3 }, { name: "raw", type: int(b), bitOffset: 0 }]),
    want: "union {\n\t\tint flags: 3;\n\t\tint raw;\n\t} x",
  },
  { shape: "anonymous empty struct", build: (b) => b.struct("", 0, []), want: "struct {} x" },
  {
    shape: "pointer to anonymous enum",
    build: (b) => b.ptr(b.enum("", 4, [["A", 1], ["B", 4294967295]])),
    want: "enum {\n\t\tA = 1,\n\t\tB = 4294967295,\n\t} *x",
  },
  {
    shape: "anonymous signed enum",
    build: (b) => b.enum("", 4, [["NEG", -22]], true),
    want: "enum {\n\t\tNEG = -22,\n\t} x",
  },
  {
    shape: "anonymous 1-byte enum",
    build: (b) => b.enum("", 1, [["ONE", 1]]),
    want: "enum {\n\t\tONE = 1,\n\t} __attribute__((mode(byte))) x",
    want71: "enum {\n\t\tONE = 1,\n\t} x",
  },
  {
    shape: "anonymous 64-bit enum",
    build: (b) => b.enum64("", 8, [["BIG", 1n << 63n]]),
    want: "enum {\n\t\tBIG = 9223372036854775808ULL,\n\t} x",
  },
  {
    shape: "anonymous 8-byte enum with 32-bit values",
    build: (b) => b.enum64("", 8, [["SMALL", -5n], ["ONE", 1n]], true),
    want: "enum {\n\t\tSMALL = -5LL,\n\t\tONE = 1LL,\n\t} x",
  },
  {
    shape: "anonymous 8-byte enum with positive 32-bit values",
    build: (b) => b.enum64("", 8, [["FIVE", 5n]], true),
    want: "enum {\n\t\tFIVE = 5LL,\n\t} __attribute__((mode(word))) x",
    want71: "enum {\n\t\tFIVE = 5LL,\n\t} x",
  },
  {
    shape: "type tag on pointee",
    build: (b) => b.ptr(b.typeTag("user", int(b))),
    want: 'int __attribute__((btf_type_tag("user"))) *x',
    stripped: "int *x",
  },
  {
    shape: "kflag type tag (attribute)",
    build: (b) => b.ptr(b.raw({ name: "address_space(1)", kind: KIND.TYPE_TAG, vlen: 0, kflag: true, sizeOrType: int(b), extra: [] })),
    want: "int __attribute__((address_space(1))) *x",
    want71: 'int __attribute__((btf_type_tag("address_space(1)"))) *x',
    stripped: "int *x",
  },
  {
    // libbpf prints the const after the struct name with no space: a quirk kept for byte-identity.
    shape: "const before type tag",
    build: (b) => b.ptr(b.const(b.typeTag("rcu", b.struct("s", 0, [])))),
    want: 'struct sconst  __attribute__((btf_type_tag("rcu"))) *x',
    stripped: "struct s *x",
  },
];
