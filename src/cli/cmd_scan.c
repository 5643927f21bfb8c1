/* cmd_scan.c — placeholder during bring-up. */
#include "cli.h"
int cmd_scan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongdan: 'scan' is not available in this build yet\n");
    return GD_EXIT_USAGE;
}
int cmd_rules(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongdan: 'rules' is not available in this build yet\n");
    return GD_EXIT_USAGE;
}
