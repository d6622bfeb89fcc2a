package dev.keel.registry.api;

/** The rule the schema's CHECK constraint puts on model names, for validation messages. */
public final class ModelNames {

    public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
    public static final String MESSAGE = "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private ModelNames() {
    }
}
