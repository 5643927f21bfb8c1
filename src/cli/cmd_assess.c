/* cmd_assess.c — placeholder until its issue lands; replaced by the real command. */
#include "cli.h"
int cmd_assess(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongdan: 'assess' is not available in this build yet\n");
    return GD_EXIT_USAGE;
}
int cmd_catalog(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongdan: 'catalog' is not available in this build yet\n");
    return GD_EXIT_USAGE;
}
