package io.vertable.kit;

/** The node could not start; the message is the one line printed to the operator (no stack trace wall). */
public final class StartupException extends RuntimeException {

    public StartupException(String line, Throwable cause) {
        super(line, cause, false, false);
    }

    public StartupException(String line) {
        this(line, null);
    }
}
