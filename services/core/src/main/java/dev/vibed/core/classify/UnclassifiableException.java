package dev.vibed.core.classify;

/** The archive holds nothing we know how to run; the message says what was looked for (and what was found). */
public class UnclassifiableException extends Exception {
    public UnclassifiableException(String message) {
        super(message);
    }

    public UnclassifiableException(String message, Throwable cause) {
        super(message, cause);
    }
}
