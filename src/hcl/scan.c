/*
 * scan.c — the HCL input adapter: load Terraform source with gdi_hcl_load
 * and hand every resource to the engine's sink.
 *
 * File indexes are remapped: the loader numbers the files it read, the
 * engine numbers every input of the scan; each file is registered with the
 * sink once and resources carry the engine's index. The result (and so
 * every string a resource points to) is freed after the last push, which
 * the sink contract allows (it copies what it keeps).
 */
#include "hcl.h"

gd_status gdi_hcl_scan(gd_ctx *ctx, const char *const *paths, size_t npaths,
                       const gd_scan_opts *opts, gdi_sink *sink)
{
    gdi_hcl_result *res = NULL;
    uint32_t *map = NULL;
    gd_status load = gdi_hcl_load(ctx, paths, npaths, opts, &res);
    if (!res) return load;
    gd_status st = GD_OK;
    if (res->nfiles) {
        map = gdi_calloc(ctx, res->nfiles, sizeof *map);
        if (!map) {
            st = GD_NOMEM;
            goto done;
        }
    }
    for (size_t i = 0; i < res->nfiles; i++)
        if ((st = gdi_sink_add_file(sink, res->files[i], &map[i]))) goto done;
    for (size_t i = 0; i < res->nres; i++) {
        gdi_resource r = res->res[i];
        r.file = r.file < res->nfiles ? map[r.file] : r.file;
        if ((st = gdi_sink_push(sink, &r))) goto done;
    }
done:
    gdi_free(ctx, map);
    gdi_hcl_result_free(res);
    return st ? st : load;
}
