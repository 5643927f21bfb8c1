/*
 * joins.c — the index behind related(TYPE, FIELD, VALUE).
 *
 * For every join definition (type, field) the resources of that type are
 * grouped by the string form of their top-level attribute `field`: a string
 * gives its bytes, a number its text as the reader kept it, a boolean
 * "true"/"false"; null, unknown, lists and objects are not indexed (they
 * can never equal a lookup key). Lookups use the same string form, so a
 * numeric id matches the same id written as a string — providers are not
 * consistent about this, and a join must not miss because of it.
 *
 * What is indexed is a handle per target: the address of its attributes
 * object, or a record the scanner can read the target back from (JSON
 * Lines targets stay on disk, so memory does not grow with their size).
 * Groups are keyed by (join id, 64-bit hash of the key) only, without the
 * key bytes: each candidate is checked against the key when it is looked
 * up (gdi_joins_match), which costs one member lookup in an object that is
 * about to be read anyway, and keeps an index entry small.
 *
 * Layout: open-addressing hash tables of groups, one per partition of the
 * hash space (its top bits pick it) so that threads build them side by
 * side; each group owns a contiguous run of handles sorted into input order
 * (file, seq), or holds its single handle itself (most groups). Building is
 * two passes over a partition's keys — count, then fill — plus the sort of
 * groups holding more than one: O(n log k).
 *
 * The index borrows the definitions and whatever the handles point to;
 * they must outlive it. It is read-only once built, so threads may share
 * it.
 */
#include "rule.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct jgroup {
    uint64_t hash;  /* full hash (0 marks an empty slot; real hashes are made non-zero) */
    uint32_t join;  /* join id */
    uint32_t count; /* handles in the group */
    union {
        size_t start;  /* count > 1: first handle in refs */
        uintptr_t one; /* count 1: the handle itself, one memory access less */
    } u;
} jgroup;

#define JPARTS_MAX 8

typedef struct jpart {
    jgroup *groups; /* power-of-two capacity */
    size_t cap;     /* 0 when empty */
} jpart;

struct gdi_joins {
    gd_ctx *ctx;                /* allocator owner, borrowed */
    const gdi_joindef *defs;    /* borrowed: the joined field of each join id */
    size_t ndefs;
    jpart parts[JPARTS_MAX];
    unsigned nparts, shift;     /* partition of a hash: hash >> shift (one partition: shift 64) */
    uintptr_t *refs;            /* handles of all matches, grouped */
    size_t nrefs;
    gdi_join_fetch fetch;       /* brings fetch handles back */
    void *fetch_ud;
};

static uint64_t hash_key(uint32_t join, const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull ^ ((uint64_t)join * 0x9E3779B97F4A7C15ull);
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    /* FNV's high bits mix poorly for short keys, and they pick the partition */
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h ? h : 1;
}

/* The key form of an attribute value; false when the value is not indexable. */
static bool key_of(const gdi_node *v, gd_str *out)
{
    if (!v) return false;
    switch ((gdi_type)v->type) {
    case GDI_STRING:
    case GDI_NUMBER: *out = gdi_node_str(v); return true;
    case GDI_TRUE: *out = GD_STR_LIT("true"); return true;
    case GDI_FALSE: *out = GD_STR_LIT("false"); return true;
    default: return false;
    }
}

/* Slot of (join, hash) in a partition: its group or the empty slot for it. */
static size_t find_slot(const jgroup *g, size_t cap, uint32_t join, uint64_t h)
{
    size_t m = cap - 1, i = (size_t)h & m;
    while (g[i].hash && !(g[i].hash == h && g[i].join == join)) i = (i + 1) & m;
    return i;
}

/* Input order of two keys (file, then sequence). */
static int key_cmp(const void *a, const void *b)
{
    const gdi_joinkey *x = *(const gdi_joinkey *const *)a, *y = *(const gdi_joinkey *const *)b;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---------------------------------------------------------------- build */

/* The keys, as segments (one per scanning thread). */
typedef struct jsegs {
    const gdi_joinkey *const *p;
    const size_t *n;
    size_t nseg;
} jsegs;

/* Building one partition: collect its keys, then count, prefix sums and
 * fill of its own stretch of refs starting at base. Threads share nothing
 * they write. */
typedef struct jbuild {
    gdi_joins *j;
    const jsegs *segs;
    unsigned part;
    size_t base;              /* first ref of this partition */
    const gdi_joinkey **keys; /* this partition's keys, then sorted per group */
    size_t *slot;             /* and their slots */
    size_t n;
    gd_status st;
    pthread_t tid;
} jbuild;

static void *part_build(void *arg)
{
    jbuild *b = arg;
    gdi_joins *j = b->j;
    jpart *pt = &j->parts[b->part];
    unsigned shift = j->shift;
    for (size_t s = 0; s < b->segs->nseg; s++)
        for (size_t i = 0; i < b->segs->n[s]; i++) {
            const gdi_joinkey *k = &b->segs->p[s][i];
            if (shift >= 64 || (unsigned)(k->hash >> shift) == b->part) b->keys[b->n++] = k;
        }
    if (!b->n) return NULL;
    size_t cap = 16;
    while (cap < b->n * 2) cap *= 2;
    pt->groups = gdi_calloc(j->ctx, cap, sizeof *pt->groups);
    if (!pt->groups) {
        b->st = GD_NOMEM;
        return NULL;
    }
    pt->cap = cap;
    size_t m = cap - 1;
    for (size_t k = 0; k < b->n; k++) {
        if (k + 8 < b->n) /* the table is far bigger than the caches */
            __builtin_prefetch(&pt->groups[b->keys[k + 8]->hash & m], 1);
        const gdi_joinkey *key = b->keys[k];
        size_t sl = find_slot(pt->groups, cap, key->join, key->hash);
        jgroup *g = &pt->groups[sl];
        if (!g->hash) {
            g->hash = key->hash;
            g->join = key->join;
        }
        g->count++;
        b->slot[k] = sl;
    }
    /* prefix sums in slot order, then fill in key order */
    size_t at = b->base;
    for (size_t s2 = 0; s2 < cap; s2++) {
        jgroup *g = &pt->groups[s2];
        if (!g->hash) continue;
        g->u.start = at;
        at += g->count;
        g->count = 0;
    }
    /* reuse b->keys, now in group order (the slots say where each goes) */
    const gdi_joinkey **sorted = gdi_alloc(j->ctx, b->n * sizeof *sorted);
    if (!sorted) {
        b->st = GD_NOMEM;
        return NULL;
    }
    for (size_t k = 0; k < b->n; k++) {
        jgroup *g = &pt->groups[b->slot[k]];
        sorted[g->u.start - b->base + g->count++] = b->keys[k];
    }
    /* matches in input order whatever order the keys came in (the
     * scanner's threads find them in any order) */
    for (size_t s2 = 0; s2 < cap; s2++) {
        jgroup *g = &pt->groups[s2];
        if (!g->hash) continue;
        const gdi_joinkey **run = &sorted[g->u.start - b->base];
        if (g->count > 1) qsort(run, g->count, sizeof *run, key_cmp);
        for (uint32_t i = 0; i < g->count; i++) j->refs[g->u.start + i] = run[i]->ref;
        if (g->count == 1) g->u.one = run[0]->ref;
    }
    gdi_free(j->ctx, sorted);
    return NULL;
}

static gd_status build(gdi_joins *j, const jsegs *segs, unsigned nthreads)
{
    gd_ctx *ctx = j->ctx;
    size_t total = 0;
    for (size_t s = 0; s < segs->nseg; s++) total += segs->n[s];
    if (!total) return GD_OK;
    if (total >= UINT32_MAX / 2) return GD_LIMIT;
    unsigned np = 1, bits = 0;
    /* a partition per thread, when there are enough keys to share */
    while (np * 2 <= nthreads && np * 2 <= JPARTS_MAX && total >= (size_t)np * 2 * 4096) {
        np *= 2;
        bits++;
    }
    j->nparts = np;
    j->shift = bits ? 64 - bits : 64;
    j->refs = gdi_calloc(ctx, total, sizeof *j->refs);
    if (!j->refs) return GD_NOMEM;
    j->nrefs = total;
    jbuild b[JPARTS_MAX];
    memset(b, 0, sizeof b);
    size_t counts[JPARTS_MAX] = {0};
    for (size_t s = 0; s < segs->nseg; s++)
        for (size_t i = 0; i < segs->n[s]; i++) counts[bits ? segs->p[s][i].hash >> (64 - bits) : 0]++;
    gd_status st = GD_OK;
    size_t base = 0;
    for (unsigned p = 0; p < np; p++) {
        b[p].j = j;
        b[p].segs = segs;
        b[p].part = p;
        b[p].base = base;
        base += counts[p];
        b[p].keys = gdi_alloc(ctx, (counts[p] ? counts[p] : 1) * sizeof *b[p].keys);
        b[p].slot = gdi_alloc(ctx, (counts[p] ? counts[p] : 1) * sizeof *b[p].slot);
        if (!b[p].keys || !b[p].slot) st = GD_NOMEM;
    }
    if (st == GD_OK) {
        unsigned started = 0;
        for (unsigned p = 1; p < np; p++) {
            if (pthread_create(&b[p].tid, NULL, part_build, &b[p]) != 0) break;
            started = p;
        }
        for (unsigned p = started + 1; p < np; p++) part_build(&b[p]); /* could not start */
        part_build(&b[0]);
        for (unsigned p = 1; p <= started; p++) pthread_join(b[p].tid, NULL);
        for (unsigned p = 0; p < np; p++)
            if (b[p].st != GD_OK) st = b[p].st;
    }
    for (unsigned p = 0; p < np; p++) {
        gdi_free(ctx, b[p].keys);
        gdi_free(ctx, b[p].slot);
    }
    return st;
}

static gdi_joins *joins_new(gd_ctx *ctx, const gdi_joindef *defs, size_t ndefs)
{
    gdi_joins *j = gdi_calloc(ctx, 1, sizeof *j);
    if (!j) return NULL;
    j->ctx = ctx;
    j->defs = defs;
    j->ndefs = ndefs;
    j->nparts = 1;
    j->shift = 64;
    return j;
}

bool gdi_joins_key_of(const gdi_joindef *defs, uint32_t d, const gdi_node *attrs, uint32_t file,
                      uint64_t seq, uintptr_t ref, gdi_joinkey *out)
{
    gd_str key;
    if (!attrs || attrs->type != GDI_OBJECT) return false;
    if (!key_of(gdi_obj_getc(attrs, defs[d].field), &key)) return false;
    *out = (gdi_joinkey){hash_key(d, key.p, key.n), seq, file, d, ref};
    return true;
}

gd_status gdi_joins_build_keys(gd_ctx *ctx, const gdi_joindef *defs, size_t ndefs,
                               const gdi_joinkey *const *segs, const size_t *nsegs, size_t nseg,
                               unsigned nthreads, gdi_joins **out)
{
    *out = NULL;
    gdi_joins *j = joins_new(ctx, defs, ndefs);
    if (!j) return GD_NOMEM;
    jsegs sg = {segs, nsegs, nseg};
    gd_status st = build(j, &sg, nthreads ? nthreads : 1);
    if (st != GD_OK) {
        gdi_joins_free(j);
        return st;
    }
    *out = j;
    return GD_OK;
}

gd_status gdi_joins_build(gd_ctx *ctx, const gdi_joindef *defs, size_t ndefs,
                          const gdi_resource *const *res, size_t n, gdi_joins **out)
{
    gd_status st = GD_OK;
    gdi_joinkey *keys = NULL;
    size_t nkeys = 0, capkeys = 0;
    *out = NULL;
    gdi_joins *j = joins_new(ctx, defs, ndefs);
    if (!j) return GD_NOMEM;
    for (size_t r = 0; r < n; r++) {
        const gdi_resource *rr = res[r];
        if (!rr || !rr->attrs || rr->attrs->type != GDI_OBJECT) continue;
        for (size_t d = 0; d < ndefs; d++) { /* few definitions: a linear pass is fine */
            gdi_joinkey k;
            if (!gd_str_eqc(rr->type, defs[d].type) ||
                !gdi_joins_key_of(defs, (uint32_t)d, rr->attrs, rr->file, rr->seq,
                                  (uintptr_t)rr->attrs, &k))
                continue;
            if ((st = gdi_grow(ctx, (void **)&keys, &capkeys, nkeys + 1, sizeof *keys))) goto done;
            keys[nkeys++] = k;
        }
    }
    const gdi_joinkey *seg = keys;
    jsegs sg = {&seg, &nkeys, 1};
    st = build(j, &sg, 1);
done:
    gdi_free(ctx, keys);
    if (st) {
        gdi_joins_free(j);
        return st;
    }
    *out = j;
    return GD_OK;
}

/* ---------------------------------------------------------------- lookup */

size_t gdi_joins_find(const gdi_joins *j, uint32_t join_id, gd_str key, const uintptr_t **out)
{
    *out = NULL;
    if (!j || !j->nrefs) return 0;
    uint64_t h = hash_key(join_id, key.p, key.n);
    const jpart *pt = &j->parts[j->shift >= 64 ? 0 : (unsigned)(h >> j->shift)];
    if (!pt->cap) return 0;
    const jgroup *g = &pt->groups[find_slot(pt->groups, pt->cap, join_id, h)];
    if (!g->hash) return 0;
    *out = g->count == 1 ? &g->u.one : &j->refs[g->u.start];
    return g->count;
}

void gdi_joins_set_fetch(gdi_joins *j, gdi_join_fetch fn, void *ud)
{
    if (!j) return;
    j->fetch = fn;
    j->fetch_ud = ud;
}

gd_status gdi_joins_match(const gdi_joins *j, struct gdi_eval *ev, uint32_t join_id, gd_str key,
                          uintptr_t h, const gdi_node **attrs)
{
    *attrs = NULL;
    const gdi_node *a = (const gdi_node *)h;
    if (h & 1) {
        if (!j->fetch) return GD_INTERNAL;
        gd_status st = j->fetch(j->fetch_ud, ev, h, &a);
        if (st != GD_OK) return st;
    }
    if (!a || a->type != GDI_OBJECT || join_id >= j->ndefs) return GD_OK;
    gd_str k;
    if (key_of(gdi_obj_getc(a, j->defs[join_id].field), &k) && k.n == key.n &&
        gdi_bytes_eq(k.p, key.p, key.n))
        *attrs = a;
    return GD_OK;
}

void gdi_joins_free(gdi_joins *j)
{
    if (!j) return;
    for (unsigned p = 0; p < JPARTS_MAX; p++) gdi_free(j->ctx, j->parts[p].groups);
    gdi_free(j->ctx, j->refs);
    gdi_free(j->ctx, j);
}
