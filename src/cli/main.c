/*
 * main.c — entry point of the gongdan CLI: dispatches to subcommands and
 * holds the helpers they share (diagnostics, exit codes, limit flags).
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    {"scan", cmd_scan, "check Terraform state, plan, source or inventory against the rules"},
    {"rules", cmd_rules, "list, check, test or disassemble rules"},
    {"matrix", cmd_matrix, "who owns every duty of a deployment profile"},
    {"model", cmd_model, "browse the built-in responsibility models"},
    {"providers", cmd_providers, "browse the built-in provider profiles"},
    {"catalog", cmd_catalog, "browse and import framework catalogs"},
    {"assess", cmd_assess, "where a deployment stands on a framework, with evidence"},
};

static void usage(FILE *f)
{
    fprintf(f, "gongdan %s — shared-responsibility cloud security compliance engine\n\n"
               "usage: gongdan COMMAND [OPTIONS] [ARGS]\n\ncommands:\n",
            gd_version());
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n'gongdan COMMAND --help' describes a command.\n\n"
               "exit codes:\n"
               "  0  success (scan: no failing finding at or above --fail-on)\n"
               "  1  failing findings, or a --strict / --fail-under check failed\n"
               "  2  usage error, unreadable or invalid input, rule error, limit exceeded\n"
               "  3  out of memory or internal error\n");
}

void cli_print_diags(gd_ctx *ctx)
{
    size_t n = gd_ctx_diag_count(ctx);
    for (size_t i = 0; i < n; i++) {
        gd_severity_diag kind;
        const char *m = gd_ctx_diag(ctx, i, &kind);
        fprintf(stderr, "%s%s\n", kind == GD_DIAG_WARNING ? "warning: " : "", m);
    }
    gd_ctx_clear_diags(ctx);
}

int cli_exit_for(gd_status st)
{
    switch (st) {
    case GD_OK: return GD_EXIT_OK;
    case GD_NOMEM:
    case GD_INTERNAL: return GD_EXIT_INTERNAL;
    case GD_TESTFAIL: return GD_EXIT_FINDINGS;
    default: return GD_EXIT_USAGE;
    }
}

int cli_limit_flag(gd_ctx *ctx, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strncmp(a, "--max-", 6) != 0) return 0;
    for (int l = 0; l < GD_LIMIT__COUNT; l++) {
        const char *name = gd_limit_name((gd_limit)l);
        size_t nl = strlen(name);
        const char *val = NULL;
        if (strncmp(a + 2, name, nl) == 0 && a[2 + nl] == '=')
            val = a + 3 + nl;
        else if (strcmp(a + 2, name) == 0) {
            if (*i + 1 >= argc) {
                fprintf(stderr, "gongdan: %s needs a value\n", a);
                return -1;
            }
            val = argv[++*i];
        } else
            continue;
        char *end;
        errno = 0;
        unsigned long long v = strtoull(val, &end, 10);
        uint64_t mult = 1;
        if (*end == 'k' || *end == 'K') mult = 1024, end++;
        else if (*end == 'M') mult = 1024 * 1024, end++;
        else if (*end == 'G') mult = 1024ULL * 1024 * 1024, end++;
        if (errno || *end || end == val || v == 0 || val[0] == '-' || v > UINT64_MAX / mult) {
            fprintf(stderr, "gongdan: --%s takes a positive whole number (k, M, G allowed)\n",
                    name);
            return -1;
        }
        gd_ctx_set_limit(ctx, (gd_limit)l, (uint64_t)v * mult);
        return 1;
    }
    return 0;
}

const char *cli_need_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "gongdan: %s needs a value\n", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

bool cli_want_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc) return false;
    return isatty(fileno(f));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return GD_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("gongdan %s\n", gd_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name)) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "gongdan: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return GD_EXIT_USAGE;
}
