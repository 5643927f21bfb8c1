/*
 * arena.c — bump allocation by lifetime, growable byte buffers.
 *
 * An arena is a chain of blocks; allocations are 16-byte aligned and never
 * freed one by one. gdi_arena_reset keeps the first (largest so far) block
 * so a per-resource scratch arena stops allocating once warmed up.
 */
#include "gdi.h"

#include <stdio.h>

struct gdi_arena_block {
    gdi_arena_block *next; /* older block */
    size_t size;           /* usable bytes in data */
    size_t used;           /* bytes handed out */
    _Alignas(16) unsigned char data[];
};

void gdi_arena_init(gdi_arena *a, gd_ctx *ctx, size_t block_size)
{
    a->ctx = ctx;
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->total = 0;
}

void *gdi_arena_alloc(gdi_arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) return NULL;
    gdi_arena_block *b = a->head;
    if (b && b->size - b->used >= need) {
        void *p = b->data + b->used;
        b->used += need;
        return p;
    }
    size_t bs = a->block_size;
    if (need > bs / 4) bs = need; /* big requests get a block of their own */
    if (bs > SIZE_MAX - sizeof(gdi_arena_block)) return NULL;
    gdi_arena_block *nb = gdi_alloc(a->ctx, sizeof(gdi_arena_block) + bs);
    if (!nb) return NULL;
    nb->size = bs;
    nb->used = need;
    a->total += bs;
    if (b && need == bs && b->size - b->used > 256) {
        /* keep filling the current block: put the dedicated one behind it */
        nb->next = b->next;
        b->next = nb;
    } else {
        nb->next = b;
        a->head = nb;
    }
    return nb->data;
}

void *gdi_arena_calloc(gdi_arena *a, size_t n)
{
    void *p = gdi_arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *gdi_arena_strndup(gdi_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX) return NULL;
    char *d = gdi_arena_alloc(a, n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = 0;
    return d;
}

void gdi_arena_reset(gdi_arena *a)
{
    gdi_arena_block *keep = NULL, *b = a->head;
    while (b) {
        gdi_arena_block *next = b->next;
        if (!keep || b->size > keep->size) {
            if (keep) gdi_free(a->ctx, keep);
            keep = b;
        } else {
            gdi_free(a->ctx, b);
        }
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
        a->total = keep->size;
    } else {
        a->total = 0;
    }
    a->head = keep;
}

void gdi_arena_free(gdi_arena *a)
{
    gdi_arena_block *b = a->head;
    while (b) {
        gdi_arena_block *next = b->next;
        gdi_free(a->ctx, b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

/* --------------------------------------------------------------- buffers */

void gdi_buf_init(gdi_buf *b, gd_ctx *ctx)
{
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
}

void gdi_buf_free(gdi_buf *b)
{
    gdi_free(b->ctx, b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void gdi_buf_append(gdi_buf *b, const char *s, size_t n)
{
    if (b->oom || n == 0) return;
    if (b->n + n + 1 < b->n ||
        gdi_grow(b->ctx, (void **)&b->p, &b->cap, b->n + n + 1, 1) != GD_OK) {
        b->oom = true;
        return;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void gdi_buf_puts(gdi_buf *b, const char *s)
{
    gdi_buf_append(b, s, strlen(s));
}

void gdi_buf_putc(gdi_buf *b, char c)
{
    gdi_buf_append(b, &c, 1);
}

void gdi_buf_printf(gdi_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        gdi_buf_append(b, small, (size_t)n);
        return;
    }
    char *big = gdi_alloc(b->ctx, (size_t)n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    gdi_buf_append(b, big, (size_t)n);
    gdi_free(b->ctx, big);
}

void gdi_buf_json_escape(gdi_buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[8];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            snprintf(u, sizeof u, "\\u%04x", c);
            esc = u;
        }
        if (esc) {
            gdi_buf_append(b, s + run, i - run);
            gdi_buf_puts(b, esc);
            run = i + 1;
        }
    }
    if (run < n) gdi_buf_append(b, s + run, n - run); /* s may be NULL when n == 0 */
}

void gdi_buf_json_str(gdi_buf *b, const char *s)
{
    if (!s) {
        gdi_buf_puts(b, "null");
        return;
    }
    gdi_buf_putc(b, '"');
    gdi_buf_json_escape(b, s, strlen(s));
    gdi_buf_putc(b, '"');
}

const char *gdi_buf_cstr(gdi_buf *b)
{
    return b->p ? b->p : "";
}

void gdi_arena_adopt(gdi_arena *dst, gdi_arena *src)
{
    gdi_arena_block *b = src->head;
    if (!b) return;
    gdi_arena_block *last = b;
    while (last->next) last = last->next;
    if (dst->head) {
        /* keep dst's current block first so it goes on filling */
        last->next = dst->head->next;
        dst->head->next = b;
    } else {
        last->next = NULL;
        dst->head = b;
    }
    dst->total += src->total;
    src->head = NULL;
    src->total = 0;
}
