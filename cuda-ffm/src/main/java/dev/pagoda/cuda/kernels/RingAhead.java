package dev.pagoda.cuda.kernels;

/**
 * How many of a ring block's weight requests may be in flight at once ({@code matvec_ring.cuh}'s {@code ahead}),
 * for launches over rows of at least {@code minCols} columns; {@code requests} 0 leaves every launch uncapped (a
 * block asks for as many stages as its ring holds). Why a cap: a launch with nothing primed before its wait (the
 * down projection) asks for ~24 MB at once over the GPU, and the memory system serves it interleaved, so a block's
 * first stage may come no sooner than the whole burst (docs/perf/NOTES.md, decode round 26). Two requests for
 * launches of 14336 columns or more by default: with SwiGLU letting the down projection launch early (round 25),
 * 8B Q4_K_M decode 333 -> 343 tok/s on the H100, where one request gave 333-334 and three 341-342.
 * {@code -Dpagoda.cuda.ringAhead=N} (0: uncapped) and {@code -Dpagoda.cuda.ringAheadMinCols=C} (read when the
 * launchers are built).
 */
record RingAhead(int requests, int minCols) {
    static final String PROPERTY = "pagoda.cuda.ringAhead";
    static final String MIN_COLS_PROPERTY = "pagoda.cuda.ringAheadMinCols";
    /** The down projections of Llama 3 8B (14336 columns) and 70B (28672), not their other matrices. */
    static final int DEFAULT_MIN_COLS = 14336;
    static final int DEFAULT_REQUESTS = 2;
    static final RingAhead UNCAPPED = new RingAhead(0, DEFAULT_MIN_COLS);

    RingAhead {
        if (requests < 0) {
            throw new IllegalArgumentException("ring requests in flight must be 0 (uncapped) or more, got " + requests);
        }
        if (minCols < 0) {
            throw new IllegalArgumentException("ring cap's column threshold must be 0 or more, got " + minCols);
        }
    }

    static RingAhead fromProperties() {
        return new RingAhead(intProperty(PROPERTY, DEFAULT_REQUESTS), intProperty(MIN_COLS_PROPERTY, DEFAULT_MIN_COLS));
    }

    private static int intProperty(String name, int otherwise) {
        String value = System.getProperty(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + value + ": not an integer", e);
        }
    }

    /**
     * Requests in flight for a launch of {@code stages} stages over rows of {@code cols} columns: 1..stages, or
     * {@code stages} itself where it is under 1 (a shape the ring does not cover).
     */
    int inFlight(int stages, int cols) {
        return requests == 0 || cols < minCols ? stages : Math.min(requests, stages);
    }
}
