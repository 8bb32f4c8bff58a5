package dev.vibed.standalone.testing;

import dev.vibed.core.files.FileTrees;
import dev.vibed.standalone.Standalone;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * One running standalone for a test class, started before its first test and closed after its last, with a
 * client for its API, in a data folder of its own that is removed afterwards:
 * {@code @RegisterExtension static final StandaloneServer server = StandaloneServer.with(Set.of("node"));}
 */
public final class StandaloneServer implements BeforeAllCallback, AfterAllCallback {
    /** Starts the standalone in a fresh data folder (the test may put its own fixtures there first). */
    @FunctionalInterface
    public interface Starter {
        Standalone start(Path dataDir) throws Exception;
    }

    private final Starter starter;
    private Path data;
    private Standalone standalone;
    private Http http;

    private StandaloneServer(Starter starter) {
        this.starter = starter;
    }

    /** The defaults with these templates, as {@link RunningStandalone#start(Path, Set)}. */
    public static StandaloneServer with(Set<String> templates) {
        return new StandaloneServer(data -> RunningStandalone.start(data, templates));
    }

    public static StandaloneServer starting(Starter starter) {
        return new StandaloneServer(starter);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        data = Files.createTempDirectory("vibed-standalone-");
        standalone = starter.start(data);
        http = new Http(standalone.apiUri());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (standalone != null) {
            standalone.close();
        }
        FileTrees.deleteTree(data);
    }

    public Standalone standalone() {
        return standalone;
    }

    /** A client for its API. */
    public Http http() {
        return http;
    }

    /** The fresh folder the starter was given: the standalone's data folder, unless the starter chose one below it. */
    public Path data() {
        return data;
    }
}
