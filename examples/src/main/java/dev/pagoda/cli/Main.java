package dev.pagoda.cli;

import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pagoda} command line: {@code pagoda [--verbose] COMMAND ARGS...}. Failures print one
 * line on stderr and exit non-zero; {@code --verbose} adds the stack trace.
 */
public final class Main {
    /** Every subcommand, in the order {@code pagoda --help} lists them. */
    static final List<Command> COMMANDS = List.of(new InspectCommand(), new RunCommand(), new EvalCommand(),
            new TokenizeCommand(), new BenchCommand(), new SynthCommand(), new NvmeCliCommand(),
            new PlanCommand());

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        // The library logs through java.util.logging; on a terminal one line per record reads
        // better than the default two (timestamp and source first). A user's own setting wins.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "pagoda: %5$s%6$s%n");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line {@code args}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean verbose = false;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--verbose") || a.equals("-v")) {
                verbose = true;
            } else {
                rest.add(a);
            }
        }
        if (rest.isEmpty() || rest.getFirst().equals("--help") || rest.getFirst().equals("-h")
                || rest.getFirst().equals("help")) {
            usage(rest.isEmpty() ? err : out);
            return rest.isEmpty() ? EXIT_USAGE : 0;
        }
        String name = rest.getFirst();
        Optional<Command> command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
        if (command.isEmpty()) {
            err.println("pagoda: unknown command '" + name + "' (try: pagoda --help)");
            return EXIT_USAGE;
        }
        try {
            return command.get().run(List.copyOf(rest.subList(1, rest.size())), out);
        } catch (UsageException e) {
            err.println("pagoda " + name + ": " + e.getMessage() + " (usage: pagoda " + name + " "
                    + command.get().arguments() + ")");
            return EXIT_USAGE;
        } catch (Exception | Error e) {
            err.println("pagoda " + name + ": " + describe(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            return EXIT_FAILURE;
        }
    }

    /** One line for a failure, naming the file where there is one. */
    static String describe(Throwable e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file: " + n.getFile();
            case AccessDeniedException a -> "permission denied: " + a.getFile();
            case OutOfMemoryError o -> "out of memory (" + o.getMessage() + "); raise -Xmx via JAVA_OPTS";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    private static void usage(PrintStream out) {
        out.println("usage: pagoda [--verbose] COMMAND ARGS...");
        out.println();
        out.println("commands:");
        for (Command c : COMMANDS) {
            out.printf("  %-30s %s%n", c.name() + " " + c.arguments(), c.summary());
        }
        out.println();
        out.println("--verbose prints stack traces of failures.");
    }
}
