package dev.pagoda.cli;

import dev.pagoda.core.tokenizer.Tokenizer;
import dev.pagoda.gguf.GgufFile;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code pagoda tokenize}: prints the token ids of a text, comma-separated on one line. */
final class TokenizeCommand implements Command {

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String arguments() {
        return "-m MODEL [--no-bos] TEXT";
    }

    @Override
    public String summary() {
        return "print the token ids of TEXT (BOS added unless --no-bos)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Arguments a = new Arguments(args, Set.of("-m|--model"), Set.of("--no-bos"));
        if (a.positional().size() != 1) {
            throw new UsageException(a.positional().isEmpty() ? "missing TEXT" : "expected one TEXT, got "
                    + a.positional().size() + " words (quote the text)");
        }
        // Only the vocabulary is needed: no weights are checked or mapped for compute.
        try (GgufFile f = GgufFile.open(a.model())) {
            Tokenizer t = Tokenizer.fromMetadata(f.metadata());
            int[] ids = t.encode(a.positional().getFirst(), !a.flag("--no-bos"), true);
            out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        }
        return 0;
    }
}
