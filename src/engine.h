/*
 * engine.h — the scan engine's internal view: findings and scan results,
 * and the interface input adapters implement.
 *
 * A scan reads every input through an adapter, hands resources to worker
 * threads that evaluate the rules indexed by type, and collects findings.
 * Findings are sorted at the end (input file, resource order, rule id) so
 * output is identical whatever the thread count.
 */
#ifndef GDI_ENGINE_H
#define GDI_ENGINE_H

#include "rule.h"

#include <pthread.h>

/* One evaluated (rule, resource) pair that is reported: fail, unknown,
 * error — and pass when the scan keeps passes. Strings are owned by the
 * scan's arena. */
typedef struct gdi_finding {
    const gdi_rule *rule; /* borrowed from the scan's ruleset */
    uint8_t verdict;      /* gdi_verdict */
    uint8_t mode;         /* gdi_mode of the resource */
    const char *address;  /* resource address */
    const char *type;     /* resource type */
    const char *provider; /* short provider name */
    const char *reason;   /* unknown/error: why; NULL otherwise */
    uint32_t file;        /* index into gd_scan.files */
    uint32_t line;        /* line of the resource (or the attribute), 0 unknown */
    uint64_t seq;         /* resource order across the scan */
} gdi_finding;

/* Per-rule counters. */
typedef struct gdi_rule_stats {
    uint64_t pass, fail, unknown, error; /* verdict counts */
    uint64_t nanos;                      /* evaluation time (when timing is on) */
} gdi_rule_stats;

struct gd_scan {
    gd_ctx *ctx;              /* borrowed (the ruleset's) */
    const gd_ruleset *rs;     /* borrowed */
    char **files;             /* input paths, owned */
    size_t nfiles;
    gdi_finding *findings;    /* sorted; owned */
    size_t nfindings, capfindings;
    gdi_rule_stats *stats;    /* one per rule (index = gdi_rule.index) */
    uint64_t nresources;      /* managed resources evaluated */
    uint64_t ndata;           /* data sources read (joins only) */
    uint64_t bytes;           /* input bytes read */
    bool complete;            /* every input read without error */
    gdi_arena arena;          /* strings of findings */
    pthread_t reaper;         /* releasing the scan's inputs and working memory ... */
    bool reaping;             /* ... when started (gd_scan_opts.release_in_background) */
};

/* Load a saved JSON scan result (the `--format json` output, docs/output.md)
 * back into a gd_scan bound to rs, so assessments can use findings without
 * rescanning. A finding whose rule is not in rs is an error naming its
 * position (every one is reported); *out is then still set (status
 * GD_INVALID) and holds the findings that could be bound. */
gd_status gdi_scan_load_json(const gd_ruleset *rs, const char *path, gd_scan **out);

/* ------------------------------------------------------------- adapters */

/* Sink the adapters push resources to. The resource and everything it
 * points to are valid only during the call unless keep is requested: the
 * engine copies what it keeps (join targets and deferred resources). */
typedef struct gdi_sink gdi_sink;
gd_status gdi_sink_push(gdi_sink *s, const gdi_resource *r);
/* Register another input file (HCL reads many files per path); *index is
 * what resources from it carry in gdi_resource.file. */
gd_status gdi_sink_add_file(gdi_sink *s, const char *path, uint32_t *index);

/* HCL source (issue 6): load every .tf / .tf.json under the given paths,
 * evaluate, and push the resulting resources to the sink. Implemented in
 * src/hcl/; returns GD_UNSUPPORTED when built without it. */
gd_status gdi_hcl_scan(gd_ctx *ctx, const char *const *paths, size_t npaths,
                       const gd_scan_opts *opts, gdi_sink *sink);

#endif /* GDI_ENGINE_H */
