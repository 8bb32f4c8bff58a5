package dev.vibed.standalone.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the tools or rights for a private network are missing, vibeD still starts, with sandboxes on the host
 * network, and says so in exactly one warning that names what stays open and how to fix it.
 */
class SandboxNetworksWarningTest {
    private final Logger logger = Logger.getLogger(SandboxNetworks.class.getName());
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    /** The warning as one line: it is wrapped in a box of asterisks for the console. */
    private static String text(LogRecord r) {
        return r.getMessage().replaceAll("\\s*\\n\\*+ ?", " ");
    }

    @Test
    void withoutPastaSandboxesShareTheHostNetworkAndOneWarningSaysWhatIsOpen() {
        SandboxNetworks net = SandboxNetworks.detect(tool -> tool.equals("pasta") ? Optional.empty()
                : SandboxNetworks.onPath(tool), SandboxUser.currentUid());

        assertThat(net.isolated()).isFalse();
        assertThat(net.firewalled()).isFalse();
        assertThat(warnings).hasSize(1);
        assertThat(text(warnings.get(0))).contains("pasta", "vibeD's API", "every other app's port",
                "apt-get install passt");
    }

    @Test
    void aPastaThatCannotStartANamespaceIsReportedWithTheSameConsequence() {
        // A "pasta" that always fails stands for a missing /dev/net/tun right or no user namespaces.
        SandboxNetworks net = SandboxNetworks.detect(tool -> tool.equals("pasta") ? Optional.of(Path.of("/bin/false"))
                : SandboxNetworks.onPath(tool), SandboxUser.currentUid());

        assertThat(net.isolated()).isFalse();
        assertThat(warnings).hasSize(1);
        assertThat(text(warnings.get(0))).contains("cannot create a network namespace", "exit code 1",
                "/dev/net/tun", "vibeD's API");
    }
}
