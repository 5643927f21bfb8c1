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
 * Layout: one open-addressing hash table of groups keyed by (join id, key
 * bytes); each group owns a contiguous run of `refs`, filled in input order,
 * so gdi_joins_find returns the matches in the order the resources were
 * given (their seq order when the caller passes them sorted). Building takes
 * two passes over the resources — count, then fill — and is O(n) for n
 * resources (definitions are looked up by type through a small hash too).
 *
 * The index borrows the resources, their attribute nodes and key bytes;
 * they must outlive it. It is read-only after gdi_joins_build, so threads
 * may share it.
 */
#include "rule.h"

#include <stdlib.h>

typedef struct jgroup {
    const char *key; /* borrowed key bytes */
    uint32_t keylen;
    uint32_t join;   /* join id */
    uint64_t hash;   /* full hash (0 marks an empty slot; real hashes are made non-zero) */
    size_t start;    /* first ref */
    size_t count;    /* refs in the group */
} jgroup;

struct gdi_joins {
    gd_ctx *ctx;                /* allocator owner, borrowed */
    jgroup *groups;             /* hash table, power-of-two capacity */
    size_t capgroups;           /* 0 when nothing was indexed */
    const gdi_resource **refs;  /* all matches, grouped */
    size_t nrefs;
};

/* One resource indexed under one join, between the two passes. */
typedef struct jitem {
    const gdi_resource *r;
    size_t group; /* join def while collecting, then the slot in the table */
    gd_str key;   /* the joined attribute's value, found once */
} jitem;

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

/* Slot of (join, key) in the table: its group or the empty slot for it. */
static size_t find_slot(const jgroup *g, size_t cap, uint32_t join, uint64_t h, gd_str key)
{
    size_t m = cap - 1, i = (size_t)h & m;
    while (g[i].hash) {
        if (g[i].hash == h && g[i].join == join && g[i].keylen == key.n &&
            (key.n == 0 || memcmp(g[i].key, key.p, key.n) == 0))
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

/* The index from collected items (items[i].group holds the join def and is
 * overwritten with the table slot). */
static gd_status build_items(gd_ctx *ctx, jitem *items, size_t nitems, gdi_joins *j)
{
    if (!nitems) return GD_OK;
    /* the table: at most nitems groups, load <= 1/2 */
    size_t cap = 16;
    while (cap < nitems * 2) cap *= 2;
    j->groups = gdi_calloc(ctx, cap, sizeof *j->groups);
    j->refs = gdi_calloc(ctx, nitems, sizeof *j->refs);
    if (!j->groups || !j->refs) return GD_NOMEM;
    j->capgroups = cap;
    for (size_t i = 0; i < nitems; i++) {
        uint32_t join = (uint32_t)items[i].group;
        gd_str key = items[i].key;
        uint64_t h = hash_key(join, key.p, key.n);
        size_t s = find_slot(j->groups, cap, join, h, key);
        jgroup *g = &j->groups[s];
        if (!g->hash) {
            g->hash = h;
            g->join = join;
            g->key = key.p;
            g->keylen = (uint32_t)key.n;
        }
        g->count++;
        items[i].group = s;
    }
    /* prefix sums in slot order, then fill in input order */
    size_t at = 0;
    for (size_t s = 0; s < cap; s++) {
        if (!j->groups[s].hash) continue;
        j->groups[s].start = at;
        at += j->groups[s].count;
        j->groups[s].count = 0;
    }
    for (size_t i = 0; i < nitems; i++) {
        jgroup *g = &j->groups[items[i].group];
        j->refs[g->start + g->count++] = items[i].r;
    }
    /* matches in input order whatever order the resources came in (the
     * scanner's threads keep them in any order); most groups hold one */
    for (size_t s2 = 0; s2 < cap; s2++)
        if (j->groups[s2].hash && j->groups[s2].count > 1)
            qsort(&j->refs[j->groups[s2].start], j->groups[s2].count, sizeof *j->refs, ref_cmp);
    j->nrefs = nitems;
    return GD_OK;
}

gd_status gdi_joins_keys_of(gd_ctx *ctx, const gdi_joindef *defs, size_t ndefs,
                            const gdi_resource *r, gdi_joinkey **keys, size_t *n, size_t *cap)
{
    if (!r->attrs || r->attrs->type != GDI_OBJECT) return GD_OK;
    for (size_t d = 0; d < ndefs; d++) {
        const char *dt = defs[d].type; /* equal to r->type without a strlen per pair */
        if (strncmp(dt, r->type.p, r->type.n) != 0 || dt[r->type.n] != '\0') continue;
        gd_str key;
        if (!key_of(gdi_obj_getc(r->attrs, defs[d].field), &key)) continue;
        if (gdi_grow(ctx, (void **)keys, cap, *n + 1, sizeof **keys)) return GD_NOMEM;
        (*keys)[*n] = (gdi_joinkey){r, d, key};
        (*n)++;
    }
    return GD_OK;
}

gd_status gdi_joins_build_keys(gd_ctx *ctx, const gdi_joinkey *keys, size_t n, gdi_joins **out)
{
    *out = NULL;
    gdi_joins *j = gdi_calloc(ctx, 1, sizeof *j);
    if (!j) return GD_NOMEM;
    j->ctx = ctx;
    jitem *items = n ? gdi_alloc(ctx, n * sizeof *items) : NULL;
    if (n && !items) {
        gdi_joins_free(j);
        return GD_NOMEM;
    }
    for (size_t i = 0; i < n; i++) items[i] = (jitem){keys[i].r, keys[i].join, keys[i].key};
    gd_status st = build_items(ctx, items, n, j);
    gdi_free(ctx, items);
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
            items[nitems].group = d1 - 1; /* def index for now */
            items[nitems].key = key;
            nitems++;
        }
    }
    st = build_items(ctx, items, nitems, j);

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
                      const gdi_resource *const **out)
{
    *out = NULL;
    if (!j || !j->capgroups) return 0;
    uint64_t h = hash_key(join_id, key.p, key.n);
    size_t s = find_slot(j->groups, j->capgroups, join_id, h, key);
    const jgroup *g = &j->groups[s];
    if (!g->hash) return 0;
    *out = (const gdi_resource *const *)&j->refs[g->start];
    return g->count;
}

void gdi_joins_free(gdi_joins *j)
{
    if (!j) return;
    gdi_free(j->ctx, j->groups);
    gdi_free(j->ctx, j->refs);
    gdi_free(j->ctx, j);
}
