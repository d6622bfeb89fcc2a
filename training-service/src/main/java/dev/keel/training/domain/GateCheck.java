package dev.keel.training.domain;

/** One check a new version had to pass before promotion, and what it found. */
public record GateCheck(String name, boolean passed, String detail) {
}
