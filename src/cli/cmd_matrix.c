/* cmd_matrix.c — placeholder until its issue lands; replaced by the real command. */
#include "cli.h"
int cmd_matrix(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongdan: 'matrix' is not available in this build yet\n");
    return GD_EXIT_USAGE;
}
int cmd_model(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongdan: 'model' is not available in this build yet\n");
    return GD_EXIT_USAGE;
}
int cmd_providers(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongdan: 'providers' is not available in this build yet\n");
    return GD_EXIT_USAGE;
}
