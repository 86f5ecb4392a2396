package dev.pagoda.cuda.kernels;

/** Tests that set a launcher's system property put back what was there before (launchers read them when built). */
final class SystemProperties {
    private SystemProperties() {
    }

    /** Sets {@code property} back to {@code previous}, the value {@link System#getProperty} gave; null: cleared. */
    static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
