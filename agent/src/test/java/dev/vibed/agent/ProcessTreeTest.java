package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Telling a warm runtime's processes from strays, the way clearing the cgroup after an app does. */
class ProcessTreeTest {

    @Test
    void aChildForkedAfterItsRootWasNamedDescendsFromIt() throws Exception {
        // The root is named before it forks, as a runtime is registered before bubblewrap starts the interpreter.
        Process root = new ProcessBuilder("/bin/sh", "-c", "read go; sleep 60 & echo $!; wait").start();
        try {
            Set<Long> roots = Set.of(root.pid());
            root.getOutputStream().write("\n".getBytes(StandardCharsets.UTF_8));
            root.getOutputStream().flush();
            long child;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(root.getInputStream(),
                    StandardCharsets.UTF_8))) {
                child = Long.parseLong(out.readLine().trim());
            }
            assertThat(ProcessTree.descendsFrom(child, roots)).isTrue();
            assertThat(ProcessTree.descendsFrom(root.pid(), roots)).isTrue();
            assertThat(ProcessTree.descendsFrom(child, Set.of(child + 100_000))).isFalse();
            assertThat(ProcessTree.descendsFrom(ProcessHandle.current().pid(), roots)).isFalse();
        } finally {
            ProcessTree.kill(root.toHandle());
        }
    }

    @Test
    void aProcessThatIsGoneDescendsFromNothing() throws Exception {
        Process p = new ProcessBuilder("/bin/true").start();
        p.waitFor();
        assertThat(ProcessTree.descendsFrom(p.pid(), Set.of(p.pid() + 1))).isFalse();
    }
}
