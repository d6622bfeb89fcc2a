package dev.keel.common.text;

import java.util.ArrayList;
import java.util.List;

/** What a failure came down to, for a one-line log or error message. */
public final class Causes {

    private Causes() {
    }

    /** The innermost cause's class and message, e.g. {@code ConnectException Connection refused}. */
    public static String rootMessage(Throwable e) {
        List<Throwable> chain = chain(e);
        Throwable root = chain.get(chain.size() - 1);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    /** {@code e} and its causes, outermost first (wrappers keep the driver's exception as a cause). */
    public static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
