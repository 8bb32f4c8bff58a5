package dev.vibed.standalone.sandbox;

import java.io.IOException;
import java.nio.file.Path;

/** Starts local sandboxes; the pool decides when. */
public interface LocalAgentFactory extends AutoCloseable {

    /** Starts an agent for {@code template} in {@code dir} and returns once its control API answers. */
    LocalAgent start(String name, String template, Path dir) throws IOException;

    /**
     * A port on the host's loopback that sandboxes must be able to dial (the source download service), even when
     * they have their own network. Called before the pool starts.
     */
    default void allowHostPort(int port) {
    }

    /** Releases what the factory holds for all its sandboxes (the firewall rule); called once they are all gone. */
    @Override
    default void close() {
    }
}
