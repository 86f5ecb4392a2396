package dev.pagoda.cli;

import dev.pagoda.nvme.admin.NvmeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code pagoda nvme …}: the userspace NVMe driver's administration ({@link NvmeCommand}): list
 * controllers, record a model's extent manifest, bind a controller to vfio-pci and back, measure
 * raw read bandwidth. The subcommand and its argument count are checked here, so that a mistake
 * is one line naming it; what the subcommand itself refuses (an unsafe device) is one line too.
 */
final class NvmeCliCommand implements Command {
    /** Each subcommand and the least number of arguments it takes. */
    private static final Map<String, Integer> SUBCOMMANDS = Map.of(
            "list", 0, "manifest", 2, "bind", 1, "unbind", 1, "read-bandwidth", 4);

    @Override
    public String name() {
        return "nvme";
    }

    @Override
    public String arguments() {
        return "list | manifest MODEL MANIFEST | bind PCI | unbind PCI | read-bandwidth PCI NSID MIB DEPTH...";
    }

    @Override
    public String summary() {
        return "NVMe controllers: list, record a model's manifest, bind to vfio-pci and back, raw read speed";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("missing subcommand");
        }
        String sub = args.getFirst();
        Integer least = SUBCOMMANDS.get(sub);
        if (least == null) {
            throw new UsageException("unknown subcommand '" + sub + "'");
        }
        if (args.size() - 1 < least) {
            throw new UsageException(sub + " needs " + least + " argument" + (least == 1 ? "" : "s")
                    + ", got " + (args.size() - 1));
        }
        ByteArrayOutputStream refusal = new ByteArrayOutputStream();
        int status;
        try (PrintStream err = new PrintStream(refusal, true, StandardCharsets.UTF_8)) {
            status = NvmeCommand.run(args.toArray(String[]::new), out, err);
        }
        if (status != 0) {
            // NvmeCommand prints its own "pagoda nvme: " prefix; Main adds it again.
            String message = refusal.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("failed")
                    .replaceFirst("^pagoda nvme: ", "");
            throw new IOException(message);
        }
        return 0;
    }
}
