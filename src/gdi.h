/*
 * gdi.h — internals shared across libgongdan's files.
 *
 * Holds the pieces every subsystem uses: the context (allocator hook,
 * limits, diagnostics), length-carrying strings, arenas, and growable
 * buffers. Nothing here is part of the public API; symbols are gdi_ and
 * hidden by -fvisibility=hidden.
 *
 * Invariants
 *  - All memory goes through gdi_alloc/gdi_realloc/gdi_free on a ctx so the
 *    allocator hook sees every allocation (fault injection relies on it).
 *  - An arena hands out memory that lives until the arena is reset or freed;
 *    nothing allocated from an arena is freed individually.
 *  - Document bytes are never assumed NUL-terminated: use gd_str.
 */
#ifndef GDI_H
#define GDI_H

#include "gongdan.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------ strings */

/* A borrowed byte string: pointer and length travel together. */
typedef struct gd_str {
    const char *p; /* first byte; may be NULL when n == 0 */
    size_t n;      /* length in bytes */
} gd_str;

#define GD_STR_LIT(s) ((gd_str){(s), sizeof(s) - 1})

/* a[0..n) == b[0..n), inline: the keys and values compared in the hot
 * paths are a few to a few dozen bytes, where a call to memcmp costs more
 * than the compare. Loads stay inside both ranges (overlapping at the end). */
static inline bool gdi_bytes_eq(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y) return false;
        }
        if (i == n) return true;
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        memcpy(&u, a + n - 4, 4);
        memcpy(&v, b + n - 4, 4);
        return x == y && u == v;
    }
    if (n >= 2) {
        uint16_t x, y, u, v;
        memcpy(&x, a, 2);
        memcpy(&y, b, 2);
        memcpy(&u, a + n - 2, 2);
        memcpy(&v, b + n - 2, 2);
        return x == y && u == v;
    }
    return n == 0 || a[0] == b[0];
}
static inline gd_str gd_str_c(const char *s)
{
    return (gd_str){s, s ? strlen(s) : 0};
}
static inline bool gd_str_eq(gd_str a, gd_str b)
{
    return a.n == b.n && gdi_bytes_eq(a.p, b.p, a.n);
}
static inline bool gd_str_eqc(gd_str a, const char *c)
{
    size_t n = strlen(c);
    return a.n == n && (n == 0 || memcmp(a.p, c, n) == 0);
}

/* ------------------------------------------------------------ context */

typedef struct gdi_diag {
    char *msg;             /* "file:line:col: message", owned by ctx */
    gd_severity_diag kind; /* error or warning */
} gdi_diag;

struct gd_ctx {
    gd_allocator alloc;              /* copied from gd_ctx_new */
    uint64_t limits[GD_LIMIT__COUNT]; /* current limits */
    gdi_diag *diags;                 /* diagnostics, in order */
    size_t ndiags, capdiags;         /* count and capacity */
    size_t nerrors;                  /* how many diags are errors */
    bool diag_nomem;                 /* a diagnostic was dropped for lack of memory */
};

/* Drop the diagnostics recorded after the first n (a piece of work that is
 * being done again). */
void gdi_diag_truncate(gd_ctx *ctx, size_t n);

/* Allocation through the ctx's hook. NULL means out of memory. */
void *gdi_alloc(gd_ctx *ctx, size_t n);
void *gdi_calloc(gd_ctx *ctx, size_t count, size_t size); /* overflow-checked, zeroed */
void *gdi_realloc(gd_ctx *ctx, void *p, size_t n);
void gdi_free(gd_ctx *ctx, void *p);
char *gdi_strndup(gd_ctx *ctx, const char *s, size_t n); /* NUL-terminated copy */

/* Grow *buf (element size esz) so it holds at least need elements.
 * Doubles capacity; returns GD_NOMEM on failure (buffer unchanged). */
gd_status gdi_grow(gd_ctx *ctx, void **buf, size_t *cap, size_t need, size_t esz);

/* Record a diagnostic. file may be NULL; line/col 0 mean unknown. The
 * message is formatted printf-style. Returns GD_NOMEM only if the
 * diagnostic itself could not be stored (it is then counted as dropped). */
gd_status gdi_diag_add(gd_ctx *ctx, gd_severity_diag kind, const char *file, uint32_t line,
                       uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
gd_status gdi_diag_addv(gd_ctx *ctx, gd_severity_diag kind, const char *file, uint32_t line,
                        uint32_t col, const char *fmt, va_list ap);
/* Shorthand for an error diagnostic; returns st so callers can write
 * `return gdi_err(ctx, GD_SYNTAX, file, l, c, "...")`. */
gd_status gdi_err(gd_ctx *ctx, gd_status st, const char *file, uint32_t line, uint32_t col,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Move all diagnostics of src to the end of dst (both ctxs share an allocator). */
gd_status gdi_diag_move(gd_ctx *dst, gd_ctx *src);

/* A child context with the same allocator and limits, for a worker thread. */
gd_status gdi_ctx_clone(gd_ctx *parent, gd_ctx **out);

static inline uint64_t gdi_limit(const gd_ctx *ctx, gd_limit l)
{
    return ctx->limits[l];
}

/* -------------------------------------------------------------- arena */

/* Bump allocator made of chained blocks. Alignment is 16 bytes. */
typedef struct gdi_arena_block gdi_arena_block;
typedef struct gdi_arena {
    gd_ctx *ctx;            /* allocator owner, borrowed */
    gdi_arena_block *head;  /* current block (newest first) */
    size_t block_size;      /* default size of a new block */
    size_t total;           /* bytes in all blocks, for accounting */
} gdi_arena;

void gdi_arena_init(gdi_arena *a, gd_ctx *ctx, size_t block_size);
void *gdi_arena_alloc(gdi_arena *a, size_t n);            /* NULL on out of memory */
void *gdi_arena_calloc(gdi_arena *a, size_t n);           /* zeroed */
char *gdi_arena_strndup(gdi_arena *a, const char *s, size_t n); /* NUL-terminated */
/* Free every block but the first, and rewind it: memory is reused. */
void gdi_arena_reset(gdi_arena *a);
void gdi_arena_free(gdi_arena *a);
/* Move every block of src into dst (both on allocators of the same hook):
 * memory handed out by src stays valid and is freed with dst. src is left
 * empty and reusable. */
void gdi_arena_adopt(gdi_arena *dst, gdi_arena *src);

/* ------------------------------------------------------- byte buffer */

/* A growable byte buffer (for building strings and output). */
typedef struct gdi_buf {
    gd_ctx *ctx; /* allocator owner, borrowed */
    char *p;     /* bytes, NUL-terminated when n > 0 or after gdi_buf_cstr */
    size_t n;    /* used */
    size_t cap;  /* capacity */
    bool oom;    /* an append failed; later appends are ignored */
} gdi_buf;

void gdi_buf_init(gdi_buf *b, gd_ctx *ctx);
void gdi_buf_free(gdi_buf *b);
void gdi_buf_append(gdi_buf *b, const char *s, size_t n);
void gdi_buf_puts(gdi_buf *b, const char *s);
void gdi_buf_putc(gdi_buf *b, char c);
void gdi_buf_printf(gdi_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as the inside of a JSON string (escaped, without quotes). */
void gdi_buf_json_escape(gdi_buf *b, const char *s, size_t n);
/* Append the NUL-terminated s as a JSON string literal, or null when s is NULL. */
void gdi_buf_json_str(gdi_buf *b, const char *s);
const char *gdi_buf_cstr(gdi_buf *b); /* "" when empty; never NULL */

/* ------------------------------------------------------------ files */

/* Read a whole file into memory owned by the caller (gdi_free). Honours
 * GD_LIMIT_FILE_SIZE. Rejects directories and non-regular files with a clear
 * diagnostic naming path. The buffer has one extra NUL byte after *len. */
gd_status gdi_read_file(gd_ctx *ctx, const char *path, char **out, size_t *len);

/* Line and column (1-based; column counts bytes) of byte offset off in
 * text. Scans from the start: call only for messages. */
void gdi_line_col(const char *text, size_t len, size_t off, uint32_t *line, uint32_t *col);

/* --------------------------------------------------------- embedded */

/* Files under data/ embedded at build time (generated by tools/embed.c). */
typedef struct gdi_embedded {
    const char *path;          /* relative to data/, e.g. "rules/alicloud/oss.yaml" */
    const unsigned char *data; /* contents, NUL-terminated */
    size_t len;                /* length without the NUL */
} gdi_embedded;
extern const gdi_embedded gdi_embedded_files[];
extern const size_t gdi_embedded_count;
/* Find an embedded file by exact path; NULL if absent. */
const gdi_embedded *gdi_embedded_find(const char *path);

#endif /* GDI_H */
