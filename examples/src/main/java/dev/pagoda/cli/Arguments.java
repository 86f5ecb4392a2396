package dev.pagoda.cli;

import dev.pagoda.gguf.GgufFile;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's arguments split into options ({@code -m X}, {@code --temp 0.7}, flags) and
 * positional words, checked against the options the command knows.
 */
final class Arguments {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param withValue option names that take a value (aliases written as "-m|--model")
     * @param flags     option names that take none
     */
    Arguments(List<String> args, Set<String> withValue, Set<String> flags) throws UsageException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String canonical = canonical(a, withValue);
            if (canonical != null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option " + a + " needs a value");
                }
                values.put(canonical, args.get(++i));
            } else if ((canonical = canonical(a, flags)) != null) {
                values.put(canonical, "true");
            } else if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                throw new UsageException("unknown option " + a);
            } else {
                positional.add(a);
            }
        }
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The first alias of the spec that names {@code arg}, or null. */
    private static String canonical(String arg, Set<String> specs) {
        for (String spec : specs) {
            for (String alias : spec.split("\\|")) {
                if (alias.equals(arg)) {
                    return spec.split("\\|")[0];
                }
            }
        }
        return null;
    }

    List<String> positional() {
        return positional;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String string(String name, String def) {
        return values.getOrDefault(name, def);
    }

    String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing " + name);
        }
        return v;
    }

    /** The model path of {@code -m}, which must be an existing regular file. */
    Path model() throws UsageException, FileSystemException {
        Path p = Path.of(required("-m"));
        GgufFile.requireFile(p);
        return p;
    }

    int integer(String name, int def) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects an integer, got '" + v + "'");
        }
    }

    long longValue(String name, long def) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects an integer, got '" + v + "'");
        }
    }

    double number(String name, double def) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a number, got '" + v + "'");
        }
    }
}
