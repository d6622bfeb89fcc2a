package dev.keel.common.text;

/** What a failure came down to, for a one-line log or error message. */
public final class Causes {

    private Causes() {
    }

    /** The innermost cause's class and message, e.g. {@code ConnectException Connection refused}. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
