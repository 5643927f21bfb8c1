/*
 * files.c — reading whole files under the size limit, atomic output,
 * positions, and the table of embedded data files.
 *
 * Output is never half-written: gd_write_atomic writes to a temporary file
 * beside the target and renames it only after a successful flush and fsync.
 */
#include "gdi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

gd_status gdi_read_file(gd_ctx *ctx, const char *path, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return gdi_err(ctx, GD_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return gdi_err(ctx, GD_IO, path, 0, 0, "cannot stat: %s", strerror(e));
    }
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return gdi_err(ctx, GD_IO, path, 0, 0, "is a directory, expected a file");
    }
    uint64_t max = gdi_limit(ctx, GD_LIMIT_FILE_SIZE);
    if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > max) {
        close(fd);
        return gdi_err(ctx, GD_LIMIT, path, 0, 0,
                       "file is %llu bytes, over the limit of %llu (--max-file-size)",
                       (unsigned long long)sb.st_size, (unsigned long long)max);
    }
    size_t cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : 65536, n = 0;
    char *buf = gdi_alloc(ctx, cap);
    if (!buf) {
        close(fd);
        return GD_NOMEM;
    }
    for (;;) {
        if (n + 1 >= cap) {
            if ((uint64_t)n >= max) {
                gdi_free(ctx, buf);
                close(fd);
                return gdi_err(ctx, GD_LIMIT, path, 0, 0,
                               "input is over the limit of %llu bytes (--max-file-size)",
                               (unsigned long long)max);
            }
            size_t nc = cap * 2;
            char *nb = gdi_realloc(ctx, buf, nc);
            if (!nb) {
                gdi_free(ctx, buf);
                close(fd);
                return GD_NOMEM;
            }
            buf = nb;
            cap = nc;
        }
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            gdi_free(ctx, buf);
            close(fd);
            return gdi_err(ctx, GD_IO, path, 0, 0, "read error: %s", strerror(e));
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if ((uint64_t)n > max) {
        gdi_free(ctx, buf);
        return gdi_err(ctx, GD_LIMIT, path, 0, 0,
                       "input is over the limit of %llu bytes (--max-file-size)",
                       (unsigned long long)max);
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return GD_OK;
}

void gdi_line_col(const char *text, size_t len, size_t off, uint32_t *line, uint32_t *col)
{
    if (off > len) off = len;
    uint32_t l = 1;
    size_t ls = 0;
    const char *p = text, *end = text + off;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        l++;
        ls = (size_t)(nl - text) + 1;
        p = nl + 1;
    }
    *line = l;
    *col = (uint32_t)(off - ls + 1);
}

const gdi_embedded *gdi_embedded_find(const char *path)
{
    for (size_t i = 0; i < gdi_embedded_count; i++)
        if (gdi_embedded_files[i].path && strcmp(gdi_embedded_files[i].path, path) == 0)
            return &gdi_embedded_files[i];
    return NULL;
}

gd_status gd_write_atomic(gd_ctx *ctx, const char *path, gd_status (*fn)(void *ud, FILE *out),
                          void *ud)
{
    if (!ctx || !fn) return GD_MISUSE;
    if (!path || strcmp(path, "-") == 0) {
        gd_status st = fn(ud, stdout);
        if (fflush(stdout) != 0 && st == GD_OK)
            st = gdi_err(ctx, GD_IO, "<stdout>", 0, 0, "write error: %s", strerror(errno));
        return st;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        /* a device or a pipe (/dev/null, /dev/stdout, a FIFO): no rename over it */
        if (S_ISDIR(sb.st_mode))
            return gdi_err(ctx, GD_IO, path, 0, 0, "is a directory, cannot write the report there");
        FILE *df = fopen(path, "w");
        if (!df) return gdi_err(ctx, GD_IO, path, 0, 0, "cannot open for writing: %s", strerror(errno));
        gd_status dst = fn(ud, df);
        if ((fflush(df) != 0 || ferror(df)) && dst == GD_OK)
            dst = gdi_err(ctx, GD_IO, path, 0, 0, "write error: %s", strerror(errno));
        if (fclose(df) != 0 && dst == GD_OK)
            dst = gdi_err(ctx, GD_IO, path, 0, 0, "write error: %s", strerror(errno));
        return dst;
    }
    size_t pl = strlen(path);
    char *tmp = gdi_alloc(ctx, pl + 16);
    if (!tmp) return GD_NOMEM;
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        gd_status st = gdi_err(ctx, GD_IO, path, 0, 0, "cannot create temporary file: %s",
                               strerror(errno));
        gdi_free(ctx, tmp);
        return st;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        gdi_free(ctx, tmp);
        return GD_NOMEM;
    }
    gd_status st = fn(ud, f);
    if (st == GD_OK && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0))
        st = gdi_err(ctx, GD_IO, path, 0, 0, "write error: %s", strerror(errno));
    if (fclose(f) != 0 && st == GD_OK)
        st = gdi_err(ctx, GD_IO, path, 0, 0, "write error: %s", strerror(errno));
    if (st == GD_OK) {
        /* honour the umask like a plain fopen would: mkstemp made it 0600 */
        mode_t um = umask(0);
        umask(um);
        chmod(tmp, 0666 & ~um);
        if (rename(tmp, path) != 0)
            st = gdi_err(ctx, GD_IO, path, 0, 0, "cannot rename temporary file: %s",
                         strerror(errno));
    }
    if (st != GD_OK) unlink(tmp);
    gdi_free(ctx, tmp);
    return st;
}
