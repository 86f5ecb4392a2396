package dev.pagoda.nvme.spec;

/**
 * NVM command set I/O opcodes (NVM Command Set specification). Pagoda only ever reads: the one
 * opcode named here is Read. Write (0x01), Write Zeroes, Dataset Management and Format do not
 * appear anywhere in this project.
 */
public final class NvmOpcode {
    private NvmOpcode() {}

    /** Read. */
    public static final int READ = 0x02;
}
