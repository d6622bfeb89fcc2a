package dev.keel.agent.repository;

/** A database failure, unchecked so services need not thread SQLException through lambdas. */
public class RepositoryException extends RuntimeException {

    public RepositoryException(String doing, Throwable cause) {
        super("Database error while " + doing + ": " + cause.getMessage(), cause);
    }
}
