/*
 * ctx.c — the context: allocator hook, limits, diagnostics, status names.
 *
 * Every allocation of the library goes through gdi_alloc/gdi_realloc/
 * gdi_free so the hook sees it; fault-injection tests count on that.
 * Diagnostics are kept in order of arrival; each is a formatted string
 * "file:line:col: message" with absent parts left out.
 */
#include "gdi.h"

#include <stdio.h>
#include <stdlib.h>

static void *libc_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    return realloc(p, n);
}
static void libc_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

static const uint64_t limit_defaults[GD_LIMIT__COUNT] = {
#define GD_X_LIMIT(name, flag, def, desc) (uint64_t)(def),
    GD_LIMIT_LIST(GD_X_LIMIT)
#undef GD_X_LIMIT
};
static const char *const limit_names[GD_LIMIT__COUNT] = {
#define GD_X_LIMIT(name, flag, def, desc) flag,
    GD_LIMIT_LIST(GD_X_LIMIT)
#undef GD_X_LIMIT
};
static const char *const limit_descs[GD_LIMIT__COUNT] = {
#define GD_X_LIMIT(name, flag, def, desc) desc,
    GD_LIMIT_LIST(GD_X_LIMIT)
#undef GD_X_LIMIT
};

const char *gd_status_str(gd_status st)
{
    switch (st) {
#define GD_X_CASE(name, value, desc)                                                               \
    case name:                                                                                     \
        return desc;
        GD_STATUS_LIST(GD_X_CASE)
#undef GD_X_CASE
    }
    return "unknown status";
}

const char *gd_version(void)
{
    return GD_VERSION_STRING;
}

gd_status gd_ctx_new(gd_ctx **out, const gd_allocator *alloc)
{
    if (!out) return GD_MISUSE;
    *out = NULL;
    gd_allocator a = {libc_realloc, libc_free, NULL};
    if (alloc) {
        if (!alloc->realloc || !alloc->free) return GD_MISUSE;
        a = *alloc;
    }
    gd_ctx *ctx = a.realloc(a.ud, NULL, sizeof *ctx);
    if (!ctx) return GD_NOMEM;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = a;
    memcpy(ctx->limits, limit_defaults, sizeof ctx->limits);
    *out = ctx;
    return GD_OK;
}

void gd_ctx_clear_diags(gd_ctx *ctx)
{
    if (!ctx) return;
    for (size_t i = 0; i < ctx->ndiags; i++) gdi_free(ctx, ctx->diags[i].msg);
    gdi_free(ctx, ctx->diags);
    ctx->diags = NULL;
    ctx->ndiags = ctx->capdiags = ctx->nerrors = 0;
    ctx->diag_nomem = false;
}

void gdi_diag_truncate(gd_ctx *ctx, size_t n)
{
    if (!ctx || n >= ctx->ndiags) return;
    for (size_t i = n; i < ctx->ndiags; i++) {
        if (ctx->diags[i].kind == GD_DIAG_ERROR) ctx->nerrors--;
        gdi_free(ctx, ctx->diags[i].msg);
    }
    ctx->ndiags = n;
}

void gd_ctx_free(gd_ctx *ctx)
{
    if (!ctx) return;
    gd_ctx_clear_diags(ctx);
    ctx->alloc.free(ctx->alloc.ud, ctx);
}

gd_status gdi_ctx_clone(gd_ctx *parent, gd_ctx **out)
{
    gd_status st = gd_ctx_new(out, &parent->alloc);
    if (st == GD_OK) memcpy((*out)->limits, parent->limits, sizeof parent->limits);
    return st;
}

uint64_t gd_ctx_limit(const gd_ctx *ctx, gd_limit which)
{
    if (!ctx || (unsigned)which >= GD_LIMIT__COUNT) return 0;
    return ctx->limits[which];
}

gd_status gd_ctx_set_limit(gd_ctx *ctx, gd_limit which, uint64_t value)
{
    if (!ctx || (unsigned)which >= GD_LIMIT__COUNT) return GD_MISUSE;
    ctx->limits[which] = value ? value : limit_defaults[which];
    return GD_OK;
}

const char *gd_limit_name(gd_limit which)
{
    return (unsigned)which < GD_LIMIT__COUNT ? limit_names[which] : NULL;
}
const char *gd_limit_desc(gd_limit which)
{
    return (unsigned)which < GD_LIMIT__COUNT ? limit_descs[which] : NULL;
}
uint64_t gd_limit_default(gd_limit which)
{
    return (unsigned)which < GD_LIMIT__COUNT ? limit_defaults[which] : 0;
}

size_t gd_ctx_diag_count(const gd_ctx *ctx)
{
    return ctx ? ctx->ndiags : 0;
}

const char *gd_ctx_diag(const gd_ctx *ctx, size_t i, gd_severity_diag *kind)
{
    if (!ctx || i >= ctx->ndiags) return NULL;
    if (kind) *kind = ctx->diags[i].kind;
    return ctx->diags[i].msg;
}

/* ------------------------------------------------------------ allocation */

void *gdi_alloc(gd_ctx *ctx, size_t n)
{
    return ctx->alloc.realloc(ctx->alloc.ud, NULL, n ? n : 1);
}

void *gdi_calloc(gd_ctx *ctx, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return NULL;
    void *p = gdi_alloc(ctx, count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

void *gdi_realloc(gd_ctx *ctx, void *p, size_t n)
{
    return ctx->alloc.realloc(ctx->alloc.ud, p, n ? n : 1);
}

void gdi_free(gd_ctx *ctx, void *p)
{
    if (p) ctx->alloc.free(ctx->alloc.ud, p);
}

char *gdi_strndup(gd_ctx *ctx, const char *s, size_t n)
{
    if (n == SIZE_MAX) return NULL;
    char *d = gdi_alloc(ctx, n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, s, n);
    d[n] = 0;
    return d;
}

gd_status gdi_grow(gd_ctx *ctx, void **buf, size_t *cap, size_t need, size_t esz)
{
    if (need <= *cap) return GD_OK;
    size_t nc = *cap ? *cap : 8;
    while (nc < need) {
        if (nc > SIZE_MAX / 2) return GD_NOMEM;
        nc *= 2;
    }
    if (esz && nc > SIZE_MAX / esz) return GD_NOMEM;
    void *nb = gdi_realloc(ctx, *buf, nc * esz);
    if (!nb) return GD_NOMEM;
    *buf = nb;
    *cap = nc;
    return GD_OK;
}

/* ----------------------------------------------------------- diagnostics */

gd_status gdi_diag_addv(gd_ctx *ctx, gd_severity_diag kind, const char *file, uint32_t line,
                        uint32_t col, const char *fmt, va_list ap)
{
    char head[1100];
    size_t hn = 0;
    if (file && *file) {
        if (line && col)
            hn = (size_t)snprintf(head, sizeof head, "%.1000s:%u:%u: ", file, line, col);
        else if (line)
            hn = (size_t)snprintf(head, sizeof head, "%.1000s:%u: ", file, line);
        else
            hn = (size_t)snprintf(head, sizeof head, "%.1000s: ", file);
    }
    if (hn >= sizeof head) hn = sizeof head - 1;
    char body[1024];
    int bn = vsnprintf(body, sizeof body, fmt, ap);
    if (bn < 0) bn = 0;
    if ((size_t)bn >= sizeof body) bn = (int)sizeof body - 1;
    if (gdi_grow(ctx, (void **)&ctx->diags, &ctx->capdiags, ctx->ndiags + 1, sizeof *ctx->diags)) {
        ctx->diag_nomem = true;
        return GD_NOMEM;
    }
    char *m = gdi_alloc(ctx, hn + (size_t)bn + 1);
    if (!m) {
        ctx->diag_nomem = true;
        return GD_NOMEM;
    }
    memcpy(m, head, hn);
    memcpy(m + hn, body, (size_t)bn);
    m[hn + (size_t)bn] = 0;
    ctx->diags[ctx->ndiags].msg = m;
    ctx->diags[ctx->ndiags].kind = kind;
    ctx->ndiags++;
    if (kind == GD_DIAG_ERROR) ctx->nerrors++;
    return GD_OK;
}

gd_status gdi_diag_add(gd_ctx *ctx, gd_severity_diag kind, const char *file, uint32_t line,
                       uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gd_status st = gdi_diag_addv(ctx, kind, file, line, col, fmt, ap);
    va_end(ap);
    return st;
}

gd_status gdi_err(gd_ctx *ctx, gd_status st, const char *file, uint32_t line, uint32_t col,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gdi_diag_addv(ctx, GD_DIAG_ERROR, file, line, col, fmt, ap);
    va_end(ap);
    return st;
}

gd_status gdi_diag_move(gd_ctx *dst, gd_ctx *src)
{
    gd_status st = GD_OK;
    for (size_t i = 0; i < src->ndiags; i++) {
        if (gdi_grow(dst, (void **)&dst->diags, &dst->capdiags, dst->ndiags + 1,
                     sizeof *dst->diags)) {
            gdi_free(src, src->diags[i].msg);
            dst->diag_nomem = true;
            st = GD_NOMEM;
            continue;
        }
        dst->diags[dst->ndiags++] = src->diags[i];
        if (src->diags[i].kind == GD_DIAG_ERROR) dst->nerrors++;
    }
    gdi_free(src, src->diags);
    src->diags = NULL;
    src->ndiags = src->capdiags = src->nerrors = 0;
    return st;
}

/* ------------------------------------------------------------- severity */

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};

const char *gd_sev_name(gd_sev s)
{
    return (unsigned)s <= GD_SEV_CRITICAL ? sev_names[s] : "unknown";
}

gd_status gd_sev_parse(const char *name, gd_sev *out)
{
    if (!name || !out) return GD_MISUSE;
    for (unsigned i = 0; i <= GD_SEV_CRITICAL; i++)
        if (strcmp(name, sev_names[i]) == 0) {
            *out = (gd_sev)i;
            return GD_OK;
        }
    return GD_INVALID;
}
