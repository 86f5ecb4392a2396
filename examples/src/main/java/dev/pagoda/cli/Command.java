package dev.pagoda.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One {@code pagoda} subcommand. To add one: write a class implementing this and list it in
 * {@link Main#COMMANDS}.
 */
public interface Command {
    /** The word that selects it: {@code pagoda <name> ...}. */
    String name();

    /** Its arguments, for the usage line, e.g. {@code MODEL}. */
    String arguments();

    /** One line saying what it does. */
    String summary();

    /**
     * Runs it.
     *
     * @param args the arguments after the command name, global options already removed
     * @param out  where results go
     * @return the process exit status
     * @throws UsageException when the arguments are wrong (a one-line message is printed)
     * @throws Exception      any other failure (a one-line message is printed, the stack trace
     *                        only with {@code --verbose})
     */
    int run(List<String> args, PrintStream out) throws Exception;
}
