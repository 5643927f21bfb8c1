/*
 * cli.h — the gongdan command-line program: shared helpers and the
 * subcommand entry points. The CLI uses only the public header gongdan.h.
 *
 * Exit codes (documented in --help and the README):
 *   0  success; no failing finding at or above --fail-on
 *   1  failing findings (scan), or a --strict / --fail-under check failed
 *   2  usage error, unreadable or invalid input, rule error, or a limit
 *   3  out of memory or internal error
 */
#ifndef GD_CLI_H
#define GD_CLI_H

#include "gongdan.h"

#include <stdbool.h>
#include <stdio.h>

enum { GD_EXIT_OK = 0, GD_EXIT_FINDINGS = 1, GD_EXIT_USAGE = 2, GD_EXIT_INTERNAL = 3 };

/* Print every diagnostic of ctx to stderr ("gongdan: " prefix for
 * messages without a location), then clear them. */
void cli_print_diags(gd_ctx *ctx);
/* Map a library status to an exit code (2 for input problems, 3 for
 * out-of-memory/internal). */
int cli_exit_for(gd_status st);
/* Parse a limit flag "--max-depth=N" or "--max-depth N"; returns 1 when
 * argv[*i] was a limit flag (consumed), 0 when not, -1 on a bad value. */
int cli_limit_flag(gd_ctx *ctx, int argc, char **argv, int *i);
/* The value of option argv[*i] (advancing *i), or NULL with a message
 * when it is missing. */
const char *cli_need_arg(int argc, char **argv, int *i);
/* True when colour output is wanted on stream f (TTY and NO_COLOR unset). */
bool cli_want_color(FILE *f);

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_providers(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_assess(int argc, char **argv);

#endif
