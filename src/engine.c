/*
 * engine.c — the scan: inputs in, findings out.
 *
 * Pipeline. The calling thread opens each input, detects its format and
 * cuts it into batches: for a Terraform state file, runs of whole resource
 * objects of the top-level "resources" array (found with the structural
 * skipper gdi_json_extent, so the calling thread never builds a tree); for
 * JSON Lines, runs of whole lines read through a bounded buffer. Worker
 * threads take batches from a bounded queue, parse each resource into a
 * per-thread tape that is reset and reused (no allocation in steady state),
 * and run the rules indexed by the resource's type. Plans and HCL source are
 * loaded whole (they are small) and pushed resource by resource.
 *
 * Joins. A rule that calls related() needs resources that may come later in
 * the input, so join rules run after every input has been read, against an
 * index of the join targets (gdi_joins). A join target is indexed with a
 * copy of only the attributes checks read of joined resources (found by the
 * compiler; strings in a mapped state file are shared), or, from a JSON
 * Lines file, with its line's offset (read again when a join looks it up).
 * A resource with join rules is kept as a reference to its source (state
 * object in the mapping, JSON Lines offset) and parsed again in the join
 * phase; a state resource of a type no rule joins on is not even parsed
 * before then (all its rules run in the join phase). Plan and HCL
 * resources, whose documents do not last, are copied. Nothing else is retained, so memory is the mapped input
 * (state) or a few buffers (JSON Lines) plus what joins need.
 *
 * Determinism. Every resource gets a sequence number in input order; the
 * findings are sorted by (file, sequence, rule) at the end, so the output is
 * byte-identical whatever the thread count. Line numbers of state resources
 * are computed per batch relative to the batch and fixed up at the end from
 * the newline counts of all batches.
 *
 * Errors. A bad input file is reported (file:line:col) and the scan goes on
 * with the other inputs; the result is then marked incomplete. Only
 * out-of-memory and limits stop the whole scan.
 */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BATCH_BYTES (1u << 20)   /* target text per state batch */
#define BATCH_MAX_RES 4096       /* resources per state batch at most */
#define JSONL_CHUNK (1u << 20)   /* JSON Lines read size */
#define QUEUE_MAX 8              /* batches waiting at most (bounds memory) */
#define NO_BATCH UINT32_MAX
#define KCHUNK 4096              /* kept copies per chunk */
#define DQ_RUN 64                /* deferred resources taken at a time */
#define LINE_WINDOW (256u << 10) /* JSON Lines read back this much at a time */

/* ------------------------------------------------------------ batches */

enum { BK_STATE = 1, BK_JSONL = 2 };

typedef struct batch {
    struct batch *next;   /* queue link */
    uint8_t kind;         /* BK_* */
    uint32_t file;        /* input index */
    uint32_t index;       /* batch number within the scan (for line fix-up) */
    const char *text;     /* span start: state spans tile the resources array */
    size_t len;           /* span length */
    size_t file_off;      /* offset of text in the file */
    uint32_t *starts;     /* state: offsets of each resource object in text */
    uint32_t *ends;       /* state: one past each resource object */
    uint32_t nres;        /* state: number of resource objects */
    uint64_t seq0;        /* sequence number of the first resource */
    uint64_t line0;       /* JSON Lines: line number of text[0]; state: 0 */
    uint64_t nl;          /* newlines in the span (set by the worker) */
    char *owned;          /* JSON Lines: buffer to free after processing */
    int fd;               /* JSON Lines from a regular file: re-readable by offset, else -1 */
    const char *filetext; /* state: the whole mapped file (for error positions) */
    size_t filelen;       /* state: its length */
    bool guessed;         /* state: element bounds found from the layout (see guess_next) */
} batch;

/* A finding while the scan runs: line may still be batch-relative. */
typedef struct wfinding {
    gdi_finding f;
    uint32_t batch; /* NO_BATCH when f.line is absolute */
} wfinding;

/* Where the resource being processed comes from, so what keeping it needs. */
enum {
    KEEP_COPY = 0,  /* a document that does not last (plan, HCL): copy */
    KEEP_STATE = 1, /* a state resource object in the mapped file: parse it again */
    KEEP_JSONL = 2  /* a JSON Lines line: read it again by offset (a pipe's: a copy) */
};

/* A plan or HCL resource kept aside, as a deep copy, for its join rules. */
typedef struct kept {
    gdi_resource r;    /* deep copy: strings and attrs in the worker's keep arena */
    uint32_t batch;    /* for line fix-up */
    bool deferred;     /* has rules that join: evaluate at the end */
} kept;

/* A state or JSON Lines resource that only waits for its join rules, kept
 * as a reference to its source text and parsed again in the join phase: far
 * less memory than a copy. */
typedef struct lazy {
    union {
        const char *src; /* fd < 0: the resource object (mapped file) or a copy of the line */
        uint64_t off;    /* fd >= 0: the line's offset in that file */
    } at;
    uint64_t seq;      /* sequence base */
    uint32_t srclen;   /* its length (a state resource or a line is under 4 GiB) */
    uint32_t file;     /* input index */
    uint32_t line;     /* relative (state) or absolute (JSON Lines) line */
    uint32_t batch;    /* state: batch index, for line fix-up */
    int fd;            /* JSON Lines kept by offset: read back from this file, else -1 */
    uint8_t kind;      /* KEEP_STATE or KEEP_JSONL */
    bool whole;        /* not parsed yet: every rule runs in the join phase */
} lazy;

/* One unit of work of the join phase. */
typedef struct dwork {
    kept *copy;        /* a deferred copy, or NULL */
    lazy *ref;         /* a lazy reference, or NULL */
} dwork;

/* The source of the resources being processed, so deferral can keep a
 * reference instead of a copy. */
typedef struct cursrc {
    uint8_t kind;      /* KEEP_STATE, KEEP_JSONL, or KEEP_COPY for anything else */
    const char *text;  /* the resource object / the line */
    size_t len;
    uint32_t line;     /* relative (state) or absolute (JSON Lines) line */
    uint64_t seq;      /* sequence base of the object / line */
    bool recorded;     /* a lazy entry was made for this object already */
    int fd;            /* JSON Lines: the file to read the line back from, or -1 */
    uint64_t off;      /* JSON Lines: the line's offset in that file */
} cursrc;

/* An append-only list in fixed chunks: no copying as it grows, at most one
 * chunk of slack, and elements never move. */
#define CHUNK_ELEMS 4096
typedef struct chunks {
    void **c;
    size_t n, nc, capc;
} chunks;

static void *chunks_add(gd_ctx *ctx, chunks *v, size_t esz)
{
    if (v->n == v->nc * CHUNK_ELEMS) {
        if (gdi_grow(ctx, (void **)&v->c, &v->capc, v->nc + 1, sizeof *v->c)) return NULL;
        void *b = gdi_alloc(ctx, CHUNK_ELEMS * esz);
        if (!b) return NULL;
        v->c[v->nc++] = b;
    }
    void *e = (char *)v->c[v->n / CHUNK_ELEMS] + (v->n % CHUNK_ELEMS) * esz;
    v->n++;
    return e;
}

static void *chunks_at(const chunks *v, size_t i, size_t esz)
{
    return (char *)v->c[i / CHUNK_ELEMS] + (i % CHUNK_ELEMS) * esz;
}

static void chunks_free(gd_ctx *ctx, chunks *v)
{
    for (size_t i = 0; i < v->nc; i++) gdi_free(ctx, v->c[i]);
    gdi_free(ctx, v->c);
    memset(v, 0, sizeof *v);
}

struct scan;

typedef struct worker {
    struct scan *sc;
    gd_ctx *ctx;          /* private clone: diagnostics merged at the end */
    gdi_eval *ev;
    gdi_doc doc;          /* reused per resource */
    gdi_arena scratch;    /* per-resource strings (addresses) */
    gdi_arena keep;       /* kept resources */
    gdi_arena fstr;       /* finding strings: adopted by the scan result */
    gd_str last_prov;     /* interned provider name of the last finding */
    gdi_buf addr;         /* address being built (reused) */
    gdi_buf linebuf;      /* JSON Lines read back in the join phase: a window of the file ... */
    int winfd;            /* ... of this file (-1: none) ... */
    uint64_t winoff;      /* ... from this offset, linebuf.n bytes */
    cursrc cur;           /* source of the resources being processed */
    const char *stable_lo, *stable_hi; /* mapped input being read: kept copies share it */
    const gdi_joins *phase2; /* join phase: evaluate join rules only ... */
    bool phase2_all;      /* ... or every rule, for resources deferred whole */
    gd_ctx *perr;         /* parse errors of a batch, relocated before reporting */
    wfinding *fs;
    size_t nfs, capfs;
    kept **kchunks;       /* kept copies, KCHUNK to a chunk: addresses never move */
    size_t nks, nchunks, capchunks;
    chunks jkeys;         /* gdi_joinkey: of the join targets, found while they are hot */
    chunks ls;            /* lazy: references to resources waiting for joins */
    gdi_rule_stats *stats;
    uint64_t nres, ndata;
    uint64_t unflushed;   /* resources counted here, not yet added to scan.nseen */
    gd_status st;         /* first fatal status (NOMEM, LIMIT) */
    pthread_t tid;
    /* deferred phase: range of the shared kept list to evaluate */
    dwork *dq;
    _Atomic size_t *dq_next; /* shared cursor into dq */
    size_t dq_hi;
    const gdi_joins *joins;
} worker;

typedef struct scan {
    gd_scan *out;
    const gd_ruleset *rs;
    gd_ctx *ctx;
    const gd_scan_opts *opts;
    worker *w;
    unsigned nw;
    /* queue */
    pthread_mutex_t mu;
    pthread_cond_t cv_items, cv_space;
    batch *qhead, *qtail;
    size_t qn;
    bool closed;
    /* all batches, for line fix-up */
    batch **batches;
    size_t nbatches, capbatches;
    uint64_t seq;          /* next resource sequence base */
    uint64_t bytes_done, bytes_total;
    gd_status fatal;       /* set when a worker hit NOMEM/LIMIT */
    uint64_t max_resources;
    _Atomic uint64_t nseen;  /* resources and data sources counted so far (the limit) ... */
    uint64_t flush_every;    /* ... which workers add to in runs this long (see count_seen) */
    worker *main;          /* the calling thread's worker (plans, HCL) */
    struct infile *held;   /* inputs mapped during the scan, released at the end */
    size_t nheld, capheld;
    bool guess;            /* cut pretty-printed state arrays by their layout */
    _Atomic bool resplit;  /* a guessed cut was wrong: the scan is done again exactly */
} scan;

/* -------------------------------------------------------- small helpers */

static gd_str str_of(const gdi_node *n)
{
    if (!n || n->type != GDI_STRING) return (gd_str){"", 0};
    return (gd_str){n->str, n->len};
}

static const char *keep_str(gdi_arena *a, gd_str s)
{
    return gdi_arena_strndup(a, s.p ? s.p : "", s.n);
}

/* Deep copy of a subtree into arena a; strings copied too. */
/* Strings inside [lo, hi) (a mapped input that lives until the end of the
 * scan) are shared, not copied. */
static bool own_strings(gdi_arena *a, gdi_node *n, size_t k, const char *lo, const char *hi);

static const gdi_node *copy_tree(gdi_arena *a, const gdi_node *n, const char *lo, const char *hi)
{
    size_t k = n->skip;
    gdi_node *dst = gdi_arena_alloc(a, k * sizeof *dst);
    if (!dst) return NULL;
    memcpy(dst, n, k * sizeof *dst);
    return own_strings(a, dst, k, lo, hi) ? dst : NULL;
}

/* Copy of string bytes outside [lo, hi) into a (inside: shared). */
static bool own_strings(gdi_arena *a, gdi_node *n, size_t k, const char *lo, const char *hi)
{
    for (size_t i = 0; i < k; i++)
        if (n[i].str && n[i].len && !(n[i].str >= lo && n[i].str < hi)) {
            char *s = gdi_arena_alloc(a, n[i].len);
            if (!s) return false;
            memcpy(s, n[i].str, n[i].len);
            n[i].str = s;
        }
    return true;
}

static bool field_wanted(const gdi_node *key, const gd_str *f, size_t nf)
{
    for (size_t i = 0; i < nf; i++)
        if (f[i].n == key->len && memcmp(f[i].p, key->str, key->len) == 0) return true;
    return false;
}

/* Copy of object obj with only the members named in f (every occurrence,
 * in order, so duplicate-key lookups still see the last one). */
static const gdi_node *copy_members(gdi_arena *a, const gdi_node *obj, const gd_str *f, size_t nf,
                                    const char *lo, const char *hi)
{
    size_t total = 1;
    uint32_t nm = 0;
    const gdi_node *end = obj + obj->skip;
    for (const gdi_node *k = obj + 1; k < end;) {
        const gdi_node *v = k + 1;
        if (field_wanted(k, f, nf)) {
            total += 1 + v->skip;
            nm++;
        }
        k = v + v->skip;
    }
    gdi_node *dst = gdi_arena_alloc(a, total * sizeof *dst);
    if (!dst) return NULL;
    dst[0] = *obj;
    dst[0].len = nm;
    dst[0].skip = (uint32_t)total;
    size_t at = 1;
    for (const gdi_node *k = obj + 1; k < end;) {
        const gdi_node *v = k + 1;
        if (field_wanted(k, f, nf)) {
            memcpy(dst + at, k, (1 + v->skip) * sizeof *dst);
            at += 1 + v->skip;
        }
        k = v + v->skip;
    }
    return own_strings(a, dst, total, lo, hi) ? dst : NULL;
}

/* Newlines in p[0..n): 16 bytes at a time where SSE2 is there (every
 * x86-64), since pretty-printed JSON has a newline every few dozen bytes
 * and a memchr per line would cost a call each. */
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
/* AVX2 (with popcnt) where the CPU has it, chosen once at run time: the
 * build targets baseline x86-64. */
__attribute__((target("avx2,popcnt"))) static size_t count_nl_avx2(const char *p, size_t n)
{
    size_t c = 0;
    const __m256i nl = _mm256_set1_epi8('\n');
    while (n >= 64) {
        uint32_t a = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)p), nl));
        uint32_t b = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(p + 32)), nl));
        c += (size_t)_mm_popcnt_u64((uint64_t)a | (uint64_t)b << 32);
        p += 64;
        n -= 64;
    }
    for (size_t i = 0; i < n; i++) c += p[i] == '\n';
    return c;
}

__attribute__((target("avx2"))) static size_t find_closer_avx2(const char *t, size_t from, size_t n,
                                                               size_t k)
{
    size_t i = from;
    const __m256i nl = _mm256_set1_epi8('\n'), cb = _mm256_set1_epi8('}');
    while (i + k + 1 + 32 <= n) {
        uint32_t m =
            (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
                _mm256_loadu_si256((const __m256i *)(const void *)(t + i)), nl)) &
            (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
                _mm256_loadu_si256((const __m256i *)(const void *)(t + i + k + 1)), cb));
        while (m) {
            size_t j = i + (size_t)__builtin_ctz(m);
            size_t q = 0;
            while (q < k && t[j + 1 + q] == ' ') q++;
            if (q == k) return j;
            m &= m - 1;
        }
        i += 32;
    }
    return i; /* the caller finishes the tail */
}

/* (reads what libgcc's constructor found; no state of ours, no race) */
static bool have_avx2(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
}
#endif

static size_t count_nl(const char *p, size_t n)
{
    size_t c = 0;
#ifdef HAVE_AVX2_PATH
    if (have_avx2()) return count_nl_avx2(p, n);
#endif
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n');
    while (n >= 64) {
        __m128i a = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), nl);
        __m128i b = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), nl);
        __m128i d = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), nl);
        __m128i e = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), nl);
        uint64_t m = (uint64_t)(uint16_t)_mm_movemask_epi8(a) |
                     (uint64_t)(uint16_t)_mm_movemask_epi8(b) << 16 |
                     (uint64_t)(uint16_t)_mm_movemask_epi8(d) << 32 |
                     (uint64_t)(uint16_t)_mm_movemask_epi8(e) << 48;
        while (m) { /* Kernighan: no popcnt instruction needed */
            m &= m - 1;
            c++;
        }
        p += 64;
        n -= 64;
    }
#endif
    const char *end = p + n;
    while (p < end) {
        const char *q = memchr(p, '\n', (size_t)(end - p));
        if (!q) break;
        c++;
        p = q + 1;
    }
    return c;
}

static void set_fatal(scan *sc, gd_status st)
{
    pthread_mutex_lock(&sc->mu);
    if (sc->fatal == GD_OK) sc->fatal = st;
    pthread_cond_broadcast(&sc->cv_space);
    pthread_cond_broadcast(&sc->cv_items);
    pthread_mutex_unlock(&sc->mu);
}

/* A resource cut by guess_next did not parse: the guess may be what is
 * wrong, so the whole scan stops and is done again with exact cuts (which
 * then report the error, if it is one, as usual). */
static gd_status guess_failed(scan *sc)
{
    atomic_store(&sc->resplit, true);
    set_fatal(sc, GD_INTERNAL);
    return GD_INTERNAL;
}

/* ---------------------------------------------------------- evaluation */

static gd_status add_finding(worker *w, const gdi_rule *rule, gdi_verdict v, const gdi_resource *r,
                             const char *addr, const char *reason, uint32_t line, uint32_t bidx)
{
    if (gdi_grow(w->ctx, (void **)&w->fs, &w->capfs, w->nfs + 1, sizeof *w->fs)) return GD_NOMEM;
    wfinding *f = &w->fs[w->nfs];
    memset(f, 0, sizeof *f);
    f->f.rule = rule;
    f->f.verdict = (uint8_t)v;
    f->f.mode = r->mode;
    f->f.address = addr;
    f->f.type = rule->types && rule->ntypes == 1 ? rule->types[0] : keep_str(&w->fstr, r->type);
    if (!w->last_prov.p || !gd_str_eq(w->last_prov, r->provider)) {
        const char *p = keep_str(&w->fstr, r->provider);
        if (!p) return GD_NOMEM;
        w->last_prov = (gd_str){p, r->provider.n};
    }
    f->f.provider = w->last_prov.p;
    f->f.reason = reason ? keep_str(&w->fstr, gd_str_c(reason)) : NULL;
    f->f.file = r->file;
    f->f.line = line;
    f->f.seq = r->seq;
    f->batch = bidx;
    if (!f->f.type || !f->f.provider || (reason && !f->f.reason)) return GD_NOMEM;
    w->nfs++;
    return GD_OK;
}

/* Line to report for a finding of rule on r: the rule's primary attribute
 * when the resource carries per-attribute positions (HCL), else r->line. */
static uint32_t finding_line(const gdi_rule *rule, const gdi_resource *r)
{
    if (r->doc && r->attrs && rule->check) {
        gd_str a = gdi_program_primary_attr(rule->check);
        const gdi_node *n = a.n ? gdi_obj_get(r->attrs, a.p, a.n) : NULL;
        if (n) {
            uint32_t l, c;
            gdi_doc_line_col(r->doc, n, &l, &c);
            if (l) return l;
        }
    }
    return r->line;
}

/* Evaluate the rules of r's type. joins NULL: immediate phase (join rules
 * are skipped and *deferred set); otherwise only join rules are run. */
static gd_status eval_resource(worker *w, const gdi_typeinfo *ti, const gdi_resource *r,
                               uint32_t bidx, const gdi_joins *joins, bool *deferred)
{
    if (!ti) return GD_OK; /* no rule for this type */
    gdi_rule *const *rules = ti->rules;
    size_t n = ti->nrules;
    const char *addr = NULL;
    bool keep_passes = w->sc->opts->keep_passes;
    for (size_t i = 0; i < n; i++) {
        const gdi_rule *rule = rules[i];
        bool uses = gdi_program_uses_joins(rule->check);
        if (!joins && uses) {
            *deferred = true;
            continue;
        }
        if (joins && !uses && !w->phase2_all) continue;
        gdi_verdict v;
        const char *reason = NULL;
        gd_status st = gdi_eval_run(w->ev, rule->check, r, joins, &v, &reason);
        if (st != GD_OK) return st;
        gdi_rule_stats *s = &w->stats[rule->index];
        switch (v) {
        case GDI_V_PASS: s->pass++; break;
        case GDI_V_FAIL: s->fail++; break;
        case GDI_V_UNKNOWN: s->unknown++; break;
        case GDI_V_ERROR: s->error++; break;
        }
        if (v == GDI_V_PASS && !keep_passes) continue;
        if (!addr) {
            addr = keep_str(&w->fstr, r->address);
            if (!addr) return GD_NOMEM;
        }
        st = add_finding(w, rule, v, r, addr, reason, finding_line(rule, r), bidx);
        if (st != GD_OK) return st;
    }
    return GD_OK;
}

/* Index target r (attributes attrs, read now) under every join on its type
 * it has a key for, as handle ref. */
static gd_status add_keys(worker *w, const gdi_target *tg, const gdi_node *attrs,
                          const gdi_resource *r, uintptr_t ref)
{
    for (size_t i = 0; i < tg->ndefs; i++) {
        gdi_joinkey k;
        if (!gdi_joins_key_of(w->sc->rs->joins, tg->defs[i], attrs, r->file, r->seq, ref, &k))
            continue;
        gdi_joinkey *slot = chunks_add(w->ctx, &w->jkeys, sizeof k);
        if (!slot) return GD_NOMEM;
        *slot = k;
    }
    return GD_OK;
}

/* A deferred resource kept as a whole copy (plan and HCL resources, whose
 * source is not kept): evaluated for its join rules at the end, and indexed
 * if it is a join target too. */
static gd_status keep_resource(worker *w, const gdi_typeinfo *ti, const gdi_resource *r,
                               uint32_t bidx)
{
    if (w->nks == w->nchunks * KCHUNK) {
        if (gdi_grow(w->ctx, (void **)&w->kchunks, &w->capchunks, w->nchunks + 1,
                     sizeof *w->kchunks))
            return GD_NOMEM;
        kept *chunk = gdi_alloc(w->ctx, KCHUNK * sizeof *chunk);
        if (!chunk) return GD_NOMEM;
        w->kchunks[w->nchunks++] = chunk;
    }
    kept *k = &w->kchunks[w->nks / KCHUNK][w->nks % KCHUNK];
    memset(k, 0, sizeof *k);
    k->r = *r;
    k->batch = bidx;
    k->deferred = true;
    gdi_arena *a = &w->keep;
    const char *lo = w->stable_lo, *hi = w->stable_hi;
    gd_str *fields[] = {&k->r.address, &k->r.type, &k->r.name, &k->r.provider,
                        &k->r.provider_config, &k->r.module};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        gd_str f = *fields[i];
        if (!f.n || (f.p >= lo && f.p < hi)) continue; /* empty, or in the mapped input: shared */
        const char *c = keep_str(a, f);
        if (!c) return GD_NOMEM;
        fields[i]->p = c;
    }
    k->r.doc = NULL; /* positions of kept resources are not needed for joins */
    if (r->attrs) {
        k->r.attrs = copy_tree(a, r->attrs, lo, hi);
        if (!k->r.attrs) return GD_NOMEM;
    }
    /* keep the attribute line (HCL) for the deferred finding */
    if (r->doc) k->r.line = r->line;
    w->nks++;
    const gdi_target *tg = ti ? ti->target : NULL;
    return tg ? add_keys(w, tg, k->r.attrs, &k->r, (uintptr_t)k->r.attrs) : GD_OK;
}

/* Where a JSON Lines join target can be read back from (a fetch handle
 * points here, low bit set). */
typedef struct jrec {
    uint64_t off;  /* the line's offset in the file */
    uint32_t len;  /* its length */
    int fd;        /* the file, open until the end of the scan */
} jrec;

/* A join target for the index. What the index holds of it: a handle to
 * the line when it comes from a JSON Lines file that can be read again (so
 * memory does not grow with the targets' size), else a copy of the
 * attributes the join phase reads of it (the joined fields and what checks
 * read of the joined resources; strings in the mapped input are shared). */
static gd_status keep_target(worker *w, const gdi_target *tg, const gdi_resource *r)
{
    uintptr_t ref;
    if (!r->attrs || r->attrs->type != GDI_OBJECT) return GD_OK; /* no key to be found by */
    if (w->cur.kind == KEEP_JSONL && w->cur.fd >= 0 && w->cur.len <= UINT32_MAX) {
        jrec *rec = gdi_arena_alloc(&w->keep, sizeof *rec);
        if (!rec) return GD_NOMEM;
        *rec = (jrec){w->cur.off, (uint32_t)w->cur.len, w->cur.fd};
        ref = (uintptr_t)rec | 1;
    } else {
        const gdi_node *c = tg->all ? copy_tree(&w->keep, r->attrs, w->stable_lo, w->stable_hi)
                                    : copy_members(&w->keep, r->attrs, tg->fields, tg->nfields,
                                                   w->stable_lo, w->stable_hi);
        if (!c) return GD_NOMEM;
        ref = (uintptr_t)c;
    }
    return add_keys(w, tg, r->attrs, r, ref);
}

/* The fetch behind JSON Lines join targets: read the line again and parse
 * it into the evaluation run's memory. */
static gd_status fetch_target(void *ud, gdi_eval *ev, uintptr_t h, const gdi_node **attrs)
{
    (void)ud;
    const jrec *rec = (const jrec *)(h & ~(uintptr_t)1);
    *attrs = NULL;
    char *buf = gdi_eval_alloc(ev, rec->len ? rec->len : 1);
    if (!buf) return GD_NOMEM;
    size_t got = 0;
    while (got < rec->len) {
        ssize_t n = pread(rec->fd, buf + got, rec->len - got, (off_t)(rec->off + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return GD_IO;
        got += (size_t)n;
    }
    gdi_doc *d = gdi_eval_doc(ev);
    if (!d) return GD_NOMEM;
    gd_status st = gdi_json_parse(d, buf, rec->len);
    gd_ctx_clear_diags(d->ctx);
    if (st == GD_NOMEM) return st;
    if (st != GD_OK) return GD_IO; /* it parsed the first time: the file changed */
    const gdi_node *a = gdi_obj_getc(gdi_doc_root(d), "attributes");
    *attrs = a && a->type == GDI_OBJECT ? a : NULL;
    return GD_OK;
}

/* Everything a resource goes through once an adapter has built it. */
/* Record a deferred resource as a reference to its source text. */
static gd_status keep_lazy(worker *w, const gdi_resource *r, uint32_t bidx)
{
    cursrc *c = &w->cur;
    if (c->recorded) return GD_OK; /* one entry per state resource object */
    lazy *k = chunks_add(w->ctx, &w->ls, sizeof *k);
    if (!k) return GD_NOMEM;
    k->whole = false;
    k->kind = c->kind;
    k->batch = bidx;
    k->file = r->file;
    k->line = c->line;
    k->seq = c->seq;
    if (c->len > UINT32_MAX)
        return gdi_err(w->ctx, GD_LIMIT, w->sc->out->files[r->file], c->line, 1,
                       "a single resource over 4 GiB");
    k->srclen = (uint32_t)c->len;
    k->fd = -1;
    if (c->kind == KEEP_JSONL && c->fd >= 0) { /* a regular file: read the line back later */
        k->fd = c->fd;
        k->at.off = c->off;
    } else if (c->kind == KEEP_JSONL) { /* a pipe: the line's buffer is reused, copy it */
        char *t = gdi_arena_alloc(&w->keep, c->len ? c->len : 1);
        if (!t) return GD_NOMEM;
        memcpy(t, c->text, c->len);
        k->at.src = t;
    } else {
        k->at.src = c->text; /* the mapped file stays until the end of the scan */
    }
    c->recorded = true;
    return GD_OK;
}

/* Count one resource against --max-resources. Workers add to the shared
 * count in runs (an atomic add per resource, on a cache line every core
 * writes, costs more than evaluating some resources), so a runaway input
 * is stopped at most a run per worker late; the exact total is checked
 * once every worker has flushed (count_flush). */
static gd_status count_seen(worker *w)
{
    if (++w->unflushed < w->sc->flush_every) return GD_OK;
    uint64_t n = w->unflushed;
    w->unflushed = 0;
    return atomic_fetch_add(&w->sc->nseen, n) + n > w->sc->max_resources ? GD_LIMIT : GD_OK;
}

/* Add every worker's unflushed count; GD_LIMIT (reported) when over. */
static gd_status count_flush(scan *sc, unsigned nall)
{
    for (unsigned i = 0; i < nall; i++) {
        atomic_fetch_add(&sc->nseen, sc->w[i].unflushed);
        sc->w[i].unflushed = 0;
    }
    if (atomic_load(&sc->nseen) <= sc->max_resources) return GD_OK;
    return gdi_err(sc->ctx, GD_LIMIT, NULL, 0, 0, "more than %llu resources (--max-resources)",
                   (unsigned long long)sc->max_resources);
}

static gd_status process_resource(worker *w, const gdi_resource *r, uint32_t bidx)
{
    scan *sc = w->sc;
    if (w->phase2) { /* join phase: the resource came back from its source */
        bool dummy = false;
        if (w->phase2_all) { /* deferred whole: first time it is counted */
            if (r->mode == GDI_MODE_DATA) w->ndata++;
            else w->nres++;
            if (count_seen(w) != GD_OK) return GD_LIMIT;
        }
        if (r->mode == GDI_MODE_DATA) return GD_OK;
        return eval_resource(w, gdi_ruleset_type(sc->rs, r->type), r, bidx, w->phase2, &dummy);
    }
    const gdi_typeinfo *ti = gdi_ruleset_type(sc->rs, r->type);
    bool target = ti && ti->target;
    bool deferred = false;
    if (count_seen(w) != GD_OK) return GD_LIMIT;
    if (r->mode == GDI_MODE_DATA) {
        w->ndata++;
    } else {
        w->nres++;
        gd_status st = eval_resource(w, ti, r, bidx, NULL, &deferred);
        if (st != GD_OK) return st;
    }
    /* waiting for its join rules: kept as a reference to its source when
     * there is one (parsed again in the join phase), else as a whole copy
     * (which also serves the index); a join target is indexed */
    if (deferred && w->cur.kind == KEEP_COPY) return keep_resource(w, ti, r, bidx);
    if (deferred) {
        gd_status st = keep_lazy(w, r, bidx);
        if (st != GD_OK) return st;
    }
    return target ? keep_target(w, ti->target, r) : GD_OK;
}

/* ----------------------------------------------------- address building */

/* Append an index key as Terraform prints it: [0] or ["key"]. */
static void put_index(gdi_buf *b, const gdi_node *key)
{
    if (!key || key->type == GDI_NULL) return;
    if (key->type == GDI_NUMBER) {
        gdi_buf_putc(b, '[');
        gdi_buf_append(b, key->str, key->len);
        gdi_buf_putc(b, ']');
    } else if (key->type == GDI_STRING) {
        gdi_buf_puts(b, "[\"");
        /* Terraform escapes quotes and backslashes in printed keys */
        gdi_buf_json_escape(b, key->str, key->len);
        gdi_buf_puts(b, "\"]");
    }
}

/* Short provider name from a provider reference such as
 * provider["registry.terraform.io/hashicorp/aws"].west or
 * registry.terraform.io/aliyun/alicloud: the last path segment. */
static gd_str provider_short(gd_str ref, gd_str type)
{
    if (!ref.n) return gdi_type_provider(type);
    const char *p = ref.p, *end = ref.p + ref.n;
    const char *q = memchr(p, '"', ref.n);
    if (q) { /* inside the quotes */
        const char *q2 = memchr(q + 1, '"', (size_t)(end - q - 1));
        if (q2) {
            p = q + 1;
            end = q2;
        }
    } else if (ref.n > 9 && memcmp(p, "provider.", 9) == 0) { /* legacy provider.aws.west */
        p += 9;
        const char *dot = memchr(p, '.', (size_t)(end - p));
        if (dot) end = dot;
    }
    const char *slash = end;
    while (slash > p && slash[-1] != '/') slash--;
    if (end > slash) return (gd_str){slash, (size_t)(end - slash)};
    return gdi_type_provider(type);
}

/* ------------------------------------------------------ state adapter */

/* Turn one parsed state resource object (root of w->doc) into resources. */
/* Member name k is the len-byte word s. */
static inline bool key_is(const gdi_node *k, const char *s, size_t len)
{
    return k->len == len && memcmp(k->str, s, len) == 0;
}

static gd_status state_resource(worker *w, batch *b, const gdi_node *obj, size_t rel_off,
                                uint64_t seq, uint32_t rel_line)
{
    /* the members in one pass (a later duplicate wins, as in gdi_obj_get) */
    const gdi_node *mode = NULL, *type = NULL, *name = NULL, *prov = NULL, *module = NULL,
                   *insts = NULL;
    for (const gdi_node *k = obj + 1, *end = obj + obj->skip; k < end; k = k + 1 + k[1].skip) {
        const gdi_node *v = k + 1;
        if (key_is(k, "type", 4)) type = v;
        else if (key_is(k, "name", 4)) name = v;
        else if (key_is(k, "mode", 4)) mode = v;
        else if (key_is(k, "provider", 8)) prov = v;
        else if (key_is(k, "module", 6)) module = v;
        else if (key_is(k, "instances", 9)) insts = v;
    }
    if (!type || type->type != GDI_STRING || !name || name->type != GDI_STRING) {
        uint32_t l, c;
        gdi_line_col(b->filetext, b->file_off + rel_off + 1, b->file_off + rel_off, &l, &c);
        return gdi_err(w->ctx, GD_INVALID, w->sc->out->files[b->file], l, c,
                       "state resource without a string \"type\" and \"name\"");
    }
    gdi_resource r;
    memset(&r, 0, sizeof r);
    r.type = str_of(type);
    r.name = str_of(name);
    r.module = str_of(module);
    r.provider_config = str_of(prov);
    r.provider = provider_short(r.provider_config, r.type);
    r.mode = (mode && gd_str_eqc(str_of(mode), "data")) ? GDI_MODE_DATA : GDI_MODE_MANAGED;
    r.file = b->file;
    r.line = rel_line;
    gdi_buf *ab = &w->addr;
    gd_status st = GD_OK;
    uint32_t ni = insts && insts->type == GDI_ARRAY ? insts->len : 0;
    const gdi_node *in = ni ? gdi_first(insts) : NULL;
    for (uint32_t i = 0; i < ni; i++, in = gdi_next(in)) {
        ab->n = 0;
        if (r.module.n) {
            gdi_buf_append(ab, r.module.p, r.module.n);
            gdi_buf_putc(ab, '.');
        }
        if (r.mode == GDI_MODE_DATA) gdi_buf_puts(ab, "data.");
        gdi_buf_append(ab, r.type.p, r.type.n);
        gdi_buf_putc(ab, '.');
        gdi_buf_append(ab, r.name.p, r.name.n);
        const gdi_node *ikey = NULL, *status = NULL;
        r.attrs = NULL;
        if (in->type == GDI_OBJECT)
            for (const gdi_node *k = in + 1, *end = in + in->skip; k < end; k = k + 1 + k[1].skip) {
                if (key_is(k, "attributes", 10)) r.attrs = k + 1;
                else if (key_is(k, "index_key", 9)) ikey = k + 1;
                else if (key_is(k, "status", 6)) status = k + 1;
            }
        put_index(ab, ikey);
        if (ab->oom) {
            st = GD_NOMEM;
            break;
        }
        r.address = (gd_str){ab->p, ab->n};
        r.tainted = status && gd_str_eqc(str_of(status), "tainted");
        if (r.attrs && r.attrs->type != GDI_OBJECT) r.attrs = NULL;
        r.seq = seq + i;
        st = process_resource(w, &r, b->index);
        if (st != GD_OK) break;
    }
    return st;
}

/* Report a parse error inside a batch at its absolute file position. The
 * JSON reader reported it relative to the slice; recompute from the file. */
static void relocate_diag(worker *w, batch *b, size_t slice_off, gd_ctx *tmp)
{
    const char *file = w->sc->out->files[b->file];
    size_t nl = strlen(w->doc.name);
    uint32_t base_line, base_col;
    gdi_line_col(b->filetext, b->file_off + slice_off + 1, b->file_off + slice_off, &base_line,
                 &base_col);
    for (size_t i = 0; i < tmp->ndiags; i++) {
        const char *m = tmp->diags[i].msg;
        unsigned rl = 0, rc = 0;
        int used = 0;
        if (strncmp(m, w->doc.name, nl) == 0 && sscanf(m + nl, ":%u:%u: %n", &rl, &rc, &used) == 2 &&
            used > 0) {
            uint32_t line = base_line + rl - 1, col = rl == 1 ? base_col + rc - 1 : rc;
            gdi_diag_add(w->ctx, tmp->diags[i].kind, file, line, col, "%s", m + nl + used);
        } else {
            gdi_diag_add(w->ctx, tmp->diags[i].kind, NULL, 0, 0, "%s", m);
        }
    }
    gd_ctx_clear_diags(tmp);
}

/* Whether resources of this type can wait whole for the join phase: they
 * have rules that join and no rule joins on them (a join target must be in
 * the index before the join phase). */
static bool defer_whole(const gd_ruleset *rs, gd_str type)
{
    const gdi_typeinfo *ti = gdi_ruleset_type(rs, type);
    return ti && ti->join_rules && !ti->target;
}

/* The "type" of a state resource object from its first members, without
 * parsing the whole object (Terraform writes mode, type and name first).
 * False when it is not found among the first members or is escaped. */
static bool peek_type(const char *t, size_t n, gd_str *type)
{
    size_t pos = 1; /* after '{' */
    for (int k = 0; k < 6; k++) {
        size_t ks, ke, vs, ve;
        if (gdi_json_object_next(t + pos, n - pos, k == 0, &ks, &ke, &vs, &ve) != GD_OK)
            return false;
        const char *key = t + pos + ks + 1, *val = t + pos + vs;
        size_t kn = ke - ks - 2, vn = ve - vs;
        pos += ve;
        if (kn == 4 && memcmp(key, "type", 4) == 0) {
            if (vn < 2 || val[0] != '"' || memchr(val, '\\', vn)) return false;
            *type = (gd_str){val + 1, vn - 2};
            return true;
        }
    }
    return false;
}

/* Keep a whole state resource object for the join phase, unparsed. */
static gd_status keep_whole(worker *w, batch *b, size_t s, size_t e, uint32_t rel_line,
                            uint64_t seq)
{
    lazy *k = chunks_add(w->ctx, &w->ls, sizeof *k);
    if (!k) return GD_NOMEM;
    k->at.src = b->text + s;
    k->srclen = (uint32_t)(e - s); /* the splitter refuses resources over 4 GiB */
    k->seq = seq;
    k->file = b->file;
    k->line = rel_line;
    k->batch = b->index;
    k->kind = KEEP_STATE;
    k->whole = true;
    k->fd = -1;
    return GD_OK;
}

static gd_status run_state_batch(worker *w, batch *b)
{
    gd_status st = GD_OK;
    size_t scanned = 0;
    uint32_t rel_line = 1;
    gd_ctx *perr = w->perr;
    w->stable_lo = b->filetext;
    w->stable_hi = b->filetext + b->filelen;
    for (uint32_t i = 0; i < b->nres; i++) {
        size_t s = b->starts[i], e = b->ends[i];
        rel_line += (uint32_t)count_nl(b->text + scanned, s - scanned);
        scanned = s;
        gd_str ptype;
        if (w->sc->rs->njoins && peek_type(b->text + s, e - s, &ptype) &&
            defer_whole(w->sc->rs, ptype)) {
            gd_status ks = keep_whole(w, b, s, e, rel_line, b->seq0 + ((uint64_t)i << 20));
            if (ks != GD_OK) {
                st = ks;
                break;
            }
            continue;
        }
        gdi_doc_reset(&w->doc);
        /* parse errors go to a private ctx so they can be relocated */
        gd_ctx *saved = w->doc.ctx;
        w->doc.ctx = perr;
        gd_status pst = gdi_json_parse(&w->doc, b->text + s, e - s);
        w->doc.ctx = saved;
        if (pst != GD_OK && pst != GD_NOMEM && b->guessed) {
            gd_ctx_clear_diags(perr);
            st = guess_failed(w->sc);
            break;
        }
        if (pst != GD_OK) {
            relocate_diag(w, b, s, perr);
            if (pst == GD_NOMEM || pst == GD_LIMIT) {
                st = pst;
                break;
            }
            if (st == GD_OK) st = pst;
            continue;
        }
        const gdi_node *root = gdi_doc_root(&w->doc);
        if (!root || root->type != GDI_OBJECT) {
            uint32_t l, c;
            gdi_line_col(b->filetext, b->file_off + s + 1, b->file_off + s, &l, &c);
            gdi_err(w->ctx, GD_INVALID, w->sc->out->files[b->file], l, c,
                    "state resource is not an object");
            if (st == GD_OK) st = GD_INVALID;
            continue;
        }
        w->cur = (cursrc){KEEP_STATE, b->text + s, e - s, rel_line, b->seq0 + ((uint64_t)i << 20), false,
                          -1, 0};
        gd_status rst = state_resource(w, b, root, s, b->seq0 + ((uint64_t)i << 20), rel_line);
        w->cur.kind = KEEP_COPY;
        if (rst == GD_NOMEM || rst == GD_LIMIT) {
            st = rst;
            break;
        }
        if (rst != GD_OK && st == GD_OK) st = rst;
    }
    b->nl = (uint64_t)(rel_line - 1) + count_nl(b->text + scanned, b->len - scanned);
    w->stable_lo = w->stable_hi = NULL;
    return st;
}

/* ------------------------------------------------------ JSON Lines adapter */

static gd_status jsonl_line(worker *w, batch *b, const char *line, size_t len, uint64_t lineno,
                            uint64_t seq)
{
    const char *file = w->sc->out->files[b->file];
    gdi_doc_reset(&w->doc);
    w->doc.line_base = (uint32_t)(lineno > UINT32_MAX ? UINT32_MAX : lineno);
    gd_status st = gdi_json_parse(&w->doc, line, len);
    w->doc.line_base = 1;
    if (st != GD_OK) return st;
    const gdi_node *o = gdi_doc_root(&w->doc);
    uint32_t ln = (uint32_t)(lineno > UINT32_MAX ? 0 : lineno);
    if (!o || o->type != GDI_OBJECT)
        return gdi_err(w->ctx, GD_INVALID, file, ln, 1, "inventory line is not a JSON object");
    const gdi_node *type = gdi_obj_getc(o, "type"), *addr = gdi_obj_getc(o, "address"),
                   *prov = gdi_obj_getc(o, "provider"), *attrs = gdi_obj_getc(o, "attributes"),
                   *mode = gdi_obj_getc(o, "mode");
    if (!type || type->type != GDI_STRING || type->len == 0)
        return gdi_err(w->ctx, GD_INVALID, file, ln, 1,
                       "inventory line needs a non-empty string \"type\"");
    if (attrs && attrs->type != GDI_OBJECT && attrs->type != GDI_NULL)
        return gdi_err(w->ctx, GD_INVALID, file, ln, 1, "\"attributes\" must be an object");
    if (addr && addr->type != GDI_STRING)
        return gdi_err(w->ctx, GD_INVALID, file, ln, 1, "\"address\" must be a string");
    gdi_resource r;
    memset(&r, 0, sizeof r);
    r.type = str_of(type);
    char fallback[64];
    if (addr && addr->len) {
        r.address = str_of(addr);
    } else {
        int n = snprintf(fallback, sizeof fallback, "line_%llu", (unsigned long long)lineno);
        r.address = (gd_str){fallback, (size_t)n};
    }
    const char *dot = memchr(r.address.p, '.', r.address.n);
    r.name = dot ? (gd_str){dot + 1, r.address.n - (size_t)(dot + 1 - r.address.p)} : r.address;
    r.provider = prov && prov->type == GDI_STRING && prov->len ? str_of(prov)
                                                               : gdi_type_provider(r.type);
    r.mode = mode && gd_str_eqc(str_of(mode), "data") ? GDI_MODE_DATA : GDI_MODE_MANAGED;
    r.attrs = attrs && attrs->type == GDI_OBJECT ? attrs : NULL;
    r.file = b->file;
    r.line = ln;
    r.seq = seq;
    return process_resource(w, &r, NO_BATCH);
}

static gd_status run_jsonl_batch(worker *w, batch *b)
{
    gd_status st = GD_OK;
    const char *p = b->text, *end = b->text + b->len;
    uint64_t lineno = b->line0, k = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *q = p;
        while (q < le && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
        if (q < le) {
            w->cur = (cursrc){KEEP_JSONL, p, (size_t)(le - p), (uint32_t)(lineno > UINT32_MAX ? 0 : lineno),
                              b->seq0 + (k << 20), false, b->fd,
                              b->file_off + (uint64_t)(p - b->text)};
            gd_status ls = jsonl_line(w, b, p, (size_t)(le - p), lineno, b->seq0 + (k << 20));
            w->cur.kind = KEEP_COPY;
            if (ls == GD_NOMEM || ls == GD_LIMIT) return ls;
            if (ls != GD_OK && st == GD_OK) st = ls;
        }
        k++;
        lineno++;
        p = le + 1;
    }
    return st;
}

/* --------------------------------------------------------------- workers */

static gd_status worker_init(worker *w, scan *sc)
{
    memset(w, 0, sizeof *w);
    w->sc = sc;
    gd_status st = gdi_ctx_clone(sc->ctx, &w->ctx);
    if (st != GD_OK) return st;
    if ((st = gdi_doc_init(&w->doc, w->ctx, "<state>")) != GD_OK) return st;
    gdi_arena_init(&w->scratch, w->ctx, 64 * 1024);
    gdi_arena_init(&w->keep, w->ctx, 1 << 20);
    gdi_arena_init(&w->fstr, w->ctx, 1 << 20);
    gdi_buf_init(&w->addr, w->ctx);
    gdi_buf_init(&w->linebuf, w->ctx);
    w->winfd = -1;
    if ((st = gdi_ctx_clone(w->ctx, &w->perr)) != GD_OK) return st;
    w->stats = gdi_calloc(w->ctx, sc->rs->nrules ? sc->rs->nrules : 1, sizeof *w->stats);
    if (!w->stats) return GD_NOMEM;
    return gdi_eval_new(w->ctx, &w->ev);
}

static void worker_free(worker *w)
{
    if (!w->ctx) return;
    gdi_eval_free(w->ev);
    gdi_doc_free(&w->doc);
    gdi_arena_free(&w->scratch);
    gdi_arena_free(&w->keep);
    gdi_arena_free(&w->fstr);
    gdi_buf_free(&w->addr);
    gdi_buf_free(&w->linebuf);
    gd_ctx_free(w->perr);
    gdi_free(w->ctx, w->fs);
    for (size_t c = 0; c < w->nchunks; c++) gdi_free(w->ctx, w->kchunks[c]);
    gdi_free(w->ctx, w->kchunks);
    chunks_free(w->ctx, &w->jkeys);
    chunks_free(w->ctx, &w->ls);
    gdi_free(w->ctx, w->stats);
    gd_ctx_free(w->ctx);
    w->ctx = NULL;
}

/* Point the worker's document at the batch's file name for messages (the
 * name is borrowed from the scan, which outlives the batch). */
static void doc_name(worker *w, const char *file)
{
    if (w->doc.own_name) gdi_free(w->ctx, (void *)w->doc.name);
    w->doc.own_name = false;
    w->doc.name = file;
}

static gd_status run_batch(worker *w, batch *b)
{
    doc_name(w, w->sc->out->files[b->file]);
    gd_status st = b->kind == BK_STATE ? run_state_batch(w, b) : run_jsonl_batch(w, b);
    if (b->owned) { /* same allocator as the scan's ctx */
        gdi_free(w->ctx, b->owned);
        b->owned = NULL;
    }
    return st;
}

static batch *queue_pop(scan *sc)
{
    pthread_mutex_lock(&sc->mu);
    while (!sc->qhead && !sc->closed && sc->fatal == GD_OK) pthread_cond_wait(&sc->cv_items, &sc->mu);
    batch *b = NULL;
    if (sc->qhead && sc->fatal == GD_OK) {
        b = sc->qhead;
        sc->qhead = b->next;
        if (!sc->qhead) sc->qtail = NULL;
        sc->qn--;
        pthread_cond_signal(&sc->cv_space);
    }
    pthread_mutex_unlock(&sc->mu);
    return b;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    batch *b;
    while ((b = queue_pop(w->sc)) != NULL) {
        gd_status st = run_batch(w, b);
        if (st == GD_NOMEM || st == GD_LIMIT) {
            if (st == GD_LIMIT && w->st == GD_OK)
                gdi_err(w->ctx, GD_LIMIT, NULL, 0, 0,
                        "more than %llu resources (--max-resources)",
                        (unsigned long long)w->sc->max_resources);
            w->st = st;
            set_fatal(w->sc, st);
            break;
        }
        if (st != GD_OK && w->st == GD_OK) w->st = st;
    }
    return NULL;
}

/* Give a batch to the workers (or run it here when single-threaded). */
static gd_status submit(scan *sc, batch *b)
{
    if (gdi_grow(sc->ctx, (void **)&sc->batches, &sc->capbatches, sc->nbatches + 1,
                 sizeof *sc->batches)) {
        /* not registered, so nobody else frees it: the batch is consumed */
        gdi_free(sc->ctx, b->owned);
        gdi_free(sc->ctx, b->starts);
        gdi_free(sc->ctx, b->ends);
        gdi_free(sc->ctx, b);
        return GD_NOMEM;
    }
    b->index = (uint32_t)sc->nbatches;
    sc->batches[sc->nbatches++] = b;
    worker *self = NULL; /* run here instead of queueing */
    pthread_mutex_lock(&sc->mu);
    gd_status st = sc->fatal;
    if (st == GD_OK) {
        if (sc->nw == 1 || sc->qn >= QUEUE_MAX) {
            /* single-threaded, or the workers are behind: rather than wait,
             * the reading thread takes a batch itself (all cores stay busy
             * and reading is naturally throttled) */
            self = sc->nw == 1 ? &sc->w[0] : sc->main;
        } else {
            b->next = NULL;
            if (sc->qtail)
                sc->qtail->next = b;
            else
                sc->qhead = b;
            sc->qtail = b;
            sc->qn++;
            pthread_cond_signal(&sc->cv_items);
        }
    } else if (b->owned) {
        gdi_free(sc->ctx, b->owned);
        b->owned = NULL;
    }
    pthread_mutex_unlock(&sc->mu);
    if (self) {
        gd_status rs = run_batch(self, b);
        if (rs == GD_LIMIT && self->st != GD_LIMIT)
            gdi_err(self->ctx, GD_LIMIT, NULL, 0, 0, "more than %llu resources (--max-resources)",
                    (unsigned long long)sc->max_resources);
        if (rs != GD_OK && self->st == GD_OK) self->st = rs;
        if (rs == GD_NOMEM || rs == GD_LIMIT) set_fatal(sc, rs);
        pthread_mutex_lock(&sc->mu);
        st = sc->fatal;
        pthread_mutex_unlock(&sc->mu);
    }
    return st;
}

static batch *batch_new(scan *sc)
{
    batch *b = gdi_calloc(sc->ctx, 1, sizeof *b);
    if (b) b->fd = -1;
    return b;
}

static void progress(scan *sc, uint64_t delta)
{
    sc->bytes_done += delta;
    if (sc->opts->progress)
        sc->opts->progress(sc->opts->progress_ud, sc->bytes_done, sc->bytes_total,
                           sc->out->nresources);
}

/* -------------------------------------------------------- input reading */

struct infile {
    const char *path;
    int fd;
    char *map;      /* mmap'd or read whole */
    size_t len;
    bool mapped;
};
typedef struct infile infile;

static gd_status open_whole(scan *sc, infile *f)
{
    struct stat sb;
    f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0) return gdi_err(sc->ctx, GD_IO, f->path, 0, 0, "cannot open: %s", strerror(errno));
    if (fstat(f->fd, &sb) != 0)
        return gdi_err(sc->ctx, GD_IO, f->path, 0, 0, "cannot stat: %s", strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return gdi_err(sc->ctx, GD_IO, f->path, 0, 0, "is a directory, expected a file");
    if (S_ISREG(sb.st_mode)) {
        if ((uint64_t)sb.st_size > gdi_limit(sc->ctx, GD_LIMIT_FILE_SIZE))
            return gdi_err(sc->ctx, GD_LIMIT, f->path, 0, 0,
                           "file is %llu bytes, over the limit of %llu (--max-file-size)",
                           (unsigned long long)sb.st_size,
                           (unsigned long long)gdi_limit(sc->ctx, GD_LIMIT_FILE_SIZE));
        f->len = (size_t)sb.st_size;
        if (f->len == 0) {
            f->map = NULL;
            return GD_OK;
        }
        void *m = mmap(NULL, f->len, PROT_READ, MAP_PRIVATE, f->fd, 0);
        if (m != MAP_FAILED) {
            madvise(m, f->len, MADV_SEQUENTIAL);
            f->map = m;
            f->mapped = true;
            return GD_OK;
        }
    }
    close(f->fd);
    f->fd = -1;
    return gdi_read_file(sc->ctx, f->path, &f->map, &f->len);
}

static void close_whole(gd_ctx *ctx, infile *f)
{
    if (f->mapped)
        munmap(f->map, f->len);
    else
        gdi_free(ctx, f->map);
    if (f->fd >= 0) close(f->fd);
    f->map = NULL;
    f->fd = -1;
}

static size_t skip_ws(const char *t, size_t i, size_t n)
{
    while (i < n && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) i++;
    return i;
}

static gd_status syntax_at(scan *sc, const char *path, const char *t, size_t n, size_t off,
                           const char *what)
{
    uint32_t l, c;
    gdi_line_col(t, n, off, &l, &c);
    return gdi_err(sc->ctx, GD_SYNTAX, path, l, c, "%s", what);
}

/*
 * Cutting by layout. Terraform writes state pretty-printed: each element of
 * "resources" starts with '{' on a line indented k spaces and ends with '}'
 * on a line indented the same, and everything inside is indented deeper.
 * Raw newlines never occur inside JSON strings, so "\n" + k spaces + "}" can
 * be found with a vector compare (many GB/s) instead of stepping through
 * every string and bracket of the element. The guess is checked for free:
 * the worker parses exactly [start, end) as one JSON value, which succeeds
 * only when end is the element's real end (a value that parses from a '{'
 * to a '}' with nothing after it is that object, whole). When a guessed
 * element does not parse, the scan is run again with exact cuts (the
 * structural skipper), so odd layouts and real syntax errors cost a second
 * pass but never give a different answer.
 */
#define GUESS_MAX_INDENT 64

static bool all_spaces(const char *p, size_t k)
{
    for (size_t i = 0; i < k; i++)
        if (p[i] != ' ') return false;
    return true;
}

/* Offset of the first "\n" + k spaces + "}" at or after from; n when none. */
static size_t find_closer(const char *t, size_t from, size_t n, size_t k)
{
    size_t i = from;
#ifdef HAVE_AVX2_PATH
    if (have_avx2()) {
        i = find_closer_avx2(t, from, n, k);
        if (i + k + 1 + 32 <= n) return i; /* found */
    }
#endif
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n'), cb = _mm_set1_epi8('}');
    while (i + k + 1 + 16 <= n) {
        unsigned m = (unsigned)_mm_movemask_epi8(
                         _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(t + i)), nl)) &
                     (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
                         _mm_loadu_si128((const __m128i *)(const void *)(t + i + k + 1)), cb));
        while (m) {
            size_t j = i + (size_t)__builtin_ctz(m);
            if (all_spaces(t + j + 1, k)) return j;
            m &= m - 1;
        }
        i += 16;
    }
#endif
    for (; i + k + 1 < n; i++)
        if (t[i] == '\n' && t[i + k + 1] == '}' && all_spaces(t + i + 1, k)) return i;
    return n;
}

/* The next element of the array by layout (i: after '[' when first, else
 * after the previous element). 1: an object guessed at [*s, *e); 0: the
 * array ends (']' at *s); -1: the layout is not the expected one (the
 * caller goes on with exact cuts from the same place). *indent is the
 * element indentation, SIZE_MAX until the first element fixes it. */
static int guess_next(const char *t, size_t n, size_t i, bool first, size_t *indent, size_t *s,
                      size_t *e)
{
    size_t p = skip_ws(t, i, n);
    if (p < n && t[p] == ']') {
        *s = p;
        *e = p + 1;
        return 0;
    }
    if (!first) {
        if (p >= n || t[p] != ',') return -1;
        p = skip_ws(t, p + 1, n);
    }
    if (p >= n || t[p] != '{') return -1;
    size_t k = 0;
    while (k < p && k <= GUESS_MAX_INDENT && t[p - 1 - k] == ' ') k++;
    if (k >= p || k > GUESS_MAX_INDENT || t[p - 1 - k] != '\n') return -1;
    if (*indent == SIZE_MAX)
        *indent = k;
    else if (k != *indent)
        return -1;
    size_t j = find_closer(t, p + 1, n, k);
    if (j >= n) return -1;
    *s = p;
    *e = j + k + 2;
    return 1;
}

/* Cut the "resources" array at text[i] (on '[') into batches. Batch spans
 * tile the array: each starts where the previous one's last element ended,
 * so the newline counts of all spans add up to line numbers. */
static gd_status split_resources(scan *sc, uint32_t fidx, const char *t, size_t n, size_t i,
                                 size_t *after, bool *guessed)
{
    const char *path = sc->out->files[fidx];
    i++; /* '[' */
    size_t span_start = i;
    batch *b = NULL;
    uint32_t capres = 0;
    gd_status st = GD_OK;
    bool first = true, guess = sc->guess;
    size_t indent = SIZE_MAX;
    for (;;) {
        size_t s, e;
        gd_status xs;
        int g = guess ? guess_next(t, n, i, first, &indent, &s, &e) : -1;
        if (g == 1) {
            xs = GD_OK;
        } else if (g == 0) {
            i = e;
            break;
        } else {
            guess = false; /* exact cuts from here on */
            xs = gdi_json_array_next(t + i, n - i, first, &s, &e);
            s += i;
            e += i;
        }
        first = false;
        if (xs == GD_NOTFOUND) { /* the closing ']' */
            i = e;
            break;
        }
        if (xs != GD_OK) {
            st = syntax_at(sc, path, t, n, e,
                           e >= n ? "unexpected end of input in \"resources\""
                                  : "malformed value in \"resources\"");
            break;
        }
        if (t[s] != '{') {
            st = syntax_at(sc, path, t, n, s, "state resource is not an object");
            break;
        }
        if (!b) {
            b = batch_new(sc);
            if (!b) {
                st = GD_NOMEM;
                break;
            }
            b->kind = BK_STATE;
            b->file = fidx;
            b->text = t + span_start;
            b->file_off = span_start;
            b->filetext = t;
            b->filelen = n;
            b->seq0 = sc->seq;
            capres = 0;
        }
        if (b->nres == capres) {
            uint32_t nc = capres ? capres * 2 : 64;
            uint32_t *ns = gdi_realloc(sc->ctx, b->starts, nc * sizeof *ns);
            if (!ns) {
                st = GD_NOMEM;
                break;
            }
            b->starts = ns;
            uint32_t *ne = gdi_realloc(sc->ctx, b->ends, nc * sizeof *ne);
            if (!ne) {
                st = GD_NOMEM;
                break;
            }
            b->ends = ne;
            capres = nc;
        }
        if (e - span_start > UINT32_MAX) {
            st = gdi_err(sc->ctx, GD_LIMIT, path, 0, 0, "a single resource over 4 GiB");
            break;
        }
        b->starts[b->nres] = (uint32_t)(s - span_start);
        b->ends[b->nres] = (uint32_t)(e - span_start);
        b->nres++;
        if (g == 1) b->guessed = *guessed = true;
        sc->seq += (uint64_t)1 << 20;
        i = e;
        if (e - span_start >= BATCH_BYTES || b->nres >= BATCH_MAX_RES) {
            b->len = e - span_start;
            progress(sc, b->len);
            st = submit(sc, b);
            b = NULL;
            span_start = e;
            if (st != GD_OK) break;
        }
    }
    if (b) {
        if (st == GD_OK) {
            b->len = b->ends[b->nres - 1];
            progress(sc, b->len);
            st = submit(sc, b);
        } else {
            gdi_free(sc->ctx, b->starts);
            gdi_free(sc->ctx, b->ends);
            gdi_free(sc->ctx, b);
        }
    }
    *after = i;
    return st;
}

/* Walk the top-level object of a state file: check the version, split the
 * resources array. */
static gd_status read_state_top(scan *sc, uint32_t fidx, const char *t, size_t n, bool *guessed)
{
    const char *path = sc->out->files[fidx];
    size_t i = 0;
    if (n >= 3 && (unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBB &&
        (unsigned char)t[2] == 0xBF)
        i = 3;
    i = skip_ws(t, i, n);
    if (i >= n) return syntax_at(sc, path, t, n, i, "empty input");
    if (t[i] != '{') return syntax_at(sc, path, t, n, i, "a state file is a JSON object");
    i++;
    bool have_version = false, first = true;
    for (;;) {
        i = skip_ws(t, i, n);
        if (i < n && t[i] == '}' && first) {
            i++;
            break;
        }
        if (i >= n || t[i] != '"')
            return syntax_at(sc, path, t, n, i, "expected a member name in the state object");
        size_t ks, ke;
        if (gdi_json_extent(t + i, n - i, &ks, &ke) != GD_OK)
            return syntax_at(sc, path, t, n, i, "unterminated member name");
        gd_str key = {t + i + 1, ke - ks - 2};
        i += ke;
        i = skip_ws(t, i, n);
        if (i >= n || t[i] != ':') return syntax_at(sc, path, t, n, i, "expected ':'");
        i = skip_ws(t, i + 1, n);
        if (i >= n) return syntax_at(sc, path, t, n, i, "unexpected end of input");
        if (gd_str_eqc(key, "resources") && t[i] == '[') {
            size_t after;
            gd_status st = split_resources(sc, fidx, t, n, i, &after, guessed);
            if (st != GD_OK) return st;
            i = after;
        } else {
            size_t vs, ve;
            if (gdi_json_extent(t + i, n - i, &vs, &ve) != GD_OK)
                return syntax_at(sc, path, t, n, i, "malformed value in the state object");
            if (gd_str_eqc(key, "version")) {
                int64_t v;
                have_version = true;
                if (!gdi_numtext_i64(t + i + vs, ve - vs, &v) || v != 4)
                    return syntax_at(sc, path, t, n, i + vs,
                                     "unsupported state version (gongdan reads version 4, written "
                                     "by Terraform 0.12 and later)");
            }
            i += ve;
        }
        first = false;
        i = skip_ws(t, i, n);
        if (i < n && t[i] == ',') {
            i++;
            continue;
        }
        if (i < n && t[i] == '}') {
            i++;
            break;
        }
        return syntax_at(sc, path, t, n, i, "expected ',' or '}' in the state object");
    }
    i = skip_ws(t, i, n);
    if (i < n) return syntax_at(sc, path, t, n, i, "trailing characters after the state object");
    if (!have_version)
        return gdi_err(sc->ctx, GD_INVALID, path, 1, 1,
                       "not a Terraform state file: no \"version\" member");
    return GD_OK;
}

static gd_status read_state(scan *sc, uint32_t fidx, const char *t, size_t n)
{
    size_t nd0 = sc->ctx->ndiags;
    bool guessed = false;
    gd_status st = read_state_top(sc, fidx, t, n, &guessed);
    /* a syntax error after guessed cuts may come from a wrong guess (the
     * batch holding it may not even have been parsed yet): exact cuts will
     * tell, and report it if it is real */
    if ((st == GD_SYNTAX || st == GD_INVALID) && guessed) {
        gdi_diag_truncate(sc->ctx, nd0);
        st = guess_failed(sc);
    }
    return st;
}

/* Read JSON Lines through a bounded buffer, in batches of whole lines. */
static gd_status read_jsonl(scan *sc, uint32_t fidx, int fd, bool seekable)
{
    const char *path = sc->out->files[fidx];
    uint64_t lineno = 1;
    char *carry = NULL;
    size_t ncarry = 0;
    gd_status st = GD_OK;
    bool eof = false;
    uint64_t maxline = gdi_limit(sc->ctx, GD_LIMIT_STRING);
    uint64_t total = 0;
    while (!eof && st == GD_OK) {
        size_t cap = ncarry + JSONL_CHUNK;
        char *buf = gdi_alloc(sc->ctx, cap);
        if (!buf) {
            st = GD_NOMEM;
            break;
        }
        if (ncarry) memcpy(buf, carry, ncarry);
        gdi_free(sc->ctx, carry);
        carry = NULL;
        size_t n = ncarry;
        ncarry = 0;
        while (n < cap) {
            ssize_t r = read(fd, buf + n, cap - n);
            if (r < 0) {
                if (errno == EINTR) continue;
                st = gdi_err(sc->ctx, GD_IO, path, 0, 0, "read error: %s", strerror(errno));
                break;
            }
            if (r == 0) {
                eof = true;
                break;
            }
            n += (size_t)r;
        }
        if (st != GD_OK) {
            gdi_free(sc->ctx, buf);
            break;
        }
        total += n;
        if (total > gdi_limit(sc->ctx, GD_LIMIT_FILE_SIZE)) {
            gdi_free(sc->ctx, buf);
            st = gdi_err(sc->ctx, GD_LIMIT, path, 0, 0,
                         "input is over the limit of %llu bytes (--max-file-size)",
                         (unsigned long long)gdi_limit(sc->ctx, GD_LIMIT_FILE_SIZE));
            break;
        }
        /* cut after the last newline; the rest carries over */
        size_t cut = n;
        if (!eof) {
            const char *p = buf + n;
            while (p > buf && p[-1] != '\n') p--;
            cut = (size_t)(p - buf);
            if (cut == 0) { /* one line longer than the buffer: grow */
                if ((uint64_t)n > maxline) {
                    gdi_free(sc->ctx, buf);
                    st = gdi_err(sc->ctx, GD_LIMIT, path, (uint32_t)lineno, 1,
                                 "line longer than %llu bytes (--max-string)",
                                 (unsigned long long)maxline);
                    break;
                }
                carry = buf;
                ncarry = n;
                total -= n;
                continue;
            }
            if (cut < n) {
                carry = gdi_alloc(sc->ctx, n - cut);
                if (!carry) {
                    gdi_free(sc->ctx, buf);
                    st = GD_NOMEM;
                    break;
                }
                memcpy(carry, buf + cut, n - cut);
                ncarry = n - cut;
                total -= ncarry;
            }
        }
        if (cut == 0) {
            gdi_free(sc->ctx, buf);
            continue;
        }
        batch *b = batch_new(sc);
        if (!b) {
            gdi_free(sc->ctx, buf);
            st = GD_NOMEM;
            break;
        }
        b->kind = BK_JSONL;
        b->file = fidx;
        b->fd = seekable ? fd : -1;
        b->file_off = total - cut;
        b->text = buf;
        b->len = cut;
        b->owned = buf;
        b->line0 = lineno;
        size_t lines = count_nl(buf, cut);
        b->seq0 = sc->seq;
        sc->seq += (uint64_t)(lines + 1) << 20;
        lineno += lines;
        progress(sc, cut);
        st = submit(sc, b);
    }
    gdi_free(sc->ctx, carry);
    return st;
}

/* ------------------------------------------------------------ plan adapter */

/* Build the merge of `after` and `after_unknown` into d. */
static uint32_t merge_unknown(gdi_doc *d, const gdi_node *after, const gdi_node *unk, uint32_t depth)
{
    if (depth > 512) return UINT32_MAX;
    if (unk && unk->type == GDI_TRUE) return gdi_doc_push(d, GDI_UNKNOWN, after ? after->pos : unk->pos, NULL, 0);
    if (!after) return gdi_doc_push(d, GDI_NULL, unk ? unk->pos : 0, NULL, 0);
    if (after->type == GDI_OBJECT) {
        uint32_t at = gdi_doc_push(d, GDI_OBJECT, after->pos, NULL, 0);
        if (at == UINT32_MAX) return at;
        uint32_t count = 0;
        const gdi_node *k = gdi_first(after);
        for (uint32_t i = 0; i < after->len; i++) {
            const gdi_node *v = k + 1;
            if (gdi_doc_push(d, GDI_STRING, k->pos, k->str, k->len) == UINT32_MAX) return UINT32_MAX;
            const gdi_node *u = unk && unk->type == GDI_OBJECT ? gdi_obj_get(unk, k->str, k->len) : NULL;
            if (merge_unknown(d, v, u, depth + 1) == UINT32_MAX) return UINT32_MAX;
            count++;
            k = gdi_next(v);
        }
        /* keys only in after_unknown (omitted from after) */
        if (unk && unk->type == GDI_OBJECT) {
            const gdi_node *uk = gdi_first(unk);
            for (uint32_t i = 0; i < unk->len; i++, uk = gdi_next(uk + 1)) {
                const gdi_node *uv = uk + 1;
                if (gdi_obj_get(after, uk->str, uk->len)) continue;
                if (uv->type != GDI_TRUE) continue;
                if (gdi_doc_push(d, GDI_STRING, uk->pos, uk->str, uk->len) == UINT32_MAX ||
                    gdi_doc_push(d, GDI_UNKNOWN, uv->pos, NULL, 0) == UINT32_MAX)
                    return UINT32_MAX;
                count++;
            }
        }
        gdi_doc_close(d, at, count);
        return at;
    }
    if (after->type == GDI_ARRAY) {
        uint32_t at = gdi_doc_push(d, GDI_ARRAY, after->pos, NULL, 0);
        if (at == UINT32_MAX) return at;
        const gdi_node *e = gdi_first(after);
        uint32_t i;
        for (i = 0; i < after->len; i++, e = gdi_next(e)) {
            const gdi_node *u = unk && unk->type == GDI_ARRAY ? gdi_arr_at(unk, i) : NULL;
            if (merge_unknown(d, e, u, depth + 1) == UINT32_MAX) return UINT32_MAX;
        }
        /* elements unknown beyond after's length */
        if (unk && unk->type == GDI_ARRAY)
            for (; i < unk->len; i++)
                if (gdi_doc_push(d, GDI_UNKNOWN, unk->pos, NULL, 0) == UINT32_MAX) return UINT32_MAX;
        gdi_doc_close(d, at, i);
        return at;
    }
    return gdi_doc_copy_subtree(d, after);
}

static gd_status plan_change(worker *w, uint32_t fidx, const gdi_doc *pd, const gdi_node *rc,
                             uint64_t seq)
{
    const char *path = w->sc->out->files[fidx];
    const gdi_node *change = gdi_obj_getc(rc, "change");
    const gdi_node *actions = gdi_obj_getc(change, "actions");
    bool del_only = actions && actions->type == GDI_ARRAY && actions->len == 1 &&
                    gd_str_eqc(str_of(gdi_first(actions)), "delete");
    if (del_only) return GD_OK; /* going away: nothing to check */
    const gdi_node *after = gdi_obj_getc(change, "after");
    const gdi_node *unk = gdi_obj_getc(change, "after_unknown");
    const gdi_node *type = gdi_obj_getc(rc, "type"), *addr = gdi_obj_getc(rc, "address");
    uint32_t l = 0, c = 0;
    gdi_doc_line_col(pd, rc, &l, &c);
    if (!type || type->type != GDI_STRING || !addr || addr->type != GDI_STRING)
        return gdi_err(w->ctx, GD_INVALID, path, l, c,
                       "resource change without string \"type\" and \"address\"");
    gdi_doc_reset(&w->doc);
    doc_name(w, path);
    w->doc.src = pd->src;
    w->doc.src_len = pd->src_len;
    if (after && after->type != GDI_OBJECT && after->type != GDI_NULL)
        return gdi_err(w->ctx, GD_INVALID, path, l, c, "\"after\" must be an object or null");
    if (merge_unknown(&w->doc, after && after->type == GDI_OBJECT ? after : NULL,
                      unk, 0) == UINT32_MAX)
        return GD_NOMEM;
    gdi_resource r;
    memset(&r, 0, sizeof r);
    r.type = str_of(type);
    r.address = str_of(addr);
    r.name = str_of(gdi_obj_getc(rc, "name"));
    r.module = str_of(gdi_obj_getc(rc, "module_address"));
    r.provider_config = str_of(gdi_obj_getc(rc, "provider_name"));
    r.provider = provider_short(r.provider_config, r.type);
    r.mode = gd_str_eqc(str_of(gdi_obj_getc(rc, "mode")), "data") ? GDI_MODE_DATA : GDI_MODE_MANAGED;
    r.attrs = gdi_doc_root(&w->doc);
    if (r.attrs && r.attrs->type != GDI_OBJECT) r.attrs = NULL;
    r.file = fidx;
    r.line = l;
    r.seq = seq;
    return process_resource(w, &r, NO_BATCH);
}

/* Resources from planned_values (used when a plan has no resource_changes). */
static gd_status plan_module(worker *w, uint32_t fidx, const gdi_doc *pd, const gdi_node *mod,
                             uint64_t *seq, unsigned depth)
{
    if (!mod) return GD_OK;
    if (mod->type != GDI_OBJECT) {
        uint32_t l = 0, c = 0;
        gdi_doc_line_col(pd, mod, &l, &c);
        return gdi_err(w->ctx, GD_INVALID, w->sc->out->files[fidx], l, c,
                       "a module in planned_values must be an object");
    }
    if (depth > 64)
        return gdi_err(w->ctx, GD_LIMIT, w->sc->out->files[fidx], 0, 0,
                       "modules nested deeper than 64 in planned_values");
    const gdi_node *res = gdi_obj_getc(mod, "resources");
    const gdi_node *kids = gdi_obj_getc(mod, "child_modules");
    const gdi_node *bad = res && res->type != GDI_ARRAY    ? res
                          : kids && kids->type != GDI_ARRAY ? kids
                                                            : NULL;
    if (bad) {
        uint32_t l = 0, c = 0;
        gdi_doc_line_col(pd, bad, &l, &c);
        return gdi_err(w->ctx, GD_INVALID, w->sc->out->files[fidx], l, c, "%s must be an array",
                       bad == res ? "\"resources\"" : "\"child_modules\"");
    }
    if (res && res->type == GDI_ARRAY) {
        const gdi_node *e = gdi_first(res);
        for (uint32_t i = 0; i < res->len; i++, e = gdi_next(e)) {
            const gdi_node *type = gdi_obj_getc(e, "type"), *addr = gdi_obj_getc(e, "address");
            if (!type || type->type != GDI_STRING || !addr || addr->type != GDI_STRING) {
                /* never skip silently: the scan would look complete */
                uint32_t l = 0, c = 0;
                gdi_doc_line_col(pd, e, &l, &c);
                gd_status es = gdi_err(w->ctx, GD_INVALID, w->sc->out->files[fidx], l, c,
                                       "planned resource without string \"type\" and \"address\"");
                if (es == GD_NOMEM) return es;
                if (w->st == GD_OK) w->st = es;
                continue;
            }
            gdi_resource r;
            memset(&r, 0, sizeof r);
            r.type = str_of(type);
            r.address = str_of(addr);
            r.name = str_of(gdi_obj_getc(e, "name"));
            r.provider_config = str_of(gdi_obj_getc(e, "provider_name"));
            r.provider = provider_short(r.provider_config, r.type);
            r.mode = gd_str_eqc(str_of(gdi_obj_getc(e, "mode")), "data") ? GDI_MODE_DATA
                                                                          : GDI_MODE_MANAGED;
            r.attrs = gdi_obj_getc(e, "values");
            if (r.attrs && r.attrs->type != GDI_OBJECT) r.attrs = NULL;
            uint32_t c;
            gdi_doc_line_col(pd, e, &r.line, &c);
            r.file = fidx;
            r.seq = *seq;
            *seq += (uint64_t)1 << 20;
            gd_status st = process_resource(w, &r, NO_BATCH);
            if (st != GD_OK) return st;
        }
    }
    if (kids && kids->type == GDI_ARRAY) {
        const gdi_node *e = gdi_first(kids);
        for (uint32_t i = 0; i < kids->len; i++, e = gdi_next(e)) {
            gd_status st = plan_module(w, fidx, pd, e, seq, depth + 1);
            if (st != GD_OK) return st;
        }
    }
    return GD_OK;
}

static gd_status read_plan(scan *sc, uint32_t fidx, const char *t, size_t n)
{
    worker *w = sc->main;
    const char *path = sc->out->files[fidx];
    gdi_doc pd;
    gd_status st = gdi_doc_init(&pd, sc->ctx, path);
    if (st != GD_OK) return st;
    st = gdi_json_parse(&pd, t, n);
    if (st != GD_OK) goto done;
    const gdi_node *root = gdi_doc_root(&pd);
    if (!root || root->type != GDI_OBJECT) {
        st = gdi_err(sc->ctx, GD_INVALID, path, 1, 1, "a plan is a JSON object");
        goto done;
    }
    const gdi_node *fv = gdi_obj_getc(root, "format_version");
    if (!fv || fv->type != GDI_STRING || fv->len < 2 || fv->str[0] != '1' || fv->str[1] != '.') {
        st = gdi_err(sc->ctx, GD_UNSUPPORTED, path, 1, 1,
                     "unsupported plan format_version (gongdan reads 1.x, from terraform show -json)");
        goto done;
    }
    progress(sc, n);
    const gdi_node *rcs = gdi_obj_getc(root, "resource_changes");
    const gdi_node *pv = gdi_obj_getc(root, "planned_values");
    const gdi_node *rm = gdi_obj_getc(pv, "root_module");
    const gdi_node *bad = rcs && rcs->type != GDI_ARRAY  ? rcs
                          : pv && pv->type != GDI_OBJECT ? pv
                          : rm && rm->type != GDI_OBJECT ? rm
                                                         : NULL;
    if (bad) { /* a member of the wrong type would otherwise read as "no resources" */
        uint32_t l = 0, c = 0;
        gdi_doc_line_col(&pd, bad, &l, &c);
        st = gdi_err(sc->ctx, GD_INVALID, path, l, c, "%s",
                     bad == rcs  ? "\"resource_changes\" must be an array"
                     : bad == pv ? "\"planned_values\" must be an object"
                                 : "\"root_module\" must be an object");
        goto done;
    }
    uint64_t seq = sc->seq;
    if (rcs && rcs->type == GDI_ARRAY) {
        const gdi_node *e = gdi_first(rcs);
        for (uint32_t i = 0; i < rcs->len && st == GD_OK; i++, e = gdi_next(e)) {
            st = plan_change(w, fidx, &pd, e, seq);
            seq += (uint64_t)1 << 20;
            if (st != GD_OK && st != GD_NOMEM && st != GD_LIMIT) {
                if (w->st == GD_OK) w->st = st;
                st = GD_OK;
            }
        }
    } else {
        st = plan_module(w, fidx, &pd, rm, &seq, 0);
    }
    sc->seq = seq;
    /* kept resources were deep-copied; the worker doc points into pd */
    gdi_doc_reset(&w->doc);
    w->doc.src = NULL;
done:
    gdi_doc_free(&pd);
    return st;
}

/* ------------------------------------------------------- format detection */

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static bool has_member(const char *t, size_t n, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = t; p + kl + 2 <= t + n; p++) {
        p = memchr(p, '"', (size_t)(t + n - p));
        if (!p || p + kl + 2 > t + n) return false;
        if (memcmp(p + 1, key, kl) == 0 && p[kl + 1] == '"') return true;
    }
    return false;
}

/* Decide the format of a regular file from its name and first bytes. */
static gd_input_format sniff(const char *path, const char *head, size_t n)
{
    if (ends_with(path, ".tf") || ends_with(path, ".tf.json") || ends_with(path, ".tfvars"))
        return GD_INPUT_HCL;
    if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson")) return GD_INPUT_JSONL;
    size_t i = 0;
    if (n >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB) i = 3;
    i = skip_ws(head, i, n);
    if (i >= n || head[i] != '{') return GD_INPUT_AUTO;
    /* JSON Lines: the first value ends on its line and another object follows */
    size_t s, e;
    if (gdi_json_extent(head + i, n - i, &s, &e) == GD_OK) {
        const char *nl = memchr(head + i, '\n', n - i);
        size_t j = skip_ws(head, i + e, n);
        if ((!nl || (size_t)(nl - head) >= i + e) && (j >= n || head[j] == '{') &&
            !has_member(head + i, e, "resources") && !has_member(head + i, e, "format_version") &&
            !has_member(head + i, e, "lineage"))
            return GD_INPUT_JSONL;
    }
    if (has_member(head, n, "format_version") &&
        (has_member(head, n, "planned_values") || has_member(head, n, "resource_changes") ||
         has_member(head, n, "terraform_version")))
        return has_member(head, n, "lineage") ? GD_INPUT_TFSTATE : GD_INPUT_TFPLAN;
    if (has_member(head, n, "version") &&
        (has_member(head, n, "terraform_version") || has_member(head, n, "lineage") ||
         has_member(head, n, "resources")))
        return GD_INPUT_TFSTATE;
    return GD_INPUT_AUTO;
}

/* ------------------------------------------------------------ the sink */

struct gdi_sink {
    scan *sc;
};

gd_status gdi_sink_push(gdi_sink *s, const gdi_resource *r)
{
    worker *w = s->sc->main;
    gdi_resource copy = *r;
    copy.seq = s->sc->seq;
    s->sc->seq += (uint64_t)1 << 20;
    return process_resource(w, &copy, NO_BATCH);
}

static gd_status add_file(scan *sc, const char *path, uint32_t *index)
{
    gd_scan *o = sc->out;
    if (o->nfiles >= UINT32_MAX - 1) return GD_LIMIT;
    char **nf = gdi_realloc(sc->ctx, o->files, (o->nfiles + 1) * sizeof *nf);
    if (!nf) return GD_NOMEM;
    o->files = nf;
    char *c = gdi_strndup(sc->ctx, path, strlen(path));
    if (!c) return GD_NOMEM;
    o->files[o->nfiles] = c;
    *index = (uint32_t)o->nfiles++;
    return GD_OK;
}

gd_status gdi_sink_add_file(gdi_sink *s, const char *path, uint32_t *index)
{
    return add_file(s->sc, path, index);
}

/* ------------------------------------------------------------- one input */

static gd_status scan_path(scan *sc, const char *path)
{
    gd_input_format fmt = sc->opts->format;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return gdi_err(sc->ctx, GD_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        if (fmt != GD_INPUT_AUTO && fmt != GD_INPUT_HCL)
            return gdi_err(sc->ctx, GD_IO, path, 0, 0, "is a directory, expected a file");
        fmt = GD_INPUT_HCL;
    }
    if (fmt == GD_INPUT_HCL || (fmt == GD_INPUT_AUTO && (ends_with(path, ".tf") ||
                                                         ends_with(path, ".tf.json")))) {
        gdi_sink sink = {sc};
        const char *one[1] = {path};
        return gdi_hcl_scan(sc->ctx, one, 1, sc->opts, &sink);
    }
    uint32_t fidx;
    gd_status st = add_file(sc, path, &fidx);
    if (st != GD_OK) return st;
    if (fmt == GD_INPUT_AUTO || fmt == GD_INPUT_JSONL) {
        /* look at the head */
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return gdi_err(sc->ctx, GD_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        char head[65536];
        ssize_t hn = 0;
        if (fmt == GD_INPUT_AUTO && !S_ISREG(sb.st_mode)) {
            fmt = GD_INPUT_JSONL; /* a pipe or device: only JSON Lines streams */
        } else if (fmt == GD_INPUT_AUTO) {
            hn = pread(fd, head, sizeof head, 0);
            if (hn < 0) {
                close(fd);
                return gdi_err(sc->ctx, GD_IO, path, 0, 0, "read error: %s", strerror(errno));
            }
            fmt = sniff(path, head, (size_t)hn);
            if (fmt == GD_INPUT_AUTO) {
                close(fd);
                if (hn == 0) return gdi_err(sc->ctx, GD_INVALID, path, 0, 0, "empty input");
                return gdi_err(sc->ctx, GD_INVALID, path, 1, 1,
                               "cannot tell the input format: not a Terraform state (version 4), "
                               "plan (terraform show -json) or JSON Lines inventory; use "
                               "--input-format");
            }
        }
        if (fmt == GD_INPUT_JSONL) {
            bool seekable = S_ISREG(sb.st_mode);
            st = read_jsonl(sc, fidx, fd, seekable);
            /* a regular file stays open: deferred lines are read back from it */
            if (seekable && st != GD_NOMEM) {
                if (gdi_grow(sc->ctx, (void **)&sc->held, &sc->capheld, sc->nheld + 1,
                             sizeof *sc->held)) {
                    close(fd);
                    return GD_NOMEM;
                }
                sc->held[sc->nheld++] = (infile){path, fd, NULL, 0, false};
            } else {
                close(fd);
            }
            return st;
        }
        close(fd);
    }
    /* reserve the slot first: batches keep pointing into the mapping, so it
     * must be held until the end even when memory runs out later */
    if (gdi_grow(sc->ctx, (void **)&sc->held, &sc->capheld, sc->nheld + 1, sizeof *sc->held))
        return GD_NOMEM;
    infile f = {path, -1, NULL, 0, false};
    st = open_whole(sc, &f);
    if (st == GD_OK) {
        if (f.len == 0)
            st = gdi_err(sc->ctx, GD_INVALID, path, 0, 0, "empty input");
        else if (fmt == GD_INPUT_TFPLAN)
            st = read_plan(sc, fidx, f.map, f.len);
        else
            st = read_state(sc, fidx, f.map, f.len);
    }
    /* the mapping is released after all workers finish (see gd_scan_run) */
    if (f.map || f.fd >= 0) sc->held[sc->nheld++] = f;
    return st;
}

/* ------------------------------------------------------ deferred joins */

/* Bring back a resource kept as a reference and run its join rules. */
static gd_status redo_lazy(worker *w, lazy *k)
{
    scan *sc = w->sc;
    gd_status st;
    doc_name(w, sc->out->files[k->file]);
    gdi_doc_reset(&w->doc);
    if (k->kind == KEEP_STATE) {
        batch *b = sc->batches[k->batch];
        w->doc.ctx = w->perr;
        st = gdi_json_parse(&w->doc, k->at.src, k->srclen);
        w->doc.ctx = w->ctx;
        if (st != GD_OK && st != GD_NOMEM && b->guessed) {
            gd_ctx_clear_diags(w->perr);
            return guess_failed(sc);
        }
        if (st != GD_OK) {
            /* a resource deferred whole is parsed here for the first time:
             * report its errors; others were reported in the first pass */
            if (k->whole)
                relocate_diag(w, b, (size_t)(k->at.src - b->text), w->perr);
            else
                gd_ctx_clear_diags(w->perr);
            return st == GD_NOMEM || k->whole ? st : GD_OK;
        }
        gd_ctx_clear_diags(w->perr);
        const gdi_node *root = gdi_doc_root(&w->doc);
        if (!root || root->type != GDI_OBJECT) return GD_OK;
        return state_resource(w, b, root, (size_t)(k->at.src - b->text), k->seq, k->line);
    }
    const char *line = k->fd >= 0 ? NULL : k->at.src;
    if (k->fd >= 0) { /* read the line back from its file */
        /* through a window: deferred lines come in file order, a few lines
         * apart, so one read serves many (a read per line cost more in
         * system time than the rest of the join phase) */
        gdi_buf *lb = &w->linebuf;
        if (!(w->winfd == k->fd && k->at.off >= w->winoff &&
              k->at.off + k->srclen <= w->winoff + lb->n)) {
            size_t want = k->srclen > LINE_WINDOW ? k->srclen : LINE_WINDOW;
            if (gdi_grow(w->ctx, (void **)&lb->p, &lb->cap, want + 1, 1)) return GD_NOMEM;
            size_t got = 0;
            while (got < want) {
                ssize_t r = pread(k->fd, lb->p + got, want - got, (off_t)(k->at.off + got));
                if (r < 0 && errno == EINTR) continue;
                if (r <= 0) break; /* end of file: the window is shorter */
                got += (size_t)r;
            }
            w->winfd = -1;
            if (got < k->srclen)
                return gdi_err(w->ctx, GD_IO, sc->out->files[k->file], k->line, 1,
                               "cannot read the line again (was the file changed during the scan?)");
            w->winfd = k->fd;
            w->winoff = k->at.off;
            lb->n = got;
        }
        line = lb->p + (k->at.off - w->winoff);
    }
    batch fake;
    memset(&fake, 0, sizeof fake);
    fake.file = k->file;
    gd_ctx *saved = w->ctx;
    w->ctx = w->perr; /* errors were reported in the first pass */
    st = jsonl_line(w, &fake, line, k->srclen, k->line, k->seq);
    w->ctx = saved;
    gd_ctx_clear_diags(w->perr);
    return st == GD_NOMEM ? st : GD_OK;
}

static void *deferred_main(void *arg)
{
    worker *w = arg;
    w->phase2 = w->joins;
    /* work is taken in small runs from a shared cursor: deferred resources
     * differ a lot in cost (a copy runs its join rules; a reference is parsed
     * and may run every rule), so fixed shares would leave a thread idle */
    for (;;) {
        size_t lo = atomic_fetch_add(w->dq_next, DQ_RUN);
        if (lo >= w->dq_hi) break;
        size_t hi = lo + DQ_RUN < w->dq_hi ? lo + DQ_RUN : w->dq_hi;
        for (size_t i = lo; i < hi; i++) {
        dwork *d = &w->dq[i];
        gd_status st;
        /* the next state object is cold (read long ago, far from this
         * one): ask for it while this one is parsed */
        if (i + 1 < hi && w->dq[i + 1].ref && w->dq[i + 1].ref->fd < 0) {
            const lazy *nx = w->dq[i + 1].ref;
            for (uint32_t o = 0; o < nx->srclen; o += 64) __builtin_prefetch(nx->at.src + o);
        }
        if (d->copy) {
            bool dummy = false;
            st = eval_resource(w, gdi_ruleset_type(w->sc->rs, d->copy->r.type), &d->copy->r,
                               d->copy->batch, w->joins, &dummy);
        } else {
            w->phase2_all = d->ref->whole;
            st = redo_lazy(w, d->ref);
            w->phase2_all = false;
        }
        if (st == GD_NOMEM || st == GD_LIMIT || st == GD_INTERNAL) {
            if (st == GD_LIMIT) /* resources deferred whole are counted here */
                gdi_err(w->ctx, GD_LIMIT, NULL, 0, 0, "more than %llu resources (--max-resources)",
                        (unsigned long long)w->sc->max_resources);
            w->st = st;
            atomic_store(w->dq_next, w->dq_hi); /* the others stop too */
            break;
        }
        if (st != GD_OK && w->st == GD_OK) w->st = st; /* an input error: go on */
        }
        if (w->st == GD_NOMEM || w->st == GD_LIMIT || w->st == GD_INTERNAL) break;
    }
    w->phase2 = NULL;
    return NULL;
}


/* Build the join index over everything kept and run the join rules of the
 * deferred resources, spread over the workers. */
static gd_status run_deferred(scan *sc, unsigned nall)
{
    size_t ndef = 0, nwork = 0, nseg = 0;
    for (unsigned i = 0; i < nall; i++) {
        nseg += sc->w[i].jkeys.nc;
        nwork += sc->w[i].nks + sc->w[i].ls.n;
    }
    if (nwork == 0) return GD_OK;
    gd_status st = GD_OK;
    const gdi_joinkey **segs = gdi_alloc(sc->ctx, (nseg ? nseg : 1) * sizeof *segs);
    size_t *nsegs = gdi_alloc(sc->ctx, (nseg ? nseg : 1) * sizeof *nsegs);
    dwork *def = gdi_alloc(sc->ctx, nwork * sizeof *def);
    gdi_joins *joins = NULL;
    if (!segs || !nsegs || !def) {
        st = GD_NOMEM;
        goto done;
    }
    /* join keys in any order, each worker's as they are (the index orders
     * each key's matches by input order); deferred resources too: their
     * findings are sorted later */
    size_t g = 0;
    for (unsigned i = 0; i < nall; i++) {
        worker *w = &sc->w[i];
        for (size_t c = 0; c < w->jkeys.nc; c++, g++) {
            segs[g] = w->jkeys.c[c];
            nsegs[g] = c + 1 < w->jkeys.nc ? CHUNK_ELEMS : w->jkeys.n - c * CHUNK_ELEMS;
        }
        for (size_t j = 0; j < w->nks; j++) {
            kept *kp = &w->kchunks[j / KCHUNK][j % KCHUNK];
            if (kp->deferred) def[ndef++] = (dwork){kp, NULL};
        }
        for (size_t j = 0; j < w->ls.n; j++)
            def[ndef++] = (dwork){NULL, chunks_at(&w->ls, j, sizeof(lazy))};
    }
    if (ndef == 0) goto done;
    st = gdi_joins_build_keys(sc->ctx, sc->rs->joins, sc->rs->njoins, segs, nsegs, nseg, sc->nw,
                              &joins);
    if (st != GD_OK) goto done;
    gdi_joins_set_fetch(joins, fetch_target, sc);
    /* the keys were only needed to build the index */
    for (unsigned i = 0; i < nall; i++) chunks_free(sc->w[i].ctx, &sc->w[i].jkeys);
    unsigned nt = sc->nw;
    if (nt > ndef) nt = (unsigned)ndef;
    _Atomic size_t next = 0;
    for (unsigned i = 0; i < nt; i++) {
        worker *w = &sc->w[i];
        w->dq = def;
        w->dq_next = &next;
        w->dq_hi = ndef;
        w->joins = joins;
        w->st = w->st == GD_NOMEM ? w->st : w->st; /* keep input errors */
    }
    if (nt == 1) {
        gd_status keep = sc->w[0].st;
        sc->w[0].st = GD_OK;
        deferred_main(&sc->w[0]);
        if (sc->w[0].st == GD_OK) sc->w[0].st = keep;
        else st = sc->w[0].st;
    } else {
        gd_status saved[256];
        unsigned started = 0;
        for (unsigned i = 0; i < nt && i < 256; i++) {
            saved[i] = sc->w[i].st;
            sc->w[i].st = GD_OK;
            if (pthread_create(&sc->w[i].tid, NULL, deferred_main, &sc->w[i]) != 0) {
                st = GD_NOMEM;
                break;
            }
            started++;
        }
        for (unsigned i = 0; i < started; i++) {
            pthread_join(sc->w[i].tid, NULL);
            if (sc->w[i].st != GD_OK && st == GD_OK) st = sc->w[i].st;
            sc->w[i].st = saved[i];
        }
    }
done:
    gdi_joins_free(joins);
    gdi_free(sc->ctx, segs);
    gdi_free(sc->ctx, nsegs);
    gdi_free(sc->ctx, def);
    return st;
}

/* ------------------------------------------------------------- finishing */

/* What a scan holds until its end: mapped inputs, batches, workers. */
typedef struct reap {
    gd_ctx *ctx;
    infile *held;
    size_t nheld;
    batch **batches;
    size_t nbatches;
    worker *w;
    unsigned nall;
} reap;

static void reap_all(reap *r)
{
    for (size_t i = 0; i < r->nheld; i++) close_whole(r->ctx, &r->held[i]);
    gdi_free(r->ctx, r->held);
    for (size_t i = 0; i < r->nbatches; i++) {
        gdi_free(r->ctx, r->batches[i]->starts);
        gdi_free(r->ctx, r->batches[i]->ends);
        gdi_free(r->ctx, r->batches[i]->owned);
        gdi_free(r->ctx, r->batches[i]);
    }
    gdi_free(r->ctx, r->batches);
    for (unsigned i = 0; i < r->nall; i++) worker_free(&r->w[i]);
    gdi_free(r->ctx, r->w);
}

static void *reap_main(void *arg)
{
    reap *r = arg;
    reap_all(r);
    gdi_free(r->ctx, r);
    return NULL;
}

static int finding_cmp(const void *a, const void *b)
{
    const gdi_finding *x = a, *y = b;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    if (x->seq != y->seq) return x->seq < y->seq ? -1 : 1;
    if (x->rule->index != y->rule->index) return x->rule->index < y->rule->index ? -1 : 1;
    return 0;
}

static int diag_cmp(const void *a, const void *b)
{
    const gdi_diag *x = a, *y = b;
    return strcmp(x->msg, y->msg);
}

/* Absolute first line of every state batch, from the newline counts. */
static gd_status batch_lines(scan *sc, uint64_t **out)
{
    uint64_t *base = gdi_calloc(sc->ctx, sc->nbatches ? sc->nbatches : 1, sizeof *base);
    if (!base) return GD_NOMEM;
    const batch *prev = NULL;
    for (size_t i = 0; i < sc->nbatches; i++) {
        const batch *b = sc->batches[i];
        if (b->kind != BK_STATE) continue;
        if (prev && prev->file == b->file && prev->text + prev->len == b->text)
            base[i] = base[prev->index] + prev->nl;
        else
            base[i] = 1 + count_nl(b->filetext, b->file_off);
        prev = b;
    }
    *out = base;
    return GD_OK;
}

static gd_status merge(scan *sc, unsigned nall)
{
    gd_scan *o = sc->out;
    size_t total = 0;
    for (unsigned i = 0; i < nall; i++) total += sc->w[i].nfs;
    uint64_t maxf = gdi_limit(sc->ctx, GD_LIMIT_FINDINGS);
    if (total > maxf)
        return gdi_err(sc->ctx, GD_LIMIT, NULL, 0, 0,
                       "more than %llu findings (--max-findings)", (unsigned long long)maxf);
    uint64_t *base = NULL;
    gd_status st = batch_lines(sc, &base);
    if (st != GD_OK) return st;
    o->findings = gdi_alloc(sc->ctx, (total ? total : 1) * sizeof *o->findings);
    if (!o->findings) {
        gdi_free(sc->ctx, base);
        return GD_NOMEM;
    }
    o->capfindings = total;
    size_t k = 0;
    for (unsigned i = 0; i < nall; i++) {
        worker *w = &sc->w[i];
        if (!w->ctx) continue; /* never initialised (out of memory) */
        for (size_t j = 0; j < w->nfs; j++) {
            gdi_finding f = w->fs[j].f;
            uint32_t bi = w->fs[j].batch;
            if (bi != NO_BATCH && bi < sc->nbatches && f.line) {
                uint64_t l = base[bi] + f.line - 1;
                f.line = l > UINT32_MAX ? 0 : (uint32_t)l;
            }
            o->findings[k++] = f;
        }
        /* a worker whose init ran out of memory has no stats */
        for (size_t r = 0; w->stats && r < sc->rs->nrules; r++) {
            o->stats[r].pass += w->stats[r].pass;
            o->stats[r].fail += w->stats[r].fail;
            o->stats[r].unknown += w->stats[r].unknown;
            o->stats[r].error += w->stats[r].error;
        }
        o->nresources += w->nres;
        o->ndata += w->ndata;
        gdi_arena_adopt(&o->arena, &w->fstr);
    }
    o->nfindings = k;
    gdi_free(sc->ctx, base);
    qsort(o->findings, o->nfindings, sizeof *o->findings, finding_cmp);
    /* worker diagnostics, in a deterministic order */
    size_t nd0 = sc->ctx->ndiags;
    for (unsigned i = 0; i < nall; i++) {
        if (!sc->w[i].ctx) continue; /* never initialised (out of memory) */
        gd_status ds = gdi_diag_move(sc->ctx, sc->w[i].ctx);
        if (ds != GD_OK) st = ds;
    }
    if (sc->ctx->ndiags > nd0)
        qsort(sc->ctx->diags + nd0, sc->ctx->ndiags - nd0, sizeof *sc->ctx->diags, diag_cmp);
    return st;
}

void gd_scan_free(gd_scan *s)
{
    if (!s) return;
    if (s->reaping) pthread_join(s->reaper, NULL);
    gd_ctx *ctx = s->ctx;
    for (size_t i = 0; i < s->nfiles; i++) gdi_free(ctx, s->files[i]);
    gdi_free(ctx, s->files);
    gdi_free(ctx, s->findings);
    gdi_free(ctx, s->stats);
    gdi_arena_free(&s->arena);
    gdi_free(ctx, s);
}

int gd_scan_complete(const gd_scan *s)
{
    return s && s->complete;
}

uint64_t gd_scan_resource_count(const gd_scan *s)
{
    return s ? s->nresources : 0;
}

uint64_t gd_scan_fail_count(const gd_scan *s, gd_sev min)
{
    uint64_t n = 0;
    if (!s) return 0;
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].verdict == GDI_V_FAIL && s->findings[i].rule->severity >= min) n++;
    return n;
}

static bool is_input_error(gd_status st)
{
    return st != GD_OK && st != GD_NOMEM && st != GD_LIMIT && st != GD_INTERNAL;
}

static gd_status scan_once(gd_ruleset *rs, const char *const *paths, size_t npaths,
                           const gd_scan_opts *opts, bool guess, bool *resplit, gd_scan **out)
{
    gd_ctx *ctx = rs->ctx;
    gd_status st = GD_OK;
    *resplit = false;
    gd_scan *o = gdi_calloc(ctx, 1, sizeof *o);
    if (!o) return GD_NOMEM;
    o->ctx = ctx;
    o->rs = rs;
    o->complete = true;
    gdi_arena_init(&o->arena, ctx, 64 * 1024);
    o->stats = gdi_calloc(ctx, rs->nrules ? rs->nrules : 1, sizeof *o->stats);
    if (!o->stats) {
        gd_scan_free(o);
        return GD_NOMEM;
    }

    scan sc;
    memset(&sc, 0, sizeof sc);
    sc.out = o;
    sc.rs = rs;
    sc.ctx = ctx;
    sc.opts = opts;
    sc.guess = guess;
    sc.max_resources = gdi_limit(ctx, GD_LIMIT_RESOURCES);
    unsigned nw = opts->threads;
    if (nw == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        nw = c > 0 ? (unsigned)c : 1;
    }
    if (nw > 256) nw = 256;
    sc.nw = nw;
    sc.flush_every = sc.max_resources / (8 * ((uint64_t)nw + 1));
    if (sc.flush_every > 256) sc.flush_every = 256;
    if (sc.flush_every < 1) sc.flush_every = 1;
    for (size_t i = 0; i < npaths; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) == 0 && S_ISREG(sb.st_mode)) sc.bytes_total += (uint64_t)sb.st_size;
    }
    unsigned nall = nw + 1;
    sc.w = gdi_calloc(ctx, nall, sizeof *sc.w);
    if (!sc.w) {
        gd_scan_free(o);
        return GD_NOMEM;
    }
    pthread_mutex_init(&sc.mu, NULL);
    pthread_cond_init(&sc.cv_items, NULL);
    pthread_cond_init(&sc.cv_space, NULL);
    unsigned started = 0;
    for (unsigned i = 0; i < nall && st == GD_OK; i++) st = worker_init(&sc.w[i], &sc);
    sc.main = &sc.w[nw];
    if (st == GD_OK && nw > 1) {
        for (unsigned i = 0; i < nw; i++) {
            if (pthread_create(&sc.w[i].tid, NULL, worker_main, &sc.w[i]) != 0) {
                st = gdi_err(ctx, GD_INTERNAL, NULL, 0, 0, "cannot start worker threads");
                break;
            }
            started++;
        }
    }
    gd_status first_input = GD_OK;
    for (size_t i = 0; i < npaths && st == GD_OK; i++) {
        gd_status ps = scan_path(&sc, paths[i]);
        if (ps == GD_NOMEM || ps == GD_LIMIT || ps == GD_INTERNAL) st = ps;
        else if (ps != GD_OK && first_input == GD_OK) first_input = ps;
        pthread_mutex_lock(&sc.mu);
        if (sc.fatal != GD_OK && st == GD_OK) st = sc.fatal;
        pthread_mutex_unlock(&sc.mu);
    }
    /* close the queue and wait for the workers */
    pthread_mutex_lock(&sc.mu);
    sc.closed = true;
    if (st != GD_OK && sc.fatal == GD_OK) sc.fatal = st;
    pthread_cond_broadcast(&sc.cv_items);
    pthread_mutex_unlock(&sc.mu);
    for (unsigned i = 0; i < started; i++) pthread_join(sc.w[i].tid, NULL);
    /* batches never taken (fatal stop) still own buffers */
    for (batch *b = sc.qhead; b; b = b->next)
        if (b->owned) {
            gdi_free(ctx, b->owned);
            b->owned = NULL;
        }
    for (unsigned i = 0; i < nall; i++) {
        gd_status ws = sc.w[i].st;
        if ((ws == GD_NOMEM || ws == GD_LIMIT) && st == GD_OK) st = ws;
        else if (is_input_error(ws) && first_input == GD_OK) first_input = ws;
    }
    if (st == GD_OK) st = count_flush(&sc, nall);
    if (st == GD_OK) st = run_deferred(&sc, nall);
    if (st == GD_OK) st = count_flush(&sc, nall);
    gd_status ms = merge(&sc, nall);
    if (st == GD_OK) st = ms;

    /* the result no longer points into the inputs or the workers' memory:
     * release them, on a thread of their own when asked (unmapping a large
     * input takes a while and can overlap writing the report) */
    reap rp = {ctx, sc.held, sc.nheld, sc.batches, sc.nbatches, sc.w, nall};
    bool later = opts->release_in_background && st != GD_NOMEM && !atomic_load(&sc.resplit);
    reap *bg = later ? gdi_alloc(ctx, sizeof *bg) : NULL;
    if (bg) {
        *bg = rp;
        if (pthread_create(&o->reaper, NULL, reap_main, bg) == 0) {
            o->reaping = true;
        } else {
            gdi_free(ctx, bg);
            bg = NULL;
        }
    }
    if (!bg) reap_all(&rp);
    pthread_mutex_destroy(&sc.mu);
    pthread_cond_destroy(&sc.cv_items);
    pthread_cond_destroy(&sc.cv_space);

    o->bytes = sc.bytes_done;
    if (atomic_load(&sc.resplit)) {
        *resplit = true;
        gd_scan_free(o);
        return GD_INTERNAL;
    }
    if (st == GD_OK && first_input != GD_OK) st = first_input;
    if (st != GD_OK) o->complete = false;
    if (st == GD_NOMEM) {
        gd_scan_free(o);
        return st;
    }
    *out = o;
    return st;
}

gd_status gd_scan_run(const gd_ruleset *rs_c, const char *const *paths, size_t npaths,
                      const gd_scan_opts *opts, gd_scan **out)
{
    if (!rs_c || !out || (npaths && !paths)) return GD_MISUSE;
    *out = NULL;
    gd_ruleset *rs = (gd_ruleset *)rs_c; /* finishing is idempotent */
    gd_status st = gdi_ruleset_finish(rs);
    if (st != GD_OK) return st;
    gd_scan_opts defopts;
    memset(&defopts, 0, sizeof defopts);
    if (!opts) opts = &defopts;
    /* state arrays are cut by their layout when every input can be read a
     * second time (see guess_next): a wrong guess means scanning again */
    bool guess = !getenv("GONGDAN_EXACT_SPLIT");
    for (size_t i = 0; i < npaths && guess; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0 || !(S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode))) guess = false;
    }
    size_t nd0 = rs->ctx->ndiags;
    bool resplit = false;
    st = scan_once(rs, paths, npaths, opts, guess, &resplit, out);
    if (resplit) {
        gdi_diag_truncate(rs->ctx, nd0);
        st = scan_once(rs, paths, npaths, opts, false, &resplit, out);
    }
    return st;
}
