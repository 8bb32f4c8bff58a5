package dev.vibed.standalone.sandbox;

import java.io.IOException;
import java.nio.file.Path;

/** Starts local sandboxes; the pool decides when. */
public interface LocalAgentFactory {

    /** Starts an agent for {@code template} in {@code dir} and returns once its control API answers. */
    LocalAgent start(String name, String template, Path dir) throws IOException;
}
