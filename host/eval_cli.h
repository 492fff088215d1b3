/* `locdet eval` (host/eval_cli.c): the command, called by host/cli.c with
 * argv[0] = "eval". Returns the exit code. */
#ifndef LOCDET_EVAL_CLI_H
#define LOCDET_EVAL_CLI_H

int locdet_eval_command(int argc, char **argv);

#endif
