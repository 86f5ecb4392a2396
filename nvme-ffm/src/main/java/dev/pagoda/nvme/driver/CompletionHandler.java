package dev.pagoda.nvme.driver;

/** Receives completions from {@link QueuePair#poll}. */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * One command completed.
     *
     * @param tag        the tag given at submission
     * @param statusWord the completion's 16-bit status field (test with {@link CompletionStatus#isSuccess})
     * @param cid        the command identifier, valid for {@link QueuePair#describe} during this call
     */
    void completed(int tag, int statusWord, int cid) throws NvmeException;
}
