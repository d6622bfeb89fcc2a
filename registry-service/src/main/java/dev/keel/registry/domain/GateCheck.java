package dev.keel.registry.domain;

/** One check of the deployment gate and what it found. */
public record GateCheck(String name, boolean passed, String detail) {

    public static GateCheck pass(String name, String detail) {
        return new GateCheck(name, true, detail);
    }

    public static GateCheck fail(String name, String detail) {
        return new GateCheck(name, false, detail);
    }
}
