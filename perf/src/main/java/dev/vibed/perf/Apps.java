package dev.vibed.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's apps, one per template, written as plain files: the same files are booted bare (the baseline) and
 * deployed as tarballs, so the only difference measured is the platform.
 */
final class Apps {
    static final String NODE = """
            const http = require('http');
            http.createServer((req, res) => {
              res.writeHead(200, {'content-type': 'text/plain'});
              res.end('hello from node\\n');
            }).listen(Number(process.env.PORT || 8080), process.env.HOST || '127.0.0.1');
            """;
    static final String PYTHON = """
            import os
            from http.server import BaseHTTPRequestHandler, HTTPServer

            class Handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    body = b'hello from python\\n'
                    self.send_response(200)
                    self.send_header('Content-Type', 'text/plain')
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

                def log_message(self, *args):
                    pass

            HTTPServer((os.environ.get('HOST', '127.0.0.1'), int(os.environ.get('PORT', '8080'))), Handler).serve_forever()
            """;

    private Apps() {
    }

    /** Writes the app of {@code template} into {@code dir} and returns its tar.gz. */
    static byte[] write(String template, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        switch (template) {
            case "static" -> Files.writeString(dir.resolve("index.html"), "<!doctype html><title>bench</title><h1>hello</h1>\n");
            case "node" -> {
                Files.writeString(dir.resolve("package.json"), "{\"name\":\"bench\",\"version\":\"1.0.0\",\"main\":\"server.js\"}");
                Files.writeString(dir.resolve("server.js"), NODE);
            }
            case "python" -> Files.writeString(dir.resolve("app.py"), PYTHON);
            default -> throw new IllegalArgumentException("no benchmark app for template " + template);
        }
        Path tar = dir.resolveSibling(dir.getFileName() + ".tar.gz");
        Machine.run(List.of("tar", "czf", tar.toString(), "-C", dir.toString(), "."), null);
        return Files.readAllBytes(tar);
    }

    /**
     * The bare command that boots the template's app (static: the bare Node boot is the baseline), with the
     * interpreter the sandboxes run: the first on the sandbox PATH, not the caller's PATH, where a version manager's
     * shim (pyenv, nvm) would add its own start-up to the baseline.
     */
    static List<String> bareCommand(String template) {
        return switch (template) {
            case "python" -> List.of(sandboxBinary("python3"), "app.py");
            default -> List.of(sandboxBinary("node"), "server.js");
        };
    }

    /** What the agent's UserEnv gives an app without env of its own, for a bare start to match. */
    static Map<String, String> sandboxEnv(Path home, int port) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("LANG", "C.UTF-8");
        env.put("NODE_ENV", "production");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PATH", String.join(":", SANDBOX_PATH));
        env.put("HOME", home.toString());
        env.put("PORT", Integer.toString(port));
        env.put("HOST", "127.0.0.1");
        return env;
    }

    /** The agent's sandbox PATH (Executables.SANDBOX_PATH in the agent). */
    private static final List<String> SANDBOX_PATH = List.of("/usr/local/bin", "/usr/bin", "/bin");

    private static String sandboxBinary(String name) {
        return SANDBOX_PATH.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable)
                .findFirst().map(Path::toString).orElse(name);
    }
}
