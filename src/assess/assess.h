/*
 * assess.h — the assessment of a deployment against a framework catalog
 * (issue 4): attestations, per-control status with reasons, C-RAF tiers,
 * the MLPS level rule and next steps. Internal to libgongdan.
 *
 * Data flows one way: attest.c loads attestations, assess.c computes a
 * gd_assess from the catalog, the ownership matrix, findings and
 * attestations, and the report_*.c renderers only read it. Everything a
 * gd_assess holds lives in its arena (strings borrowed from the catalog set
 * and the model set stay theirs; both must outlive the assessment).
 */
#ifndef GDI_ASSESS_H
#define GDI_ASSESS_H

#include "catalog/catalog.h"
#include "engine.h"

/* Control statuses: enum, id, English, Chinese. Order is the public one
 * (gd_assess_count). */
#define GDI_ASTATUS_LIST(X)                                                                        \
    X(GDI_AS_MET, "met", "met", "已满足")                                                          \
    X(GDI_AS_PARTIAL, "partial", "partial", "部分满足")                                            \
    X(GDI_AS_NOT_MET, "not_met", "not met", "未满足")                                              \
    X(GDI_AS_NA, "not_applicable", "not applicable", "不适用")                                     \
    X(GDI_AS_INHERITED, "inherited", "inherited", "继承")                                          \
    X(GDI_AS_UNKNOWN, "unknown", "unknown", "无证据")
typedef enum gdi_astatus {
#define GDI_X_AS(name, id, en, zh) name,
    GDI_ASTATUS_LIST(GDI_X_AS)
#undef GDI_X_AS
        GDI_AS__COUNT
} gdi_astatus;
const char *gdi_astatus_id(int s);
const char *gdi_astatus_label(int s, const char *lang);

/* Attestation statuses. */
#define GDI_ATT_LIST(X)                                                                            \
    X(GDI_ATT_IMPLEMENTED, "implemented")                                                          \
    X(GDI_ATT_PARTIAL, "partial")                                                                  \
    X(GDI_ATT_PLANNED, "planned")                                                                  \
    X(GDI_ATT_NA, "not_applicable")
typedef enum gdi_att_status {
#define GDI_X_ATT(name, id) name,
    GDI_ATT_LIST(GDI_X_ATT)
#undef GDI_X_ATT
} gdi_att_status;
const char *gdi_att_status_id(int s);

typedef struct gdi_evidence {
    const char *path;     /* as written (relative to the attestation file) */
    const char *resolved; /* path opened */
    const char *sha256;   /* expected digest, lowercase hex */
    const char *actual;   /* digest of the file, or NULL when unreadable */
    bool ok;              /* file read and digest matches */
} gdi_evidence;

typedef struct gdi_attest {
    const char *file;       /* attestation file */
    uint32_t line, col;     /* where the entry starts */
    const char *id;         /* given id, or "<file>#<n>" */
    const char *framework;  /* target framework (control targets), or NULL */
    const char *control;    /* target control id, or NULL */
    const char *duty;       /* target duty id, or NULL */
    int status;             /* gdi_att_status */
    int tier;               /* covers tiers up to this index; -1 = all */
    const char *tier_name;  /* as written, or NULL */
    const char *statement;
    const char *by;         /* attested_by */
    const char *date;       /* YYYY-MM-DD */
    const char *expires;    /* YYYY-MM-DD or NULL (no expiry) */
    gdi_evidence *ev;
    size_t nev;
    bool expired;           /* expires before the assessment date: counts as missing */
    bool invalid;           /* an evidence file is missing or its digest differs */
    bool applies;           /* targets this assessment's framework or a duty */
    bool used;              /* counted for some control */
} gdi_attest;

/* Load attestations from a file or directory (every .yaml/.yml, recursive
 * one level is not done: directory entries only) into arena. cat is the
 * assessed catalog (control targets of its framework are checked against
 * it); valid_duty(ud, id) checks duty targets. now_days is the assessment
 * day (days since 1970-01-01). Errors are diagnostics; *nerrors counts them. */
gd_status gdi_attest_load(gd_ctx *ctx, gdi_arena *arena, const char *path, const gdi_catalog *cat,
                          bool (*valid_duty)(void *ud, const char *id), void *ud, int64_t now_days,
                          gdi_attest **out, size_t *n, size_t *nerrors);

/* Days since 1970-01-01 of "YYYY-MM-DD"; false when malformed. */
bool gdi_parse_date(const char *s, int64_t *days);
/* SHA-256 of a file as 64 lowercase hex chars into hex[65]. */
gd_status gdi_sha256_file(gd_ctx *ctx, const char *path, char hex[65]);

/* Reason kinds attached to a control. */
#define GDI_RK_LIST(X)                                                                             \
    X(GDI_RK_FINDING, "finding")                                                                   \
    X(GDI_RK_PASS, "passing_rule")                                                                 \
    X(GDI_RK_ATTEST, "attestation")                                                            \
    X(GDI_RK_OWNER, "ownership")                                                                   \
    X(GDI_RK_GAP, "gap")
typedef enum gdi_rkind {
#define GDI_X_RK(name, id) name,
    GDI_RK_LIST(GDI_X_RK)
#undef GDI_X_RK
} gdi_rkind;
const char *gdi_rkind_id(int k);

typedef struct gdi_reason {
    uint8_t kind;        /* gdi_rkind */
    const char *text;    /* one English sentence */
    const char *ref;     /* rule id, attestation id or duty id, or NULL */
} gdi_reason;

/* One finding as the assessment sees it (from a scan or a saved result). */
typedef struct gdi_afinding {
    const gdi_rule *rule;
    const char *address;
    const char *file;
    uint32_t line;
    uint8_t verdict;     /* gdi_verdict */
    /* with a profile: the service of the resource (NULL when none matches),
     * whose duty the rule's duties are there (gdi_party_name) and the
     * accountable provider when it is not the customer's */
    const char *service;
    const char *party;
    const char *accountable;
} gdi_afinding;

typedef struct gdi_actl {
    const gdi_control *ctl;
    int status;                  /* gdi_astatus */
    int tier;                    /* tiered catalogs: highest tier achieved, -1 none */
    const char *owner;           /* "customer", "provider", "shared", "organisation", or NULL */
    const char **providers;      /* parties the control (or part of it) is inherited from */
    size_t nproviders;
    gdi_reason *reasons;
    size_t nreasons, capreasons;
    const gdi_afinding **fails;  /* failing findings linked to the control */
    size_t nfails, capfails;
    const gdi_attest **atts;     /* attestations counted */
    size_t natts, capatts;
} gdi_actl;

/* Per top-level group (C-RAF domain, MLPS section). */
typedef struct gdi_adomain {
    const gdi_cgroup *group;
    int tier;                    /* lowest tier over its controls, -1 none */
    size_t counts[GDI_AS__COUNT];
    int tier_count[GDI_MAX_TIERS]; /* controls achieving at least tier i */
    size_t ncontrols;
} gdi_adomain;

#define GDI_NK_LIST(X)                                                                             \
    X(GDI_NK_REMEDIATE, "remediate")                                                               \
    X(GDI_NK_EVIDENCE, "fix_evidence")                                                             \
    X(GDI_NK_RENEW, "renew_attestation")                                                           \
    X(GDI_NK_ATTEST, "attest")                                                                     \
    X(GDI_NK_SETTLE, "settle_with_provider")                                                       \
    X(GDI_NK_COVER, "provide_evidence")                                                            \
    X(GDI_NK_LEVEL, "level_rule")
typedef enum gdi_nkind {
#define GDI_X_NK(name, id) name,
    GDI_NK_LIST(GDI_X_NK)
#undef GDI_X_NK
} gdi_nkind;
const char *gdi_nkind_id(int k);

typedef struct gdi_next {
    uint8_t kind;        /* gdi_nkind */
    const char *ref;     /* rule id, control id, attestation id, duty id */
    const char *text;    /* what to do (English) */
    const char *text_zh; /* Chinese, or NULL */
    const char *controls; /* affected control ids, comma-separated, or NULL */
} gdi_nextstep;

struct gd_assess {
    gd_ctx *ctx;                 /* borrowed */
    gdi_arena arena;             /* everything below */
    const gdi_catalog *cat;      /* borrowed from the catalog set */
    const char *profile;         /* profile path, or NULL */
    const char *customer;        /* the customer's party id ("customer" without a profile) */
    const char *attest_path;
    const char **inputs;
    size_t ninputs;
    int64_t now;                 /* seconds since 1970 */
    const char *date;            /* YYYY-MM-DD of now */
    gdi_actl *ctls;              /* one per catalog control, catalog order */
    size_t nctls;
    gdi_adomain *domains;
    size_t ndomains;
    gdi_attest *atts;
    size_t natts;
    gdi_afinding *findings;      /* every linked-or-not finding read */
    size_t nfindings;
    uint64_t rules_passing;      /* rules with passes and no failure */
    uint64_t resources;          /* resources scanned */
    size_t counts[GDI_AS__COUNT];
    int target_tier;             /* -1 when no inherent risk given */
    const char *inherent_risk;
    int overall_tier;            /* -1 none */
    int level, platform_level;   /* mlps */
    int level_rule;              /* 1 holds, 0 broken, -1 undecided */
    gdi_nextstep *next;
    size_t nnext, capnext;
    size_t nerrors;              /* input problems found (digest mismatch, ...) */
    size_t nexpired;
};

/* Renderers: append the assessment to b. */
void gdi_assess_text(const gd_assess *a, const char *lang, gdi_buf *b);
void gdi_assess_json(const gd_assess *a, const char *lang, gdi_buf *b);
void gdi_assess_csv(const gd_assess *a, const char *lang, gdi_buf *b);
void gdi_assess_html(const gd_assess *a, const char *lang, gdi_buf *b);
void gdi_assess_oscal(const gd_assess *a, const char *lang, gdi_buf *b);

/* ISO 8601 UTC timestamp of seconds since 1970 into out[32]. */
void gdi_iso_time(int64_t t, char out[32]);

#endif /* GDI_ASSESS_H */
