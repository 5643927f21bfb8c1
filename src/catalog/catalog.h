/*
 * catalog.h — framework catalogs and their duty mappings (issue 4).
 * Internal to libgongdan; the assess subsystem and the rule loader read it.
 *
 * A catalog is a flat list of controls, each in a group (domain, section,
 * theme); groups may nest through `parent`. A tiered catalog (C-RAF) names
 * its tiers in order and gives, per control, what each tier adds. The
 * mapping (data/mappings/<id>.yaml) attaches to each control the OSCAR duty
 * ids it depends on and whether it also needs the organisation's own
 * evidence (`organisational`).
 *
 * Ownership: a gd_catalogset owns everything in its arena; catalogs are
 * immutable once loaded and may be read from several threads. Strings are
 * NUL-terminated arena copies.
 */
#ifndef GDI_CATALOG_H
#define GDI_CATALOG_H

#include "doc.h"
#include "gdi.h"

#define GDI_MAX_TIERS 4

/* A text in English and Chinese; zh may be NULL (English is used). */
typedef struct gdi_i18n {
    const char *en; /* never NULL once loaded ("" when absent) */
    const char *zh; /* may be NULL */
} gdi_i18n;

/* en or zh by lang ("zh" picks Chinese when present); never NULL. */
const char *gdi_i18n_get(const gdi_i18n *t, const char *lang);

typedef struct gdi_cgroup {
    const char *id;     /* "3.1", "A.5", "8.1.4" */
    const char *parent; /* id of the enclosing group, or NULL */
    gdi_i18n title;
} gdi_cgroup;

typedef struct gdi_control {
    const char *id;                        /* "3.3.2", "CC6.1", "ac-2.1" */
    const char *group;                     /* group id, or NULL */
    const char *parent;                    /* OSCAL enhancement: base control id, else NULL */
    gdi_i18n title;
    const char *requirement;               /* one undifferentiated requirement, or NULL */
    const char *tier_text[GDI_MAX_TIERS];  /* what tier i adds; NULL when the cell is N/A */
    bool has_tiers;                        /* tier_text was given */
    const char *summary;                   /* paraphrase, or NULL */
    const char *source;                    /* citation (table, row, section), or NULL */
    const char *party;                     /* "provider" | "customer" | NULL */
    const char *applies_to;                /* scope note ("iot"), or NULL */
    const char *extension;                 /* "cloud" for extension requirements, or NULL */
    const char **capabilities;             /* provider capabilities named by the source */
    size_t ncapabilities;
    /* mapping */
    bool mapped;                           /* a mapping entry exists */
    const char **duties;                   /* OSCAR leaf ids */
    size_t nduties;
    bool organisational;                   /* needs the organisation's own evidence */
    const char *map_note;                  /* mapping note, or NULL */
    uint32_t line;                         /* line in the catalog file */
} gdi_control;

typedef struct gdi_catalog {
    const char *id;          /* "craf-2.0" */
    gdi_i18n title;
    const char *version;     /* may be NULL */
    const char *source;      /* may be NULL */
    const char *provider;    /* provider profile id whose duties this publishes, or NULL */
    const char *tiers[GDI_MAX_TIERS]; /* tier ids in ascending order */
    gdi_i18n tier_titles[GDI_MAX_TIERS];
    size_t ntiers;           /* 0 for a flat catalog */
    int level;               /* mlps: protection level the catalog is for, else 0 */
    gdi_i18n level_rule;     /* mlps: the level rule, en "" when none */
    gdi_cgroup *groups;
    size_t ngroups;
    gdi_control *controls;   /* in catalog order */
    size_t ncontrols;
    const char *file;        /* "builtin:catalogs/craf-2.0.yaml" or a path */
    const char *mapping_file; /* where the mapping came from, or NULL */
    bool builtin;
    bool imported;           /* converted from OSCAL */
    const char *based_on;    /* profile: id of the catalog it selects from, else NULL; rule
                                control references to that id count for this catalog too */
} gdi_catalog;

struct gd_catalogset {
    gd_ctx *ctx;          /* borrowed */
    gdi_arena arena;      /* catalogs and all their strings */
    gdi_catalog **cats;   /* in load order */
    size_t ncats, capcats;
};

/* Catalog by id, or NULL. */
const gdi_catalog *gdi_catalogset_find(const gd_catalogset *cs, const char *id);
/* Control by id, or NULL. Linear (catalogs hold at most a few thousand). */
const gdi_control *gdi_catalog_control(const gdi_catalog *c, const char *id);
/* Group by id, or NULL. */
const gdi_cgroup *gdi_catalog_group(const gdi_catalog *c, const char *id);
/* Top-level group of a control (follows parents); NULL when ungrouped. */
const gdi_cgroup *gdi_catalog_top_group(const gdi_catalog *c, const gdi_control *ctl);
/* Index of tier name in c, or -1. */
int gdi_catalog_tier(const gdi_catalog *c, const char *name);

/* Load a catalog from a parsed document (gongdan catalog schema) into cs.
 * All errors found are reported as "file:line:col: message"; GD_INVALID
 * when any. builtin marks embedded data. */
gd_status gdi_catalog_load(gd_catalogset *cs, const gdi_doc *doc, bool builtin,
                           gdi_catalog **out);
/* Attach a mapping document to the catalog it names. Every control id and
 * duty id must exist (duties are checked against the built-in OSCAR model
 * data when it is available); errors as above. */
gd_status gdi_mapping_load(gd_catalogset *cs, const gdi_doc *doc);
/* Convert an OSCAL catalog or profile document into a catalog in cs.
 * id may be NULL (derived from the title). Implemented in oscal.c. */
gd_status gdi_oscal_import(gd_catalogset *cs, const gdi_doc *doc, const char *id,
                           gdi_catalog **out);
/* Add a catalog to cs, replacing one with the same id (with a warning
 * naming the file). */
gd_status gdi_catalogset_put(gd_catalogset *cs, gdi_catalog *c);
/* Write c in the gongdan catalog YAML schema (used to save imports). */
void gdi_catalog_yaml(const gdi_catalog *c, gdi_buf *b);

/* Append s as a YAML double-quoted scalar (JSON escaping, valid YAML). */
void gdi_buf_yaml_str(gdi_buf *b, const char *s);

#endif /* GDI_CATALOG_H */
