/*
 * rule.h — resources, rules, the compiled check language and joins.
 *
 * The pipeline: input adapters turn files into gdi_resource records; each
 * rule's `check` expression is compiled once into a gdi_program (bytecode);
 * a per-thread gdi_eval runs a program against one resource and yields a
 * verdict. Joins (`related(type, field, value)`) are resolved through a
 * gdi_joins index the engine builds from resources kept aside.
 *
 * Threading: gdi_program and gdi_ruleset are immutable after loading and
 * shared by all threads; each thread owns its gdi_eval.
 */
#ifndef GDI_RULE_H
#define GDI_RULE_H

#include "doc.h"

/* ------------------------------------------------------------ resource */

typedef enum gdi_mode { GDI_MODE_MANAGED = 0, GDI_MODE_DATA = 1 } gdi_mode;

/* A normalized resource. All strings borrowed from the adapter's buffers;
 * valid while the adapter keeps the resource (see engine.c). */
typedef struct gdi_resource {
    gd_str address;         /* as Terraform prints it: module.net.aws_instance.web[0] */
    gd_str type;            /* aws_instance */
    gd_str name;            /* web */
    gd_str provider;        /* short name: aws, alicloud, tencentcloud, huaweicloud */
    gd_str provider_config; /* full provider reference when known (aliases kept) */
    gd_str module;          /* module.net (empty at root) */
    uint8_t mode;           /* gdi_mode; data sources serve joins only */
    bool tainted;           /* state: instance status "tainted" (still scanned) */
    const gdi_node *attrs;  /* attributes object; NULL is treated as {} */
    uint32_t file;          /* index of the input file in the scan */
    uint32_t line;          /* 1-based line of the resource in that file; 0 unknown */
    uint64_t seq;           /* order of appearance across the whole scan */
    /* HCL only: map attribute node -> line. NULL elsewhere. */
    const gdi_doc *doc;     /* the document attrs lives in (for line lookups), may be NULL */
} gdi_resource;

/* Short provider name from a type ("alicloud_oss_bucket" -> "alicloud"). */
gd_str gdi_type_provider(gd_str type);

/* --------------------------------------------------------------- joins */

/* Index of kept-aside resources by (type, attribute value). Built by the
 * engine (or the fixture runner) and read-only during evaluation.
 *
 * A match is a handle: the address of the target's attributes object, or
 * (low bit set) a record the scanner can fetch the target back from (JSON
 * Lines targets are not kept in memory; see gdi_joins_set_fetch). The index
 * groups by hash, so a match is only a candidate until its key is checked
 * (gdi_joins_match does both). */
typedef struct gdi_joins gdi_joins;

/* Candidate matches of join join_id for key, in input order: the count,
 * and *out set to a borrowed array of handles (NULL when 0). */
size_t gdi_joins_find(const gdi_joins *j, uint32_t join_id, gd_str key, const uintptr_t **out);

struct gdi_eval;
/* Bring back a target from a fetch handle: its attributes object, valid
 * for the current evaluation run of ev (parsed into its run memory), or an
 * error status. */
typedef gd_status (*gdi_join_fetch)(void *ud, struct gdi_eval *ev, uintptr_t handle,
                                    const gdi_node **attrs);
void gdi_joins_set_fetch(gdi_joins *j, gdi_join_fetch fn, void *ud);
/* Memory and a document for the current run of ev, for a fetch (both are
 * released when the next run starts; NULL when out of memory). */
void *gdi_eval_alloc(struct gdi_eval *ev, size_t n);
gdi_doc *gdi_eval_doc(struct gdi_eval *ev);
/* The attributes of candidate handle h if its joined attribute equals key
 * (*attrs NULL when it does not); fetches when needed. */
gd_status gdi_joins_match(const gdi_joins *j, struct gdi_eval *ev, uint32_t join_id, gd_str key,
                          uintptr_t h, const gdi_node **attrs);

/* A join declared by a rule: resources of `type` matched on `field`. */
typedef struct gdi_joindef {
    char *type;  /* owned by the ruleset */
    char *field; /* top-level attribute name of the target resource */
    /* what checks read of the resources this join yields (see
     * gdi_compile_env.join_use): every attribute, or those listed */
    bool all;
    char **uses; /* owned; unique */
    size_t nuses, capuses;
} gdi_joindef;

/* Build an index over resources res[0..n) for the given join definitions.
 * The definitions, resources and their attributes are borrowed and must
 * outlive the index. res may be in any order: the matches of a key come in
 * input order (file, then seq). */
gd_status gdi_joins_build(gd_ctx *ctx, const gdi_joindef *defs, size_t ndefs,
                          const gdi_resource *const *res, size_t n, gdi_joins **out);
void gdi_joins_free(gdi_joins *j);

/* A join key found ahead of building the index: the target (a handle) is
 * indexed under join `join`. The scanner extracts keys while a target is
 * still in cache and builds the index at the end. */
typedef struct gdi_joinkey {
    uint64_t hash;   /* of (join, key) */
    uint64_t seq;    /* the target's place in the input: file, then seq */
    uint32_t file;
    uint32_t join;   /* join id (index into the join definitions) */
    uintptr_t ref;   /* handle of the target (see gdi_joins) */
} gdi_joinkey;

/* The join key of a target whose attributes are attrs (read now) and whose
 * handle is ref, under join definition d (one on its type): false when it
 * does not have the joined attribute in an indexable form. */
bool gdi_joins_key_of(const gdi_joindef *defs, uint32_t d, const gdi_node *attrs, uint32_t file,
                      uint64_t seq, uintptr_t ref, gdi_joinkey *out);
/* Build an index from keys found ahead, given as nseg arrays (same lookups
 * as gdi_joins_build), with up to nthreads threads. defs must outlive it. */
gd_status gdi_joins_build_keys(gd_ctx *ctx, const gdi_joindef *defs, size_t ndefs,
                               const gdi_joinkey *const *segs, const size_t *nsegs, size_t nseg,
                               unsigned nthreads, gdi_joins **out);

/* ------------------------------------------------------------ programs */

typedef struct gdi_program gdi_program;

/* Where the expression text sits in its file, to report file:line:col.
 * Expression positions (1-based line/col inside the text) are mapped as:
 *   file_line = line0 + (rel_line - 1)
 *   file_col  = rel_line == 1 ? col0 + rel_col - 1 : indent + rel_col
 * For a YAML block scalar (`check: |`), line0 is the first content line,
 * col0 = indent + 1. */
typedef struct gdi_srcmap {
    const char *file; /* file name for messages */
    uint32_t line0;   /* file line of the expression's first line */
    uint32_t col0;    /* file column of the expression's first byte */
    uint32_t indent;  /* columns stripped from the following lines */
} gdi_srcmap;

/* Services the compiler asks of the rule loader. */
typedef struct gdi_compile_env {
    /* Register (or find) the join (type, field); give its id. */
    gd_status (*join_id)(void *ud, gd_str type, gd_str field, uint32_t *id);
    void *ud;
    /* Optional: what the check reads of the resources join id yields. Called
     * with a top-level attribute name for each one read, or with all = true
     * when the analysis cannot tell (the resources escape into something it
     * does not follow). A join never reported reads nothing (len() only).
     * The engine keeps only these attributes of join targets. */
    gd_status (*join_use)(void *ud, uint32_t id, gd_str field, bool all);
} gdi_compile_env;

/* Compile a check expression. All syntax and semantic errors are reported
 * to ctx as diagnostics "file:line:col: message" (several when possible);
 * the return is then GD_SYNTAX. On success *out owns the bytecode. */
gd_status gdi_program_compile(gd_ctx *ctx, const gdi_srcmap *map, const char *src, size_t len,
                              const gdi_compile_env *env, gdi_program **out);
void gdi_program_free(gdi_program *p);
/* True when the program calls related() (the engine defers such rules until
 * every join target has been read). */
bool gdi_program_uses_joins(const gdi_program *p);
/* The first top-level attribute the expression reads (for pointing findings
 * at a line), or an empty string. */
gd_str gdi_program_primary_attr(const gdi_program *p);
/* Human-readable listing of the bytecode. */
void gdi_program_disasm(const gdi_program *p, FILE *out);

typedef enum gdi_verdict {
    GDI_V_PASS = 0,
    GDI_V_FAIL,
    GDI_V_UNKNOWN, /* depends on a value unknown at plan time */
    GDI_V_ERROR    /* could not be evaluated (wrong type, budget, bad regex) */
} gdi_verdict;

/* Per-thread evaluator: value stack and scratch arena, reused between runs
 * (no allocation in steady state). */
typedef struct gdi_eval gdi_eval;
gd_status gdi_eval_new(gd_ctx *ctx, gdi_eval **out);
void gdi_eval_free(gdi_eval *ev);

/* Run p on resource r. *verdict is the outcome; for UNKNOWN and ERROR,
 * *reason (may be NULL) receives a short explanation valid until the next
 * run on ev. Returns GD_OK, or GD_NOMEM (the only failure that is not a
 * verdict). The instruction budget is GD_LIMIT_EVAL_STEPS: passing it
 * gives GDI_V_ERROR with reason "evaluation budget exceeded". joins may be
 * NULL (related() then yields an empty list). */
gd_status gdi_eval_run(gdi_eval *ev, const gdi_program *p, const gdi_resource *r,
                       const gdi_joins *joins, gdi_verdict *verdict, const char **reason);

/* --------------------------------------------------------------- rules */

typedef struct gdi_control_ref {
    char *framework; /* "craf-2.0", "soc2", "iso27001", "mlps-2.0", ... */
    char **ids;      /* control ids in that framework */
    size_t nids;
} gdi_control_ref;

typedef struct gdi_rule {
    char *id;              /* unique, stable: GD-ALI-OSS-001 */
    char *title_en, *title_zh;
    char *description;     /* may be NULL */
    gd_sev severity;
    char *severity_reason; /* may be NULL */
    char **types;          /* resource types this rule applies to */
    size_t ntypes;
    char **duties;         /* OSCAR leaf ids */
    size_t nduties;
    gdi_control_ref *controls;
    size_t ncontrols;
    char *message;         /* finding message (English); may be NULL (title used) */
    char *remediation_en, *remediation_zh;
    char **references;
    size_t nrefs;
    gdi_program *check;    /* compiled check */
    const gdi_node *tests; /* fixtures node in fixtures_doc, may be NULL */
    gdi_doc *fixtures_doc; /* document holding tests (owned by the ruleset) */
    char *file;            /* file the rule came from ("builtin:rules/..." for embedded) */
    uint32_t line;         /* line of the rule's start */
    uint32_t index;        /* position in the ruleset */
} gdi_rule;

/* A loaded, compiled rule set. Fields are read-only once scanning starts. */
struct gd_ruleset {
    gd_ctx *ctx;            /* borrowed */
    gdi_rule **rules;       /* in load order; sorted by id after gdi_ruleset_finish */
    size_t nrules, caprules;
    gdi_joindef *joins;     /* join table referenced by programs */
    size_t njoins, capjoins;
    /* type index: built by gdi_ruleset_finish */
    struct gdi_type_index *by_type;
    bool finished;
};

/* Sort rules, check ids are unique, and build the type index. Called by
 * the scanner and the test runner; idempotent. */
gd_status gdi_ruleset_finish(gd_ruleset *rs);
/* Rules for a resource type: sets *out to a borrowed array. */
size_t gdi_ruleset_for_type(const gd_ruleset *rs, gd_str type, gdi_rule *const **out);
/* True when some rule joins on resources of this type. */
bool gdi_ruleset_is_join_target(const gd_ruleset *rs, gd_str type);
/* What the join phase needs of a join target type. */
typedef struct gdi_target {
    bool all;             /* every attribute, or ... */
    const gd_str *fields; /* ... these top-level ones (sorted): the joined fields and every
                           * attribute a check reads of the joined resources */
    size_t nfields;
    const uint32_t *defs; /* the join definitions on this type (indices into rs->joins) */
    size_t ndefs;
} gdi_target;
/* The join target entry of a type; NULL when no rule joins on it (or the
 * set is not finished). Borrowed from the ruleset. */
const gdi_target *gdi_ruleset_target(const gd_ruleset *rs, gd_str type);

/* Everything the scanner needs to know about a resource type, found with
 * one hash lookup per resource. */
typedef struct gdi_typeinfo {
    const char *type;        /* borrowed */
    size_t len;
    gdi_rule *const *rules;  /* the type's rules (as gdi_ruleset_for_type) */
    size_t nrules;
    const gdi_target *target; /* as gdi_ruleset_target; NULL when no rule joins on the type */
    bool join_rules;         /* some rule of the type calls related() */
} gdi_typeinfo;
/* NULL when the type has no rules and no rule joins on it, or the set is
 * not finished. */
const gdi_typeinfo *gdi_ruleset_type(const gd_ruleset *rs, gd_str type);

#endif /* GDI_RULE_H */
