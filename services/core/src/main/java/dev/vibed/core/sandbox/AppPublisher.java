package dev.vibed.core.sandbox;

import dev.vibed.core.app.App;

/**
 * Port: makes a ready sandbox reachable for the router and returns the {@code host:port} it should dial.
 * Kubernetes: the per-app Service {@code vibed-app-<id>} selecting the bound pod. Standalone: the sandbox's
 * loopback address as is.
 */
public interface AppPublisher {

    String publish(App app, SandboxLease lease) throws PublishException;

    void unpublish(String appId);

    class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Published, but not serving yet (e.g. the Service has no ready endpoint): not a failure, ask again soon.
     * A publisher whose caller is woken by the event that ends the wait (the controller watches pods) gives a long
     * {@code retryAfter}, only a safety net; null keeps the reconciler's short poll.
     */
    class NotYetException extends PublishException {
        private final transient java.time.Duration retryAfter;

        public NotYetException(String message) {
            this(message, null);
        }

        public NotYetException(String message, java.time.Duration retryAfter) {
            super(message, null);
            this.retryAfter = retryAfter;
        }

        public java.time.Duration retryAfter() {
            return retryAfter;
        }
    }
}
