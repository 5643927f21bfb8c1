/*
 * hcl.h — the Terraform source reader as the engine sees it.
 *
 * gdi_hcl_load reads Terraform configurations (HCL2 native syntax and the
 * JSON syntax), evaluates them statically as `terraform plan` would before
 * any provider is called, and returns normalized resources: one
 * gdi_resource per expanded instance (count/for_each, module instances),
 * addressed exactly as Terraform prints addresses.
 *
 * Invariants of a result
 *  - files[] lists every file read (configuration and variable files);
 *    resources refer to it by index.
 *  - Each resource's attrs is an object node in docs[file], the document
 *    whose src is that file's text, so gdi_doc_line_col(res.doc, node) gives
 *    a line in the resource's own file. Values that came from another file
 *    (module inputs, variables) carry the position of the referencing
 *    attribute.
 *  - Values that cannot be known before apply are GDI_UNKNOWN nodes.
 *  - Everything (strings, nodes, file texts) is owned by the result and
 *    lives until gdi_hcl_result_free.
 */
#ifndef GDI_HCL_H
#define GDI_HCL_H

#include "../engine.h"

typedef struct gdi_hcl_result {
    gd_ctx *ctx;              /* borrowed: allocator owner */
    char **files;             /* paths of the files read, owned */
    size_t nfiles;            /* entries in files and docs */
    gdi_doc **docs;           /* per file: its text and the attrs nodes (variables files: text only) */
    gdi_resource *res;        /* resources in order of appearance, owned */
    size_t nres;              /* number of resources */
    gdi_doc *outputs;         /* root object: output name -> value of the (first) root module */
    struct hcl_state *state;  /* internal: arenas holding strings the nodes point to */
} gdi_hcl_result;

/* Load every .tf / .tf.json under paths (directories are root modules;
 * a directory without configuration files is searched for root modules in
 * its subdirectories; single files given together form one root module),
 * with variables from opts (var_files, vars; may be NULL), TF_VAR_
 * environment variables, terraform.tfvars and *.auto.tfvars.
 *
 * Returns GD_OK; GD_SYNTAX when some file had a syntax error (reported as
 * file:line:col, the file skipped, the other files loaded: *out still
 * holds the resources of the good files, and the engine reports the scan
 * as incomplete); GD_INVALID when an expression could not be evaluated
 * (reported, value treated as unknown); GD_IO when a path could not be
 * read; GD_LIMIT when a limit stopped loading; GD_NOMEM (then *out is
 * NULL). Caller frees *out with gdi_hcl_result_free. */
gd_status gdi_hcl_load(gd_ctx *ctx, const char *const *paths, size_t npaths,
                       const gd_scan_opts *opts, gdi_hcl_result **out);

/* gdi_hcl_load with the block size of the load's arena (0: the default,
 * 256 KiB). The out-of-memory test passes a tiny size so that nearly every
 * allocation of the parser and the evaluator reaches the allocator hook
 * and can be made to fail. */
gd_status gdi_hcl_load_ex(gd_ctx *ctx, const char *const *paths, size_t npaths,
                          const gd_scan_opts *opts, size_t arena_block, gdi_hcl_result **out);

/* Free a result and everything it owns; accepts NULL. */
void gdi_hcl_result_free(gdi_hcl_result *r);

#endif /* GDI_HCL_H */
