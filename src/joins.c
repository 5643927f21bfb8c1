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
 * Layout: open-addressing hash tables of groups keyed by (join id, key
 * bytes), one per partition of the hash space (the top bits pick it) so
 * that threads build them side by side; each group owns a contiguous run of
 * `refs`, sorted into input order (file, seq), so gdi_joins_find returns
 * the matches in the order the resources appeared. Building takes two
 * passes over a partition's items — count, then fill — and is O(n) for n
 * resources plus the sort of groups holding more than one (definitions are
 * looked up by type through a small hash too).
 *
 * The index borrows the resources, their attribute nodes and key bytes;
 * they must outlive it. It is read-only after gdi_joins_build, so threads
 * may share it.
 */
#include "rule.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct jgroup {
    uint64_t hash;   /* full hash (0 marks an empty slot; real hashes are made non-zero) */
    const char *key; /* borrowed key bytes */
    uint32_t keylen;
    uint32_t join;   /* join id */
    uint32_t start;  /* first ref */
    uint32_t count;  /* refs in the group */
    const gdi_node *one; /* count 1 (most groups): the match itself, one memory access less */
} jgroup;

/* The table is split by the top bits of the hash into partitions that are
 * built in parallel, each an open-addressing table of its own. */
#define JPARTS_MAX 8

typedef struct jpart {
    jgroup *groups;  /* power-of-two capacity */
    size_t cap;      /* 0 when empty */
} jpart;

struct gdi_joins {
    gd_ctx *ctx;                /* allocator owner, borrowed */
    jpart parts[JPARTS_MAX];
    unsigned nparts, shift;     /* partition of a hash: hash >> shift (nparts 1: shift 64) */
    const gdi_node **refs;      /* attributes of all matches, grouped */
    const gdi_resource **rrefs; /* the matching resources, while building */
    size_t nrefs;
};

/* One resource indexed under one join (its key found once). */
typedef gdi_joinkey jitem;

/* Input order of two matches (file, then sequence). */
static int ref_cmp(const void *a, const void *b)
{
    const gdi_resource *x = *(const gdi_resource *const *)a, *y = *(const gdi_resource *const *)b;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

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

/* Slot of (join, key) in a partition: its group or the empty slot for it. */
static size_t find_slot(const jgroup *g, size_t cap, uint32_t join, uint64_t h, gd_str key)
{
    size_t m = cap - 1, i = (size_t)h & m;
    while (g[i].hash) {
        if (g[i].hash == h && g[i].join == join && g[i].keylen == key.n &&
            gdi_bytes_eq(g[i].key, key.p, key.n))
            return i;
        i = (i + 1) & m;
    }
    return i;
}

/* Definitions by type: chains of def indices sharing a type, found through
 * a small open-addressing table of type strings. */
typedef struct jtypes {
    size_t *slot_first; /* per slot: first def index + 1 (0 empty) */
    size_t *next;       /* per def: next def index + 1 with the same type */
    size_t cap;
} jtypes;

static uint64_t hash_str(const char *p, size_t n)
{
    return hash_key(0, p, n);
}

static gd_status types_build(gd_ctx *ctx, const gdi_joindef *defs, size_t ndefs, jtypes *t)
{
    t->cap = 16;
    while (t->cap < ndefs * 2) t->cap *= 2;
    t->slot_first = gdi_calloc(ctx, t->cap, sizeof *t->slot_first);
    t->next = gdi_calloc(ctx, ndefs ? ndefs : 1, sizeof *t->next);
    if (!t->slot_first || !t->next) return GD_NOMEM;
    for (size_t d = ndefs; d-- > 0;) { /* backwards so chains run in def order */
        size_t n = strlen(defs[d].type), m = t->cap - 1, i = (size_t)hash_str(defs[d].type, n) & m;
        while (t->slot_first[i] && strcmp(defs[t->slot_first[i] - 1].type, defs[d].type) != 0)
            i = (i + 1) & m;
        t->next[d] = t->slot_first[i];
        t->slot_first[i] = d + 1;
    }
    return GD_OK;
}

/* First def index + 1 for a resource type, 0 when none joins on it. */
static size_t types_first(const jtypes *t, const gdi_joindef *defs, gd_str type)
{
    size_t m = t->cap - 1, i = (size_t)hash_str(type.p, type.n) & m;
    while (t->slot_first[i]) {
        const char *dt = defs[t->slot_first[i] - 1].type;
        if (gd_str_eqc(type, dt)) return t->slot_first[i];
        i = (i + 1) & m;
    }
    return 0;
}

/* Building one partition: its items (indices into the shared item array,
 * in item order), then count, prefix sums and fill of its own stretch of
 * refs starting at base. Threads share nothing they write. */
typedef struct jbuild {
    gdi_joins *j;
    const jitem *items;
    size_t nitems;
    unsigned part;
    size_t base;       /* first ref of this partition */
    uint32_t *idx;     /* this partition's items */
    uint32_t *slot;    /* and their slots */
    size_t n;
    gd_status st;
    pthread_t tid;
} jbuild;

static void *part_build(void *arg)
{
    jbuild *b = arg;
    gdi_joins *j = b->j;
    jpart *pt = &j->parts[b->part];
    const jitem *items = b->items;
    unsigned shift = j->shift;
    /* this partition's items */
    for (size_t i = 0; i < b->nitems; i++)
        if (shift >= 64 || (unsigned)(items[i].hash >> shift) == b->part) b->idx[b->n++] = (uint32_t)i;
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
            __builtin_prefetch(&pt->groups[items[b->idx[k + 8]].hash & m], 1);
        const jitem *it = &items[b->idx[k]];
        size_t sl = find_slot(pt->groups, cap, it->join, it->hash, it->key);
        jgroup *g = &pt->groups[sl];
        if (!g->hash) {
            g->hash = it->hash;
            g->join = it->join;
            g->key = it->key.p;
            g->keylen = (uint32_t)it->key.n;
        }
        g->count++;
        b->slot[k] = (uint32_t)sl;
    }
    /* prefix sums in slot order, then fill in item order */
    size_t at = b->base;
    for (size_t s2 = 0; s2 < cap; s2++) {
        jgroup *g = &pt->groups[s2];
        if (!g->hash) continue;
        g->start = (uint32_t)at;
        at += g->count;
        g->count = 0;
    }
    for (size_t k = 0; k < b->n; k++) {
        jgroup *g = &pt->groups[b->slot[k]];
        j->rrefs[g->start + g->count++] = items[b->idx[k]].r;
    }
    /* matches in input order whatever order the resources came in (the
     * scanner's threads keep them in any order); most groups hold one */
    for (size_t s2 = 0; s2 < cap; s2++) {
        jgroup *g = &pt->groups[s2];
        if (!g->hash) continue;
        if (g->count > 1) qsort(&j->rrefs[g->start], g->count, sizeof *j->rrefs, ref_cmp);
        for (uint32_t i = 0; i < g->count; i++)
            j->refs[g->start + i] = j->rrefs[g->start + i]->attrs;
        if (g->count == 1) g->one = j->refs[g->start];
    }
    return NULL;
}

/* The index from collected items, with up to nthreads threads. */
static gd_status build_items(gd_ctx *ctx, const jitem *items, size_t nitems, unsigned nthreads,
                             gdi_joins *j)
{
    if (!nitems) return GD_OK;
    if (nitems >= UINT32_MAX / 2) return GD_LIMIT;
    unsigned np = 1, bits = 0;
    /* a partition per thread, when there are enough items to share */
    while (np * 2 <= nthreads && np * 2 <= JPARTS_MAX && nitems >= (size_t)np * 2 * 4096) {
        np *= 2;
        bits++;
    }
    j->nparts = np;
    j->shift = bits ? 64 - bits : 64;
    j->refs = gdi_calloc(ctx, nitems, sizeof *j->refs);
    j->rrefs = gdi_calloc(ctx, nitems, sizeof *j->rrefs);
    if (!j->refs || !j->rrefs) return GD_NOMEM;
    j->nrefs = nitems;
    jbuild b[JPARTS_MAX];
    memset(b, 0, sizeof b);
    size_t counts[JPARTS_MAX] = {0};
    for (size_t i = 0; i < nitems; i++) counts[bits ? items[i].hash >> (64 - bits) : 0]++;
    gd_status st = GD_OK;
    size_t base = 0;
    for (unsigned p = 0; p < np; p++) {
        b[p] = (jbuild){j, items, nitems, p, base, NULL, NULL, 0, GD_OK, 0};
        base += counts[p];
        b[p].idx = gdi_alloc(ctx, (counts[p] ? counts[p] : 1) * sizeof *b[p].idx);
        b[p].slot = gdi_alloc(ctx, (counts[p] ? counts[p] : 1) * sizeof *b[p].slot);
        if (!b[p].idx || !b[p].slot) st = GD_NOMEM;
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
        gdi_free(ctx, b[p].idx);
        gdi_free(ctx, b[p].slot);
    }
    gdi_free(ctx, j->rrefs);
    j->rrefs = NULL;
    return st;
}

gd_status gdi_joins_keys_of(gd_ctx *ctx, const gdi_joindef *defs, const uint32_t *ids,
                            size_t nids, const gdi_resource *r, gdi_joinkey **keys, size_t *n,
                            size_t *cap)
{
    if (!r->attrs || r->attrs->type != GDI_OBJECT) return GD_OK;
    for (size_t i = 0; i < nids; i++) {
        uint32_t d = ids[i];
        gd_str key;
        if (!key_of(gdi_obj_getc(r->attrs, defs[d].field), &key)) continue;
        if (gdi_grow(ctx, (void **)keys, cap, *n + 1, sizeof **keys)) return GD_NOMEM;
        (*keys)[*n] = (gdi_joinkey){r, hash_key(d, key.p, key.n), d, key};
        (*n)++;
    }
    return GD_OK;
}

gd_status gdi_joins_build_keys(gd_ctx *ctx, const gdi_joinkey *keys, size_t n, unsigned nthreads,
                               gdi_joins **out)
{
    *out = NULL;
    gdi_joins *j = gdi_calloc(ctx, 1, sizeof *j);
    if (!j) return GD_NOMEM;
    j->ctx = ctx;
    gd_status st = build_items(ctx, keys, n, nthreads ? nthreads : 1, j);
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
    jitem *items = NULL;
    size_t nitems = 0, capitems = 0;
    jtypes t = {0};
    *out = NULL;
    gdi_joins *j = gdi_calloc(ctx, 1, sizeof *j);
    if (!j) return GD_NOMEM;
    j->ctx = ctx;
    if (!ndefs || !n) goto done;
    if ((st = types_build(ctx, defs, ndefs, &t))) goto done;

    /* pass 1: collect (resource, def, key) items */
    for (size_t r = 0; r < n; r++) {
        const gdi_resource *rr = res[r];
        if (!rr || !rr->attrs || rr->attrs->type != GDI_OBJECT) continue;
        for (size_t d1 = types_first(&t, defs, rr->type); d1; d1 = t.next[d1 - 1]) {
            const gdi_joindef *def = &defs[d1 - 1];
            gd_str key;
            if (!key_of(gdi_obj_getc(rr->attrs, def->field), &key)) continue;
            if ((st = gdi_grow(ctx, (void **)&items, &capitems, nitems + 1, sizeof *items)))
                goto done;
            items[nitems].r = rr;
            items[nitems].join = (uint32_t)(d1 - 1);
            items[nitems].key = key;
            items[nitems].hash = hash_key((uint32_t)(d1 - 1), key.p, key.n);
            nitems++;
        }
    }
    st = build_items(ctx, items, nitems, 1, j);

done:
    gdi_free(ctx, items);
    gdi_free(ctx, t.slot_first);
    gdi_free(ctx, t.next);
    if (st) {
        gdi_joins_free(j);
        return st;
    }
    *out = j;
    return GD_OK;
}

size_t gdi_joins_find(const gdi_joins *j, uint32_t join_id, gd_str key,
                      const gdi_node *const **out)
{
    *out = NULL;
    if (!j || !j->nrefs) return 0;
    uint64_t h = hash_key(join_id, key.p, key.n);
    const jpart *pt = &j->parts[j->shift >= 64 ? 0 : (unsigned)(h >> j->shift)];
    if (!pt->cap) return 0;
    size_t s = find_slot(pt->groups, pt->cap, join_id, h, key);
    const jgroup *g = &pt->groups[s];
    if (!g->hash) return 0;
    *out = g->count == 1 ? &g->one : (const gdi_node *const *)&j->refs[g->start];
    return g->count;
}

void gdi_joins_free(gdi_joins *j)
{
    if (!j) return;
    for (unsigned p = 0; p < JPARTS_MAX; p++) gdi_free(j->ctx, j->parts[p].groups);
    gdi_free(j->ctx, j->refs);
    gdi_free(j->ctx, j->rrefs);
    gdi_free(j->ctx, j);
}
